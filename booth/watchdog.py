"""systemd's watchdog and readiness, spoken over $NOTIFY_SOCKET (no dependency needed).

The agent's loop pings on every turn (at most every half `WatchdogSec`), so a loop stuck
on a dead sound card or a deadlock gets the booth restarted by systemd.
"""

import os
import socket
import time
from contextlib import suppress


class Watchdog:
    def __init__(self) -> None:
        self._address = os.environ.get("NOTIFY_SOCKET")
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
        if not self._address:
            return
        address = "\0" + self._address[1:] if self._address.startswith("@") else self._address
        # systemd gone or not listening: nothing to tell, nothing to fail.
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock, suppress(OSError):
            sock.sendto(message.encode(), address)
