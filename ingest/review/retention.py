"""Forgetting on time and on request: audio past its retention, and erasure by receipt."""

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session, sessionmaker

from ingest.review.audit import record
from ingest.review.moderation import redacted_segments, redacted_version, review
from ingest.store.audio import AudioStore
from ingest.store.models import Clip, ErasedClip, StepQuote, TranscriptVersion
from shared.clip import receipt_hash

log = logging.getLogger(__name__)


# Clips per transaction: a purge after a long pause (or a shortened retention) touches
# many clips; small transactions keep row locks short and a failure's rollback small.
PURGE_BATCH = 200


def _received_before(
    session: Session, days: int, *where: ColumnElement[bool], limit: int = PURGE_BATCH
) -> list[Clip]:
    cutoff = datetime.now(UTC) - timedelta(days=days)
    query = select(Clip).where(Clip.received_at < cutoff, *where).order_by(Clip.received_at)
    return list(session.scalars(query.limit(limit)))


def purge_expired_audio(
    sessions: sessionmaker[Session], store: AudioStore, days: int, batch: int = PURGE_BATCH
) -> int:
    """Delete the audio of clips received more than `days` ago; transcripts stay. In
    transactions of at most `batch` clips."""

    def delete_audio(session: Session, clip: Clip) -> None:
        store.delete(clip.audio_key or "")
        clip.audio_deleted_at = datetime.now(UTC)
        record(session, "retention", "delete_audio", clip.id, {"days": days})

    waiting = (Clip.audio_key.is_not(None), Clip.audio_deleted_at.is_(None))
    purged = _in_batches(sessions, days, waiting, delete_audio, batch)
    if purged:
        log.info("deleted the audio of %d clip(s) older than %d days", purged, days)
    return purged


def purge_raw_text(sessions: sessionmaker[Session], days: int, batch: int = PURGE_BATCH) -> int:
    """Past `days`, a clip keeps only its redacted text: the raw transcript, its segments
    and its history are redacted in place (the spans a moderator set are applied). In
    transactions of at most `batch` clips."""
    raw = (Clip.text.is_not(None), Clip.raw_text_purged_at.is_(None))
    purged = _in_batches(
        sessions, days, raw, lambda session, clip: _keep_redacted(session, clip, days), batch
    )
    if purged:
        log.info("kept only the redacted text of %d clip(s) older than %d days", purged, days)
    return purged


def _in_batches(
    sessions: sessionmaker[Session],
    days: int,
    where: tuple[ColumnElement[bool], ...],
    act: Callable[[Session, Clip], None],
    batch: int,
) -> int:
    """`act` on every clip received more than `days` ago that matches `where`, in
    transactions of at most `batch` clips (acting takes a clip out of `where`); how many."""
    done = 0
    while True:
        with sessions.begin() as session:
            clips = _received_before(session, days, *where, limit=batch)
            for clip in clips:
                act(session, clip)
        done += len(clips)
        if len(clips) < batch:
            return done


def _keep_redacted(session: Session, clip: Clip, days: int) -> None:
    # Segments and history first: they are redacted by the rule of the raw text.
    for segment, text in zip(clip.segments, redacted_segments(clip), strict=True):
        segment.text = text
    for version in session.scalars(
        select(TranscriptVersion).where(TranscriptVersion.clip_id == clip.id)
    ):
        version.text = redacted_version(clip, version)
    clip.text = review(clip).published
    clip.redactions = []
    clip.raw_text_purged_at = datetime.now(UTC)
    record(session, "retention", "purge_raw_text", clip.id, {"days": days})


def find_by_receipt(session: Session, receipt: str, booth_id: str | None) -> list[Clip]:
    query = select(Clip).where(Clip.receipt_hash == receipt_hash(receipt))
    if booth_id:
        query = query.where(Clip.booth_id == booth_id)
    return list(session.scalars(query))


def erase(session: Session, store: AudioStore, clip: Clip, actor: str) -> None:
    """Remove a clip's audio, text, segments, history and the timeline steps' links to it;
    the audit keeps that it happened, and a tombstone keeps a booth that delivers it again
    from bringing it back."""
    if clip.audio_key:
        store.delete(clip.audio_key)
    # The foreign key cascades as well; said here so erasure reads as all it removes.
    session.execute(delete(StepQuote).where(StepQuote.clip_id == clip.id))
    session.merge(ErasedClip(clip_id=clip.id, erased_at=datetime.now(UTC)))
    record(
        session,
        actor,
        "erase",
        clip.id,
        {"booth_id": clip.booth_id, "recorded_at": clip.recorded_at.isoformat()},
    )
    session.delete(clip)
