"""The rotary dial on gpiozero's MockFactory pins, driven by generated waveforms of real
dials: 7-14 pulses per second, break/make ratios 60/40 and 67/33 (and the other way round,
as a worn spring may give), and contact bounce of up to 5 ms on both edges. Time is the
test's clock, so every edge lands exactly where the waveform puts it."""

from collections.abc import Iterator

import pytest
from gpiozero.pins.mock import MockFactory

from booth.call import Event, KeyPressed
from booth.dial import RotaryDial
from tests.support.clock import ManualClock

PULSE, OFF_NORMAL = 27, 23
Edge = tuple[float, str, bool]  # (time, "pulse" or "off_normal", closed)


@pytest.fixture
def pins() -> Iterator[MockFactory]:
    factory = MockFactory()
    yield factory
    factory.reset()


def bounced(t: float, contact: str, closed: bool, bounce_s: float) -> list[Edge]:
    """An edge at `t` that chatters for `bounce_s` before it stays: back, forth, back, forth."""
    edges: list[Edge] = [(t, contact, closed)]
    if bounce_s:
        for n, at in enumerate((0.2, 0.4, 0.8, 1.0)):
            edges.append((t + at * bounce_s, contact, closed if n % 2 else not closed))
    return edges


def waveform(
    digits: list[int],
    per_second: float,
    break_ratio: float,
    *,
    open_bounce_s: float = 0.0,
    close_bounce_s: float = 0.0,
    between_s: float = 0.6,
    off_normal: bool = False,
) -> list[Edge]:
    """The contacts' edges while `digits` are dialled (0 sends ten pulses)."""
    period = 1 / per_second
    edges: list[Edge] = []
    t = 0.1
    for digit in digits:
        if off_normal:
            edges += bounced(t, "off_normal", True, close_bounce_s)  # the finger winds it up
            t += 0.25  # wind-up; the pulse contact stays closed
        for _ in range(digit or 10):
            edges += bounced(t, "pulse", False, open_bounce_s)
            t += period * break_ratio
            edges += bounced(t, "pulse", True, close_bounce_s)
            t += period * (1 - break_ratio)
        if off_normal:
            edges += bounced(t, "off_normal", False, open_bounce_s)  # back at rest
        t += between_s
    return sorted(edges, key=lambda edge: edge[0])


def play(pins: MockFactory, clock: ManualClock, edges: list[Edge]) -> None:
    pin = {"pulse": pins.pin(PULSE), "off_normal": pins.pin(OFF_NORMAL)}
    for at, contact, closed in edges:
        clock.advance(max(0.0, at - clock.now()))
        # Contacts to ground on pull-ups: closed reads low.
        pin[contact].drive_low() if closed else pin[contact].drive_high()
    clock.advance(1.0)


def dialled(
    pins: MockFactory, edges: list[Edge], *, off_normal: bool = False, **dial: float
) -> list[Event]:
    clock = ManualClock()
    events: list[Event] = []
    rotary = RotaryDial(
        PULSE,
        events.append,
        off_normal_pin=OFF_NORMAL if off_normal else None,
        pin_factory=pins,
        clock=clock,
        **dial,
    )
    pins.pin(PULSE).drive_low()  # the pulse contact is closed at rest (after the pull-up)
    pins.pin(OFF_NORMAL).drive_high()  # the off-normal contact open
    try:
        play(pins, clock, edges)
    finally:
        rotary.close()
    return events


def keys(*digits: int) -> list[Event]:
    return [KeyPressed(str(d % 10)) for d in digits]


DIGITS = [3, 7, 0, 1]


@pytest.mark.parametrize("per_second", [7.0, 8.0, 10.0, 12.0, 14.0])
@pytest.mark.parametrize("break_ratio", [0.6, 0.67, 0.4, 0.33])
@pytest.mark.parametrize("bounce_s", [0.0, 0.002, 0.005])
def test_dials_of_every_speed_ratio_and_bounce_give_their_digits(
    pins: MockFactory, per_second: float, break_ratio: float, bounce_s: float
) -> None:
    edges = waveform(
        DIGITS, per_second, break_ratio, open_bounce_s=bounce_s, close_bounce_s=bounce_s
    )
    assert dialled(pins, edges) == keys(*DIGITS)


@pytest.mark.parametrize("per_second", [8.0, 10.0, 12.0])
def test_bounce_when_the_contact_recloses_is_no_extra_pulse(
    pins: MockFactory, per_second: float
) -> None:
    """One 2 ms bounce per close: each re-closing once read as another pulse."""
    edges = waveform([3, 7, 0], per_second, 0.6, close_bounce_s=0.002)
    assert dialled(pins, edges) == keys(3, 7, 0)


@pytest.mark.parametrize("per_second", [7.0, 10.0, 14.0])
@pytest.mark.parametrize("break_ratio", [0.6, 0.67])
def test_the_off_normal_contact_frames_each_digit(
    pins: MockFactory, per_second: float, break_ratio: float
) -> None:
    """With the off-normal contact, digits dialled in quick succession (less than the digit
    gap apart) stay apart, and bounce on it is swallowed too."""
    edges = waveform(
        DIGITS,
        per_second,
        break_ratio,
        open_bounce_s=0.005,
        close_bounce_s=0.005,
        between_s=0.05,
        off_normal=True,
    )
    assert dialled(pins, edges, off_normal=True) == keys(*DIGITS)


def test_a_knock_on_the_pulse_contact_at_rest_is_no_digit_with_off_normal(
    pins: MockFactory,
) -> None:
    knock = [(0.1, "pulse", False), (0.15, "pulse", True)]  # 50 ms open: looks like a pulse
    assert dialled(pins, knock, off_normal=True) == []
    assert dialled(pins, knock) == keys(1)  # without the contact it cannot be told apart


def test_a_pause_within_a_digit_shorter_than_the_gap_keeps_it_one_digit(
    pins: MockFactory,
) -> None:
    first = waveform([2], 10.0, 0.6, between_s=0.0)
    resumed = [(t + first[-1][0] + 0.1, c, v) for t, c, v in waveform([2], 10.0, 0.6)]
    assert dialled(pins, first + resumed, digit_gap_s=0.25) == keys(4)
