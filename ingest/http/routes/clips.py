"""Planner endpoints over clips: find, read, listen, correct, moderate."""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Response
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from ingest.http.deps import (
    AUTH_ERRORS,
    CursorKey,
    Moderator,
    Reader,
    ServiceDep,
    SessionDep,
)
from ingest.http.params import ClipId, Cursor, Filters
from ingest.http.schemas import (
    ClipDetail,
    ClipOut,
    ClipPage,
    Conflict,
    ModerationIn,
    QueueCounts,
    ReviewIn,
    ReviewOut,
    Stale,
    TranscriptCorrection,
    VersionOut,
)
from ingest.language.redaction import Span
from ingest.review.audit import record
from ingest.review.moderation import (
    BadSpans,
    approve,
    review,
    set_spans,
    version_of,
    withdraw,
)
from ingest.store.models import Clip, Moderation, TranscriptVersion
from ingest.store.queries import Order, page_of
from ingest.transcribe.transcripts import record_correction

router = APIRouter(prefix="/api/clips", tags=["clips"], responses=AUTH_ERRORS)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such clip"}}
STALE: dict[int | str, dict[str, Any]] = {
    409: {"model": Stale, "description": "the clip changed since the version sent"}
}
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description="the clip's version (ETag) this write is based on"),
]


def _clip(session: Session, clip_id: str, for_update: bool = False) -> Clip:
    """The clip; a writer holds its row until commit, so two writes based on one version
    cannot both pass the version check."""
    query = select(Clip).where(Clip.id == clip_id).options(selectinload(Clip.segments))
    if for_update and session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks: an update that changes nothing takes the database's write
        # lock now, so other writers wait for this one's commit before they read the clip.
        touch = update(Clip).where(Clip.id == clip_id).values(id=Clip.id)
        session.execute(touch, execution_options={"synchronize_session": False})
    clip = session.scalar(query.with_for_update() if for_update else query)
    if clip is None:
        raise HTTPException(404, "no such clip")
    return clip


def _based_on(clip: Clip, version: str | None, if_match: str | None) -> None:
    """Refuse a write based on another version than the clip's (optimistic locking, RFC
    9110 If-Match); a write naming no version is taken as meant for whatever is there."""
    now = version_of(clip)
    if version is not None:
        sent = [version]
    elif if_match is not None:
        # Strong comparison (RFC 9110 13.1.1): a weak tag never matches.
        sent = [tag.strip().strip('"') for tag in if_match.split(",") if "W/" not in tag]
    else:
        return
    if now in sent or "*" in sent:
        return
    conflict = Conflict(
        message="the message changed since you opened it",
        version=now,
        text=clip.text,
        moderation=clip.moderation,
        published_text=clip.published_text,
    )
    raise HTTPException(409, conflict.model_dump(), {"ETag": f'"{now}"'})


def _tagged(response: Response, clip: Clip) -> None:
    response.headers["ETag"] = f'"{version_of(clip)}"'


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


@router.get("/counts", response_model=QueueCounts)
def queue_counts(session: SessionDep, _who: Reader) -> QueueCounts:
    """How many messages wait in each moderation state."""
    rows = session.execute(select(Clip.moderation, func.count()).group_by(Clip.moderation))
    counts = {state: 0 for state in QueueCounts.model_fields}
    counts.update({state: n for state, n in rows if state in counts})
    return QueueCounts(**counts)


@router.get("/{clip_id}", response_model=ClipDetail, responses=NOT_FOUND)
def get_clip(clip_id: ClipId, session: SessionDep, who: Reader, response: Response) -> ClipDetail:
    clip = _clip(session, clip_id)
    _tagged(response, clip)
    return ClipDetail.of(clip, who.is_admin)


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


@router.put("/{clip_id}/transcript", response_model=ClipDetail, responses={**NOT_FOUND, **STALE})
def correct_transcript(
    clip_id: ClipId,
    body: TranscriptCorrection,
    session: SessionDep,
    who: Moderator,
    response: Response,
    if_match: IfMatch = None,
) -> ClipDetail:
    """A moderator's correction: they see the raw text it rewrites. The model's text and
    every earlier correction stay in the history; the same text again changes nothing."""
    clip = _clip(session, clip_id, for_update=True)
    _based_on(clip, body.version, if_match)
    if record_correction(session, clip, body.text, who.name):
        record(session, who, "correct", clip.id, {"length": len(body.text)})
    session.commit()
    _tagged(response, clip)
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
def get_review(
    clip_id: ClipId, session: SessionDep, who: Moderator, response: Response
) -> ReviewOut:
    """The raw transcript with its personal data marked, the text approval publishes, and
    the possible names left visible (`suspects`, `suspect_count`) for the moderator to check.
    Audited: it is a read of the raw text."""
    clip = _clip(session, clip_id)
    record(session, who, "read_raw", clip.id)
    session.commit()
    _tagged(response, clip)
    return ReviewOut.of(clip, review(clip))


@router.put(
    "/{clip_id}/review",
    response_model=ReviewOut,
    responses={**NOT_FOUND, **STALE, 422: {"description": "a span lies outside the text"}},
)
def put_review(
    clip_id: ClipId,
    body: ReviewIn,
    session: SessionDep,
    who: Moderator,
    response: Response,
    if_match: IfMatch = None,
) -> ReviewOut:
    """Replace the spans to hide: add what redaction missed, remove what it over-hid."""
    clip = _clip(session, clip_id, for_update=True)
    _based_on(clip, body.version, if_match)
    try:
        set_spans(clip, [Span(s.start, s.end, s.kind) for s in body.spans])
    except BadSpans as exc:
        raise HTTPException(422, str(exc)) from exc
    if clip.moderation == Moderation.APPROVED:  # what is public must be what was reviewed
        withdraw(clip, Moderation.PENDING)
    record(session, who, "spans", clip.id, {"spans": len(body.spans)})
    session.commit()
    _tagged(response, clip)
    return ReviewOut.of(clip, review(clip))


_STATES = {
    "hide": Moderation.HIDDEN,
    "flag": Moderation.FLAGGED,
    "needs_correction": Moderation.NEEDS_CORRECTION,
    "reset": Moderation.PENDING,
}


@router.post(
    "/{clip_id}/moderation",
    response_model=ClipOut,
    responses={
        **NOT_FOUND,
        409: {
            "model": Stale,
            "description": "the clip changed since the version sent, or an approval of a "
            "clip with no text",
        },
    },
)
def moderate(
    clip_id: ClipId,
    body: ModerationIn,
    session: SessionDep,
    who: Moderator,
    response: Response,
    if_match: IfMatch = None,
) -> ClipOut:
    """Approve (publishes the reviewed text shown by GET .../review), hide, flag for a
    second look, send back for a correction, or reset; audited."""
    clip = _clip(session, clip_id, for_update=True)
    _based_on(clip, body.version, if_match)
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
    _tagged(response, clip)
    return ClipOut.of(clip, who.is_admin)
