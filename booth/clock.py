"""Time for the booth's switches: what time it is, and calling something a little later.

Production uses the monotonic clock and timer threads; tests pass a clock they advance by
hand, so a debounce or a dial's digit gap is tested without waiting for it.
"""

import threading
import time
from collections.abc import Callable
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
