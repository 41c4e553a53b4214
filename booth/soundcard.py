"""The handset through PortAudio (sounddevice), on whatever format the card accepts.

The booth thinks in 16 kHz mono int16. Cheap USB cards often take only 44.1/48 kHz, and
some only stereo playback; PortAudio on an ALSA `hw:` device converts nothing. So each
direction is opened at the first format the card accepts (16 kHz mono first), and samples
are resampled (soxr) and up/down-mixed here.

Devices are named by their ALSA card name ("USB Audio Device", as `aplay -l` shows it),
never by ALSA index: a USB card that is pulled and plugged back, or a second card that
appears at boot, can come back as `hw:2` where it was `hw:1`. PortAudio fixes its device
list when it initialises and never updates it (python-sounddevice #125, PortAudio #447),
so a card plugged in later, or back under a new index, is invisible until PortAudio is
initialised again: `probe`, which the agent calls before each try to reopen a missing or
failed card, does that first.
"""

import logging
import math
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
import soxr

from booth.audio import BLOCK, OnBlock, OnDone
from booth.errors import AudioDeviceError
from booth.sounds import RATE, Samples

log = logging.getLogger(__name__)

RATES = (RATE, 48_000, 44_100, 32_000, 22_050)
BY_INDEX = re.compile(r"^(plug)?hw:\d|^\d+$")  # hw:1,0 or a PortAudio number


@dataclass(frozen=True)
class Format:
    rate: int
    channels: int

    def __str__(self) -> str:
        return f"{self.rate} Hz {'mono' if self.channels == 1 else f'{self.channels} ch'}"


def _load_sounddevice() -> ModuleType:
    try:
        import sounddevice
    except OSError as exc:  # the PortAudio library is missing
        raise AudioDeviceError(f"PortAudio missing ({exc}); apt install libportaudio2") from exc
    module: ModuleType = sounddevice
    return module


def apply_gain(samples: Samples, gain_db: float) -> Samples:
    if gain_db == 0:
        return samples
    scaled = samples.astype(np.float32) * np.float32(10 ** (gain_db / 20))
    louder: Samples = np.clip(scaled, -32768, 32767).astype(np.int16)
    return louder


