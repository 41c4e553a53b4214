"""The public pages and the planners' console in a real browser (Debian's chromium through
chromium-driver): Danish first with English beside it, approved and redacted messages only,
search, moderation, themes and the fleet, and no serious accessibility fault by axe-core
(fetched from the npm registry). Screenshots are kept in test-artifacts/."""

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from booth.simulate import CallScript
from shared.mqtt import clip_properties
from tests.conftest import BOOTH
from tests.e2e.conftest import simulated_booth, words
from tests.support.broker import Mosquitto
from tests.support.clips import encode_file, meta_for
from tests.support.mqtt import RawBooth
from tests.support.services import start_ingest_process
from tests.support.speech import speak

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def axe_source(tmp_path_factory: pytest.TempPathFactory) -> str:
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is missing (deploy/tools/system-deps.sh installs it)")
    folder = tmp_path_factory.mktemp("npm")
    subprocess.run(
        [
            npm,
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(folder),
            "axe-core@4",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (folder / "node_modules" / "axe-core" / "axe.min.js").read_text()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    driver_path = shutil.which("chromedriver")
    binary = shutil.which("chromium")
    if driver_path is None or binary is None:
        pytest.fail("chromium and chromium-driver are missing (deploy/tools/system-deps.sh)")
    options = Options()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def serious_violations(driver: webdriver.Chrome, axe: str) -> list[str]:
    driver.execute_script(axe)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then((r) => done(JSON.stringify([r.passes.length, r.violations])));"
    )
    passes, violations = json.loads(result)
    assert passes > 10  # axe ran its rules on the page
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def wait_for_text(driver: webdriver.Chrome, selector: str, text: str) -> None:
    """Until `text` shows in `selector` (30 s: this 2-core machine runs the browser beside
    the broker, ingest and Whisper); on timeout, says what was shown instead."""
    try:
        WebDriverWait(driver, 30, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d: text in d.find_element(By.CSS_SELECTOR, selector).text
        )
    except TimeoutException:
        shown = [e.text for e in driver.find_elements(By.CSS_SELECTOR, selector)]
        raise AssertionError(f"{text!r} not in {selector}: {shown}") from None


def test_the_public_page_in_danish_and_english(
    broker: Mosquitto, tmp_path: Path, browser: webdriver.Chrome, axe_source: str
) -> None:
    ingest = start_ingest_process(broker.url("ingest"), BOOTH, tmp_path / "ingest")
    try:
        said = {
            "approved": "Please call me on 23 45 67 89 about the new playground",
            "pending": "The secret plan is to paint the bridge purple",
        }
        ids = {}
        with RawBooth(broker.url(BOOTH), BOOTH) as booth:
            for name, text in said.items():
                payload, ms = encode_file(speak(text, tmp_path / f"{name}.wav"))
                # Spooled since yesterday: messages received count on the public page from
                # the day after (a count rising as calls come in would time them).
                yesterday = datetime.now(UTC) - timedelta(days=1)
                meta = meta_for(payload, BOOTH, ms, recorded_at=yesterday)
                booth.publish(payload, clip_properties(meta))
                assert booth.next_ack().status == "stored"
                ids[name] = str(meta.clip_id)
                # One at a time: a batch is encoded as wide as its longest clip, so what
                # Whisper hears in a clip can depend on what it was batched with.
                assert ingest.wait_for_clip(ids[name])["status"] == "transcribed"
        approved = httpx.post(
            f"{ingest.base_url}/api/clips/{ids['approved']}/moderation",
            json={"action": "approve"},
            headers=ingest.headers,
        )
        assert approved.status_code == 200
        reviewed = httpx.get(
            f"{ingest.base_url}/api/clips/{ids['approved']}/review", headers=ingest.headers
        ).json()
        assert "[telefon]" in reviewed["published_text"], reviewed  # says what Whisper heard
        # A planner writes what the city did with what was said.
        theme = {
            "slug": "parks",
            "title": "Parker",
            "question": "Hvad skal der ske i parken?",
            "we_did": "Vi bygger en ny legeplads i Gellerupparken til foråret.",
        }
        made = httpx.post(f"{ingest.base_url}/api/themes", json=theme, headers=ingest.headers)
        assert made.status_code == 201, made.text

        browser.get(f"{ingest.base_url}/")
        wait_for_text(browser, "#quotes", "playground")
        ARTIFACTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "public-da.png"))
        page = browser.find_element(By.TAG_NAME, "body").text
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "da"
        assert "Offentliggjorte beskeder" in page and "Beskeder pr. bydel og tema" in page
        assert reviewed["published_text"] in page  # the redacted text, not the transcript
        assert reviewed["raw"] not in page
        assert "purple" not in page  # not moderated yet: not public
        row = browser.find_element(By.CSS_SELECTOR, "#counts-table tbody tr").text
        assert row.split()[-2:] == ["2", "1"]  # received, published: numbers beside the bars
        week = browser.find_element(By.CSS_SELECTOR, "#trend-table tbody tr").text
        assert week.startswith("uge ") and week.split()[-2:] == ["2", "1"]  # the trend's numbers
        chart = browser.find_element(By.ID, "trend-img")  # drawn on the server, shown here
        WebDriverWait(browser, 10).until(lambda _: chart.get_attribute("naturalWidth") != "0")
        svg = httpx.get(f"{ingest.base_url}/public/charts/weeks.svg").text
        assert f"uge {week.split()[1].rstrip(',')}" in svg  # the same week as the table
        assert "playground" in browser.find_element(By.ID, "words").text
        did = browser.find_element(By.ID, "did-section").text
        assert "Det sagde I — det gjorde vi" in did and "ny legeplads" in did
        feeds = browser.find_element(By.ID, "feeds").find_elements(By.TAG_NAME, "a")
        assert {a.get_attribute("href").split("/public/")[1] for a in feeds} == {
            "feeds/neighborhood/gellerup.atom",
            "feeds/theme/parks.atom",
        }
        assert serious_violations(browser, axe_source) == []

        box = browser.find_element(By.ID, "q")
        box.send_keys("purple")
        box.submit()
        wait_for_text(browser, "#quotes", "Ingen beskeder med de ord.")
        box.clear()
        box.send_keys("playgrounds")  # another form of the word
        box.submit()
        wait_for_text(browser, "#quotes", "playground")

        browser.find_element(By.ID, "language").click()
        wait_for_text(browser, "#h-messages", "Published messages")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
        browser.refresh()  # the choice is kept
        wait_for_text(browser, "#quotes", "playground")
        assert browser.find_element(By.ID, "h-messages").text == "Published messages"
        browser.save_screenshot(str(ARTIFACTS / "public-en.png"))
        assert serious_violations(browser, axe_source) == []

        # A page per theme and per neighborhood, reached from the table's links.
        browser.find_element(By.LINK_TEXT, "Parker").click()  # the theme's name
        wait_for_text(browser, "#scope-name", "Parker — Hvad skal der ske i parken?")
        assert browser.current_url.endswith("/?tema=parks")
        wait_for_text(browser, "#quotes", "playground")
        assert "ny legeplads" in browser.find_element(By.ID, "did-section").text
        assert serious_violations(browser, axe_source) == []
        browser.get(f"{ingest.base_url}/?bydel=gellerup")  # its booths and where they stand
        wait_for_text(browser, "#places", "1 phone booth")
        assert serious_violations(browser, axe_source) == []
        browser.get(f"{ingest.base_url}/?bydel=viby")  # no such neighborhood: a Danish 404
        assert browser.find_element(By.TAG_NAME, "h1").text == "Bydelen »viby« findes ikke"
    finally:
        ingest.stop()


