"""`booth check`: a technician's self-test of one booth, with a clear report.

Each check prints OK, WARN or FAIL with what it saw and, when something is wrong, a hint.
No check ever ends in a traceback: whatever a part raises becomes a FAIL line. The exit
status is non-zero if any check failed: `EX_CONFIG` when the configuration is at fault
(restarting cannot help), 1 otherwise.

`--boot` runs as the unit's ExecStartPre: only what the agent cannot run without (config,
pins, spool) can fail; the broker, the sound card and the clock are reported, because the
booth records offline and recovers a card that comes back.
"""

import os
import queue
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

import numpy as np

from booth.call import Event, HungUp, KeyPressed, Lifted
from booth.clock import clock_set_since_boot
from booth.errors import AudioDeviceError
from booth.lock import agent_running
from booth.pins import EX_CONFIG
from booth.settings import BoothSettings, config_file
from booth.uplink import SESSION_EXPIRY_S
from shared.mqtt import Connection, NotConnected

CLOCK_FLOOR = datetime(2025, 1, 1, tzinfo=UTC)  # a Pi without RTC boots near 1970 or its image date


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    hint: str = ""
    fatal: bool = True  # False: only a warning at boot

    def line(self, boot: bool) -> str:
        word = "OK  " if self.ok else ("WARN" if boot and not self.fatal else "FAIL")
        hint = f" -> {self.hint}" if self.hint and not self.ok else ""
        return f"{word}  {self.name:<10} {self.detail}{hint}"


def check_config(settings: BoothSettings) -> Finding:
    path = config_file()
    if not settings.configured:
        where = f"{path} is missing" if not path.exists() else f"{path} sets no id"
        return Finding(
            "config", False, where, "copy booth.toml from the booth's bundle (docs/technician.md)"
        )
    source = str(path) if path.exists() else "environment"
    return Finding(
        "config", True, f"{source}: booth {settings.id} in {settings.neighborhood}", fatal=True
    )


def check_pins(settings: BoothSettings, pin_factory: Any = None) -> Finding:
    """Each input pin read once. `pin_factory` is the factory to use, or a callable that
    makes (or hands out) it; None makes one of the settings' kind."""
    import warnings

    from gpiozero import Button, PinFactoryFallback

    from booth.pins import PinFactoryError, PinPlanError, make_pin_factory
    from booth.station import check_wiring

    warnings.simplefilter("ignore", PinFactoryFallback)  # the report says what failed
    try:
        check_wiring(settings)
    except PinPlanError as exc:
        return Finding("pins", False, str(exc), "fix the pins in hardware.toml")
    try:
        if callable(pin_factory):
            factory = pin_factory()
        else:
            factory = pin_factory or make_pin_factory(settings.pin_factory, settings.state_dir)
    except PinFactoryError as exc:
        return Finding("pins", False, str(exc), "set pin_factory in hardware.toml")
    inputs = {"hook": settings.hook_pin, **{f"key {k}": p for k, p in settings.keypad_pins.items()}}
    inputs |= {f"keypad column {n}": p for n, p in enumerate(settings.keypad_columns, 1)}
    if settings.dial_pulse_pin is not None:
        inputs["dial"] = settings.dial_pulse_pin
    if settings.dial_off_normal_pin is not None:
        inputs["dial off-normal"] = settings.dial_off_normal_pin
    seen = []
    for name, pin in inputs.items():
        try:
            button = Button(pin, pull_up=settings.switch_pull_up, pin_factory=factory)
        except Exception as exc:  # gpiozero raises many kinds: pin in use, no such pin
            return Finding("pins", False, f"{name} on GPIO{pin}: {type(exc).__name__}: {exc}")
        try:
            state = "closed" if button.is_pressed else "open"
        finally:
            button.close()
        seen.append(f"{name} (pin {pin}) {state}")
    return Finding("pins", True, f"{settings.pin_factory}: " + "; ".join(seen))


