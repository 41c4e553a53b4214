"""The planner and public API on the real app (SQLite and PostgreSQL), with clips received
through the real intake and transcripts set as the workers would."""

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

from ingest.review.retention import purge_expired_audio
from ingest.roles import Role
from ingest.store.models import Booth, Clip, ClipStatus
from tests.conftest import BOOTH
from tests.integration.conftest import Api


def test_tokens_and_roles(api: Api) -> None:
    c = api.client
    assert c.get("/api/clips").status_code == 401
    assert c.get("/api/clips", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert c.get("/api/clips", headers=api.as_(Role.MODERATOR)).status_code == 200
    assert c.get("/api/export", headers=api.as_(Role.MODERATOR)).status_code == 403
    clip_id = api.add_clip("hello")
    moderate = {"action": "approve"}
    path = f"/api/clips/{clip_id}/moderation"
    assert c.post(path, json=moderate, headers=api.as_(Role.PLANNER)).status_code == 403
    assert c.post(path, json=moderate, headers=api.as_(Role.MODERATOR)).status_code == 200
    erasure = {"receipt": "12345678"}
    assert c.post("/api/erasures", json=erasure, headers=api.as_(Role.PLANNER)).status_code == 403
    with api.service.sessions.begin() as session:
        from ingest.store.tokens import revoke_token

        assert revoke_token(session, "planner-user") == 1
    assert c.get("/api/clips", headers=api.as_(Role.PLANNER)).status_code == 401


def test_technicians_see_the_fleet_and_when_messages_arrive_never_what_was_said(
    api: Api,
) -> None:
    c, tech = api.client, api.as_(Role.TECHNICIAN)
    assert api.get("/api/me", Role.TECHNICIAN) == {"name": "technician-user", "role": "technician"}
    (booth,) = api.get("/api/booths", Role.TECHNICIAN)
    assert booth["id"] == BOOTH and booth["last_clip_at"] is None
    clip_id = api.add_clip("mit nummer er 12 34 56 78")
    (booth,) = api.get("/api/booths", Role.TECHNICIAN)
    with api.service.sessions.begin() as session:
        stored = session.get(Clip, clip_id)
        assert stored is not None
        received = stored.received_at.replace(tzinfo=stored.received_at.tzinfo or UTC)
    assert datetime.fromisoformat(booth["last_clip_at"]) == received
    for path in (
        "/api/clips",
        f"/api/clips/{clip_id}",
        f"/api/clips/{clip_id}/audio",
        f"/api/clips/{clip_id}/review",
        "/api/stats",
        "/api/export",
        "/api/themes",
        "/api/audit",
    ):
        assert c.get(path, headers=tech).status_code == 403, path
    assert (
        c.put(f"/api/booths/{BOOTH}", json={"neighborhood": "viby"}, headers=tech).status_code
        == 403
    )


def test_filters_search_and_a_stable_cursor(api: Api) -> None:
    start = datetime(2026, 5, 1, 12, tzinfo=UTC)
    ids = [
        api.add_clip(
            f"message {n} about {'trees' if n % 2 else 'buses'}",
            recorded_at=start + timedelta(hours=n),
            theme="parks" if n < 5 else "traffic",
        )
        for n in range(7)
    ]
    seen: list[str] = []
    cursor = None
    while True:
        page = api.get(
            "/api/clips", limit=3, order="oldest", **({"cursor": cursor} if cursor else {})
        )
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids  # every clip once, oldest first
    newest = api.get("/api/clips", limit=2)
    assert [i["id"] for i in newest["items"]] == ids[::-1][:2]

    trees = api.get("/api/clips", q="trees")["items"]
    assert sorted(i["id"] for i in trees) == sorted(ids[1::2])
    assert api.get("/api/clips", q='trees" OR "buses')["items"] == []  # words, not syntax
    parks_trees = api.get("/api/clips", q="trees", theme="parks")["items"]
    assert sorted(i["id"] for i in parks_trees) == sorted([ids[1], ids[3]])
    window = api.get(
        "/api/clips",
        recorded_from=(start + timedelta(hours=2)).isoformat(),
        recorded_to=(start + timedelta(hours=4)).isoformat(),
    )["items"]
    assert sorted(i["id"] for i in window) == sorted(ids[2:4])
    for forged, status in (("garbage" * 4, 400), ("garbage", 422)):  # not signed; too short
        response = api.client.get(
            "/api/clips", params={"cursor": forged}, headers=api.as_(Role.PLANNER)
        )
        assert response.status_code == status, forged


def test_planners_see_redacted_text_admins_raw(api: Api) -> None:
    clip_id = api.add_clip("Call me on 23456789 about the park")
    assert api.get(f"/api/clips/{clip_id}")["text"] == "Call me on [telefon] about the park"
    assert (
        api.get(f"/api/clips/{clip_id}", Role.ADMIN)["text"] == "Call me on 23456789 about the park"
    )


def test_audio_is_streamed_with_ranges(api: Api) -> None:
    clip_id = api.add_clip("x")
    whole = api.client.get(f"/api/clips/{clip_id}/audio", headers=api.as_(Role.PLANNER))
    assert whole.status_code == 200 and whole.content == api.payload
    part = api.client.get(
        f"/api/clips/{clip_id}/audio", headers={**api.as_(Role.PLANNER), "Range": "bytes=100-199"}
    )
    assert part.status_code == 206 and part.content == api.payload[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(api.payload)}"


def test_a_correction_keeps_the_original_and_the_history(api: Api) -> None:
    clip_id = api.add_clip("we need more benches")
    with api.service.sessions.begin() as session:
        from ingest.store.models import TranscriptVersion

        session.add(
            TranscriptVersion(
                clip_id=clip_id,
                source="model",
                model="tiny.en",
                text="we need more benches",
                created_at=datetime.now(UTC),
            )
        )
    response = api.client.put(
        f"/api/clips/{clip_id}/transcript",
        json={"text": "We need more benches by the lake."},
        headers=api.as_(Role.MODERATOR),
    )
    assert response.status_code == 200 and response.json()["text"].endswith("lake.")
    history = api.get(f"/api/clips/{clip_id}/history")
    assert [(v["source"], v["text"]) for v in history] == [
        ("model", "we need more benches"),
        ("correction", "We need more benches by the lake."),
    ]
    assert history[1]["author"] == "moderator-user"
    assert api.get("/api/clips", q="lake")["items"][0]["id"] == clip_id


def test_moderation_is_audited(api: Api) -> None:
    clip_id = api.add_clip("x")
    for action in ("flag", "approve"):
        api.client.post(
            f"/api/clips/{clip_id}/moderation",
            json={"action": action, "reason": "ok"},
            headers=api.as_(Role.MODERATOR),
        )
    assert api.get(f"/api/clips/{clip_id}")["moderation"] == "approved"
    trail = api.get("/api/audit", Role.ADMIN, clip_id=clip_id)
    assert [(e["action"], e["actor"], e["detail"]["to"]) for e in trail] == [
        ("approve", "moderator-user (moderator)", "approved"),
        ("flag", "moderator-user (moderator)", "flagged"),
    ]


def test_stats_count_by_neighborhood_theme_and_week(api: Api) -> None:
    monday = datetime(2026, 6, 1, 9, tzinfo=UTC)  # a Monday
    for days, theme in ((0, "parks"), (2, "parks"), (8, "parks"), (1, "traffic")):
        api.add_clip("x", recorded_at=monday + timedelta(days=days), theme=theme)
    api.add_clip("", status=ClipStatus.NO_SPEECH, recorded_at=monday, theme="parks")
    stats = api.get("/api/stats", period="week")
    groups = {(g["theme"], g["period"]): g["clips"] for g in stats["groups"]}
    assert groups == {
        ("parks", "2026-06-01"): 3,
        ("parks", "2026-06-08"): 1,
        ("traffic", "2026-06-01"): 1,
    }
    assert stats["total_clips"] == 5 and stats["no_speech_share"] == 0.2
    assert stats["languages"] == {"en": 5}


def test_the_words_of_a_period_are_those_published_in_it(api: Api) -> None:
    """The council report's "most used words": the period's published messages only, forms
    of a word counted together, stop words left out, nothing the public cannot read."""
    june, july = datetime(2026, 6, 3, 9, tzinfo=UTC), datetime(2026, 7, 3, 9, tzinfo=UTC)
    said = [
        ("Flere træer ved skolen, træer giver skygge", june),
        ("Et træ mere i parken og færre biler", june),
        ("Cykelstien er for smal", july),
    ]
    for text, at in said:
        clip_id = api.add_clip(text, language="da", recorded_at=at, theme="parks")
        api.client.post(
            f"/api/clips/{clip_id}/moderation",
            json={"action": "approve"},
            headers=api.as_(Role.MODERATOR),
        )
    api.add_clip("træer træer træer ring til Anna", language="da", recorded_at=june)  # pending
    period = {"recorded_from": "2026-06-01T00:00:00Z", "recorded_to": "2026-07-01T00:00:00Z"}
    words = api.get("/api/stats/words", **period, theme="parks")
    assert words[0] == {"word": "træer", "count": 3}  # træer, træer, træ
    found = {w["word"] for w in words}
    assert {"skolen", "parken"} <= found and "cykelstien" not in found
    assert not found & {"ved", "og", "et", "mere", "anna"}  # stop words; the pending one
    assert api.client.get("/api/stats/words").status_code == 401


def test_stats_cut_days_and_weeks_at_the_citys_midnight(api: Api) -> None:
    # 23:30 UTC on Sunday 7 June is 01:30 on Monday 8 June in Aarhus (summer time, UTC+2).
    late = datetime(2026, 6, 7, 23, 30, tzinfo=UTC)
    api.add_clip("Flere bænke i parken", language="da", recorded_at=late, theme="parks")
    early = datetime(2026, 6, 7, 21, 30, tzinfo=UTC)
    api.add_clip("Cykelstien er for smal", language="da", recorded_at=early, theme="parks")
    days = {g["period"]: g["clips"] for g in api.get("/api/stats", period="day")["groups"]}
    weeks = {g["period"]: g["clips"] for g in api.get("/api/stats", period="week")["groups"]}
    assert days == {"2026-06-07": 1, "2026-06-08": 1}
    assert weeks == {"2026-06-01": 1, "2026-06-08": 1}
    # Filters and search narrow what is counted, the days stay the city's.
    found = api.get("/api/stats", period="day", q="bænk", language="da")
    assert [(g["period"], g["clips"]) for g in found["groups"]] == [("2026-06-08", 1)]
    assert found["total_clips"] == 1 and found["languages"] == {"da": 1}


def test_exports_leave_out_unapproved_and_redact_by_default(api: Api) -> None:
    approved = api.add_clip("write to anna@example.dk")
    api.add_clip("pending one")
    hidden = api.add_clip("hidden one")
    for clip_id, action in ((approved, "approve"), (hidden, "hide")):
        api.client.post(
            f"/api/clips/{clip_id}/moderation",
            json={"action": action},
            headers=api.as_(Role.MODERATOR),
        )
    rows = list(
        csv.DictReader(
            io.StringIO(api.client.get("/api/export", headers=api.as_(Role.PLANNER)).text)
        )
    )
    assert [(r["id"], r["text"]) for r in rows] == [(approved, "write to [e-mail]")]
    lines = api.client.get(
        "/api/export",
        params={"format": "ndjson", "include": "all", "raw": "true"},
        headers=api.as_(Role.ADMIN),
    ).text.splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["text"] == "write to anna@example.dk"
    as_json = api.client.get(
        "/api/export", params={"format": "json"}, headers=api.as_(Role.PLANNER)
    )
    assert [r["id"] for r in as_json.json()] == [approved]
    refused = api.client.get(
        "/api/export", params={"include": "all"}, headers=api.as_(Role.PLANNER)
    )
    assert refused.status_code == 403


def test_exports_name_neighborhoods_and_themes_as_the_city_does(api: Api) -> None:
    """A planner's spreadsheet says "Gellerup Æblehaven" and "Parker og grønne områder", with the
    slugs beside them for joins."""
    planner = api.as_(Role.PLANNER)
    place = {"name": "Gellerup Æblehaven", "description": None, "lat": None, "lon": None}
    assert api.client.put("/api/neighborhoods/gellerup", json=place, headers=planner).is_success
    theme = {"slug": "parks", "title": "Parker og grønne områder", "question": "Hvad mangler?"}
    assert api.client.post("/api/themes", json=theme, headers=planner).status_code == 201
    clip_id = api.add_clip("mere skygge ved søen")
    api.client.post(
        f"/api/clips/{clip_id}/moderation",
        json={"action": "approve"},
        headers=api.as_(Role.MODERATOR),
    )
    (row,) = csv.DictReader(io.StringIO(api.client.get("/api/export", headers=planner).text))
    assert (row["neighborhood"], row["neighborhood_name"]) == ("gellerup", "Gellerup Æblehaven")
    assert (row["theme"], row["theme_title"]) == ("parks", "Parker og grønne områder")
    (item,) = api.client.get("/api/export", params={"format": "json"}, headers=planner).json()
    assert item["neighborhood_name"] == "Gellerup Æblehaven"


def test_public_endpoints_show_only_approved_redacted_text(api: Api) -> None:
    yesterday = datetime.now(UTC) - timedelta(days=1)  # received counts from the next day
    approved = api.add_clip("My number is 87654321 and I love the park", recorded_at=yesterday)
    api.add_clip("not yet moderated, my CPR is 010203-1234", recorded_at=yesterday)
    api.client.post(
        f"/api/clips/{approved}/moderation",
        json={"action": "approve"},
        headers=api.as_(Role.MODERATOR),
    )
    page = api.get("/public/clips", None)
    assert [(i["id"], i["text"]) for i in page["items"]] == [
        (approved, "My number is [telefon] and I love the park")
    ]
    assert set(page["items"][0]) == {
        "id", "neighborhood", "neighborhood_name", "theme", "theme_name", "recorded_on",
        "language", "text",
    }  # fmt: skip  # no booth, no time of day
    assert len(page["items"][0]["recorded_on"]) == 10  # the day, never the time
    stats = api.get("/public/stats", None)
    assert stats["counts"] == [
        {
            "neighborhood": "gellerup",
            "neighborhood_name": "gellerup",  # not named yet: its slug
            "theme": "parks",
            "theme_name": "parks",
            "received": 2,
            "published": 1,
        }
    ]
    assert api.client.get(f"/api/clips/{approved}/audio").status_code == 401


def test_erasure_by_receipt(api: Api) -> None:
    mine = api.add_clip("please forget this", receipt="48213377")
    other = api.add_clip("keep this", receipt="11112222")
    path = api.service.store.path(api.service.sessions().get(Clip, mine).audio_key)  # type: ignore[union-attr]
    assert path.exists()
    response = api.client.post(
        "/api/erasures", json={"receipt": "48213377"}, headers=api.as_(Role.ADMIN)
    )
    assert response.status_code == 200 and response.json() == {"erased": [mine]}
    assert not path.exists()
    assert api.client.get(f"/api/clips/{mine}", headers=api.as_(Role.ADMIN)).status_code == 404
    assert api.get(f"/api/clips/{other}")["text"] == "keep this"
    assert [e["action"] for e in api.get("/api/audit", Role.ADMIN, clip_id=mine)] == ["erase"]
    again = api.client.post(
        "/api/erasures", json={"receipt": "48213377"}, headers=api.as_(Role.ADMIN)
    )
    assert again.status_code == 404


def test_audio_retention_keeps_the_text(api: Api) -> None:
    old = api.add_clip("old words")
    with api.service.sessions.begin() as session:
        clip = session.get(Clip, old)
        assert clip is not None
        clip.received_at = datetime.now(UTC) - timedelta(days=40)
    new = api.add_clip("new words")
    assert purge_expired_audio(api.service.sessions, api.service.store, days=30) == 1
    assert (
        api.client.get(f"/api/clips/{old}/audio", headers=api.as_(Role.PLANNER)).status_code == 404
    )
    assert api.get(f"/api/clips/{old}")["text"] == "old words"
    assert api.get(f"/api/clips/{old}")["audio_available"] is False
    assert (
        api.client.get(f"/api/clips/{new}/audio", headers=api.as_(Role.PLANNER)).status_code == 200
    )


def test_themes_are_managed_by_planners(api: Api) -> None:
    theme = {
        "slug": "harbour",
        "title": "The harbour",
        "question": "What should the harbour become?",
        "digit": "3",
        "neighborhoods": ["gellerup"],
        "starts_on": "2026-01-01",
    }
    created = api.client.post("/api/themes", json=theme, headers=api.as_(Role.PLANNER))
    assert created.status_code == 201 and created.json()["live"] is True
    assert (
        api.client.post("/api/themes", json=theme, headers=api.as_(Role.PLANNER)).status_code == 409
    )
    bad = {**theme, "slug": "x", "starts_on": "2026-02-01", "ends_on": "2026-01-01"}
    assert (
        api.client.post("/api/themes", json=bad, headers=api.as_(Role.PLANNER)).status_code == 422
    )
    retired = api.client.delete("/api/themes/harbour", headers=api.as_(Role.PLANNER))
    assert retired.json()["live"] is False
    assert api.get("/public/themes", None) == []
    unused = uuid.uuid4()
    assert (
        api.client.delete(f"/api/themes/{unused}", headers=api.as_(Role.PLANNER)).status_code == 404
    )


def test_the_service_own_logins_cannot_be_registered_as_booths(api: Api) -> None:
    """The CLI refuses these ids; through the API such a booth could never be removed again
    (its removal would touch the service's own broker login, so it is refused)."""
    for booth_id in ("ingest", "dn-admin", "ingest-receive-2"):
        response = api.client.post(
            "/api/booths",
            json={"id": booth_id, "neighborhood": "vest"},
            headers=api.as_(Role.ADMIN),
        )
        assert response.status_code == 422, (booth_id, response.text)
        assert "reserved" in response.text
    assert {b["id"] for b in api.get("/api/booths", Role.ADMIN)} == {BOOTH}
    spec = api.client.get("/openapi.json").json()
    refused = spec["components"]["schemas"]["BoothNew"]["properties"]["id"]["not"]["anyOf"]
    assert refused == [{"enum": ["ingest", "dn-admin"]}, {"pattern": "^ingest-"}]


def test_removing_a_booth_named_like_a_service_login_leaves_that_login_alone(api: Api) -> None:
    """Not a broker failure (502) but no such booth; a row registered under such a name
    before it was refused goes, and the service's own login stays."""
    admin = api.as_(Role.ADMIN)
    assert api.client.delete("/api/booths/ingest", headers=admin).status_code == 404
    with api.service.sessions.begin() as session:
        session.add(
            Booth(
                id="dn-admin", neighborhood="vest", config_version=0, created_at=datetime.now(UTC)
            )
        )
    assert api.client.delete("/api/booths/dn-admin", headers=admin).status_code == 204
    assert {b["id"] for b in api.get("/api/booths", Role.ADMIN)} == {BOOTH}
