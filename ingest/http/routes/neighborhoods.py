"""Neighborhoods by name: planners name them (`PUT /api/neighborhoods/{slug}`), the public
picks one and reads how to take part there; the public page itself, found by whatever
spelling people type (/?bydel=Rundhøj leads to /?bydel=rundhoj), or a Danish 404."""

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.city_time import today as city_today
from ingest.http.deps import AUTH_ERRORS, CursorKey, Planner, Reader, ServiceDep, SessionDep
from ingest.http.params import PRINTABLE_PATTERN
from ingest.http.routes.public import (
    PublicPage,
    PublicStep,
    PublicWeek,
    PublicWord,
    clips_page,
    public_steps,
    public_words,
    received_today,
    weeks,
)
from ingest.publish.places import Names, find_neighborhood, find_theme, names
from ingest.review.audit import record
from ingest.settings import IngestSettings
from ingest.store.models import Booth, Neighborhood, Theme, ThemeStep, WeekCount
from shared.topics import SLUG_PATTERN

router = APIRouter(tags=["neighborhoods"])
pages = APIRouter(include_in_schema=False)
WEB = Path(__file__).parents[1] / "web"
NOT_FOUND = "Bydelen findes ikke. / No such neighborhood."

NAME_MAX = 200
# A neighborhood is found by its slug or its name: as long as a name may be.
Typed = Annotated[str, PathParam(max_length=NAME_MAX, pattern=PRINTABLE_PATTERN)]


class NeighborhoodIn(BaseModel):
    name: str = Field(min_length=1, max_length=NAME_MAX, pattern=PRINTABLE_PATTERN)
    description: str | None = Field(default=None, max_length=2000)
    lat: float | None = Field(default=None, ge=-90, le=90, strict=True)
    lon: float | None = Field(default=None, ge=-180, le=180, strict=True)


class NeighborhoodOut(NeighborhoodIn):
    slug: str


class PublicNeighborhood(NeighborhoodOut):
    booths: int = Field(description="phone booths standing in it")
    published: int = Field(description="messages published from it")


class AskedHere(BaseModel):
    slug: str
    title: str
    question: str
    digit: str | None = Field(description="the key to press in the booth for this question")


class BoothPlace(BaseModel):
    """Where one booth stands, as the public may see it: the city's description of the
    place and its position; nothing else of the booth (no id, no notes)."""

    location: str | None = Field(description="the place, as the city describes it")
    lat: float | None
    lon: float | None


class NeighborhoodPage(PublicNeighborhood):
    places: list[str] = Field(description="where its booths stand, as the city describes them")
    booth_places: list[BoothPlace] = Field(
        description="each booth with a described place or a position, for the map"
    )
    themes: list[AskedHere] = Field(description="the questions asked in its booths today")


def _out(slug: str, row: Neighborhood | None, named: Names) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": row.name if row else named.neighborhood(slug),
        "description": row.description if row else None,
        "lat": row.lat if row else None,
        "lon": row.lon if row else None,
    }


@router.put(
    "/api/neighborhoods/{slug}",
    response_model=NeighborhoodOut,
    responses=AUTH_ERRORS,
)
def name_neighborhood(
    slug: Annotated[str, PathParam(pattern=SLUG_PATTERN)],
    body: NeighborhoodIn,
    session: SessionDep,
    who: Planner,
) -> NeighborhoodOut:
    """Give a neighborhood the name people know it by ("Rundhøj"), a description and
    where it lies (for a map); every public page, feed and export then shows the name."""
    row = session.get(Neighborhood, slug)
    if row is None:
        row = Neighborhood(slug=slug)
        session.add(row)
    for key, value in body.model_dump().items():
        setattr(row, key, value)
    row.updated_at = datetime.now(UTC)
    record(session, who, "neighborhood_update", None, {"neighborhood": slug, "name": body.name})
    session.commit()
    return NeighborhoodOut(**_out(slug, row, names(session)))


@router.get("/api/neighborhoods", response_model=list[NeighborhoodOut], responses=AUTH_ERRORS)
def list_neighborhoods(session: SessionDep, _who: Reader) -> list[NeighborhoodOut]:
    """Every known neighborhood (named, with a booth, or with messages)."""
    named = names(session)
    rows = {n.slug: n for n in session.scalars(select(Neighborhood))}
    return [NeighborhoodOut(**_out(s, rows.get(s), named)) for s in named.neighborhoods]


