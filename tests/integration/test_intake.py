"""Bad input through a real broker: each gets a reasoned `rejected` ack, the receiver keeps
running, and good clips keep flowing."""

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from paho.mqtt.properties import Properties
from sqlalchemy import func, select

from ingest.receive.limits import BoothBuckets
from ingest.service import IngestService
from ingest.settings import IngestSettings
from ingest.store.models import Clip, ClipStatus, Rejection
from shared.clip import FLAC, ClipMeta, sha256_hex
from shared.messages import AckStatus
from shared.mqtt import clip_properties
from tests.conftest import BOOTH
from tests.integration.conftest import ingest_settings, register
from tests.support.broker import Mosquitto
from tests.support.clips import encode_file, encode_samples, meta_for, properties_from
from tests.support.mqtt import RawBooth
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

Case = Callable[[bytes, int], tuple[bytes, Properties | None]]


def props(meta: ClipMeta) -> Properties:
    return clip_properties(meta)


def case_random_bytes(good: bytes, ms: int) -> tuple[bytes, Properties | None]:
    junk = os.urandom(5000)
    return junk, props(meta_for(junk, BOOTH, ms))


def case_truncated_ogg(good: bytes, ms: int) -> tuple[bytes, Properties | None]:
    cut = good[: len(good) // 2]
    return cut, props(meta_for(cut, BOOTH, ms))


def case_flac_label_on_ogg(good: bytes, ms: int) -> tuple[bytes, Properties | None]:
    return good, props(meta_for(good, BOOTH, ms, content_type=FLAC))


def case_wav_content_type(good: bytes, ms: int) -> tuple[bytes, Properties | None]:
    fields = meta_for(good, BOOTH, ms).to_dict()
    return good, properties_from({**fields, "content_type": "audio/wav"})


def case_oversize(good: bytes, ms: int) -> tuple[bytes, Properties | None]:
    big = good + os.urandom(2_100_000)
    return big, props(meta_for(big, BOOTH, ms))


def case_checksum_mismatch(good: bytes, ms: int) -> tuple[bytes, Properties | None]:
    return good, props(meta_for(good, BOOTH, ms, sha256=sha256_hex(b"other")))


def case_spoofed_booth(good: bytes, ms: int) -> tuple[bytes, Properties | None]:
    return good, props(meta_for(good, "booth-other", ms))


def case_no_properties(good: bytes, ms: int) -> tuple[bytes, Properties | None]:
    return good, None


def case_malformed_clip_id(good: bytes, ms: int) -> tuple[bytes, Properties | None]:
    fields = meta_for(good, BOOTH, ms).to_dict()
    return good, properties_from({**fields, "clip_id": "not-a-uuid"})


def case_zero_length(good: bytes, ms: int) -> tuple[bytes, Properties | None]:
    return b"", props(meta_for(b"", BOOTH, ms))


def case_unknown_schema(good: bytes, ms: int) -> tuple[bytes, Properties | None]:
    fields = meta_for(good, BOOTH, ms).to_dict()
    return good, properties_from({**fields, "schema": "dn.clip/9"})


def case_wrong_duration(good: bytes, ms: int) -> tuple[bytes, Properties | None]:
    return good, props(meta_for(good, BOOTH, ms * 3))


CASES: dict[str, tuple[Case, str]] = {
    "random bytes": (case_random_bytes, "undecodable_audio"),
    "truncated ogg": (case_truncated_ogg, "undecodable_audio"),
    "flac label on ogg": (case_flac_label_on_ogg, "unsupported_content_type"),
    "wav content type": (case_wav_content_type, "unsupported_content_type"),
    "oversize": (case_oversize, "oversize"),
    "checksum mismatch": (case_checksum_mismatch, "checksum_mismatch"),
    "spoofed booth id": (case_spoofed_booth, "booth_mismatch"),
    "no properties": (case_no_properties, "unsupported_schema"),
    "malformed clip id": (case_malformed_clip_id, "malformed_metadata"),
    "zero length": (case_zero_length, "empty_payload"),
    "unknown schema version": (case_unknown_schema, "unsupported_schema"),
    "duration disagrees": (case_wrong_duration, "undecodable_audio"),
}


def wait_status(service: IngestService, clip_id: str, timeout: float = 60) -> Clip:
    settled = (ClipStatus.TRANSCRIBED, ClipStatus.NO_SPEECH, ClipStatus.FAILED)
    found: list[Clip] = []

    def done() -> bool:
        with service.sessions() as session:
            clip = session.get(Clip, clip_id)
        if clip is not None and clip.status in settled:
            found.append(clip)
        return bool(found)

    if not wait_until(done, timeout, every=0.1):
        raise TimeoutError(clip_id)
    return found[0]


def test_every_bad_input_is_rejected_with_its_reason_and_good_clips_still_flow(
    broker: Mosquitto, ingest: IngestService, speech_wav: Path
) -> None:
    good, ms = encode_file(speech_wav)
    with RawBooth(broker.url(BOOTH), BOOTH) as booth:
        for name, (make, reason) in CASES.items():
            payload, properties = make(good, ms)
            booth.publish(payload, properties)
            ack = booth.next_ack()
            assert (ack.status, ack.reason) == (AckStatus.REJECTED, reason), name

        # A key given twice: rejected as malformed, the ack still addressed to the clip.
        twice = meta_for(good, BOOTH, ms)
        doubled = clip_properties(twice)
        doubled.UserProperty = [("theme", "other")]  # paho appends to the list already there
        booth.publish(good, doubled)
        ack = booth.next_ack()
        assert (ack.status, ack.reason) == (AckStatus.REJECTED, "malformed_metadata")
        assert (ack.clip_id, ack.detail) == (twice.clip_id, "theme given twice")

        valid = meta_for(good, BOOTH, ms)
        booth.publish(good, props(valid))
        ack = booth.next_ack()
        assert (ack.status, ack.clip_id) == (AckStatus.STORED, valid.clip_id)

        # The same clip again (a booth that missed the ack): acked again, stored once.
        booth.publish(good, props(valid))
        again = booth.next_ack()
        assert (again.status, again.clip_id) == (AckStatus.STORED, valid.clip_id)

    clip = wait_status(ingest, str(valid.clip_id))
    assert clip.status == ClipStatus.TRANSCRIBED and "benches" in (clip.text or "")
    with ingest.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Clip)) == 1
        reasons = sorted(session.scalars(select(Rejection.reason)))
    assert reasons == sorted([*(reason for _, reason in CASES.values()), "malformed_metadata"])


