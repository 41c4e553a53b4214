"""Booth and ingest over TLS, with per-booth credentials and the ACL."""

import socket
import ssl
from pathlib import Path

import pytest

from booth.simulate import CallScript
from ingest.service import IngestService
from tests.conftest import BOOTH
from tests.e2e.conftest import simulated_booth, stored_ids, words
from tests.integration.conftest import ingest_settings, register
from tests.support.broker import Mosquitto

pytestmark = pytest.mark.slow


def test_a_call_travels_over_tls(tmp_path: Path, speech_wav: Path) -> None:
    broker = Mosquitto(tmp_path / "broker", users=["ingest", BOOTH], tls=True).start()
    try:
        assert broker.url(BOOTH).startswith("mqtts://")
        service = IngestService(
            ingest_settings(broker, tmp_path / "ingest", mqtt_ca_file=broker.ca_file),
            transcribe=False,
        )
        service.start()
        try:
            assert service.receiver is not None and service.receiver.connected.wait(10)
            register(service, BOOTH)
            with simulated_booth(broker, tmp_path, mqtt_ca_file=broker.ca_file) as booth:
                booth.place_call(CallScript(words(speech_wav)))
                assert booth.uplink.wait_until_empty(30)
                made = [str(c.clip_id) for c in booth.agent.processor.recent]
            stored = stored_ids(service)
        finally:
            service.stop()
        # The client side verifies: without the CA, the broker's certificate is refused.
        context = ssl.create_default_context()
        with (
            socket.create_connection(("127.0.0.1", broker.port)) as raw,
            pytest.raises(ssl.SSLCertVerificationError),
        ):
            context.wrap_socket(raw, server_hostname="127.0.0.1")
    finally:
        broker.stop()
    assert stored == made and len(made) == 1
