"""The kill test: a city's ingest as separate processes on PostgreSQL, the real broker and
audio in an S3 bucket (moto's server mode standing in): 2 receivers, 2 workers and the API;
30 booths (their real spools and uplinks) send 300 clips; one receiver and one worker are
killed with SIGKILL mid-run and restarted. Every clip is stored once and transcribed
once (one model version each), the clips the killed worker held are taken over by the
others, every clip is acked as stored and no ack names a clip that is not, and nothing is
left in any spool."""

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
from ingest.store.models import Booth, Clip, ClipStatus, TranscribeWorker, TranscriptVersion
from shared.messages import AckStatus
from tests.support.broker import Mosquitto
from tests.support.clips import encode_file, meta_for
from tests.support.mqtt import RawBooth
from tests.support.s3 import CREDENTIALS, moto_s3
from tests.support.services import IngestProcess
from tests.support.speech import speak
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

BOOTHS = [f"booth-{n:02d}" for n in range(30)]
CLIPS_EACH = 10
BUCKET = "lyd"


@pytest.mark.timeout(2400)
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
    watch: RawBooth | None = None
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
                # The killed worker's claims go to the others once its heartbeat is this
                # old (60 s in production; a live worker beats every few seconds).
                "INGEST_TRANSCRIBE_LEASE_S": "15",
                "INGEST_TRANSCRIBE_HEARTBEAT_S": "2",
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
            # Every ack ingest sends, as the booths' broker passes it on.
            # (with an edge bridge's login: the one role that may read every booth's acks)
            with broker.admin() as admin:
                admin.add_bridge("ack-watch", "watch-secret")
            watch = RawBooth(broker.url("ack-watch", "watch-secret"), "ack-watch").__enter__()
            watch.subscribe("dn/v1/booths/+/acks")
            for uplink in uplinks:
                uplink.start()

            def stored() -> int:
                with Session(engine) as session:
                    return session.scalar(select(func.count()).select_from(Clip)) or 0

            total = len(BOOTHS) * CLIPS_EACH
            assert wait_until(lambda: stored() >= total // 3, 120, every=0.2)
            assert workers[0].process is not None
            victim_pid = workers[0].process.pid

            def victims_claims() -> list[str]:
                with Session(engine) as session:
                    victim = select(TranscribeWorker.id).where(TranscribeWorker.pid == victim_pid)
                    held = select(Clip.id).where(
                        Clip.status == ClipStatus.TRANSCRIBING, Clip.claimed_by.in_(victim)
                    )
                    return list(session.scalars(held))

            # Killed while it holds a batch: its claims must go to the others.
            assert wait_until(lambda: bool(victims_claims()), 120, every=0.05)
            receivers[0].kill()  # SIGKILL, mid-run
            workers[0].kill()
            orphans = victims_claims()
            assert orphans
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

            def states() -> dict[str, int]:
                with Session(engine) as session:
                    counted = session.execute(
                        select(Clip.status, Clip.crashes, func.count()).group_by(
                            Clip.status, Clip.crashes
                        )
                    )
                    return {f"{status} crashes={n}": c for status, n, c in counted}

            # Generous: on a loaded shared machine 300 clips may take a while (speed is measured
            # by the benchmark, not here).
            assert wait_until(lambda: transcribed() == total, 1800, every=1), states()
            with Session(engine) as session:
                ids = list(session.scalars(select(Clip.id)))
                runs = dict(
                    session.execute(
                        select(TranscriptVersion.clip_id, func.count())
                        .where(TranscriptVersion.source == "model")
                        .group_by(TranscriptVersion.clip_id)
                    ).all()
                )
                taken_over = list(session.scalars(select(Clip).where(Clip.id.in_(orphans))))
            assert len(ids) == total  # stored once: one row per clip sent
            assert runs == dict.fromkeys(ids, 1)  # transcribed once: one model version each
            # The killed worker's claims were taken over: each tried again, by another.
            assert len(taken_over) == len(orphans)
            assert all(c.crashes == 1 and c.attempts >= 2 for c in taken_over), [
                (c.crashes, c.attempts) for c in taken_over
            ]
            acks = []
            while not watch.acks.empty():
                acks.append(watch.acks.get())
            acked = {str(a.clip_id) for a in acks if a.status is AckStatus.STORED}
            assert acked == set(ids)  # every clip acked as stored, no ack for another
            assert all(a.status is AckStatus.STORED for a in acks)
            bucket = boto3.client("s3", endpoint_url=endpoint, **_boto_credentials())
            keys = [
                o["Key"]
                for page in bucket.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
                for o in page.get("Contents", [])
            ]
            assert len(keys) == total and {Path(k).stem for k in keys} == set(ids)
            assert api.get("/readyz")["ready"] is True
    finally:
        if watch is not None:
            watch.__exit__()
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
