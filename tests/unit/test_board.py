"""The board's health in the booth's status, read as the Raspberry Pi firmware writes it:
get_throttled in sysfs as hex (e.g. 0x50005), the thermal zone in millidegrees, or
`vcgencmd` ("throttled=0x50000", "temp=47.2'C") where sysfs has no get_throttled."""

from pathlib import Path

import pytest

from booth import board
from shared.messages import BoothState, BoothStatus


def files(tmp_path: Path, throttled: str, millidegrees: str) -> tuple[Path, Path]:
    (tmp_path / "get_throttled").write_text(throttled + "\n")
    (tmp_path / "temp").write_text(millidegrees + "\n")
    return tmp_path / "get_throttled", tmp_path / "temp"


def test_under_voltage_now_and_throttling_since_boot(tmp_path: Path) -> None:
    health = board.board_health(*files(tmp_path, "0x50001", "71234"))
    assert health.fields() == {
        "cpu_temp_c": 71.2,
        "under_voltage": True,  # bit 0
        "under_voltage_since_boot": True,  # bit 16
        "throttled": False,
        "throttled_since_boot": True,  # bit 18
    }
    healthy = board.board_health(*files(tmp_path, "0x0", "45000")).fields()
    assert not any(healthy[k] for k in ("under_voltage", "throttled", "throttled_since_boot"))


def test_vcgencmd_where_sysfs_has_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bin" / "vcgencmd"
    fake.parent.mkdir()
    fake.write_text(
        '#!/bin/sh\ncase "$1" in get_throttled) echo throttled=0x8;; '
        'measure_temp) echo "temp=47.2\'C";; *) exit 1;; esac\n'
    )
    fake.chmod(0o755)
    monkeypatch.setattr(board, "VCGENCMD", str(fake))
    health = board.board_health(tmp_path / "absent", tmp_path / "absent-too")
    assert health.fields()["cpu_temp_c"] == 47.2
    assert health.fields()["throttled"] is True  # bit 3: soft temperature limit
    monkeypatch.setattr(board, "VCGENCMD", str(tmp_path / "no-vcgencmd"))
    assert board.board_health(tmp_path / "absent", tmp_path / "absent-too").fields() == {}


def test_the_status_carries_the_fields_and_old_readers_ignore_them(tmp_path: Path) -> None:
    fields = board.board_health(*files(tmp_path, "0x50005", "80000")).fields()
    status = BoothStatus(state=BoothState.IDLE, **fields)
    decoded = BoothStatus.decode(status.encode())
    assert (decoded.cpu_temp_c, decoded.under_voltage, decoded.throttled) == (80.0, True, True)
    assert BoothStatus.decode(b'{"state": "idle", "fan_rpm": 3}').state is BoothState.IDLE


def test_the_agents_status_reports_the_board(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.unit.test_agent import Harness

    throttled, temperature = files(tmp_path, "0x10000", "63500")
    monkeypatch.setattr(board, "THROTTLED_FILE", throttled)
    monkeypatch.setattr(board, "TEMPERATURE_FILE", temperature)
    booth = Harness(tmp_path / "booth")
    try:
        status = booth.agent.status()
    finally:
        booth.close()
    assert (status.cpu_temp_c, status.under_voltage, status.under_voltage_since_boot) == (
        63.5, False, True,
    )  # fmt: skip
