"""The handset on the test's clock: a sound ends when the clock has moved past its length,
and the microphone delivers a 30 ms block each time the clock moves 30 ms, of what the
caller `say`s and then of silence, as a quiet room gives.

So the agent is tested in clock time rather than in real time sped up: nothing depends on
how fast the machine is. Callbacks run on the thread that moves the clock (the test's),
as a sound card's run on its own thread. `unplug` behaves like pulling a USB card out:
streams stop without a word and opening fails, until `plug_in`.
"""

import numpy as np

from booth.audio import BLOCK, FakeCard, OnBlock, OnDone
from booth.sounds import RATE, Samples
from tests.support.clock import ManualClock

PROGRESS_S = 0.5  # how often a playing sound reports that the card takes it


class ClockedAudio(FakeCard):
    name = "clocked"

    def __init__(self, clock: ManualClock) -> None:
        super().__init__()
        self.clock = clock
        self.played: list[Samples] = []
        self._speech = np.zeros(0, np.int16)

    # The caller and the technician -------------------------------------------------------

    def say(self, samples: Samples) -> None:
        with self._lock:
            self._speech = np.concatenate([self._speech, samples.astype(np.int16)])

    @property
    def said_all(self) -> bool:
        with self._lock:
            return len(self._speech) == 0

    # AudioPort -----------------------------------------------------------------------------

    def play(self, samples: Samples, done: OnDone, progress: OnDone | None = None) -> None:
        self.probe()
        generation = self._new_playback()
        self.played.append(samples)

        def tick(left: float) -> None:
            if generation != self._play_gen or self.unplugged:
                return
            if left <= 0:
                done()
                return
            if progress is not None:
                progress()
            step = min(PROGRESS_S, left)
            self.clock.call_later(step, lambda: tick(left - step))

        tick(len(samples) / RATE)

    def start_capture(self, on_block: OnBlock) -> None:
        self.probe()
        generation = self._new_capture()

        def deliver() -> None:
            if generation != self._capture_gen or self.unplugged:
                return
            with self._lock:
                block = np.zeros(BLOCK, np.int16)
                said = self._speech[:BLOCK]
                block[: len(said)] = said
                self._speech = self._speech[BLOCK:]
            on_block(block)
            self.clock.call_later(BLOCK / RATE, deliver)

        self.clock.call_later(BLOCK / RATE, deliver)
