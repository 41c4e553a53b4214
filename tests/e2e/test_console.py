"""The planners' console in a real browser (Debian's chromium through chromium-driver) against
a real ingest API: a moderator's correction is never silently undone, a stale edit shows both
texts to choose from, the last action can be undone, a selection approved at once, and each
role sees what it may do. The API runs in this process (no broker, no Whisper: the clips are
stored through intake and given the texts a transcription would)."""

import base64
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from ingest.http.app import create_app
from ingest.receive.intake import InboundClip
from ingest.roles import Role
from ingest.settings import IngestSettings
from ingest.store.models import Booth, Clip, Segment, TranscriptVersion
from shared.topics import Channel, Topics
from tests.conftest import BOOTH
from tests.e2e import test_pages as pages
from tests.e2e.test_neighborhood_page import fits, phone
from tests.integration.conftest import Api, register
from tests.support.broker import free_port
from tests.support.clips import meta_for
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

browser = pages.browser
axe_source = pages.axe_source
serious_violations = pages.serious_violations


def wait_for_text(driver: webdriver.Chrome, selector: str, text: str) -> None:
    """As the pages' tests wait, saying on a timeout what the console said and logged."""
    try:
        pages.wait_for_text(driver, selector, text)
    except AssertionError as failed:
        said = {n: [e.text for e in driver.find_elements(By.ID, n)] for n in ("error", "notice")}
        logged = [entry["message"] for entry in driver.get_log("browser")]
        raise AssertionError(f"{failed}; console said {said}; logged {logged}") from None


WHISPER = "vi skal have flere baenke i parken ved skolen"
CORRECTED = "Vi skal have flere bænke i parken ved skolen."


class Console:
    """The API on a real port, and the same app's service for setting the scene."""

    def __init__(self, api: Api, base_url: str) -> None:
        self.api = api
        self.base_url = base_url

    def transcribed(self, text: str = WHISPER) -> str:
        """A clip as the worker leaves it: its text, its segments and the model's version."""
        clip_id = self.api.add_clip(text, language="da")
        with self.api.service.sessions.begin() as session:
            clip = session.get(Clip, clip_id)
            assert clip is not None
            clip.segments = [Segment(idx=0, start_s=0.0, end_s=3.0, text=f" {text}")]
            session.add(
                TranscriptVersion(
                    clip_id=clip_id,
                    source="model",
                    model="small",
                    text=text,
                    language="da",
                    created_at=datetime.now(UTC),
                )
            )
        return clip_id

    def write(self, method: str, path: str, body: dict[str, object]) -> dict[str, object]:
        response = self.api.client.request(
            method, path, json=body, headers=self.api.as_(Role.MODERATOR)
        )
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def clip(self, clip_id: str) -> dict[str, object]:
        return self.api.get(f"/api/clips/{clip_id}", Role.MODERATOR)  # type: ignore[no-any-return]

    def public_texts(self) -> list[str]:
        return [item["text"] for item in self.api.get("/public/clips", None)["items"]]

    def sign_in(self, driver: webdriver.Chrome, role: Role) -> None:
        driver.get("about:blank")
        driver.get(f"{self.base_url}/planner#token={self.api.tokens[role]}")