def _sound_card(settings: BoothSettings, sd: Any) -> Any:
    from booth.soundcard import SoundDeviceAudio

    return SoundDeviceAudio(
        settings.output_device, settings.input_device, gain_db=settings.output_gain_db, sd=sd
    )


def check_speaker(settings: BoothSettings, sd: Any = None) -> Finding:
    from booth.sounds import tone

    name = settings.output_device or "default"
    hint = "is the USB card plugged in? `aplay -l` lists the cards; set output_device"
    try:
        audio = _sound_card(settings, sd)
        fmt = audio.output_format()
        played = threading.Event()
        audio.play(tone(1000, 0.3), played.set)
        ok = played.wait(3)
        audio.close()
    except AudioDeviceError as exc:
        return Finding("speaker", False, str(exc), hint, fatal=False)
    if not ok:
        return Finding("speaker", False, f"{name}: playback never ended", hint, fatal=False)
    return Finding("speaker", True, f"played a 1 kHz tone on {name} at {fmt}", fatal=False)


def check_microphone(settings: BoothSettings, sd: Any = None, seconds: float = 1.0) -> Finding:
    name = settings.input_device or "default"
    blocks: list[np.ndarray] = []
    try:
        audio = _sound_card(settings, sd)
        fmt = audio.input_format()
        audio.start_capture(blocks.append)
        time.sleep(seconds)
        audio.stop_capture()
    except AudioDeviceError as exc:
        return Finding(
            "microphone", False, str(exc), "set input_device (`arecord -l`)", fatal=False
        )
    if not blocks:
        return Finding("microphone", False, f"no sound came from {name}", fatal=False)
    captured = np.concatenate(blocks)
    if not np.any(captured):
        return Finding(
            "microphone",
            False,
            f"{name} gives digital silence",
            "the handset's microphone is unplugged or muted (alsamixer, capture switch)",
            fatal=False,
        )
    rms = float(np.sqrt(np.mean(np.square(captured, dtype=np.float64))))
    level = 20 * np.log10(max(rms, 1.0) / 32768)
    detail = f"{len(captured) / 16000:.2f} s of room sound on {name} at {fmt}: {level:.0f} dBFS"
    return Finding("microphone", True, detail, fatal=False)


def check_broker(settings: BoothSettings, timeout: float = 5.0) -> Finding:
    try:
        address = settings.broker_address()
        # The broker binds a booth's login to its own client id. Resuming the agent's session
        # (not starting a clean one) keeps the acks queued for it.
        connection = Connection(
            address,
            settings.id,
            ca_file=settings.mqtt_ca_file,
            session_expiry_s=SESSION_EXPIRY_S,
            keepalive=10,
        )
    except Exception as exc:  # a bad URL, an unreadable CA or password file
        hint = "check mqtt_url, mqtt_password_file and mqtt_ca_file"
        return Finding("broker", False, f"{type(exc).__name__}: {exc}", hint, False)
    tls = "TLS, broker verified" if address.tls else "no TLS"
    refused = "the password file from the bundle is wrong or the booth was revoked"
    try:
        connection.connect(timeout)
    except (OSError, ValueError) as exc:
        hint = "is the network up and the broker URL right?"
        if "CERTIFICATE" in str(exc).upper():
            hint = "the broker's certificate does not match the CA in the bundle, or the clock"
        return Finding("broker", False, f"{address} ({tls}): {exc}", hint, fatal=False)
    except NotConnected as exc:
        if connection.refused is None:
            return Finding("broker", False, f"{address}: {exc.reason}", fatal=False)
        detail = f"{address} as {address.username} ({tls}): {exc.reason}"
        return Finding("broker", False, detail, refused, fatal=False)
    finally:
        connection.stop()
    detail = f"{address} as {address.username} ({tls}): Success"
    return Finding("broker", True, detail, fatal=False)


