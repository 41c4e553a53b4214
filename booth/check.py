"""`booth check`: a technician's self-test of one booth, with a clear report.

Each check says OK or FAIL with what it saw; the exit status is non-zero if any failed.
"""

import os
import shutil
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from booth.settings import BoothSettings
from shared.broker import BrokerAddress, make_client


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str


def check_gpio(settings: BoothSettings) -> Finding:
    from gpiozero import Button, PinFactoryFallback

    warnings.simplefilter("ignore", PinFactoryFallback)  # the report says what failed

    pins = {"hook": settings.hook_pin, **{f"key {k}": p for k, p in settings.keypad_pins.items()}}
    if settings.dial_pulse_pin is not None:
        pins["dial"] = settings.dial_pulse_pin
    seen = []
    for name, pin in pins.items():
        try:
            button = Button(pin, pull_up=True)
        except Exception as exc:  # gpiozero raises many kinds: no pin factory, pin in use
            return Finding("gpio", False, f"{name} on pin {pin}: {type(exc).__name__}: {exc}")
        try:
            state = "closed" if button.is_pressed else "open"
        finally:
            button.close()
        seen.append(f"{name} (pin {pin}) {state}")
    return Finding("gpio", True, "; ".join(seen))


def check_audio(settings: BoothSettings) -> Finding:
    from booth.audio import SoundDeviceAudio
    from booth.errors import AudioDeviceError
    from booth.sounds import tone

    try:
        audio = SoundDeviceAudio(settings.output_device, settings.input_device)
        played = threading.Event()
        audio.play(tone(1000, 0.3), played.set)
        if not played.wait(3):
            return Finding("audio", False, "playback never ended")
        blocks: list[np.ndarray] = []
        audio.start_capture(blocks.append)
        time.sleep(0.5)
        audio.stop_capture()
        audio.close()
    except AudioDeviceError as exc:
        return Finding("audio", False, str(exc))
    if not blocks:
        return Finding("audio", False, f"no sound came from {settings.input_device!r}")
    captured = np.concatenate(blocks).astype(np.float64)
    rms = float(np.sqrt(np.mean(captured**2)))
    level = 20 * np.log10(max(rms, 1.0) / 32768)
    detail = (
        f"played 0.3 s on {settings.output_device or 'default'}; recorded "
        f"{len(captured) / 16000:.2f} s on {settings.input_device or 'default'} at {level:.0f} dBFS"
    )
    return Finding("audio", True, detail)


def check_broker(settings: BoothSettings, timeout: float = 5.0) -> Finding:
    address = BrokerAddress.from_url(settings.mqtt_url)
    client = make_client(address, f"{settings.id}-check", ca_file=settings.mqtt_ca_file)
    answer: list[str] = []
    done = threading.Event()

    def on_connect(*args: object) -> None:
        answer.append(str(args[3]))  # the reason code
        done.set()

    client.on_connect = on_connect
    try:
        client.connect(address.host, address.port, keepalive=10)
    except OSError as exc:
        return Finding("broker", False, f"{address}: {exc}")
    client.loop_start()
    try:
        if not done.wait(timeout):
            return Finding("broker", False, f"{address}: no answer in {timeout:.0f} s")
    finally:
        client.disconnect()
        client.loop_stop()
    ok = answer[0] == "Success"
    return Finding("broker", ok, f"{address} as {address.username}: {answer[0]}")


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
        return Finding("spool", False, f"{folder}: {exc.strerror or exc}")
    free = shutil.disk_usage(folder).free
    ok = free > 50_000_000
    budget = settings.spool_budget_bytes
    return Finding(
        "spool", ok, f"{folder} writable; {free / 1e6:.0f} MB free, budget {budget / 1e6:.0f} MB"
    )


CHECKS: tuple[Callable[[BoothSettings], Finding], ...] = (
    check_gpio,
    check_audio,
    check_broker,
    check_spool,
)


def run(settings: BoothSettings) -> int:
    findings = [check(settings) for check in CHECKS]
    for finding in findings:
        print(f"{'OK  ' if finding.ok else 'FAIL'}  {finding.name:<7} {finding.detail}", flush=True)
    failed = [f.name for f in findings if not f.ok]
    print(f"booth {settings.id}: " + (f"{len(failed)} check(s) failed" if failed else "ready"))
    return 1 if failed else 0
