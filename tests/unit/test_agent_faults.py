"""The booth in the field: a sound card pulled and plugged back, no card at boot, callers who
say nothing or leave the handset off the hook, rotary dials, and the status LED."""

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from gpiozero.pins.mock import MockConnectedPin, MockFactory

from booth.agent import Agent
from booth.audio import AudioPort, MemoryAudio
from booth.call import HungUp, KeyPressed, Lifted, Phase
from booth.pins import PinPlanError
from booth.settings import BoothSettings
from booth.soundcard import SoundDeviceAudio
from booth.sounds import PromptLibrary, Sound
from booth.spool import Spool
from booth.station import Station, check_wiring
from shared.messages import BoothState
from tests.support.clock import ManualClock
from tests.support.fake_sounddevice import FakeCard
from tests.support.keypad import COLUMNS, ROWS, Fingers
from tests.support.waiting import wait_until

UNREACHABLE_BROKER = "mqtt://127.0.0.1:1"


def settings_for(tmp: Path, **extra: object) -> BoothSettings:
    fields: dict[str, object] = {
        "id": "booth-field",
        "spool_dir": tmp / "spool",
        "theme": "parks",
        "consent_timeout_s": 0.5,
        "no_speech_timeout_s": 0.6,
        "audio_stall_s": 0.3,
        "audio_retry_max_s": 0.4,
        "mqtt_url": UNREACHABLE_BROKER,
        "greeting_delay_ms": 0,
    }
    return BoothSettings(**(fields | extra))  # type: ignore[arg-type]


class Running:
    def __init__(
        self, settings: BoothSettings, audio: AudioPort, clock: ManualClock | None = None
    ) -> None:
        self.audio = audio
        self.spool = Spool(settings.spool_dir)
        self.agent = Agent(settings, audio, self.spool, None, PromptLibrary(), clock=clock)
        self.states: list[BoothState] = []
        self.agent.on_change.append(lambda _phase, state: self.states.append(state))
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.agent.run, args=(self.stop,))
        self.thread.start()

    def expect(self, *phases: Phase, timeout: float = 10) -> None:
        assert self.agent.wait_for(phases, timeout), f"stuck in {self.agent.call.phase}"

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive()


@pytest.fixture
def card() -> FakeCard:
    return FakeCard(rates=(48_000,), output_channels=(2,), input_channels=(2,), speed=20)


@pytest.fixture
def booth(tmp_path: Path, card: FakeCard) -> Iterator[Running]:
    running = Running(settings_for(tmp_path), SoundDeviceAudio("USB", "USB", sd=card))
    yield running
    running.close()


def test_a_card_pulled_mid_call_ends_it_and_the_booth_recovers_when_it_returns(
    booth: Running, card: FakeCard
) -> None:
    booth.agent.post(Lifted())
    booth.expect(Phase.CONSENT)
    booth.agent.post(KeyPressed("#"))
    booth.expect(Phase.RECORDING)
    card.unplug()
    booth.expect(Phase.FINISHED)  # the call ends; the thread lives on
    status = booth.agent.status()
    assert status.state is BoothState.OUT_OF_ORDER
    assert status.last_error and "sound card failed" in status.last_error
    booth.agent.post(HungUp())
    booth.expect(Phase.IDLE)
    assert booth.agent.state() is BoothState.OUT_OF_ORDER  # still, until the card is back

    booth.agent.post(Lifted())  # the next caller gets no call, and nothing crashes
    booth.expect(Phase.FINISHED)
    booth.agent.post(HungUp())
    booth.expect(Phase.IDLE)

    card.plug_in(index=2)  # back, as hw:2: PortAudio must list the cards again to see it
    assert wait_until(lambda: booth.agent.state() is BoothState.IDLE)
    assert booth.agent.status().last_error is None
    # Observers hear of it just after the state flips (the status is published next).
    assert wait_until(lambda: booth.states[-1] is BoothState.IDLE)
    assert BoothState.OUT_OF_ORDER in booth.states
    booth.agent.post(Lifted())  # and calls work again, on the same card
    booth.expect(Phase.CONSENT)
    assert booth.thread.is_alive()


