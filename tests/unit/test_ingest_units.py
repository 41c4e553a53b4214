"""The ingest units tell systemd when they are ready and are restarted when a work loop
wedges (ingest.watchdog speaks the protocol; tests/e2e/test_watchdog.py runs it)."""

import configparser
from pathlib import Path

import pytest

UNITS = sorted((Path(__file__).parents[2] / "systemd").glob("ingest*.service"))


def service_of(unit: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read_string(unit.read_text(encoding="utf-8"))
    return parser["Service"]


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_each_ingest_unit_is_notify_with_a_watchdog(unit: Path) -> None:
    service = service_of(unit)
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "main"  # the worker child under `serve` is not heard
    assert 10 <= int(service["WatchdogSec"]) <= 600
    assert service["RestartPreventExitStatus"] == "78"
    assert service["Restart"] == "always"


def test_every_ingest_role_has_its_unit() -> None:
    assert {unit.name for unit in UNITS} >= {
        "ingest.service",
        "ingest-api.service",
        "ingest-receive.service",
        "ingest-transcribe@.service",
        "ingest-worker@.service",
    }


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_each_ingest_unit_keeps_its_state_to_its_user(unit: Path) -> None:
    """StateDirectory= alone makes /var/lib/ingest 0755 again at every start."""
    service = service_of(unit)
    assert service["StateDirectory"] == "ingest"
    assert service["StateDirectoryMode"] == "0700"
    assert service["UMask"] == "0077"
