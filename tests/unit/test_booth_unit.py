"""How systemd runs a booth: a configuration error ends the main process with 78 and is not
restarted, a transient fault is restarted for ever, the start plays no sound, and a full
card degrades the booth instead of stopping it, and a message is recorded to RAM when it fits."""

import configparser
import hashlib
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from booth.call import KeyPressed, Lifted, Phase
from booth.errors import SpoolFull
from booth.pins import EX_CONFIG
from booth.sounds import PromptLibrary
from booth.spool import Spool
from booth.tape import tape_folder
from shared.clip import OGG_OPUS, ClipMeta
from shared.messages import BoothState
from tests.support.services import run_cli
from tests.unit.test_agent import Harness

ROOT = Path(__file__).parents[2]


def unit(name: str = "booth.service") -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((ROOT / "systemd" / name).read_text())
    return parser


def test_the_configuration_is_checked_by_the_main_process_and_never_restarted() -> None:
    """RestartPreventExitStatus looks at the main process only: a check in ExecStartPre
    that exits 78 would be restarted every RestartSec (systemd.service(5))."""
    booth = unit()
    service = booth["Service"]
    assert "ExecStartPre" not in service
    assert service["ExecStart"] == "/opt/booth/.venv/bin/booth run"
    assert service["RestartPreventExitStatus"] == "78"
    assert service["Restart"] == "always"
    assert booth["Unit"]["StartLimitIntervalSec"] == "0"  # transient faults: never give up
    assert service["UMask"] == "0077"
    assert service["StateDirectoryMode"] == "0700"


def test_booth_run_ends_a_configuration_error_with_78_without_a_sound(tmp_path: Path) -> None:
    """What the unit's main process does on a bad pin plan: 78, after a start-up report
    that names the config and never touches the sound card."""
    config = tmp_path / "booth.toml"
    config.write_text('id = "booth-12"\n')
    (tmp_path / "hardware.toml").write_text('pin_factory = "mock"\nkeypad_pins = {"#" = 17}\n')
    env = {
        "BOOTH_CONFIG_FILE": str(config),
        "BOOTH_SPOOL_DIR": str(tmp_path / "spool"),
        # A card that does not exist: any attempt to play or record would be reported.
        "BOOTH_OUTPUT_DEVICE": "no such card",
        "BOOTH_INPUT_DEVICE": "no such card",
    }
    result = run_cli("booth", ["run"], env, timeout=60)
    assert result.returncode == EX_CONFIG, result.stdout + result.stderr
    assert "already used by hook" in result.stderr
    assert f"OK    config     {config}: booth booth-12" in result.stdout
    assert "spool" in result.stdout and "clock" in result.stdout
    assert "speaker" not in result.stdout and "microphone" not in result.stdout


@pytest.fixture
def small_card(tmp_path: Path) -> Iterator[Path]:
    """A 20 MB file system (tmpfs): a card with less free space than the booth keeps."""
    card = tmp_path / "card"
    card.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=20M", "tmpfs", str(card)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield card
    finally:
        subprocess.run(["umount", "-l", str(card)], check=False)


def clip(audio: bytes) -> ClipMeta:
    return ClipMeta(
        clip_id=uuid.uuid4(),
        booth_id="booth-12",
        neighborhood="gellerup",
        theme="general",
        recorded_at=datetime.now(UTC),
        duration_ms=1000,
        sha256=hashlib.sha256(audio).hexdigest(),
        content_type=OGG_OPUS,
    )


def test_a_full_card_keeps_the_spool_and_refuses_new_messages(small_card: Path) -> None:
    spool_dir = small_card / "spool"
    roomy = Spool(spool_dir, reserve_bytes=0)  # a clip recorded while there was room
    kept = roomy.put(clip(b"x" * 1000), b"x" * 1000)
    spool = Spool(spool_dir)  # as the agent opens it
    assert shutil.disk_usage(small_card).free < spool.reserve_bytes
    assert spool.full
    with pytest.raises(SpoolFull, match="free"):
        spool.put(clip(b"y" * 1000), b"y" * 1000)
    assert [c.meta.clip_id for c in spool.pending()] == [kept.meta.clip_id]  # oldest kept


def test_a_booth_on_a_full_card_is_degraded_and_says_out_of_order(small_card: Path) -> None:
    booth = Harness(small_card)
    try:
        assert booth.agent.status().state is BoothState.DEGRADED
        booth.agent.post(Lifted())
        booth.expect(Phase.FINISHED)
        assert np.array_equal(booth.audio.played[0], PromptLibrary().named("out_of_order"))
    finally:
        booth.close()


def test_the_boot_check_warns_of_a_full_card_and_passes(small_card: Path, tmp_path: Path) -> None:
    config = tmp_path / "booth.toml"
    config.write_text('id = "booth-12"\npin_factory = "mock"\nkeypad_pins = {"#" = 22}\n')
    env = {
        "BOOTH_CONFIG_FILE": str(config),
        "BOOTH_SPOOL_DIR": str(small_card / "spool"),
        "BOOTH_MQTT_URL": "mqtt://127.0.0.1:1",
    }
    result = run_cli("booth", ["check", "--boot"], env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARN  spool" in result.stdout and "free space on the SD card" in result.stdout


def test_the_message_being_recorded_is_kept_in_ram_when_it_fits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under the unit, RUNTIME_DIRECTORY names /run/booth (a tmpfs): the raw tape goes
    there while the caller speaks, never to the SD card; tapes a crash left in it go at
    start, as those on the card do."""
    assert unit()["Service"]["RuntimeDirectory"] == "booth"
    ram = tmp_path / "run"
    (ram / "tapes").mkdir(parents=True)
    (ram / "tapes" / "left-by-a-power-cut.raw").write_bytes(b"\0" * 64)
    monkeypatch.setenv("RUNTIME_DIRECTORY", str(ram))
    booth = Harness(tmp_path / "state")
    try:
        booth.agent.post(Lifted())
        booth.expect(Phase.CONSENT)
        booth.agent.post(KeyPressed("#"))
        booth.expect(Phase.RECORDING)
        booth.run_for(1.0)
        on_card = tmp_path / "state" / "tapes"
        assert [p.suffix for p in (ram / "tapes").iterdir()] == [".raw"]
        assert not (ram / "tapes" / "left-by-a-power-cut.raw").exists()
        assert not on_card.exists() or not list(on_card.iterdir())
    finally:
        booth.close()


def test_a_tape_goes_to_the_card_when_ram_has_no_room_for_two(tmp_path: Path) -> None:
    ram, disk = tmp_path / "run", tmp_path / "state" / "tapes"
    ram.mkdir()
    free = shutil.disk_usage(ram).free
    assert tape_folder(ram, disk, longest_s=600) == ram / "tapes"  # 38.4 MB and a margin
    too_long = free / (2 * 32_000) + 1  # two tapes of it would not fit
    assert tape_folder(ram, disk, longest_s=too_long) == disk
    assert tape_folder(None, disk, longest_s=60) == disk  # no unit: as before
    assert tape_folder(tmp_path / "absent", disk, longest_s=60) == disk
