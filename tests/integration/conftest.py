"""An in-process ingest service on a real broker, real database and real Whisper."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.service import IngestService
from ingest.settings import IngestSettings
from tests.conftest import BOOTH
from tests.support.broker import Mosquitto


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

    from ingest.models import Booth

    with service.sessions.begin() as session:
        session.merge(Booth(id=booth_id, neighborhood=neighborhood, created_at=datetime.now(UTC)))