def test_a_booth_with_a_wrong_clock_loses_no_message(
    broker: Mosquitto, ingest: IngestService, speech_wav: Path
) -> None:
    """A Pi has no battery clock. A clip recorded before NTP set the clock (the booth says
    so), or dated in the future or years back, is stored at the time ingest received it;
    a clip from a booth whose clock was set keeps its own time."""
    good, ms = encode_file(speech_wav)
    now = datetime.now(UTC)
    sent = {
        "not set": meta_for(
            good, BOOTH, ms, recorded_at=now - timedelta(days=3), clock_synced=False
        ),
        "future": meta_for(good, BOOTH, ms, recorded_at=now + timedelta(days=2)),
        "1970": meta_for(good, BOOTH, ms, recorded_at=datetime(1970, 1, 1, tzinfo=UTC)),
        "set": meta_for(good, BOOTH, ms, recorded_at=now - timedelta(days=3), clock_synced=True),
    }
    with RawBooth(broker.url(BOOTH), BOOTH) as booth:
        for meta in sent.values():
            booth.publish(good, props(meta))
            assert booth.next_ack().status is AckStatus.STORED
    with ingest.sessions() as session:
        stored = {name: session.get(Clip, str(meta.clip_id)) for name, meta in sent.items()}
    for name, clip in stored.items():
        assert clip is not None, name
        recorded = clip.recorded_at.replace(tzinfo=clip.recorded_at.tzinfo or UTC)
        received = clip.received_at.replace(tzinfo=clip.received_at.tzinfo or UTC)
        if name == "set":
            assert abs(recorded - sent[name].recorded_at) < timedelta(milliseconds=1)  # as sent
        else:
            assert abs(recorded - received) < timedelta(seconds=5), name
            assert f"/{received:%Y/%m}/" in f"/{clip.audio_key}", name  # filed by that time


