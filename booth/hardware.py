"""The booth's switches and lamp, on gpiozero (its MockFactory stands in for pins in tests).
The rotary dial is in `booth.dial`.

Each device turns pin changes into call events through the `post` callable it is given.
"""

import threading
from collections.abc import Callable
from typing import Any

from gpiozero import LED, Button

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
