"""The booth's switches and lamp, on gpiozero (its MockFactory stands in for pins in tests).
The rotary dial is in `booth.dial`.

Each device turns pin changes into call events through the `post` callable it is given.
"""

import threading
from collections.abc import Callable
from typing import Any

from gpiozero import LED, Button, DigitalOutputDevice

from booth.call import Event, HungUp, KeyPressed, Lifted
from booth.clock import Cancellable, Clock, SystemClock

Post = Callable[[Event], None]


class Hook:
    """The cradle switch. Polarity differs between booths: `lifted_when_high` says which.

    Debounced by settling: after any edge the switch must stay put for `bounce_s` before the
    change counts. Chatter of a worn switch gives one event, and the final state is read
    from the pin, so a last edge lost inside a bounce window can never leave the booth
    believing the handset is still up.
    """

    def __init__(
        self,
        pin: int,
        post: Post,
        *,
        lifted_when_high: bool = False,
        bounce_s: float = 0.05,
        pull_up: bool = True,
        pin_factory: Any = None,
        clock: Clock | None = None,
    ) -> None:
        # pull_up=True: a switch to ground pulls the pin low when closed and reads "pressed".
        self.button = Button(pin, pull_up=pull_up, pin_factory=pin_factory)
        self._post = post
        self._lifted_when_high = lifted_when_high
        self._bounce_s = bounce_s
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._timer: Cancellable | None = None
        self._reported = self.lifted
        self.button.when_pressed = self._edge
        self.button.when_released = self._edge

    @property
    def lifted(self) -> bool:
        pressed = bool(self.button.is_pressed)
        return not pressed if self._lifted_when_high else pressed

    def _edge(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self._clock.call_later(self._bounce_s, self._settled)

    def _settled(self) -> None:
        with self._lock:
            lifted = self.lifted
            if lifted == self._reported:
                return
            self._reported = lifted
        self._post(Lifted() if lifted else HungUp())

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
        self.button.close()


class Keypad:
    """Push buttons, one pin per key ("0"-"9", "#", "*")."""

    def __init__(
        self,
        pins: dict[str, int],
        post: Post,
        bounce_s: float = 0.03,
        *,
        pull_up: bool = True,
        pin_factory: Any = None,
    ) -> None:
        self.buttons: dict[str, Button] = {}
        for key, pin in pins.items():
            button = Button(pin, pull_up=pull_up, bounce_time=bounce_s, pin_factory=pin_factory)
            button.when_pressed = lambda k=key: post(KeyPressed(k))
            self.buttons[key] = button

    def close(self) -> None:
        for button in self.buttons.values():
            button.close()


class KeypadMatrix:
    """A telephone keypad wired as a matrix (3x4: rows 1-2-3, 4-5-6, 7-8-9, *-0-#; a key
    joins its row to its column), scanned every `scan_s`: each row in turn is driven to the
    active level while the columns are read. A key counts when it has been seen down in
    `stable_scans` scans running, once per press, and is free again after as many scans
    up; contact bounce (a few ms) never lasts two scans.

    With `pull_up` (switches to ground) a row is driven low and a pressed key pulls its
    column low; without, rows are driven high into pulled-down columns.
    """

    def __init__(
        self,
        rows: list[int],
        columns: list[int],
        layout: str,
        post: Post,
        *,
        scan_s: float = 0.01,
        stable_scans: int = 2,
        pull_up: bool = True,
        pin_factory: Any = None,
        clock: Clock | None = None,
    ) -> None:
        if len(layout) != len(rows) * len(columns):
            raise ValueError(
                f"keypad_layout {layout!r} has {len(layout)} keys; "
                f"{len(rows)} rows x {len(columns)} columns need {len(rows) * len(columns)}"
            )
        self._post = post
        self._clock = clock or SystemClock()
        self._scan_s = scan_s
        self._stable = stable_scans
        self.rows = [
            DigitalOutputDevice(
                pin, active_high=not pull_up, initial_value=False, pin_factory=pin_factory
            )
            for pin in rows
        ]
        self.columns = [Button(pin, pull_up=pull_up, pin_factory=pin_factory) for pin in columns]
        width = len(columns)
        self._keys = [[layout[r * width + c] for c in range(width)] for r in range(len(rows))]
        self._seen: dict[str, int] = {}  # key -> scans in a row down (> 0) or up (< 0)
        self._held: set[str] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._timer: Cancellable | None = self._clock.call_later(scan_s, self._scan)

    def _scan(self) -> None:
        with self._lock:
            if self._closed:
                return
            down = set()
            for row, keys in zip(self.rows, self._keys, strict=True):
                row.on()
                down |= {key for key, col in zip(keys, self.columns, strict=True) if col.is_pressed}
                row.off()
            pressed = []
            for key in (k for keys in self._keys for k in keys):
                seen = self._seen.get(key, 0)
                if key in down:
                    seen = min(max(seen, 0) + 1, self._stable)
                    if seen == self._stable and key not in self._held:
                        self._held.add(key)
                        pressed.append(key)
                else:
                    seen = max(min(seen, 0) - 1, -self._stable)
                    if seen == -self._stable:
                        self._held.discard(key)
                self._seen[key] = seen
            self._timer = self._clock.call_later(self._scan_s, self._scan)
        for key in pressed:
            self._post(KeyPressed(key))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
        for device in [*self.rows, *self.columns]:
            device.close()


class StatusLed:
    """Lit while the booth is ready, slow blink while it records, fast blink while the handset
    is left off the hook, off when out of order."""

    def __init__(self, pin: int, pin_factory: Any = None) -> None:
        self.led = LED(pin, pin_factory=pin_factory)

    def ready(self) -> None:
        self.led.on()

    def recording(self) -> None:
        self.led.blink(on_time=0.5, off_time=0.5)

    def off_hook(self) -> None:
        self.led.blink(on_time=0.1, off_time=0.1)

    def out_of_order(self) -> None:
        self.led.off()

    def close(self) -> None:
        self.led.close()
