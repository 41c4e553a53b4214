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
from ingest.store.models import Booth, Prompt, Theme
from shared.errors import ProtocolError
from shared.messages import BoothConfig, BoothStatus, ThemeConfig

log = logging.getLogger(__name__)

# Both retained, and return once the broker acknowledged (PUBACK); raise otherwise.
Publish = Callable[[str, bytes], None]  # (booth id, config payload)
PublishPrompt = Callable[[str, bytes], None]  # (sha256, WAV bytes)
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
    """Publishes configs (and the prompts they name) through `publish`/`publish_prompt`,
    which return only once the broker acknowledged the message and raise otherwise; a
    booth's config counts as sent only then. Prompts are read from the database, so the
    process that publishes need not be the one a planner uploaded to."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        prompt_folder: Path | None = None,
        may_publish: Callable[[], bool] = lambda: True,
    ) -> None:
        self.sessions = sessions
        self.prompt_folder = prompt_folder  # where prompts were kept before the database
        self.may_publish = may_publish  # one publisher at a time (an advisory lock)
        self.publish: Publish | None = None  # set once a broker connection exists
        self.publish_prompt: PublishPrompt | None = None
        self._prompts_sent: set[str] = set()
        self.statuses_recorded = 0  # by this process

    def prompt(self, session: Session, digest: str) -> bytes | None:
        """A prompt's WAV by its sha256, from the database (or a folder of an older install,
        copied into the database on the way)."""
        stored = session.get(Prompt, digest)
        if stored is not None:
            return stored.wav
        if self.prompt_folder is None:
            return None
        try:
            data = (self.prompt_folder / f"{digest}.wav").read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != digest:
            log.error("prompt file %s does not match its name; not used", digest[:12])
            return None
        session.add(Prompt(sha256=digest, wav=data, created_at=datetime.now(UTC)))
        return data

    def _send_prompts(
        self, session: Session, config: BoothConfig, sent_now: set[str], again: bool
    ) -> bool:
        """Each prompt the config names, retained at the broker before the config that
        needs it (once per process, or again after the broker may have lost them). False
        when one is missing: a booth refuses a config whose prompt it cannot fetch."""
        if self.publish_prompt is None:
            return False
        for theme in config.themes:
            digest = theme.prompt_sha256
            if not digest or digest in sent_now or (digest in self._prompts_sent and not again):
                continue
            data = self.prompt(session, digest)
            if data is None:
                log.error("prompt %s for %s is not in the database", digest[:12], theme.slug)
                return False
            if len(data) > MAX_PROMPT_MESSAGE:
                log.error("prompt %s is %d bytes: too large for the broker", digest[:12], len(data))
                return False
            self.publish_prompt(digest, data)
            sent_now.add(digest)
            self._prompts_sent.add(digest)
        return True

    def publish_configs(self, today: date | None = None, *, again: bool = False) -> list[str]:
        """Publish every booth's config that changed (with `again`, also those that did not,
        under their current version: after the broker may have lost retained messages).
        Each booth in a transaction of its own, committed once the broker acknowledged its
        config: one the broker never took is tried again at the next tick. Returns the
        booth ids published."""
        if self.publish is None or not self.may_publish():
            return []
        today = today or city_today()
        published: list[str] = []
        prompts_sent: set[str] = set()
        with self.sessions() as session:
            booth_ids = list(session.scalars(select(Booth.id).order_by(Booth.id)))
        for booth_id in booth_ids:
            try:
                if self._publish_one(booth_id, today, prompts_sent, again):
                    published.append(booth_id)
            except (ConnectionError, RuntimeError, ValueError) as exc:  # paho's, unacked
                log.warning("config for %s not sent (%s); trying again later", booth_id, exc)
                break  # the broker is out of reach: the others would wait in vain
        return published

    def _publish_one(self, booth_id: str, today: date, prompts_sent: set[str], again: bool) -> bool:
        """One booth's config, if it changed (or `again`); True when the broker took it."""
        with self.sessions.begin() as session:
            booth = session.get(Booth, booth_id, with_for_update=True)
            if booth is None:
                return False
            config = config_for(booth, list(session.scalars(select(Theme))), today)
            if config is None:
                return False
            digest = _digest(config)
            if digest == booth.config_hash and not again:
                return False
            version = booth.config_version + (digest != booth.config_hash)
            versioned = config.model_copy(update={"version": version})
            if not self._send_prompts(session, versioned, prompts_sent, again):
                return False
            assert self.publish is not None
            self.publish(booth.id, versioned.encode())  # raises if not acknowledged
            booth.config_version, booth.config_hash = version, digest
            log.info("published config v%d to %s", version, booth.id)
            return True

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
        # Every receiver hears every status (a shared subscription gets no retained
        # messages); the publisher alone writes them, so N receivers do not write N times.
        if not self.may_publish():
            return
        with self.sessions.begin() as session:
            booth = session.get(Booth, booth_id)
            if booth is None:
                return
            booth.status = status.model_dump(mode="json", exclude_none=True)
            if live:
                booth.last_seen_at = datetime.now(UTC)
        self.statuses_recorded += 1
