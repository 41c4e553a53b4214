"""Wire protocol v1: topics, clip metadata through real MQTT 5 property encoding, messages."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from shared.clip import (
    FLAC,
    OGG_OPUS,
    ClipMeta,
    check_speech_map,
    format_speech_map,
    parse_speech_map,
    sha256_hex,
)
from shared.errors import ProtocolError, RejectReason
from shared.messages import Ack, AckStatus, BoothConfig, BoothState, BoothStatus
from shared.mqtt import clip_properties, fields_of
from shared.topics import Channel, Topics


def meta(**changes: object) -> ClipMeta:
    fields: dict[str, object] = {
        "clip_id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "booth_id": "booth-7",
        "neighborhood": "gellerup",
        "theme": "green-spaces",
        "recorded_at": datetime(2026, 3, 1, 12, 30, 5, 123000, tzinfo=UTC),
        "duration_ms": 6400,
        "sha256": sha256_hex(b"audio"),
        "content_type": OGG_OPUS,
        "config_version": 3,
    }
    fields.update(changes)
    return ClipMeta(**fields)  # type: ignore[arg-type]


def over_the_wire(props: Properties) -> Properties:
    """Pack and unpack as paho does on the wire, so the test sees what a receiver sees."""
    received = Properties(PacketTypes.PUBLISH)
    received.unpack(props.pack())
    return received


def received(props: Properties | None) -> ClipMeta:
    """What ingest makes of a PUBLISH's properties: plain fields at the edge, then meta."""
    fields, fault = fields_of(props)
    assert fault is None
    return ClipMeta.from_dict(fields)


def test_topics_build_and_parse() -> None:
    topics = Topics()
    topic = topics.booth("booth-7", Channel.CLIPS)
    assert topic == "dn/v1/booths/booth-7/clips"
    assert topics.parse(topic) == ("booth-7", Channel.CLIPS)
    assert topics.shared_clips() == "$share/ingest/dn/v1/booths/+/clips"
    assert Topics("city/x").parse("city/x/booths/b1/acks") == ("b1", Channel.ACKS)


@pytest.mark.parametrize(
    "topic",
    [
        "dn/v1/booths/booth-7",
        "dn/v1/booths/booth-7/clips/extra",
        "dn/v1/booths/Booth 7/clips",
        "dn/v1/booths/../clips",
        "dn/v1/booths/booth-7/nonsense",
        "other/v1/booths/booth-7/clips",
    ],
)
def test_bad_topics_raise(topic: str) -> None:
    with pytest.raises(ProtocolError):
        Topics().parse(topic)


@pytest.mark.parametrize("content_type", [OGG_OPUS, FLAC])
@pytest.mark.parametrize("clock_synced", [True, False, None])
def test_clip_meta_round_trips_through_mqtt5_properties(
    content_type: str, clock_synced: bool | None
) -> None:
    original = meta(content_type=content_type, clock_synced=clock_synced)
    decoded = received(over_the_wire(clip_properties(original)))
    assert decoded == original
    assert ("clock_synced" in original.to_dict()) == (clock_synced is not None)
    assert decoded.extension == ("ogg" if content_type == OGG_OPUS else "flac")


