"""Audio behind one small interface: the real sound card (`booth.soundcard`) or memory
(tests, simulations).

Playback and capture run on the backend's own threads; they report back only through the
callbacks given, which the agent turns into events. A backend raises AudioDeviceError when
the card cannot be opened; a card that dies mid-stream simply stops calling back, which
the agent notices.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

import numpy as np

from booth.errors import AudioDeviceError
from booth.sounds import RATE, Samples

log = logging.getLogger(__name__)

BLOCK = 480  # 30 ms at 16 kHz: one VAD frame

OnBlock = Callable[[Samples], None]
OnDone = Callable[[], None]


class AudioPort(Protocol):
    def play(self, samples: Samples, done: OnDone, progress: OnDone | None = None) -> None:
        """Start playing; call `done` when finished (not when stopped), and `progress` each
        time the card takes more of the sound (a card that stops taking it has died)."""

    def stop_playback(self) -> None: ...

    def start_capture(self, on_block: OnBlock) -> None:
        """Start recording; `on_block` gets int16 mono blocks of BLOCK samples."""

    def stop_capture(self) -> None: ...

    def close(self) -> None: ...

    def probe(self) -> None:
        """Raise AudioDeviceError unless the card can be opened now, looking at the cards
        afresh (a backend that lists them once, as PortAudio does, lists them again)."""


class FakeCard:
    """What the fake sound cards share: a plug (`unplug` behaves like a USB card pulled out:
    streams stop without a word and opening fails, until `plug_in`), and a generation for
    each direction, so a stream that was stopped or replaced delivers nothing more."""

    name = "fake"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._play_gen = 0
        self._capture_gen = 0
        self.unplugged = False

    def unplug(self) -> None:
        with self._lock:
            self.unplugged = True

    def plug_in(self) -> None:
        with self._lock:
            self.unplugged = False

    def probe(self) -> None:
        if self.unplugged:
            raise AudioDeviceError(f"{self.name} card unplugged")

    def _new_playback(self) -> int:
        with self._lock:
            self._play_gen += 1
            return self._play_gen

    def _new_capture(self) -> int:
        with self._lock:
            self._capture_gen += 1
            return self._capture_gen

    def stop_playback(self) -> None:
        self._new_playback()

    def stop_capture(self) -> None:
        self._new_capture()

    def close(self) -> None:
        self.stop_playback()
        self.stop_capture()


class MemoryAudio(FakeCard):
    """Plays into a list and records from queued samples; `speed` > 1 runs faster than life.

    A simulated caller `say`s samples, which come out of the capture as if spoken into the
    handset; once said, the capture gives silence, as a quiet room would. `unplug` makes it
    behave like a USB card pulled out: streams stop mid-way and opening fails, until
    `plug_in`.
    """

    name = "memory"

    def __init__(self, speed: float = 1.0, keep_played: bool = True) -> None:
        super().__init__()
        self.speed = speed
        # What was played, for tests to listen to; a real card keeps nothing (the bench
        # turns this off to measure the agent alone).
        self.keep_played = keep_played
        self.played: list[Samples] = []
        self._speech: list[Samples] = []
        self.said_all = threading.Event()

    def say(self, samples: Samples) -> None:
        with self._lock:
            self._speech.append(samples.astype(np.int16))
            self.said_all.clear()

    def play(self, samples: Samples, done: OnDone, progress: OnDone | None = None) -> None:
        self.probe()
        generation = self._new_playback()
        if self.keep_played:
            self.played.append(samples)

        def current() -> bool:
            with self._lock:
                return generation == self._play_gen and not self.unplugged

        def finish() -> None:
            left = len(samples) / RATE
            while left > 0:  # in tenths of a second of sound, as a card takes it
                step = min(left, 0.1)
                time.sleep(step / self.speed)
                left -= step
                if not current():
                    return
                if progress is not None:
                    progress()
            done()

        threading.Thread(target=finish, name="memory-play", daemon=True).start()

    def start_capture(self, on_block: OnBlock) -> None:
        self.probe()
        generation = self._new_capture()

        def feed() -> None:
            pending = np.zeros(0, np.int16)
            while True:
                with self._lock:
                    if generation != self._capture_gen or self.unplugged:
                        return
                    if len(pending) < BLOCK and self._speech:
                        pending = np.concatenate([pending, *self._speech])
                        self._speech.clear()
                if len(pending) >= BLOCK:
                    block, pending = pending[:BLOCK], pending[BLOCK:]
                    if not len(pending):
                        self.said_all.set()
                else:
                    block = np.zeros(BLOCK, np.int16)
                    self.said_all.set()
                on_block(block)
                time.sleep(BLOCK / RATE / self.speed)

        threading.Thread(target=feed, name="memory-capture", daemon=True).start()
