"""What a technician sees from `booth run`, `booth check` and `booth simulate` when the booth
is not as it should be: one line that says what, an exit status systemd understands, and
never a traceback."""

import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from gpiozero.pins.mock import MockFactory

from booth import check
from booth.audio import MemoryAudio
from booth.pins import EX_CONFIG
from booth.settings import BoothSettings
from booth.station import Station
from tests.support.services import run_cli


def booth_toml(tmp_path: Path, text: str) -> dict[str, str]:
    config = tmp_path / "booth.toml"
    config.write_text(text)
    return {
        "BOOTH_CONFIG_FILE": str(config),
        "BOOTH_SPOOL_DIR": str(tmp_path / "spool"),
        "BOOTH_MQTT_URL": "mqtt://127.0.0.1:1",
    }


def test_run_refuses_to_start_without_a_configured_booth(tmp_path: Path) -> None:
    env = {"BOOTH_CONFIG_FILE": str(tmp_path / "absent.toml"), "BOOTH_PIN_FACTORY": "mock"}
    result = run_cli("booth", ["run"], env, timeout=60)
    assert result.returncode == EX_CONFIG
    assert "no booth id" in result.stderr and "absent.toml" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_refuses_a_pin_plan_with_a_collision(tmp_path: Path) -> None:
    env = booth_toml(tmp_path, 'id = "b1"\npin_factory = "mock"\nkeypad_pins = {"#" = 17}\n')
    result = run_cli("booth", ["run"], env, timeout=60)
    assert result.returncode == EX_CONFIG
    assert result.stderr.strip().splitlines() == [
        "error: bad pin plan: key # on GPIO17: already used by hook"
    ]


def test_one_agent_per_booth_and_no_check_behind_its_back(tmp_path: Path) -> None:
    """While the service runs (its lock held), a second `booth run` refuses, and `booth
    check` says to stop the service rather than report its busy pins and sound card, or log
    in as the booth and knock the running agent off the broker."""
    from booth.lock import AgentLock

    env = booth_toml(tmp_path, 'id = "b1"\npin_factory = "mock"\n')
    running = AgentLock(tmp_path)  # the state directory: the spool's parent
    assert running.acquire()
    try:
        second = run_cli("booth", ["run"], env, timeout=60)
        assert second.returncode == 1
        assert "another booth agent is running" in second.stderr
        checked = run_cli("booth", ["check"], env, timeout=60)
        assert checked.returncode == 1
        findings = [line for line in checked.stdout.splitlines() if line[:4] in ("OK  ", "FAIL")]
        assert len(findings) == 1 and findings[0].startswith("FAIL  agent")  # nothing else tried
        assert "sudo systemctl stop booth" in findings[0]
        at_boot = run_cli("booth", ["check", "--boot"], env, timeout=60)  # ExecStartPre
        assert "FAIL  agent" not in at_boot.stdout
    finally:
        running.release()
    checked = run_cli("booth", ["check"], env, timeout=60)
    assert "FAIL  agent" not in checked.stdout and "speaker" in checked.stdout


