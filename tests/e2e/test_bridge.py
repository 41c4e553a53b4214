"""Brokers beyond one: booths on two edge brokers bridged to the central one (real
mosquitto processes, production config on all three). Every clip is stored once and every
ack comes back through its bridge."""

import hashlib
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from booth.simulate import CallScript
from ingest.fleet.broker_admin import edge_bridge_conf
from ingest.service import IngestService
from shared.broker import BrokerAddress
from shared.messages import AckStatus
from shared.mqtt import clip_properties
from shared.topics import Topics
from tests.e2e.conftest import simulated_booth, words
from tests.integration.conftest import ingest_settings, register
from tests.support.broker import Mosquitto
from tests.support.clips import encode_file, meta_for
from tests.support.mqtt import RawBooth
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

EDGES = {"edge-north": ["booth-n1", "booth-n2"], "edge-south": ["booth-s1"]}


def edge_config(name: str, central: Mosquitto, password: str) -> str:
    """As `ingest broker bridge` writes it."""
    address = BrokerAddress.from_url(f"mqtt://127.0.0.1:{central.port}")
    return edge_bridge_conf(name, address, password, Topics())


@pytest.fixture
def city(tmp_path: Path) -> Iterator[tuple[Mosquitto, dict[str, Mosquitto]]]:
    central = Mosquitto(tmp_path / "central", users=["ingest"]).start()
    edges: dict[str, Mosquitto] = {}
    try:
        for name, booths in EDGES.items():
            password = secrets.token_urlsafe(16)
            with central.admin() as admin:
                admin.add_bridge(name, password)
            edges[name] = Mosquitto(
                tmp_path / name, users=booths, extra=edge_config(name, central, password)
            ).start()
        yield central, edges
    finally:
        for edge in edges.values():
            edge.stop()
        central.stop()


def test_clips_cross_the_bridges_once_and_acks_come_back(
    city: tuple[Mosquitto, dict[str, Mosquitto]],
    tmp_path: Path,
    speech_wav: Path,
    database_url: str | None,
) -> None:
    central, edges = city
    settings = ingest_settings(central, tmp_path / "ingest", database_url=database_url)
    service = IngestService(settings)
    service.start()
    try:
        assert service.receiver is not None and service.receiver.connected.wait(10)
        for booths in EDGES.values():
            for booth_id in booths:
                register(service, booth_id)
        payload, ms = encode_file(speech_wav)
        sent: dict[str, list[str]] = {}
        for name, booths in EDGES.items():
            for booth_id in booths:
                with RawBooth(edges[name].url(booth_id), booth_id) as booth:
                    sent[booth_id] = []
                    for _ in range(3):
                        meta = meta_for(payload, booth_id, ms)
                        booth.publish(payload, clip_properties(meta))
                        ack = booth.next_ack(timeout=20)  # back through the bridge
                        assert (ack.status, ack.clip_id) == (AckStatus.STORED, meta.clip_id)
                        sent[booth_id].append(str(meta.clip_id))
                    # The same clip again (a booth that missed its ack): stored once.
                    booth.publish(payload, clip_properties(meta))
                    assert booth.next_ack(timeout=20).status == AckStatus.STORED
        from sqlalchemy import func, select

        from ingest.store.models import Clip

        with service.sessions() as session:
            rows = session.execute(select(Clip.booth_id, func.count()).group_by(Clip.booth_id))
            stored = dict(rows.all())
        assert stored == {booth_id: 3 for booth_id in sent}
    finally:
        service.stop()