def test_unknown_booth_is_rejected(
    broker: Mosquitto, ingest: IngestService, speech_wav: Path
) -> None:
    broker.add_user("booth-stranger")
    good, ms = encode_file(speech_wav)
    with RawBooth(broker.url("booth-stranger"), "booth-stranger") as stranger:
        stranger.publish(good, props(meta_for(good, "booth-stranger", ms)))
        ack = stranger.next_ack()
    assert (ack.status, ack.reason) == (AckStatus.REJECTED, "unknown_booth")


def test_broker_stops_a_booth_publishing_as_another(
    broker: Mosquitto, ingest: IngestService, speech_wav: Path
) -> None:
    broker.add_user("booth-b")
    good, ms = encode_file(speech_wav)
    meta = meta_for(good, "booth-b", ms)
    with RawBooth(broker.url(BOOTH), BOOTH) as booth:
        info = booth.publish(good, props(meta), topic="dn/v1/booths/booth-b/clips")
        assert booth.puback_codes[info.mid] == 135  # MQTT 5 "Not authorized"
        # Nor may it read another booth's acks: the subscription is refused silently.
        booth.publish(good, props(replace(meta, booth_id=BOOTH)))
        assert booth.next_ack().status is AckStatus.STORED
    with ingest.sessions() as session:
        booths = session.scalars(select(Clip.booth_id)).all()
    assert booths == [BOOTH]


def test_two_receivers_share_the_clips_and_store_each_once(
    broker: Mosquitto, tmp_path: Path, speech_wav: Path, database_url: str | None
) -> None:
    """Scale-out: a second `ingest serve --no-worker` joins the shared subscription."""
    settings = ingest_settings(broker, tmp_path / "ingest", database_url=database_url)
    first = IngestService(settings, transcribe=False)
    second = IngestService(
        settings.model_copy(update={"mqtt_client_id": "ingest-2"}), transcribe=False
    )
    for service in (first, second):
        service.start()
        assert service.receiver is not None and service.receiver.connected.wait(10)
    register(first, BOOTH)
    good, ms = encode_file(speech_wav)
    try:
        with RawBooth(broker.url(BOOTH), BOOTH) as booth:
            for _ in range(40):
                booth.publish(good, props(meta_for(good, BOOTH, ms)))
            acks = [booth.next_ack() for _ in range(40)]
        with first.sessions() as session:
            rows = session.scalar(select(func.count()).select_from(Clip))
    finally:
        for service in (first, second):
            service.stop()
    assert all(ack.status is AckStatus.STORED for ack in acks)
    assert len({ack.clip_id for ack in acks}) == 40 and rows == 40
    shares = [s.receiver.received for s in (first, second) if s.receiver is not None]
    assert sum(shares) == 40 and min(shares) > 0, f"the broker did not share the load: {shares}"