@pytest.fixture
def console(tmp_path: Path, speech_wav: Path) -> Iterator[Console]:
    app = create_app(IngestSettings(data_dir=tmp_path / "ingest"), receive=False, transcribe=False)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert wait_until(lambda: server.started, 30)
    register(app.state.service, BOOTH)
    # Requests through the TestClient reach the same app and service, without a 2nd start.
    yield Console(Api(TestClient(app), app.state.service, speech_wav), f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(10)


def box_text(driver: webdriver.Chrome) -> str:
    area = driver.find_element(By.CSS_SELECTOR, "#correction textarea")
    return str(area.get_attribute("value"))


def test_saving_an_unedited_correction_keeps_the_message_public(
    console: Console, browser: webdriver.Chrome, axe_source: str
) -> None:
    clip_id = console.transcribed()
    console.write("PUT", f"/api/clips/{clip_id}/transcript", {"text": CORRECTED})
    console.write("POST", f"/api/clips/{clip_id}/moderation", {"action": "approve"})
    assert console.public_texts() == [CORRECTED]

    console.sign_in(browser, Role.MODERATOR)
    wait_for_text(browser, "#will-publish", "bænke")  # nothing pending: the latest is open
    WebDriverWait(browser, 10).until(lambda d: box_text(d) == CORRECTED)  # not Whisper's
    browser.find_element(By.CSS_SELECTOR, "#correction button").click()
    wait_for_text(browser, "#notice", "Teksten er uændret")
    assert console.public_texts() == [CORRECTED]
    assert console.clip(clip_id)["moderation"] == "approved"
    history = console.api.get(f"/api/clips/{clip_id}/history", Role.MODERATOR)
    assert [v["source"] for v in history] == ["model", "correction"]
    assert serious_violations(browser, axe_source) == []


_SELECT_IN_RAW = """
const wanted = arguments[0];
const walker = document.createTreeWalker(document.getElementById("raw"), NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const at = node.textContent.indexOf(wanted);
  if (at < 0) continue;
  const range = document.createRange();
  range.setStart(node, at);
  range.setEnd(node, at + wanted.length);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  return true;
}
return false;
"""


def test_a_moderator_hides_a_licence_plate_the_rules_left(
    console: Console, browser: webdriver.Chrome
) -> None:
    said = "Bilen CX 41 228 holder på stien, og den røde bil fra nummer 3 har AB 12 9 87."
    clip_id = console.transcribed(said)
    console.sign_in(browser, Role.MODERATOR)
    # The rules hide a plate of the usual shape; one said in odd groups is left to the eye.
    wait_for_text(browser, "#will-publish", "Bilen [nummerplade] holder")
    Select(browser.find_element(By.CSS_SELECTOR, "#review select")).select_by_visible_text(
        "nummerplade"
    )
    assert browser.execute_script(_SELECT_IN_RAW, "AB 12 9 87")  # as if dragged over
    browser.find_element(By.XPATH, "//button[text()='Skjul markeret tekst']").click()
    wait_for_text(browser, "#will-publish", "nummer 3 har [nummerplade].")
    review = console.api.get(f"/api/clips/{clip_id}/review", Role.MODERATOR)
    assert [(s["kind"], s["text"]) for s in review["spans"]] == [
        ("plate", "CX 41 228"),
        ("plate", "AB 12 9 87"),
    ]


def test_a_stale_correction_shows_both_texts_and_the_moderator_chooses(
    console: Console, browser: webdriver.Chrome, axe_source: str
) -> None:
    clip_id = console.transcribed()
    console.sign_in(browser, Role.MODERATOR)
    WebDriverWait(browser, 30).until(lambda d: box_text(d) == WHISPER)
    # Someone else corrects the message while it is open here.
    theirs = "Vi skal have flere bænke i parken."
    console.write("PUT", f"/api/clips/{clip_id}/transcript", {"text": theirs})
    area = browser.find_element(By.CSS_SELECTOR, "#correction textarea")
    area.clear()
    area.send_keys(CORRECTED)
    browser.find_element(By.CSS_SELECTOR, "#correction button").click()
    wait_for_text(browser, "#conflict", "En anden har ændret beskeden")
    assert browser.find_element(By.ID, "conflict-mine").text == CORRECTED
    assert browser.find_element(By.ID, "conflict-saved").text == theirs
    assert console.clip(clip_id)["text"] == theirs  # nothing overwritten behind their back
    assert serious_violations(browser, axe_source) == []
    # On a phone (390 px) the two texts stack, and nothing is wider than the screen.
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )
    width = browser.execute_script("return [innerWidth, document.documentElement.scrollWidth]")
    assert width == [390, 390]
    mine, saved = (browser.find_element(By.ID, i).rect for i in ("conflict-mine", "conflict-saved"))
    assert saved["y"] > mine["y"] + mine["height"] - 1
    assert serious_violations(browser, axe_source) == []
    browser.find_element(By.ID, "keep-mine").click()
    wait_for_text(browser, "#notice", "Gemt.")
    assert console.api.get(f"/api/clips/{clip_id}/review", Role.MODERATOR)["raw"] == CORRECTED
    history = console.api.get(f"/api/clips/{clip_id}/history", Role.MODERATOR)
    assert [v["text"] for v in history] == [WHISPER, theirs, CORRECTED]


