"""What anyone may see: the text moderators approved, as they approved it, and aggregates.
No audio, no raw text, no booth, no time of day (with a known booth, a time can point at
a caller)."""

import itertools
from collections import Counter
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from ingest.city_time import city_day, start_of
from ingest.city_time import today as city_today
from ingest.http.deps import CursorKey, SessionDep
from ingest.http.params import Cursor, SlugFilter, Words
from ingest.http.schemas import NextCursor
from ingest.language.words import ignored, rank_words
from ingest.publish import charts
from ingest.publish.aggregates import monday
from ingest.publish.places import Names, names
from ingest.store.models import (
    Booth,
    Clip,
    ClipStatus,
    StepQuote,
    StepStage,
    Theme,
    ThemeStep,
    WeekCount,
    WordCount,
    public,
)
from ingest.store.queries import AnySelect, Order, page_of, readable_by_public

router = APIRouter(prefix="/public", tags=["public"])


def scoped(
    query: AnySelect,
    table: type[WeekCount] | type[WordCount] | type[Clip],
    neighborhood: str | None,
    theme: str | None,
) -> AnySelect:
    if neighborhood:
        query = query.where(table.neighborhood == neighborhood)
    if theme:
        query = query.where(table.theme == theme)
    return query


class PublicClip(BaseModel):
    id: str
    neighborhood: str
    neighborhood_name: str = Field(description='as people know it: "Rundhøj"')
    theme: str
    theme_name: str = Field(description="the theme's title")
    language: str | None = Field(description="the language spoken, as transcribed")
    recorded_on: date = Field(description="the day only")
    text: str = Field(description="as the moderator approved it, personal data hidden")


def public_clip(clip: Clip, named: Names) -> PublicClip:
    return PublicClip(
        id=clip.id,
        neighborhood=clip.neighborhood,
        neighborhood_name=named.neighborhood(clip.neighborhood),
        theme=clip.theme,
        theme_name=named.theme(clip.theme),
        language=clip.language,
        recorded_on=city_day(clip.recorded_at),
        text=clip.published_text or "",
    )


class PublicStep(BaseModel):
    """A dated step of "det gjorde vi": what the city did, where, and the messages it answers."""

    id: int
    stage: StepStage = Field(description="modtaget -> undersøges -> besluttet -> udført")
    happened_on: date = Field(description="the day, in the city's time zone")
    text: str = Field(description="what happened, by a planner (Danish)")
    neighborhood: str | None = Field(description="the neighborhood it concerns; null: the city")
    neighborhood_name: str | None
    quotes: list[PublicClip] = Field(description="the published messages it answers, as published")


def public_steps(
    session: Session, themes: list[str], neighborhood: str | None = None
) -> dict[str, list[PublicStep]]:
    """Each theme's steps, oldest first: all, or (`neighborhood`) that neighborhood's and the
    citywide ones. A linked message shows only while it is public."""
    query = select(ThemeStep).where(ThemeStep.theme.in_(themes))
    if neighborhood is not None:
        query = query.where(
            (ThemeStep.neighborhood == neighborhood) | ThemeStep.neighborhood.is_(None)
        )
    steps = list(session.scalars(query.order_by(ThemeStep.happened_on, ThemeStep.id)))
    found: dict[str, list[PublicStep]] = {slug: [] for slug in themes}
    if not steps:
        return found  # no steps: no further queries
    named = names(session)
    quoted: dict[int, list[PublicClip]] = {}
    linked = session.execute(
        select(StepQuote.step_id, Clip)
        .join(Clip, Clip.id == StepQuote.clip_id)
        .where(StepQuote.step_id.in_([s.id for s in steps]), public(Clip))
        .order_by(Clip.recorded_at, Clip.id)
    )
    for step_id, clip in linked:
        quoted.setdefault(step_id, []).append(public_clip(clip, named))
    for step in steps:
        place = step.neighborhood
        found[step.theme].append(
            PublicStep(
                id=step.id,
                stage=step.stage,
                happened_on=step.happened_on,
                text=step.text,
                neighborhood=place,
                neighborhood_name=named.neighborhood(place) if place else None,
                quotes=quoted.get(step.id, []),
            )
        )
    return found


class PublicPage(BaseModel):
    items: list[PublicClip]
    next_cursor: NextCursor


class PublicCount(BaseModel):
    neighborhood: str
    neighborhood_name: str
    theme: str
    theme_name: str
    received: int = Field(description="spoken messages received, published or not")
    published: int = Field(description="messages a moderator approved for this site")


class PublicWeek(BaseModel):
    week: date = Field(description="its Monday")
    received: int
    published: int


class PublicStats(BaseModel):
    counts: list[PublicCount]
    weeks: list[PublicWeek] = Field(description="the trend: all counts in scope, by week")
    total_received: int
    total_published: int


