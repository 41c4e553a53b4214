"""The real sounddevice backend and `booth check`, on a sound card made of files."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from booth.clock import clock_set_since_boot
from booth.pins import EX_CONFIG
from tests.conftest import BOOTH
from tests.support.alsa import FileSoundCard
from tests.support.broker import Mosquitto
from tests.support.bundles import installed_config
from tests.support.services import run_cli

pytestmark = pytest.mark.slow

PLAY_AND_RECORD = """
import sys, threading, time
import numpy as np
from booth.soundcard import SoundDeviceAudio
audio = SoundDeviceAudio("booth", "booth")
done = threading.Event()
audio.play((np.arange(4000) % 200 * 50).astype(np.int16), done.set)
assert done.wait(5), "playback never finished"
blocks = []
audio.start_capture(blocks.append)
time.sleep(0.6)
audio.stop_capture()
audio.close()
np.concatenate(blocks).astype("<i2").tofile(sys.argv[1])
"""


def test_sounddevice_plays_and_records_through_alsa(tmp_path: Path) -> None:
    caller = (np.sin(np.arange(16000) * 2 * np.pi * 300 / 16000) * 9000).astype(np.int16)
    card = FileSoundCard(tmp_path / "home", caller)
    recorded = tmp_path / "recorded.raw"
    result = subprocess.run(
        [sys.executable, "-c", PLAY_AND_RECORD, str(recorded)],
        env={**os.environ, **card.env()},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    played = card.played_samples()
    expected = (np.arange(4000) % 200 * 50).astype(np.int16)
    start = int(np.flatnonzero(played)[0]) - 1  # the device may lead with a little silence
    assert np.array_equal(played[start : start + 4000], expected)
    got = np.fromfile(recorded, dtype="<i2")
    assert len(got) >= 4800 and len(got) % 480 == 0  # whole 30 ms blocks
    assert np.array_equal(got[:4800], caller[:4800])


REOPEN = """
import threading
import numpy as np
import sounddevice as sd
from booth.soundcard import SoundDeviceAudio
audio = SoundDeviceAudio("booth", "booth")
for _ in range(3):  # as the agent does before each try to reopen a failed card
    audio.probe()
assert sd._initialized == 1, sd._initialized  # terminated as often as initialised
done = threading.Event()
audio.play((np.arange(4000) % 200 * 50).astype(np.int16), done.set)
assert done.wait(5), "playback never finished after PortAudio was initialised again"
audio.close()
"""


def test_the_real_portaudio_is_initialised_again_and_plays_on(tmp_path: Path) -> None:
    card = FileSoundCard(tmp_path / "home", np.zeros(16000, np.int16))
    result = subprocess.run(
        [sys.executable, "-c", REOPEN],
        env={**os.environ, **card.env()},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert np.any(card.played_samples())


def booth_env(card: FileSoundCard | None, broker: Mosquitto, tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "booth.toml"
    config.write_text(f'id = "{BOOTH}"\nneighborhood = "gellerup"\n')
    secret = tmp_path / "broker-password"  # as in a booth's bundle: never in the URL
    secret.write_text(broker.passwords[BOOTH] + "\n")
    secret.chmod(0o600)
    return hardware_env(card, tmp_path) | {
        "BOOTH_MQTT_URL": f"mqtt://127.0.0.1:{broker.port}",
        "BOOTH_MQTT_PASSWORD_FILE": str(secret),
        "BOOTH_CONFIG_FILE": str(config),
    }


def hardware_env(card: FileSoundCard | None, tmp_path: Path) -> dict[str, str]:
    """The booth's parts: the file sound card on mock pins, or (without a card) lgpio."""
    env = {"BOOTH_SPOOL_DIR": str(tmp_path / "spool"), "BOOTH_KEYPAD_PINS": '{"#": 22}'}
    if card is None:
        return env | {"HOME": str(tmp_path), "BOOTH_PIN_FACTORY": "lgpio"}
    return (
        env
        | card.env()
        | {
            "BOOTH_PIN_FACTORY": "mock",
            "BOOTH_OUTPUT_DEVICE": "booth",
            "BOOTH_INPUT_DEVICE": "booth",
        }
    )


def report(stdout: str) -> dict[str, str]:
    return {
        line.split()[1]: line
        for line in stdout.splitlines()
        if line[:4] in ("OK  ", "FAIL", "WARN")
    }


def test_booth_check_passes_on_a_working_booth(broker: Mosquitto, tmp_path: Path) -> None:
    card = FileSoundCard(tmp_path / "home", np.full(16000, 3000, np.int16))
    result = run_cli("booth", ["check"], booth_env(card, broker, tmp_path), timeout=60)
    lines = report(result.stdout)
    assert list(lines) == ["config", "pins", "speaker", "microphone", "broker", "clock", "spool"]
    assert all(lines[name].startswith("OK") for name in lines if name != "clock"), result.stdout
    assert "booth-test in gellerup" in lines["config"]
    assert "hook (pin 17)" in lines["pins"] and "key # (pin 22)" in lines["pins"]
    assert "-21 dBFS" in lines["microphone"]  # 3000 / 32768 of full scale
    # This machine's clock may or may not have been set by NTP; the report says which.
    synced = clock_set_since_boot() is not False
    assert lines["clock"].startswith("OK" if synced else "FAIL")
    assert result.returncode == (0 if synced else 1)
    assert "Traceback" not in result.stdout + result.stderr


