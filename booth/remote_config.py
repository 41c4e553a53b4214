"""The booth's config from ingest: checked, its prompts fetched, cached, applied between calls.

A config arrives retained on `dn/v1/booths/{booth}/config`. Every theme prompt it names
is fetched from the broker (retained on `dn/v1/prompts/{sha256}`: a booth needs nothing but
its MQTT connection), checked against its sha256, made sure to play, and kept under its
content hash (`prompts/{sha256}.wav`), as ingest keeps it: a new file never replaces one a config
in use points at, so a config that is refused changes nothing that plays. A prompt that
cannot be had keeps the theme's previous one (reported in the status); the rest of the
config applies. An invalid config is refused whole, and the old one stays.
"""

import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
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


class PromptUnavailable(BoothError):
    """A prompt the broker did not hand over (not connected, not there in time)."""


PromptFetch = Callable[[str], bytes]  # sha256 -> the prompt's bytes, or PromptUnavailable


@dataclass(frozen=True)
class Accepted:
    config: BoothConfig  # every theme's prompt_sha256 names a file in the cache, or is None
    problems: list[str]  # prompts that could not be had; the previous ones play


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

    def prompt_path(self, sha256: str) -> Path:
        return self.prompts / f"{sha256}.wav"

    def accept(self, payload: bytes, current: BoothConfig | None, fetch: PromptFetch) -> Accepted:
        """Validate, fetch prompts, cache; raise ConfigRefused with the reason otherwise."""
        try:
            config = BoothConfig.decode(payload)
        except ProtocolError as exc:
            raise ConfigRefused(f"invalid config: {exc.detail}") from exc
        current_version = current.version if current else 0
        if config.version < current_version:
            raise ConfigRefused(f"config version {config.version} older than {current_version}")
        previous = {t.slug: t.prompt_sha256 for t in current.themes} if current else {}
        themes, problems = [], []
        for theme in config.themes:
            digest = None
            if theme.prompt_sha256:
                try:
                    digest = self._fetch_prompt(theme.slug, theme.prompt_sha256, fetch)
                except ConfigRefused as exc:
                    problems.append(str(exc))
                    digest = previous.get(theme.slug)  # keep what played before
            themes.append(theme.model_copy(update={"prompt_sha256": digest}))
        config = config.model_copy(update={"themes": themes})
        write_atomic(self.file, json.dumps(config.model_dump(mode="json")).encode())
        return Accepted(config, problems)

    def forget_unused(self, config: BoothConfig) -> None:
        """Prompts no theme of the applied config points at."""
        used = {t.prompt_sha256 for t in config.themes if t.prompt_sha256}
        for path in self.prompts.glob("*.wav"):
            if len(path.stem) == 64 and path.stem not in used:
                path.unlink(missing_ok=True)

    def _fetch_prompt(self, slug: str, sha256: str, fetch: PromptFetch) -> str:
        """Fetch (unless already here) and keep under its content hash; its hash."""
        if self.prompt_path(sha256).exists():
            return sha256  # already have this exact prompt
        try:
            data = fetch(sha256)
        except (PromptUnavailable, OSError) as exc:
            raise ConfigRefused(f"prompt for {slug}: {exc}") from exc
        if len(data) > MAX_PROMPT_BYTES:
            raise ConfigRefused(f"prompt for {slug}: larger than {MAX_PROMPT_BYTES} bytes")
        if sha256_hex(data) != sha256:
            raise ConfigRefused(f"prompt for {slug}: sha256 mismatch")
        try:
            load(io.BytesIO(data))  # must be 16 kHz audio we can play
        except Exception as exc:
            raise ConfigRefused(f"prompt for {slug}: not playable: {exc}") from exc
        write_atomic(self.prompt_path(sha256), data)
        return sha256
