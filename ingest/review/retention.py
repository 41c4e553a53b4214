"""Forgetting on time and on request: audio past its retention, and erasure by receipt."""

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, sessionmaker

from ingest.review.audit import record
from ingest.review.moderation import redacted_segments, redacted_version, review
from ingest.store.audio import AudioStore
from ingest.store.models import Clip, ErasedClip, TranscriptVersion
from shared.clip import receipt_hash

log = logging.getLogger(__name__)


def _received_before(session: Session, days: int, *where: ColumnElement[bool]) -> list[Clip]:
    cutoff = datetime.now(UTC) - timedelta(days=days)
    return list(session.scalars(select(Clip).where(Clip.received_at < cutoff, *where)))


def purge_expired_audio(sessions: sessionmaker[Session], store: AudioStore, days: int) -> int:
    """Delete the audio of clips received more than `days` ago; transcripts stay."""
    purged = 0
    with sessions.begin() as session:
        waiting = (Clip.audio_key.is_not(None), Clip.audio_deleted_at.is_(None))
        for clip in _received_before(session, days, *waiting):
            store.delete(clip.audio_key or "")
            clip.audio_deleted_at = datetime.now(UTC)
            record(session, "retention", "delete_audio", clip.id, {"days": days})
            purged += 1
    if purged:
        log.info("deleted the audio of %d clip(s) older than %d days", purged, days)
    return purged


def purge_raw_text(sessions: sessionmaker[Session], days: int) -> int:
    """Past `days`, a clip keeps only its redacted text: the raw transcript, its segments
    and its history are redacted in place (the spans a moderator set are applied)."""
    purged = 0
    with sessions.begin() as session:
        raw = (Clip.text.is_not(None), Clip.raw_text_purged_at.is_(None))
        for clip in _received_before(session, days, *raw):
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
            purged += 1
    if purged:
        log.info("kept only the redacted text of %d clip(s) older than %d days", purged, days)
    return purged


def find_by_receipt(session: Session, receipt: str, booth_id: str | None) -> list[Clip]:
    query = select(Clip).where(Clip.receipt_hash == receipt_hash(receipt))
    if booth_id:
        query = query.where(Clip.booth_id == booth_id)
    return list(session.scalars(query))


def erase(session: Session, store: AudioStore, clip: Clip, actor: str) -> None:
    """Remove a clip's audio, text, segments and history; the audit keeps that it happened,
    and a tombstone keeps a booth that delivers it again from bringing it back."""
    if clip.audio_key:
        store.delete(clip.audio_key)
    session.merge(ErasedClip(clip_id=clip.id, erased_at=datetime.now(UTC)))
    record(
        session,
        actor,
        "erase",
        clip.id,
        {"booth_id": clip.booth_id, "recorded_at": clip.recorded_at.isoformat()},
    )
    session.delete(clip)
