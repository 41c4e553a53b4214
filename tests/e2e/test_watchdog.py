"""systemd's readiness and watchdog, spoken by the real `ingest` processes to a notify
socket the test owns, as systemd hands it to a `Type=notify` unit with `WatchdogSec=`.

READY=1 comes only once the role can do its part (broker connected, model loaded, HTTP
listening); WATCHDOG=1 keeps coming from the loops that do the work, and stops while one
of them is stuck; STOPPING=1 on SIGTERM."""

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.broker import Mosquitto, free_port
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

WATCHDOG_USEC = 400_000  # the process pings every 0.2 s


class NotifySocket:
    """What systemd's notify socket would receive, with the time each message came."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.2)
        self.messages: list[tuple[float, str]] = []
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._collect, daemon=True)
        self._thread.start()

    def _collect(self) -> None:
        while not self._closed.is_set():
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            self.messages.append((time.monotonic(), data.decode()))

    def said(self, message: str, after: float = 0.0) -> list[float]:
        return [at for at, text in list(self.messages) if text == message and at >= after]

    def close(self) -> None:
        self._closed.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def notify(tmp_path: Path) -> Iterator[NotifySocket]:
    listener = NotifySocket(tmp_path / "notify.sock")
    yield listener
    listener.close()


def start(
    role: list[str], env: dict[str, str], notify: NotifySocket, log: Path
) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", *role],
            env={
                **os.environ,
                **env,
                "NOTIFY_SOCKET": str(notify.path),
                "WATCHDOG_USEC": str(WATCHDOG_USEC),
            },
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen[bytes], notify: NotifySocket) -> None:
    asked = time.monotonic()
    process.terminate()
    # uvicorn raises the signal again once it has shut down cleanly; systemd counts a
    # death by SIGTERM as a clean stop.
    assert process.wait(timeout=60) in (0, -15)
    assert wait_until(lambda: notify.said("STOPPING=1", after=asked), 5)


def keeps_pinging(notify: NotifySocket, since: float, count: int = 5) -> bool:
    return wait_until(lambda: len(notify.said("WATCHDOG=1", after=since)) >= count, 20)


def test_the_receiver_is_ready_only_once_the_broker_took_it(
    notify: NotifySocket, tmp_path: Path
) -> None:
    broker = Mosquitto(tmp_path / "broker", users=["ingest"], port=free_port())
    env = {"INGEST_DATA_DIR": str(tmp_path / "data"), "INGEST_MQTT_URL": broker.url("ingest")}
    log = tmp_path / "receive.log"
    process = start(["receive"], env, notify, log)
    try:
        # Alive while it waits for the broker (start-up is TimeoutStartSec's), not ready.
        assert keeps_pinging(notify, 0.0, 3), log.read_text()
        assert process.poll() is None and not notify.said("READY=1")
        broker.start()
        try:
            assert wait_until(lambda: notify.said("READY=1"), 30), log.read_text()
            assert keeps_pinging(notify, notify.said("READY=1")[0])
            stop(process, notify)
        finally:
            broker.stop()
    finally:
        process.kill()
        process.wait()


def test_the_api_is_ready_once_it_listens(notify: NotifySocket, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "api.log"
    process = start(
        ["api", "--port", str(port)], {"INGEST_DATA_DIR": str(tmp_path / "data")}, notify, log
    )
    try:
        assert wait_until(lambda: notify.said("READY=1"), 60), log.read_text()
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        assert keeps_pinging(notify, notify.said("READY=1")[0])
        stop(process, notify)
    finally:
        process.kill()
        process.wait()


def test_a_worker_stuck_on_its_database_stops_feeding_the_watchdog(
    notify: NotifySocket, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    env = {
        "INGEST_DATA_DIR": str(data),
        "INGEST_WHISPER_THREADS": "1",
        "INGEST_WHISPER_REPLICAS": "1",
        # The loop writes its heartbeat on every turn: a locked database holds it up.
        "INGEST_TRANSCRIBE_HEARTBEAT_S": "0.1",
    }
    log = tmp_path / "transcribe.log"
    process = start(["transcribe"], env, notify, log)
    try:
        assert wait_until(lambda: notify.said("READY=1"), 120), log.read_text()
        assert "loaded model" in log.read_text()  # ready only with the model in memory
        assert keeps_pinging(notify, notify.said("READY=1")[0])

        # Another process takes the database's write lock and keeps it: the worker's loop
        # waits on it (busy timeout 30 s), as one would on a hung database.
        holder = sqlite3.connect(data / "ingest.sqlite3", isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        locked = time.monotonic()
        try:

            def silent_for(seconds: float) -> bool:
                pings = notify.said("WATCHDOG=1", after=locked)
                last = pings[-1] if pings else locked
                return time.monotonic() - last >= seconds

            # Ten ping intervals without a ping: systemd would have restarted it.
            assert wait_until(lambda: silent_for(10 * WATCHDOG_USEC / 2e6), 20)
            assert process.poll() is None
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert keeps_pinging(notify, time.monotonic(), 3), log.read_text()
        stop(process, notify)
    finally:
        process.kill()
        process.wait()


def test_serve_speaks_for_itself_and_not_through_its_worker(
    notify: NotifySocket, broker: Mosquitto, tmp_path: Path
) -> None:
    """`ingest serve` is ready once HTTP listens and the broker took it; its worker child
    gets no notify socket (NotifyAccess=main would refuse it): one READY=1, and the
    watchdog fed by the parent's loops."""
    port = free_port()
    env = {
        "INGEST_DATA_DIR": str(tmp_path / "data"),
        "INGEST_MQTT_URL": broker.url("ingest"),
        "INGEST_WHISPER_THREADS": "1",
        "INGEST_WHISPER_REPLICAS": "1",
    }
    log = tmp_path / "serve.log"
    process = start(["serve", "--port", str(port)], env, notify, log)
    try:
        assert wait_until(lambda: notify.said("READY=1"), 60), log.read_text()
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        assert wait_until(lambda: "loaded model" in log.read_text(), 120)  # the child's
        assert keeps_pinging(notify, time.monotonic())
        assert len(notify.said("READY=1")) == 1
        stop(process, notify)
    finally:
        process.kill()
        process.wait()
