"""The fleet view tells the truth: a booth that stops says so, and a receiver that
reconnects does not make stopped booths look recently seen."""

from datetime import datetime
from pathlib import Path

import pytest

from ingest.service import IngestService
from ingest.store.models import Booth
from tests.conftest import BOOTH
from tests.e2e.conftest import simulated_booth, start_ingest
from tests.support.broker import Mosquitto
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow


def booth_row(service: IngestService) -> tuple[str | None, datetime | None]:
    with service.sessions() as session:
        booth = session.get(Booth, BOOTH)
        assert booth is not None
        state = str(booth.status.get("state")) if booth.status else None
        return state, booth.last_seen_at


def test_a_stopped_booth_is_offline_and_a_reconnect_does_not_revive_it(
    broker: Mosquitto, tmp_path: Path
) -> None:
    ingest = start_ingest(broker, tmp_path)
    try:
        with simulated_booth(broker, tmp_path) as booth:
            booth.settle_in()
            assert wait_until(lambda: booth_row(ingest)[0] == "idle", 10)
        # A clean stop: the broker drops the last will, so the booth said it itself.
        assert wait_until(lambda: booth_row(ingest)[0] == "offline", 10)
        _, seen_at_stop = booth_row(ingest)
        assert seen_at_stop is not None
    finally:
        ingest.stop()

    again = IngestService(ingest.settings)  # a receiver restart: retained statuses replay
    again.start()
    try:
        assert again.receiver is not None and again.receiver.connected.wait(10)
        assert again.receiver.status_replayed.wait(10)
        assert booth_row(again) == ("offline", seen_at_stop)
    finally:
        again.stop()
