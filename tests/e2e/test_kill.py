"""The kill test: a city's ingest as separate processes on PostgreSQL, the real broker and
audio in an S3 bucket (moto's server mode standing in): 2 receivers, 2 workers and the API;
30 booths (their real spools and uplinks) send 300 clips; one receiver and one worker are
killed with SIGKILL mid-run and restarted. Every clip is stored exactly once and
transcribed, acks equal clips, and nothing is left in any spool."""

from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booth.settings import BoothSettings
from booth.spool import Spool
from booth.uplink import Uplink
from ingest.sessions import migrate_database
from ingest.store.database import make_engine
from ingest.store.models import Booth, Clip
from tests.support.broker import Mosquitto
from tests.support.clips import encode_file, meta_for
from tests.support.s3 import CREDENTIALS, moto_s3
from tests.support.services import IngestProcess
from tests.support.speech import speak
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

BOOTHS = [f"booth-{n:02d}" for n in range(30)]
CLIPS_EACH = 10
BUCKET = "lyd"


@pytest.mark.timeout(900)
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_nothing_is_lost_when_a_receiver_and_a_worker_die(
    tmp_path: Path, database_url: str | None
) -> None:
    assert database_url is not None
    broker = Mosquitto(tmp_path / "broker", users=["ingest", *BOOTHS]).start()
    engine = make_engine(database_url)
    migrate_database(engine)
    with Session(engine) as session, session.begin():
        now = datetime.now(UTC)
        session.add_all(Booth(id=b, neighborhood="gellerup", created_at=now) for b in BOOTHS)
    speech = speak("More trees by the harbour", tmp_path / "short.wav", lead_s=0.2, tail_s=0.2)
    payload, ms = encode_file(speech)
    uplinks: list[Uplink] = []
    processes: list[IngestProcess] = []
    try:
        with moto_s3(BUCKET) as endpoint:
            env = {
                **CREDENTIALS,
                "INGEST_DATA_DIR": str(tmp_path / "ingest"),
                "INGEST_DATABASE_URL": database_url,
                "INGEST_MQTT_URL": broker.url("ingest"),
                "INGEST_AUDIO_STORE": "s3",
                "INGEST_S3_BUCKET": BUCKET,
                "INGEST_S3_ENDPOINT_URL": endpoint,
                "INGEST_WHISPER_THREADS": "1",
                "INGEST_TRANSCRIBE_RETRY_S": "0.5",
                # The killed worker's claims go to the others after the lease (600 s in
                # production, where a long message on a large model takes minutes).
                "INGEST_TRANSCRIBE_LEASE_S": "20",
            }

            def role(name: str, log: str, **more: str) -> IngestProcess:
                process = IngestProcess(env | more, tmp_path / f"{log}.log", name)
                processes.append(process.start(timeout=120))
                return process

            receivers = [
                role("receive", f"receive-{n}", INGEST_MQTT_CLIENT_ID=f"ingest-{n}") for n in (1, 2)
            ]
            workers = [role("transcribe", f"transcribe-{n}") for n in (1, 2)]
            api = role("api", "api")

            for booth_id in BOOTHS:
                settings = BoothSettings(
                    id=booth_id,
                    mqtt_url=broker.url(booth_id),
                    spool_dir=tmp_path / booth_id / "spool",
                    ack_timeout_s=10,
                    _env_file=None,
                )
                spool = Spool(settings.spool_dir)
                for _ in range(CLIPS_EACH):
                    spool.put(meta_for(payload, booth_id, ms), payload)
                uplinks.append(Uplink(settings, spool))
            for uplink in uplinks:
                uplink.start()

            def stored() -> int:
                with Session(engine) as session:
                    return session.scalar(select(func.count()).select_from(Clip)) or 0

            total = len(BOOTHS) * CLIPS_EACH
            assert wait_until(lambda: stored() >= total // 3, 120, every=0.2)
            receivers[0].kill()  # SIGKILL, mid-run
            workers[0].kill()
            receivers[0] = role("receive", "receive-1-again", INGEST_MQTT_CLIENT_ID="ingest-1")
            workers[0] = role("transcribe", "transcribe-1-again")

            for uplink in uplinks:
                held = uplink.spool.depth()
                assert uplink.wait_until_empty(300), (
                    f"{uplink.settings.id} still holds {uplink.spool.depth()} of {held} clips; "
                    f"{dict(uplink.counts)}, {stored()} stored"
                )
            assert (
                sum(u.counts["stored"] for u in uplinks) >= total
            )  # an ack per clip (resends re-acked)
            assert all(u.spool.depth() == 0 and not u.spool.quarantined() for u in uplinks)

            def transcribed() -> int:
                with Session(engine) as session:
                    return (
                        session.scalar(
                            select(func.count())
                            .select_from(Clip)
                            .where(Clip.status == "transcribed")
                        )
                        or 0
                    )

            assert wait_until(lambda: transcribed() == total, 600, every=1)
            with Session(engine) as session:
                ids = list(session.scalars(select(Clip.id)))
            assert len(ids) == len(set(ids)) == total  # stored exactly once
            bucket = boto3.client("s3", endpoint_url=endpoint, **_boto_credentials())
            keys = [
                o["Key"]
                for page in bucket.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
                for o in page.get("Contents", [])
            ]
            assert len(keys) == total and {Path(k).stem for k in keys} == set(ids)
            assert api.get("/readyz")["ready"] is True
    finally:
        for uplink in uplinks:
            uplink.stop()
        for process in processes:
            process.stop()
        broker.stop()
        engine.dispose()


def _boto_credentials() -> dict[str, str]:
    return {
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "region_name": CREDENTIALS["AWS_DEFAULT_REGION"],
    }
