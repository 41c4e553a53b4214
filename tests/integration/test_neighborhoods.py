"""Neighborhoods by name: planners name them, every public surface shows the name with its
Danish letters, and people reach a neighborhood however they spell it."""

import csv
import io
import xml.etree.ElementTree as ET

from ingest.roles import Role
from ingest.store.models import Clip
from tests.integration.conftest import Api
from tests.integration.test_search import approve

ATOM = "{http://www.w3.org/2005/Atom}"
RUNDHOJ = {
    "name": "Rundhøj",
    "description": "Kvarteret syd for Rundhøj Allé",
    "lat": 56.12,
    "lon": 10.18,
}
GREEN = {"slug": "groenne", "title": "Grønne områder", "question": "Hvad mangler?", "digit": "2"}


def moved_to(api: Api, clip_id: str, neighborhood: str) -> None:
    """A clip from another booth's neighborhood (the test booth stands in Gellerup)."""
    with api.service.sessions.begin() as session:
        clip = session.get(Clip, clip_id)
        assert clip is not None
        clip.neighborhood = neighborhood


def named_rundhoj(api: Api) -> str:
    """A message from Rundhøj on green spaces, approved, with both named."""
    clip = api.add_clip("Flere træer på pladsen", language="da", theme="groenne")
    moved_to(api, clip, "rundhoj")
    approve(api, clip)
    planner = api.as_(Role.PLANNER)
    assert api.client.post("/api/themes", json=GREEN, headers=planner).status_code == 201
    named = api.client.put("/api/neighborhoods/rundhoj", json=RUNDHOJ, headers=planner)
    assert named.status_code == 200, named.text
    assert named.json() == {**RUNDHOJ, "slug": "rundhoj"}
    return clip


def test_only_planners_and_admins_name_neighborhoods(api: Api) -> None:
    for role, status in ((Role.MODERATOR, 403), (Role.TECHNICIAN, 403), (None, 401)):
        response = api.client.put("/api/neighborhoods/rundhoj", json=RUNDHOJ, headers=api.as_(role))
        assert response.status_code == status, role
    bad = api.client.put("/api/neighborhoods/Rundhøj", json=RUNDHOJ, headers=api.as_(Role.ADMIN))
    assert bad.status_code == 422  # the API names slugs; pages take what people type
    far = api.client.put(
        "/api/neighborhoods/rundhoj", json={**RUNDHOJ, "lat": 91}, headers=api.as_(Role.ADMIN)
    )
    assert far.status_code == 422
    assert (
        api.client.put(
            "/api/neighborhoods/rundhoj", json=RUNDHOJ, headers=api.as_(Role.ADMIN)
        ).status_code
        == 200
    )


def test_every_public_surface_shows_the_names(api: Api) -> None:
    clip = named_rundhoj(api)
    (item,) = api.get("/public/clips", role=None, neighborhood="rundhoj")["items"]
    assert (item["id"], item["neighborhood_name"], item["theme_name"]) == (
        clip, "Rundhøj", "Grønne områder",
    )  # fmt: skip
    (count,) = api.get("/public/stats", role=None, neighborhood="rundhoj")["counts"]
    assert (count["neighborhood_name"], count["theme_name"]) == ("Rundhøj", "Grønne områder")
    data = api.get("/public/open-data.json", role=None)["messages"][0]
    assert (data["neighborhood_name"], data["theme_name"]) == ("Rundhøj", "Grønne områder")
    (row,) = csv.DictReader(io.StringIO(api.client.get("/public/open-data.csv").text))
    assert (row["neighborhood_name"], row["theme_name"]) == ("Rundhøj", "Grønne områder")
    feed = ET.fromstring(api.client.get("/public/feeds/neighborhood/rundhoj.atom").content)
    assert feed.findtext(f"{ATOM}title") == "Digitalt Nabolag: Bydel Rundhøj"
    labels = {c.get("label") for c in feed.iter(f"{ATOM}category")}
    assert labels == {"Rundhøj", "Grønne områder"}
    picker = api.get("/public/neighborhoods", role=None)
    assert {n["slug"]: n["name"] for n in picker} == {"gellerup": "gellerup", "rundhoj": "Rundhøj"}