def test_booth_check_reports_each_missing_part_with_a_hint(
    broker: Mosquitto, tmp_path: Path
) -> None:
    env = booth_env(None, broker, tmp_path)
    (tmp_path / "broker-password").write_text("wrong")
    env["BOOTH_SPOOL_DIR"] = "/proc/no-spool-here"
    env["BOOTH_OUTPUT_DEVICE"] = env["BOOTH_INPUT_DEVICE"] = "USB Headset"
    result = run_cli("booth", ["check"], env, timeout=60)
    assert result.returncode == EX_CONFIG  # the pins cannot work here: a config problem
    lines = report(result.stdout)
    for name in ("pins", "speaker", "microphone", "broker", "spool"):
        assert lines[name].startswith("FAIL") and " -> " in lines[name], lines[name]
    assert "pin factory lgpio" in lines["pins"]
    assert "no output device USB Headset" in lines["speaker"]
    assert "Not authorized" in lines["broker"] and "password" in lines["broker"]
    assert "Traceback" not in result.stdout + result.stderr


def test_booth_check_fails_a_dead_microphone(broker: Mosquitto, tmp_path: Path) -> None:
    card = FileSoundCard(tmp_path / "home", np.zeros(16000, np.int16))
    result = run_cli("booth", ["check"], booth_env(card, broker, tmp_path), timeout=60)
    assert result.returncode == 1
    line = report(result.stdout)["microphone"]
    assert line.startswith("FAIL") and "digital silence" in line and "muted" in line


def test_booth_check_at_boot_only_fails_on_what_a_restart_cannot_fix(
    broker: Mosquitto, tmp_path: Path
) -> None:
    card = FileSoundCard(tmp_path / "home", np.zeros(16000, np.int16))
    env = booth_env(card, broker, tmp_path)
    (tmp_path / "broker-password").write_text("wrong")
    result = run_cli("booth", ["check", "--boot"], env, timeout=60)
    assert result.returncode == 0, result.stdout  # records offline, retries the card
    lines = report(result.stdout)
    assert lines["microphone"].startswith("WARN") and lines["broker"].startswith("WARN")
    env["BOOTH_CONFIG_FILE"] = str(tmp_path / "missing.toml")
    result = run_cli("booth", ["check", "--boot"], env, timeout=60)
    assert result.returncode == EX_CONFIG
    assert report(result.stdout)["config"].startswith("FAIL")
    assert "missing.toml is missing" in result.stdout


def test_a_bundle_from_ingest_booth_add_passes_booth_check_over_tls(tmp_path: Path) -> None:
    """The operator's command makes the login (the broker, run from the production config
    with a CA and certificate made by deploy/pki, learns it at once) and the bundle; a booth
    installed from that bundle passes `booth check` over TLS, verifying the broker against
    the bundle's CA. The secret is never printed."""
    broker = Mosquitto(tmp_path / "broker", users=["ingest"], tls=True).start()
    try:
        (tmp_path / "admin-password").write_text(broker.admin_password)
        bundle = tmp_path / "bundle"
        operator = {
            "INGEST_DATA_DIR": str(tmp_path / "ingest"),
            "INGEST_BROKER_ADMIN_URL": f"mqtts://dn-admin@127.0.0.1:{broker.port}",
            "INGEST_BROKER_ADMIN_PASSWORD_FILE": str(tmp_path / "admin-password"),
            "INGEST_MQTT_CA_FILE": str(broker.ca_file),
            "INGEST_BOOTH_MQTT_URL": f"mqtts://127.0.0.1:{broker.port}",
        }
        made = run_cli(
            "ingest",
            ["booth", "add", "booth-new", "--neighborhood", "gellerup", "--bundle", str(bundle)],
            operator,
            timeout=60,
        )
        assert made.returncode == 0, made.stderr
        secret = (bundle / "broker-password").read_text().strip()
        assert secret and secret not in made.stdout + made.stderr
        assert (bundle / "broker-password").stat().st_mode & 0o777 == 0o600
        assert (bundle / "ca.crt").read_bytes() == broker.ca_file.read_bytes()
        installed = installed_config(bundle)
        card = FileSoundCard(tmp_path / "home", np.full(16000, 3000, np.int16))
        # Broker URL, password and CA from the bundle.
        env = hardware_env(card, tmp_path) | {"BOOTH_CONFIG_FILE": str(installed)}
        result = run_cli("booth", ["check"], env, timeout=60)
        lines = report(result.stdout)
        assert all(lines[name].startswith("OK") for name in lines if name != "clock"), result.stdout
        assert "booth-new in gellerup" in lines["config"]
        assert "as booth-new (TLS, broker verified)" in lines["broker"]

        # A bundle holding another CA's certificate: the booth refuses the broker.
        other = tmp_path / "other-ca"
        made_ca = subprocess.run(
            ["sh", "deploy/pki/make-certs.sh", str(other), "127.0.0.1", "1"],
            cwd=Path(__file__).parents[2],
            capture_output=True,
        )
        assert made_ca.returncode == 0, made_ca.stderr
        (bundle / "ca.crt").write_bytes((other / "ca.crt").read_bytes())
        result = run_cli("booth", ["check"], env, timeout=60)
        line = report(result.stdout)["broker"]
        assert line.startswith("FAIL") and "certificate" in line, line
    finally:
        broker.stop()
