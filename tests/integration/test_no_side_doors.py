"""What the public and planners can learn only through the front door: no time of day
in a public cursor or feed, nothing a moderator hid found or read by a planner."""

import base64
import json
import os
import re
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select

from ingest import cli
from ingest.city_time import today
from ingest.receive.intake import InboundClip
from ingest.review.retention import purge_raw_text
from ingest.roles import Role
from ingest.service import IngestService
from ingest.settings import IngestSettings
from ingest.store.models import ApiToken, Clip, Segment, TranscriptVersion
from ingest.store.queries import CURSOR_PATTERN
from shared.topics import Channel, Topics
from tests.conftest import BOOTH
from tests.integration.conftest import Api, register
from tests.integration.test_search import approve
from tests.support.clips import encode_file, meta_for

TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}")


def _decoded(cursor: str) -> bytes:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))


def test_public_cursors_and_feeds_carry_no_time_of_day(api: Api) -> None:
    start = datetime(2026, 5, 1, 13, 47, 12, 345678, tzinfo=UTC)
    ids = [
        api.add_clip(
            f"besked nummer {n} om parken",
            language="da",
            recorded_at=start + timedelta(minutes=7 * n),
        )
        for n in range(4)
    ]
    for clip_id in ids:
        approve(api, clip_id)

    cursors, seen, cursor = [], [], None
    while True:
        page = api.get("/public/clips", None, limit=1, **({"cursor": cursor} if cursor else {}))
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        cursors.append(cursor)
    assert seen == ids[::-1]
    for n, cursor in enumerate(cursors):
        decoded = _decoded(cursor)
        # The signature, then the order and the id of the page's last clip: nothing else.
        assert decoded[16:] == b"n" + seen[n].encode()
        for moment in (start + timedelta(minutes=7 * k) for k in range(4)):
            for form in (moment.isoformat(), str(int(moment.timestamp())), moment.strftime("%H%M")):
                assert form.encode() not in decoded

    # Hand-made, altered, or old-style cursors are refused alike.
    tampered = (
        base64.urlsafe_b64encode(_decoded(cursors[0])[:16] + b"n" + ids[0].encode())
        .decode()
        .rstrip("=")
    )
    old_style = base64.urlsafe_b64encode(
        json.dumps([start.isoformat(), ids[0], "newest"]).encode()
    ).decode()
    for bad in (tampered, old_style.rstrip("="), cursors[0][:-2] + "AA", "A" * 40):
        response = api.client.get("/public/clips", params={"limit": 1, "cursor": bad})
        assert response.status_code == 400, (bad, response.text)
    other_order = api.client.get("/public/clips", params={"order": "oldest", "cursor": cursors[0]})
    assert other_order.status_code == 400

    key_file = api.service.settings.data_dir / "cursor.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    feeds = [
        api.client.get("/public/feeds/theme/parks.atom").text,
        api.client.get("/public/feeds/neighborhood/gellerup.atom").text,
        api.client.get("/public/open-data.json").text,
        api.client.get("/public/open-data.csv").text,
    ]
    for feed in feeds:
        times = TIME_OF_DAY.findall(feed)
        assert set(times) <= {"00:00"}, times
    assert f"<updated>{today().isoformat()}T00:00:00Z</updated>" in feeds[0]  # approved today


SAID = "vi mødes hos kasper ved legepladsen hver tirsdag, spørg efter Anna Berg"
EARLIER = "vi mødes hos Kasper, ved legepladsen hver tirsdag"  # an earlier model run


