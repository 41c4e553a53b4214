"""A stand-in for the `lgpio` module under gpiozero's LGPIOFactory, on one gpiochip.

It models what matters for sharing lines (lg's documentation and gpiozero 2.0's
`pins/lgpio.py`): `gpiochip_open` hands out a new handle each time; `gpio_claim_input`
and `gpio_claim_output` claim a line for that handle, and claiming a line that another
handle holds fails with `lgpio.error("GPIO busy")` (LG_GPIO_BUSY, -79; the kernel's EBUSY),
while the same handle may claim it again (gpiozero does, to change pull or function);
`gpio_free` and `gpiochip_close` release lines. gpiozero's `LGPIOPin.close` only claims its
line again as an input ("we let the factory close deal with actually freeing stuff"), so a
line stays taken until its factory closes.

The test is the wiring: `set_level(gpio, level)` is what the switch does to the line, and
calls the alert callbacks registered with `callback` as lgpio's thread would.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

# Constants as lgpio defines them.
SET_ACTIVE_LOW = 4
SET_OPEN_DRAIN = 8
SET_OPEN_SOURCE = 16
SET_PULL_UP = 32
SET_PULL_DOWN = 64
SET_PULL_NONE = 128
RISING_EDGE = 1
FALLING_EDGE = 2
BOTH_EDGES = 3
GPIO_BUSY = -79

_OUT = 1 << 1
_LG_INPUT = 1 << 8
_LG_OUTPUT = 1 << 9
_LG_ALERT = 1 << 10


class error(Exception):  # noqa: N801 - lgpio's name
    pass


@dataclass
class _Callback:
    chip: "FakeLgpio"
    gpio: int
    edge: int
    func: Callable[[int, int, int, int], None]
    cancelled: bool = field(default=False)

    def cancel(self) -> None:
        self.cancelled = True


class FakeLgpio:
    """Used in place of the module: `monkeypatch.setattr(gpiozero.pins.lgpio, "lgpio", it)`."""

    error = error

    def __init__(self) -> None:
        for name, value in globals().items():
            if name.isupper():
                setattr(self, name, value)
        self._handles = itertools.count(1)
        self.open_handles: set[int] = set()
        self.opened = 0  # gpiochip_open calls
        self.owner: dict[int, int] = {}  # gpio -> handle that claimed it
        self.modes: dict[int, int] = {}
        self.levels: dict[int, int] = {}  # what the wiring holds each line at
        self._callbacks: list[_Callback] = []
        self._ticks = itertools.count(1_000_000, 1_000_000)

    # The wiring ------------------------------------------------------------------------

    def set_level(self, gpio: int, level: int) -> None:
        before = self.gpio_read_level(gpio)
        self.levels[gpio] = level
        if before == level:
            return
        edge = RISING_EDGE if level else FALLING_EDGE
        for cb in list(self._callbacks):
            if cb.gpio == gpio and not cb.cancelled and cb.edge & edge:
                cb.func(0, gpio, level, next(self._ticks))

    def gpio_read_level(self, gpio: int) -> int:
        pulled_up = bool(self.modes.get(gpio, 0) & SET_PULL_UP)
        return self.levels.get(gpio, 1 if pulled_up else 0)

    # lgpio's functions -----------------------------------------------------------------

    def gpiochip_open(self, gpiochip: int) -> int:
        handle = next(self._handles)
        self.open_handles.add(handle)
        self.opened += 1
        return handle

    def gpiochip_close(self, handle: int) -> int:
        self._check_handle(handle)
        self.open_handles.discard(handle)
        for gpio in [g for g, h in self.owner.items() if h == handle]:
            self.gpio_free(handle, gpio)
        return 0

    def gpio_claim_input(self, handle: int, gpio: int, line_flags: int = 0) -> int:
        self._claim(handle, gpio)
        self.modes[gpio] = _LG_INPUT | line_flags
        return 0

    def gpio_claim_output(self, handle: int, gpio: int, level: int = 0, line_flags: int = 0) -> int:
        self._claim(handle, gpio)
        self.modes[gpio] = _LG_OUTPUT | _OUT | line_flags
        self.levels[gpio] = 1 if level else 0
        return 0

    def gpio_claim_alert(
        self,
        handle: int,
        gpio: int,
        edge_flags: int,
        line_flags: int = 0,
        notify_handle: object = None,
    ) -> int:
        self._claim(handle, gpio)
        self.modes[gpio] = _LG_INPUT | _LG_ALERT | line_flags
        return 0

    def gpio_free(self, handle: int, gpio: int) -> int:
        if self.owner.get(gpio) == handle:
            del self.owner[gpio]
            self._callbacks = [cb for cb in self._callbacks if cb.gpio != gpio]
        return 0

    def gpio_get_mode(self, handle: int, gpio: int) -> int:
        self._check_handle(handle)
        return self.modes.get(gpio, 0)

    def gpio_read(self, handle: int, gpio: int) -> int:
        self._check_handle(handle)
        return self.gpio_read_level(gpio)

    def gpio_write(self, handle: int, gpio: int, level: int) -> int:
        self._check_handle(handle)
        self.set_level(gpio, 1 if level else 0)
        return 0

    def gpio_set_debounce_micros(self, handle: int, gpio: int, micros: int) -> int:
        return 0

    def tx_pwm(self, *_args: object) -> int:
        return 0

    def callback(
        self,
        handle: int,
        gpio: int,
        edge: int = RISING_EDGE,
        func: Callable[[int, int, int, int], None] | None = None,
    ) -> _Callback:
        assert func is not None
        cb = _Callback(self, gpio, edge, func)
        self._callbacks.append(cb)
        return cb

    # ---------------------------------------------------------------------------------

    def _check_handle(self, handle: int) -> None:
        if handle not in self.open_handles:
            raise error("unknown handle")

    def _claim(self, handle: int, gpio: int) -> None:
        self._check_handle(handle)
        holder = self.owner.get(gpio)
        if holder is not None and holder != handle:
            raise error("GPIO busy")
        self.owner[gpio] = handle
