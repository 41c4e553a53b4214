"""The real ingest service and booth simulator as subprocesses, the way an operator runs them."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.support.broker import free_port
from tests.support.waiting import wait_until


def run_cli(
    program: str, args: list[str], env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", f"{program}.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class IngestProcess:
    """`ingest serve` by default; or one role alone (`api`, `receive`, `transcribe`), whose
    `port` is then its API or health port."""

    def __init__(self, env: dict[str, str], log_path: Path, role: str = "serve") -> None:
        self.role = role
        self.port = free_port()
        self.env = {**os.environ, **env}
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.headers: dict[str, str] = {}

    def create_token(self, role: str = "admin", name: str = "tests") -> str:
        result = subprocess.run(
            [sys.executable, "-m", "ingest.cli", "token", "create", "--role", role, "--name", name],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        token = result.stdout.strip()
        self.headers = {"Authorization": f"Bearer {token}"}
        return token

    def start(self, timeout: float = 60) -> "IngestProcess":
        with open(self.log_path, "ab") as log:
            port_flag = "--health-port" if self.role in ("receive", "transcribe") else "--port"
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ingest.cli", self.role, port_flag, str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            if wait_until(self._ready, timeout, every=0.2):
                return self
        except RuntimeError:
            self.stop()  # a role that failed to start is not left running for the next test
            raise
        self.stop()
        raise RuntimeError(f"ingest not ready in {timeout} s:\n{self.log_path.read_text()}")

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"ingest exited early:\n{self.log_path.read_text()}")
        try:
            path = "/healthz" if self.role in ("receive", "transcribe") else "/readyz"
            return httpx.get(f"{self.base_url}{path}", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def get(self, path: str, **params: Any) -> Any:
        response = httpx.get(
            f"{self.base_url}{path}", params=params, headers=self.headers, timeout=10
        )
        response.raise_for_status()
        return response.json()

    def wait_for_clip(self, clip_id: str, timeout: float = 120) -> dict[str, Any]:
        """Poll until the clip's transcription settled (transcribed, no_speech or failed)."""
        clip: dict[str, Any] = {}

        def settled() -> bool:
            nonlocal clip
            response = httpx.get(
                f"{self.base_url}/api/clips/{clip_id}", headers=self.headers, timeout=10
            )
            if response.status_code == 200:
                clip = response.json()
            return clip.get("status") in ("transcribed", "no_speech", "failed")

        if wait_until(settled, timeout, every=0.3):
            return clip
        raise TimeoutError(f"clip {clip_id} not transcribed in {timeout} s: {clip}")


def printed_clips(stdout: str) -> list[dict[str, Any]]:
    """The JSON lines `booth simulate` prints, one per recorded call."""
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def start_ingest_process(
    broker_url: str, booth_id: str, data: Path, role: str = "admin"
) -> IngestProcess:
    """`ingest serve` as an operator starts it: the booth registered, a token made (the
    process's `headers` carry it), the service up and ready."""
    env = {"INGEST_DATA_DIR": str(data), "INGEST_MQTT_URL": broker_url}
    added = run_cli("ingest", ["booth", "add", booth_id, "--neighborhood", "gellerup"], env)
    if added.returncode != 0:
        raise RuntimeError(added.stderr)
    ingest = IngestProcess(env, data.parent / f"{data.name}.log")
    ingest.create_token(role)
    return ingest.start()
