"""Exports of any filtered selection: CSV, JSON or NDJSON, streamed.

By default only approved clips, with the text as approved. Admins may ask for everything
(`include=all`) and for raw text (`raw=true`). Every export is audited. CSV cells that a
spreadsheet would run as a formula are neutralised (OWASP: a leading ', before = + - @,
tab or carriage return).
"""

import csv
import io
import json
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, HTTPException
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from ingest.http.deps import AUTH_ERRORS, Planner, ServiceDep, SessionDep
from ingest.http.params import Filters
from ingest.http.schemas import shown_clip_text
from ingest.publish.places import Names, names
from ingest.review.audit import record
from ingest.store.models import Clip, Moderation
from ingest.store.queries import ordered

router = APIRouter(prefix="/api/export", tags=["export"], responses=AUTH_ERRORS)

FIELDS = (
    "id",
    "booth_id",
    "neighborhood",
    "neighborhood_name",
    "theme",
    "theme_title",
    "recorded_at",
    "duration_s",
    "language",
    "status",
    "moderation",
    "text",
)
MEDIA = {"csv": "text/csv", "json": "application/json", "ndjson": "application/x-ndjson"}


def row(clip: Clip, raw: bool, named: Names) -> dict[str, Any]:
    return {
        "id": clip.id,
        "booth_id": clip.booth_id,
        "neighborhood": clip.neighborhood,
        "neighborhood_name": named.neighborhood(clip.neighborhood),  # "Rundhøj" for rundhoj
        "theme": clip.theme,
        "theme_title": named.theme(clip.theme),
        "recorded_at": clip.recorded_at.isoformat(),
        "duration_s": clip.duration_ms / 1000,
        "language": clip.language,
        "status": clip.status,
        "moderation": clip.moderation,
        "text": (clip.text if raw else clip.published_text or shown_clip_text(clip, False)) or "",
    }


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made plain text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@router.get(
    "",
    response_class=StreamingResponse,
    responses={
        200: {"content": {m: {} for m in MEDIA.values()}, "description": "the selection"},
        403: {"description": "only admins may export unapproved clips or raw text"},
    },
)
def export(
    service: ServiceDep,
    session: SessionDep,
    who: Planner,
    where: Filters,
    format: Literal["csv", "json", "ndjson"] = "csv",
    include: Literal["approved", "all"] = "approved",
    raw: bool = False,
) -> StreamingResponse:
    if (include == "all" or raw) and not who.is_admin:
        raise HTTPException(403, "only admins may export unapproved clips or raw text")
    detail: dict[str, object] = {
        "format": format,
        "include": include,
        "raw": raw,
        "filters": where.given(),
    }
    record(session, who, "export", None, detail)
    session.commit()

    def rows() -> Iterator[dict[str, Any]]:
        # A session of its own: the stream outlives the request's dependencies.
        with service.sessions() as session:
            named = names(session)
            query = where.apply(select(Clip), session, reading="raw" if raw else "redacted")
            if include == "approved":
                query = query.where(Clip.moderation == Moderation.APPROVED)
            for clip in session.scalars(ordered(query, "oldest").execution_options(yield_per=500)):
                yield row(clip, raw, named)

    body = {"csv": _csv, "json": _json, "ndjson": _ndjson}[format](rows())
    filename = f"clips.{format}"
    return StreamingResponse(
        body,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _csv(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for item in rows:
        writer.writerow({key: spreadsheet_safe(value) for key, value in item.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _ndjson(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    for item in rows:
        yield json.dumps(item, ensure_ascii=False) + "\n"


def _json(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield "["
    for n, item in enumerate(rows):
        yield ("," if n else "") + json.dumps(item, ensure_ascii=False)
    yield "]"