def test_undo_bulk_counts_and_what_each_role_sees(
    console: Console, browser: webdriver.Chrome, axe_source: str
) -> None:
    ids = [console.transcribed(f"{WHISPER} {n}") for n in range(3)]
    console.sign_in(browser, Role.MODERATOR)
    wait_for_text(browser, "#queue-counts", "Afventer: 3")
    wait_for_text(browser, "#will-publish", "skolen 0")
    # Hidden with a reason, then undone within the ten seconds.
    browser.find_element(By.ID, "hide-reason").send_keys("reklame")
    browser.find_element(By.CSS_SELECTOR, "[data-action=hide]").click()
    wait_for_text(browser, "#undo-bar", "Skjult: 1 besked.")
    assert console.clip(ids[0])["moderation"] == "hidden"
    trail = console.api.get("/api/audit", Role.ADMIN, clip_id=ids[0])
    assert trail[0]["detail"]["reason"] == "reklame"
    browser.find_element(By.ID, "undo").click()
    wait_for_text(browser, "#notice", "Fortrudt.")
    assert console.clip(ids[0])["moderation"] == "pending"
    # Sent for correction with the keyboard: counted apart.
    wait_for_text(browser, "#queue-counts", "Afventer: 3")
    browser.find_element(By.CSS_SELECTOR, "#queue li button").click()
    browser.find_element(By.TAG_NAME, "body").send_keys("r")
    wait_for_text(browser, "#queue-counts", "Skal rettes: 1")
    assert console.clip(ids[0])["moderation"] == "needs_correction"
    # The other two approved at once.
    wait_for_text(browser, "#queue", "skolen 2")
    browser.find_element(By.ID, "select-all").click()
    browser.find_element(By.ID, "bulk-approve").click()
    wait_for_text(browser, "#undo-bar", "Godkendt: 2 beskeder.")
    assert sorted(console.public_texts()) == [f"{WHISPER} 1", f"{WHISPER} 2"]
    assert serious_violations(browser, axe_source) == []
    tabs = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#tabs button")]
    assert [tab for tab in tabs if tab] == ["Moderering", "Flåde", "Statistik", "Rapport"]

    # A planner reads and listens: no actions, no correction box, and a refusal would be
    # in the console's language.
    console.sign_in(browser, Role.PLANNER)
    wait_for_text(browser, "#item", "Din rolle kan læse og lytte")
    assert browser.find_elements(By.CSS_SELECTOR, "#correction, [data-action]") == []
    assert not browser.find_element(By.ID, "bulk").is_displayed()
    browser.find_element(By.ID, "language").click()
    wait_for_text(browser, "#item", "Your role may read and listen")
    refused = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"send('/api/clips/{ids[0]}/transcript', 'PUT', {{ text: 'x' }})"
        ".catch((e) => { showError(e); done(document.getElementById('error').textContent); });"
    )
    assert refused == "Your role may not do this."
    assert serious_violations(browser, axe_source) == []


def test_the_fleet_shows_offline_since_and_the_newest_refusal(
    console: Console, browser: webdriver.Chrome, axe_source: str
) -> None:
    api = console.api
    meta = meta_for(api.payload, BOOTH, api.ms, neighborhood="trige")  # registered: gellerup
    topic = Topics().booth(BOOTH, Channel.CLIPS)
    ack = api.service.intake.accept(InboundClip(topic, api.payload, meta.to_dict()))
    assert ack.reason == "neighborhood_mismatch"
    gone = datetime(2026, 3, 2, 8, 15, tzinfo=UTC)
    with api.service.sessions.begin() as session:
        booth = session.get(Booth, BOOTH)
        assert booth is not None
        booth.status, booth.last_seen_at = {"state": "offline"}, gone  # as the last will leaves it
    console.sign_in(browser, Role.TECHNICIAN)
    row = f"#fleet-table tr[data-booth='{BOOTH}']"
    wait_for_text(browser, row, "offline siden 2.3.2026")
    cells = [c.text for c in browser.find_elements(By.CSS_SELECTOR, f"{row} td")]
    assert cells[-1].startswith("1 · senest ") and cells[-1].endswith("neighborhood_mismatch")
    assert cells[-2].startswith("2.3.2026")
    assert serious_violations(browser, axe_source) == []


