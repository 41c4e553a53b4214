"""The booths as ingest sees them: their live status, and the config each one should run.

Each booth's config is derived from the registry and the themes live for it today. Only a
config that changed is published (retained, with a new version), so booths are not woken
for nothing; a periodic tick catches themes whose dates begin or end.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ingest.city_time import today as city_today
from ingest.store.models import Booth, Theme
from shared.errors import ProtocolError
from shared.messages import BoothConfig, BoothStatus, ThemeConfig

log = logging.getLogger(__name__)

Publish = Callable[[str, bytes], None]  # (booth id, config payload), retained
PublishPrompt = Callable[[str, bytes], None]  # (sha256, WAV bytes), retained
# Under the broker's message_size_limit (2.5 MB): a 60-s prompt (INGEST_MAX_PROMPT_S) is 1.9 MB.
MAX_PROMPT_MESSAGE = 2_400_000


def config_for(booth: Booth, themes: list[Theme], today: date) -> BoothConfig | None:
    """The config `booth` should run today; None when no theme is live for it."""
    live = [t for t in themes if t.live_on(today) and t.applies_to(booth)]
    if not live:
        return None
    # The default theme: the one with the lowest dial digit, else the oldest.
    live.sort(key=lambda t: (t.digit is None, t.digit or "", t.created_at, t.slug))
    digits_taken: set[str] = set()
    entries = []
    for theme in live:
        digit = theme.digit if theme.digit not in digits_taken else None
        if digit:
            digits_taken.add(digit)
        entries.append(
            ThemeConfig(
                slug=theme.slug,
                title=theme.title,
                digit=digit,
                prompt_sha256=theme.prompt_sha256,
                language=theme.language,
            )
        )
    return BoothConfig(
        version=0,  # set on publishing
        neighborhood=booth.neighborhood,
        themes=entries,
        default_theme=entries[0].slug,
    )


def _digest(config: BoothConfig) -> str:
    body = config.model_dump(mode="json", exclude={"version"})
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


class Fleet:
    def __init__(self, sessions: sessionmaker[Session], prompt_folder: Path) -> None:
        self.sessions = sessions
        self.prompt_folder = prompt_folder
        self.publish: Publish | None = None  # set once a broker connection exists
        self.publish_prompt: PublishPrompt | None = None
        self._prompts_sent: set[str] = set()

    def _send_prompts(self, config: BoothConfig, sent_now: set[str], again: bool) -> None:
        """Each prompt the config names, retained at the broker before the config that
        needs it (once per process, or again after the broker may have lost them)."""
        if self.publish_prompt is None:
            return
        for theme in config.themes:
            digest = theme.prompt_sha256
            if not digest or digest in sent_now or (digest in self._prompts_sent and not again):
                continue
            path = self.prompt_folder / f"{digest}.wav"
            try:
                data = path.read_bytes()
            except OSError as exc:
                log.error("prompt %s for %s cannot be read: %s", digest[:12], theme.slug, exc)
                continue
            if len(data) > MAX_PROMPT_MESSAGE:
                log.error("prompt %s is %d bytes: too large for the broker", digest[:12], len(data))
                continue
            self.publish_prompt(digest, data)
            sent_now.add(digest)
            self._prompts_sent.add(digest)

    def publish_configs(self, today: date | None = None, *, again: bool = False) -> list[str]:
        """Publish every booth's config that changed (with `again`, also those that did not,
        under their current version: after the broker may have lost retained messages).
        Returns the booth ids published."""
        if self.publish is None:
            return []
        today = today or city_today()
        published: list[str] = []
        prompts_sent: set[str] = set()
        with self.sessions.begin() as session:
            themes = list(session.scalars(select(Theme)))
            for booth in session.scalars(select(Booth)):
                config = config_for(booth, themes, today)
                if config is None:
                    continue
                digest = _digest(config)
                if digest == booth.config_hash and not again:
                    continue
                if digest != booth.config_hash:
                    booth.config_version += 1
                    booth.config_hash = digest
                versioned = config.model_copy(update={"version": booth.config_version})
                self._send_prompts(versioned, prompts_sent, again)
                self.publish(booth.id, versioned.encode())
                published.append(booth.id)
                log.info("published config v%d to %s", booth.config_version, booth.id)
        return published

    def record_status(
        self, booth_id: str, payload: bytes, *, live: bool = True, max_bytes: int = 4096
    ) -> None:
        """A booth's status; kept for registered booths only, and only if small: a status is
        a few hundred bytes, and the fleet view stores what it is sent. Only a `live`
        message moves `last_seen_at`: the broker replays the retained one on every
        subscribe, and that says nothing of when the booth last spoke."""
        if len(payload) > max_bytes:
            log.warning(
                "status from %s is %d bytes > %d; ignored", booth_id, len(payload), max_bytes
            )
            return
        try:
            status = BoothStatus.decode(payload)
        except ProtocolError as exc:
            log.warning("malformed status from %s: %s", booth_id, exc)
            return
        with self.sessions.begin() as session:
            booth = session.get(Booth, booth_id)
            if booth is None:
                return
            booth.status = status.model_dump(mode="json", exclude_none=True)
            if live:
                booth.last_seen_at = datetime.now(UTC)
