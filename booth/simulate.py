"""A booth with simulated hardware: gpiozero MockFactory pins for the hook and keys, audio in
memory. The simulated caller lifts, listens, consents, speaks a file, and hangs up; the rest
of the booth (call machine, VAD, encoder, spool, uplink) is the real thing."""

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from gpiozero.pins.mock import MockFactory

from booth.audio import MemoryAudio
from booth.call import Phase
from booth.settings import BoothSettings
from booth.sounds import RATE, Samples
from booth.station import Station

log = logging.getLogger(__name__)

KEYPAD_PINS = {"#": 22, "*": 23, **{str(d): 5 + d for d in range(10)}}


@dataclass(frozen=True)
class CallScript:
    audio: Samples
    digit: str | None = None
    consent: bool = True
    hang_up_while_talking: bool = False


class SimulatedBooth(Station):
    """A booth on MockFactory pins with memory audio, and a pair of hands to use it."""

    def __init__(self, settings: BoothSettings, speed: float = 1.0) -> None:
        settings = settings.model_copy(update={"keypad_pins": KEYPAD_PINS})
        self.memory_audio = MemoryAudio(speed=speed)
        super().__init__(settings, self.memory_audio, pin_factory=MockFactory())

    def __enter__(self) -> "SimulatedBooth":
        super().__enter__()
        return self

    def settle_in(self, timeout: float = 5.0) -> None:
        """Like a booth after boot: connect, and take the retained config if there is one."""
        if self.uplink.connected.wait(timeout):
            self.agent.config_applied.wait(min(timeout, 2.0))

    # The caller's hands ---------------------------------------------------------------

    def lift(self) -> None:
        self._drive_hook(lifted=True)

    def hang_up(self) -> None:
        self._drive_hook(lifted=False)

    def _drive_hook(self, *, lifted: bool) -> None:
        # With pull-ups, a closed switch reads low; which state is closed depends on polarity.
        pin = self.pin_factory.pin(self.settings.hook_pin)
        if lifted != self.settings.hook_lifted_when_high:
            pin.drive_low()
        else:
            pin.drive_high()

    def press(self, key: str) -> None:
        pin = self.pin_factory.pin(KEYPAD_PINS[key])
        pin.drive_low()
        pin.drive_high()

    # A whole call ---------------------------------------------------------------------

    def place_call(self, script: CallScript, timeout: float = 120.0) -> None:
        agent = self.agent
        if not agent.wait_for([Phase.IDLE], timeout):
            raise TimeoutError("booth never became idle")
        self.lift()
        self._expect([Phase.CONSENT], timeout)
        if not script.consent:
            self._expect([Phase.FINISHED], timeout)
            self.hang_up()
            return
        self.press(self.settings.consent_key)
        if script.digit is not None:
            self._expect([Phase.CHOOSING, Phase.PROMPT], timeout)
            self.press(script.digit)
        self._expect([Phase.RECORDING], timeout)
        self.memory_audio.say(script.audio)
        if script.hang_up_while_talking:
            self.memory_audio.said_all.wait(timeout)
        else:
            self._expect([Phase.FINISHED], timeout)
        self.hang_up()
        self._expect([Phase.IDLE], timeout)

    def _expect(self, phases: Sequence[Phase], timeout: float) -> None:
        if not self.agent.wait_for(phases, timeout):
            raise TimeoutError(f"booth stuck in {self.agent.call.phase}, expected {list(phases)}")


def run(
    settings: BoothSettings,
    audio_files: list[Path],
    *,
    digit: str | None = None,
    speed: float = 1.0,
    timeout: float = 120.0,
) -> int:
    clips = [load_speech(path) for path in audio_files]
    with SimulatedBooth(settings, speed=speed) as booth:
        booth.settle_in()
        known = {str(c.meta.clip_id) for c in booth.spool.pending()}
        try:
            for n, samples in enumerate(clips, 1):
                booth.place_call(CallScript(samples, digit=digit), timeout)
                log.info("call %d of %d placed", n, len(clips))
        except TimeoutError as exc:
            print(f"error: {exc}", flush=True)
            return 1
        if not booth.agent.wait_idle_processing(timeout):
            print("error: the booth did not finish processing the calls", flush=True)
            return 1
        spooled = [m for m in booth.agent.processor.recent if str(m.clip_id) not in known]
        for meta in spooled:
            print(
                json.dumps(
                    {
                        "clip_id": str(meta.clip_id),
                        "theme": meta.theme,
                        "duration_ms": meta.duration_ms,
                        "receipt": meta.receipt,
                    }
                ),
                flush=True,
            )
        delivered = booth.uplink.wait_until_empty(timeout)
        counts = booth.uplink.counts
        quarantined = booth.spool.quarantined()
    if not delivered:
        print(
            f"error: {booth.spool.depth()} clip(s) still unacked after {timeout:.0f} s; "
            f"they stay in {settings.spool_dir} and go out on the next run",
            flush=True,
        )
        return 1
    if counts["rejected"]:
        print(f"error: ingest rejected {counts['rejected']} clip(s); see {quarantined}", flush=True)
        return 1
    if len(spooled) < len(clips):
        silent = len(clips) - len(spooled)
        print(f"error: {silent} call(s) kept no message: the caller said nothing", flush=True)
        return 1
    print(f"{len(spooled)} call(s) recorded; the spool is empty: ingest stored all", flush=True)
    return 0


def load_speech(path: Path) -> Samples:
    """Any soundfile-readable file; resampled crudely to 16 kHz mono if it is not."""
    import soundfile as sf

    data, rate = sf.read(path, dtype="int16", always_2d=True)
    mono: Samples = data.mean(axis=1).astype(np.int16)
    if rate == RATE:
        return mono
    positions = np.arange(0, len(mono), rate / RATE)
    resampled: Samples = np.interp(positions, np.arange(len(mono)), mono).astype(np.int16)
    return resampled
