"""Planner endpoints over clips: list with filters and cursor, one clip, its audio."""

import base64
import binascii
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from ingest.models import Clip
from ingest.routes.deps import ServiceDep, SessionDep
from ingest.schemas import ClipDetail, ClipOut, ClipPage

router = APIRouter(prefix="/api/clips", tags=["clips"])


def _encode_cursor(clip: Clip) -> str:
    raw = f"{clip.received_at.isoformat()}|{clip.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        moment, clip_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1)
        return datetime.fromisoformat(moment), clip_id
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise HTTPException(400, "bad cursor") from exc


@router.get("", response_model=ClipPage)
def list_clips(
    session: SessionDep,
    neighborhood: str | None = None,
    theme: str | None = None,
    booth: str | None = None,
    status: str | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ClipPage:
    """Newest first; pass `next_cursor` back as `cursor` for the next page."""
    query = select(Clip)
    for column, value in (
        (Clip.neighborhood, neighborhood),
        (Clip.theme, theme),
        (Clip.booth_id, booth),
        (Clip.status, status),
    ):
        if value is not None:
            query = query.where(column == value)
    if cursor:
        moment, clip_id = _decode_cursor(cursor)
        query = query.where(
            or_(Clip.received_at < moment, and_(Clip.received_at == moment, Clip.id < clip_id))
        )
    rows = session.scalars(
        query.order_by(Clip.received_at.desc(), Clip.id.desc()).limit(limit + 1)
    ).all()
    page = rows[:limit]
    next_cursor = _encode_cursor(page[-1]) if len(rows) > limit else None
    return ClipPage(items=[ClipOut.of(c) for c in page], next_cursor=next_cursor)


@router.get("/{clip_id}", response_model=ClipDetail, responses={404: {"description": "no clip"}})
def get_clip(clip_id: str, session: SessionDep) -> ClipDetail:
    clip = session.scalar(
        select(Clip).where(Clip.id == clip_id).options(selectinload(Clip.segments))
    )
    if clip is None:
        raise HTTPException(404, "no such clip")
    return ClipDetail.of(clip)


@router.get(
    "/{clip_id}/audio",
    response_class=FileResponse,
    responses={404: {"description": "no clip or no audio"}},
)
def get_audio(clip_id: str, session: SessionDep, service: ServiceDep) -> FileResponse:
    """The stored audio; range requests are honoured so players can seek."""
    clip = session.get(Clip, clip_id)
    if clip is None or clip.audio_key is None:
        raise HTTPException(404, "no audio for this clip")
    path = service.store.path(clip.audio_key)
    if not path.exists():
        raise HTTPException(404, "audio no longer kept")
    return FileResponse(path, media_type=clip.content_type.split(";")[0])
