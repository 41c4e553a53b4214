"""Hook, keypad and rotary dial on gpiozero's MockFactory pins."""

import time
from collections.abc import Iterator

import pytest
from gpiozero import Device
from gpiozero.pins.mock import MockFactory

from booth.call import Event, HungUp, KeyPressed, Lifted
from booth.hardware import Hook, Keypad, RotaryDial


@pytest.fixture(autouse=True)
def mock_pins() -> Iterator[MockFactory]:
    factory = MockFactory()
    Device.pin_factory = factory
    yield factory
    factory.reset()
    Device.pin_factory = None


def settle() -> None:
    time.sleep(0.05)  # gpiozero delivers edges on its own thread


@pytest.mark.parametrize("lifted_when_high", [False, True])
def test_hook_polarity(mock_pins: MockFactory, lifted_when_high: bool) -> None:
    events: list[Event] = []
    pin = mock_pins.pin(17)
    on_cradle, off_cradle = (
        (pin.drive_low, pin.drive_high)
        if lifted_when_high
        else (
            pin.drive_high,
            pin.drive_low,
        )
    )
    on_cradle()
    hook = Hook(17, events.append, lifted_when_high=lifted_when_high, bounce_s=0.01)
    on_cradle()  # the pull-up may have moved the mock pin; put the handset back
    settle()
    events.clear()
    assert not hook.lifted
    off_cradle()
    settle()
    assert hook.lifted
    on_cradle()
    settle()
    assert events == [Lifted(), HungUp()]
    hook.close()


def test_hook_debounce_swallows_contact_chatter(mock_pins: MockFactory) -> None:
    events: list[Event] = []
    pin = mock_pins.pin(17)
    hook = Hook(17, events.append, bounce_s=0.05)
    pin.drive_high()
    for _ in range(5):  # a worn cradle switch chattering as the handset lifts
        pin.drive_low()
        pin.drive_high()
    pin.drive_low()
    time.sleep(0.2)
    for _ in range(3):  # and as it goes back
        pin.drive_high()
        pin.drive_low()
    pin.drive_high()
    time.sleep(0.2)
    assert events == [Lifted(), HungUp()]
    hook.close()


def test_a_blip_shorter_than_the_bounce_time_is_no_call(mock_pins: MockFactory) -> None:
    events: list[Event] = []
    pin = mock_pins.pin(17)
    hook = Hook(17, events.append, bounce_s=0.05)
    pin.drive_high()
    pin.drive_low()
    pin.drive_high()  # a knock on the cradle
    time.sleep(0.2)
    assert events == []
    hook.close()


def test_keypad_keys(mock_pins: MockFactory) -> None:
    events: list[Event] = []
    keypad = Keypad({"#": 22, "3": 8}, events.append, bounce_s=None)  # type: ignore[arg-type]
    for pin in (22, 8):
        mock_pins.pin(pin).drive_low()
        mock_pins.pin(pin).drive_high()
    settle()
    assert events == [KeyPressed("#"), KeyPressed("3")]
    keypad.close()


def dial(pin: object, pulses: int, per_second: float, bounce: bool = False) -> None:
    """A rotary dial returning: the pulse contact opens `pulses` times."""
    period = 1 / per_second
    for _ in range(pulses):
        pin.drive_high()  # type: ignore[attr-defined]
        if bounce:
            pin.drive_low()  # type: ignore[attr-defined]
            pin.drive_high()  # type: ignore[attr-defined]
        time.sleep(period * 0.6)
        pin.drive_low()  # type: ignore[attr-defined]
        time.sleep(period * 0.4)


@pytest.mark.parametrize("per_second", [8.0, 10.0, 12.0])
def test_rotary_dial_counts_pulses_into_digits(mock_pins: MockFactory, per_second: float) -> None:
    events: list[Event] = []
    pin = mock_pins.pin(27)
    pin.drive_low()  # the pulse contact is closed at rest
    rotary = RotaryDial(27, events.append, digit_gap_s=0.25)
    for digit in (3, 10, 1):
        dial(pin, digit, per_second, bounce=True)
        time.sleep(0.4)
    assert events == [KeyPressed("3"), KeyPressed("0"), KeyPressed("1")]
    rotary.close()
