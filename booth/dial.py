"""A rotary dial read as dials really send: pulses of 7-14 per second, bouncing contacts.

A dial's pulse contact is closed at rest and opens once per pulse on the spring's way
back; ten pulses mean 0. Dials in the field run anywhere from 7 to 14 pulses per second,
with a break/make ratio from 60/40 to 67/33 (2:1), and a worn contact bounces for a few
milliseconds on *both* edges. At 14 pulses/s with a 67/33 ratio the short half of a pulse
lasts 24 ms, so each contact is debounced by settling: after any edge it must stay put
for `settle_s` (10 ms by default), and its state is then read from the pin. Chatter of up
to 5 ms on either edge is swallowed, while the shortest real half-pulse still counts.

Many dials also have an off-normal contact that closes while the finger plate is away
from rest: with it (`off_normal_pin`) a digit is framed by that contact and the pulses
counted only inside it, so neither the pause between digits nor a slow spring matters.
Without it, a digit ends `digit_gap_s` after the contact last closed.
"""

import threading
from collections.abc import Callable
from typing import Any

from gpiozero import Button

from booth.call import Event, KeyPressed
from booth.clock import Cancellable, Clock, SystemClock

Post = Callable[[Event], None]

SETTLE_S = 0.01  # longer than the worst bounce (5 ms), shorter than 24 ms minus it
DIGIT_GAP_S = 0.3  # longer than the longest closed half-pulse (86 ms at 7/s, 60/40)


class Contact:
    """One switch contact, debounced by settling; `on_change(closed)` gets each real change.

    The settled state is read from the pin, not counted from edges, so an edge lost
    inside a burst of bounce can never leave the contact reported the wrong way round.
    """

    def __init__(
        self,
        pin: int,
        on_change: Callable[[bool], None],
        *,
        settle_s: float,
        clock: Clock,
        pull_up: bool,
        pin_factory: Any,
    ) -> None:
        # pull_up=True: a contact to ground reads "pressed" (closed) when it conducts.
        self.button = Button(pin, pull_up=pull_up, pin_factory=pin_factory)
        self._on_change = on_change
        self._settle_s = settle_s
        self._clock = clock
        self._lock = threading.Lock()
        self._timer: Cancellable | None = None
        self.closed = bool(self.button.is_pressed)
        self.button.when_pressed = self._edge
        self.button.when_released = self._edge

    def _edge(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self._clock.call_later(self._settle_s, self._settled)

    def _settled(self) -> None:
        with self._lock:
            closed = bool(self.button.is_pressed)
            if closed == self.closed:
                return  # bounce that came back to where it was
            self.closed = closed
        self._on_change(closed)

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
        self.button.close()


class RotaryDial:
    """Counts the pulse contact's breaks into digits and posts each as a KeyPressed."""

    def __init__(
        self,
        pulse_pin: int,
        post: Post,
        *,
        off_normal_pin: int | None = None,
        settle_s: float = SETTLE_S,
        digit_gap_s: float = DIGIT_GAP_S,
        clock: Clock | None = None,
        pull_up: bool = True,
        pin_factory: Any = None,
    ) -> None:
        self._clock = clock or SystemClock()
        self._post = post
        self._gap = digit_gap_s
        self._pulses = 0
        self._lock = threading.Lock()
        self._timer: Cancellable | None = None
        contact = {
            "settle_s": settle_s,
            "clock": self._clock,
            "pull_up": pull_up,
            "pin_factory": pin_factory,
        }
        self.pulse = Contact(pulse_pin, self._pulse_changed, **contact)
        self.off_normal = (
            Contact(off_normal_pin, self._off_normal_changed, **contact)
            if off_normal_pin is not None
            else None
        )

    def _pulse_changed(self, closed: bool) -> None:
        with self._lock:
            if self.off_normal is not None:
                if not closed and self.off_normal.closed:
                    self._pulses += 1
                return  # a break at rest is a knock on the contact, not a pulse
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if not closed:
                self._pulses += 1
            else:
                self._timer = self._clock.call_later(self._gap, self._end_digit)

    def _off_normal_changed(self, off_normal: bool) -> None:
        if off_normal:
            with self._lock:
                self._pulses = 0  # a new digit begins
        else:
            self._end_digit()  # the finger plate is back at rest

    def _end_digit(self) -> None:
        with self._lock:
            pulses, self._pulses, self._timer = self._pulses, 0, None
        if 1 <= pulses <= 10:
            self._post(KeyPressed(str(pulses % 10)))

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
        self.pulse.close()
        if self.off_normal is not None:
            self.off_normal.close()
