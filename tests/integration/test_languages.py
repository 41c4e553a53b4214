"""Models per language: a clip keeps the language its theme is asked in, and waits for a
worker whose model can transcribe it."""

from ingest.roles import Role
from ingest.store.models import Clip
from ingest.transcribe.transcriber import Transcriber
from ingest.transcribe.worker import TranscriptionWorker
from tests.integration.conftest import Api


def theme(api: Api, slug: str, language: str | None) -> None:
    body = {"slug": slug, "title": slug, "question": "?", "language": language}
    made = api.client.post("/api/themes", json=body, headers=api.as_(Role.PLANNER))
    assert made.status_code == 201, made.text


def test_clips_wait_for_a_worker_with_their_language(api: Api) -> None:
    theme(api, "byliv", "da")
    theme(api, "harbour", "en")
    theme(api, "open", None)
    danish = api.add_clip("", status="received", theme="byliv")
    english = api.add_clip("", status="received", theme="harbour")
    unknown = api.add_clip("", status="received", theme="open")
    with api.service.sessions() as session:
        wanted = {c: session.get(Clip, c).wanted_language for c in (danish, english, unknown)}  # type: ignore[union-attr]
    assert wanted == {danish: "da", english: "en", unknown: None}

    english_only = Transcriber()  # the bundled tiny.en
    assert not english_only.multilingual
    settings = api.service.settings
    worker = TranscriptionWorker(settings, api.service.sessions, api.service.store, english_only)
    assert worker.takes == ["en", "any"]
    taken = []
    while (clip := worker.claim()) is not None:
        taken.append(clip.id)
    assert sorted(taken) == sorted([english, unknown])  # the Danish clip waits

    danish_worker = TranscriptionWorker(
        settings.model_copy(update={"transcribe_languages": ["da"]}),
        api.service.sessions,
        api.service.store,
        english_only,  # the claim is what is tested; a Danish worker holds a Danish model
    )
    claimed = danish_worker.claim()
    assert claimed is not None and claimed.id == danish
    assert danish_worker.language_for(claimed) == "da"
    assert danish_worker.claim() is None
