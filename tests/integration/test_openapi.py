"""Schemathesis against the live service: no server error, no response outside the schema."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import BOOTH
from tests.support.broker import Mosquitto
from tests.support.services import IngestProcess, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IngestProcess]:
    tmp = tmp_path_factory.mktemp("openapi")
    broker = Mosquitto(tmp / "broker", users=["ingest", BOOTH]).start()
    env = {
        "INGEST_DATA_DIR": str(tmp / "ingest"),
        "INGEST_MQTT_URL": broker.url("ingest"),
        # The sign-in throttle at its default: schemathesis tries wrong tokens on purpose,
        # and a valid token is never held up by them.
    }
    run_cli("ingest", ["booth", "add", BOOTH, "--neighborhood", "gellerup"], env)
    service = IngestProcess(env, tmp / "ingest.log")
    service.create_token("admin")
    service.start()
    yield service
    service.stop()
    broker.stop()


def test_schemathesis_finds_no_server_error_and_no_schema_violation(live: IngestProcess) -> None:
    """Every operation, with generated valid and invalid input, as an admin (who may call
    everything); the run fails on any 5xx or any response the schema does not describe."""
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "--config-file",
            str(Path(__file__).parents[1] / "schemathesis.toml"),
            "run",
            f"{live.base_url}/openapi.json",
            "--header",
            f"Authorization: {live.headers['Authorization']}",
            "--checks",
            "all",
            # Stateful runs follow links schemathesis guesses (audit entry -> clip), and
            # audit entries about themes carry no clip id: every generated step is covered
            # by the other phases.
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "30",
            "--seed",
            "7",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_the_schema_documents_auth_and_every_area(live: IngestProcess) -> None:
    spec = httpx.get(f"{live.base_url}/openapi.json").json()
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    tags = {tag for path in spec["paths"].values() for op in path.values() for tag in op["tags"]}
    assert tags >= {"clips", "stats", "export", "themes", "booths", "admin", "public", "health"}