class SoundDeviceAudio:
    """Devices chosen by name (ALSA names on the Pi) or the system default.

    `sd` is the sounddevice module; tests pass a fake that behaves like a given card.
    """

    def __init__(
        self,
        output_device: str | None = None,
        input_device: str | None = None,
        *,
        gain_db: float = 0.0,
        sd: Any = None,
    ) -> None:
        self._sd = sd or _load_sounddevice()
        for device in {output_device, input_device} - {None}:
            if BY_INDEX.match(str(device)):
                log.warning(
                    "sound device %r is named by its number, which changes when the card is "
                    "plugged again; name it by its card name (aplay -l)",
                    device,
                )
        self.output_device = output_device
        self.input_device = input_device
        self.gain_db = gain_db
        self._stop_out: Any = None
        self._in: Any = None
        # Found once per direction (asking PortAudio opens the device); forgotten when the
        # card fails, so a card plugged back is asked again.
        self._formats: dict[str, Format] = {}

    # Formats ---------------------------------------------------------------------------

    def output_format(self) -> Format:
        if "output" not in self._formats:
            self._formats["output"] = self._negotiate("output", self.output_device)
        return self._formats["output"]

    def input_format(self) -> Format:
        if "input" not in self._formats:
            self._formats["input"] = self._negotiate("input", self.input_device)
        return self._formats["input"]

    def _negotiate(self, kind: str, device: str | None) -> Format:
        name = device or "the default device"
        try:
            info = self._sd.query_devices(device, kind)
        except (ValueError, self._sd.PortAudioError) as exc:
            raise AudioDeviceError(f"no {kind} device {name}: {exc}") from exc
        max_channels = int(info[f"max_{kind}_channels"])
        if max_channels < 1:
            raise AudioDeviceError(f"{name} has no {kind} channels")
        sd = self._sd
        check = sd.check_output_settings if kind == "output" else sd.check_input_settings
        default_rate = int(info.get("default_samplerate") or 0)
        rates = list(dict.fromkeys([*RATES[:1], default_rate, *RATES[1:]]))
        for rate in filter(None, rates):
            for channels in range(1, min(max_channels, 2) + 1):
                try:
                    check(device=device, samplerate=rate, channels=channels, dtype="int16")
                except (ValueError, self._sd.PortAudioError):
                    continue
                return Format(rate, channels)
        raise AudioDeviceError(f"{name} accepts none of {rates} Hz in mono or stereo for {kind}")

    def probe(self) -> None:
        """Raise AudioDeviceError unless both directions can be opened now, as the cards are
        now: PortAudio is initialised again first, since its device list is the one it made
        at its start. Stops whatever this backend was playing or recording."""
        self.close()
        self._formats.clear()
        self.reinitialise()
        self.output_format()
        self.input_format()

    def reinitialise(self) -> None:
        """Make PortAudio read the cards again (Pa_Terminate, then Pa_Initialize)."""
        try:
            self._sd._terminate()
        except self._sd.PortAudioError as exc:  # not initialised: a failed earlier attempt
            log.debug("terminating PortAudio: %s", exc)
        try:
            self._sd._initialize()
        except self._sd.PortAudioError as exc:
            raise AudioDeviceError(f"cannot initialise PortAudio: {exc}") from exc

    # Playback --------------------------------------------------------------------------

    def play(self, samples: Samples, done: OnDone, progress: OnDone | None = None) -> None:
        self.stop_playback()
        fmt = self.output_format()
        out = apply_gain(samples, self.gain_db)
        if fmt.rate != RATE:
            out = soxr.resample(out, RATE, fmt.rate)
        frames = np.repeat(out.reshape(-1, 1), fmt.channels, axis=1)
        position = 0
        stopped = False

        def callback(outdata: Any, count: int, _time: Any, _status: Any) -> None:
            nonlocal position
            chunk = frames[position : position + count]
            outdata[: len(chunk)] = chunk
            outdata[len(chunk) :] = 0
            position += count
            if progress is not None:
                progress()
            if position >= len(frames):
                raise self._sd.CallbackStop

        def finished() -> None:
            # PortAudio also ends a stream whose card vanished: that is no "done".
            if not stopped and position >= len(frames):
                done()
            elif not stopped:
                log.error("playback on %s ended early", self.output_device or "default")

        try:
            stream = self._sd.OutputStream(
                samplerate=fmt.rate,
                channels=fmt.channels,
                dtype="int16",
                device=self.output_device,
                callback=callback,
                finished_callback=finished,
            )
            stream.start()
        except (ValueError, self._sd.PortAudioError) as exc:
            self._formats.pop("output", None)
            where = self._name(self.output_device)
            raise AudioDeviceError(f"cannot play on {where}: {exc}") from exc

        def stop() -> None:
            nonlocal stopped
            stopped = True
            try:
                stream.abort()
                stream.close()
            except self._sd.PortAudioError as exc:  # the card is already gone
                log.warning("closing playback: %s", exc)

        self._stop_out = stop

    def stop_playback(self) -> None:
        if self._stop_out is not None:
            stop, self._stop_out = self._stop_out, None
            stop()

    # Capture ---------------------------------------------------------------------------

    def start_capture(self, on_block: OnBlock) -> None:
        self.stop_capture()
        fmt = self.input_format()
        resampler = None
        if fmt.rate != RATE:
            resampler = soxr.ResampleStream(fmt.rate, RATE, 1, dtype="int16")
        pending = np.zeros(0, np.int16)

        def callback(indata: Any, _count: int, _time: Any, status: Any) -> None:
            nonlocal pending
            if status:
                log.warning("capture: %s", status)
            mono = np.asarray(indata[:, 0], dtype=np.int16)  # the microphone is channel 1
            if resampler is not None:
                mono = resampler.resample_chunk(mono)
            pending = np.concatenate([pending, mono])
            usable = len(pending) - len(pending) % BLOCK
            for start in range(0, usable, BLOCK):
                on_block(pending[start : start + BLOCK].copy())
            pending = pending[usable:]

        try:
            stream = self._sd.InputStream(
                samplerate=fmt.rate,
                channels=fmt.channels,
                dtype="int16",
                blocksize=math.ceil(BLOCK * fmt.rate / RATE),
                device=self.input_device,
                callback=callback,
            )
            stream.start()
        except (ValueError, self._sd.PortAudioError) as exc:
            self._formats.pop("input", None)
            where = self._name(self.input_device)
            raise AudioDeviceError(f"cannot record on {where}: {exc}") from exc
        self._in = stream

    def stop_capture(self) -> None:
        if self._in is not None:
            stream, self._in = self._in, None
            try:
                stream.stop()
                stream.close()
            except self._sd.PortAudioError as exc:  # the card is already gone
                log.warning("closing capture: %s", exc)

    def close(self) -> None:
        self.stop_playback()
        self.stop_capture()

    @staticmethod
    def _name(device: str | None) -> str:
        return device or "the default device"
