"""Open data and feeds: published, redacted messages only, under their license; what the
city did, next to the question."""

import csv
import io
import xml.etree.ElementTree as ET

from ingest.roles import Role
from tests.integration.conftest import Api
from tests.integration.test_search import approve

ATOM = "{http://www.w3.org/2005/Atom}"


def test_open_data_holds_published_redacted_messages_under_a_license(api: Api) -> None:
    shown = api.add_clip("Ring til mig på 23 45 67 89 om legepladsen", language="da")
    formula = api.add_clip("=HYPERLINK(evil) flere bænke", language="da")
    api.add_clip("Det her er ikke godkendt endnu", language="da")
    approve(api, shown)
    approve(api, formula)

    response = api.client.get("/public/open-data.json")
    assert response.status_code == 200 and "creativecommons.org" in response.headers["link"]
    data = response.json()
    assert data["license"] == "CC BY 4.0"
    texts = {m["id"]: m["text"] for m in data["messages"]}
    assert set(texts) == {shown, formula}
    assert "[telefon]" in texts[shown] and "23 45" not in texts[shown]
    assert set(data["messages"][0]) == {
        "id",
        "neighborhood",
        "neighborhood_name",
        "theme",
        "theme_name",
        "recorded_on",
        "language",
        "text",
    }

    response = api.client.get("/public/open-data.csv")
    assert "/public/datapackage.json" in response.headers["link"]
    # Plain CSV, a header row first: the license is in the data package beside it.
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == [
        "id", "neighborhood", "neighborhood_name", "theme", "theme_name", "recorded_on",
        "language", "text",
    ]  # fmt: skip
    assert {r["id"] for r in rows} == {shown, formula}
    assert next(r for r in rows if r["id"] == formula)["text"].startswith("'=")  # not a formula


def test_atom_feeds_per_neighborhood_and_theme(api: Api) -> None:
    parks = api.add_clip("Flere træer i parken", language="da", theme="parks")
    buses = api.add_clip("Bussen kommer aldrig", language="da", theme="busser")
    hidden = api.add_clip("Ikke godkendt", language="da", theme="parks")
    approve(api, parks)
    approve(api, buses)

    by_theme = api.client.get("/public/feeds/theme/parks.atom")
    assert by_theme.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(by_theme.content)
    assert root.tag == f"{ATOM}feed" and "parks" in (root.findtext(f"{ATOM}title") or "")
    ids = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    assert ids == [f"urn:uuid:{parks}"] and f"urn:uuid:{hidden}" not in ids
    entry = next(root.iter(f"{ATOM}entry"))
    assert entry.findtext(f"{ATOM}content") == "Flere træer i parken"
    place = ET.fromstring(api.client.get("/public/feeds/neighborhood/gellerup.atom").content)
    assert len(list(place.iter(f"{ATOM}entry"))) == 2
    assert api.client.get("/public/feeds/theme/..%2Fetc.atom").status_code in (404, 422)
    assert api.client.get("/public/feeds/booth/x.atom").status_code == 422


def test_what_the_city_did_is_shown_with_its_question(api: Api) -> None:
    theme = {
        "slug": "legepladser",
        "title": "Legepladser",
        "question": "Hvad mangler legepladsen?",
        "starts_on": "2026-01-01",
        "ends_on": "2026-02-01",  # over: only shown once the city has answered
    }
    planner = api.as_(Role.PLANNER)
    assert api.client.post("/api/themes", json=theme, headers=planner).status_code == 201
    assert all(t["slug"] != "legepladser" for t in api.get("/public/themes", role=None))
    did = {**theme, "we_did": "Vi har sat nye gynger op i Gellerupparken."}
    del did["slug"]
    assert api.client.put("/api/themes/legepladser", json=did, headers=planner).status_code == 200
    (shown,) = [t for t in api.get("/public/themes", role=None) if t["slug"] == "legepladser"]
    assert shown["we_did"] == "Vi har sat nye gynger op i Gellerupparken." and not shown["live"]
    moderator = api.client.put("/api/themes/legepladser", json=did, headers=api.as_(Role.MODERATOR))
    assert moderator.status_code == 403


def test_the_data_package_holds_the_license_and_every_field(api: Api) -> None:
    package = api.get("/public/datapackage.json", role=None)
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    (resource,) = package["resources"]
    header = api.client.get("/public/open-data.csv").text.split("\r\n", 1)[0]
    assert [f["name"] for f in resource["schema"]["fields"]] == header.split(",")
    assert all(f["description"] for f in resource["schema"]["fields"])


def test_an_unknown_feed_is_a_404_not_an_empty_feed(api: Api) -> None:
    approve(api, api.add_clip("Flere træer i parken", language="da", theme="parks"))
    assert api.client.get("/public/feeds/theme/parks.atom").status_code == 200
    assert api.client.get("/public/feeds/neighborhood/gellerup.atom").status_code == 200
    assert api.client.get("/public/feeds/theme/busser.atom").status_code == 404
    assert api.client.get("/public/feeds/neighborhood/viby.atom").status_code == 404
