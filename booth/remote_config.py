"""The booth's config from ingest: checked, its prompts fetched, cached, applied between calls.

A config arrives retained on `dn/v1/booths/{booth}/config`. Before it counts, every theme
prompt it names is downloaded, checked against its sha256 and made readable; only then is
the config written to the cache (atomically) and handed to the agent. Anything wrong, and
the old config stays, with the reason in the booth's status.
"""

import io
import json
import logging
import urllib.request
from pathlib import Path

from booth.errors import BoothError
from booth.sounds import load
from shared.clip import sha256_hex
from shared.errors import ProtocolError
from shared.files import write_atomic
from shared.messages import BoothConfig

log = logging.getLogger(__name__)

MAX_PROMPT_BYTES = 5_000_000


class ConfigRefused(BoothError):
    """A config the booth will not apply; the old one stays."""


class ConfigCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.prompts = folder / "prompts"
        self.prompts.mkdir(parents=True, exist_ok=True)
        self.file = folder / "config.json"

    def load(self) -> BoothConfig | None:
        """The last good config, so a booth that starts offline still knows its themes."""
        if not self.file.exists():
            return None
        try:
            return BoothConfig.decode(self.file.read_bytes())
        except (OSError, ProtocolError) as exc:
            log.error("cached config unreadable (%s); starting from local settings", exc)
            return None

    def accept(self, payload: bytes, current_version: int) -> BoothConfig:
        """Validate, fetch prompts, cache; raise ConfigRefused with the reason otherwise."""
        try:
            config = BoothConfig.decode(payload)
        except ProtocolError as exc:
            raise ConfigRefused(f"invalid config: {exc.detail}") from exc
        if config.version < current_version:
            raise ConfigRefused(f"config version {config.version} older than {current_version}")
        for theme in config.themes:
            if theme.prompt_url:
                self._fetch_prompt(theme.slug, theme.prompt_url, theme.prompt_sha256)
        write_atomic(self.file, json.dumps(config.model_dump(mode="json")).encode())
        return config

    def _fetch_prompt(self, slug: str, url: str, sha256: str | None) -> None:
        target = self.prompts / f"theme_{slug}.wav"
        if sha256 and target.exists() and sha256_hex(target.read_bytes()) == sha256:
            return  # already have this exact prompt
        if not url.startswith(("https://", "http://")):
            raise ConfigRefused(f"prompt for {slug}: unsupported URL {url!r}")
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                data = response.read(MAX_PROMPT_BYTES + 1)
        except OSError as exc:
            raise ConfigRefused(f"prompt for {slug}: download failed: {exc}") from exc
        if len(data) > MAX_PROMPT_BYTES:
            raise ConfigRefused(f"prompt for {slug}: larger than {MAX_PROMPT_BYTES} bytes")
        if sha256 and sha256_hex(data) != sha256:
            raise ConfigRefused(f"prompt for {slug}: sha256 mismatch")
        try:
            load(io.BytesIO(data))  # must be 16 kHz audio we can play
        except Exception as exc:
            raise ConfigRefused(f"prompt for {slug}: not playable: {exc}") from exc
        write_atomic(target, data)
