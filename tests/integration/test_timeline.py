"""A theme's timeline, "det gjorde vi" step by step, on SQLite and PostgreSQL: only planners
write it, each write audited; a step links only published messages; an erased message
leaves no link behind; the public reads the steps in date order with each message as it was
published, on the theme digest and (here and citywide) on a neighborhood's page."""

from typing import Any

from sqlalchemy import select

from ingest.roles import Role
from ingest.store.models import StepQuote
from tests.integration.conftest import Api
from tests.integration.test_moderation import SAID, moderate
from tests.integration.test_neighborhoods import moved_to

PARKS = {"slug": "parks", "title": "Grønne områder", "question": "Hvad mangler parken?"}
RECEIVED = {"stage": "modtaget", "happened_on": "2026-11-03", "text": "Vi har læst jeres ønsker."}
DONE = {"stage": "udført", "happened_on": "2026-12-03", "text": "Bænkene er sat op."}
NOT_PUBLIC = "Kun offentliggjorte beskeder kan knyttes til et trin. / Only published messages"


def with_theme(api: Api) -> None:
    made = api.client.post("/api/themes", json=PARKS, headers=api.as_(Role.PLANNER))
    assert made.status_code == 201, made.text


def add(api: Api, body: dict[str, Any], role: Role = Role.PLANNER) -> Any:
    return api.client.post("/api/themes/parks/steps", json=body, headers=api.as_(role))


def approved(api: Api, text: str, **meta: Any) -> str:
    clip = api.add_clip(text, language="da", theme="parks", **meta)
    moderate(api, clip, "approve")
    return clip


def test_only_planners_write_the_timeline_and_every_write_is_audited(api: Api) -> None:
    with_theme(api)
    for role, status in ((Role.MODERATOR, 403), (Role.TECHNICIAN, 403), (None, 401)):
        assert add(api, RECEIVED, role).status_code == status, role  # type: ignore[arg-type]
    done = add(api, DONE)
    assert done.status_code == 201, done.text
    received = add(api, RECEIVED)
    assert received.status_code == 201, received.text
    step = received.json()
    assert (step["stage"], step["happened_on"], step["neighborhood"]) == (
        "modtaget", "2026-11-03", None,
    )  # fmt: skip
    # Readers (moderators too) read it, oldest day first whatever order it was written in.
    shown = api.get("/api/themes/parks/steps", Role.MODERATOR)
    assert [s["text"] for s in shown] == [RECEIVED["text"], DONE["text"]]
    path = f"/api/themes/parks/steps/{step['id']}"
    changed = {**RECEIVED, "stage": "undersøges"}
    for role, status in ((Role.MODERATOR, 403), (None, 401)):
        headers = api.as_(role)
        assert api.client.put(path, json=changed, headers=headers).status_code == status
        assert api.client.delete(path, headers=headers).status_code == status
    moved = api.client.put(path, json=changed, headers=api.as_(Role.PLANNER))
    assert moved.status_code == 200 and moved.json()["stage"] == "undersøges"
    assert api.client.delete(path, headers=api.as_(Role.PLANNER)).status_code == 204
    assert [s["stage"] for s in api.get("/api/themes/parks/steps")] == ["udført"]
    audit = api.get("/api/audit", Role.ADMIN)
    actions = [e["action"] for e in audit if e["action"].startswith("theme_step")]
    assert actions == ["theme_step_delete", "theme_step_update", "theme_step_add", "theme_step_add"]
    assert audit[0]["actor"] == "planner-user (planner)" and audit[0]["detail"]["theme"] == "parks"


def test_unknown_themes_steps_and_neighborhoods(api: Api) -> None:
    planner = api.as_(Role.PLANNER)
    assert api.client.get("/api/themes/nope/steps", headers=planner).status_code == 404
    nowhere = api.client.post("/api/themes/nope/steps", json=RECEIVED, headers=planner)
    assert nowhere.status_code == 404 and "Temaet findes ikke" in nowhere.json()["detail"]
    with_theme(api)
    for method in ("PUT", "DELETE"):
        gone = api.client.request(
            method, "/api/themes/parks/steps/999", json=RECEIVED, headers=planner
        )
        assert gone.status_code == 404, method
    somewhere = add(api, {**RECEIVED, "neighborhood": "atlantis"})
    assert somewhere.status_code == 422 and "Bydelen findes ikke" in somewhere.json()["detail"]
    assert add(api, {**RECEIVED, "stage": "lovet"}).status_code == 422
    assert add(api, {**RECEIVED, "text": "x" * 1001}).status_code == 422
    assert add(api, {**RECEIVED, "neighborhood": "gellerup"}).status_code == 201  # its booth's


