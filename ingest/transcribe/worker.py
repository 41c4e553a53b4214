"""Transcription workers: take clips from the database-backed queue, store their transcripts."""

import contextlib
import logging
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from ingest import metrics
from ingest.errors import IngestError
from ingest.settings import IngestSettings
from ingest.store.audio import AudioStore
from ingest.store.models import Clip, ClipStatus
from ingest.transcribe.transcriber import Transcriber, Transcript
from ingest.transcribe.transcripts import record_transcript
from shared.clip import SpeechMap, parse_speech_map
from shared.errors import ProtocolError

log = logging.getLogger(__name__)


ANY = "any"  # in INGEST_TRANSCRIBE_LANGUAGES: clips whose language is not known


def languages_taken(configured: list[str] | None, multilingual: bool) -> list[str] | None:
    """The clip languages a worker takes; None for all. An English-only model takes English
    and unknown clips unless told otherwise: it cannot transcribe Danish."""
    if configured is not None:
        return configured
    return None if multilingual else ["en", ANY]


class TranscriptionWorker:
    def __init__(
        self,
        settings: IngestSettings,
        sessions: sessionmaker[Session],
        store: AudioStore,
        transcriber: Transcriber,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.store = store
        self.transcriber = transcriber
        self.wakeup = threading.Event()
        self.takes = languages_taken(settings.transcribe_languages, transcriber.multilingual)
        log.info("transcribing clips in %s", "any language" if self.takes is None else self.takes)

    def run(self, stop: threading.Event, idle_wait_s: float = 1.0) -> None:
        while not stop.is_set():
            try:
                worked = self.work_once()
            except Exception:
                log.exception("transcription worker hit an error; going on")
                worked = False
            if not worked:
                self.wakeup.wait(idle_wait_s)
                self.wakeup.clear()

    def work_once(self) -> bool:
        """Transcribe what waits, up to a batch; False when the queue is empty."""
        claimed: list[Clip] = []
        while len(claimed) < self.settings.whisper_batch_size and (clip := self.claim()):
            claimed.append(clip)
        if not claimed:
            return False
        with contextlib.ExitStack() as files:  # local copies when the audio is in a bucket
            try:
                paths = [
                    files.enter_context(self.store.local_file(c.audio_key or "")) for c in claimed
                ]
            except Exception as exc:  # the store unreachable: the claims expire, tried again
                log.error("audio store: %s", exc)
                return False
            jobs = [(path, self.language_for(c)) for path, c in zip(paths, claimed, strict=True)]
            maps = [speech_map(c) for c in claimed]
            if len(claimed) == 1:
                try:
                    results: list[Transcript | Exception] = [
                        self.transcriber.transcribe(*jobs[0], speech=maps[0])
                    ]
                except Exception as exc:
                    results = [exc]
            else:
                batch = self.transcriber.transcribe_many(
                    jobs, self.settings.whisper_batch_size, speech=maps
                )
                results = list(batch)
        for clip, result in zip(claimed, results, strict=True):
            if isinstance(result, Exception):
                self._fail(clip, result)
            else:
                self._finish(clip, result)
        return True

    def claim(self) -> Clip | None:
        now = datetime.now(UTC)
        waiting = or_(
            (Clip.status == ClipStatus.RECEIVED)
            & or_(Clip.next_attempt_at.is_(None), Clip.next_attempt_at <= now),
            (Clip.status == ClipStatus.TRANSCRIBING)
            & (Clip.claimed_at < now - timedelta(seconds=self.settings.transcribe_lease_s)),
        )
        if self.takes is not None:  # the others wait for a worker with their model
            known = [code for code in self.takes if code != ANY]
            mine = Clip.wanted_language.in_(known)
            waiting = and_(
                waiting, or_(mine, Clip.wanted_language.is_(None)) if ANY in self.takes else mine
            )
        with self.sessions.begin() as session:
            candidates = session.scalars(
                select(Clip.id)
                .where(waiting)
                .order_by(Clip.received_at)
                .limit(4)
                .with_for_update(skip_locked=True)
            ).all()
            metrics.QUEUE_DEPTH.set(_queue_depth(session))
            metrics.OLDEST_WAITING_S.set(_oldest_waiting_s(session, now))
            for clip_id in candidates:
                # The conditional update makes the claim safe where SKIP LOCKED is unknown (SQLite).
                taken = session.execute(
                    update(Clip)
                    .where(Clip.id == clip_id, waiting)
                    .values(
                        status=ClipStatus.TRANSCRIBING, claimed_at=now, attempts=Clip.attempts + 1
                    )
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    return session.get(Clip, clip_id)
        return None

    def language_for(self, clip: Clip) -> str | None:
        return clip.wanted_language or self.settings.language_for(clip.theme, clip.neighborhood)

    def _finish(self, claimed: Clip, transcript: Transcript) -> None:
        with self.sessions.begin() as session:
            clip = session.get(Clip, claimed.id)
            if clip is None:  # erased while we worked
                return
            status = record_transcript(session, clip, transcript)
        metrics.TRANSCRIPTIONS.labels(outcome=status).inc()
        metrics.TRANSCRIPTION_SECONDS.observe(transcript.processing_s)
        if transcript.processing_s > 0:
            metrics.REAL_TIME_FACTOR.observe(transcript.audio_s / transcript.processing_s)
        # Never the text: journald keeps logs after a caller's erasure.
        log.info(
            "clip %s %s in %.2f s: %d characters",
            claimed.id,
            status,
            transcript.processing_s,
            len(transcript.text),
            extra={"clip_id": claimed.id},
        )

    def _fail(self, claimed: Clip, exc: Exception) -> None:
        with self.sessions.begin() as session:
            clip = session.get(Clip, claimed.id)
            if clip is None:
                return
            reason = str(exc) if isinstance(exc, IngestError) else f"{type(exc).__name__}: {exc}"
            clip.error = reason[:2000]
            if clip.attempts >= self.settings.transcribe_max_attempts:
                clip.status = ClipStatus.FAILED
                metrics.TRANSCRIPTIONS.labels(outcome=ClipStatus.FAILED).inc()
                log.error(
                    "clip %s failed for good after %d attempts: %s",
                    clip.id,
                    clip.attempts,
                    exc,
                    extra={"clip_id": clip.id},
                )
            else:
                delay = self.settings.transcribe_retry_s * 2 ** (clip.attempts - 1)
                clip.status = ClipStatus.RECEIVED
                clip.next_attempt_at = datetime.now(UTC) + timedelta(seconds=delay)
                log.warning(
                    "clip %s attempt %d failed (%s); retry in %.0f s",
                    clip.id,
                    clip.attempts,
                    exc,
                    delay,
                )


def speech_map(clip: Clip) -> SpeechMap | None:
    """The booth's speech map as stored; one that no longer parses is left out (Silero)."""
    if not clip.speech_map:
        return None
    try:
        return parse_speech_map(clip.speech_map, clip.duration_ms)
    except ProtocolError:
        log.warning("clip %s: stored speech map unreadable; finding the speech again", clip.id)
        return None


def _oldest_waiting_s(session: Session, now: datetime) -> float:
    oldest = session.scalar(
        select(func.min(Clip.received_at)).where(Clip.status == ClipStatus.RECEIVED)
    )
    if oldest is None:
        return 0.0
    oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
    return max(0.0, (now - oldest).total_seconds())


def _queue_depth(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Clip).where(Clip.status == ClipStatus.RECEIVED)
        )
        or 0
    )