def test_a_report_for_the_council_prints_the_chosen_quotes(
    console: Console, browser: webdriver.Chrome, axe_source: str
) -> None:
    api = console.api
    theme = {"slug": "parks", "title": "Grønne områder", "question": "Hvad skal der ske i parken?"}
    theme["we_did"] = "Vi planter 40 træer i Gellerupparken."
    made = api.client.post("/api/themes", json=theme, headers=api.as_(Role.PLANNER))
    assert made.status_code == 201, made.text
    said = ["Flere træer ved skolen", "En bænk ved søen", "Mere lys på stien"]
    ids = [console.transcribed(text) for text in said]
    for clip_id in ids:
        console.write("POST", f"/api/clips/{clip_id}/moderation", {"action": "approve"})
    # The theme's timeline, the later step written first.
    for step in (
        {"stage": "besluttet", "happened_on": "2026-10-05", "neighborhood": "gellerup",
         "text": "Byrådet har bevilget træerne."},
        {"stage": "modtaget", "happened_on": "2026-09-14", "text": "Vi har læst jeres ønsker."},
    ):  # fmt: skip
        added = api.client.post("/api/themes/parks/steps", json=step, headers=api.as_(Role.PLANNER))
        assert added.status_code == 201, added.text
    console.sign_in(browser, Role.PLANNER)
    # A refusal in the console's language: the theme exists already.
    wait_for_text(browser, "#tabs", "Temaer")
    browser.find_element(By.CSS_SELECTOR, "[data-view=themes]").click()
    wait_for_text(browser, "#themes-table", "Grønne områder")
    form = browser.find_element(By.ID, "theme-form")
    for name, value in (("slug", "parks"), ("title", "Parker"), ("question", "Hvad nu?")):
        form.find_element(By.NAME, name).send_keys(value)
    form.find_element(By.CSS_SELECTOR, "button:not([type])").click()
    wait_for_text(browser, "#error", "Der findes allerede et tema med det korte navn.")
    browser.find_element(By.CSS_SELECTOR, "[data-view=report]").click()
    wait_for_text(browser, "#report-form select", "Grønne områder")
    browser.find_element(By.CSS_SELECTOR, "#report-form button:not([type])").click()
    wait_for_text(browser, "#report", "Det sagde borgerne: Grønne områder")
    report = browser.find_element(By.ID, "report").text
    assert "gellerup 3" in report  # per neighborhood, with the number beside the bar
    assert "Vi planter 40 træer" in report
    # Its timeline, oldest first, each step with its stage, Danish date and neighborhood.
    timeline = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#report .timeline li")]
    assert timeline == [
        "Modtaget · 14. september 2026 · Hele byen: Vi har læst jeres ønsker.",
        "Besluttet · 5. oktober 2026 · gellerup: Byrådet har bevilget træerne.",
    ]
    words = report.split("Mest brugte ord")[1].splitlines()[1]
    assert "træer (1)" in words and "skolen (1)" in words, words
    # One quote chosen: on paper only it, and nothing of the console around the report.
    quote = browser.find_elements(By.CSS_SELECTOR, "#report .quotes li")
    assert len(quote) == 3
    quote[1].find_element(By.TAG_NAME, "input").click()
    chosen = quote[1].find_element(By.TAG_NAME, "blockquote").text
    assert serious_violations(browser, axe_source) == []
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    shown = [li.text for li in quote if li.is_displayed()]
    assert [text.splitlines()[0] for text in shown] == [chosen]
    for hidden in ("header", "#tabs", "#report-form"):
        assert not browser.find_element(By.CSS_SELECTOR, hidden).is_displayed(), hidden
    assert browser.find_element(By.ID, "report").is_displayed()
    printed = browser.find_elements(By.CSS_SELECTOR, "#report .timeline li")
    assert [li.is_displayed() for li in printed] == [True, True]  # the timeline on paper
    pdf = base64.b64decode(browser.print_page())
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def add_step(
    driver: webdriver.Chrome, stage: str, day: str, place: str, text: str, quote: str
) -> None:
    form = driver.find_element(By.ID, "step-form")
    Select(form.find_element(By.NAME, "stage")).select_by_value(stage)
    # A date field types in the browser's own order: its value is set as the form sends it.
    day_field = form.find_element(By.NAME, "happened_on")
    driver.execute_script("arguments[0].value = arguments[1]", day_field, day)
    Select(form.find_element(By.NAME, "neighborhood")).select_by_value(place)
    form.find_element(By.NAME, "text").send_keys(text)
    form.find_element(By.NAME, "clip_ids").send_keys(quote)
    form.find_element(By.CSS_SELECTOR, "button:not([type])").click()
    wait_for_text(driver, "#steps-list", text)


def theme_with_a_published_message(console: Console) -> str:
    """The parks theme ("Grønne områder") and one approved message in it; its id."""
    api = console.api
    theme = {"slug": "parks", "title": "Grønne områder", "question": "Hvad skal der ske i parken?"}
    made = api.client.post("/api/themes", json=theme, headers=api.as_(Role.PLANNER))
    assert made.status_code == 201, made.text
    said = console.transcribed("Vi mangler bænke ved skolen")
    console.write("POST", f"/api/clips/{said}/moderation", {"action": "approve"})
    return said