@pytest.fixture
def limited(broker: Mosquitto, tmp_path: Path) -> Iterator[IngestService]:
    """Ingest with the per-booth limits at their defaults (the test suite turns them off
    everywhere else: tests/conftest.py)."""
    defaults = IngestSettings.model_fields
    settings = ingest_settings(
        broker,
        tmp_path / "limited",
        booth_clips_per_minute=defaults["booth_clips_per_minute"].default,
        booth_clip_burst=defaults["booth_clip_burst"].default,
        duplicate_audio_s=defaults["duplicate_audio_s"].default,
        open_themes=defaults["open_themes"].default,
        default_theme="parks",  # what tests.support.clips.meta_for sends
    )
    assert (settings.booth_clip_burst, settings.duplicate_audio_s) == (10, 86_400)
    service = IngestService(settings, transcribe=False)
    service.start()
    assert service.receiver is not None and service.receiver.connected.wait(10)
    register(service, BOOTH)
    yield service
    service.stop()


def noise_clip(seed: int) -> tuple[bytes, int]:
    """Half a second of distinct audio: each seed a different recording."""
    samples = np.random.default_rng(seed).integers(-3000, 3000, 8000, dtype=np.int16)
    return encode_samples(samples)


def stored_count(service: IngestService) -> int:
    with service.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Clip)) or 0)


def test_a_flooding_booth_is_refused_past_its_burst(
    broker: Mosquitto, limited: IngestService
) -> None:
    acks = []
    with RawBooth(broker.url(BOOTH), BOOTH) as booth:
        for seed in range(15):
            payload, ms = noise_clip(seed)
            booth.publish(payload, props(meta_for(payload, BOOTH, ms)))
            acks.append(booth.next_ack())
    outcomes = [(a.status, a.reason) for a in acks]
    assert outcomes[:10] == [(AckStatus.STORED, None)] * 10
    assert outcomes[10:] == [(AckStatus.REJECTED, "rate_limited")] * 5
    assert stored_count(limited) == 10
    with limited.sessions() as session:  # a flood leaves no rows behind either
        assert session.scalar(select(func.count()).select_from(Rejection)) == 0


def test_the_same_audio_under_new_ids_is_stored_once(
    broker: Mosquitto, limited: IngestService
) -> None:
    payload, ms = noise_clip(1)
    first = meta_for(payload, BOOTH, ms)
    with RawBooth(broker.url(BOOTH), BOOTH) as booth:
        booth.publish(payload, props(first))
        assert booth.next_ack().reason is None
        for _ in range(5):
            copy = meta_for(payload, BOOTH, ms)
            booth.publish(payload, props(copy))
            ack = booth.next_ack()
            assert (ack.status, ack.clip_id, ack.reason) == (
                AckStatus.STORED,  # the booth may forget it: ingest holds the audio
                copy.clip_id,
                "duplicate",
            )
            assert str(first.clip_id) in (ack.detail or "")
    assert stored_count(limited) == 1


def test_the_token_bucket_refills_at_its_rate() -> None:
    """A fake clock: the bucket's arithmetic, not the wall clock."""
    now = [0.0]
    buckets = BoothBuckets(per_minute=3, burst=2, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [True, True, False]
    assert buckets.take("b")  # each booth its own bucket
    assert buckets.wait_s("a") == pytest.approx(20.0)
    now[0] = 19.0
    assert not buckets.take("a")
    now[0] = 20.5
    assert buckets.take("a") and not buckets.take("a")
    now[0] = 1000.0  # a long quiet spell refills only up to the burst
    assert [buckets.take("a") for _ in range(3)] == [True, True, False]


def test_before_the_first_theme_only_the_default_theme_is_taken(
    broker: Mosquitto, limited: IngestService
) -> None:
    default = limited.settings.default_theme
    outcomes = {}
    with RawBooth(broker.url(BOOTH), BOOTH) as booth:
        for seed, theme in enumerate(("made-up", default)):
            payload, ms = noise_clip(100 + seed)
            booth.publish(payload, props(meta_for(payload, BOOTH, ms, theme=theme)))
            ack = booth.next_ack()
            outcomes[theme] = (ack.status, ack.reason)
    assert outcomes == {
        "made-up": (AckStatus.REJECTED, "unknown_theme"),
        default: (AckStatus.STORED, None),
    }