def _public(session: Session) -> list[PublicNeighborhood]:
    named = names(session)
    rows = {n.slug: n for n in session.scalars(select(Neighborhood))}
    by_place = select(Booth.neighborhood, func.count()).group_by(Booth.neighborhood)
    booths: dict[str, int] = {n: c for n, c in session.execute(by_place)}
    total = func.sum(WeekCount.published)
    counted = select(WeekCount.neighborhood, total).group_by(WeekCount.neighborhood)
    published: dict[str, int] = {n: int(c or 0) for n, c in session.execute(counted)}
    found = [
        PublicNeighborhood(
            **_out(slug, rows.get(slug), named),
            booths=booths.get(slug, 0),
            published=published.get(slug, 0),
        )
        for slug in named.neighborhoods
    ]
    return sorted(found, key=lambda n: n.name.casefold())


@router.get("/public/neighborhoods", response_model=list[PublicNeighborhood], tags=["public"])
def public_neighborhoods(session: SessionDep) -> list[PublicNeighborhood]:
    """The neighborhoods to pick from, by name."""
    return _public(session)


@router.get(
    "/public/neighborhoods/{name}",
    response_model=NeighborhoodPage,
    tags=["public"],
    responses={404: {"description": NOT_FOUND}},
)
def public_neighborhood(name: Typed, session: SessionDep) -> NeighborhoodPage:
    """One neighborhood, found by its slug or its name however spelt (rundhøj, Rundhøj,
    rundhoej): what it is, where its booths stand, and which key asks which question."""
    slug = find_neighborhood(session, name)
    if slug is None:
        raise HTTPException(404, NOT_FOUND)
    (place,) = [n for n in _public(session) if n.slug == slug]
    booths = list(session.scalars(select(Booth).where(Booth.neighborhood == slug)))
    ids = {b.id for b in booths}
    today = city_today()
    asked = [
        t
        for t in session.scalars(select(Theme).order_by(Theme.digit, Theme.slug))
        if t.live_on(today)
        and (
            (not t.neighborhoods and not t.booths)
            or slug in t.neighborhoods
            or bool(ids & set(t.booths))
        )
    ]
    return NeighborhoodPage(
        **place.model_dump(),
        places=sorted({b.location for b in booths if b.location}),
        booth_places=_booth_places(booths),
        themes=[
            AskedHere(slug=t.slug, title=t.title, question=t.question, digit=t.digit) for t in asked
        ],
    )


def _booth_places(booths: list[Booth]) -> list[BoothPlace]:
    shown = [
        BoothPlace(location=b.location, lat=b.lat, lon=b.lon)
        for b in booths
        if b.location or b.lat is not None
    ]
    # By place, not by id: the order says nothing of the registry.
    return sorted(shown, key=lambda p: (p.location or "", p.lat or 0.0, p.lon or 0.0))


class ThemeHere(BaseModel):
    """One theme on a neighborhood's page, all in one answer (a phone on a slow line makes
    one request, not three per theme)."""

    slug: str
    title: str
    question: str | None
    digit: str | None = Field(description="the key to press for it here, if asked today")
    we_did: str | None = Field(description="shown while the theme has no steps")
    steps: list[PublicStep] = Field(
        description="what the city did here and citywide, step by step, oldest first"
    )
    messages: PublicPage = Field(description="the newest; `next_cursor` leads on (/public/clips)")
    words: list[PublicWord]
    weeks: list[PublicWeek]


@router.get(
    "/public/neighborhoods/{name}/themes",
    response_model=list[ThemeHere],
    tags=["public"],
    responses={404: {"description": NOT_FOUND}},
)
def neighborhood_themes(
    name: Typed,
    session: SessionDep,
    key: CursorKey,
    messages: Annotated[int, Query(ge=1, le=20)] = 5,
    words: Annotated[int, Query(ge=1, le=20)] = 10,
) -> list[ThemeHere]:
    """Each theme asked here today, with messages published from here or with a step of
    its timeline for here: its question, what the city did (here and citywide), newest
    messages, most used words and published messages week by week."""
    page = public_neighborhood(name, session)
    asked = {t.slug: t for t in page.themes}
    heard = session.scalars(
        select(WeekCount.theme)
        .where(WeekCount.neighborhood == page.slug)
        .group_by(WeekCount.theme)
        .having(func.sum(WeekCount.published) > 0)
        .order_by(WeekCount.theme)
    )
    answered = session.scalars(
        select(ThemeStep.theme)
        .where(ThemeStep.neighborhood == page.slug)
        .group_by(ThemeStep.theme)
        .order_by(ThemeStep.theme)
    )
    slugs = list(dict.fromkeys([*asked, *heard, *answered]))
    steps = public_steps(session, slugs, page.slug)
    named = names(session)
    themes = {t.slug: t for t in session.scalars(select(Theme).where(Theme.slug.in_(slugs)))}
    today = received_today(session, page.slug, None)  # once for all its themes
    found = []
    for slug in slugs:
        theme = themes.get(slug)
        found.append(
            ThemeHere(
                slug=slug,
                title=named.theme(slug),
                question=theme.question if theme else None,
                digit=asked[slug].digit if slug in asked else None,
                we_did=theme.we_did if theme else None,
                steps=steps[slug],
                messages=clips_page(
                    session, key, page.slug, slug, "newest", None, messages, None, named
                ),
                words=public_words(session, page.slug, slug, words),
                weeks=weeks(session, page.slug, slug, today),
            )
        )
    return found