def test_a_booth_cannot_pass_itself_off_through_its_edge(
    city: tuple[Mosquitto, dict[str, Mosquitto]], tmp_path: Path, speech_wav: Path
) -> None:
    """The edge pins each booth to its own topics, as the central broker does: a clip
    forged for another booth never crosses the bridge."""
    central, edges = city
    service = IngestService(ingest_settings(central, tmp_path / "ingest"))
    service.start()
    try:
        assert service.receiver is not None and service.receiver.connected.wait(10)
        for booth_id in ("booth-n1", "booth-n2"):
            register(service, booth_id)
        payload, ms = encode_file(speech_wav)
        with RawBooth(edges["edge-north"].url("booth-n1"), "booth-n1") as booth:
            forged = meta_for(payload, "booth-n2", ms)
            booth.publish(payload, clip_properties(forged), topic="dn/v1/booths/booth-n2/clips")
            own = meta_for(payload, "booth-n1", ms)
            booth.publish(payload, clip_properties(own))  # after the forgery, on one link
            assert booth.next_ack(timeout=20).clip_id == own.clip_id
        from sqlalchemy import select

        from ingest.store.models import Clip

        with service.sessions() as session:
            assert list(session.scalars(select(Clip.id))) == [str(own.clip_id)]
    finally:
        service.stop()


@pytest.mark.timeout(600)
def test_the_central_broker_killed_mid_run_loses_and_doubles_nothing(
    city: tuple[Mosquitto, dict[str, Mosquitto]], tmp_path: Path, speech_wav: Path
) -> None:
    """A booth keeps taking calls through its edge while the central broker is SIGKILLed
    and started again on its port with its persistence: every clip the booth made is
    acked, stored once by its id, and its audio is on disk once, byte for byte."""
    central, edges = city
    booth_id, calls = "booth-n1", 8
    settings = ingest_settings(
        central, tmp_path / "ingest", booth_clips_per_minute=600.0, booth_clip_burst=50
    )
    service = IngestService(settings)
    service.start()
    try:
        assert service.receiver is not None and service.receiver.connected.wait(10)
        register(service, booth_id)
        edge = edges["edge-north"]
        spoken = words(speech_wav)
        with simulated_booth(edge, tmp_path, id=booth_id, theme="general") as booth:
            assert booth.uplink.connected.wait(10)
            failures: list[BaseException] = []

            def caller() -> None:
                try:
                    for n in range(calls):  # each call's audio its own: no duplicate audio
                        booth.place_call(CallScript((spoken * (0.5 + n / 20)).astype(np.int16)))
                except BaseException as exc:
                    failures.append(exc)

            calling = threading.Thread(target=caller, name="caller")
            calling.start()
            try:
                assert wait_until(lambda: booth.uplink.counts["stored"] >= 2, 120)
                central.kill()  # mid-run, with the next clip on its way
                made_before = len(booth.agent.processor.recent)
                # Calls go on while the central broker is away: they wait at the edge and
                # in the spool.
                assert wait_until(lambda: len(booth.agent.processor.recent) >= made_before + 2, 120)
                receiver = service.receiver
                assert wait_until(lambda: not receiver.connected.is_set(), 30)
                # A clip whose ack did not come in time is sent again (and waits at the edge).
                assert wait_until(lambda: booth.uplink.counts["resent"] >= 1, 60)
                central.start()  # the same port, workdir, persistence and logins
            finally:
                calling.join(timeout=300)
            assert not failures, failures
            assert booth.agent.wait_idle_processing(60)
            assert booth.uplink.wait_until_empty(180), booth.uplink.counts  # every clip acked
            sent = {str(meta.clip_id): meta.sha256 for meta in booth.agent.processor.recent}
            counts = booth.uplink.counts
            assert booth.spool.quarantined() == []
        assert len(sent) == calls and counts["rejected"] == 0
        assert counts["stored"] >= calls

        from sqlalchemy import select

        from ingest.store.models import Clip

        with service.sessions() as session:
            rows = session.execute(select(Clip.id, Clip.sha256)).all()
        assert sorted(row.id for row in rows) == sorted(sent)  # each id once, none lost
        assert {row.id: row.sha256 for row in rows} == sent
        on_disk = [path for path in settings.audio_dir.rglob("*") if path.is_file()]
        assert len(on_disk) == calls  # each clip's audio stored once
        assert sorted(hashlib.sha256(path.read_bytes()).hexdigest() for path in on_disk) == (
            sorted(sent.values())
        )
    finally:
        service.stop()
