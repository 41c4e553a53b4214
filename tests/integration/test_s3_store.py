"""Audio in an S3-compatible bucket. No real S3 server installs from the registries here:
moto's server mode stands in for MinIO, Ceph or a cloud bucket, over real HTTP with boto3."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from fastapi.testclient import TestClient

from ingest.errors import StorageError
from ingest.http.app import create_app
from ingest.receive.intake import InboundClip
from ingest.review.retention import purge_expired_audio
from ingest.roles import Role
from ingest.service import IngestService
from ingest.settings import IngestSettings
from ingest.store.audio import S3AudioStore
from ingest.store.models import Clip
from ingest.store.tokens import create_token
from shared.topics import Channel, Topics
from tests.conftest import BOOTH
from tests.integration.conftest import register
from tests.support.broker import free_port
from tests.support.clips import encode_file, meta_for
from tests.support.s3 import CREDENTIALS, moto_s3
from tests.support.waiting import wait_until

BUCKET = "lyd"


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    with moto_s3(BUCKET) as endpoint:
        yield endpoint


def test_put_read_ranges_and_delete(s3: str) -> None:
    store = S3AudioStore(BUCKET, prefix="aarhus", endpoint_url=s3)
    payload = bytes(range(256)) * 10
    store.put("gellerup/parks/2026/11/a.ogg", payload)
    assert store.size("gellerup/parks/2026/11/a.ogg") == len(payload)
    assert store.read("gellerup/parks/2026/11/a.ogg", 10, 20) == payload[10:20]
    assert store.read("gellerup/parks/2026/11/a.ogg") == payload
    with store.local_file("gellerup/parks/2026/11/a.ogg") as copy:
        assert copy.read_bytes() == payload and copy.suffix == ".ogg"
    assert not copy.exists()
    listed = boto3.client("s3", endpoint_url=s3).list_objects_v2(Bucket=BUCKET)["Contents"]
    assert [o["Key"] for o in listed] == ["aarhus/gellerup/parks/2026/11/a.ogg"]
    store.delete("gellerup/parks/2026/11/a.ogg")
    assert store.size("gellerup/parks/2026/11/a.ogg") is None
    with pytest.raises(StorageError):
        store.put("../other/x.ogg", payload)


def test_a_bucket_that_cannot_be_reached_is_a_storage_error() -> None:
    store = S3AudioStore(BUCKET, endpoint_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StorageError):
        store.put("x/y.ogg", b"audio")


def test_clips_stored_transcribed_played_and_erased_from_the_bucket(
    s3: str, tmp_path: Path, speech_wav: Path, database_url: str | None
) -> None:
    settings = IngestSettings(
        data_dir=tmp_path / "ingest",
        database_url=database_url,
        audio_store="s3",
        s3_bucket=BUCKET,
        s3_endpoint_url=s3,
        transcribe_retry_s=0.1,
    )
    app = create_app(settings, receive=False, transcribe=True, worker_process=False)
    with TestClient(app) as client:
        service: IngestService = app.state.service
        register(service, BOOTH)
        with service.sessions.begin() as session:
            token = create_token(session, "admin", Role.ADMIN)
        auth = {"Authorization": f"Bearer {token}"}
        payload, ms = encode_file(speech_wav)
        meta = meta_for(payload, BOOTH, ms, receipt="48151623")
        inbound = InboundClip(Topics().booth(BOOTH, Channel.CLIPS), payload, meta.to_dict())
        assert service.intake.accept(inbound).status == "stored"
        clip_id = str(meta.clip_id)
        with service.sessions() as session:
            clip = session.get(Clip, clip_id)
            assert clip is not None and clip.audio_key is not None
            key = clip.audio_key
        assert not (settings.audio_dir / key).exists()  # nothing on the local disk
        bucket = boto3.client("s3", endpoint_url=s3)
        assert bucket.head_object(Bucket=BUCKET, Key=key)["ContentLength"] == len(payload)

        def transcribed() -> bool:
            return (
                client.get(f"/api/clips/{clip_id}", headers=auth).json()["status"] == "transcribed"
            )

        assert wait_until(transcribed, 120)  # the worker read it from the bucket
        whole = client.get(f"/api/clips/{clip_id}/audio", headers=auth)
        assert whole.status_code == 200 and whole.content == payload
        part = client.get(f"/api/clips/{clip_id}/audio", headers=auth | {"Range": "bytes=100-199"})
        assert part.status_code == 206 and part.content == payload[100:200]
        assert part.headers["content-range"] == f"bytes 100-199/{len(payload)}"
        tail = client.get(f"/api/clips/{clip_id}/audio", headers=auth | {"Range": "bytes=-50"})
        assert tail.content == payload[-50:]
        beyond = client.get(
            f"/api/clips/{clip_id}/audio", headers=auth | {"Range": "bytes=99999999-"}
        )
        assert beyond.status_code == 416

        # Retention: an older clip's audio leaves the bucket, its text stays; newer audio stays.
        old_meta = meta_for(payload, BOOTH, ms)
        old = InboundClip(Topics().booth(BOOTH, Channel.CLIPS), payload, old_meta.to_dict())
        assert service.intake.accept(old).status == "stored"
        old_id = str(old_meta.clip_id)
        with service.sessions.begin() as session:
            old_clip = session.get(Clip, old_id)
            assert old_clip is not None and old_clip.audio_key is not None
            old_key = old_clip.audio_key
            old_clip.received_at = datetime.now(UTC) - timedelta(days=100)
        assert bucket.head_object(Bucket=BUCKET, Key=old_key)["ContentLength"] == len(payload)
        assert purge_expired_audio(service.sessions, service.store, days=90) == 1
        assert [o["Key"] for o in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]] == [key]
        assert client.get(f"/api/clips/{old_id}/audio", headers=auth).status_code == 404
        assert client.get(f"/api/clips/{old_id}", headers=auth).json()["audio_available"] is False

        erased = client.post("/api/erasures", json={"receipt": "48151623"}, headers=auth)
        assert erased.status_code == 200, erased.text
        assert "Contents" not in bucket.list_objects_v2(Bucket=BUCKET)


def test_a_batch_is_uploaded_side_by_side_and_a_failure_is_raised(
    s3: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Intake's group commit hands the store a batch: its PUTs overlap (the real ones, to
    moto over HTTP, timed as they run), and one that fails fails the batch by name."""
    import threading
    import time

    store = S3AudioStore(BUCKET, endpoint_url=s3)
    real_put = store.client.put_object
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()

    def timed_put(**kwargs: object) -> object:
        started = time.perf_counter()
        answer = real_put(**kwargs)
        with lock:
            spans.append((started, time.perf_counter()))
        return answer

    monkeypatch.setattr(store.client, "put_object", timed_put)
    items = [(f"gellerup/parks/2026/11/{n}.ogg", bytes([n]) * 20_000) for n in range(12)]
    store.put_many(items)
    assert all(store.read(key) == payload for key, payload in items)
    most = max(sum(a < end and start < b for a, b in spans) for start, end in spans)
    assert most >= 2, "the PUTs of a batch went one at a time"

    with pytest.raises(StorageError, match="escapes the store"):
        store.put_many([("x/1.ogg", b"a"), ("../2.ogg", b"b"), ("x/3.ogg", b"c")])
    assert store.size("x/1.ogg") == 1 and store.size("x/3.ogg") == 1