def test_simulate_finishes_a_silent_caller_in_seconds(tmp_path: Path) -> None:
    silence = tmp_path / "silence.wav"
    sf.write(silence, np.zeros(16000 * 3, np.int16), 16000)
    env = booth_toml(tmp_path, 'id = "b1"\n') | {"BOOTH_NO_SPEECH_TIMEOUT_S": "2"}
    started = time.monotonic()
    result = run_cli(
        "booth", ["simulate", "--audio", str(silence), "--speed", "20"], env, timeout=120
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert "kept no message: the caller said nothing" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    print(f"silent call simulated in {elapsed:.1f} s")


def settings(tmp_path: Path, **extra: object) -> BoothSettings:
    fields: dict[str, object] = {
        "id": "b1",
        "spool_dir": tmp_path / "spool",
        "mqtt_url": "mqtt://127.0.0.1:1",
        "keypad_pins": {"#": 22, "1": 6},
        "led_pin": 24,
    }
    return BoothSettings(**(fields | extra))  # type: ignore[arg-type]


def test_check_walks_a_technician_through_hook_keys_and_led(tmp_path: Path) -> None:
    pins = MockFactory()
    hands = {  # what the technician does on reading each instruction
        "lift the handset": lambda: pins.pin(17).drive_low(),
        "hang up": lambda: pins.pin(17).drive_high(),
        "press or dial #": lambda: (pins.pin(22).drive_low(), pins.pin(22).drive_high()),
        "press or dial 1": lambda: (pins.pin(6).drive_low(), pins.pin(6).drive_high()),
    }
    said: list[str] = []

    def technician_reads(text: str) -> None:
        said.append(text)
        instruction = text.removeprefix("....  ")
        if instruction in hands:
            hands[instruction]()

    finding = check.walk_through(settings(tmp_path), pins, technician_reads, lambda _q: "y", 5)
    assert finding.ok and "hook, 2 key(s), LED" in finding.detail, said
    assert [line.removeprefix("....  ") for line in said] == list(hands)


def test_check_names_an_inverted_hook(tmp_path: Path) -> None:
    pins = MockFactory()

    def technician(_question: str) -> str:
        pins.pin(17).drive_low()  # wired the other way: the cradle closes the switch
        return ""

    finding = check.walk_through(settings(tmp_path), pins, print, technician, 1)
    assert not finding.ok and "hook_lifted_when_high" in finding.hint


def test_clock_check() -> None:
    s = BoothSettings(id="b1")
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    assert check.check_clock(s, lambda: True, lambda: now).ok
    unsynced = check.check_clock(s, lambda: False, lambda: now)
    assert not unsynced.ok and "not set by NTP" in unsynced.detail and "NTP" in unsynced.hint
    assert "dated on arrival" in unsynced.detail  # what it means for the messages
    boot_1970 = check.check_clock(s, lambda: None, lambda: datetime(1970, 1, 1, tzinfo=UTC))
    assert not boot_1970.ok and "in the past" in boot_1970.detail


def test_a_clock_set_once_since_boot_stays_trusted_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """timesyncd's mark of its first sync counts even when the kernel's own flag has turned
    unsynchronised (hours offline); without the mark, the kernel's flag decides."""
    from booth import clock

    monkeypatch.setattr(clock, "TIMESYNC_MARK", tmp_path / "synchronized")
    monkeypatch.setattr(clock, "kernel_clock_synchronised", lambda: False)
    assert clock.clock_set_since_boot() is False
    (tmp_path / "synchronized").touch()
    assert clock.clock_set_since_boot() is True
    # booth check says what the agent does: this clock dates messages.
    assert check.check_clock(BoothSettings(id="b1")).ok


class BrokenAudio(MemoryAudio):
    def probe(self) -> None:
        raise RuntimeError("a bug, not a card fault")


def test_a_crashed_agent_is_never_a_silent_dead_thread(tmp_path: Path) -> None:
    station = Station(settings(tmp_path), BrokenAudio(), pin_factory=MockFactory())
    with station:
        station.wait()  # returns: the agent's thread ended
    assert isinstance(station.crashed, RuntimeError)
    assert "agent crashed" in (station.agent.last_error or "")


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    units = Path(__file__).parents[2] / "systemd"
    stub = tmp_path / "program"
    stub.write_text("#!/bin/sh\n")
    stub.chmod(0o755)
    for unit in sorted(units.glob("*.service")):
        text = unit.read_text()
        for program in ("/opt/booth/.venv/bin/booth", "/opt/ingest/.venv/bin/ingest"):
            text = text.replace(program, str(stub))
        (tmp_path / unit.name).write_text(text)
        result = subprocess.run(
            ["systemd-analyze", "verify", str(tmp_path / unit.name)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        problems = [
            line
            for line in result.stderr.splitlines()
            if unit.name in line and "sysinit.target" not in line  # no systemd running here
        ]
        assert result.returncode == 0 and not problems, result.stderr
