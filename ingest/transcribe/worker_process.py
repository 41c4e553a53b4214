"""`ingest serve` keeps one `ingest worker` running beside the API and receiver.

Transcription runs one way: in `ingest worker` processes. Under systemd each runs as a
unit of its own (`systemd/ingest-worker@.service`); on a one-box install `ingest serve`
supervises one as its child. Whisper's Python-side work would otherwise contend with the
receiver for the interpreter lock, and acks would wait behind it.

The child is started plainly (no `preexec_fn`, which may deadlock in a threaded parent):
it lowers its own priority and asks the kernel to end it with its parent (`--parent`).
"""

import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading

from ingest.watchdog import NO_WATCHDOG, CheckIn, child_environment

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1


def follow_parent(parent_pid: int) -> None:
    """In the worker: die with the parent, even a SIGKILLed one, rather than work on as an
    orphan. Called first thing; the parent may already be gone by then."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent_pid:
        raise SystemExit("the parent is gone")


class WorkerProcess:
    def __init__(self, stop_timeout_s: float = 20.0, alive: CheckIn = NO_WATCHDOG) -> None:
        """`alive`: called on every turn of the watch loop (ingest.watchdog)."""
        self.stop_timeout_s = stop_timeout_s
        self._check_in = alive
        self._process: subprocess.Popen[bytes] | None = None
        self._watch: threading.Thread | None = None
        self._stop = threading.Event()

    def start(self) -> None:
        # The watch thread spawns the child: the kernel's parent-death signal follows the
        # thread that forked, so it must be one that lives as long as the service.
        spawned = threading.Event()
        self._watch = threading.Thread(
            target=self._keep_running, args=(spawned,), name="worker-watch", daemon=True
        )
        self._watch.start()
        spawned.wait()

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after `stop_timeout_s`: a batch cut short is taken up
        again by the next worker once its lease runs out, so nothing is lost."""
        self._stop.set()
        if self._watch is not None:
            self._watch.join(timeout=5)  # no respawn from here on
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=self.stop_timeout_s)
            except subprocess.TimeoutExpired:
                log.warning("transcription worker did not stop in time; killing it")
                self._process.kill()
                self._process.wait()

    def _spawn(self) -> None:
        # The child inherits the environment, so it reads the same INGEST_* settings; not
        # systemd's notify socket, which speaks for the unit's main process alone.
        self._process = subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", "worker", "--parent", str(os.getpid())],
            env=child_environment(),
        )
        log.info("transcription worker started (pid %d)", self._process.pid)

    def _keep_running(self, spawned: threading.Event) -> None:
        self._spawn()
        spawned.set()
        while not self._stop.wait(1.0):
            self._check_in()
            if self._process is not None and self._process.poll() is not None:
                log.error(
                    "transcription worker exited with %s; restarting", self._process.returncode
                )
                self._spawn()
