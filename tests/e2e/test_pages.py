"""The public page in a real headless Chromium: approved, redacted messages only."""

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.conftest import BOOTH
from tests.support.broker import Mosquitto
from tests.support.clips import encode_file, meta_for
from tests.support.mqtt import RawBooth
from tests.support.services import start_ingest_process
from tests.support.speech import speak

pytestmark = pytest.mark.slow

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=5000",
]


def rendered(url: str, profile: Path) -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.fail("chromium is not installed (deploy/tools/system-deps.sh installs it)")
    done = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout


def test_the_public_page_shows_only_approved_redacted_messages(
    broker: Mosquitto, tmp_path: Path
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
                meta = meta_for(payload, BOOTH, ms)
                booth.publish(payload, meta.to_properties())
                assert booth.next_ack().status == "stored"
                ids[name] = str(meta.clip_id)
        for clip_id in ids.values():
            assert ingest.wait_for_clip(clip_id)["status"] == "transcribed"
        approved = httpx.post(
            f"{ingest.base_url}/api/clips/{ids['approved']}/moderation",
            json={"action": "approve"},
            headers=ingest.headers,
        )
        assert approved.status_code == 200
        page = rendered(f"{ingest.base_url}/", tmp_path / "chromium")
    finally:
        ingest.stop()
    assert "playground" in page  # the approved message, rendered by the page's script
    assert "[telefon]" in page and "23 45" not in page and "23456789" not in page
    assert "purple" not in page  # not moderated yet: not public
    assert "2 received (1 published)" in page  # the counts
