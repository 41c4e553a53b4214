"""Store-and-forward under faults, against a real mosquitto and a real ingest service.
Each test counts: made, stored, stored twice (must be 0), lost (must be 0)."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from booth.simulate import CallScript
from shared.topics import Channel
from tests.conftest import BOOTH
from tests.e2e.conftest import simulated_booth, start_ingest, stored_ids, words
from tests.support.broker import Mosquitto
from tests.support.mqtt import Observer
from tests.support.services import printed_clips, start_ingest_process
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow


def test_broker_down_while_five_calls_are_made(
    broker: Mosquitto, tmp_path: Path, speech_wav: Path
) -> None:
    ingest = start_ingest(broker, tmp_path)
    try:
        with simulated_booth(broker, tmp_path) as booth:
            assert booth.uplink.connected.wait(10)
            broker.stop()
            for _ in range(5):
                booth.place_call(CallScript(words(speech_wav)))
            assert booth.agent.wait_idle_processing(30)
            made = [str(c.clip_id) for c in booth.agent.processor.recent]
            assert booth.spool.depth() == 5  # all waiting, none lost
            broker.start()
            assert booth.uplink.wait_until_empty(60)
        stored = stored_ids(ingest)
    finally:
        ingest.stop()
    assert len(made) == 5
    assert sorted(stored) == sorted(made)  # stored = 5, lost = 0
    assert len(stored) == len(set(stored))  # stored twice = 0


def test_ingest_down_clips_wait_in_the_spool_and_arrive_later(
    broker: Mosquitto, tmp_path: Path, speech_wav: Path
) -> None:
    ingest = start_ingest(broker, tmp_path)
    ingest.stop()
    with simulated_booth(broker, tmp_path) as booth:
        for _ in range(3):
            booth.place_call(CallScript(words(speech_wav)))
        assert booth.agent.wait_idle_processing(30)
        # Past the ack timeout: the booth resends, and nobody answers.
        assert wait_until(lambda: booth.uplink.counts["resent"] >= 3, 30)
        assert booth.spool.depth() == 3
        assert booth.uplink.counts["stored"] == 0
        made = {str(c.clip_id) for c in booth.agent.processor.recent}
        ingest = start_ingest(broker, tmp_path)
        try:
            assert booth.uplink.wait_until_empty(60)
            stored = stored_ids(ingest)
        finally:
            ingest.stop()
    assert set(stored) == made and len(stored) == 3


def test_a_lost_ack_makes_the_booth_resend_and_ingest_store_once(
    broker: Mosquitto, tmp_path: Path, speech_wav: Path
) -> None:
    ingest = start_ingest(broker, tmp_path)
    try:
        with simulated_booth(broker, tmp_path) as booth:
            assert booth.uplink.connected.wait(10)
            topic = booth.uplink.topics.booth(BOOTH, Channel.ACKS)
            dropped: list[bytes] = []
            # Under the connection, at paho: a callback for the topic takes the message
            # instead of the connection's own dispatch.
            paho = booth.uplink.connection.client
            deliver = booth.uplink.connection._on_message

            def lossy_link(client: object, userdata: object, message: object) -> None:
                if not dropped:
                    dropped.append(message.payload)  # type: ignore[attr-defined]
                    return  # the radio link ate the first ack
                deliver(client, userdata, message)  # type: ignore[arg-type]

            paho.message_callback_add(topic, lossy_link)
            booth.place_call(CallScript(words(speech_wav)))
            assert booth.uplink.wait_until_empty(30)
            counts = Counter(booth.uplink.counts)
        stored = stored_ids(ingest)
    finally:
        ingest.stop()
    assert len(dropped) == 1
    assert (counts["sent"], counts["resent"], counts["stored"]) == (1, 1, 1)
    assert len(stored) == 1  # stored once despite two deliveries


BOOTH_PROCESS = [sys.executable, "-m", "booth.cli", "--log-level", "WARNING", "simulate"]


def test_an_agent_killed_between_publish_and_ack_resends_after_restart(
    broker: Mosquitto, tmp_path: Path, speech_wav: Path
) -> None:
    env = {
        **os.environ,
        "BOOTH_ID": BOOTH,
        "BOOTH_NEIGHBORHOOD": "gellerup",  # as registered: the registry decides
        "BOOTH_MQTT_URL": broker.url(BOOTH),
        "BOOTH_SPOOL_DIR": str(tmp_path / "spool"),
        "BOOTH_CONFIG_FILE": str(tmp_path / "none.toml"),
        "BOOTH_ACK_TIMEOUT_S": "2",
    }
    with Observer(broker.add_observer(), BOOTH) as wire:
        # Ingest is not running: the clip goes out and no ack comes back.
        first = subprocess.Popen(
            [*BOOTH_PROCESS, "--audio", str(speech_wav), "--speed", "20", "--timeout", "120"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert first.stdout is not None
        call = printed_clips(first.stdout.readline())[0]  # printed once spooled
        # Killed once the broker has the clip: published, waiting for the ack.
        assert wait_until(lambda: [s.clip_id for s in wire.clips()] == [call["clip_id"]], 30)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        first.stdout.close()
        assert (tmp_path / "spool" / "outbox" / f"{call['clip_id']}.json").exists()

        ingest = start_ingest(broker, tmp_path)
        listening = time.monotonic()
        try:
            second = subprocess.run(
                [*BOOTH_PROCESS, "--timeout", "60"],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert second.returncode == 0, second.stdout + second.stderr
            # Every copy the broker carried while ingest listened has had its answer, so
            # no late one can still be stored twice.
            assert wait_until(lambda: len(wire.acks(listening)) >= len(wire.clips(listening)), 30)
            stored = stored_ids(ingest)
        finally:
            ingest.stop()
    assert stored == [call["clip_id"]]
    assert {s.clip_id for s in wire.acks()} == {call["clip_id"]}


def test_a_corrupt_spool_file_is_quarantined_and_the_rest_go_on(
    broker: Mosquitto, tmp_path: Path, speech_wav: Path
) -> None:
    with simulated_booth(broker, tmp_path) as booth:  # ingest not running yet
        for _ in range(2):
            booth.place_call(CallScript(words(speech_wav)))
        assert booth.agent.wait_idle_processing(30)
        made = {str(c.clip_id) for c in booth.agent.processor.recent}
    corrupt = "0b7f3c0e-0000-4000-8000-000000000000"
    outbox = tmp_path / "booth" / "spool" / "outbox"
    (outbox / f"{corrupt}.json").write_text(
        '{"schema": "dn.cl'
    )  # cut off mid-write by a bad SD card
    ingest = start_ingest(broker, tmp_path)
    try:
        with simulated_booth(broker, tmp_path) as booth:
            assert booth.uplink.wait_until_empty(30)
            quarantined = booth.spool.quarantined()
        stored = stored_ids(ingest)
    finally:
        ingest.stop()
    assert quarantined == [corrupt]
    assert set(stored) == made and len(stored) == 2


def test_ingest_killed_mid_stream_loses_nothing_and_stores_nothing_twice(
    broker: Mosquitto, tmp_path: Path, speech_wav: Path
) -> None:
    ingest = start_ingest_process(broker.url("ingest"), BOOTH, tmp_path / "ingest")
    try:
        with simulated_booth(broker, tmp_path) as booth:
            for _ in range(6):
                booth.place_call(CallScript(words(speech_wav)))
                if booth.uplink.counts["stored"] >= 1 and ingest.process is not None:
                    ingest.kill()  # SIGKILL: no shutdown, mid-stream
            assert booth.agent.wait_idle_processing(30)
            made = {str(c.clip_id) for c in booth.agent.processor.recent}
            ingest.start()
            assert booth.uplink.wait_until_empty(90)
        stored = [c["id"] for c in ingest.get("/api/clips", limit=100)["items"]]
    finally:
        ingest.stop()
    assert len(made) == 6
    assert sorted(stored) == sorted(made)  # lost = 0, stored twice = 0


def test_a_booth_refused_as_too_fast_keeps_its_clips_and_backs_off(
    broker: Mosquitto, tmp_path: Path, speech_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingest takes one clip at once and then one every 4 s from a booth; the booth makes
    three calls in a row. The clips refused `rate_limited` stay in the spool (none is
    quarantined) and arrive after the booth's pauses (shortened here from 20 s)."""
    from booth import uplink
    from ingest.service import IngestService
    from tests.integration.conftest import ingest_settings, register

    monkeypatch.setattr(uplink, "BACKOFF_FIRST_S", 0.5)
    monkeypatch.setattr(uplink, "BACKOFF_MAX_S", 4.0)
    settings = ingest_settings(
        broker,
        tmp_path / "ingest",
        booth_clips_per_minute=15,
        booth_clip_burst=1,
        duplicate_audio_s=0,  # the calls say the same words
    )
    ingest = IngestService(settings, transcribe=False)
    ingest.start()
    try:
        assert ingest.receiver is not None and ingest.receiver.connected.wait(10)
        register(ingest, BOOTH)
        with simulated_booth(broker, tmp_path) as booth:
            assert booth.uplink.connected.wait(10)
            for _ in range(3):
                booth.place_call(CallScript(words(speech_wav)))
            assert booth.agent.wait_idle_processing(30)
            made = [str(c.clip_id) for c in booth.agent.processor.recent]
            assert booth.uplink.wait_until_empty(60)
            counts = Counter(booth.uplink.counts)
            quarantined = booth.spool.quarantined()
        stored = stored_ids(ingest)
    finally:
        ingest.stop()
    assert counts["deferred"] >= 1 and counts["rejected"] == 0 and quarantined == [], counts
    assert sorted(stored) == sorted(made) and len(made) == 3
