"""A stand-in for the `sounddevice` module that behaves like one given USB sound card.

Like PortAudio on an ALSA `hw:` device it converts nothing: a stream at a rate or channel
count the card does not do is refused with PortAudioError, and devices are found by name
substring (an unknown name is a ValueError, as in sounddevice). Streams run on their own
threads and call back in real time (or `speed` times faster).

The device list is PortAudio's, frozen when PortAudio initialises (`Pa_Initialize`, which
`import sounddevice` calls once): `query_devices()` answers from that list however the
cards change after. A card plugged in later is not in it; a card pulled out stays in it,
and so does the entry of a card that came back under another ALSA index (`hw:1,0` where
it is now `hw:2,0`), and opening either fails in the host API. Only `sd._terminate();
sd._initialize()` (Pa_Terminate, which also closes every open stream, then Pa_Initialize)
reads the cards again. This is sounddevice's documented behaviour, inherited from
PortAudio: python-sounddevice issues #125 and #47 (the maintainer: "known behavior
(inherited from PortAudio, it should affect all platforms) ... If you want to update the
list of devices, you can use this: sd._terminate(); sd._initialize()") and PortAudio
issue #447 (Pa_GetDeviceCount and Pa_GetDeviceInfo are not updated when a USB card is
connected or disconnected; hot-plug is not implemented). `_terminate` without a matching
`_initialize` fails as Pa_Terminate does (paNotInitialized).

`unplug()` behaves like pulling the card out: running streams stop calling back (no
"finished" either). `plug_in(index=...)` puts it back, under a new ALSA index if given.
"""

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np


class PortAudioError(Exception):
    pass


class CallbackStop(Exception):
    pass


class FakeCard:
    def __init__(
        self,
        name: str = "USB Audio Device",
        *,
        rates: tuple[int, ...] = (48_000,),
        output_channels: tuple[int, ...] = (2,),
        input_channels: tuple[int, ...] = (1, 2),
        microphone: Callable[[int, int], np.ndarray] | None = None,
        speed: float = 1.0,
        present: bool = True,
    ) -> None:
        self.name = name
        self.rates = rates
        self.channels = {"output": output_channels, "input": input_channels}
        # microphone(rate, frames) -> int16 mono samples heard next; room hum by default
        self.microphone = microphone or self._hum
        self.speed = speed
        self.present = present  # False: not plugged in when the booth started
        self.alsa_index = 1  # the card's number in ALSA (`aplay -l`), hw:1,0
        self.initialisations = 0  # how often PortAudio read the device list
        self._initialized = 0
        self._listed: int | None = None  # the ALSA index PortAudio listed, None: not listed
        self._streams: list[FakeStream] = []
        self.played: list[np.ndarray] = []  # frames as the card got them: (n, channels)
        self.opened: list[tuple[str, int, int]] = []  # (kind, rate, channels)
        self._hum_phase = 0
        self.PortAudioError = PortAudioError
        self.CallbackStop = CallbackStop
        self._initialize()  # as `import sounddevice` does

    # The technician's hands -------------------------------------------------------------

    def unplug(self) -> None:
        self.present = False

    def plug_in(self, index: int | None = None) -> None:
        self.present = True
        if index is not None:
            self.alsa_index = index

    # PortAudio's life (sounddevice's private functions, used as its maintainer advises) ------

    def _initialize(self) -> None:
        self._initialized += 1
        self.initialisations += 1
        self._listed = self.alsa_index if self.present else None

    def _terminate(self) -> None:
        if not self._initialized:
            raise PortAudioError("Error terminating PortAudio: PortAudio not initialized")
        self._initialized -= 1
        for stream in list(self._streams):  # Pa_Terminate closes every open stream
            stream.close()
        self._listed = None

    @property
    def device_name(self) -> str:
        """The name PortAudio's ALSA host API gives the card's first PCM."""
        return f"{self.name}: USB Audio (hw:{self._listed},0)"

    # sounddevice's interface ------------------------------------------------------------

    def query_devices(self, device: Any = None, kind: str | None = None) -> dict[str, Any]:
        self._find(device)
        return {
            "name": self.device_name,
            "max_output_channels": max(self.channels["output"]),
            "max_input_channels": max(self.channels["input"]),
            "default_samplerate": float(self.rates[0]),
        }

    def check_output_settings(self, **kwargs: Any) -> None:
        self._check("output", **kwargs)

    def check_input_settings(self, **kwargs: Any) -> None:
        self._check("input", **kwargs)

    def OutputStream(self, **kwargs: Any) -> "FakeStream":  # noqa: N802 - sounddevice's name
        return FakeStream(self, "output", **kwargs)

    def InputStream(self, **kwargs: Any) -> "FakeStream":  # noqa: N802 - sounddevice's name
        return FakeStream(self, "input", **kwargs)

    # ----------------------------------------------------------------------------------------

    def _find(self, device: Any) -> None:
        """Look `device` up in the list PortAudio made when it initialised."""
        if not self._initialized:
            raise PortAudioError("PortAudio not initialized [PaErrorCode -10000]")
        if self._listed is None:
            raise (
                PortAudioError("Error querying device -1")
                if device is None
                else ValueError(f"No device matching {device!r}")
            )
        if device is not None and str(device).lower() not in self.device_name.lower():
            raise ValueError(f"No device matching {device!r}")

    def _open(self, kind: str) -> None:
        """What ALSA says when PortAudio opens the listed device: it must still be there."""
        if not self.present or self._listed != self.alsa_index:
            raise PortAudioError(
                f"Error opening {kind} stream: Unanticipated host error [PaErrorCode -9999]: "
                "'No such device' [ALSA error -19]"
            )

    def _check(
        self, kind: str, device: Any = None, samplerate: float = 0, channels: int = 1, **_: Any
    ) -> None:
        self._find(device)
        self._open(kind)
        if int(samplerate) not in self.rates:
            raise PortAudioError(
                f"Error opening {kind} stream: Invalid sample rate [PaErrorCode -9997]"
            )
        if channels not in self.channels[kind]:
            raise PortAudioError(
                f"Error opening {kind} stream: Invalid number of channels [PaErrorCode -9998]"
            )

    def _hum(self, rate: int, frames: int) -> np.ndarray:
        t = (np.arange(frames) + self._hum_phase) / rate
        self._hum_phase += frames
        return (np.sin(2 * np.pi * 50 * t) * 200).astype(np.int16)