class PublicTheme(BaseModel):
    slug: str
    title: str
    question: str
    live: bool = Field(description="asked in the booths today")
    starts_on: date | None
    ends_on: date | None
    we_did: str | None = Field(description='"Det sagde I - det gjorde vi", by the city')
    steps: list[PublicStep] = Field(description="what the city did, step by step, oldest first")


@router.get("/clips", response_model=PublicPage, responses={400: {"description": "bad cursor"}})
def public_clips(
    session: SessionDep,
    key: CursorKey,
    neighborhood: SlugFilter = None,
    theme: SlugFilter = None,
    order: Order = "newest",
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    q: Words = None,
) -> PublicPage:
    """Approved messages, as approved; `q` searches their published words (Danish and
    English forms: "cykel" finds cyklen, cykler, cykelsti)."""
    return clips_page(session, key, neighborhood, theme, order, cursor, limit, q, names(session))


def clips_page(
    session: Session,
    key: bytes,
    neighborhood: str | None,
    theme: str | None,
    order: Order,
    cursor: str | None,
    limit: int,
    q: str | None,
    named: Names,
) -> PublicPage:
    """`public_clips` with the names already read (a page of several themes reads them
    once)."""
    query = readable_by_public(select(Clip), session, neighborhood, theme, q)
    page, next_cursor = page_of(session, query, order, cursor, limit, key)
    return PublicPage(items=[public_clip(c, named) for c in page], next_cursor=next_cursor)


@router.get("/stats", response_model=PublicStats)
def public_stats(
    session: SessionDep, neighborhood: SlugFilter = None, theme: SlugFilter = None
) -> PublicStats:
    """How many messages each neighborhood left on each theme (speech only), and the
    trend by week; read from counts kept as clips change (ingest.publish.aggregates).
    Messages received count from the day after: a count that rose as calls came in would
    tell anyone watching it when someone called from a neighborhood."""
    today = received_today(session, neighborhood, theme)
    by_place = [
        (n, t, r - today[n, t], p)
        for n, t, r, p in _counted(
            session, [WeekCount.neighborhood, WeekCount.theme], neighborhood, theme
        )
        if r - today[n, t] > 0 or p > 0
    ]
    by_week = _weeks(session, neighborhood, theme, today)
    named = names(session)
    counts = [
        PublicCount(
            neighborhood=n,
            neighborhood_name=named.neighborhood(n),
            theme=t,
            theme_name=named.theme(t),
            received=r,
            published=p,
        )
        for n, t, r, p in by_place
    ]
    weeks = [PublicWeek(week=w, received=r, published=p) for w, r, p in by_week]
    return PublicStats(
        counts=counts,
        weeks=weeks,
        total_received=sum(c.received for c in counts),
        total_published=sum(c.published for c in counts),
    )


def _counted(
    session: Session, by: list[Any], neighborhood: str | None, theme: str | None
) -> list[Any]:
    """Received and published summed by the columns `by`, in their order; only groups
    with messages."""
    received, published = func.sum(WeekCount.received), func.sum(WeekCount.published)
    return list(
        session.execute(
            scoped(select(*by, received, published), WeekCount, neighborhood, theme)
            .group_by(*by)
            .having(received > 0)
            .order_by(*by)
        )
    )


def _weeks(
    session: Session,
    neighborhood: str | None,
    theme: str | None,
    today: Counter[tuple[str, str]] | None = None,
) -> list[tuple[date, int, int]]:
    """(Monday, received, published) of each week with messages, oldest first; today's
    messages received not yet counted (see public_stats). `today`: `received_today` of a
    wider scope, read once for several themes."""
    this_week = monday(city_today())
    if today is None:
        today = received_today(session, neighborhood, theme)
    received_today_here = sum(
        count
        for (n, t), count in today.items()
        if (not neighborhood or n == neighborhood) and (not theme or t == theme)
    )
    rows = [
        (week, int(r) - (received_today_here if week == this_week else 0), int(p))
        for week, r, p in _counted(session, [WeekCount.week], neighborhood, theme)
    ]
    return [(week, r, p) for week, r, p in rows if r > 0 or p > 0]


def received_today(
    session: Session, neighborhood: str | None, theme: str | None
) -> Counter[tuple[str, str]]:
    """Spoken messages recorded since the city's midnight, by neighborhood and theme, as
    the week counts count them (ingest.publish.aggregates.Share.received)."""
    query = (
        scoped(select(Clip.neighborhood, Clip.theme, func.count()), Clip, neighborhood, theme)
        .where(Clip.recorded_at >= start_of(city_today()))
        .where(Clip.status == ClipStatus.TRANSCRIBED)
        .group_by(Clip.neighborhood, Clip.theme)
    )
    return Counter({(n, t): int(c) for n, t, c in session.execute(query)})


