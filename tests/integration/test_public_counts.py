"""The public pages read counts kept as clips change (ingest.publish.aggregates), on SQLite and
PostgreSQL: after every step of a random moderation session they equal the counts made the
slow way, from every clip."""

import random
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from ingest import city_time
from ingest.city_time import city_day
from ingest.cli import main
from ingest.language.words import top_words
from ingest.publish.aggregates import monday, rebuild
from ingest.review.retention import erase
from ingest.roles import Role
from ingest.store.models import Clip
from ingest.store.queries import readable_by_public
from tests.integration.conftest import Api

SAID = [
    "Jeg vil gerne have en cykelsti langs havnen, så børnene kan cykle sikkert til skolen",
    "Cyklen bliver stjålet hver uge ved stationen, vi mangler en overdækket parkering",
    "Der er alt for mange cykler på fortovet, øh, altså man kan ikke gå der",
    "Ring til mig på 23 45 67 89 om bænkene i parken",
    "We need more benches and trees in the park",
]


def counted_from_clips(api: Api) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Any]]:
    with api.service.sessions() as session:
        clips = session.scalars(select(Clip).where(Clip.status == "transcribed")).all()
        public = {c.id for c in session.scalars(readable_by_public(select(Clip), session))}
        texts = session.execute(
            readable_by_public(select(Clip.published_text, Clip.language), session)
        ).all()
    received: Counter[tuple[str, str]] = Counter()
    published: Counter[tuple[str, str]] = Counter()
    weeks: Counter[tuple[str, str]] = Counter()
    for clip in clips:
        week = monday(city_day(clip.recorded_at)).isoformat()
        if city_day(clip.recorded_at) < city_time.today():  # received counts from the next day
            received[(clip.neighborhood, clip.theme)] += 1
            weeks[(week, "received")] += 1
        if clip.id in public:
            published[(clip.neighborhood, clip.theme)] += 1
            weeks[(week, "published")] += 1
    counts = [
        {
            "neighborhood": n,
            "theme": t,
            "received": received[(n, t)],
            "published": published[(n, t)],
        }
        for (n, t) in sorted(set(received) | set(published))
    ]
    by_week = [
        {"week": w, "received": weeks[(w, "received")], "published": weeks[(w, "published")]}
        for w in sorted({w for w, _ in weeks})
    ]
    words = [
        {"word": w, "count": c} for w, c in top_words(((t or "", lang) for t, lang in texts), 100)
    ]
    return counts, by_week, words


def assert_counts_agree(api: Api, when: str) -> None:
    counts, weeks, words = counted_from_clips(api)
    stats = api.get("/public/stats", None)
    numbers = [{k: v for k, v in c.items() if not k.endswith("_name")} for c in stats["counts"]]
    assert numbers == counts, when  # (the names shown beside them: test_neighborhoods)
    assert stats["weeks"] == weeks, when
    assert stats["total_published"] == sum(c["published"] for c in counts)
    served = api.get("/public/words", None, limit=100)
    assert sorted(w["count"] for w in served) == sorted(w["count"] for w in words), when
    assert {w["word"] for w in served if w["count"] > 1} == {
        w["word"] for w in words if w["count"] > 1
    }


def test_public_counts_follow_every_change_of_a_clip(api: Api) -> None:
    rng = random.Random(7)
    now = datetime.now(UTC)
    # Sunday nights, when UTC's week and the city's differ (23:30 UTC is Monday in Aarhus).
    sunday = datetime(2026, 11, 22, 22, 30, tzinfo=UTC)
    times = [now - timedelta(days=d) for d in range(40)] + [
        sunday - timedelta(days=7 * w, hours=h) for w in range(3) for h in (0, -1, 1)
    ]
    clips: list[str] = []
    for step in range(60):
        action = rng.choice(["add", "add", "approve", "approve", "hide", "flag", "reset",
                             "correct", "erase", "no_speech"])  # fmt: skip
        if action == "add" or not clips:
            clips.append(
                api.add_clip(
                    rng.choice(SAID),
                    language=rng.choice(["da", "en"]),
                    theme=rng.choice(["parks", "traffic"]),
                    recorded_at=rng.choice(times),
                )
            )
        else:
            clip_id = rng.choice(clips)
            if action == "correct":
                response = api.client.put(
                    f"/api/clips/{clip_id}/transcript",
                    json={"text": rng.choice(SAID)},
                    headers=api.as_(Role.MODERATOR),
                )
                assert response.status_code == 200, response.text
            elif action == "erase":
                with api.service.sessions.begin() as session:
                    clip = session.get(Clip, clip_id)
                    assert clip is not None
                    erase(session, api.service.store, clip, "tests")
                clips.remove(clip_id)
            elif action == "no_speech":
                with api.service.sessions.begin() as session:
                    clip = session.get(Clip, clip_id)
                    assert clip is not None
                    clip.status = "no_speech"
            else:
                response = api.client.post(
                    f"/api/clips/{clip_id}/moderation",
                    json={"action": action},
                    headers=api.as_(Role.MODERATOR),
                )
                assert response.status_code == 200, response.text
        assert_counts_agree(api, f"after step {step}: {action}")
    assert api.get("/public/stats", None)["total_published"] > 0  # the walk published some