def props_with(**overrides: str | None) -> Properties:
    fields = meta().to_dict()
    content_type = fields.pop("content_type")
    for key, value in overrides.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    props = Properties(PacketTypes.PUBLISH)
    props.ContentType = overrides.get("content_type", content_type) or ""
    props.UserProperty = [(k, v) for k, v in fields.items() if k != "content_type"]
    return over_the_wire(props)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"schema": "dn.clip/2"}, RejectReason.UNSUPPORTED_SCHEMA),
        ({"schema": None}, RejectReason.UNSUPPORTED_SCHEMA),
        ({"clip_id": None}, RejectReason.MALFORMED_METADATA),
        ({"clip_id": "not-a-uuid"}, RejectReason.MALFORMED_METADATA),
        ({"duration_ms": "six"}, RejectReason.MALFORMED_METADATA),
        ({"duration_ms": "-1"}, RejectReason.MALFORMED_METADATA),
        ({"sha256": "abc"}, RejectReason.MALFORMED_METADATA),
        ({"recorded_at": "yesterday"}, RejectReason.MALFORMED_METADATA),
        ({"recorded_at": "2026-03-01T12:00:00"}, RejectReason.MALFORMED_METADATA),
        ({"theme": "../../etc"}, RejectReason.MALFORMED_METADATA),
        ({"neighborhood": "Gellerup Øst"}, RejectReason.MALFORMED_METADATA),
        ({"content_type": "audio/wav"}, RejectReason.UNSUPPORTED_CONTENT_TYPE),
        ({"clock_synced": "yes"}, RejectReason.MALFORMED_METADATA),
    ],
)
def test_bad_metadata_raises_with_reason(overrides: dict[str, str | None], reason: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        received(props_with(**overrides))
    assert caught.value.reason == reason


def test_missing_properties_raise() -> None:
    with pytest.raises(ProtocolError) as caught:
        received(None)
    assert caught.value.reason == RejectReason.UNSUPPORTED_SCHEMA


def test_a_key_given_twice_is_refused() -> None:
    props = clip_properties(meta())
    props.UserProperty = [("theme", "other")]  # paho appends to the list already there
    fields, fault = fields_of(over_the_wire(props))
    assert fault == "theme given twice"
    assert fields["theme"] == "green-spaces"  # the first value, as sent
    assert fields["clip_id"] == str(meta().clip_id)  # still there to address the rejection


def test_the_content_type_property_is_a_field_and_wins() -> None:
    """The content type travels in MQTT 5's own property, not a user property; a user
    property of that name does not override it."""
    props = clip_properties(meta(content_type=FLAC))
    props.UserProperty = [("content_type", OGG_OPUS)]
    fields, fault = fields_of(over_the_wire(props))
    assert (fields["content_type"], fault) == (FLAC, None)
    assert received(over_the_wire(props)).content_type == FLAC


def test_the_speech_map_travels_as_one_compact_user_property() -> None:
    original = meta(speech=((0, 1830), (2400, 5120), (5900, 6400)))
    props = clip_properties(original)
    assert ("speech", "0-1830,2400-5120,5900-6400") in props.UserProperty
    assert received(over_the_wire(props)) == original
    assert "speech" not in meta().to_dict()  # optional: a clip without one is as before
    assert received(over_the_wire(clip_properties(meta()))).speech is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "speech map"),
        ("0-1830,", "speech map"),
        ("0-1830;2400-5120", "speech map"),
        ("-5-100", "speech map"),
        ("0.5-100", "speech map"),
        ("0-1830,2400", "speech map"),
        ("100-100", "empty region"),
        ("500-100", "empty region"),
        ("2400-5120,0-1830", "overlaps or is unsorted"),
        ("0-3000,2400-5120", "overlaps or is unsorted"),
        ("0-6401", "ends after the clip"),
        ("0-1000," * 5001 + "0-1", "speech map"),  # bounded: a property is no place for a novel
    ],
)
def test_a_speech_map_that_does_not_fit_its_clip_is_refused(text: str, why: str) -> None:
    with pytest.raises(ProtocolError, match=why) as caught:
        parse_speech_map(text, duration_ms=6400)
    assert caught.value.reason == RejectReason.MALFORMED_METADATA


def test_a_whole_clip_region_and_touching_regions_are_fine() -> None:
    assert parse_speech_map("0-6400", 6400) == ((0, 6400),)
    assert parse_speech_map("0-100,100-200", 6400) == ((0, 100), (100, 200))
    assert format_speech_map(check_speech_map(((0, 5), (7, 9)), 9)) == "0-5,7-9"


def test_a_bad_speech_map_costs_the_map_not_the_clip(caplog: pytest.LogCaptureFixture) -> None:
    """The map is a hint: ingest finds the speech itself without it (Silero), so a booth's
    bad map must never get its message rejected and quarantined."""
    decoded = received(props_with(speech="0-9999"))  # past the 6400 ms
    assert decoded == meta() and decoded.speech is None
    assert "speech map ignored" in caplog.text


def test_ack_round_trip_and_garbage() -> None:
    ack = Ack(clip_id=uuid.uuid4(), status=AckStatus.REJECTED, reason="oversize", detail="big")
    assert Ack.decode(ack.encode()) == ack
    with pytest.raises(ProtocolError):
        Ack.decode(b"{not json")
    with pytest.raises(ProtocolError):
        Ack.decode(b'{"clip_id": null, "status": "maybe"}')


def test_status_last_will_is_minimal() -> None:
    assert BoothStatus(state=BoothState.OFFLINE).encode() == b'{"state":"offline"}'


def test_config_validates_themes() -> None:
    good = {
        "version": 4,
        "neighborhood": "gellerup",
        "default_theme": "parks",
        "themes": [
            {"slug": "parks", "title": "Parks", "digit": "1"},
            {"slug": "traffic", "title": "Traffic", "digit": "2"},
        ],
    }
    config = BoothConfig.decode(BoothConfig.model_validate(good).encode())
    assert config.theme_for_digit("2") == "traffic"
    assert config.theme_for_digit("9") is None
    for bad in (
        {**good, "default_theme": "missing"},
        {**good, "themes": []},
        {
            **good,
            "themes": [
                {"slug": "a", "title": "A", "digit": "1"},
                {"slug": "b", "title": "B", "digit": "1"},
            ],
            "default_theme": "a",
        },
        {**good, "version": -1},
    ):
        with pytest.raises(ProtocolError):
            BoothConfig.decode(json.dumps(bad))


@pytest.mark.parametrize("slug", ["parks\n", "parks\r\n", "Parks", "", "-x", "a" * 65])
def test_slugs_are_matched_whole(slug: str) -> None:
    from shared.topics import check_slug

    with pytest.raises(ProtocolError):
        check_slug(slug, "theme")
    assert check_slug("parks", "theme") == "parks"
