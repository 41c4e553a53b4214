"""systemd's readiness and watchdog (sd_notify, shared.notify) for the ingest roles.

The units are `Type=notify` with `WatchdogSec=`. A process says READY=1 once it can do its
part (broker connected, model loaded, HTTP listening) and STOPPING=1 when it begins to
stop. Each loop that does the work (the receiver's intake, each transcription worker, the
HTTP event loop, the watch over a worker child) checks in on every turn; WATCHDOG=1 goes
out only once every one of them has checked in since the last, so one wedged loop gets
the whole process restarted. Until READY=1 a thread keeps the watchdog quiet: start-up
(a model load is one long call) is bounded by TimeoutStartSec instead.
"""

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping

from shared.notify import notify_address, send

log = logging.getLogger(__name__)

CheckIn = Callable[[], None]

# The variables systemd hands the main process; a child must not speak for it.
VARIABLES = ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")


def _nothing() -> None:
    pass


NO_WATCHDOG: CheckIn = _nothing  # for loops run outside systemd and in tests


class Watchdog:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self._address = notify_address(env)
        usec = env.get("WATCHDOG_USEC", "")
        owner = env.get("WATCHDOG_PID")
        mine = owner is None or owner == str(os.getpid())
        # Ping at twice the rate systemd asks for, as sd_watchdog_enabled(3) advises.
        self.interval_s = int(usec) / 2e6 if usec.isdigit() and mine and self._address else None
        self._lock = threading.Lock()
        self._loops: set[str] = set()
        self._waiting: set[str] = set()
        self._last = 0.0
        self._started = threading.Event()
        self._ready = False
        self._stopping = False
        if self.interval_s is not None:
            threading.Thread(target=self._while_starting, name="watchdog", daemon=True).start()

    @property
    def enabled(self) -> bool:
        return self.interval_s is not None

    def loop(self, name: str) -> CheckIn:
        """Register a work loop; it calls what this returns on every turn (cheap: a lock and
        a clock read). Without a watchdog, a no-op."""
        if self.interval_s is None:
            return NO_WATCHDOG
        with self._lock:
            self._loops.add(name)
            self._waiting.add(name)
        return lambda: self._check_in(name)

    def ready(self) -> None:
        with self._lock:
            if self._ready:
                return
            self._ready = True
        self._started.set()
        self._send("READY=1")
        log.info("ready (told systemd)" if self._address else "ready")

    def stopping(self) -> None:
        with self._lock:
            if self._stopping:
                return
            self._stopping = True
        self._started.set()
        self._send("STOPPING=1")

    def _check_in(self, name: str) -> None:
        assert self.interval_s is not None
        with self._lock:
            self._waiting.discard(name)
            now = time.monotonic()
            if not self._ready or self._waiting or now - self._last < self.interval_s:
                return
            self._last = now
            self._waiting = set(self._loops)
        self._send("WATCHDOG=1")

    def _while_starting(self) -> None:
        assert self.interval_s is not None
        while not self._started.wait(self.interval_s):
            self._send("WATCHDOG=1")

    def _send(self, message: str) -> None:
        if self._address is not None:
            send(self._address, message)


def child_environment() -> dict[str, str]:
    """The environment for a child process, without the main process's notify socket."""
    return {k: v for k, v in os.environ.items() if k not in VARIABLES}
