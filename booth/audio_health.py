"""The sound card's health, as the agent's loop sees it: is sound still flowing, and when to
try a failed card again.

A USB card that dies mid-stream raises nothing: PortAudio simply stops calling back. So
the card's own threads stamp the time whenever the microphone delivers a block or the
earpiece takes more sound (`block_heard`, `sound_taken`: one float written, no lock), and
the loop asks `stalled()` between events. A failed card puts the booth out of order and is
tried again with doubling waits, up to `retry_max_s`, until it opens.
"""

from booth.clock import Clock

PLAYBACK_GRACE_S = 2.0  # a sound not done this long after its length: the card is gone


class AudioHealth:
    def __init__(self, clock: Clock, stall_s: float, retry_max_s: float) -> None:
        self._clock = clock
        self.stall_s = stall_s
        self.retry_max_s = retry_max_s
        self.fault: str | None = None  # why the card counts as failed; None: in order
        self._retry_at = 0.0
        self._backoff = 1.0
        self._playback_deadline: float | None = None
        self._played_at = 0.0
        self._recording = False
        self._heard_at = 0.0

    # Streams ---------------------------------------------------------------------------

    def playing(self, seconds: float) -> None:
        now = self._clock.now()
        self._playback_deadline = now + seconds + PLAYBACK_GRACE_S
        self._played_at = now

    def sound_taken(self) -> None:
        """The card's thread: it took more of the sound being played."""
        self._played_at = self._clock.now()

    def playback_over(self) -> None:
        self._playback_deadline = None

    def recording(self) -> None:
        self._recording = True
        self._heard_at = self._clock.now()

    def block_heard(self) -> None:
        """The card's thread: the microphone delivered a block."""
        self._heard_at = self._clock.now()

    def recording_over(self) -> None:
        self._recording = False

    def stalled(self) -> str | None:
        """Why the card counts as dead now, or None while sound flows."""
        now = self._clock.now()
        if self._recording and now - self._heard_at > self.stall_s:
            return f"no sound from the microphone for {self.stall_s} s"
        if self._playback_deadline is not None:
            if now > self._playback_deadline:
                return "playback stopped before the end"
            if now - self._played_at > self.stall_s:
                return f"the earpiece took no sound for {self.stall_s} s"
        return None

    # Failure and recovery --------------------------------------------------------------

    def failed(self, reason: str) -> bool:
        """Mark the card failed; True if it was in order until now."""
        first = self.fault is None
        self.fault = f"sound card failed: {reason}"
        self._playback_deadline = None
        self._recording = False
        self._retry_at = self._clock.now() + self._backoff
        return first

    def retry_due(self) -> bool:
        return self.fault is not None and self._clock.now() >= self._retry_at

    def retry_failed(self) -> float:
        """The card still does not open: wait longer before the next try (returned)."""
        self._backoff = min(self._backoff * 2, self.retry_max_s)
        self._retry_at = self._clock.now() + self._backoff
        return self._backoff

    def recovered(self) -> str | None:
        """The card opened again; returns the fault it had."""
        fault, self.fault = self.fault, None
        self._backoff = 1.0
        return fault

    def next_deadline(self) -> float:
        """When the loop must look again, at the latest."""
        deadlines = [float("inf")]
        if self._recording:
            deadlines.append(self._heard_at + self.stall_s)
        if self._playback_deadline is not None:
            deadlines += [self._playback_deadline, self._played_at + self.stall_s]
        if self.fault is not None:
            deadlines.append(self._retry_at)
        return min(deadlines)
