"""A planner's theme reaches a running booth without a restart: config, prompt and all."""

from pathlib import Path

import httpx
import numpy as np
import pytest

from booth.call import Phase
from booth.simulate import CallScript
from booth.sounds import load
from tests.conftest import BOOTH
from tests.e2e.conftest import simulated_booth, words
from tests.support.broker import Mosquitto
from tests.support.mqtt import RawBooth
from tests.support.services import start_ingest_process
from tests.support.speech import speak
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow


def test_a_new_theme_reaches_a_running_booth(
    broker: Mosquitto, tmp_path: Path, speech_wav: Path
) -> None:
    ingest = start_ingest_process(broker.url("ingest"), BOOTH, tmp_path / "ingest", "planner")
    api = httpx.Client(base_url=ingest.base_url, headers=ingest.headers, timeout=10)
    try:
        with simulated_booth(broker, tmp_path, theme="general") as booth:
            assert booth.uplink.connected.wait(10)
            assert booth.agent.config is None  # running on its local settings

            prompt = speak("What should the harbour become?", tmp_path / "q.wav")
            for slug, digit in (("harbour", "3"), ("buses", "4")):
                theme = {
                    "slug": slug,
                    "title": slug.title(),
                    "question": "?",
                    "digit": digit,
                    "neighborhoods": ["gellerup"],
                }
                assert api.post("/api/themes", json=theme).status_code == 201
            uploaded = api.put(
                "/api/themes/harbour/prompt",
                content=prompt.read_bytes(),
                headers={"Content-Type": "audio/wav"},
            )
            assert uploaded.status_code == 200, uploaded.text

            wait_until(
                lambda: (
                    booth.agent.config is not None
                    and booth.agent.config.themes[0].prompt_sha256 is not None
                )
            )
            config = booth.agent.config
            assert config is not None
            assert [(t.slug, t.digit) for t in config.themes] == [("harbour", "3"), ("buses", "4")]
            assert config.version >= 2  # one version per change that touched this booth

            booth.place_call(CallScript(words(speech_wav), digit="3"))
            assert booth.uplink.wait_until_empty(30)
            (clip,) = booth.agent.processor.recent
            played_prompt = booth.memory_audio.played[2]

            # A bad config (default theme missing) is refused; the booth keeps the good one.
            with RawBooth(broker.url("ingest"), "ingest", client_id="planner-tool") as tool:
                tool.client.publish(
                    f"dn/v1/booths/{BOOTH}/config",
                    b'{"version": 99, "neighborhood": "gellerup", "themes": [], '
                    b'"default_theme": "x"}',
                    qos=1,
                    retain=False,
                ).wait_for_publish(5)
            assert wait_until(lambda: booth.agent.last_error is not None)
            assert booth.agent.config is not None and booth.agent.config.version == config.version
            assert wait_until(
                lambda: (api.get("/api/booths").json()[0]["status"] or {}).get("last_error")
            )
            fleet = api.get("/api/booths").json()[0]
    finally:
        api.close()
        ingest.stop()

    assert (clip.theme, clip.config_version) == ("harbour", config.version)
    assert np.array_equal(
        played_prompt, load(booth.agent.config_cache.prompt_path(harbour_prompt(booth)))
    )
    assert len(played_prompt) > 16000  # the spoken question, not the fallback tone
    assert fleet["id"] == BOOTH and fleet["state"] == "idle"
    assert "invalid config" in fleet["status"]["last_error"]
    assert booth.agent.call.phase is Phase.IDLE


def harbour_prompt(booth: object) -> str:
    config = booth.agent.config  # type: ignore[attr-defined]
    (digest,) = [t.prompt_sha256 for t in config.themes if t.slug == "harbour"]
    assert digest is not None
    return str(digest)
