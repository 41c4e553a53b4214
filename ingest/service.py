"""Wires the parts of one ingest process: database, audio store, intake, receiver, workers."""

import logging
import threading

from sqlalchemy import text

from ingest.database import make_engine, migrate, session_factory
from ingest.fleet import Fleet
from ingest.intake import Intake
from ingest.receiver import Receiver
from ingest.retention import purge_expired_audio
from ingest.settings import IngestSettings
from ingest.storage import LocalAudioStore
from ingest.transcriber import Transcriber
from ingest.worker import TranscriptionWorker

log = logging.getLogger(__name__)


class IngestService:
    def __init__(
        self, settings: IngestSettings, *, receive: bool = True, transcribe: bool = True
    ) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(settings.sqlalchemy_url)
        migrate(self.engine)
        self.sessions = session_factory(self.engine)
        self.store = LocalAudioStore(settings.audio_dir)
        self.intake = Intake(settings, self.sessions, self.store)
        self.fleet = Fleet(self.sessions, settings.public_url)
        self.receiver = Receiver(settings, self.intake, self.fleet) if receive else None
        if self.receiver is not None:
            self.fleet.publish = self.receiver.publish_config
        self.transcriber: Transcriber | None = None
        self.workers: list[TranscriptionWorker] = []
        self._transcribe = transcribe
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        if self._transcribe:
            s = self.settings
            self.transcriber = Transcriber(
                s.whisper_model,
                compute_type=s.whisper_compute_type,
                threads=s.whisper_threads,
                beam_size=s.whisper_beam_size,
                no_speech_threshold=s.whisper_no_speech_threshold,
            )
            for n in range(s.transcribe_workers):
                worker = TranscriptionWorker(s, self.sessions, self.store, self.transcriber)
                thread = threading.Thread(
                    target=worker.run, args=(self._stop,), name=f"transcribe-{n}", daemon=True
                )
                thread.start()
                self.workers.append(worker)
                self._threads.append(thread)
        if self.receiver is not None:
            self.receiver.start()
        ticker = threading.Thread(target=self._tick, name="tick", daemon=True)
        ticker.start()
        self._threads.append(ticker)

    def _tick(self) -> None:
        """Periodic chores: configs whose theme dates began or ended; audio past retention."""
        while not self._stop.wait(self.settings.tick_s):
            try:
                self.fleet.publish_configs()
                if self.settings.audio_retention_days is not None:
                    purge_expired_audio(
                        self.sessions, self.store, self.settings.audio_retention_days
                    )
            except Exception:
                log.exception("periodic chores failed; trying again next tick")

    def stop(self) -> None:
        if self.receiver is not None:
            self.receiver.stop()
        self._stop.set()
        for worker in self.workers:
            worker.wakeup.set()
        for thread in self._threads:
            thread.join(timeout=60)
        self.engine.dispose()

    def readiness(self) -> dict[str, bool]:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            database = True
        except Exception:
            database = False
        return {
            "database": database,
            "broker": self.receiver is None or self.receiver.connected.is_set(),
            "model": not self._transcribe or self.transcriber is not None,
        }