def test_no_card_at_boot_is_out_of_order_until_one_is_plugged_in(tmp_path: Path) -> None:
    card = FakeCard(speed=20, present=False)  # not there when PortAudio started
    running = Running(settings_for(tmp_path), SoundDeviceAudio("USB", "USB", sd=card))
    try:
        assert wait_until(lambda: running.agent.state() is BoothState.OUT_OF_ORDER)
        card.plug_in()
        assert wait_until(lambda: running.agent.state() is BoothState.IDLE)
    finally:
        running.close()


def test_a_card_that_dies_during_the_greeting_is_noticed_within_two_seconds(
    tmp_path: Path,
) -> None:
    """The greeting lasts half a minute; a card that stops taking sound mid-way is failed
    `audio_stall_s` (1.5 s by default) after it last took some, not at the greeting's end."""
    stall_s = BoothSettings.model_fields["audio_stall_s"].default
    card = FakeCard(speed=1)
    clock = ManualClock()
    settings = settings_for(tmp_path, audio_stall_s=stall_s)
    running = Running(settings, SoundDeviceAudio("USB", "USB", sd=card), clock)
    try:
        running.agent.post(Lifted())
        running.expect(Phase.GREETING)
        for _ in range(6):  # 3 s of greeting, the card taking sound all along
            taken = len(card.played)
            clock.advance(0.5)
            assert wait_until(lambda: len(card.played) > taken + 1, 5)  # noqa: B023
        assert running.agent.state() is BoothState.IN_CALL
        card.unplug()
        clock.advance(stall_s - 0.1)
        assert running.agent.wait_idle_processing(5)  # the loop has looked, and waits on
        assert running.agent.call.phase is Phase.GREETING
        clock.advance(2.0 - stall_s)
        running.expect(Phase.FINISHED)
        assert f"took no sound for {stall_s} s" in (running.agent.status().last_error or "")
        assert running.agent.state() is BoothState.OUT_OF_ORDER
    finally:
        running.close()


def test_a_caller_who_says_nothing_hears_goodbye_and_nothing_is_kept(tmp_path: Path) -> None:
    audio = MemoryAudio(speed=40)
    running = Running(settings_for(tmp_path, max_recording_s=120), audio)
    try:
        running.agent.post(Lifted())
        running.expect(Phase.CONSENT)
        running.agent.post(KeyPressed("#"))
        running.expect(Phase.RECORDING)
        running.expect(Phase.FINISHED, timeout=5)  # long before the 120 s limit
        assert np.array_equal(audio.played[-1], PromptLibrary().named("goodbye"))
        running.agent.post(HungUp())
        assert running.agent.wait_idle_processing(10)
        assert running.spool.pending() == []
        assert running.agent.counts["discarded_no_speech"] == 1
        assert not list((tmp_path / "tapes").glob("*"))  # the tape went too
    finally:
        running.close()


def test_a_handset_left_off_the_hook_is_reported(tmp_path: Path) -> None:
    running = Running(settings_for(tmp_path, off_hook_after_s=0.3), MemoryAudio(speed=40))
    try:
        running.agent.post(Lifted())
        running.expect(Phase.OFF_HOOK)  # no consent, goodbye, and the handset stays up
        assert running.agent.status().state is BoothState.OFF_HOOK
        running.agent.post(HungUp())
        running.expect(Phase.IDLE)
        assert running.agent.status().state is BoothState.IDLE
    finally:
        running.close()


def pulse(pin: object, clock: ManualClock, pulses: int) -> None:
    for _ in range(pulses):
        pin.drive_high()  # type: ignore[attr-defined]
        clock.advance(0.06)
        pin.drive_low()  # type: ignore[attr-defined]
        clock.advance(0.04)