def test_a_planner_moderates_answers_and_watches_the_fleet_in_the_console(
    broker: Mosquitto, tmp_path: Path, browser: webdriver.Chrome, axe_source: str
) -> None:
    ingest = start_ingest_process(broker.url("ingest"), BOOTH, tmp_path / "ingest")
    api = httpx.Client(base_url=ingest.base_url, headers=ingest.headers, timeout=10)
    theme = {"slug": "parks", "title": "Parker", "question": "Hvad skal der ske i parken?"}
    assert api.post("/api/themes", json=theme).status_code == 201
    token = ingest.headers["Authorization"].removeprefix("Bearer ")
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with simulated_booth(broker, tmp_path) as booth:
            booth.settle_in()
            said = "Call me on 23 45 67 89 about the benches in the park"
            booth.place_call(CallScript(words(speak(said, tmp_path / "call.wav"))))
            assert booth.uplink.wait_until_empty(30)
            (clip,) = api.get("/api/clips").json()["items"]
            assert ingest.wait_for_clip(clip["id"])["status"] == "transcribed"

            # Signing in: the token leaves the address bar and lives in this tab only.
            browser.get(f"{ingest.base_url}/planner#token={token}")
            assert "token" not in browser.current_url
            assert browser.execute_script("return sessionStorage.getItem('dn-token')") == token
            assert browser.execute_script("return localStorage.getItem('dn-token')") is None
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "da"

            # The queue: the pending message, its phone number marked and hidden in what
            # will be published, the recording to listen to.
            wait_for_text(browser, "#will-publish", "[telefon]")
            # Whisper's spelling of the number varies with the CPU ("23456789", "234567A to"):
            # the mark must start where the number does, and none of it may be published.
            marked = browser.find_element(By.CSS_SELECTOR, "#raw mark").text
            assert re.sub(r"\D", "", marked).startswith("2345"), marked
            published = re.sub(r"\D", "", browser.find_element(By.ID, "will-publish").text)
            assert "2345" not in published and "4567" not in published, published
            player = browser.find_element(By.ID, "player")
            WebDriverWait(browser, 10).until(lambda _: player.get_attribute("src"))
            browser.save_screenshot(str(ARTIFACTS / "console-queue-da.png"))
            assert serious_violations(browser, axe_source) == []

            # A correction: history keeps both versions; the hiding is found anew.
            area = browser.find_element(By.CSS_SELECTOR, "#correction textarea")
            area.clear()
            area.send_keys("Ring til mig på 23 45 67 89 om bænkene i parken.")
            browser.find_element(By.CSS_SELECTOR, "#correction button").click()
            wait_for_text(browser, "#will-publish", "bænkene")
            assert "[telefon]" in browser.find_element(By.ID, "will-publish").text
            WebDriverWait(browser, 10).until(
                lambda d: len(d.find_elements(By.CSS_SELECTOR, "#history li")) == 2
            )
            # Approved with the keyboard: the queue of pending messages is then empty.
            browser.find_element(By.CSS_SELECTOR, "#queue button").click()
            browser.find_element(By.TAG_NAME, "body").send_keys("a")
            wait_for_text(browser, "#item", "Ingen beskeder her.")
            assert api.get(f"/api/clips/{clip['id']}").json()["moderation"] == "approved"

            # The theme editor: what the city did.
            browser.find_element(By.CSS_SELECTOR, "[data-view=themes]").click()
            wait_for_text(browser, "#themes-table", "Parker")
            browser.find_element(By.CSS_SELECTOR, "#themes-table tbody button").click()
            note = "Vi sætter nye bænke op i parken til foråret."
            browser.find_element(By.NAME, "we_did").send_keys(note)
            browser.find_element(By.CSS_SELECTOR, "#theme-form button:not([type])").click()
            wait_for_text(browser, "#notice", "Gemt.")
            assert api.get("/api/themes").json()[0]["we_did"] == note
            # The spoken question: uploaded, sent to the booths, playable in the console.
            question = speak("Hvad skal der ske i parken?", tmp_path / "q.wav", voice="da")
            browser.find_element(By.NAME, "audio").send_keys(str(question))
            browser.find_element(By.CSS_SELECTOR, "#prompt-form button").click()
            wait_for_text(browser, "#notice", "Spørgsmålet er sendt til boksene.")
            digest = api.get("/api/themes").json()[0]["prompt_sha256"]
            player = browser.find_element(By.ID, "prompt-player")
            assert digest and player.get_attribute("src").endswith(f"/prompts/{digest}.wav")
            duration = browser.execute_script(
                "const p = document.getElementById('prompt-player'); p.load();"
                "return new Promise((done) => p.addEventListener('loadedmetadata',"
                " () => done(p.duration), { once: true }));"
            )
            assert 1.0 < duration < 5.0  # the browser can play it

            # The fleet: the booth is online while it runs.
            browser.find_element(By.CSS_SELECTOR, "[data-view=fleet]").click()
            wait_for_text(browser, "#fleet-table", "online")
            browser.save_screenshot(str(ARTIFACTS / "console-fleet-da.png"))
            assert serious_violations(browser, axe_source) == []

            # A technician sees the fleet only: the booth online and when its last message
            # arrived (the test call), never what was said.
            admin = ingest.headers
            technician = ingest.create_token("technician", "tekniker")
            ingest.headers = admin
            browser.get("about:blank")
            browser.get(f"{ingest.base_url}/planner#token={technician}")
            row = f"#fleet-table tr[data-booth='{BOOTH}']"
            wait_for_text(browser, row, "online")
            shown = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#tabs button")]
            assert [text for text in shown if text] == ["Flåde"]
            assert browser.find_element(By.TAG_NAME, "h1").text == "Boksene, for teknikere"
            received = browser.find_elements(By.CSS_SELECTOR, f"{row} td")[5].text
            assert re.search(r"\d", received), received  # the test call's arrival
            page = browser.find_element(By.TAG_NAME, "body").text
            assert "bænkene" not in page and "Parker" not in page
            browser.save_screenshot(str(ARTIFACTS / "console-technician-da.png"))
            assert serious_violations(browser, axe_source) == []
        # ... and offline once it stops, without reloading the page.
        wait_for_text(browser, f"#fleet-table tr[data-booth='{BOOTH}']", "offline")

        # The public theme page: the corrected, redacted quote and the note, in Danish.
        browser.get(f"{ingest.base_url}/?tema=parks")
        wait_for_text(browser, "#quotes", "bænkene")
        page = browser.find_element(By.TAG_NAME, "body").text
        assert "Ring til mig på [telefon] om bænkene i parken." in page
        assert "23 45" not in page
        assert note in browser.find_element(By.ID, "did-section").text
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "da"
        browser.save_screenshot(str(ARTIFACTS / "public-theme-da.png"))
        # On a phone (390 px, as an iPhone 14): nothing wider than the screen.
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
        )
        for path in ("/?tema=parks", "/planner"):
            browser.get(f"{ingest.base_url}{path}")
            wait_for_text(browser, "h1", "")
            width = browser.execute_script(
                "return [window.innerWidth, document.documentElement.scrollWidth]"
            )
            assert width == [390, 390], path
            assert serious_violations(browser, axe_source) == []
        browser.save_screenshot(str(ARTIFACTS / "console-phone-da.png"))
    finally:
        api.close()
        ingest.stop()
