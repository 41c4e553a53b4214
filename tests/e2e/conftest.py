"""Simulated booths and in-process ingest services on a real broker."""

from pathlib import Path

import numpy as np
import soundfile as sf
from sqlalchemy import select

from booth.settings import BoothSettings
from booth.simulate import SimulatedBooth
from ingest.service import IngestService
from ingest.store.models import Clip
from tests.conftest import BOOTH
from tests.integration.conftest import ingest_settings, register
from tests.support.broker import Mosquitto


def booth_settings(broker: Mosquitto, tmp: Path, **changes: object) -> BoothSettings:
    booth_id = str(changes.get("id", BOOTH))
    values: dict[str, object] = {
        "id": booth_id,
        "mqtt_url": broker.url(booth_id),
        "spool_dir": tmp / "booth" / "spool",
        "neighborhood": "gellerup",
        "theme": "parks",
        "ack_timeout_s": 2.0,
        "silence_timeout_s": 1.5,
        "heartbeat_s": 1.0,
    }
    values.update(changes)
    return BoothSettings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


def simulated_booth(broker: Mosquitto, tmp: Path, **changes: object) -> SimulatedBooth:
    return SimulatedBooth(booth_settings(broker, tmp, **changes), speed=20)


def start_ingest(broker: Mosquitto, tmp: Path) -> IngestService:
    service = IngestService(ingest_settings(broker, tmp / "ingest"))
    service.start()
    assert service.receiver is not None and service.receiver.connected.wait(10)
    register(service, BOOTH)
    return service


def stored_ids(service: IngestService) -> list[str]:
    with service.sessions() as session:
        return list(session.scalars(select(Clip.id)))


def words(path: Path) -> np.ndarray:
    data, _ = sf.read(path, dtype="int16")
    return np.asarray(data)
