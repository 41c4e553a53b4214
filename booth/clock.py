"""Time for the booth's switches: what time it is, and calling something a little later.

Production uses the monotonic clock and timer threads; tests pass a clock they advance by
hand, so a debounce or a dial's digit gap is tested without waiting for it. And whether the
wall clock can be trusted: a Pi has no battery clock, so until NTP has set it, the time a
message was recorded may be far off.
"""

import ctypes
import functools
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    def now(self) -> float: ...

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> Cancellable: ...


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> Cancellable:
        timer = threading.Timer(delay_s, callback)
        timer.daemon = True
        timer.start()
        return timer


TIME_ERROR = 5  # adjtimex(2): the kernel clock is not synchronised


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)  # the process's own C library


def kernel_clock_synchronised() -> bool | None:
    """What adjtimex(2) says of the kernel clock (None where it cannot be asked)."""
    try:
        adjtimex = _libc().adjtimex
    except AttributeError:  # not Linux
        return None
    timex = ctypes.create_string_buffer(256)  # struct timex, zeroed: modes 0 only reads
    state = adjtimex(timex)
    return None if state < 0 else bool(state != TIME_ERROR)


# systemd-timesyncd makes this file at its first synchronisation after boot.
TIMESYNC_MARK = Path("/run/systemd/timesync/synchronized")


def clock_set_since_boot() -> bool | None:
    """Has NTP set the wall clock since this boot? Once it has, the clock stays good enough
    to date messages even if the network then goes for days (the kernel's own flag turns to
    "unsynchronised" after hours without NTP, which would be the wrong answer for a booth
    spooling offline). Before, the time may be the last shutdown's, days off."""
    if TIMESYNC_MARK.exists():
        return True
    return kernel_clock_synchronised()  # chrony and ntpd keep the kernel's flag