def test_a_neighborhood_is_found_however_it_is_spelt(api: Api) -> None:
    named_rundhoj(api)
    for typed in ("rundhoj", "rundhøj", "Rundhøj", "rundhoej", "RUNDHØJ"):
        page = api.get(f"/public/neighborhoods/{typed}", role=None)
        assert (page["slug"], page["name"]) == ("rundhoj", "Rundhøj"), typed
        shown = api.client.get("/", params={"bydel": typed}, follow_redirects=False)
        if typed == "rundhoj":
            assert shown.status_code == 200 and "<html" in shown.text
        else:
            assert shown.status_code == 307 and shown.headers["location"] == "/?bydel=rundhoj"
    # Its question and the key that asks it, for "how to take part".
    (asked,) = api.get("/public/neighborhoods/rundhoj", role=None)["themes"]
    assert (asked["title"], asked["digit"]) == ("Grønne områder", "2")
    assert (
        api.client.get("/", params={"tema": "Grønne områder"}, follow_redirects=False).headers[
            "location"
        ]
        == "/?tema=groenne"
    )


def test_a_neighborhood_is_found_by_the_longest_name_it_may_have(api: Api) -> None:
    named_rundhoj(api)
    long_name = "Rundhøj " + "og Holme " * 21  # 200 characters, the most a name may have
    named = api.client.put(
        "/api/neighborhoods/rundhoj",
        json={"name": long_name.strip()[:200]},
        headers=api.as_(Role.PLANNER),
    )
    assert named.status_code == 200, named.text
    name = named.json()["name"]
    assert len(name) > 100
    assert api.get(f"/public/neighborhoods/{name}", role=None)["slug"] == "rundhoj"
    assert api.get(f"/public/neighborhoods/{name}/themes", role=None)
    shown = api.client.get("/", params={"bydel": name}, follow_redirects=False)
    assert shown.status_code == 307 and shown.headers["location"] == "/?bydel=rundhoj"


def test_an_unknown_neighborhood_is_a_danish_404_page(api: Api) -> None:
    named_rundhoj(api)
    missing = api.client.get("/public/neighborhoods/viby")
    assert missing.status_code == 404 and "Bydelen findes ikke" in missing.json()["detail"]
    page = api.client.get("/", params={"bydel": "Viby"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert 'lang="da"' in page.text and "Bydelen »Viby« findes ikke" in page.text
    assert '<a href="/?bydel=rundhoj">Rundhøj</a>' in page.text  # where to go instead
    assert api.client.get("/", params={"tema": "nope"}).status_code == 404


def test_pages_announce_their_feeds(api: Api) -> None:
    named_rundhoj(api)
    front = api.client.get("/").text
    assert 'href="/public/feeds/neighborhood/rundhoj.atom"' in front
    assert 'title="Digitalt Nabolag: Rundhøj"' in front
    assert 'href="/public/feeds/theme/groenne.atom"' in front
    place = api.client.get("/?bydel=rundhoj").text
    assert 'href="/public/feeds/neighborhood/rundhoj.atom"' in place
    assert "/public/feeds/neighborhood/gellerup.atom" not in place


def test_a_neighborhood_page_gets_every_theme_in_one_answer(api: Api) -> None:
    # (before any theme is managed: then a clip's theme must be one of them)
    elsewhere = api.add_clip("Mere lys på stien", language="da", theme="lys")
    moved_to(api, elsewhere, "rundhoj")
    approve(api, elsewhere)
    api.add_clip("Ikke godkendt endnu", language="da", theme="trafik")  # nothing published
    clip = named_rundhoj(api)
    themes = api.get("/public/neighborhoods/Rundhøj/themes", role=None)
    assert [t["slug"] for t in themes] == ["groenne", "lys"]  # asked here first, then heard
    green, light = themes
    assert (green["title"], green["question"], green["digit"]) == (
        "Grønne områder", "Hvad mangler?", "2",
    )  # fmt: skip
    assert [m["id"] for m in green["messages"]["items"]] == [clip]
    assert green["messages"]["next_cursor"] is None
    assert {w["word"] for w in green["words"]} == {"træer", "pladsen"}
    assert sum(w["published"] for w in green["weeks"]) == 1
    assert (light["title"], light["question"], light["digit"]) == ("lys", None, None)
    assert api.client.get("/public/neighborhoods/viby/themes").status_code == 404