def check_clock(
    settings: BoothSettings,
    synchronised: Callable[[], bool | None] = clock_set_since_boot,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Finding:
    current = now()
    shown = current.strftime("%Y-%m-%d %H:%M UTC")
    hint = "a Pi has no battery clock: it needs NTP (`timedatectl`); TLS and recorded_at need time"
    if current < CLOCK_FLOOR:
        return Finding("clock", False, f"{shown} is in the past", hint, fatal=False)
    # The agent's own rule (booth.clock): what the check says is how messages get dated.
    synced = synchronised()
    if synced is False:
        detail = f"{shown}, not set by NTP since boot: messages are dated on arrival"
        return Finding("clock", False, detail, hint, fatal=False)
    state = "set by NTP since boot" if synced else "NTP state unknown"
    return Finding("clock", True, f"{shown}, {state}", fatal=False)


def check_spool(settings: BoothSettings) -> Finding:
    folder = settings.spool_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".check"
        with open(probe, "wb") as handle:
            handle.write(b"x" * 4096)
            handle.flush()
            os.fsync(handle.fileno())
        probe.unlink()
    except OSError as exc:
        hint = "the unit's StateDirectory must be writable by the booth user"
        return Finding("spool", False, f"{folder}: {exc.strerror or exc}", hint)
    free = shutil.disk_usage(folder).free
    ok = free > 50_000_000
    budget = settings.spool_budget_bytes
    detail = f"{folder} writable; {free / 1e6:.0f} MB free, budget {budget / 1e6:.0f} MB"
    # A full card degrades the booth (out of order, the spool kept), it does not stop it.
    return Finding("spool", ok, detail, "free space on the SD card", fatal=False)


def _guarded(name: str, check: Callable[[], Finding]) -> Finding:
    try:
        return check()
    except Exception as exc:  # a check must report, never crash the report
        return Finding(name, False, f"unexpected {type(exc).__name__}: {exc}")


def run(
    settings: BoothSettings,
    *,
    interactive: bool = False,
    boot: bool = False,
    pin_factory: Any = None,
    sd: Any = None,
    out: TextIO | None = None,
    answer: Callable[[str], str] = input,
) -> int:
    def say(text: str) -> None:
        print(text, file=out, flush=True)

    if not boot and agent_running(settings.state_dir):
        # Its pins, sound card and broker session are taken: checking them would only report
        # "busy", or knock the running booth off the broker.
        say(
            Finding(
                "agent",
                False,
                "the booth service is running and holds the pins, the sound card and the "
                "broker session",
                "stop it for the check: sudo systemctl stop booth; start it again after",
            ).line(boot)
        )
        return 1
    # One pin factory for the whole check: gpiozero's lgpio pins keep their lines claimed
    # until the factory closes, and a second factory's claim of them is refused (EBUSY).
    owned: list[Any] = []

    def factory() -> Any:
        if pin_factory is not None:
            return pin_factory
        if not owned:
            from booth.pins import make_pin_factory

            owned.append(make_pin_factory(settings.pin_factory, settings.state_dir))
        return owned[0]

    try:
        return _run(settings, interactive, boot, factory, sd, say, answer)
    finally:
        for made in owned:
            made.close()


def _run(
    settings: BoothSettings,
    interactive: bool,
    boot: bool,
    factory: Callable[[], Any],
    sd: Any,
    say: Callable[[str], None],
    answer: Callable[[str], str],
) -> int:
    checks: list[tuple[str, Callable[[], Finding]]] = [
        ("config", lambda: check_config(settings)),
        ("pins", lambda: check_pins(settings, factory)),
        ("speaker", lambda: check_speaker(settings, sd)),
        ("microphone", lambda: check_microphone(settings, sd)),
        ("broker", lambda: check_broker(settings)),
        ("clock", lambda: check_clock(settings)),
        ("spool", lambda: check_spool(settings)),
    ]
    findings = []
    for name, check in checks:
        finding = _guarded(name, check)
        findings.append(finding)
        say(finding.line(boot))
    if interactive and all(f.ok for f in findings if f.name == "pins"):
        walk = _guarded("walk", lambda: walk_through(settings, factory(), say, answer))
        findings.append(walk)
        say(walk.line(boot))
    failed = [f for f in findings if not f.ok and (f.fatal or not boot)]
    say(f"booth {settings.id}: " + (f"{len(failed)} check(s) failed" if failed else "ready"))
    if any(f.name in ("config", "pins") for f in failed):
        return EX_CONFIG
    return 1 if failed else 0


# The technician's walk-through ---------------------------------------------------------


@contextmanager
def _listening(
    settings: BoothSettings, factory: Any
) -> Iterator[tuple["queue.Queue[Event]", Callable[[], bool]]]:
    from booth.station import make_switches

    events: queue.Queue[Event] = queue.Queue()
    switches = make_switches(settings, events.put, factory)
    try:
        yield events, lambda: switches.hook.lifted
    finally:
        switches.close()


def walk_through(
    settings: BoothSettings,
    pin_factory: Any,
    say: Callable[[str], None],
    answer: Callable[[str], str],
    step_timeout_s: float = 60.0,
) -> Finding:
    """Lift, hang up, each key or dialled digit, the LED: each confirmed by the pins."""
    from booth.hardware import StatusLed
    from booth.pins import make_pin_factory

    factory = pin_factory or make_pin_factory(settings.pin_factory, settings.state_dir)
    keys = sorted(settings.keypad_pins)
    if settings.keypad_rows:
        keys += [k for k in settings.keypad_layout if k not in keys]
    if settings.dial_pulse_pin is not None:
        keys += [d for d in "1234567890" if d not in keys]
    steps: list[tuple[str, Event]] = [("lift the handset", Lifted()), ("hang up", HungUp())]
    steps += [(f"press or dial {key}", KeyPressed(key)) for key in keys]
    with _listening(settings, factory) as (events, lifted):
        answer("....  put the handset on the cradle, then press Enter ")
        time.sleep(settings.hook_bounce_s * 2)  # let the switch settle
        if lifted():
            hint = "if the handset is on the cradle, flip hook_lifted_when_high"
            return Finding("walk", False, "the hook reads lifted at rest", hint)
        while not events.empty():
            events.get()  # what the technician did before we asked
        for instruction, wanted in steps:
            say(f"....  {instruction}")
            deadline = time.monotonic() + step_timeout_s
            while True:
                try:
                    got = events.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    silent = f"{instruction}: nothing in {step_timeout_s:.0f} s"
                    return Finding("walk", False, silent, _walk_hint(wanted, settings))
                if got == wanted:
                    break
                if isinstance(wanted, Lifted | HungUp) and isinstance(got, Lifted | HungUp):
                    hint = "the hook reads the other way round: flip hook_lifted_when_high"
                    return Finding("walk", False, f"{instruction}: the booth saw {got}", hint)
                say(f"      got {got}, still waiting for {wanted}")
    if settings.led_pin is not None:
        led = StatusLed(settings.led_pin, pin_factory=factory)
        try:
            led.recording()
            reply = answer("....  is the LED blinking? [y/n] ").strip().lower()
        finally:
            led.close()
        if not reply.startswith("y"):
            hint = f"check the LED on GPIO{settings.led_pin}"
            return Finding("walk", False, "the LED does not blink", hint)
    led_part = ", LED" if settings.led_pin is not None else ""
    return Finding("walk", True, f"hook, {len(keys)} key(s){led_part}")


def _walk_hint(wanted: Event, settings: BoothSettings) -> str:
    if isinstance(wanted, KeyPressed):
        return "check the key's wire, or the dial's pulse contact and dial_pulse_pin"
    return f"check the hook switch on GPIO{settings.hook_pin}"
