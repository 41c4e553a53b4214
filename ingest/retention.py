"""Forgetting on time and on request: audio past its retention, and erasure by receipt."""

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ingest.audit import record
from ingest.models import Clip
from ingest.storage import AudioStore
from shared.clip import receipt_hash

log = logging.getLogger(__name__)


def purge_expired_audio(sessions: sessionmaker[Session], store: AudioStore, days: int) -> int:
    """Delete the audio of clips received more than `days` ago; transcripts stay."""
    cutoff = datetime.now(UTC) - timedelta(days=days)
    purged = 0
    with sessions.begin() as session:
        clips = session.scalars(
            select(Clip).where(
                Clip.received_at < cutoff,
                Clip.audio_key.is_not(None),
                Clip.audio_deleted_at.is_(None),
            )
        ).all()
        for clip in clips:
            store.delete(clip.audio_key or "")
            clip.audio_deleted_at = datetime.now(UTC)
            record(session, "retention", "delete_audio", clip.id, {"days": days})
            purged += 1
    if purged:
        log.info("deleted the audio of %d clip(s) older than %d days", purged, days)
    return purged


def find_by_receipt(session: Session, receipt: str, booth_id: str | None) -> list[Clip]:
    query = select(Clip).where(Clip.receipt_hash == receipt_hash(receipt))
    if booth_id:
        query = query.where(Clip.booth_id == booth_id)
    return list(session.scalars(query))


def erase(session: Session, store: AudioStore, clip: Clip, actor: str) -> None:
    """Remove a clip's audio, text, segments and history; the audit keeps that it happened."""
    if clip.audio_key:
        store.delete(clip.audio_key)
    record(
        session,
        actor,
        "erase",
        clip.id,
        {"booth_id": clip.booth_id, "recorded_at": clip.recorded_at.isoformat()},
    )
    session.delete(clip)
