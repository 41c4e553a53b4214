"""Transcription workers: take clips from the database queue (transcribe.queue), store
their transcripts."""

import contextlib
import logging
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from ingest import metrics
from ingest.errors import IngestError
from ingest.settings import IngestSettings
from ingest.store.audio import AudioStore
from ingest.store.models import Clip, ClipStatus
from ingest.transcribe.queue import ANY, ClipQueue
from ingest.transcribe.transcriber import Transcriber, Transcript
from ingest.transcribe.transcripts import record_transcript
from ingest.watchdog import NO_WATCHDOG, CheckIn
from shared.clip import SpeechMap, parse_speech_map
from shared.errors import ProtocolError

log = logging.getLogger(__name__)


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
        alive: CheckIn = NO_WATCHDOG,
        *,
        rerun: bool = False,
    ) -> None:
        """`alive`: called on every turn of the loop and as a batch makes progress
        (ingest.watchdog): a loop stuck on the database or in the model stops calling it.
        `rerun`: take only clips waiting for a run of this transcriber's model (`ingest
        retranscribe`), in whatever language; else new clips in the languages it has."""
        self.settings = settings
        self.alive = alive
        self.sessions = sessions
        self.store = store
        self.transcriber = transcriber
        self.wakeup = threading.Event()
        self.takes = (
            None
            if rerun
            else languages_taken(settings.transcribe_languages, transcriber.multilingual)
        )
        self.rerun_model = transcriber.model_name if rerun else None
        self.queue = ClipQueue(settings, sessions, self.takes, self.rerun_model)
        self.outcomes: Counter[str] = Counter()  # transcribed, no_speech, retry, failed
        log.info(
            "worker %s transcribing %s in %s",
            self.queue.id,
            f"clips waiting for {self.rerun_model}" if rerun else "new clips",
            "any language" if self.takes is None else self.takes,
        )

    @property
    def id(self) -> str:
        return self.queue.id

    def run(self, stop: threading.Event, idle_wait_s: float = 1.0) -> None:
        while not stop.is_set():
            self.alive()
            try:
                worked = self.work_once()
            except Exception:
                log.exception("transcription worker hit an error; going on")
                worked = False
            if not worked:
                self.wakeup.wait(idle_wait_s)
                self.wakeup.clear()
        try:
            self.queue.leave()
        except Exception:
            log.exception("could not hand back this worker's claims; they wait for the lease")

    def work_once(self) -> bool:
        """Transcribe what waits, up to a batch; False when the queue is empty."""
        claimed = self.queue.claim(self.settings.whisper_batch_size)
        if not claimed:
            return False
        try:
            self._transcribe(claimed)
        except Exception as exc:
            # This worker lives on and keeps beating, so no lease would ever free these
            # claims: each counts as a failed attempt (those already settled are not ours).
            log.exception("batch of %d failed as a whole", len(claimed))
            for clip in claimed:
                self._fail(clip, exc)
        return True

    def _transcribe(self, claimed: list[Clip]) -> None:
        with self.queue.beating(), contextlib.ExitStack() as files:  # local copies from a bucket
            try:
                paths = [
                    files.enter_context(self.store.local_file(c.audio_key or "")) for c in claimed
                ]
            except Exception as exc:  # the store unreachable: the claims go back, tried again
                log.error("audio store: %s", exc)
                self.queue.release([c.id for c in claimed], self.settings.transcribe_retry_s)
                return
            jobs = [(path, self.language_for(c)) for path, c in zip(paths, claimed, strict=True)]
            maps = [speech_map(c) for c in claimed]
            if len(claimed) == 1:
                try:
                    results: list[Transcript | Exception] = [
                        self.transcriber.transcribe(*jobs[0], speech=maps[0], progress=self.alive)
                    ]
                except Exception as exc:
                    results = [exc]
            else:
                batch = self.transcriber.transcribe_many(
                    jobs, self.settings.whisper_batch_size, speech=maps, progress=self.alive
                )
                results = list(batch)
        for clip, result in zip(claimed, results, strict=True):
            if isinstance(result, Exception):
                self._fail(clip, result)
            else:
                self._finish(clip, result)

    def claim(self) -> Clip | None:
        """One waiting clip, claimed for this worker (a batch of one)."""
        claimed = self.queue.claim(1)
        return claimed[0] if claimed else None

    def language_for(self, clip: Clip) -> str | None:
        return clip.wanted_language or self.settings.language_for(clip.theme, clip.neighborhood)

    def _finish(self, claimed: Clip, transcript: Transcript) -> None:
        with self.queue.settling(claimed.id) as (session, clip):
            if clip is None:  # erased, or taken for dead and given to another worker
                return
            status = record_transcript(session, clip, transcript)
            clip.wanted_model = None
        self.outcomes[status] += 1
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
        with self.queue.settling(claimed.id) as (_session, clip):
            if clip is None:
                return
            reason = str(exc) if isinstance(exc, IngestError) else f"{type(exc).__name__}: {exc}"
            if self.rerun_model is not None:
                reason = f"run of {self.rerun_model}: {reason}"
            spent = clip.attempts >= self.settings.transcribe_max_attempts
            self.outcomes[ClipStatus.FAILED if spent else "retry"] += 1
            if spent and self.rerun_model is not None:  # the text it had stays in force
                clip.wanted_model = None
                clip.error = f"failed {clip.attempts} times; last: {reason}"[:2000]
                log.error("clip %s: %s, given up", clip.id, reason, extra={"clip_id": clip.id})
            elif spent:
                clip.status = ClipStatus.FAILED
                clip.error = f"failed {clip.attempts} times; last: {reason}"[:2000]
                metrics.TRANSCRIPTIONS.labels(outcome=ClipStatus.FAILED).inc()
                log.error(
                    "clip %s failed for good after %d attempts: %s",
                    clip.id,
                    clip.attempts,
                    exc,
                    extra={"clip_id": clip.id},
                )
            else:
                clip.error = reason[:2000]
                delay = self.settings.transcribe_retry_s * 2 ** (clip.attempts - 1)
                if self.rerun_model is None:
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
