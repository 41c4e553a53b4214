"""One booth assembled from its parts: hardware, audio, spool, uplink and the agent's loop.

`booth run` builds it on the real pins and sound card; `booth simulate` on mock pins and
memory audio. Everything else is the same code.
"""

import logging
import threading

from booth.agent import Agent
from booth.audio import AudioPort
from booth.call import Phase
from booth.hardware import Hook, Keypad, RotaryDial, StatusLed
from booth.settings import BoothSettings
from booth.spool import Spool
from booth.uplink import Uplink

log = logging.getLogger(__name__)


class Station:
    def __init__(self, settings: BoothSettings, audio: AudioPort) -> None:
        self.settings = settings
        self.audio = audio
        self.spool = Spool(settings.spool_dir, settings.spool_budget_bytes)
        self.uplink = Uplink(settings, self.spool)
        self.agent = Agent(settings, audio, self.spool, self.uplink)
        self.uplink.on_config = self.agent.offer_config
        self.hook = Hook(
            settings.hook_pin,
            self.agent.post,
            lifted_when_high=settings.hook_lifted_when_high,
            bounce_s=settings.hook_bounce_s,
        )
        self.keypad = Keypad(settings.keypad_pins, self.agent.post)
        self.dial = (
            RotaryDial(settings.dial_pulse_pin, self.agent.post)
            if settings.dial_pulse_pin is not None
            else None
        )
        self.led = StatusLed(settings.led_pin) if settings.led_pin is not None else None
        if self.led is not None:
            self.agent.on_phase.append(self._show_on_led)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.agent.run, args=(self._stop,), name="agent")

    def __enter__(self) -> "Station":
        self.uplink.start()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        self.uplink.stop()
        for device in (self.hook, self.keypad, self.dial, self.led):
            if device is not None:
                device.close()

    def wait(self) -> None:
        """Run until stopped (SIGTERM from systemd ends the process through `stop`)."""
        while self._thread.is_alive():
            self._thread.join(timeout=1)

    def _show_on_led(self, phase: Phase) -> None:
        assert self.led is not None
        if phase is Phase.RECORDING:
            self.led.recording()
        elif phase is Phase.OUT_OF_ORDER:
            self.led.out_of_order()
        elif phase is Phase.IDLE:
            self.led.ready()
