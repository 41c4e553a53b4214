"""An in-process ingest service on a real broker, real database and real Whisper."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ingest.http.app import create_app
from ingest.receive.intake import InboundClip
from ingest.roles import Role
from ingest.service import IngestService
from ingest.settings import IngestSettings
from ingest.store.models import Clip, ClipStatus
from ingest.store.tokens import create_token
from shared.topics import Channel, Topics
from tests.conftest import BOOTH
from tests.support.broker import Mosquitto
from tests.support.clips import encode_file, meta_for


def ingest_settings(broker: Mosquitto, data: Path, **changes: object) -> IngestSettings:
    return IngestSettings(
        data_dir=data,
        mqtt_url=broker.url("ingest"),
        mqtt_client_id=f"ingest-{data.name}",
        transcribe_retry_s=0.1,
        **changes,  # type: ignore[arg-type]
    )


@pytest.fixture
def ingest(broker: Mosquitto, tmp_path: Path, database_url: str | None) -> Iterator[IngestService]:
    service = IngestService(ingest_settings(broker, tmp_path / "ingest", database_url=database_url))
    service.start()
    assert service.receiver is not None and service.receiver.connected.wait(10)
    register(service, BOOTH)
    yield service
    service.stop()


def register(service: IngestService, booth_id: str, neighborhood: str = "gellerup") -> None:
    from datetime import UTC, datetime

    from ingest.store.models import Booth

    with service.sessions.begin() as session:
        session.merge(Booth(id=booth_id, neighborhood=neighborhood, created_at=datetime.now(UTC)))


class Api:
    def __init__(self, client: TestClient, service: IngestService, speech: Path) -> None:
        self.client = client
        self.service = service
        self.payload, self.ms = encode_file(speech)
        self.tokens: dict[Role, str] = {}
        with service.sessions.begin() as session:
            for role in Role:
                self.tokens[role] = create_token(session, f"{role}-user", role)

    def as_(self, role: Role | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def get(self, path: str, role: Role | None = Role.PLANNER, **params: Any) -> Any:
        response = self.client.get(path, params=params, headers=self.as_(role))
        assert response.status_code == 200, response.text
        return response.json()

    def add_clip(
        self, text: str, *, status: str = ClipStatus.TRANSCRIBED, language: str = "en", **meta: Any
    ) -> str:
        clip = meta_for(self.payload, BOOTH, self.ms, **meta)
        inbound = InboundClip(Topics().booth(BOOTH, Channel.CLIPS), self.payload, clip.to_dict())
        assert self.service.intake.accept(inbound).status == "stored"
        with self.service.sessions.begin() as session:
            row = session.get(Clip, str(clip.clip_id))
            assert row is not None
            row.text, row.status, row.language = text, status, language
        return str(clip.clip_id)


@pytest.fixture
def api(tmp_path: Path, database_url: str | None, speech_wav: Path) -> Iterator[Api]:
    settings = IngestSettings(data_dir=tmp_path / "ingest", database_url=database_url)
    app = create_app(settings, receive=False, transcribe=False)
    with TestClient(app) as client:
        service: IngestService = app.state.service
        register(service, BOOTH)
        yield Api(client, service, speech_wav)
