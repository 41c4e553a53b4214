"""Remote config on the booth: prompts kept by content hash, so a refused config or a prompt
that cannot be had changes nothing that plays."""

import hashlib
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from booth.remote_config import ConfigCache, ConfigRefused
from booth.sounds import PromptLibrary, Sound, load, tone
from shared.messages import BoothConfig


def wav(samples: np.ndarray) -> bytes:
    out = io.BytesIO()
    sf.write(out, samples, 16000, format="WAV", subtype="PCM_16")
    return out.getvalue()


FILES = {"/a.wav": wav(tone(440, 0.5)), "/b.wav": wav(tone(880, 0.5)), "/bad.wav": b"not audio"}


@pytest.fixture
def server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = FILES.get(self.path)
            self.send_response(200 if body else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *_args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def config(version: int, prompt_url: str, digest: str | None = None) -> bytes:
    theme = {"slug": "parks", "title": "Parker", "prompt_url": prompt_url}
    if digest:
        theme["prompt_sha256"] = digest
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


def test_a_refused_config_changes_nothing_that_plays(tmp_path: Path, server: str) -> None:
    cache = ConfigCache(tmp_path)
    first = cache.accept(config(1, f"{server}/a.wav"), None).config
    before = played(cache, first)
    assert np.array_equal(before, load(io.BytesIO(FILES["/a.wav"])))
    wrong = hashlib.sha256(b"something else").hexdigest()
    with pytest.raises(ConfigRefused):
        cache.accept(b'{"version": 2, "themes": []}', first)
    # A prompt with a checksum that does not match: the theme keeps its prompt.
    second = cache.accept(config(2, f"{server}/b.wav", wrong), first)
    assert second.problems and "sha256 mismatch" in second.problems[0]
    assert np.array_equal(played(cache, second.config), before)
    assert sorted(p.name for p in cache.prompts.iterdir()) == [
        f"{first.themes[0].prompt_sha256}.wav"
    ]


def test_a_new_prompt_lives_beside_the_old_until_applied(tmp_path: Path, server: str) -> None:
    cache = ConfigCache(tmp_path)
    first = cache.accept(config(1, f"{server}/a.wav"), None).config
    second = cache.accept(config(2, f"{server}/b.wav"), first).config
    assert np.array_equal(played(cache, first), load(io.BytesIO(FILES["/a.wav"])))  # still
    cache.forget_unused(second)
    assert np.array_equal(played(cache, second), load(io.BytesIO(FILES["/b.wav"])))
    assert len(list(cache.prompts.iterdir())) == 1


def test_an_unplayable_or_missing_prompt_is_reported_and_the_rest_applies(
    tmp_path: Path, server: str
) -> None:
    cache = ConfigCache(tmp_path)
    for path in ("/bad.wav", "/missing.wav"):
        accepted = cache.accept(config(1, f"{server}{path}"), None)
        assert accepted.config.version == 1 and accepted.problems
        assert accepted.config.themes[0].prompt_sha256 is None
