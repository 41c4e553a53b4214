"""Waiting for something another thread or process will do, without guessing how long."""

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], object], timeout: float = 30, every: float = 0.02) -> bool:
    """True as soon as `condition()` holds; False if it still does not after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
    return True
