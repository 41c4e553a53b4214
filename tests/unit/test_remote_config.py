"""Remote config on the booth: prompts kept by content hash, so a refused config or a prompt
that cannot be had changes nothing that plays."""

import hashlib
import io
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from booth.remote_config import ConfigCache, ConfigRefused, PromptUnavailable
from booth.sounds import PromptLibrary, Sound, load, tone
from shared.messages import BoothConfig


def wav(samples: np.ndarray) -> bytes:
    out = io.BytesIO()
    sf.write(out, samples, 16000, format="WAV", subtype="PCM_16")
    return out.getvalue()


FILES = {"/a.wav": wav(tone(440, 0.5)), "/b.wav": wav(tone(880, 0.5)), "/bad.wav": b"not audio"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Broker:
    """What the booth's fetch sees: prompts retained by hash (the real MQTT path is in
    tests/e2e/test_remote_config.py). `swapped` hands over other bytes than asked for."""

    def __init__(self) -> None:
        self.retained = {sha(data): data for data in FILES.values()}
        self.swapped: dict[str, bytes] = {}
        self.asked: list[str] = []

    def fetch(self, digest: str) -> bytes:
        self.asked.append(digest)
        if digest in self.swapped:
            return self.swapped[digest]
        if digest not in self.retained:
            raise PromptUnavailable("not at the broker after 30 s")
        return self.retained[digest]


def config(version: int, prompt: str) -> bytes:
    """A config whose one theme names the prompt FILES[prompt] (or a hash of nothing)."""
    digest = sha(FILES[prompt]) if prompt in FILES else sha(prompt.encode())
    theme = {"slug": "parks", "title": "Parker", "prompt_sha256": digest}
    return BoothConfig.model_validate(
        {
            "version": version,
            "neighborhood": "gellerup",
            "default_theme": "parks",
            "themes": [theme],
        }
    ).encode()


def played(cache: ConfigCache, accepted: BoothConfig) -> np.ndarray:
    library = PromptLibrary(cache.prompts)
    library.theme_prompts = {t.slug: t.prompt_sha256 for t in accepted.themes if t.prompt_sha256}
    return library.sound(Sound.THEME_PROMPT, "parks")


def test_a_refused_config_changes_nothing_that_plays(tmp_path: Path) -> None:
    cache, broker = ConfigCache(tmp_path), Broker()
    first = cache.accept(config(1, "/a.wav"), None, broker.fetch).config
    before = played(cache, first)
    assert np.array_equal(before, load(io.BytesIO(FILES["/a.wav"])))
    with pytest.raises(ConfigRefused):
        cache.accept(b'{"version": 2, "themes": []}', first, broker.fetch)
    # Bytes that do not match the hash the config names: the theme keeps its prompt.
    broker.swapped[sha(FILES["/b.wav"])] = FILES["/a.wav"] + b"tampered"
    second = cache.accept(config(2, "/b.wav"), first, broker.fetch)
    assert second.problems and "sha256 mismatch" in second.problems[0]
    assert np.array_equal(played(cache, second.config), before)
    assert sorted(p.name for p in cache.prompts.iterdir()) == [
        f"{first.themes[0].prompt_sha256}.wav"
    ]


def test_a_new_prompt_lives_beside_the_old_until_applied(tmp_path: Path) -> None:
    cache, broker = ConfigCache(tmp_path), Broker()
    first = cache.accept(config(1, "/a.wav"), None, broker.fetch).config
    second = cache.accept(config(2, "/b.wav"), first, broker.fetch).config
    assert np.array_equal(played(cache, first), load(io.BytesIO(FILES["/a.wav"])))  # still
    cache.forget_unused(second)
    assert np.array_equal(played(cache, second), load(io.BytesIO(FILES["/b.wav"])))
    assert len(list(cache.prompts.iterdir())) == 1
    # A prompt the booth has is never fetched again.
    broker.asked.clear()
    cache.accept(config(3, "/b.wav"), second, broker.fetch)
    assert broker.asked == []


def test_an_unplayable_or_missing_prompt_is_reported_and_the_rest_applies(
    tmp_path: Path,
) -> None:
    cache, broker = ConfigCache(tmp_path), Broker()
    for prompt, why in (("/bad.wav", "not playable"), ("/missing.wav", "not at the broker")):
        accepted = cache.accept(config(1, prompt), None, broker.fetch)
        assert accepted.config.version == 1 and why in accepted.problems[0]
        assert accepted.config.themes[0].prompt_sha256 is None
