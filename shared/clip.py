"""Clip metadata, carried as MQTT 5 properties beside the raw audio payload (as plain
fields here; shared.mqtt turns them into properties and back)."""

import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from shared.errors import ProtocolError, RejectReason
from shared.topics import check_slug

log = logging.getLogger(__name__)

CLIP_SCHEMA = "dn.clip/1"

OGG_OPUS = "audio/ogg; codecs=opus"
FLAC = "audio/flac"
CONTENT_TYPES = {OGG_OPUS: "ogg", FLAC: "flac"}

_FIELDS = (
    "schema",
    "clip_id",
    "booth_id",
    "neighborhood",
    "theme",
    "recorded_at",
    "duration_ms",
    "sha256",
    "config_version",
)


# Where the booth heard speech: start-end pairs in ms from the clip's first sample.
SpeechMap = tuple[tuple[int, int], ...]
_SPEECH_MAP = re.compile(r"\d{1,9}-\d{1,9}(,\d{1,9}-\d{1,9}){0,4999}")


def format_speech_map(regions: SpeechMap) -> str:
    return ",".join(f"{start}-{end}" for start, end in regions)


def check_speech_map(regions: SpeechMap, duration_ms: int) -> SpeechMap:
    """The regions, if each is non-empty, they are sorted, do not overlap and lie inside a
    clip of `duration_ms` (so together they never cover more than the clip)."""
    last_end = 0
    for start, end in regions:
        if not start < end:
            raise ProtocolError(RejectReason.MALFORMED_METADATA, f"empty region {start}-{end}")
        if start < last_end:
            raise ProtocolError(
                RejectReason.MALFORMED_METADATA, f"region {start}-{end} overlaps or is unsorted"
            )
        if end > duration_ms:
            raise ProtocolError(
                RejectReason.MALFORMED_METADATA,
                f"region {start}-{end} ends after the clip ({duration_ms} ms)",
            )
        last_end = end
    if not regions:
        raise ProtocolError(RejectReason.MALFORMED_METADATA, "no region")
    return regions


def parse_speech_map(text: str, duration_ms: int) -> SpeechMap:
    """`0-1830,2400-5120` into checked regions; ProtocolError if it is anything else."""
    if not _SPEECH_MAP.fullmatch(text):
        raise ProtocolError(RejectReason.MALFORMED_METADATA, f"speech map {text[:40]!r}")
    pairs = (region.split("-") for region in text.split(","))
    return check_speech_map(tuple((int(a), int(b)) for a, b in pairs), duration_ms)


def sha256_hex(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def receipt_hash(receipt: str) -> str:
    """What ingest keeps of a receipt code: enough to find the clip, not the code itself."""
    return hashlib.sha256(f"dn-receipt:{receipt}".encode()).hexdigest()


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC with millisecond precision and a `Z` suffix."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ProtocolError(RejectReason.MALFORMED_METADATA, f"bad timestamp {text!r}") from exc
    if moment.tzinfo is None:
        raise ProtocolError(RejectReason.MALFORMED_METADATA, f"timestamp without zone {text!r}")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class ClipMeta:
    """Everything ingest needs to know about a clip, besides the audio itself."""

    clip_id: uuid.UUID
    booth_id: str
    neighborhood: str
    theme: str
    recorded_at: datetime
    duration_ms: int
    sha256: str
    content_type: str = OGG_OPUS
    config_version: int = 0
    receipt: str | None = None  # optional: the code the caller heard, for erasure on request
    # Was the booth's clock set (NTP) when it recorded? False: `recorded_at` may be far off
    # (a Pi has no battery clock), and ingest takes the time it received the clip instead.
    # None: the booth did not say.
    clock_synced: bool | None = None
    # Optional: where the booth's VAD heard speech in the clip, so ingest need not look
    # again. A hint only: a map that does not check out is dropped, never the clip.
    speech: SpeechMap | None = None

    @property
    def extension(self) -> str:
        return CONTENT_TYPES[self.content_type]

    def to_dict(self) -> dict[str, str]:
        return {
            "schema": CLIP_SCHEMA,
            "clip_id": str(self.clip_id),
            "booth_id": self.booth_id,
            "neighborhood": self.neighborhood,
            "theme": self.theme,
            "recorded_at": format_time(self.recorded_at),
            "duration_ms": str(self.duration_ms),
            "sha256": self.sha256,
            "config_version": str(self.config_version),
            "content_type": self.content_type,
            **({"receipt": self.receipt} if self.receipt else {}),
            **(
                {}
                if self.clock_synced is None
                else {"clock_synced": str(self.clock_synced).lower()}
            ),
            **({"speech": format_speech_map(self.speech)} if self.speech else {}),
        }

    @classmethod
    def from_dict(cls, fields: dict[str, str]) -> "ClipMeta":
        """Validate and build from string fields; raise ProtocolError on anything off."""
        schema = fields.get("schema")
        if schema != CLIP_SCHEMA:
            raise ProtocolError(RejectReason.UNSUPPORTED_SCHEMA, f"schema {schema!r}")
        missing = [name for name in _FIELDS if not fields.get(name)]
        if missing:
            raise ProtocolError(RejectReason.MALFORMED_METADATA, f"missing {', '.join(missing)}")
        content_type = fields.get("content_type", "")
        if content_type not in CONTENT_TYPES:
            raise ProtocolError(
                RejectReason.UNSUPPORTED_CONTENT_TYPE, f"content type {content_type!r}"
            )
        try:
            clip_id = uuid.UUID(fields["clip_id"])
            duration_ms = int(fields["duration_ms"])
            config_version = int(fields["config_version"])
        except ValueError as exc:
            raise ProtocolError(RejectReason.MALFORMED_METADATA, str(exc)) from exc
        digest = fields["sha256"].lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ProtocolError(RejectReason.MALFORMED_METADATA, "sha256 is not 64 hex digits")
        if duration_ms < 0 or config_version < 0:
            raise ProtocolError(RejectReason.MALFORMED_METADATA, "negative number")
        receipt = fields.get("receipt") or None
        synced = fields.get("clock_synced")
        if synced not in (None, "true", "false"):
            raise ProtocolError(
                RejectReason.MALFORMED_METADATA, "clock_synced must be true or false"
            )
        if receipt is not None and not (receipt.isdigit() and 4 <= len(receipt) <= 12):
            raise ProtocolError(RejectReason.MALFORMED_METADATA, "receipt must be 4-12 digits")
        return cls(
            clip_id=clip_id,
            booth_id=check_slug(fields["booth_id"], "booth id"),
            neighborhood=check_slug(fields["neighborhood"], "neighborhood"),
            theme=check_slug(fields["theme"], "theme"),
            recorded_at=parse_time(fields["recorded_at"]),
            duration_ms=duration_ms,
            sha256=digest,
            content_type=content_type,
            config_version=config_version,
            receipt=receipt,
            clock_synced=None if synced is None else synced == "true",
            speech=_optional_speech_map(fields.get("speech"), duration_ms, clip_id),
        )


def _optional_speech_map(
    text: str | None, duration_ms: int, clip_id: uuid.UUID
) -> SpeechMap | None:
    if not text:
        return None
    try:
        return parse_speech_map(text, duration_ms)
    except ProtocolError as exc:
        log.warning("clip %s: speech map ignored: %s", clip_id, exc.detail)
        return None
