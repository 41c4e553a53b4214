"""`ingest retranscribe` goes through the transcription queue: the selected clips wait for a
run of the model with their texts in force (an approved message stays public), only a worker
of that model takes them, a run that fails for good leaves the text as it was, and a run cut
off (its worker killed) is taken back and finished by `--resume`. On SQLite and PostgreSQL,
with the real tiny.en model and the real audio store."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ingest.cli import main as ingest_main
from ingest.review.moderation import approve
from ingest.service import IngestService
from ingest.settings import IngestSettings
from ingest.store.models import Clip, ClipStatus, TranscribeWorker, TranscriptVersion, public
from ingest.store.queries import ClipFilter
from ingest.transcribe.retranscribe import ask_for_model, work_off
from ingest.transcribe.worker import TranscriptionWorker
from tests.conftest import BOOTH
from tests.integration.conftest import register
from tests.integration.test_transcription import get, receive
from tests.support.clips import encode_file

pytestmark = pytest.mark.slow


@pytest.fixture
def service(
    tmp_path: Path, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[IngestService]:
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path / "ingest"))
    if database_url:
        monkeypatch.setenv("INGEST_DATABASE_URL", database_url)
    monkeypatch.setenv("INGEST_TRANSCRIBE_RETRY_S", "0.05")
    monkeypatch.setenv("INGEST_TRANSCRIBE_MAX_ATTEMPTS", "2")
    svc = IngestService(IngestSettings(transcribe_workers=0), receive=False)
    svc.start()
    register(svc, BOOTH)
    yield svc
    svc.stop()


def worker(service: IngestService, *, rerun: bool = False) -> TranscriptionWorker:
    assert service.transcriber is not None
    return TranscriptionWorker(
        service.settings, service.sessions, service.store, service.transcriber, rerun=rerun
    )


def published_clip(service: IngestService, speech_wav: Path) -> str:
    clip_id = receive(service, *encode_file(speech_wav))
    assert worker(service).work_once()
    with service.sessions.begin() as session:
        clip = session.get(Clip, clip_id)
        assert clip is not None and clip.status == ClipStatus.TRANSCRIBED
        approve(clip)
    return clip_id


def versions(service: IngestService, clip_id: str) -> list[str | None]:
    with service.sessions() as session:
        return list(
            session.scalars(
                select(TranscriptVersion.model)
                .where(TranscriptVersion.clip_id == clip_id)
                .order_by(TranscriptVersion.id)
            )
        )


def is_public(service: IngestService, clip_id: str) -> bool:
    with service.sessions() as session:
        return session.scalar(select(Clip.id).where(Clip.id == clip_id, public(Clip))) is not None


def test_waiting_for_a_model_keeps_the_text_and_only_that_model_takes_it(
    service: IngestService, speech_wav: Path
) -> None:
    clip_id = published_clip(service, speech_wav)
    fresh = receive(service, *encode_file(speech_wav))  # not transcribed yet: the workers'
    before = get(service, clip_id)
    asked = ask_for_model(service.sessions, ClipFilter(theme="parks"), "tiny.en")
    assert (asked.marked, asked.unfinished) == (1, 1)
    waiting = get(service, clip_id)
    assert (waiting.status, waiting.text, waiting.wanted_model) == (
        ClipStatus.TRANSCRIBED,
        before.text,
        "tiny.en",
    )
    assert is_public(service, clip_id)  # the published message stays up while it waits
    rerun = worker(service, rerun=True)
    assert rerun.queue.claim(5) and get(service, clip_id).status == ClipStatus.TRANSCRIBED
    rerun.queue.leave()  # handed back, uncounted
    assert get(service, clip_id).claimed_by is None and get(service, clip_id).attempts == 0
    # A worker for new clips takes the new one, never the one waiting for a re-run.
    everyday = worker(service)
    assert [c.id for c in everyday.queue.claim(5)] == [fresh]
    everyday.queue.leave()
    assert work_off(worker(service, rerun=True)) == 0
    done = get(service, clip_id)
    assert done.wanted_model is None and done.status == ClipStatus.TRANSCRIBED
    assert versions(service, clip_id) == ["tiny.en", "tiny.en"]
    assert get(service, fresh).status == ClipStatus.RECEIVED  # untouched by the re-run


def test_a_rerun_that_fails_for_good_leaves_the_message_as_it_was(
    service: IngestService, speech_wav: Path
) -> None:
    clip_id = published_clip(service, speech_wav)
    before = get(service, clip_id)
    assert before.audio_key is not None
    (service.settings.data_dir / "audio" / before.audio_key).write_bytes(b"OggS" + b"\0" * 400)
    ask_for_model(service.sessions, ClipFilter(), "tiny.en")
    rerun = worker(service, rerun=True)
    assert work_off(rerun) == 0
    assert rerun.outcomes[ClipStatus.FAILED] == 1 and rerun.outcomes["retry"] == 1
    after = get(service, clip_id)
    assert (after.status, after.text, after.moderation) == (
        ClipStatus.TRANSCRIBED,
        before.text,
        before.moderation,
    )
    assert after.wanted_model is None and "run of tiny.en" in (after.error or "")
    assert is_public(service, clip_id) and versions(service, clip_id) == ["tiny.en"]


def test_a_rerun_cut_off_is_taken_back_and_finished_by_resume(
    service: IngestService, speech_wav: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip_id = published_clip(service, speech_wav)
    ask_for_model(service.sessions, ClipFilter(), "tiny.en")
    killed = worker(service, rerun=True)
    assert [c.id for c in killed.queue.claim(1)] == [clip_id]
    # The process dies holding the claim: no leave, its heartbeat goes stale.
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    with service.sessions.begin() as session:
        session.execute(update(TranscribeWorker).values(heartbeat_at=long_ago))
    assert ingest_main(["retranscribe", "--model", "tiny.en", "--resume"]) == 0
    assert "1 transcribed, 0 no speech, 0 failed" in capsys.readouterr().out
    after = get(service, clip_id)
    assert (after.wanted_model, after.claimed_by, after.crashes) == (None, None, 1)
    assert versions(service, clip_id) == ["tiny.en", "tiny.en"]
