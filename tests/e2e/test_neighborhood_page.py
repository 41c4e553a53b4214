"""A neighborhood's public page in a real browser at a phone's width (390 px): reached by
its name however typed, how to take part first, each theme's question and messages with
"vis flere" past the first pages, clickable words, a trend per theme, the receipt lookup,
Danish content marked as Danish in English mode, and no serious accessibility fault."""

import hashlib
import http.server
import re
import struct
import subprocess
import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from ingest.sessions import migrate_database, open_sessions
from ingest.settings import IngestSettings
from ingest.store.database import make_engine
from ingest.store.models import Booth, Clip, ClipStatus, Moderation
from shared.clip import receipt_hash
from tests.e2e import test_pages
from tests.e2e.test_pages import serious_violations, wait_for_text
from tests.support.services import IngestProcess

pytestmark = pytest.mark.slow
browser = test_pages.browser  # the same browser and axe-core as the other pages' tests
axe_source = test_pages.axe_source

MESSAGES = 25  # more than the first page of 20: the 21st must be reachable
FIRST_DAY = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # a Monday
RECEIPT = "482913"
CENTRE = {"lat": 56.1318, "lon": 10.1573}


def said(n: int) -> str:
    # Every third speaks of trees, in Danish inflections; the rest of buses.
    return f"Besked {n}: " + ("flere træer på torvet" if n % 3 == 0 else "bussen kommer for sent")


def message(n: int) -> Clip:
    """The n-th message from Rundhøj's booth, approved as said."""
    text, now = said(n), datetime.now(UTC)
    return Clip(
        id=str(uuid.uuid4()),
        booth_id="booth-rundhoj",
        neighborhood="rundhoj",
        theme="groenne",
        recorded_at=FIRST_DAY + timedelta(hours=6 * n),
        received_at=now,
        duration_ms=4000,
        content_type="audio/ogg",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        size_bytes=1000,
        status=ClipStatus.TRANSCRIBED,
        text=text,
        language="da",
        moderation=Moderation.APPROVED,
        published_text=text,
        published_at=now,
        receipt_hash=receipt_hash(RECEIPT) if n == MESSAGES else None,
    )


def stored(data: Path, *clips: Clip, booths: bool = False) -> None:
    """Written as the service writes (its sessions keep the counts)."""
    engine = make_engine(IngestSettings(data_dir=data).sqlalchemy_url)
    migrate_database(engine)
    with open_sessions(engine).begin() as session:
        now = datetime.now(UTC)
        if booths:
            session.add(Booth(id="booth-rundhoj", neighborhood="rundhoj",
                              location="Ved Rundhøj Torv", created_at=now))  # fmt: skip
            session.add(Booth(id="booth-gellerup", neighborhood="gellerup", created_at=now))
        session.add_all(clips)
    engine.dispose()


def placed(data: Path) -> None:
    """Rundhøj's booth placed on the map by a technician, and a second one by the school."""
    engine = make_engine(IngestSettings(data_dir=data).sqlalchemy_url)
    with open_sessions(engine).begin() as session:
        torvet = session.get(Booth, "booth-rundhoj")
        assert torvet is not None
        torvet.lat, torvet.lon = 56.1322, 10.1561
        session.add(Booth(id="booth-rundhoj-skole", neighborhood="rundhoj", location="Ved skolen",
                          notes="nøglen hos pedellen", lat=56.1301, lon=10.1602,
                          created_at=datetime.now(UTC)))  # fmt: skip
    engine.dispose()


def seed(data: Path) -> None:
    """What the booths delivered and moderators approved: 25 messages from Rundhøj."""
    data.mkdir(parents=True)
    stored(data, *(message(n) for n in range(1, MESSAGES + 1)), booths=True)


def serve(tmp_path: Path, **env: str) -> IngestProcess:
    """`ingest api` over the seeded messages, with Rundhøj and its theme named."""
    data = tmp_path / "ingest"
    seed(data)
    env = {"INGEST_DATA_DIR": str(data), "INGEST_WEB_VENDOR_DIR": str(tmp_path / "none"), **env}
    ingest = IngestProcess(env, tmp_path / "api.log", role="api")
    ingest.create_token("planner")
    ingest.start()
    api = httpx.Client(base_url=ingest.base_url, headers=ingest.headers, timeout=10)
    question = "Hvad mangler der af grønt i Rundhøj?"
    theme = {"slug": "groenne", "title": "Grønne områder", "question": question, "digit": "2"}
    assert api.post("/api/themes", json=theme).status_code == 201
    named = {"name": "Rundhøj", "description": "Kvarteret omkring Rundhøj Torv.", **CENTRE}
    assert api.put("/api/neighborhoods/rundhoj", json=named).status_code == 200
    api.close()
    return ingest