def test_only_published_messages_can_be_linked(api: Api) -> None:
    with_theme(api)
    pending = api.add_clip("Flere bænke", language="da", theme="parks")
    hidden = api.add_clip("Noget grimt", language="da", theme="parks")
    moderate(api, hidden, "hide")
    unknown = "00000000-0000-4000-8000-000000000000"
    for clip in (pending, hidden, unknown):
        refused = add(api, {**RECEIVED, "clip_ids": [clip]})
        assert refused.status_code == 422, clip
        assert refused.json()["detail"] == f"{NOT_PUBLIC} can be linked to a step: {clip}"
    assert api.get("/api/themes/parks/steps") == []  # nothing half made
    fine = approved(api, "Flere bænke ved søen")
    made = add(api, {**RECEIVED, "clip_ids": [fine, fine]})
    assert made.status_code == 201, made.text
    assert made.json()["clip_ids"] == [fine]
    path = f"/api/themes/parks/steps/{made.json()['id']}"
    # A change names the links again: the same one stays, an unpublished one is refused.
    kept = api.client.put(path, json={**DONE, "clip_ids": [fine]}, headers=api.as_(Role.PLANNER))
    assert kept.status_code == 200 and kept.json()["clip_ids"] == [fine], kept.text
    worse = {**DONE, "clip_ids": [fine, pending]}
    refused = api.client.put(path, json=worse, headers=api.as_(Role.PLANNER))
    assert refused.status_code == 422
    assert api.get("/api/themes/parks/steps")[0]["clip_ids"] == [fine]


def test_an_erased_message_leaves_no_link(api: Api) -> None:
    with_theme(api)
    erased = approved(api, "Flere bænke ved søen", receipt="482913")
    kept = approved(api, "Mere lys på stien")
    made = add(api, {**DONE, "clip_ids": [erased, kept]})
    assert made.status_code == 201, made.text
    gone = api.client.post("/api/erasures", json={"receipt": "482913"}, headers=api.as_(Role.ADMIN))
    assert gone.status_code == 200 and gone.json()["erased"] == [erased], gone.text
    (step,) = api.get("/api/themes/parks/steps")
    assert step["clip_ids"] == [kept]
    assert [q["id"] for q in step["quotes"]] == [kept]
    with api.service.sessions() as session:
        assert list(session.scalars(select(StepQuote.clip_id))) == [kept]


def test_the_public_reads_the_steps_in_order_with_published_text_only(api: Api) -> None:
    with_theme(api)
    for slug, name in (("rundhoj", "Rundhøj"), ("gellerup", "Gellerup")):
        named = api.client.put(
            f"/api/neighborhoods/{slug}", json={"name": name}, headers=api.as_(Role.PLANNER)
        )
        assert named.status_code == 200, named.text
    said = approved(api, SAID)  # a name and a phone number in it, both hidden on approval
    moved_to(api, said, "rundhoj")
    later_hidden = approved(api, "Bænken er væk")
    steps = [
        {**DONE, "neighborhood": "rundhoj", "clip_ids": [said, later_hidden]},
        {**RECEIVED, "clip_ids": [said]},
        {"stage": "besluttet", "happened_on": "2026-11-20", "text": "Gellerup får en ny sti.",
         "neighborhood": "gellerup"},
    ]  # fmt: skip
    for body in steps:
        assert add(api, body).status_code == 201
    moderate(api, later_hidden, "hide")

    (theme,) = api.get("/public/themes", None)
    assert [(s["stage"], s["happened_on"]) for s in theme["steps"]] == [
        ("modtaget", "2026-11-03"), ("besluttet", "2026-11-20"), ("udført", "2026-12-03"),
    ]  # fmt: skip
    done = theme["steps"][2]
    assert (done["neighborhood"], done["neighborhood_name"]) == ("rundhoj", "Rundhøj")
    (quote,) = done["quotes"]  # the hidden one is no longer shown
    assert quote["text"] == "Jeg hedder [navn], ring på [telefon] om bænkene."
    assert quote["neighborhood_name"] == "Rundhøj" and "Anna" not in str(theme)
    assert theme["we_did"] is None

    # Rundhøj's page: its own steps and the citywide ones, not Gellerup's.
    (here,) = api.get("/public/neighborhoods/rundhoj/themes", None)
    assert [s["text"] for s in here["steps"]] == [RECEIVED["text"], DONE["text"]]
    assert here["steps"][0]["quotes"][0]["text"] == quote["text"]
    there = {t["slug"]: t for t in api.get("/public/neighborhoods/gellerup/themes", None)}
    assert [s["stage"] for s in there["parks"]["steps"]] == ["modtaget", "besluttet"]
    # A theme asked elsewhere, with nothing said here, is on the page once it has a step here.
    traffic = {"slug": "trafik", "title": "Trafik", "question": "Hvor kører I?"}
    traffic["neighborhoods"] = ["gellerup"]  # type: ignore[assignment]
    assert (
        api.client.post("/api/themes", json=traffic, headers=api.as_(Role.PLANNER)).status_code
        == 201
    )
    assert [t["slug"] for t in api.get("/public/neighborhoods/rundhoj/themes", None)] == ["parks"]
    step = {**RECEIVED, "neighborhood": "rundhoj"}
    made = api.client.post("/api/themes/trafik/steps", json=step, headers=api.as_(Role.PLANNER))
    assert made.status_code == 201, made.text
    shown = api.get("/public/neighborhoods/rundhoj/themes", None)
    assert [(t["slug"], len(t["steps"])) for t in shown] == [("parks", 2), ("trafik", 1)]
    # The planner still sees every link, public now or not.
    planned = api.get("/api/themes/parks/steps")[2]
    assert planned["clip_ids"] == sorted([said, later_hidden])