class PublicMap(BaseModel):
    tiles: str | None = Field(description="the tile URL template; null: show a list")
    attribution: str
    leaflet: bool = Field(description="whether Leaflet is served under /web/vendor/leaflet")


@router.get("/public/map", response_model=PublicMap, tags=["public"])
def public_map(service: ServiceDep) -> PublicMap:
    """How the pages draw a neighborhood's map: with tiles from the city's tile server, or
    (no server set, or Leaflet not built in) not at all, the booths then shown as a list."""
    settings = service.settings
    leaflet = (settings.web_vendor_dir / "leaflet" / "leaflet.js").is_file()
    return PublicMap(
        tiles=settings.map_tile_url, attribution=settings.map_attribution, leaflet=leaflet
    )


def tile_origins(settings: IngestSettings) -> tuple[str, ...]:
    """Where map tiles come from, for the pages' Content-Security-Policy."""
    if not settings.map_tile_url:
        return ()
    parts = urlsplit(settings.map_tile_url)
    return (f"{parts.scheme}://{parts.netloc}".replace("{s}", "*"),)


@pages.get("/", response_class=HTMLResponse, responses={404: {}})
def public_page(
    session: SessionDep,
    bydel: Annotated[str | None, Query(max_length=NAME_MAX)] = None,
    tema: Annotated[str | None, Query(max_length=100)] = None,
    neighborhood: Annotated[str | None, Query(max_length=NAME_MAX)] = None,
    theme: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The public page for all, one neighborhood (?bydel=) or one theme (?tema=); a name
    typed another way leads to its page, an unknown one to a 404 that says so in Danish."""
    typed_place, typed_theme = bydel or neighborhood, tema or theme
    place = find_neighborhood(session, typed_place) if typed_place else None
    topic = find_theme(session, typed_theme) if typed_theme else None
    if (typed_place and place is None) or (typed_theme and topic is None):
        return _not_found(
            session, typed_place if place is None else None, typed_theme if topic is None else None
        )
    wanted = {"bydel": place, "tema": topic, "q": q}
    if (typed_place, typed_theme) != (place, topic) or neighborhood or theme:
        query = urlencode({k: v for k, v in wanted.items() if v})
        return RedirectResponse(f"/?{query}", status_code=307)
    return HTMLResponse(
        _with_feeds((WEB / "public.html").read_text("utf-8"), session, place, topic)
    )


def _feed_link(kind: str, slug: str, title: str) -> str:
    href = f"/public/feeds/{kind}/{slug}.atom"
    label = html.escape(f"Digitalt Nabolag: {title}")
    return f'<link rel="alternate" type="application/atom+xml" title="{label}" href="{href}">'


def _with_feeds(page: str, session: Session, place: str | None, topic: str | None) -> str:
    """Feed autodiscovery: the page's own feeds, or on the front page every one."""
    named = names(session)
    everything = place is None and topic is None
    links = [
        _feed_link("neighborhood", slug, name)
        for slug, name in named.neighborhoods.items()
        if everything or slug == place
    ] + [
        _feed_link("theme", slug, name)
        for slug, name in named.themes.items()
        if everything or slug == topic
    ]
    return page.replace("<!-- feeds -->", "\n".join(links), 1)


def _not_found(session: Session, place: str | None, topic: str | None) -> HTMLResponse:
    what = f"Bydelen »{place}«" if place is not None else f"Temaet »{topic}«"
    known = "".join(
        f'<li><a href="/?bydel={slug}">{html.escape(name)}</a></li>'
        for slug, name in names(session).neighborhoods.items()
    )
    page = (WEB / "not_found.html").read_text("utf-8")
    page = page.replace("<!-- what -->", html.escape(what), 1)
    page = page.replace("<!-- known -->", known, 1)
    return HTMLResponse(page, status_code=404)
