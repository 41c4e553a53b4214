"""Running stored audio through another model (a city upgrades to a better Danish model)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ingest.store.audio import AudioStore
from ingest.store.models import Clip, ClipStatus
from ingest.store.queries import ClipFilter
from ingest.transcribe.transcriber import Transcriber
from ingest.transcribe.transcripts import record_transcript
from ingest.transcribe.worker import speech_map

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Selection:
    neighborhood: str | None = None
    theme: str | None = None
    booth: str | None = None
    status: str | None = None


def retranscribe(
    sessions: sessionmaker[Session],
    store: AudioStore,
    transcriber: Transcriber,
    selection: Selection,
    language_for: Callable[[str, str], str | None] = lambda _theme, _neighborhood: None,
) -> dict[str, int]:
    """Transcribe every selected clip that still has audio; earlier texts stay in history."""
    query = select(Clip.id).where(Clip.audio_key.is_not(None), Clip.audio_deleted_at.is_(None))
    where = ClipFilter(
        neighborhood=selection.neighborhood,
        theme=selection.theme,
        booth=selection.booth,
        status=selection.status,  # type: ignore[arg-type]
    )
    with sessions() as session:
        ids = list(session.scalars(where.apply(query, session).order_by(Clip.recorded_at)))
    counts = {"done": 0, "failed": 0, "no_speech": 0}
    for clip_id in ids:
        with sessions.begin() as session:
            clip = session.get(Clip, clip_id)
            if clip is None or clip.audio_key is None:
                continue
            language = language_for(clip.theme, clip.neighborhood)
            try:
                with store.local_file(clip.audio_key) as audio:
                    transcript = transcriber.transcribe(audio, language, speech_map(clip))
            except Exception as exc:
                counts["failed"] += 1
                log.error("clip %s: %s", clip_id, exc)
                continue
            status = record_transcript(session, clip, transcript)
            counts["no_speech" if status == ClipStatus.NO_SPEECH else "done"] += 1
    return counts
