"""Where booths stand: an admin records a booth's position (API or `ingest booth add`), and
the neighborhood's public page lists its booths' places and positions for the map, and
nothing else of them."""

from pathlib import Path

import pytest

from ingest import cli
from ingest.roles import Role
from ingest.sessions import open_sessions
from ingest.settings import IngestSettings
from ingest.store.database import make_engine
from ingest.store.models import Booth
from tests.conftest import BOOTH
from tests.integration.conftest import Api, register

TORVET = {
    "neighborhood": "gellerup",
    "location": "Ved Gellerup Torv",
    "notes": "nøgle hos vicevært",
}


def test_an_admin_records_where_a_booth_stands(api: Api) -> None:
    admin = api.as_(Role.ADMIN)
    placed = {**TORVET, "lat": 56.1531, "lon": 10.1365}
    for role, status in ((Role.PLANNER, 403), (Role.TECHNICIAN, 403), (None, 401)):
        refused = api.client.put(f"/api/booths/{BOOTH}", json=placed, headers=api.as_(role))
        assert refused.status_code == status, role
    for wrong in ({"lat": 90.5}, {"lon": -181}, {"lat": None}, {"lon": "10.1"}):
        refused = api.client.put(f"/api/booths/{BOOTH}", json={**placed, **wrong}, headers=admin)
        assert refused.status_code == 422, wrong
    changed = api.client.put(f"/api/booths/{BOOTH}", json=placed, headers=admin)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["lat"], changed.json()["lon"]) == (56.1531, 10.1365)
    (booth,) = api.get("/api/booths", Role.TECHNICIAN)
    assert (booth["lat"], booth["lon"]) == (56.1531, 10.1365)
    # Saved without a position, the booth has none again (the update sets every field).
    cleared = api.client.put(f"/api/booths/{BOOTH}", json=TORVET, headers=admin)
    assert (cleared.json()["lat"], cleared.json()["lon"]) == (None, None)


def test_the_public_page_lists_the_booths_places_and_positions_only(api: Api) -> None:
    admin = api.as_(Role.ADMIN)
    register(api.service, "booth-2")
    register(api.service, "booth-3")  # neither place nor position: not listed
    torvet = {**TORVET, "lat": 56.1531, "lon": 10.1365}
    assert api.client.put(f"/api/booths/{BOOTH}", json=torvet, headers=admin).status_code == 200
    skolen = {"neighborhood": "gellerup", "location": "Ved skolen", "notes": "hemmelig"}
    assert api.client.put("/api/booths/booth-2", json=skolen, headers=admin).status_code == 200
    page = api.get("/public/neighborhoods/gellerup", role=None)
    assert page["booths"] == 3
    assert page["booth_places"] == [
        {"location": "Ved Gellerup Torv", "lat": 56.1531, "lon": 10.1365},
        {"location": "Ved skolen", "lat": None, "lon": None},
    ]
    said = api.client.get("/public/neighborhoods/gellerup").text
    assert BOOTH not in said and "booth-2" not in said and "vicevært" not in said


def test_booth_add_takes_a_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("INGEST_BROKER_ADMIN_URL", raising=False)
    add = ["booth", "add", "booth-5", "--neighborhood", "viby", "--location", "Ved Viby Torv"]
    assert cli.main([*add, "--lat", "56.13"]) == 2  # half a position
    assert "--lat and --lon go together" in capsys.readouterr().err
    assert cli.main([*add, "--lat", "56.13", "--lon", "190"]) == 2
    assert "--lon 190.0 is not between" in capsys.readouterr().err
    assert cli.main([*add, "--lat", "56.1300", "--lon", "10.1900"]) == 0
    assert "booth-5: registered" in capsys.readouterr().out

    engine = make_engine(IngestSettings(data_dir=tmp_path / "data").sqlalchemy_url)
    with open_sessions(engine)() as session:
        booth = session.get(Booth, "booth-5")
        assert booth is not None
        assert (booth.location, booth.lat, booth.lon) == ("Ved Viby Torv", 56.13, 10.19)
    engine.dispose()
