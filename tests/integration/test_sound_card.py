"""The real sounddevice backend and `booth check`, on a sound card made of files."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import BOOTH
from tests.support.alsa import FileSoundCard
from tests.support.broker import Mosquitto
from tests.support.services import run_cli

pytestmark = pytest.mark.slow

PLAY_AND_RECORD = """
import sys, threading, time
import numpy as np
from booth.audio import SoundDeviceAudio
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


def booth_env(card: FileSoundCard | None, broker: Mosquitto, tmp_path: Path) -> dict[str, str]:
    env = {
        "BOOTH_ID": BOOTH,
        "BOOTH_MQTT_URL": broker.url(BOOTH),
        "BOOTH_SPOOL_DIR": str(tmp_path / "spool"),
        "BOOTH_CONFIG_FILE": str(tmp_path / "none.toml"),
        "BOOTH_KEYPAD_PINS": '{"#": 22}',
    }
    if card is not None:
        env |= card.env() | {
            "GPIOZERO_PIN_FACTORY": "mock",
            "BOOTH_OUTPUT_DEVICE": "booth",
            "BOOTH_INPUT_DEVICE": "booth",
        }
    else:
        env |= {"HOME": str(tmp_path), "GPIOZERO_PIN_FACTORY": ""}
    return env


def test_booth_check_passes_on_a_working_booth(broker: Mosquitto, tmp_path: Path) -> None:
    card = FileSoundCard(tmp_path / "home", np.full(16000, 3000, np.int16))
    result = run_cli("booth", ["check"], booth_env(card, broker, tmp_path), timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines[:4]] == [
        ["OK", "gpio"],
        ["OK", "audio"],
        ["OK", "broker"],
        ["OK", "spool"],
    ]
    assert "hook (pin 17)" in lines[0] and "key # (pin 22)" in lines[0]
    assert "-21 dBFS" in lines[1]  # 3000 / 32768 of full scale
    assert lines[-1] == f"booth {BOOTH}: ready"


def test_booth_check_reports_each_missing_part(broker: Mosquitto, tmp_path: Path) -> None:
    env = booth_env(None, broker, tmp_path)
    env["BOOTH_MQTT_URL"] = broker.url(BOOTH, password="wrong")
    env["BOOTH_SPOOL_DIR"] = "/proc/no-spool-here"
    result = run_cli("booth", ["check"], env, timeout=60)
    assert result.returncode == 1
    report = {line.split()[1]: line for line in result.stdout.splitlines()[:4]}
    assert report["gpio"].startswith("FAIL") and "pin factory" in report["gpio"]
    assert report["audio"].startswith("FAIL")
    assert report["broker"].startswith("FAIL") and "Not authorized" in report["broker"]
    assert report["spool"].startswith("FAIL")
    assert "4 check(s) failed" in result.stdout