def test_a_rotary_booth_consents_by_dialling_its_digit(tmp_path: Path) -> None:
    pins = MockFactory()
    settings = settings_for(
        tmp_path, dial_pulse_pin=27, consent_key="1", consent_timeout_s=10, led_pin=24
    )
    audio = MemoryAudio(speed=40)
    clock = ManualClock()
    with Station(settings, audio, pin_factory=pins, clock=clock) as station:
        pins.pin(27).drive_low()  # the pulse contact is closed at rest
        assert wait_until(lambda: pins.pin(24).state == 1)  # lit from boot: ready
        pins.pin(17).drive_low()  # lift
        clock.advance(0.1)  # past the hook's debounce
        assert station.agent.wait_for([Phase.CONSENT], 10)
        pulse(pins.pin(27), clock, 1)
        clock.advance(0.5)  # past the digit gap
        assert station.agent.wait_for([Phase.PROMPT, Phase.BEEP, Phase.RECORDING], 5)
        greeting = PromptLibrary(consent_key="1").sound(Sound.GREETING)
        assert np.array_equal(audio.played[0], greeting)
        assert len(greeting) > len(PromptLibrary(consent_key="#").sound(Sound.GREETING))


def test_a_booth_with_a_key_matrix_takes_its_consent_from_it(tmp_path: Path) -> None:
    pins = MockFactory(pin_class=MockConnectedPin)  # a pressed key joins row and column
    settings = settings_for(
        tmp_path, keypad_rows=ROWS, keypad_columns=COLUMNS, consent_timeout_s=10
    )
    clock = ManualClock()
    finger = Fingers(pins, pull_up=True)
    with Station(settings, MemoryAudio(speed=40), pin_factory=pins, clock=clock) as station:
        pins.pin(17).drive_low()  # lift
        clock.advance(0.1)
        assert station.agent.wait_for([Phase.GREETING, Phase.CONSENT], 10)
        finger.down("#")
        clock.advance(0.08)
        finger.up("#")
        clock.advance(0.08)
        assert station.agent.wait_for([Phase.PROMPT, Phase.BEEP, Phase.RECORDING], 5)


def test_the_consent_key_must_be_one_the_booth_can_send(tmp_path: Path) -> None:
    rotary = settings_for(tmp_path, dial_pulse_pin=27)  # consent_key "#" by default
    with pytest.raises(PinPlanError, match="rotary dial sends only digits"):
        check_wiring(rotary)
    check_wiring(settings_for(tmp_path, dial_pulse_pin=27, consent_key="0"))
    check_wiring(settings_for(tmp_path, keypad_pins={"#": 22}))
    matrix = {"keypad_rows": [5, 6, 13, 19], "keypad_columns": [12, 16, 20]}
    check_wiring(settings_for(tmp_path, **matrix))  # "#" is on the 3x4 matrix
    with pytest.raises(PinPlanError, match="keypad_layout has 10 keys"):
        check_wiring(settings_for(tmp_path, keypad_layout="1234567890", **matrix))
    with pytest.raises(PinPlanError, match="no keypad pin"):
        check_wiring(settings_for(tmp_path, keypad_layout="123456789*0X", **matrix))


def test_the_led_goes_dark_when_the_card_fails(tmp_path: Path, card: FakeCard) -> None:
    pins = MockFactory()
    settings = settings_for(tmp_path, keypad_pins={"#": 22}, led_pin=24)
    clock = ManualClock()
    audio = SoundDeviceAudio("USB", "USB", sd=card)
    with Station(settings, audio, pin_factory=pins, clock=clock) as station:
        assert wait_until(lambda: pins.pin(24).state == 1)
        card.unplug()
        pins.pin(17).drive_low()  # a caller lifts; the greeting cannot play
        clock.advance(0.1)
        assert station.agent.wait_for([Phase.FINISHED], 10)
        assert wait_until(lambda: pins.pin(24).state == 0)
        card.plug_in()
        assert wait_until(lambda: pins.pin(24).state == 1)
