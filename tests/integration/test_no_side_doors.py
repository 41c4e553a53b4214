"""What the public and planners can learn only through the front door: no time of day
in a public cursor or feed, nothing a moderator hid found or read by a planner."""

import base64
import json
import re
import stat
from datetime import UTC, datetime, timedelta

from ingest.city_time import today
from tests.integration.conftest import Api
from tests.integration.test_search import approve

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
