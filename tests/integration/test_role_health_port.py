"""A role started alone whose health port is taken stops at once with a clear error, instead
of running on unwatched: a worker's threads would keep the process alive without it."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("role", ["transcribe", "receive"])
def test_a_role_whose_health_port_is_taken_exits(role: str, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            **os.environ,
            "INGEST_DATA_DIR": str(tmp_path / "ingest"),
            "INGEST_MQTT_URL": "mqtt://ingest:x@127.0.0.1:1",  # never reached
        }
        result = subprocess.run(
            [sys.executable, "-m", "ingest.cli", role, "--health-port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,  # it used to hang here, its worker threads alive
        )
    assert result.returncode == 1
    assert f"error: health port 127.0.0.1:{port}: Address already in use" in result.stderr
