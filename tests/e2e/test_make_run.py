"""`make run`'s script as a newcomer runs it: the broker from the production config, ingest
on SQLite, a planner's Danish theme with a spoken question, a simulated booth's call
transcribed and published, the page and the console printed; Ctrl-C stops everything."""

import os
import re
import signal
import subprocess
import threading
from pathlib import Path

import httpx
import pytest

from tests.support.broker import free_port, port_open
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]


def test_make_run_shows_a_danish_call_from_booth_to_public_page(tmp_path: Path) -> None:
    api_port, broker_port = free_port(), free_port()
    env = os.environ | {
        "RUN": str(tmp_path / "run"),
        "API_PORT": str(api_port),
        "BROKER_PORT": str(broker_port),
    }
    run = subprocess.Popen(
        ["bash", "deploy/run-local.sh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    lines: list[str] = []
    output = run.stdout
    assert output is not None

    def read() -> None:  # bytes, decoded leniently: no stray byte can end the reading
        lines.extend(raw.decode("utf-8", "replace") for raw in output)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        started = wait_until(
            lambda: any("Ctrl-C" in line for line in lines) or run.poll() is not None, 240
        )
        said = "".join(lines)
        assert started and run.poll() is None, explain(said, run.poll(), tmp_path / "run")
        assert re.search(r"transcript  \[transcribed, da\] '.+'", said), said
        assert f"http://127.0.0.1:{api_port}/?tema=byliv" in said
        token = re.search(r"/planner#token=(\S+)", said)
        assert token, said

        # What the printed links lead to: the message on the public page, and the console.
        page = httpx.get(f"http://127.0.0.1:{api_port}/?tema=byliv", timeout=10)
        assert page.status_code == 200 and 'lang="da"' in page.text
        public = httpx.get(
            f"http://127.0.0.1:{api_port}/public/clips", params={"theme": "byliv"}, timeout=10
        ).json()["items"]
        assert len(public) == 1 and public[0]["neighborhood"] == "aarhus-c" and public[0]["text"]
        auth = {"Authorization": f"Bearer {token.group(1)}"}
        (clip,) = httpx.get(
            f"http://127.0.0.1:{api_port}/api/clips", headers=auth, timeout=10
        ).json()["items"]
        assert clip["booth_id"] == "booth-demo" and clip["language"] == "da"
    finally:
        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C
        run.wait(60)
        reader.join(10)
        run.stdout.close()
    assert "stopped." in "".join(lines)
    assert not port_open(api_port) and not port_open(broker_port)
    with pytest.raises(ProcessLookupError):  # nothing it started is left running
        os.killpg(run.pid, 0)


def explain(said: str, exit_code: int | None, run_dir: Path) -> str:
    """What a newcomer would look at when `make run` stops short: its output and its logs."""
    state = "still running after 240 s" if exit_code is None else f"exited {exit_code}"
    parts = [f"make run {state}; it printed:\n{said}"]
    for log in ("broker.log", "ingest.log", "booth.out"):
        path = run_dir / log
        if path.exists():
            tail = path.read_text(errors="replace").splitlines()[-40:]
            parts.append(f"--- {log} (last lines)\n" + "\n".join(tail))
    return "\n".join(parts)
