"""systemd's watchdog and readiness, spoken over $NOTIFY_SOCKET (shared.notify).

The agent's loop pings on every turn (at most every half `WatchdogSec`), so a loop stuck
on a dead sound card or a deadlock gets the booth restarted by systemd.
"""

import os
import time

from shared.notify import notify_address, send


class Watchdog:
    def __init__(self) -> None:
        self._address = notify_address(os.environ)
        usec = os.environ.get("WATCHDOG_USEC")
        self._interval = int(usec) / 2e6 if usec and usec.isdigit() else None
        self._last = 0.0

    @property
    def active(self) -> bool:
        return bool(self._address)

    def ready(self) -> None:
        self._send("READY=1")

    def ping(self) -> None:
        if self._interval is None:
            return
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            self._send("WATCHDOG=1")

    def stopping(self) -> None:
        self._send("STOPPING=1")

    def _send(self, message: str) -> None:
        if self._address:
            send(self._address, message)
