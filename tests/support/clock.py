"""A clock the test moves by hand: callbacks due by then run, in order, on the test's thread.

Other threads (the agent's loop starting a sound) may ask for a callback while the test is
moving the clock; the list of calls is guarded, the callbacks run outside the guard.
"""

import heapq
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(order=True)
class _Call:
    due: float
    order: int
    callback: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class ManualClock:
    def __init__(self) -> None:
        self._now = 0.0
        self._calls: list[_Call] = []
        self._order = itertools.count()
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._now

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> _Call:
        with self._lock:
            call = _Call(self._now + delay_s, next(self._order), callback)
            heapq.heappush(self._calls, call)
        return call

    def advance(self, seconds: float) -> None:
        end = self._now + seconds
        while True:
            with self._lock:
                if not self._calls or self._calls[0].due > end:
                    break
                call = heapq.heappop(self._calls)
                self._now = max(self._now, call.due)
            if not call.cancelled:
                call.callback()
        self._now = end