def test_a_planner_writes_the_timeline_and_a_citizen_reads_it_on_a_phone(
    console: Console, browser: webdriver.Chrome, axe_source: str
) -> None:
    api = console.api
    planner = api.as_(Role.PLANNER)
    said = theme_with_a_published_message(console)
    named = api.client.put(
        "/api/neighborhoods/gellerup", json={"name": "Gellerup"}, headers=planner
    )
    assert named.status_code == 200, named.text

    console.sign_in(browser, Role.PLANNER)
    wait_for_text(browser, "#tabs", "Temaer")
    browser.find_element(By.CSS_SELECTOR, "[data-view=themes]").click()
    wait_for_text(browser, "#themes-table", "Grønne områder")
    browser.find_element(By.CSS_SELECTOR, "#themes-table button").click()
    wait_for_text(browser, "#steps-list", "Ingen trin endnu.")
    # The later step first: the page orders them by their day, not by when they were written.
    done = "Bænkene er sat op ved skolen."
    add_step(browser, "udført", "2026-12-03", "gellerup", done, said)
    received = "Vi har læst jeres ønsker om bænke."
    add_step(browser, "modtaget", "2026-11-03", "", received, "")
    wait_for_text(browser, "#notice", "Trinnet er tilføjet.")
    assert serious_violations(browser, axe_source) == []

    phone(browser)
    browser.get(f"{console.base_url}/?bydel=gellerup")
    wait_for_text(browser, ".theme-block ol.steps", "Udført")
    steps = [li.text for li in browser.find_elements(By.CSS_SELECTOR, ".theme-block ol.steps > li")]
    assert len(steps) == 2, steps
    assert steps[0].startswith(f"Modtaget · 3. november 2026 · hele byen\n{received}"), steps[0]
    assert steps[1].startswith(f"Udført · 3. december 2026 · Gellerup\n{done}"), steps[1]
    assert "Vi mangler bænke ved skolen" in steps[1]  # the message it answers, as published
    fits(browser)
    assert serious_violations(browser, axe_source) == []


def test_a_planner_edits_a_step_in_place(
    console: Console, browser: webdriver.Chrome, axe_source: str
) -> None:
    api = console.api
    planner = api.as_(Role.PLANNER)
    said = theme_with_a_published_message(console)
    step = {"stage": "besluttet", "happened_on": "2026-11-20", "neighborhood": "gellerup"}
    step |= {"text": "Bænkene er bestilt.", "clip_ids": [said]}
    made = api.client.post("/api/themes/parks/steps", json=step, headers=planner)
    assert made.status_code == 201, made.text

    console.sign_in(browser, Role.PLANNER)
    wait_for_text(browser, "#tabs", "Temaer")
    browser.find_element(By.CSS_SELECTOR, "[data-view=themes]").click()
    wait_for_text(browser, "#themes-table", "Grønne områder")
    browser.find_element(By.CSS_SELECTOR, "#themes-table button").click()
    wait_for_text(browser, "#steps-list", "Bænkene er bestilt.")
    edit = browser.find_element(By.CSS_SELECTOR, "#steps-list li button[aria-label^='Ret trinnet']")
    assert edit.text == "Ret"
    edit.click()
    form = browser.find_element(By.ID, "step-form")
    filled = {
        name: form.find_element(By.NAME, name).get_attribute("value")
        for name in ("stage", "happened_on", "neighborhood", "text", "clip_ids")
    }
    assert filled == {**step, "clip_ids": said}
    assert form.find_element(By.ID, "step-submit").text == "Gem trinnet"
    assert serious_violations(browser, axe_source) == []
    Select(form.find_element(By.NAME, "stage")).select_by_value("udført")
    browser.execute_script(
        "arguments[0].value = '2026-12-04'", form.find_element(By.NAME, "happened_on")
    )
    text = form.find_element(By.NAME, "text")
    text.clear()
    text.send_keys("Bænkene er sat op ved skolen.")
    form.find_element(By.ID, "step-submit").click()
    wait_for_text(browser, "#notice", "Trinnet er gemt.")
    wait_for_text(browser, "#steps-list", "Bænkene er sat op ved skolen.")
    # Changed in place: still one step, its id kept, the linked message kept.
    (saved,) = api.get("/api/themes/parks/steps", Role.PLANNER)
    assert (saved["id"], saved["stage"], saved["happened_on"]) == (
        made.json()["id"], "udført", "2026-12-04",
    )  # fmt: skip
    assert (saved["text"], saved["neighborhood"], saved["clip_ids"]) == (
        "Bænkene er sat op ved skolen.", "gellerup", [said],
    )  # fmt: skip
    # The form adds again, empty.
    assert form.find_element(By.ID, "step-submit").text == "Tilføj trin"
    assert not form.find_element(By.ID, "step-cancel").is_displayed()
    assert form.find_element(By.NAME, "text").get_attribute("value") == ""
