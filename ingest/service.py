"""Wires the parts of one ingest process: database, audio store, intake, receiver, workers."""

import logging
import threading
import time

from sqlalchemy import text

from ingest.fleet.booths import Fleet
from ingest.receive.intake import Intake
from ingest.receive.receiver import Receiver
from ingest.review.retention import purge_expired_audio, purge_raw_text
from ingest.sessions import migrate_database, open_sessions
from ingest.settings import IngestSettings
from ingest.store import gauges
from ingest.store.audio import make_store
from ingest.store.database import make_engine
from ingest.store.locks import AdvisoryLock
from ingest.store.secrets import private_file, private_folder, secret_key
from ingest.transcribe.transcriber import Transcriber
from ingest.transcribe.worker import TranscriptionWorker
from ingest.transcribe.worker_process import WorkerProcess
from ingest.watchdog import Watchdog

log = logging.getLogger(__name__)


class IngestService:
    def __init__(
        self,
        settings: IngestSettings,
        *,
        receive: bool = True,
        transcribe: bool = True,
        worker_process: bool = False,
        watchdog: Watchdog | None = None,
    ) -> None:
        """`transcribe`: this process is an `ingest worker` (or a test): workers run on
        threads here. `worker_process`: `ingest serve` supervising one `ingest worker`.
        `watchdog`: systemd's, which every work loop here checks in with."""
        self.settings = settings
        self.watchdog = watchdog or Watchdog({})
        private_folder(settings.data_dir)
        if not settings.database_url:
            private_file(settings.data_dir / "ingest.sqlite3")
        self.cursor_key = secret_key(settings.cursor_key_path)
        self.engine = make_engine(settings.sqlalchemy_url)
        migrate_database(self.engine)  # under an advisory lock: processes starting together wait
        self.sessions = open_sessions(self.engine)
        self.store = make_store(settings)
        self.intake = Intake(settings, self.sessions, self.store)
        # One publisher of configs and one janitor among all the receivers, each while it
        # holds its lock; when the holder dies, another takes it at its next tick.
        self.publisher = AdvisoryLock(self.engine, "ingest.publish-configs")
        self.janitor = AdvisoryLock(self.engine, "ingest.housekeeping")
        self.fleet = Fleet(self.sessions, settings.data_dir / "prompts", self.publisher.held)
        self.receiver = (
            Receiver(settings, self.intake, self.fleet, self.watchdog.loop("intake"))
            if receive
            else None
        )
        if self.receiver is not None:
            self.fleet.publish = self.receiver.publish_config
            self.fleet.publish_prompt = self.receiver.publish_prompt
        self.transcriber: Transcriber | None = None
        self.workers: list[TranscriptionWorker] = []
        self._transcribe = transcribe
        self.worker_process = (
            WorkerProcess(alive=self.watchdog.loop("worker-watch")) if worker_process else None
        )
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        gauges.attach(self.sessions, settings.booth_offline_s, settings.transcribe_lease_s)

    def start(self) -> None:
        if self.worker_process is not None:
            self.worker_process.start()
        if self._transcribe:
            loaded = threading.Event()
            failure: list[BaseException] = []
            loader = threading.Thread(
                target=self._transcription, args=(loaded, failure), name="transcription"
            )
            loader.start()
            self._threads.append(loader)
            loaded.wait()
            if failure:
                raise failure[0]
        if self.receiver is not None:
            self.receiver.start()
        if self.receiver is not None:  # chores belong to the serving process, not to workers
            ticker = threading.Thread(target=self._tick, name="tick", daemon=True)
            ticker.start()
            self._threads.append(ticker)

    def _transcription(self, loaded: threading.Event, failure: list[BaseException]) -> None:
        """Load the model and run the workers."""
        s = self.settings
        try:
            self.transcriber = Transcriber.from_settings(s)
            for n in range(s.transcribe_workers):  # each loop known to the watchdog before ready
                alive = self.watchdog.loop(f"transcribe-{n}")
                self.workers.append(
                    TranscriptionWorker(s, self.sessions, self.store, self.transcriber, alive)
                )
        except BaseException as exc:
            failure.append(exc)
            loaded.set()
            return
        loaded.set()
        threads = []
        for n, worker in enumerate(self.workers):
            thread = threading.Thread(target=worker.run, args=(self._stop,), name=f"transcribe-{n}")
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()

    def _tick(self) -> None:
        """Periodic chores: configs that changed (a planner's edit in another process,
        theme dates that began or ended, a publish the broker did not take), by the one
        publisher; audio and raw text past retention, by the one janitor."""
        s = self.settings
        last_chores = 0.0
        while not self._stop.wait(min(s.config_check_s, s.tick_s)):
            try:
                self.fleet.publish_configs()  # a no-op unless this process is the publisher
            except Exception:
                log.exception("publishing configs failed; trying again next tick")
            if time.monotonic() - last_chores < s.tick_s or not self.janitor.held():
                continue
            last_chores = time.monotonic()
            try:
                if s.audio_retention_days is not None:
                    purge_expired_audio(self.sessions, self.store, s.audio_retention_days)
                if s.raw_text_retention_days is not None:
                    purge_raw_text(self.sessions, s.raw_text_retention_days)
            except Exception:
                log.exception("housekeeping failed; trying again next tick")

    def stop(self) -> None:
        """Within the units' TimeoutStopSec: at most 20 s for the receiver to store and ack
        what it holds, 20 s for the worker child, then the threads' last words."""
        if self.receiver is not None:
            self.receiver.stop()
        if self.worker_process is not None:
            self.worker_process.stop()
        self._stop.set()
        for worker in self.workers:
            worker.wakeup.set()
        for thread in self._threads:
            thread.join(timeout=10)
        gauges.detach(self.sessions)
        self.publisher.release()
        self.janitor.release()
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
            "model": (not self._transcribe or self.transcriber is not None)
            and (self.worker_process is None or self.worker_process.alive),
        }

    def problem(self) -> str | None:
        """What keeps this process from doing its part (for a health port), or None."""
        failing = [name for name, ok in self.readiness().items() if not ok]
        if self._transcribe and self.workers and self._stop.is_set():
            failing.append("workers stopped")
        return ", ".join(f"{name} not ready" for name in failing) or None
