"""The restore drill of docs/operator.md, on PostgreSQL: back up (pg_dump and the audio
folder), wipe both, restore, start: the same clips, the same audio, the same public pages,
and a theme's prompt (kept in the database) still served."""

import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ingest.http.app import create_app
from ingest.roles import Role
from ingest.settings import IngestSettings
from tests.conftest import BOOTH
from tests.integration.conftest import Api, register

PUBLIC = ["/public/clips", "/public/stats", "/public/themes", "/public/places"]


def snapshot(api: Api, ids: list[str], prompt: str) -> dict[str, object]:
    seen: dict[str, object] = {path: api.client.get(path).json() for path in PUBLIC}
    for clip_id in ids:
        seen[clip_id] = api.get(f"/api/clips/{clip_id}", Role.ADMIN)
        audio = api.client.get(f"/api/clips/{clip_id}/audio", headers=api.as_(Role.ADMIN))
        assert audio.status_code == 200
        seen[f"{clip_id}/audio"] = audio.content
    seen["prompt"] = api.client.get(f"/prompts/{prompt}.wav").content
    return seen


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="no pg_dump (postgresql-client)")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_backup_wipe_restore_start_gives_the_same_city(
    tmp_path: Path, database_url: str | None, speech_wav: Path
) -> None:
    assert database_url is not None
    settings = IngestSettings(data_dir=tmp_path / "ingest", database_url=database_url)
    libpq = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    backup = tmp_path / "backup"

    with TestClient(create_app(settings, receive=False, transcribe=False)) as client:
        api = Api(client, client.app.state.service, speech_wav)  # type: ignore[attr-defined]
        register(api.service, BOOTH)
        ids = [api.add_clip(f"more benches by the harbour {n}") for n in range(3)]
        approved = client.post(
            f"/api/clips/{ids[0]}/moderation",
            json={"action": "approve"},
            headers=api.as_(Role.MODERATOR),
        )
        assert approved.status_code == 200, approved.text
        theme = {"slug": "harbour", "title": "Harbour", "question": "?"}
        assert client.post("/api/themes", json=theme, headers=api.as_(Role.PLANNER)).is_success
        prompt = client.put(
            "/api/themes/harbour/prompt",
            content=speech_wav.read_bytes(),
            headers={**api.as_(Role.PLANNER), "Content-Type": "audio/wav"},
        ).json()["prompt_sha256"]
        before = snapshot(api, ids, prompt)
        tokens = api.tokens

    # Back up: the database, then the audio.
    backup.mkdir()
    dumped = subprocess.run(
        ["pg_dump", "--format=custom", f"--file={backup / 'ingest.dump'}", libpq],
        capture_output=True,
        text=True,
    )
    assert dumped.returncode == 0, dumped.stderr
    shutil.copytree(settings.audio_dir, backup / "audio")

    # Wipe: the database emptied to nothing, the data directory gone.
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    shutil.rmtree(settings.data_dir)

    # Restore, then start.
    restored = subprocess.run(
        ["pg_restore", "--no-owner", "--clean", "--if-exists", "-d", libpq, backup / "ingest.dump"],
        capture_output=True,
        text=True,
    )
    assert restored.returncode == 0, restored.stderr
    settings.data_dir.mkdir()
    shutil.copytree(backup / "audio", settings.audio_dir)
    with TestClient(create_app(settings, receive=False, transcribe=False)) as client:
        api = Api.__new__(Api)
        api.client, api.service, api.tokens = client, client.app.state.service, tokens  # type: ignore[attr-defined]
        after = snapshot(api, ids, prompt)

    assert after == before
    assert before["/public/clips"]["items"]  # type: ignore[index]  # a page with something on it