def test_messages_received_today_count_from_tomorrow(api: Api) -> None:
    """A count that rose as calls came in would tell anyone polling it when someone called
    from a neighborhood (often one booth): today's messages count from the city's midnight."""
    now = datetime.now(UTC)
    yesterday = api.add_clip(SAID[0], language="da", recorded_at=now - timedelta(days=1))
    before = api.get("/public/stats", None)
    assert before["total_received"] == 1
    today = api.add_clip(SAID[1], language="da", recorded_at=now)
    after = api.get("/public/stats", None)
    assert after["total_received"] == 1 and after["weeks"] == before["weeks"]
    for clip_id in (yesterday, today):  # published messages are public, with their day
        api.client.post(
            f"/api/clips/{clip_id}/moderation", json={"action": "approve"},
            headers=api.as_(Role.MODERATOR),
        )  # fmt: skip
    published = api.get("/public/stats", None)
    assert published["total_received"] == 1 and published["total_published"] == 2
    tomorrow = city_time.today() + timedelta(days=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("ingest.http.routes.public.city_today", lambda: tomorrow)
        assert api.get("/public/stats", None)["total_received"] == 2


def test_rebuild_makes_the_same_counts(api: Api) -> None:
    for text in SAID:
        clip_id = api.add_clip(text, language="da")
        api.client.post(
            f"/api/clips/{clip_id}/moderation", json={"action": "approve"},
            headers=api.as_(Role.MODERATOR),
        )  # fmt: skip
    before = api.get("/public/stats", None), api.get("/public/words", None)
    with api.service.engine.begin() as connection:
        rebuild(connection)
    assert (api.get("/public/stats", None), api.get("/public/words", None)) == before
    assert before[0]["total_published"] == len(SAID)


def test_the_trend_chart_is_drawn_on_the_server_from_the_counts(api: Api) -> None:
    long_ago = datetime.now(UTC) - timedelta(weeks=3)
    for when in (long_ago, long_ago, datetime.now(UTC)):
        api.add_clip(SAID[0], language="da", recorded_at=when)
    response = api.client.get("/public/charts/weeks.svg", params={"lang": "en"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    svg = response.text
    assert f"week {city_day(long_ago).isocalendar().week}" in svg and "Received" in svg
    assert 'href="http' not in svg and "src=" not in svg  # nothing fetched from elsewhere
    danish = api.client.get("/public/charts/weeks.svg", params={"theme": "nowhere"}).text
    assert "Modtaget" in danish and not re.search(r"uge \d", danish)  # no weeks there


def test_counts_follow_the_city_zone_after_a_rebuild(
    api: Api, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sunday_night = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # Monday 00:30 in Aarhus
    clip_id = api.add_clip("Flere bænke på torvet", language="da", recorded_at=sunday_night)
    api.client.post(
        f"/api/clips/{clip_id}/moderation",
        json={"action": "approve"},
        headers=api.as_(Role.MODERATOR),
    )
    weeks = lambda: [w["week"] for w in api.get("/public/stats", None)["weeks"]]  # noqa: E731
    assert weeks() == ["2026-11-23"]

    # The operator moves the service to UTC and rebuilds, as docs/operator.md says.
    settings = api.service.settings
    monkeypatch.setenv("INGEST_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("INGEST_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("INGEST_TIME_ZONE", "UTC")
    city_time.zone.cache_clear()
    try:
        assert main(["counts", "rebuild"]) == 0
    finally:
        city_time.zone.cache_clear()
    assert "weeks beginning Monday in UTC" in capsys.readouterr().out
    assert weeks() == ["2026-11-16"]
    monkeypatch.undo()
    city_time.zone.cache_clear()  # read again in the city's zone by the tests that follow
