"""The roles apart, as on several hosts: `ingest api`, `ingest receive` and `ingest
transcribe` as processes with data directories of their own, on one PostgreSQL and an S3
bucket (moto's server mode standing in). A prompt a planner uploads to the API reaches a
running booth through the receiver, which publishes configs, from the database; and a
call's clip is stored by the receiver and transcribed by the worker."""

from hashlib import sha256
from pathlib import Path

import httpx
import pytest

from booth.simulate import CallScript
from tests.conftest import BOOTH
from tests.e2e.conftest import simulated_booth, words
from tests.support.broker import Mosquitto
from tests.support.s3 import CREDENTIALS, moto_s3
from tests.support.services import IngestProcess, run_cli
from tests.support.speech import speak
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow


@pytest.mark.timeout(600)
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_prompt_uploaded_to_the_api_reaches_a_booth_through_another_host(
    broker: Mosquitto, tmp_path: Path, database_url: str | None, speech_wav: Path
) -> None:
    assert database_url is not None
    processes: list[IngestProcess] = []
    with moto_s3("lyd") as endpoint:
        shared = {
            **CREDENTIALS,
            "INGEST_DATABASE_URL": database_url,
            "INGEST_MQTT_URL": broker.url("ingest"),
            "INGEST_AUDIO_STORE": "s3",
            "INGEST_S3_BUCKET": "lyd",
            "INGEST_S3_ENDPOINT_URL": endpoint,
            "INGEST_WHISPER_THREADS": "1",
            "INGEST_CONFIG_CHECK_S": "1",
        }

        def host(role: str) -> dict[str, str]:
            return shared | {"INGEST_DATA_DIR": str(tmp_path / f"{role}-host")}

        assert run_cli("ingest", ["migrate"], host("api")).returncode == 0
        added = run_cli(
            "ingest", ["booth", "add", BOOTH, "--neighborhood", "gellerup"], host("api")
        )
        assert added.returncode == 0, added.stderr
        try:
            for role in ("api", "receive", "transcribe"):
                process = IngestProcess(host(role), tmp_path / f"{role}.log", role)
                if role == "api":
                    process.create_token("planner")
                    api = process
                processes.append(process.start(timeout=120))
            client = httpx.Client(base_url=api.base_url, headers=api.headers, timeout=10)
            with simulated_booth(broker, tmp_path, theme="general") as booth:
                assert booth.uplink.connected.wait(10)
                theme = {
                    "slug": "harbour",
                    "title": "Harbour",
                    "question": "?",
                    "digit": "3",
                    "neighborhoods": ["gellerup"],
                }
                assert client.post("/api/themes", json=theme).status_code == 201
                prompt = speak("What should the harbour become?", tmp_path / "q.wav")
                uploaded = client.put(
                    "/api/themes/harbour/prompt",
                    content=prompt.read_bytes(),
                    headers={"Content-Type": "audio/wav"},
                )
                assert uploaded.status_code == 200, uploaded.text
                digest = uploaded.json()["prompt_sha256"]

                def has_prompt() -> bool:
                    config = booth.agent.config
                    return config is not None and config.themes[0].prompt_sha256 == digest

                assert wait_until(has_prompt, 60), (tmp_path / "receive.log").read_text()
                cached = booth.agent.config_cache.prompt_path(digest).read_bytes()
                assert sha256(cached).hexdigest() == digest
                # Nothing of it on the publishing host's disk: it came from the database.
                assert not list((tmp_path / "receive-host").rglob("*.wav"))

                booth.place_call(CallScript(words(speech_wav), digit="3"))
                assert booth.uplink.wait_until_empty(60)
                (clip,) = booth.agent.processor.recent
            api.create_token("planner")
            settled = api.wait_for_clip(str(clip.clip_id), timeout=240)
            assert settled["status"] == "transcribed" and "benches" in settled["text"]
            assert settled["theme"] == "harbour"
            client.close()
        finally:
            for process in processes:
                process.stop()