def weeks(
    session: Session,
    neighborhood: str | None,
    theme: str | None,
    today: Counter[tuple[str, str]] | None = None,
) -> list[PublicWeek]:
    """The trend `public_stats` gives, alone."""
    return [
        PublicWeek(week=w, received=r, published=p)
        for w, r, p in _weeks(session, neighborhood, theme, today)
    ]


@router.get(
    "/charts/weeks.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "the chart"}},
)
def weekly_chart(
    session: SessionDep,
    neighborhood: SlugFilter = None,
    theme: SlugFilter = None,
    lang: Literal["da", "en"] = "da",
    size: charts.Size = "wide",
) -> Response:
    """The trend of /public/stats as a bar chart (SVG, drawn here; no script runs in it);
    `narrow` for a phone's width."""
    svg = charts.weekly(_weeks(session, neighborhood, theme), lang, size)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})


class PublicWord(BaseModel):
    word: str = Field(description="the form people used most")
    count: int = Field(description="uses of all its forms (cykel, cyklen, cykler)")
    language: str = Field(description="the language it was counted in (da, en)")


@router.get("/words", response_model=list[PublicWord])
def public_words(
    session: SessionDep,
    neighborhood: SlugFilter = None,
    theme: SlugFilter = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[PublicWord]:
    """The words used most in published messages, stop words and fillers left out; read
    from counts kept as clips are approved (ingest.publish.aggregates)."""
    # The stems used most, then the forms of just those stems, in batches until `limit`
    # stems have a form that counts. Counts kept before a word joined the stop words stay
    # in the table: left out here (in Python: as a SQL NOT IN, its 300 words cost more to
    # bind than the query took), so the list can grow.
    total = func.sum(WordCount.uses)
    ranking = (
        scoped(select(WordCount.language, WordCount.stem), WordCount, neighborhood, theme)
        .group_by(WordCount.language, WordCount.stem)
        .having(total > 0)
        .order_by(total.desc(), WordCount.language, WordCount.stem)
    )
    kept: list[tuple[tuple[str, str, str], int]] = []
    counting: set[tuple[str, str]] = set()
    batch = limit + 20
    for offset in itertools.count(0, batch):
        stems = session.execute(ranking.offset(offset).limit(batch)).all()
        if stems:
            forms = session.execute(
                scoped(
                    select(WordCount.language, WordCount.stem, WordCount.form, total),
                    WordCount,
                    neighborhood,
                    theme,
                )
                .where(tuple_(WordCount.language, WordCount.stem).in_([tuple(s) for s in stems]))
                .group_by(WordCount.language, WordCount.stem, WordCount.form)
            ).all()
            for lang, stem, form, uses in forms:
                if uses > 0 and form not in ignored(lang):
                    kept.append(((lang, stem, form), uses))
                    counting.add((lang, stem))
        if len(stems) < batch or len(counting) >= limit:
            break
    ranked = rank_words(kept, limit)
    language = {form: lang for (lang, _, form), _ in reversed(kept)}
    return [PublicWord(word=w, count=n, language=language.get(w, "da")) for w, n in ranked]


@router.get("/themes", response_model=list[PublicTheme])
def public_themes(session: SessionDep) -> list[PublicTheme]:
    """The questions asked today, and past ones the city has answered."""
    today = city_today()
    themes = list(session.scalars(select(Theme).order_by(Theme.slug)))
    steps = public_steps(session, [t.slug for t in themes])
    return [
        PublicTheme(
            slug=t.slug,
            title=t.title,
            question=t.question,
            live=t.live_on(today),
            starts_on=t.starts_on,
            ends_on=t.ends_on,
            we_did=t.we_did,
            steps=steps[t.slug],
        )
        for t in themes
        if t.live_on(today) or t.we_did or steps[t.slug]
    ]


class PublicPlace(BaseModel):
    neighborhood: str
    booths: int
    places: list[str] = Field(description="where its booths stand, as the city describes them")


@router.get("/places", response_model=list[PublicPlace])
def public_places(session: SessionDep, neighborhood: SlugFilter = None) -> list[PublicPlace]:
    """Each neighborhood's booths: how many, and where they stand (no booth ids)."""
    query = select(Booth.neighborhood, Booth.location).order_by(Booth.neighborhood, Booth.location)
    if neighborhood:
        query = query.where(Booth.neighborhood == neighborhood)
    places: dict[str, PublicPlace] = {}
    for name, location in session.execute(query):
        place = places.setdefault(name, PublicPlace(neighborhood=name, booths=0, places=[]))
        place.booths += 1
        if location and location not in place.places:
            place.places.append(location)
    return list(places.values())