def test_a_name_hidden_by_hand_is_hidden_from_planners_everywhere(api: Api) -> None:
    """Redaction misses "kasper"; the moderator hides it by hand and un-hides "Anna Berg"
    (found automatically). Planners then read and find the clip by that one rule through
    every route: text, segments, history, search, export; the public likewise."""
    clip_id = api.add_clip(SAID, language="da")
    with api.service.sessions.begin() as session:
        clip = session.get(Clip, clip_id)
        assert clip is not None
        clip.segments = [
            Segment(idx=0, start_s=0, end_s=2, text="vi mødes hos kasper ved legepladsen"),
            Segment(idx=1, start_s=2, end_s=4, text="hver tirsdag, spørg efter Anna Berg"),
        ]
        for n, text in enumerate((EARLIER, SAID)):
            session.add(
                TranscriptVersion(
                    clip_id=clip_id,
                    source="model",
                    text=text,
                    language="da",
                    created_at=datetime(2026, 5, 1, n, tzinfo=UTC),
                )
            )
    start = SAID.index("kasper")
    moderator = api.as_(Role.MODERATOR)
    response = api.client.put(
        f"/api/clips/{clip_id}/review",
        json={"spans": [{"start": start, "end": start + 6, "kind": "name"}]},
        headers=moderator,
    )
    assert response.status_code == 200, response.text
    assert response.json()["published"] == SAID.replace("kasper", "[navn]")
    approve(api, clip_id)

    planner_reads = [
        api.client.get("/api/clips", headers=api.as_(Role.PLANNER)).text,
        api.client.get(f"/api/clips/{clip_id}", headers=api.as_(Role.PLANNER)).text,
        api.client.get(f"/api/clips/{clip_id}/history", headers=api.as_(Role.PLANNER)).text,
        *(
            api.client.get("/api/export", params={"format": f}, headers=api.as_(Role.PLANNER)).text
            for f in ("csv", "json", "ndjson")
        ),
        api.client.get("/public/clips").text,
        api.client.get("/public/open-data.json").text,
        api.client.get("/public/feeds/theme/parks.atom").text,
    ]
    for body in planner_reads:
        assert "[navn]" in body, body
        assert "kasper" not in body.lower(), body
    detail = api.get(f"/api/clips/{clip_id}")
    assert [s["text"] for s in detail["segments"]] == [
        "vi mødes hos [navn] ved legepladsen",
        "hver tirsdag, spørg efter Anna Berg",  # un-hidden by the moderator
    ]
    history = [v["text"] for v in api.get(f"/api/clips/{clip_id}/history")]
    assert history == ["vi mødes hos [navn], ved legepladsen hver tirsdag", detail["text"]]

    for q in ("kasper", "Kaspers"):
        assert api.get("/api/clips", q=q)["items"] == []
        assert api.get("/public/clips", None, q=q)["items"] == []
    export = api.client.get(
        "/api/export", params={"format": "ndjson", "q": "kasper"}, headers=api.as_(Role.PLANNER)
    )
    assert export.text.strip() == ""
    # What the moderator un-hid is found; moderators and admins search the raw text.
    assert [i["id"] for i in api.get("/api/clips", q="Berg")["items"]] == [clip_id]
    for role in (Role.MODERATOR, Role.ADMIN):
        assert [i["id"] for i in api.get("/api/clips", role, q="kasper")["items"]] == [clip_id]

    # The raw-text purge applies the same rule to the text, the segments and the history.
    with api.service.sessions.begin() as session:
        clip = session.get(Clip, clip_id)
        assert clip is not None
        clip.received_at = datetime.now(UTC) - timedelta(days=400)
    assert purge_raw_text(api.service.sessions, 180) == 1
    admin_reads = [
        api.client.get(f"/api/clips/{clip_id}", headers=api.as_(Role.ADMIN)).text,
        api.client.get(f"/api/clips/{clip_id}/history", headers=api.as_(Role.ADMIN)).text,
    ]
    for body in admin_reads:
        assert "kasper" not in body.lower() and "[navn]" in body, body
    assert api.get("/api/clips", Role.ADMIN, q="kasper")["items"] == []


def test_the_service_keeps_its_files_to_itself_under_a_lax_umask(
    tmp_path: Path, speech_wav: Path
) -> None:
    """Started with umask 022 (files 0644, folders 0755 by default), the service still makes
    its database, audio, keys and their folders for its own user alone."""
    previous = os.umask(0o022)
    try:
        settings = IngestSettings(data_dir=tmp_path / "ingest")
        service = IngestService(settings, receive=False, transcribe=False)
        register(service, BOOTH)
        payload, ms = encode_file(speech_wav)
        meta = meta_for(payload, BOOTH, ms)
        inbound = InboundClip(Topics().booth(BOOTH, Channel.CLIPS), payload, meta.to_dict())
        assert service.intake.accept(inbound).status == "stored"
        service.engine.dispose()
    finally:
        os.umask(previous)
    found = {
        path.relative_to(tmp_path): stat.S_IMODE(path.stat().st_mode)
        for path in (tmp_path / "ingest").rglob("*")
    }
    assert any(str(p).endswith(".ogg") for p in found) and any(
        p.name == "ingest.sqlite3" for p in found
    )
    assert {p: m for p, m in found.items() if (tmp_path / p).is_dir() and m != 0o700} == {}
    assert {p: m for p, m in found.items() if (tmp_path / p).is_file() and m != 0o600} == {}
    assert stat.S_IMODE((tmp_path / "ingest").stat().st_mode) == 0o700