class FakeStream:
    def __init__(
        self,
        card: FakeCard,
        kind: str,
        *,
        samplerate: float,
        channels: int,
        dtype: str,
        device: Any = None,
        callback: Callable[..., None],
        finished_callback: Callable[[], None] | None = None,
        blocksize: int = 0,
    ) -> None:
        card._check(kind, device=device, samplerate=samplerate, channels=channels)
        assert dtype == "int16"
        card.opened.append((kind, int(samplerate), channels))
        card._streams.append(self)
        self.card, self.kind = card, kind
        self.rate, self.channels = int(samplerate), channels
        self.blocksize = blocksize or self.rate // 100
        self.callback = callback
        self.finished_callback = finished_callback
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._end()

    def abort(self) -> None:
        self._end()

    def close(self) -> None:
        self._end()

    def _end(self) -> None:
        self._stopping.set()
        with contextlib.suppress(ValueError):
            self.card._streams.remove(self)
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(2)

    def _run(self) -> None:
        period = self.blocksize / self.rate / self.card.speed
        while not self._stopping.is_set():
            if not self.card.present:
                return  # pulled out: no more callbacks, no "finished" either
            try:
                if self.kind == "output":
                    out = np.zeros((self.blocksize, self.channels), np.int16)
                    try:
                        self.callback(out, self.blocksize, None, None)
                    finally:
                        self.card.played.append(out.copy())
                else:
                    mono = self.card.microphone(self.rate, self.blocksize)
                    frames = np.repeat(mono.reshape(-1, 1), self.channels, axis=1)
                    self.callback(frames, self.blocksize, None, None)
            except CallbackStop:
                break
            time.sleep(period)
        if self.finished_callback is not None:
            self.finished_callback()