@pytest.fixture
def site(tmp_path: Path) -> Iterator[IngestProcess]:
    """No tile server set, no Leaflet built in: the booths as a list."""
    ingest = serve(tmp_path)
    try:
        yield ingest
    finally:
        ingest.stop()


class Tiles(http.server.BaseHTTPRequestHandler):
    """A tile server on this machine: every tile one grey PNG, every request noted."""

    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Tiles.asked.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(GREY_TILE)

    def log_message(self, *_args: object) -> None:
        pass


def png(width: int, height: int, grey: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + bytes([grey]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


GREY_TILE = png(256, 256, 200)


@pytest.fixture
def mapped_site(tmp_path: Path) -> Iterator[tuple[IngestProcess, str]]:
    """A tile server set and Leaflet built in by the build step (from the npm registry)."""
    vendor = tmp_path / "vendor"
    script = Path(__file__).parents[2] / "deploy" / "tools" / "vendor-web.sh"
    subprocess.run([str(script), str(vendor)], check=True, capture_output=True, timeout=300)
    tiles = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=tiles.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{tiles.server_address[1]}"
    ingest = serve(
        tmp_path,
        INGEST_WEB_VENDOR_DIR=str(vendor),
        INGEST_MAP_TILE_URL=f"{origin}/{{z}}/{{x}}/{{y}}.png",
    )
    try:
        yield ingest, origin
    finally:
        ingest.stop()
        tiles.shutdown()
        tiles.server_close()


def phone(browser: webdriver.Chrome) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )


def fits(browser: webdriver.Chrome) -> None:
    width = browser.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth]"
    )
    assert width == [390, 390]