def test_a_token_is_valid_for_at_least_a_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path / "ingest"))
    create = ["token", "create", "--role", "planner", "--name", "p"]
    for days in ("0", "-3"):
        with pytest.raises(SystemExit) as refused:
            cli.main([*create, "--days", days])
        assert refused.value.code == 2 and "at least 1 day" in capsys.readouterr().err
    assert cli.main([*create, "--days", "1"]) == 0
    with IngestService(IngestSettings(), receive=False, transcribe=False).sessions() as session:
        (token,) = session.scalars(select(ApiToken))
        left = token.expires_at - datetime.now(UTC)
    assert timedelta(hours=23) < left <= timedelta(days=1)


def test_raw_transcripts_are_reduced_to_their_redacted_text_after_180_days(
    tmp_path: Path, speech_wav: Path
) -> None:
    service = IngestService(
        IngestSettings(data_dir=tmp_path / "ingest"), receive=False, transcribe=False
    )
    register(service, BOOTH)
    payload, ms = encode_file(speech_wav)
    ages = {"old": 181, "young": 179}
    ids = {}
    for name, days in ages.items():
        meta = meta_for(payload, BOOTH, ms)
        inbound = InboundClip(Topics().booth(BOOTH, Channel.CLIPS), payload, meta.to_dict())
        assert service.intake.accept(inbound).status == "stored"
        ids[name] = str(meta.clip_id)
        with service.sessions.begin() as session:
            clip = session.get(Clip, ids[name])
            assert clip is not None
            clip.text, clip.language = "Jeg hedder Anna Berg, ring om bænkene", "da"
            clip.received_at = datetime.now(UTC) - timedelta(days=days)
    # What the service's periodic chores run, with the default period.
    days = service.settings.raw_text_retention_days
    assert days is not None and purge_raw_text(service.sessions, days) == 1
    with service.sessions() as session:
        texts = {name: (session.get(Clip, clip_id) or Clip()).text for name, clip_id in ids.items()}
    assert texts == {
        "old": "Jeg hedder [navn], ring om bænkene",
        "young": "Jeg hedder Anna Berg, ring om bænkene",
    }


def test_span_offsets_are_integers_not_booleans_or_strings(api: Api) -> None:
    clip_id = api.add_clip("hej med dig")
    for start in (False, "0", 0.5):
        response = api.client.put(
            f"/api/clips/{clip_id}/review",
            json={"spans": [{"start": start, "end": 3, "kind": "name"}]},
            headers=api.as_(Role.MODERATOR),
        )
        assert response.status_code == 422, start
    for start in (0, 0.0):  # JSON Schema counts 0.0 an integer
        response = api.client.put(
            f"/api/clips/{clip_id}/review",
            json={"spans": [{"start": start, "end": 3, "kind": "name"}]},
            headers=api.as_(Role.MODERATOR),
        )
        assert response.status_code == 200 and response.json()["spans"][0]["start"] == 0
    spec = api.client.get("/openapi.json").json()
    assert spec["components"]["schemas"]["SpanIn"]["properties"]["start"]["type"] == "integer"
    cursor = next(
        p for p in spec["paths"]["/public/clips"]["get"]["parameters"] if p["name"] == "cursor"
    )
    assert cursor["schema"]["anyOf"][0]["pattern"] == CURSOR_PATTERN
    for page in ("PublicPage", "ClipPage"):
        given = spec["components"]["schemas"][page]["properties"]["next_cursor"]
        assert given["anyOf"][0]["pattern"] == CURSOR_PATTERN, page


def test_a_stale_write_is_answered_as_the_schema_says(api: Api) -> None:
    """A 409 carries the clip as it is now under `detail` (or, for an approval of a clip
    with no text, a sentence there); the schema says the same."""
    spec = api.client.get("/openapi.json").json()
    clip_id = api.add_clip("hej med dig")
    writes = {
        ("put", "/api/clips/{clip_id}/transcript"): {"text": "hej", "version": "stale"},
        ("put", "/api/clips/{clip_id}/review"): {"spans": [], "version": "stale"},
        ("post", "/api/clips/{clip_id}/moderation"): {"action": "hide", "version": "stale"},
    }
    for (method, path), body in writes.items():
        response = api.client.request(
            method, path.format(clip_id=clip_id), json=body, headers=api.as_(Role.MODERATOR)
        )
        assert response.status_code == 409
        documented = spec["paths"][path][method]["responses"]["409"]["content"]
        schema = {**documented["application/json"]["schema"], "components": spec["components"]}
        jsonschema.validate(response.json(), schema, cls=jsonschema.Draft202012Validator)
        assert response.json()["detail"]["version"] != "stale"
