"""Hook, keypad and rotary dial on gpiozero's MockFactory pins, with a clock moved by hand:
MockFactory calls back on the thread that drives the pin, and the debounce and the dial's
digit gap run on the test's clock, so nothing here waits for real time."""

from collections.abc import Iterator

import pytest
from gpiozero.pins.mock import MockConnectedPin, MockFactory

from booth.call import Event, HungUp, KeyPressed, Lifted
from booth.hardware import Hook, Keypad, KeypadMatrix
from tests.support.clock import ManualClock
from tests.support.keypad import COLUMNS, LAYOUT, ROWS, Fingers


@pytest.fixture
def pins() -> Iterator[MockFactory]:
    factory = MockFactory()
    yield factory
    factory.reset()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.mark.parametrize("lifted_when_high", [False, True])
def test_hook_polarity(pins: MockFactory, clock: ManualClock, lifted_when_high: bool) -> None:
    events: list[Event] = []
    pin = pins.pin(17)
    on_cradle, off_cradle = (
        (pin.drive_low, pin.drive_high) if lifted_when_high else (pin.drive_high, pin.drive_low)
    )
    on_cradle()
    hook = Hook(
        17,
        events.append,
        lifted_when_high=lifted_when_high,
        bounce_s=0.01,
        pin_factory=pins,
        clock=clock,
    )
    on_cradle()  # the pull-up may have moved the mock pin; put the handset back
    clock.advance(0.1)
    events.clear()
    assert not hook.lifted
    off_cradle()
    clock.advance(0.1)
    assert hook.lifted
    on_cradle()
    clock.advance(0.1)
    assert events == [Lifted(), HungUp()]
    hook.close()


def test_hook_debounce_swallows_contact_chatter(pins: MockFactory, clock: ManualClock) -> None:
    events: list[Event] = []
    pin = pins.pin(17)
    hook = Hook(17, events.append, bounce_s=0.05, pin_factory=pins, clock=clock)
    pin.drive_high()
    for _ in range(5):  # a worn cradle switch chattering as the handset lifts
        pin.drive_low()
        clock.advance(0.01)
        pin.drive_high()
        clock.advance(0.01)
    pin.drive_low()
    assert events == []  # still settling
    clock.advance(0.05)
    assert events == [Lifted()]
    for _ in range(3):  # and as it goes back
        pin.drive_high()
        clock.advance(0.01)
        pin.drive_low()
        clock.advance(0.01)
    pin.drive_high()
    clock.advance(0.05)
    assert events == [Lifted(), HungUp()]
    hook.close()


def test_a_blip_shorter_than_the_bounce_time_is_no_call(
    pins: MockFactory, clock: ManualClock
) -> None:
    events: list[Event] = []
    pin = pins.pin(17)
    hook = Hook(17, events.append, bounce_s=0.05, pin_factory=pins, clock=clock)
    pin.drive_high()
    pin.drive_low()
    clock.advance(0.02)
    pin.drive_high()  # a knock on the cradle
    clock.advance(1.0)
    assert events == []
    hook.close()


def test_keypad_keys(pins: MockFactory) -> None:
    events: list[Event] = []
    keypad = Keypad({"#": 22, "3": 8}, events.append, bounce_s=None, pin_factory=pins)  # type: ignore[arg-type]
    for pin in (22, 8):
        pins.pin(pin).drive_low()
        pins.pin(pin).drive_high()
    assert events == [KeyPressed("#"), KeyPressed("3")]
    keypad.close()


@pytest.mark.parametrize("pull_up", [True, False])
def test_a_key_matrix_is_scanned_into_keys(clock: ManualClock, pull_up: bool) -> None:
    pins = MockFactory(pin_class=MockConnectedPin)
    events: list[Event] = []
    matrix = KeypadMatrix(
        ROWS, COLUMNS, LAYOUT, events.append, pull_up=pull_up, pin_factory=pins, clock=clock
    )
    finger = Fingers(pins, pull_up)
    try:
        clock.advance(0.1)
        assert events == []  # nothing pressed, nothing read
        for key in LAYOUT:  # every key, a firm 80 ms press each
            finger.down(key)
            clock.advance(0.08)
            finger.up(key)
            clock.advance(0.08)
        assert events == [KeyPressed(k) for k in LAYOUT]
        events.clear()
        finger.down("#")  # a bouncing contact, then held a second: one key
        clock.advance(0.003)
        finger.up("#")
        clock.advance(0.002)
        finger.down("#")
        clock.advance(1.0)
        finger.up("#")
        clock.advance(0.003)
        finger.down("#")  # bounce on release
        clock.advance(0.002)
        finger.up("#")
        clock.advance(0.1)
        finger.down("5")  # a 5 ms knock is no key
        clock.advance(0.005)
        finger.up("5")
        clock.advance(0.1)
        assert events == [KeyPressed("#")]
    finally:
        matrix.close()
        pins.reset()


def test_a_matrix_layout_must_fit_its_pins() -> None:
    with pytest.raises(ValueError, match="need 12"):
        KeypadMatrix(ROWS, COLUMNS, "123", lambda _e: None, pin_factory=MockFactory())
