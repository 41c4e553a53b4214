""" "Hvad skete der med min besked?": a caller's receipt code shows what became of the message
and nothing else, a few tries a minute, and is the way to ask for erasure."""

from typing import Any

from fastapi.testclient import TestClient

from ingest.http.routes.receipts import LOOKUPS_PER_MINUTE
from ingest.roles import Role
from tests.integration.conftest import Api
from tests.integration.test_moderation import moderate

SAID = "Ring til mig på 23 45 67 89 om legepladsen"


def look_up(api: Api, receipt: str) -> tuple[int, Any]:
    response = api.client.post("/public/receipts", json={"receipt": receipt})
    return response.status_code, response.json()


def test_a_caller_follows_a_message_from_received_to_published(api: Api) -> None:
    clip = api.add_clip(SAID, language="da", receipt="482913")
    api.add_clip("Noget helt andet, fra en anden", language="da", receipt="111111")
    status, body = look_up(api, "482913")
    assert status == 200
    (shown,) = body["messages"]
    assert shown["status"] == "modtaget" and shown["text"] is None  # not read yet
    assert set(shown) == {
        "status", "neighborhood_name", "theme_name", "recorded_on", "text", "erasure_requested",
    }  # fmt: skip  # no id, booth or time of day
    moderate(api, clip, "approve")
    (shown,) = look_up(api, "482913")[1]["messages"]
    assert shown["status"] == "offentliggjort"
    assert "[telefon]" in shown["text"] and "23 45" not in shown["text"]  # as published
    moderate(api, clip, "hide")
    (shown,) = look_up(api, "482913")[1]["messages"]
    assert shown["status"] == "ikke_offentliggjort" and shown["text"] is None
    status, body = look_up(api, "999999")
    assert status == 404 and "Ingen besked har den kode" in str(body["detail"])
    assert look_up(api, "12ab")[0] == 422


def test_lookups_are_few_per_minute(api: Api) -> None:
    for _ in range(LOOKUPS_PER_MINUTE):
        assert look_up(api, "999999")[0] == 404
    response = api.client.post("/public/receipts", json={"receipt": "482913"})
    assert response.status_code == 429 and int(response.headers["retry-after"]) > 0


def test_lookups_from_one_ipv6_network_share_the_limit(api: Api) -> None:
    """One host or household holds a whole IPv6 /64: changing address within it for each
    guess at a code (and each erasure asked for) counts as the same client."""

    def look_up_from(address: str) -> int:
        caller = TestClient(api.client.app, client=(address, 40000))
        return caller.post("/public/receipts", json={"receipt": "482913"}).status_code

    for n in range(LOOKUPS_PER_MINUTE):
        assert look_up_from(f"2001:db8:7:9::{n + 1:x}") == 404
    assert look_up_from("2001:db8:7:9:ffff:ffff:ffff:ffff") == 429
    assert look_up_from("2001:db8:7:a::1") == 404  # the next network is another client


def test_an_erasure_asked_for_by_receipt_is_carried_out_by_an_admin(api: Api) -> None:
    clip = api.add_clip(SAID, language="da", receipt="482913")
    asked = api.client.post("/public/receipts/erasure", json={"receipt": "482913"})
    assert asked.status_code == 202 and asked.json()["messages"][0]["erasure_requested"]
    again = api.client.post("/public/receipts/erasure", json={"receipt": "482913"})
    assert again.status_code == 202  # asking twice records one request
    nobody = api.client.post("/public/receipts/erasure", json={"receipt": "999999"})
    assert nobody.status_code == 404
    admin = api.as_(Role.ADMIN)
    (request,) = api.client.get("/api/erasure-requests", headers=admin).json()
    assert request["clip_ids"] == [clip] and request["done_at"] is None
    planner = api.client.get("/api/erasure-requests", headers=api.as_(Role.PLANNER))
    assert planner.status_code == 403
    done = api.client.post(f"/api/erasure-requests/{request['id']}", headers=admin)
    assert done.status_code == 200 and done.json()["done_at"]
    assert api.client.get(f"/api/clips/{clip}", headers=admin).status_code == 404
    (shown,) = look_up(api, "482913")[1]["messages"]
    assert shown["status"] == "slettet"
