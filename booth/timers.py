"""The call's timers: each is a deadline for one call; the loop sleeps until the next."""

import time
from collections.abc import Callable

from booth.call import Timer, TimerFired


class CallTimers:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._due: dict[Timer, tuple[float, int]] = {}  # timer -> (deadline, call number)

    def start(self, timer: Timer, seconds: float, call: int) -> None:
        self._due[timer] = (self._clock() + seconds, call)

    def cancel(self, timer: Timer) -> None:
        self._due.pop(timer, None)

    def cancel_all(self) -> None:
        self._due.clear()

    def next_deadline(self) -> float:
        return min((deadline for deadline, _ in self._due.values()), default=float("inf"))

    def fired(self) -> list[TimerFired]:
        """The timers due now, taken off the list, earliest first."""
        now = self._clock()
        due = sorted((d, t, n) for t, (d, n) in self._due.items() if d <= now)
        for _, timer, _ in due:
            del self._due[timer]
        return [TimerFired(timer, number) for _, timer, number in due]
