"""Audio behind one small interface: the real sound card (sounddevice) or memory (tests, sims).

Playback and capture run on the backend's own threads; they report back only through the
callbacks given, which the agent turns into events.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from booth.errors import AudioDeviceError
from booth.sounds import RATE, Samples

log = logging.getLogger(__name__)

BLOCK = 480  # 30 ms at 16 kHz: one VAD frame

OnBlock = Callable[[Samples], None]
OnDone = Callable[[], None]


class AudioPort(Protocol):
    def play(self, samples: Samples, done: OnDone) -> None:
        """Start playing; call `done` when finished (not when stopped)."""

    def stop_playback(self) -> None: ...

    def start_capture(self, on_block: OnBlock) -> None:
        """Start recording; `on_block` gets int16 mono blocks of BLOCK samples."""

    def stop_capture(self) -> None: ...

    def close(self) -> None: ...


class MemoryAudio:
    """Plays into a list and records from queued samples; `speed` > 1 runs faster than life.

    A simulated caller `say`s samples, which come out of the capture as if spoken into the
    handset; once said, the capture gives silence, as a quiet room would.
    """

    def __init__(self, speed: float = 1.0) -> None:
        self.speed = speed
        self.played: list[Samples] = []
        self._lock = threading.Lock()
        self._play_gen = 0
        self._capture_gen = 0
        self._speech: list[Samples] = []
        self.said_all = threading.Event()

    def say(self, samples: Samples) -> None:
        with self._lock:
            self._speech.append(samples.astype(np.int16))
            self.said_all.clear()

    def play(self, samples: Samples, done: OnDone) -> None:
        with self._lock:
            self._play_gen += 1
            generation = self._play_gen
        self.played.append(samples)

        def finish() -> None:
            time.sleep(len(samples) / RATE / self.speed)
            with self._lock:
                current = generation == self._play_gen
            if current:
                done()

        threading.Thread(target=finish, name="memory-play", daemon=True).start()

    def stop_playback(self) -> None:
        with self._lock:
            self._play_gen += 1

    def start_capture(self, on_block: OnBlock) -> None:
        with self._lock:
            self._capture_gen += 1
            generation = self._capture_gen

        def feed() -> None:
            pending = np.zeros(0, np.int16)
            while True:
                with self._lock:
                    if generation != self._capture_gen:
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

    def stop_capture(self) -> None:
        with self._lock:
            self._capture_gen += 1

    def close(self) -> None:
        self.stop_playback()
        self.stop_capture()


class SoundDeviceAudio:
    """The handset through PortAudio; devices chosen by name (ALSA names on the Pi)."""

    def __init__(self, output_device: str | None = None, input_device: str | None = None) -> None:
        try:
            import sounddevice as sd
        except OSError as exc:  # PortAudio library missing
            raise AudioDeviceError(f"PortAudio not available: {exc}") from exc
        self._sd = sd
        self.output_device = output_device
        self.input_device = input_device
        self._out: Any = None
        self._in: Any = None

    def play(self, samples: Samples, done: OnDone) -> None:
        self.stop_playback()
        position = 0
        stopped = False

        def callback(outdata: Any, frames: int, _time: Any, _status: Any) -> None:
            nonlocal position
            chunk = samples[position : position + frames]
            outdata[: len(chunk), 0] = chunk
            outdata[len(chunk) :, 0] = 0
            position += frames
            if position >= len(samples):
                raise self._sd.CallbackStop

        def finished() -> None:
            if not stopped:
                done()

        try:
            stream = self._sd.OutputStream(
                samplerate=RATE,
                channels=1,
                dtype="int16",
                device=self.output_device,
                callback=callback,
                finished_callback=finished,
            )
            stream.start()
        except self._sd.PortAudioError as exc:
            device = self.output_device or "the default device"
            raise AudioDeviceError(f"cannot play on {device}: {exc}") from exc

        def stop() -> None:
            nonlocal stopped
            stopped = True
            stream.abort()
            stream.close()

        self._out = stop

    def stop_playback(self) -> None:
        if self._out is not None:
            stop, self._out = self._out, None
            stop()

    def start_capture(self, on_block: OnBlock) -> None:
        self.stop_capture()

        def callback(indata: Any, _frames: int, _time: Any, status: Any) -> None:
            if status:
                log.warning("capture: %s", status)
            on_block(np.array(indata[:, 0], dtype=np.int16))

        try:
            stream = self._sd.InputStream(
                samplerate=RATE,
                channels=1,
                dtype="int16",
                blocksize=BLOCK,
                device=self.input_device,
                callback=callback,
            )
            stream.start()
        except self._sd.PortAudioError as exc:
            device = self.input_device or "the default device"
            raise AudioDeviceError(f"cannot record on {device}: {exc}") from exc
        self._in = stream

    def stop_capture(self) -> None:
        if self._in is not None:
            stream, self._in = self._in, None
            stream.stop()
            stream.close()

    def close(self) -> None:
        self.stop_playback()
        self.stop_capture()
