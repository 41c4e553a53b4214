"""A moderator's work is never lost: every write names the version it was based on and a
stale one is refused with what the clip is now; saving the text it already has changes
nothing; one moderator corrects, reviews and approves; the queue's states and counts."""

from concurrent.futures import ThreadPoolExecutor

import httpx

from ingest.receive.intake import InboundClip
from ingest.roles import Role
from shared.topics import Channel, Topics
from tests.conftest import BOOTH
from tests.integration.conftest import Api
from tests.support.clips import meta_for

SAID = "vi skal have flere baenke i parken"
CORRECTED = "Vi skal have flere bænke i parken."


def correct(api: Api, clip_id: str, text: str, **extra: object) -> httpx.Response:
    return api.client.put(
        f"/api/clips/{clip_id}/transcript",
        json={"text": text, **extra},
        headers=api.as_(Role.MODERATOR),
    )


def moderate(api: Api, clip_id: str, action: str, **extra: object) -> dict[str, object]:
    response = api.client.post(
        f"/api/clips/{clip_id}/moderation",
        json={"action": action, **extra},
        headers=api.as_(Role.MODERATOR),
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def public_texts(api: Api) -> list[str]:
    return [item["text"] for item in api.get("/public/clips", None)["items"]]


def test_a_stale_correction_is_refused_with_what_the_clip_is_now(api: Api) -> None:
    clip_id = api.add_clip(SAID)
    opened = api.get(f"/api/clips/{clip_id}/review", Role.MODERATOR)
    version = opened["version"]
    # Another moderator corrects first.
    first = correct(api, clip_id, CORRECTED, version=version)
    assert first.status_code == 200, first.text
    # The second, based on what they opened, would undo it: refused, with both sides known.
    late = correct(api, clip_id, "vi skal have flere bænke", version=version)
    assert late.status_code == 409
    detail = late.json()["detail"]
    assert detail["text"] == CORRECTED and detail["version"] != version
    assert late.headers["etag"] == f'"{detail["version"]}"'
    history = api.get(f"/api/clips/{clip_id}/history", Role.MODERATOR)
    assert [v["text"] for v in history] == [CORRECTED]
    # Choosing their own text after seeing both: sent again on the current version.
    mine = correct(api, clip_id, "vi skal have flere bænke", version=detail["version"])
    assert mine.status_code == 200


def test_if_match_carries_the_version_for_every_write(api: Api) -> None:
    clip_id = api.add_clip(SAID)
    seen = api.client.get(f"/api/clips/{clip_id}", headers=api.as_(Role.MODERATOR))
    etag = seen.headers["etag"]
    assert etag == f'"{seen.json()["version"]}"'
    moderate(api, clip_id, "flag")  # the clip changes under the ETag
    stale = {**api.as_(Role.MODERATOR), "If-Match": etag}
    spans = api.client.put(f"/api/clips/{clip_id}/review", json={"spans": []}, headers=stale)
    assert spans.status_code == 409
    decision = api.client.post(
        f"/api/clips/{clip_id}/moderation", json={"action": "approve"}, headers=stale
    )
    assert decision.status_code == 409
    assert api.get(f"/api/clips/{clip_id}")["moderation"] == "flagged"
    assert public_texts(api) == []
    # A list holding the current tag passes, as does "*"; a weak tag never (RFC 9110 13.1.1).
    weak = {**api.as_(Role.MODERATOR), "If-Match": f"W/{spans.headers['etag']}"}
    refused = api.client.post(
        f"/api/clips/{clip_id}/moderation", json={"action": "approve"}, headers=weak
    )
    assert refused.status_code == 409
    listed = {**api.as_(Role.MODERATOR), "If-Match": f'"0000", {spans.headers["etag"]}'}
    again = api.client.post(
        f"/api/clips/{clip_id}/moderation", json={"action": "approve"}, headers=listed
    )
    assert again.status_code == 200, again.text
    assert again.headers["etag"] != spans.headers["etag"]
    anything = {**api.as_(Role.MODERATOR), "If-Match": "*"}
    hidden = api.client.post(
        f"/api/clips/{clip_id}/moderation", json={"action": "hide"}, headers=anything
    )
    assert hidden.status_code == 200, hidden.text


def test_saving_the_current_text_of_a_published_message_changes_nothing(api: Api) -> None:
    clip_id = api.add_clip(SAID)
    fixed = correct(api, clip_id, CORRECTED)
    assert fixed.status_code == 200
    moderate(api, clip_id, "approve")
    assert public_texts(api) == [CORRECTED]
    opened = api.get(f"/api/clips/{clip_id}/review", Role.MODERATOR)
    assert opened["raw"] == CORRECTED  # what the correction box starts from
    same = correct(api, clip_id, opened["raw"] + "\n", version=opened["version"])
    assert same.status_code == 200, same.text
    assert same.json()["version"] == opened["version"]
    assert same.json()["moderation"] == "approved"
    assert public_texts(api) == [CORRECTED]
    history = api.get(f"/api/clips/{clip_id}/history", Role.MODERATOR)
    assert len(history) == 1
    actions = [e["action"] for e in api.get("/api/audit", Role.ADMIN, clip_id=clip_id)]
    assert actions.count("correct") == 1 and "unpublish" not in actions


def test_one_moderator_corrects_reviews_and_approves_planners_read(api: Api) -> None:
    clip_id = api.add_clip(SAID)
    planner = api.client.put(
        f"/api/clips/{clip_id}/transcript",
        json={"text": CORRECTED},
        headers=api.as_(Role.PLANNER),
    )
    assert planner.status_code == 403  # a correction rewrites raw text planners never see
    assert correct(api, clip_id, CORRECTED).status_code == 200
    assert api.get(f"/api/clips/{clip_id}/review", Role.MODERATOR)["raw"] == CORRECTED
    moderate(api, clip_id, "approve")
    assert public_texts(api) == [CORRECTED]


def test_needs_correction_and_the_queue_counts(api: Api) -> None:
    ids = [api.add_clip(f"{SAID} {n}") for n in range(4)]
    moderate(api, ids[0], "needs_correction", reason="Whisper hørte forkert")
    moderate(api, ids[1], "hide", reason="reklame")
    moderate(api, ids[2], "approve")
    counts = api.get("/api/clips/counts", Role.MODERATOR)
    assert counts == {
        "pending": 1,
        "needs_correction": 1,
        "flagged": 0,
        "hidden": 1,
        "approved": 1,
    }
    waiting = api.get("/api/clips", Role.MODERATOR, moderation="needs_correction")["items"]
    assert [c["id"] for c in waiting] == [ids[0]]
    # Corrected, it goes back to the queue for review.
    assert correct(api, ids[0], CORRECTED).status_code == 200
    assert api.get(f"/api/clips/{ids[0]}")["moderation"] == "pending"
    trail = api.get("/api/audit", Role.ADMIN, clip_id=ids[1])
    assert trail[0]["detail"]["reason"] == "reklame"


def test_the_fleet_shows_each_booths_refused_clips_and_the_newest_reason(api: Api) -> None:
    topic = Topics().booth(BOOTH, Channel.CLIPS)
    refused = []
    for change in ({"neighborhood": "trige"}, {"theme": "no such theme!"}):
        meta = meta_for(api.payload, BOOTH, api.ms, **change)
        refused.append(api.service.intake.accept(InboundClip(topic, api.payload, meta.to_dict())))
    assert [a.status for a in refused] == ["rejected", "rejected"]
    (booth,) = api.get("/api/booths", Role.TECHNICIAN)
    assert booth["rejections"] == 2
    assert booth["last_rejection_reason"] == refused[-1].reason
    assert booth["last_rejection_at"] is not None


def test_of_simultaneous_writes_on_one_version_exactly_one_wins(api: Api) -> None:
    clip_id = api.add_clip(SAID)
    version = api.get(f"/api/clips/{clip_id}", Role.MODERATOR)["version"]
    texts = [f"{CORRECTED} ({n})" for n in range(6)]
    with ThreadPoolExecutor(len(texts)) as pool:
        codes = list(
            pool.map(lambda text: correct(api, clip_id, text, version=version).status_code, texts)
        )
    assert sorted(codes) == [200] + [409] * (len(texts) - 1)
    history = api.get(f"/api/clips/{clip_id}/history", Role.MODERATOR)
    assert [v["text"] for v in history] == [texts[codes.index(200)]]
