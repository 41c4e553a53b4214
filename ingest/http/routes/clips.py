"""Planner endpoints over clips: find, read, listen, correct, moderate."""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ingest.http.deps import (
    AUTH_ERRORS,
    CursorKey,
    Moderator,
    Planner,
    Reader,
    ServiceDep,
    SessionDep,
)
from ingest.http.params import ClipId, Cursor, Filters
from ingest.http.schemas import (
    ClipDetail,
    ClipOut,
    ClipPage,
    ModerationIn,
    ReviewIn,
    ReviewOut,
    TranscriptCorrection,
    VersionOut,
)
from ingest.language.redaction import Span
from ingest.review.audit import record
from ingest.review.moderation import BadSpans, approve, review, set_spans, withdraw
from ingest.store.models import Clip, Moderation, TranscriptVersion
from ingest.store.queries import Order, page_of
from ingest.transcribe.transcripts import record_correction

router = APIRouter(prefix="/api/clips", tags=["clips"], responses=AUTH_ERRORS)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such clip"}}


def _clip(session: Session, clip_id: str) -> Clip:
    clip = session.scalar(
        select(Clip).where(Clip.id == clip_id).options(selectinload(Clip.segments))
    )
    if clip is None:
        raise HTTPException(404, "no such clip")
    return clip


@router.get("", response_model=ClipPage, responses={400: {"description": "bad cursor"}})
def list_clips(
    session: SessionDep,
    key: CursorKey,
    who: Reader,
    where: Filters,
    order: Order = "newest",
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ClipPage:
    """Clips matching every filter given; pass `next_cursor` back as `cursor` for more."""
    page, next_cursor = page_of(
        session,
        where.apply(select(Clip), session, reading="raw" if who.searches_raw else "redacted"),
        order,
        cursor,
        limit,
        key,
    )
    return ClipPage(items=[ClipOut.of(c, who.is_admin) for c in page], next_cursor=next_cursor)


@router.get("/{clip_id}", response_model=ClipDetail, responses=NOT_FOUND)
def get_clip(clip_id: ClipId, session: SessionDep, who: Reader) -> ClipDetail:
    return ClipDetail.of(_clip(session, clip_id), who.is_admin)


@router.get(
    "/{clip_id}/audio",
    response_class=Response,
    responses={
        200: {"content": {"audio/ogg": {}, "audio/flac": {}}},
        206: {"description": "the byte range asked for"},
        404: {"description": "no clip, or its audio is no longer kept"},
        416: {"description": "a range outside the audio"},
    },
)
def get_audio(
    clip_id: ClipId,
    session: SessionDep,
    service: ServiceDep,
    who: Reader,
    range_header: Annotated[str | None, Header(alias="Range")] = None,
) -> Response:
    """The recorded audio, from the local store or the bucket; a range request
    (`Range: bytes=a-b`) is honoured so players can seek. Listening is audited: a caller's
    voice is personal data."""
    clip = session.get(Clip, clip_id)
    if clip is None or clip.audio_key is None or clip.audio_deleted_at is not None:
        raise HTTPException(404, "no audio for this clip")
    size = service.store.size(clip.audio_key)
    if size is None:
        raise HTTPException(404, "no audio for this clip")
    media = clip.content_type.split(";")[0]
    span = _byte_range(range_header, size)
    record(session, who, "listen", clip.id)
    session.commit()
    headers = {"Accept-Ranges": "bytes"}
    if span is None:
        return Response(service.store.read(clip.audio_key), media_type=media, headers=headers)
    start, end = span
    headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    body = service.store.read(clip.audio_key, start, end)
    return Response(body, status_code=206, media_type=media, headers=headers)


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """[start, end) of a single `bytes=` range; None for the whole file. Several ranges are
    answered with the whole file, as RFC 9110 allows."""
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", (header or "").strip())
    if match is None or not any(match.groups()):
        return None
    first, last = match.groups()
    if first:
        start = int(first)
        end = min(size, int(last) + 1) if last else size
    else:  # the last N bytes
        start, end = max(0, size - int(last)), size
    if start >= size or end <= start:
        raise HTTPException(
            416, "range not satisfiable", headers={"Content-Range": f"bytes */{size}"}
        )
    return start, end


@router.put("/{clip_id}/transcript", response_model=ClipDetail, responses=NOT_FOUND)
def correct_transcript(
    clip_id: ClipId, body: TranscriptCorrection, session: SessionDep, who: Planner
) -> ClipDetail:
    """A planner's correction. The model's text and every earlier correction stay in the
    history."""
    clip = _clip(session, clip_id)
    record_correction(session, clip, body.text, who.name)
    record(session, who, "correct", clip.id, {"length": len(body.text)})
    session.commit()
    return ClipDetail.of(clip, who.is_admin)


@router.get("/{clip_id}/history", response_model=list[VersionOut], responses=NOT_FOUND)
def transcript_history(clip_id: ClipId, session: SessionDep, who: Reader) -> list[VersionOut]:
    clip = _clip(session, clip_id)
    versions = session.scalars(
        select(TranscriptVersion)
        .where(TranscriptVersion.clip_id == clip.id)
        .order_by(TranscriptVersion.id)
    )
    return [VersionOut.of(v, who.is_admin, clip) for v in versions]


@router.get("/{clip_id}/review", response_model=ReviewOut, responses=NOT_FOUND)
def get_review(clip_id: ClipId, session: SessionDep, who: Moderator) -> ReviewOut:
    """The raw transcript with its personal data marked, and the text approval publishes.
    Audited: it is a read of the raw text."""
    clip = _clip(session, clip_id)
    record(session, who, "read_raw", clip.id)
    session.commit()
    return ReviewOut.of(clip, review(clip))


@router.put(
    "/{clip_id}/review",
    response_model=ReviewOut,
    responses={**NOT_FOUND, 422: {"description": "a span lies outside the text"}},
)
def put_review(clip_id: ClipId, body: ReviewIn, session: SessionDep, who: Moderator) -> ReviewOut:
    """Replace the spans to hide: add what redaction missed, remove what it over-hid."""
    clip = _clip(session, clip_id)
    try:
        set_spans(clip, [Span(s.start, s.end, s.kind) for s in body.spans])
    except BadSpans as exc:
        raise HTTPException(422, str(exc)) from exc
    if clip.moderation == Moderation.APPROVED:  # what is public must be what was reviewed
        withdraw(clip, Moderation.PENDING)
    record(session, who, "spans", clip.id, {"spans": len(body.spans)})
    session.commit()
    return ReviewOut.of(clip, review(clip))


_STATES = {
    "hide": Moderation.HIDDEN,
    "flag": Moderation.FLAGGED,
    "reset": Moderation.PENDING,
}


@router.post(
    "/{clip_id}/moderation",
    response_model=ClipOut,
    responses={**NOT_FOUND, 409: {"description": "only a transcribed clip can be approved"}},
)
def moderate(clip_id: ClipId, body: ModerationIn, session: SessionDep, who: Moderator) -> ClipOut:
    """Approve (publishes the reviewed text shown by GET .../review), hide, flag for a
    second look, or reset; audited."""
    clip = _clip(session, clip_id)
    before = clip.moderation
    if body.action == "approve":
        if not clip.text:
            raise HTTPException(409, "only a transcribed clip can be approved")
        approve(clip)
    else:
        withdraw(clip, _STATES[body.action])
    record(
        session,
        who,
        body.action,
        clip.id,
        {"from": before, "to": clip.moderation, "reason": body.reason},
    )
    session.commit()
    return ClipOut.of(clip, who.is_admin)
