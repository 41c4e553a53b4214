"""How fast one booth may deliver: a token bucket per booth.

A booth records a message per call, and a call takes a minute or more, so a few clips a
minute (with a burst for a spool emptied after an outage) is all a working booth sends. A
stolen booth's credentials must not fill the disk: past its bucket a clip is refused with
`rate_limited`, which the booth answers by keeping the clip and backing off. Each receiver
process keeps its own buckets (booths spread over receivers by the shared subscription).
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    at: float


class BoothBuckets:
    def __init__(
        self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate_s = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, booth_id: str) -> bool:
        """One clip's worth from the booth's bucket; False if it is empty."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.setdefault(booth_id, _Bucket(self.burst, now))
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate_s)
            bucket.at = now
            if bucket.tokens < 1.0:
                return False
            bucket.tokens -= 1.0
            return True

    def wait_s(self, booth_id: str) -> float:
        """Seconds until the booth's next clip would be taken."""
        with self._lock:
            bucket = self._buckets.get(booth_id)
            missing = 0.0 if bucket is None else max(0.0, 1.0 - bucket.tokens)
        return missing / self.rate_s if self.rate_s else float("inf")
