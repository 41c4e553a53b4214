"""Fixtures: a real broker per test, real speech, and settings for both halves."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.broker import Mosquitto
from tests.support.postgres import fresh_database
from tests.support.speech import speak

BOOTH = "booth-test"

# Tests send one recording many times, faster than a booth would, under theme slugs made up
# on the spot: the per-booth limits and the theme rule are relaxed in every ingest these
# tests start (subprocesses too), and at their defaults in the tests of those rules
# (tests/integration/test_intake.py), which set them explicitly.
os.environ.setdefault("INGEST_BOOTH_CLIP_BURST", "1000000")
os.environ.setdefault("INGEST_DUPLICATE_AUDIO_S", "0")
os.environ.setdefault("INGEST_OPEN_THEMES", "true")


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    mosquitto = Mosquitto(tmp_path / "broker", users=["ingest", BOOTH]).start()
    yield mosquitto
    mosquitto.stop()


SENTENCE = "We need more benches and trees in the park near the school"


@pytest.fixture(scope="session")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A spoken sentence with a second of silence on each side, as a caller would leave it."""
    out = tmp_path_factory.mktemp("speech") / "sentence.wav"
    return speak(SENTENCE, out, lead_s=1.0, tail_s=1.0)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    """None (SQLite in the data dir, the default) or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield None
        return
    with fresh_database("dn_test") as url:
        if url is None:
            missing = "no PostgreSQL on 127.0.0.1:5432 and none could be started (initdb)"
            if os.environ.get("CI"):  # in CI a skipped PostgreSQL test would pass unseen
                pytest.fail(f"{missing}; CI must run the PostgreSQL tests")
            pytest.skip(missing)
        yield url
