"""Transcription in a process of its own, beside the API and receiver (`ingest serve`).

Whisper's Python-side work (VAD, features) would otherwise contend with the receiver for
the interpreter lock, and acks would wait behind it. The child runs `ingest worker` at a
lower CPU priority and is restarted if it dies.
"""

import logging
import os
import subprocess
import sys
import threading

log = logging.getLogger(__name__)

NICENESS = 10


def _prepare_child() -> None:
    os.nice(NICENESS)
    # Die with the parent, even a SIGKILLed one, rather than work on as an orphan.
    if sys.platform == "linux":
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


class WorkerProcess:
    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._watch = threading.Thread(target=self._keep_running, name="worker-watch", daemon=True)

    def start(self) -> None:
        self._spawn()
        self._watch.start()

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        self._stop.set()
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def _spawn(self) -> None:
        # The child inherits the environment, so it reads the same INGEST_* settings.
        self._process = subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", "worker"],
            preexec_fn=_prepare_child,  # runs in the child before exec
        )
        log.info("transcription worker started (pid %d)", self._process.pid)

    def _keep_running(self) -> None:
        while not self._stop.wait(2.0):
            if self._process is not None and self._process.poll() is not None:
                log.error(
                    "transcription worker exited with %s; restarting", self._process.returncode
                )
                self._spawn()
