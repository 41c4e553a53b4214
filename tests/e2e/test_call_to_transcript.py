"""A simulated booth's call goes through a real broker into a real ingest service and comes
back as a transcript."""

from pathlib import Path

import pytest

from tests.conftest import BOOTH, SENTENCE
from tests.support.broker import Mosquitto
from tests.support.services import IngestProcess, printed_clips, run_cli
from tests.support.speech import word_error_rate

pytestmark = pytest.mark.slow


def test_a_call_becomes_a_transcript_under_its_neighborhood_and_theme(
    broker: Mosquitto, speech_wav: Path, tmp_path: Path
) -> None:
    data = tmp_path / "ingest"
    ingest_env = {
        "INGEST_DATA_DIR": str(data),
        "INGEST_MQTT_URL": broker.url("ingest"),
    }
    added = run_cli("ingest", ["booth", "add", BOOTH, "--neighborhood", "gellerup"], ingest_env)
    assert added.returncode == 0, added.stderr
    ingest = IngestProcess(ingest_env, tmp_path / "ingest.log")
    ingest.create_token("planner")
    ingest.start()
    try:
        booth_env = {
            "BOOTH_ID": BOOTH,
            "BOOTH_MQTT_URL": broker.url(BOOTH),
            "BOOTH_SPOOL_DIR": str(tmp_path / "spool"),
            "BOOTH_NEIGHBORHOOD": "gellerup",
            "BOOTH_THEME": "green-spaces",
            "BOOTH_CONFIG_FILE": str(tmp_path / "none.toml"),
        }
        result = run_cli(
            "booth", ["simulate", "--audio", str(speech_wav), "--speed", "8"], booth_env
        )
        assert result.returncode == 0, result.stdout + result.stderr
        (call,) = printed_clips(result.stdout)
        clip = ingest.wait_for_clip(call["clip_id"])
    finally:
        ingest.stop()

    assert clip["status"] == "transcribed"
    assert clip["booth_id"] == BOOTH
    assert (clip["neighborhood"], clip["theme"]) == ("gellerup", "green-spaces")
    assert word_error_rate(SENTENCE, clip["text"]) <= 0.25, clip["text"]
    stored = list((data / "audio" / "gellerup" / "green-spaces").glob(f"*/*/{call['clip_id']}.ogg"))
    assert len(stored) == 1
    assert not list((tmp_path / "spool" / "outbox").iterdir()), "acked clip left in the spool"
