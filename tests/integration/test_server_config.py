"""The server's reverse proxy config (deploy/caddy/Caddyfile), as docs/server.md installs it."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

CADDYFILE = Path(__file__).parents[2] / "deploy" / "caddy" / "Caddyfile"


@pytest.fixture
def caddy() -> str:
    found = shutil.which("caddy")
    if found is None:
        pytest.skip("needs Debian's caddy (make system-deps installs it)")
    return found


def test_the_caddyfile_is_valid_and_keeps_tokens_out_of_the_log(caddy: str, tmp_path: Path) -> None:
    checked = subprocess.run(
        [caddy, "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert checked.returncode == 0 and "Valid configuration" in checked.stdout + checked.stderr
    adapted = subprocess.run(
        [caddy, "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        check=True,
    )
    config = json.loads(adapted.stdout)
    logs = config["logging"]["logs"]
    encoder = next(log["encoder"] for log in logs.values() if "encoder" in log)
    assert encoder["fields"]["request>uri"] == {
        "filter": "query",
        "actions": [{"type": "delete", "parameter": "*"}],
    }
    assert encoder["fields"]["request>headers>Authorization"]["filter"] == "delete"
    route = config["apps"]["http"]["servers"]["srv0"]["routes"][0]
    assert "127.0.0.1:8000" in json.dumps(route)
