"""Ingest's receive path under load: many booths sending clips as fast as acks allow, against
the real mosquitto and a real `ingest serve` that transcribes at the same time; on SQLite
and local disk, or as a city runs it, PostgreSQL with the audio in an S3 bucket (moto's
server, in a process of its own, standing in for MinIO, Ceph or a cloud's)."""

import io
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import soundfile as sf
from sqlalchemy import func, select

from bench import cpu
from ingest.sessions import migrate_database
from ingest.store.database import make_engine, session_factory
from ingest.store.models import Booth, Clip, ClipStatus
from shared.broker import BrokerAddress
from shared.clip import ClipMeta, sha256_hex
from shared.messages import Ack
from shared.mqtt import clip_properties, make_client
from shared.topics import Channel, Topics
from tests.support.broker import Mosquitto, free_port
from tests.support.s3 import CREDENTIALS

BUCKET = "bench-audio"


@contextmanager
def moto_server() -> Iterator[str]:
    """An S3 endpoint with an empty bucket, served by `moto_server` in its own process."""
    import boto3

    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(endpoint, timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        ).create_bucket(
            Bucket=BUCKET,
            CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["AWS_DEFAULT_REGION"]},
        )
        yield endpoint
    finally:
        server.terminate()
        server.wait(30)


class LoadBooth:
    """One booth that sends a clip, waits for its ack, and sends the next."""

    def __init__(self, url: str, booth_id: str, payload: bytes, duration_ms: int) -> None:
        self.booth_id = booth_id
        self.payload = payload
        self.digest = sha256_hex(payload)
        self.duration_ms = duration_ms
        self.topics = Topics()
        self.address = BrokerAddress.from_url(url)
        self.client = make_client(self.address, booth_id)
        self.client.on_message = self._on_ack
        self.acked = threading.Event()
        self.latencies: list[float] = []
        self.stored = 0
        self._sent_at = 0.0

    def _on_ack(self, _c: Any, _u: Any, message: Any) -> None:
        ack = Ack.decode(message.payload)
        if ack.status == "stored":
            self.stored += 1
            self.latencies.append(time.perf_counter() - self._sent_at)
        self.acked.set()

    def run(self, start: float, until: float, interval: float) -> None:
        """Send from `start` to `until`; with `interval` > 0 no faster than one clip per
        interval (a paced, city-like load), else as fast as the acks come back."""
        self.client.connect(self.address.host, self.address.port)
        self.client.subscribe(self.topics.booth(self.booth_id, Channel.ACKS), qos=1)
        self.client.loop_start()
        next_send = start
        while (now := time.perf_counter()) < until:
            if now < next_send:
                time.sleep(next_send - now)
            next_send += interval
            meta = ClipMeta(
                uuid.uuid4(),
                self.booth_id,
                "gellerup",
                "parks",
                datetime.now(UTC),
                self.duration_ms,
                self.digest,
            )
            self.acked.clear()
            self._sent_at = time.perf_counter()
            self.client.publish(
                self.topics.booth(self.booth_id, Channel.CLIPS),
                self.payload,
                qos=1,
                properties=clip_properties(meta),
            )
            self.acked.wait(10)
        self.client.disconnect()
        self.client.loop_stop()


def run(
    speech: Path,
    booths: int = 50,
    seconds: float = 30.0,
    offered_per_s: float | None = None,
    database_url: str | None = None,
    s3_endpoint: str | None = None,
) -> dict[str, Any]:
    """`offered_per_s` None: saturate (each booth sends again as soon as it is acked).
    `database_url`: a fresh PostgreSQL database (else SQLite); `s3_endpoint`: audio in its
    bucket (else on local disk)."""
    data, rate = sf.read(speech, dtype="int16")
    buffer = io.BytesIO()
    sf.write(buffer, data, rate, format="OGG", subtype="OPUS")
    payload, duration_ms = buffer.getvalue(), len(data) * 1000 // rate
    ids = [f"booth-{n:03d}" for n in range(booths)]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        broker = Mosquitto(tmp / "broker", users=["ingest", *ids]).start()
        data_dir = tmp / "ingest"
        data_dir.mkdir()
        url = database_url or f"sqlite:///{data_dir / 'ingest.sqlite3'}"
        engine = make_engine(url)
        migrate_database(engine)
        with session_factory(engine).begin() as session:
            for booth_id in ids:
                session.add(
                    Booth(id=booth_id, neighborhood="gellerup", created_at=datetime.now(UTC))
                )
        engine.dispose()
        port = free_port()
        env = {
            **os.environ,
            "INGEST_DATA_DIR": str(data_dir),
            "INGEST_MQTT_URL": broker.url("ingest"),
            "INGEST_DATABASE_URL": url,
            # The load is many clips of one recording, faster than booths send, under a
            # theme nobody made: no per-booth limits or theme rule in the measurement.
            "INGEST_BOOTH_CLIP_BURST": "1000000",
            "INGEST_DUPLICATE_AUDIO_S": "0",
            "INGEST_OPEN_THEMES": "true",
        }
        if s3_endpoint:
            env |= CREDENTIALS | {
                "INGEST_AUDIO_STORE": "s3",
                "INGEST_S3_BUCKET": BUCKET,
                "INGEST_S3_ENDPOINT_URL": s3_endpoint,
            }
        with open(tmp / "ingest.log", "wb") as log:
            service = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "ingest.cli",
                    "--log-level",
                    "WARNING",
                    "serve",
                    "--port",
                    str(port),
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_ready(port)
            clients = [LoadBooth(broker.url(b), b, payload, duration_ms) for b in ids]
            interval = booths / offered_per_s if offered_per_s else 0.0
            start = time.perf_counter() + 1.0  # all connected first
            until = start + seconds
            threads = [
                # Staggered, so a paced load arrives evenly rather than in bursts of 50.
                threading.Thread(
                    target=c.run, args=(start + n * interval / booths, until, interval)
                )
                for n, c in enumerate(clients)
            ]
            groups = {
                "ingest (receiver, API)": lambda: [service.pid],
                "transcription worker": lambda: cpu.children(service.pid),
                "mosquitto": lambda: [broker.process.pid] if broker.process else [],
                "postgres": lambda: cpu.named("postgres:") if database_url else [],
                "s3 stand-in (moto_server)": lambda: cpu.named("moto_server"),
                "the load's 50 booths": lambda: [os.getpid()],
            }
            with cpu.CpuShare(groups) as share:
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
        finally:
            service.terminate()
            service.wait(60)
            broker.stop()
        transcribed = _count_transcribed(url)
    latencies = sorted(x for c in clients for x in c.latencies)
    stored = sum(c.stored for c in clients)
    return {
        "database": "postgresql" if database_url else "sqlite",
        "audio_store": "s3 (moto_server)" if s3_endpoint else "local disk",
        "booths": booths,
        "seconds": seconds,
        "offered_per_s": offered_per_s or "as fast as acks allow",
        "clip_bytes": len(payload),
        "clip_seconds": duration_ms / 1000,
        "stored": stored,
        "stored_per_s": round(stored / seconds, 1),
        "ack_latency_ms": {
            "p50": round(1000 * statistics.median(latencies), 1) if latencies else None,
            "p99": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1)
            if latencies
            else None,
        },
        "transcribed_during_run": transcribed,
        "cpu_seconds": share.seconds,  # by process, during the load (bench.cpu)
    }


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("ingest did not become ready")


def _count_transcribed(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.execute(
            select(func.count()).select_from(Clip).where(Clip.status == ClipStatus.TRANSCRIBED)
        ).scalar_one()
    engine.dispose()
    return int(count)