def contrast(a: str, b: str) -> float:
    """WCAG contrast of two computed colours, 'rgb(r, g, b)'."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_a_neighborhood_page_on_a_phone(
    site: IngestProcess, browser: webdriver.Chrome, axe_source: str
) -> None:
    phone(browser)
    browser.get(f"{site.base_url}/?bydel=rundhøj")  # as people type it
    assert browser.current_url.endswith("/?bydel=rundhoj")
    wait_for_text(browser, "#take-part", "tast 2 for Grønne områder")
    test_pages.ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(test_pages.ARTIFACTS / "neighborhood-phone-da.png"))
    assert "Ved Rundhøj Torv" in browser.find_element(By.ID, "take-part").text
    assert browser.find_element(By.ID, "scope-name").text == "Bydel: Rundhøj"
    # How to take part is on the first screen.
    top = browser.execute_script(
        "return document.getElementById('take-part-section').getBoundingClientRect().top"
    )
    assert top < 844 / 2
    block = "article[data-theme=groenne]"
    wait_for_text(browser, f"{block} .quotes", said(MESSAGES))
    heading = browser.find_element(By.CSS_SELECTOR, f"{block} h2")
    assert heading.text == "Grønne områder" and heading.get_attribute("lang") == "da"
    assert "Hvad mangler der af grønt" in browser.find_element(By.CSS_SELECTOR, block).text
    quotes = f"{block} .quotes blockquote"
    assert len(browser.find_elements(By.CSS_SELECTOR, quotes)) == 5
    footer = browser.find_element(By.CSS_SELECTOR, f"{quotes} footer").text
    assert re.search(r"\d+\. november 2026", footer), footer  # a Danish date
    # "Vis flere" until every message shows: the 21st and the first among them.
    more = browser.find_element(By.CSS_SELECTOR, f"{block} button.more")
    assert said(1) not in browser.find_element(By.CSS_SELECTOR, block).text
    while more.is_displayed():
        shown = len(browser.find_elements(By.CSS_SELECTOR, quotes))
        more.click()
        WebDriverWait(browser, 10).until(
            lambda d, n=shown: len(d.find_elements(By.CSS_SELECTOR, quotes)) > n
        )
    browser.save_screenshot(str(test_pages.ARTIFACTS / "neighborhood-phone-more-da.png"))
    texts = [q.text for q in browser.find_elements(By.CSS_SELECTOR, f"{quotes} p")]
    assert texts == [said(n) for n in range(MESSAGES, 0, -1)]  # each once, newest first
    # The theme's trend, a line a week, with the numbers in words.
    weeks = browser.find_elements(By.CSS_SELECTOR, f"{block} .weeks li")
    assert weeks and weeks[0].text.startswith("uge 45")
    # The overall chart is drawn at a phone's width: its labels are not scaled down.
    chart = browser.find_element(By.ID, "trend-img")
    assert "size=narrow" in (chart.get_attribute("src") or "")
    svg = httpx.get(chart.get_attribute("src") or "").text
    drawn = re.search(r'viewBox="0 0 (\d+) \d+"', svg)
    assert drawn and int(chart.get_attribute("clientWidth") or 0) >= 0.9 * int(drawn[1])
    fits(browser)
    assert serious_violations(browser, axe_source) == []

    # A top word is a link to the messages that use it.
    word = browser.find_element(By.CSS_SELECTOR, f"{block} .words a[href*='q=tr']")
    assert word.text.startswith("træ")
    word.click()
    wait_for_text(browser, "#quotes", "træer")
    found = [q.text for q in browser.find_elements(By.CSS_SELECTOR, "#quotes blockquote p")]
    assert found and all("træer" in text for text in found)
    assert len(found) == MESSAGES // 3

    # The focus ring stands out from the page (3:1).
    browser.execute_script(
        "document.querySelector('#picker-section, #messages a, #quotes').scrollIntoView()"
    )
    link = browser.find_element(By.CSS_SELECTOR, "footer a")
    browser.execute_script("arguments[0].focus()", link)
    ring, page = browser.execute_script(
        "const s = getComputedStyle(arguments[0]);"
        "return [s.outlineColor, getComputedStyle(document.body).backgroundColor];",
        link,
    )
    assert contrast(ring, page) >= 3, ring

    # In English, what citizens said and the names stay marked as Danish.
    browser.get(f"{site.base_url}/?bydel=rundhoj")
    browser.find_element(By.ID, "language").click()
    wait_for_text(browser, "#take-part", "press 2 for Grønne områder")
    wait_for_text(browser, f"{block} .quotes", said(MESSAGES))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    first = browser.find_element(By.CSS_SELECTOR, f"{quotes} p")
    assert first.get_attribute("lang") == "da"
    assert browser.find_element(By.CSS_SELECTOR, "#scope-name span").get_attribute("lang") == "da"
    fits(browser)
    assert serious_violations(browser, axe_source) == []


def test_the_front_page_picks_a_neighborhood_and_a_caller_follows_a_message(
    site: IngestProcess, browser: webdriver.Chrome, axe_source: str
) -> None:
    phone(browser)
    browser.get(f"{site.base_url}/")
    wait_for_text(browser, "#picker", "Rundhøj")
    assert "25 beskeder" in browser.find_element(By.ID, "picker").text
    fits(browser)
    assert serious_violations(browser, axe_source) == []

    # The page looks again every 15 s: the list stays as it is (and nothing is read out)
    # until a new message comes, which is then announced once.
    wait_for_text(browser, "#quotes", said(MESSAGES))
    assert browser.find_element(By.ID, "quotes").get_attribute("aria-live") is None
    browser.execute_script("document.querySelector('#quotes blockquote').dataset.seen = 'yes'")
    time.sleep(16)
    first = browser.find_element(By.CSS_SELECTOR, "#quotes blockquote")
    assert (
        first.get_attribute("data-seen") == "yes" and browser.find_element(By.ID, "news").text == ""
    )
    stored(Path(site.env["INGEST_DATA_DIR"]), message(MESSAGES + 1))
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.ID, "news").get_attribute("textContent") == "1 ny besked."
    )
    assert said(MESSAGES + 1) in browser.find_element(By.ID, "quotes").text

    # "Hvad skete der med min besked?"
    browser.find_element(By.ID, "receipt-code").send_keys(RECEIPT)
    browser.find_element(By.CSS_SELECTOR, "#receipt-form button").click()
    wait_for_text(browser, "#receipt-result", "Offentliggjort")
    assert said(MESSAGES) in browser.find_element(By.ID, "receipt-result").text
    browser.find_element(By.ID, "erase").click()
    wait_for_text(browser, "#receipt-result", "Du har bedt om at få den slettet")
    assert not browser.find_element(By.ID, "erase").is_displayed()
    code = browser.find_element(By.ID, "receipt-code")
    code.clear()
    code.send_keys("999999")
    browser.find_element(By.CSS_SELECTOR, "#receipt-form button").click()
    wait_for_text(browser, "#receipt-result", "Ingen besked har den kode")
    assert RECEIPT not in browser.current_url

    browser.find_element(By.PARTIAL_LINK_TEXT, "Rundhøj").click()
    wait_for_text(browser, "#take-part", "tast 2 for Grønne områder")
    assert browser.current_url.endswith("/?bydel=rundhoj")

    # A neighborhood nobody knows: a Danish page that says so, with where to go instead.
    browser.get(f"{site.base_url}/?bydel=Viby")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Bydelen »Viby« findes ikke"
    assert (
        browser.find_element(By.LINK_TEXT, "Rundhøj")
        .get_attribute("href")
        .endswith("/?bydel=rundhoj")
    )
    assert httpx.get(f"{site.base_url}/?bydel=Viby").status_code == 404
    fits(browser)
    assert serious_violations(browser, axe_source) == []


def requested(browser: webdriver.Chrome) -> set[str]:
    """The origins every resource of the page came from."""
    names = browser.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name)"
    )
    return {"/".join(name.split("/")[:3]) for name in names}


def test_without_a_tile_server_the_booths_are_a_list_and_nothing_leaves_the_page(
    site: IngestProcess, browser: webdriver.Chrome
) -> None:
    browser.get(f"{site.base_url}/?bydel=rundhoj")
    wait_for_text(browser, "#places", "Ved Rundhøj Torv")
    assert not browser.find_element(By.ID, "map").is_displayed()
    assert browser.find_elements(By.CSS_SELECTOR, ".leaflet-container") == []
    assert requested(browser) == {site.base_url}


def test_a_map_of_the_neighborhood_from_the_city_tile_server(
    mapped_site: tuple[IngestProcess, str], browser: webdriver.Chrome, axe_source: str
) -> None:
    site, tiles = mapped_site
    phone(browser)
    browser.get(f"{site.base_url}/?bydel=rundhoj")
    WebDriverWait(browser, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#map .leaflet-tile-loaded")
    )
    marker = browser.find_element(By.CSS_SELECTOR, "#map .leaflet-marker-icon")
    assert marker.get_attribute("title") == "Rundhøj"
    assert "Ved Rundhøj Torv" in browser.find_element(By.ID, "places").text  # the list stays
    assert Tiles.asked and all(p.endswith(".png") for p in Tiles.asked)
    assert requested(browser) == {site.base_url, tiles}  # Leaflet from the service itself
    test_pages.ARTIFACTS.mkdir(exist_ok=True)
    browser.execute_script("document.getElementById('map').scrollIntoView()")
    browser.save_screenshot(str(test_pages.ARTIFACTS / "neighborhood-map-phone-da.png"))
    fits(browser)
    assert serious_violations(browser, axe_source) == []


def test_the_map_marks_each_booth_where_it_stands(
    mapped_site: tuple[IngestProcess, str], browser: webdriver.Chrome, axe_source: str
) -> None:
    site, tiles = mapped_site
    placed(Path(site.env["INGEST_DATA_DIR"]))
    phone(browser)
    browser.get(f"{site.base_url}/?bydel=rundhoj")
    WebDriverWait(browser, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#map .leaflet-tile-loaded")
    )
    markers = browser.find_elements(By.CSS_SELECTOR, "#map .leaflet-marker-icon")
    titles = sorted(m.get_attribute("title") or "" for m in markers)
    assert titles == ["Ved Rundhøj Torv", "Ved skolen"]  # the booths, not the neighborhood
    for marker in markers:  # both on the map as drawn at a phone's width
        box = browser.execute_script(
            "const r = arguments[0].getBoundingClientRect();"
            "const m = document.getElementById('map').getBoundingClientRect();"
            "return r.left >= m.left && r.right <= m.right"
            " && r.top >= m.top && r.bottom <= m.bottom",
            marker,
        )
        assert box, marker.get_attribute("title")
    school = next(m for m in markers if m.get_attribute("title") == "Ved skolen")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", school)
    test_pages.ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(test_pages.ARTIFACTS / "neighborhood-booths-map-phone-da.png"))
    school.click()
    wait_for_text(browser, "#map .leaflet-popup-content", "Løft røret, og sig din mening.")
    popup = browser.find_element(By.CSS_SELECTOR, "#map .leaflet-popup-content")
    assert popup.text.splitlines()[0] == "Ved skolen"
    assert popup.find_element(By.TAG_NAME, "b").get_attribute("lang") == "da"
    places = browser.find_element(By.ID, "places").text  # the list stays beside the map
    assert "Ved Rundhøj Torv" in places and "Ved skolen" in places and "2 telefonbokse" in places
    assert "pedellen" not in browser.page_source
    assert requested(browser) == {site.base_url, tiles}
    fits(browser)
    assert serious_violations(browser, axe_source) == []
