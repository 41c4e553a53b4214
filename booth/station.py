"""One booth assembled from its parts: hardware, audio, spool, uplink and the agent's loop.

`booth run` builds it on the real pins and sound card; `booth simulate` on mock pins and
memory audio. Everything else is the same code.
"""

import logging
import threading
from dataclasses import dataclass
from typing import Any

from booth.agent import Agent
from booth.audio import AudioPort
from booth.call import Phase
from booth.clock import Clock
from booth.dial import RotaryDial
from booth.hardware import Hook, Keypad, KeypadMatrix, Post, StatusLed
from booth.pins import PinPlanError, check_pin_plan, make_pin_factory, pin_plan
from booth.settings import BoothSettings
from booth.spool import Spool
from booth.uplink import Uplink
from shared.messages import BoothState

log = logging.getLogger(__name__)


def check_wiring(settings: BoothSettings) -> None:
    """Raise PinPlanError if the pins or the consent key cannot work on this booth."""
    s = settings
    plan = pin_plan(
        s.hook_pin,
        s.keypad_pins,
        s.dial_pulse_pin,
        s.led_pin,
        off_normal=s.dial_off_normal_pin,
        rows=s.keypad_rows,
        columns=s.keypad_columns,
    )
    check_pin_plan(plan, pull_up=s.switch_pull_up)
    if s.dial_off_normal_pin is not None and s.dial_pulse_pin is None:
        raise PinPlanError("dial_off_normal_pin is set but dial_pulse_pin is not")
    if bool(s.keypad_rows) != bool(s.keypad_columns):
        raise PinPlanError("a key matrix needs both keypad_rows and keypad_columns")
    matrix_keys = len(s.keypad_rows) * len(s.keypad_columns)
    if s.keypad_rows and len(s.keypad_layout) != matrix_keys:
        raise PinPlanError(
            f"keypad_layout has {len(s.keypad_layout)} keys for a {len(s.keypad_rows)}x"
            f"{len(s.keypad_columns)} matrix of {matrix_keys}"
        )
    key = s.consent_key
    dialable = key.isdigit() and s.dial_pulse_pin is not None
    in_matrix = bool(s.keypad_rows) and key in s.keypad_layout
    if key not in s.keypad_pins and not dialable and not in_matrix:
        hint = " (a rotary dial sends only digits)" if s.dial_pulse_pin is not None else ""
        raise PinPlanError(
            f"consent key {key!r} cannot be sent: no keypad pin for it{hint}; "
            "set consent_key to a key the booth has"
        )


@dataclass
class Switches:
    """The hook, keys and dial of one booth, wired as its settings say."""

    hook: Hook
    keypad: Keypad
    dial: RotaryDial | None
    matrix: KeypadMatrix | None = None

    def close(self) -> None:
        for device in (self.hook, self.keypad, self.dial, self.matrix):
            if device is not None:
                device.close()


def make_switches(
    settings: BoothSettings, post: Post, pin_factory: Any, clock: Clock | None = None
) -> Switches:
    pull_up = settings.switch_pull_up
    hook = Hook(
        settings.hook_pin,
        post,
        lifted_when_high=settings.hook_lifted_when_high,
        bounce_s=settings.hook_bounce_s,
        pull_up=pull_up,
        pin_factory=pin_factory,
        clock=clock,
    )
    keypad = Keypad(settings.keypad_pins, post, pull_up=pull_up, pin_factory=pin_factory)
    dial = (
        RotaryDial(
            settings.dial_pulse_pin,
            post,
            off_normal_pin=settings.dial_off_normal_pin,
            pull_up=pull_up,
            pin_factory=pin_factory,
            clock=clock,
        )
        if settings.dial_pulse_pin is not None
        else None
    )
    matrix = (
        KeypadMatrix(
            settings.keypad_rows,
            settings.keypad_columns,
            settings.keypad_layout,
            post,
            pull_up=pull_up,
            pin_factory=pin_factory,
            clock=clock,
        )
        if settings.keypad_rows
        else None
    )
    return Switches(hook, keypad, dial, matrix)


class Station:
    def __init__(
        self,
        settings: BoothSettings,
        audio: AudioPort,
        pin_factory: Any = None,
        clock: Clock | None = None,
    ) -> None:
        check_wiring(settings)
        self.settings = settings
        self.audio = audio
        settings.state_dir.mkdir(parents=True, exist_ok=True)
        pins = pin_factory or make_pin_factory(settings.pin_factory, settings.state_dir)
        self.pin_factory = pins
        self.spool = Spool(settings.spool_dir, settings.spool_budget_bytes)
        self.uplink = Uplink(settings, self.spool)
        self.agent = Agent(settings, audio, self.spool, self.uplink)
        self.uplink.on_config = self.agent.offer_config
        self.switches = make_switches(settings, self.agent.post, pins, clock)
        self.led = (
            StatusLed(settings.led_pin, pin_factory=pins) if settings.led_pin is not None else None
        )
        if self.led is not None:
            self.agent.on_change.append(self._show_on_led)
        self.crashed: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run_agent, name="agent")

    def __enter__(self) -> "Station":
        self.uplink.start()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)
        self.uplink.stop()  # says "offline" before it disconnects
        self.switches.close()
        if self.led is not None:
            self.led.close()

    def wait(self) -> None:
        """Run until stopped (SIGTERM from systemd ends the process through `stop`)."""
        while self._thread.is_alive():
            self._thread.join(timeout=1)

    def _run_agent(self) -> None:
        try:
            self.agent.run(self._stop)
        except BaseException as exc:
            # Never a silent dead thread: the booth says so and `booth run` exits non-zero.
            self.crashed = exc
            log.exception("the booth agent stopped on an error")
            self.agent.last_error = f"agent crashed: {type(exc).__name__}: {exc}"
            status = self.agent.status().model_copy(update={"state": BoothState.OUT_OF_ORDER})
            self.uplink.publish_status(status)

    def _show_on_led(self, phase: Phase, state: BoothState) -> None:
        assert self.led is not None
        if state in (BoothState.OUT_OF_ORDER, BoothState.DEGRADED):  # to callers, the same
            self.led.out_of_order()
        elif phase is Phase.RECORDING:
            self.led.recording()
        elif phase is Phase.OFF_HOOK:
            self.led.off_hook()
        else:
            self.led.ready()
