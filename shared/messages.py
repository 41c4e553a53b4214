"""JSON messages of wire protocol v1: acks, booth status and booth config."""

import uuid
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from shared.errors import ProtocolError, RejectReason
from shared.topics import SLUG_PATTERN


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    def encode(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()

    @classmethod
    def decode(cls, payload: bytes | str) -> Self:
        try:
            return cls.model_validate_json(payload)
        except ValidationError as exc:
            raise ProtocolError(RejectReason.MALFORMED_METADATA, str(exc)) from exc


class AckStatus(StrEnum):
    STORED = "stored"
    REJECTED = "rejected"


class Ack(_Message):
    """Ingest's answer to one clip: the booth deletes on `stored`, quarantines on `rejected`."""

    clip_id: uuid.UUID | None = None
    status: AckStatus
    reason: str | None = None
    detail: str | None = None


class BoothState(StrEnum):
    IDLE = "idle"
    IN_CALL = "in_call"
    OFF_HOOK = "off_hook"  # a call ended long ago and the handset was not hung up
    OUT_OF_ORDER = "out_of_order"  # cannot take calls: the sound card failed
    DEGRADED = "degraded"  # takes no new calls (card or spool full), still sends what it holds
    OFFLINE = "offline"


class BoothStatus(_Message):
    """Retained on the status topic; the last will publishes `{"state": "offline"}`."""

    state: BoothState
    version: str | None = None
    uptime_s: float | None = None
    spool_clips: int | None = None
    spool_bytes: int | None = None
    disk_free_bytes: int | None = None
    last_call_at: str | None = None
    config_version: int | None = None
    last_error: str | None = None
    # The board's health (booth.board), where the firmware reports it: a hot or browned-out
    # Pi records badly and wears its card.
    cpu_temp_c: float | None = None
    under_voltage: bool | None = None
    under_voltage_since_boot: bool | None = None
    throttled: bool | None = None
    throttled_since_boot: bool | None = None


class ThemeConfig(_Message):
    slug: str = Field(pattern=SLUG_PATTERN)
    title: str
    digit: str | None = Field(default=None, pattern=r"^[0-9]$")
    prompt_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")  # dn/v1/prompts/
    language: str | None = None


class BoothConfig(_Message):
    """Retained on the config topic; applied by the booth between calls."""

    version: int = Field(ge=0)
    neighborhood: str = Field(pattern=SLUG_PATTERN)
    themes: list[ThemeConfig] = Field(min_length=1)
    default_theme: str
    max_recording_s: float = Field(default=180.0, gt=0, le=600)
    language: str | None = None

    @model_validator(mode="after")
    def _themes_consistent(self) -> Self:
        slugs = [theme.slug for theme in self.themes]
        if self.default_theme not in slugs:
            raise ValueError(f"default theme {self.default_theme!r} is not among {slugs}")
        digits = [theme.digit for theme in self.themes if theme.digit is not None]
        if len(digits) != len(set(digits)):
            raise ValueError("two themes share a dial digit")
        return self

    def theme_for_digit(self, digit: str) -> str | None:
        return next((t.slug for t in self.themes if t.digit == digit), None)
