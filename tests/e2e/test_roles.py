"""Process roles on their own, as on separate hosts: two `ingest receive`, one
`ingest transcribe` and one `ingest api`, on one database and the real broker; each role
has its health and metrics. A receiver killed mid-run loses nothing."""

import re
from pathlib import Path

import httpx
import pytest

from shared.mqtt import clip_properties
from tests.conftest import BOOTH
from tests.support.broker import Mosquitto
from tests.support.clips import encode_file, meta_for
from tests.support.mqtt import RawBooth
from tests.support.services import IngestProcess, run_cli
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow


def metric(process: IngestProcess, name: str) -> float:
    text = httpx.get(f"{process.base_url}/metrics", timeout=5).text
    found = re.search(rf"^{name} ([0-9.e+]+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_receivers_worker_and_api_run_apart(
    broker: Mosquitto, tmp_path: Path, speech_wav: Path, database_url: str | None
) -> None:
    env = {"INGEST_DATA_DIR": str(tmp_path / "ingest"), "INGEST_MQTT_URL": broker.url("ingest")}
    if database_url:
        env["INGEST_DATABASE_URL"] = database_url
    added = run_cli("ingest", ["booth", "add", BOOTH, "--neighborhood", "gellerup"], env)
    assert added.returncode == 0, added.stderr
    roles = [
        IngestProcess(
            env | {"INGEST_MQTT_CLIENT_ID": f"ingest-{n}"}, tmp_path / f"r{n}.log", "receive"
        )
        for n in (1, 2)
    ]
    worker = IngestProcess(env, tmp_path / "worker.log", "transcribe")
    api = IngestProcess(env, tmp_path / "api.log", "api")
    api.create_token("planner")
    started = []
    try:
        for process in (*roles, worker, api):
            started.append(process.start(timeout=120))
        payload, ms = encode_file(speech_wav)
        clip_ids = []
        with RawBooth(broker.url(BOOTH), BOOTH) as booth:
            for _ in range(6):
                meta = meta_for(payload, BOOTH, ms)
                booth.publish(payload, clip_properties(meta))
                assert booth.next_ack().status == "stored"
                clip_ids.append(str(meta.clip_id))
            received = [metric(r, "ingest_clips_received_total") for r in roles]
            assert sum(received) == 6 and all(received)  # the shared subscription splits them

            # SIGKILL one receiver mid-run. The broker keeps its session, and its share of
            # the clips waits there until it is back (systemd restarts it in seconds).
            roles[0].kill()
            sent = []
            for _ in range(4):
                meta = meta_for(payload, BOOTH, ms)
                booth.publish(payload, clip_properties(meta))
                sent.append(meta.clip_id)
            restarted = IngestProcess(roles[0].env, tmp_path / "r1-again.log", "receive")
            started.append(restarted.start(timeout=120))
            acks = [booth.next_ack(timeout=60) for _ in sent]
            assert sorted(str(a.clip_id) for a in acks) == sorted(str(c) for c in sent)
            assert {a.status for a in acks} == {"stored"}
            clip_ids += [str(c) for c in sent]

        def all_transcribed() -> bool:
            return all(api.get(f"/api/clips/{c}")["status"] == "transcribed" for c in clip_ids)

        assert wait_until(all_transcribed, 120, every=0.5)
        assert metric(worker, 'ingest_transcriptions_total{outcome="transcribed"}') == 10
        assert metric(worker, "ingest_real_time_factor_count") == 10
        assert metric(worker, "ingest_transcription_queue_depth") == 0
        assert httpx.get(f"{worker.base_url}/healthz", timeout=5).text == "ok"
        assert api.get("/readyz")["ready"] is True
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"{roles[0].base_url}/healthz", timeout=2)  # the dead one says nothing
    finally:
        for process in started:
            process.stop()
