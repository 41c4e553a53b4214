"""Topic names of wire protocol v1: `{prefix}/booths/{booth}/{kind}`."""

import re
from dataclasses import dataclass
from enum import StrEnum

from shared.errors import ProtocolError, RejectReason

DEFAULT_PREFIX = "dn/v1"
SHARED_GROUP = "ingest"

# Booth ids are broker usernames, and ids, neighborhoods and themes become path parts on
# disk: every such slug keeps to this safe alphabet.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_SLUG = re.compile(SLUG_PATTERN)


class Channel(StrEnum):
    CLIPS = "clips"
    ACKS = "acks"
    STATUS = "status"
    CONFIG = "config"


def check_slug(value: str, what: str) -> str:
    """Return `value` if it is a safe identifier (lowercase, digits, `-`, `_`), else raise."""
    if not _SLUG.fullmatch(value):  # `$` alone would let "parks\n" through
        raise ProtocolError(
            RejectReason.MALFORMED_METADATA,
            f"{what} {value!r} must match {_SLUG.pattern}",
        )
    return value


@dataclass(frozen=True)
class Topics:
    prefix: str = DEFAULT_PREFIX

    def booth(self, booth_id: str, channel: Channel) -> str:
        return f"{self.prefix}/booths/{check_slug(booth_id, 'booth id')}/{channel}"

    def all_booths(self, channel: Channel) -> str:
        return f"{self.prefix}/booths/+/{channel}"

    def shared_clips(self, group: str = SHARED_GROUP) -> str:
        """The shared subscription every ingest receiver joins, so receivers scale out."""
        return f"$share/{group}/{self.all_booths(Channel.CLIPS)}"

    def prompt(self, sha256: str) -> str:
        """A theme's spoken question, retained under its content hash, so booths that can
        reach only the broker get it."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ProtocolError(RejectReason.MALFORMED_METADATA, f"not a sha256: {sha256!r}")
        return f"{self.prefix}/prompts/{sha256}"

    def prompts(self) -> str:
        return f"{self.prefix}/prompts/+"

    def parse(self, topic: str) -> tuple[str, Channel]:
        """Split a booth topic into (booth id, channel); raise ProtocolError otherwise."""
        head = f"{self.prefix}/booths/"
        if not topic.startswith(head):
            raise ProtocolError(RejectReason.MALFORMED_METADATA, f"not a booth topic: {topic}")
        parts = topic[len(head) :].split("/")
        if len(parts) != 2:
            raise ProtocolError(RejectReason.MALFORMED_METADATA, f"not a booth topic: {topic}")
        booth_id, channel = parts
        check_slug(booth_id, "booth id")
        try:
            return booth_id, Channel(channel)
        except ValueError as exc:
            raise ProtocolError(
                RejectReason.MALFORMED_METADATA, f"unknown channel in {topic}"
            ) from exc
