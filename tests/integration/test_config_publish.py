"""A booth's config counts as sent only once the broker acknowledged it: published while
the broker is down, nothing is marked, and it goes out once the broker is back."""

from datetime import UTC, datetime

from ingest.service import IngestService
from ingest.store.models import Booth, Theme
from shared.messages import BoothConfig
from tests.conftest import BOOTH
from tests.support.broker import Mosquitto
from tests.support.mqtt import RawBooth
from tests.support.waiting import wait_until


def sent(service: IngestService) -> tuple[int, str | None]:
    with service.sessions() as session:
        booth = session.get(Booth, BOOTH)
        assert booth is not None
        return booth.config_version, booth.config_hash


def test_a_config_the_broker_never_took_is_not_marked_sent(
    ingest: IngestService, broker: Mosquitto
) -> None:
    assert ingest.receiver is not None
    broker.stop()
    assert wait_until(lambda: not ingest.receiver.connected.is_set(), 10)  # type: ignore[union-attr]
    now = datetime.now(UTC)
    with ingest.sessions.begin() as session:
        session.add(
            Theme(slug="harbour", title="Harbour", question="?", created_at=now, updated_at=now)
        )
    assert ingest.fleet.publish_configs() == []
    assert sent(ingest) == (0, None)

    broker.start()  # the receiver reconnects and publishes what is due
    assert wait_until(lambda: sent(ingest)[0] == 1, 30)
    with RawBooth(broker.url(BOOTH), BOOTH) as booth:
        booth.subscribe(f"dn/v1/booths/{BOOTH}/config")
        _topic, payload = booth.messages.get(timeout=10)
    config = BoothConfig.decode(payload)
    assert (config.version, [t.slug for t in config.themes]) == (1, ["harbour"])
