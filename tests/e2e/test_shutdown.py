"""`ingest serve` stops within its unit's TimeoutStopSec, worker child and all, and the
child never outlives a parent that was killed."""

import os
import re
import signal
import subprocess
from pathlib import Path

import pytest

from tests.conftest import BOOTH
from tests.support.broker import Mosquitto
from tests.support.services import IngestProcess, start_ingest_process
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

UNITS = Path(__file__).parents[2] / "systemd"


def stop_timeout(unit: str) -> float:
    match = re.search(r"^TimeoutStopSec=(\d+)$", (UNITS / unit).read_text(), re.MULTILINE)
    assert match is not None
    return float(match.group(1))


def children_of(pid: int) -> list[str]:
    return [
        child
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]


def worker_child(ingest: IngestProcess) -> int:
    assert ingest.process is not None
    pid = ingest.process.pid
    assert wait_until(lambda: children_of(pid), 30)
    (child,) = children_of(pid)
    cmdline = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
    assert b"worker" in cmdline and b"--parent" in cmdline
    return int(child)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    status = Path(f"/proc/{pid}/status").read_text()
    return "State:\tZ" in status  # exited, waiting for its parent to reap it


def test_serve_stops_within_its_unit_timeout_with_its_worker(
    broker: Mosquitto, tmp_path: Path
) -> None:
    ingest = start_ingest_process(broker.url("ingest"), BOOTH, tmp_path / "ingest")
    try:
        child = worker_child(ingest)
        assert ingest.process is not None
        ingest.process.send_signal(signal.SIGTERM)
        try:
            code = ingest.process.wait(timeout=stop_timeout("ingest.service"))
        except subprocess.TimeoutExpired:
            code = None
    finally:
        ingest.kill()  # never leave a service behind, whatever failed
    assert code is not None, "ingest serve outlived its unit's TimeoutStopSec"
    # uvicorn shuts down cleanly, then re-raises the signal it caught (0 on older ones).
    assert code in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in ingest.log_path.read_text()
    assert wait_until(lambda: gone(child), 5)


def test_the_worker_dies_with_a_killed_parent(broker: Mosquitto, tmp_path: Path) -> None:
    ingest = start_ingest_process(broker.url("ingest"), BOOTH, tmp_path / "ingest")
    try:
        child = worker_child(ingest)
    finally:
        ingest.kill()  # SIGKILL: no chance to stop its child
    assert wait_until(lambda: gone(child), 30)
