"""Wires the parts of one ingest process: database, audio store, intake, receiver, workers."""

import logging
import threading

from sqlalchemy import text

from ingest.database import make_engine, migrate, session_factory
from ingest.intake import Intake
from ingest.receiver import Receiver
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
        self.receiver = Receiver(settings, self.intake) if receive else None
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
