"""Open data for anyone: the published, redacted messages as CSV and JSON under an open
license, and Atom feeds per neighborhood and per theme.

The CSV is plain RFC 4180 (a header row, then the messages) so spreadsheets read it as it
is; its license and the meaning of each field are in a Frictionless Data Package
(/public/datapackage.json) beside it, and in its Link header.

Only what the public page shows: approved messages as approved, the day they were recorded
(not the time: fewer clues to who called) and no booth ids.
"""

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi import Path as PathParam
from sqlalchemy import select

from ingest.city_time import city_day
from ingest.http.deps import SessionDep
from ingest.http.params import SlugFilter
from ingest.http.routes.export import spreadsheet_safe
from ingest.publish.places import Names, names
from ingest.store.models import Clip
from ingest.store.queries import ordered, readable_by_public
from shared.topics import SLUG_PATTERN

router = APIRouter(prefix="/public", tags=["open data"])

LICENSE = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_LINE = (
    f"Digitalt Nabolag / Digital Neighborhood, {LICENSE} ({LICENSE_URL}): "
    "published, redacted messages from the city's phone booths"
)
FIELDS = {
    "id": ("string", "uuid", "the message's id"),
    "neighborhood": ("string", "default", "the neighborhood's slug (rundhoj)"),
    "neighborhood_name": ("string", "default", "the neighborhood's name (Rundhøj)"),
    "theme": ("string", "default", "the theme's slug"),
    "theme_name": ("string", "default", "the theme's title"),
    "recorded_on": ("date", "default", "the day it was said, in the city (no time of day)"),
    "language": ("string", "default", "the language spoken (ISO 639-1), if known"),
    "text": ("string", "default", "as a moderator approved it, personal data hidden"),
}
ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def _published(
    session: SessionDep, neighborhood: str | None, theme: str | None, limit: int | None = None
) -> list[Clip]:
    query = ordered(readable_by_public(select(Clip), session, neighborhood, theme), "newest")
    return list(session.scalars(query.limit(limit) if limit else query))


def _record(clip: Clip, named: Names) -> dict[str, Any]:
    return {
        "id": clip.id,
        "neighborhood": clip.neighborhood,
        "neighborhood_name": named.neighborhood(clip.neighborhood),
        "theme": clip.theme,
        "theme_name": named.theme(clip.theme),
        "recorded_on": city_day(clip.recorded_at).isoformat(),
        "language": clip.language,
        "text": clip.published_text or "",
    }


@router.get(
    "/open-data.{fmt}",
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}},
    response_class=Response,
)
def open_data(
    fmt: Literal["csv", "json"],
    session: SessionDep,
    neighborhood: SlugFilter = None,
    theme: SlugFilter = None,
) -> Response:
    """Every published message (newest first), with the license it is given under."""
    named = names(session)
    records = [_record(clip, named) for clip in _published(session, neighborhood, theme)]
    headers = {
        "Link": f'<{LICENSE_URL}>; rel="license", </public/datapackage.json>; rel="describedby"',
        "Content-Disposition": f'inline; filename="digitalt-nabolag.{fmt}"',
    }
    if fmt == "json":
        body = {"license": LICENSE, "license_url": LICENSE_URL, "about": LICENSE_LINE}
        content = json.dumps({**body, "messages": records}, ensure_ascii=False, indent=1)
        return Response(content, media_type="application/json", headers=headers)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(FIELDS))
    writer.writeheader()
    for record in records:
        writer.writerow({k: spreadsheet_safe(v) for k, v in record.items()})
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/datapackage.json")
def data_package() -> dict[str, Any]:
    """What the open data is, its license and each field (Frictionless Data Package 1.0)."""
    schema = {
        "fields": [
            {"name": name, "type": kind, "format": fmt, "description": about}
            for name, (kind, fmt, about) in FIELDS.items()
        ],
        "primaryKey": "id",
    }
    return {
        "name": "digitalt-nabolag",
        "title": "Digitalt Nabolag / Digital Neighborhood",
        "description": LICENSE_LINE,
        "licenses": [{"name": "CC-BY-4.0", "path": LICENSE_URL, "title": LICENSE}],
        "resources": [
            {
                "name": "messages",
                "path": "open-data.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        ],
    }


@router.get(
    "/feeds/{kind}/{slug}.atom",
    responses={200: {"content": {"application/atom+xml": {}}}, 404: {"description": "unknown"}},
    response_class=Response,
)
def feed(
    kind: Literal["neighborhood", "theme"],
    slug: Annotated[str, PathParam(pattern=SLUG_PATTERN)],
    session: SessionDep,
    request: Request,
) -> Response:
    """The newest published messages of one neighborhood or one theme (Atom, RFC 4287);
    a neighborhood or theme nobody knows is a 404, not an empty feed."""
    named = names(session)
    known = named.neighborhoods if kind == "neighborhood" else named.themes
    if slug not in known:
        raise HTTPException(404, "Bydelen eller temaet findes ikke. / No such feed.")
    clips = _published(
        session,
        slug if kind == "neighborhood" else None,
        slug if kind == "theme" else None,
        FEED_SIZE,
    )
    base = str(request.base_url).rstrip("/")
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "da"})
    label = "Bydel" if kind == "neighborhood" else "Tema"
    _text(root, "title", f"Digitalt Nabolag: {label} {known[slug]}")
    _text(root, "id", f"{base}/public/feeds/{kind}/{slug}.atom")
    _text(root, "rights", LICENSE_LINE)
    updated = max((_day_of(c) for c in clips), default=date(2026, 1, 1))
    _text(root, "updated", _atom_day(updated))
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "href": f"{base}{request.url.path}"})
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "alternate", "href": f"{base}/"})
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", "Digitalt Nabolag")
    for clip in clips:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        text = clip.published_text or ""
        _text(entry, "id", f"urn:uuid:{clip.id}")
        _text(entry, "title", _title(text))
        _text(entry, "updated", _atom_day(_day_of(clip)))
        _text(entry, "content", text).set("type", "text")
        for term, label in (
            (clip.theme, named.theme(clip.theme)),
            (clip.neighborhood, named.neighborhood(clip.neighborhood)),
        ):
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": term, "label": label})
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def _day_of(clip: Clip) -> date:
    """The day a message was published (recorded, if older): the day only, as everywhere
    public; an exact approval time would date the call."""
    return city_day(clip.published_at or clip.recorded_at)


def _atom_day(day: date) -> str:
    # Atom dates are RFC 3339 date-times; midnight (UTC) says "that day" and nothing more.
    return f"{day.isoformat()}T00:00:00Z"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    node.text = text
    return node


def _title(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
