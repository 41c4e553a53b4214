"""Bodies of the planner API. Texts are redacted unless the caller may see them raw."""

from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ingest.language.redaction import Kind
from ingest.review.moderation import (
    Review,
    redacted_segments,
    redacted_version,
    review,
    version_of,
)
from ingest.store.models import Clip, Theme, TranscriptVersion
from ingest.store.queries import CURSOR_PATTERN
from shared.topics import SLUG_PATTERN


def shown_clip_text(clip: Clip, raw: bool) -> str | None:
    """A clip's text for planners: with the moderator's spans hidden once they set them."""
    if raw or clip.text is None:
        return clip.text
    return review(clip).published


NextCursor = Annotated[
    str | None,
    Field(
        pattern=CURSOR_PATTERN,
        description="opaque: pass it back as `cursor` for the next page; none on the last",
    ),
]


class SegmentOut(BaseModel):
    start_s: float
    end_s: float
    text: str
    avg_logprob: float | None
    no_speech_prob: float | None


class ClipOut(BaseModel):
    id: str
    booth_id: str
    neighborhood: str
    theme: str
    recorded_at: datetime
    received_at: datetime
    duration_ms: int
    content_type: str
    status: str
    moderation: str
    language: str | None
    language_probability: float | None
    text: str | None = Field(description="redacted, except for admins")
    model: str | None
    processing_s: float | None
    error: str | None
    audio_available: bool
    version: str = Field(description="what a write based on this view sends back (If-Match)")

    @classmethod
    def of(cls, clip: Clip, raw: bool = False) -> "ClipOut":
        return cls(
            id=clip.id,
            booth_id=clip.booth_id,
            neighborhood=clip.neighborhood,
            theme=clip.theme,
            recorded_at=clip.recorded_at,
            received_at=clip.received_at,
            duration_ms=clip.duration_ms,
            content_type=clip.content_type,
            status=clip.status,
            moderation=clip.moderation,
            language=clip.language,
            language_probability=clip.language_probability,
            text=shown_clip_text(clip, raw),
            model=clip.model,
            processing_s=clip.processing_s,
            error=clip.error,
            audio_available=clip.audio_key is not None and clip.audio_deleted_at is None,
            version=version_of(clip),
        )


class ClipDetail(ClipOut):
    segments: list[SegmentOut]

    @classmethod
    def of(cls, clip: Clip, raw: bool = False) -> "ClipDetail":
        base = ClipOut.of(clip, raw).model_dump()
        texts = [s.text for s in clip.segments] if raw else redacted_segments(clip)
        segments = [
            SegmentOut(
                start_s=s.start_s,
                end_s=s.end_s,
                text=text,
                avg_logprob=s.avg_logprob,
                no_speech_prob=s.no_speech_prob,
            )
            for s, text in zip(clip.segments, texts, strict=True)
        ]
        return cls(**base, segments=segments)


class ClipPage(BaseModel):
    items: list[ClipOut]
    next_cursor: NextCursor


BASED_ON = (
    "the clip's `version` this write is based on (or send it as If-Match); "
    "if the clip changed since, the write is refused with 409"
)


class TranscriptCorrection(BaseModel):
    text: str = Field(min_length=1, max_length=20_000)
    version: str | None = Field(default=None, max_length=64, description=BASED_ON)


class VersionOut(BaseModel):
    source: str
    model: str | None
    author: str | None
    text: str
    language: str | None
    created_at: datetime

    @classmethod
    def of(cls, version: TranscriptVersion, raw: bool, clip: Clip) -> "VersionOut":
        return cls(
            source=version.source,
            model=version.model,
            author=version.author,
            text=version.text if raw else redacted_version(clip, version),
            language=version.language,
            created_at=version.created_at,
        )


def _json_integer(value: object) -> object:
    # A JSON integer, as the schema says: `false` and `"3"` are not offsets (pydantic would
    # take them as 0 and 3); 3.0 is (JSON Schema counts it an integer), 3.5 is not.
    if isinstance(value, bool | str):
        raise ValueError("expected an integer")
    return value


Offset = Annotated[int, BeforeValidator(_json_integer)]


class SpanIn(BaseModel):
    start: Offset = Field(ge=0, le=20_000)
    end: Offset = Field(ge=1, le=20_000)
    kind: Kind


class SpanOut(SpanIn):
    text: str = Field(description="what the span hides, from the raw transcript")


class ReviewIn(BaseModel):
    spans: list[SpanIn] = Field(max_length=500)
    version: str | None = Field(default=None, max_length=64, description=BASED_ON)


class ReviewOut(BaseModel):
    """What a moderator decides on: the raw transcript, what hides personal data in it,
    and the exact text that approving publishes."""

    clip_id: str
    moderation: str
    raw: str
    spans: list[SpanOut]
    published: str = Field(description="the text the public will read if approved")
    edited: bool = Field(description="a moderator changed the spans found automatically")
    published_text: str | None = Field(description="what the public reads now, if approved")
    version: str = Field(description="what a write based on this view sends back (If-Match)")
    suspects: list[SpanOut] = Field(
        default=[],
        description="capitalised words that may be names, not hidden: for the moderator to check",
    )
    suspect_count: int = Field(default=0, description='how many, as in "2 mulige navne"')

    @classmethod
    def of(cls, clip: Clip, seen: Review) -> "ReviewOut":
        return cls(
            clip_id=clip.id,
            moderation=clip.moderation,
            raw=seen.raw,
            spans=[
                SpanOut(start=s.start, end=s.end, kind=s.kind, text=seen.raw[s.start : s.end])
                for s in seen.spans
            ],
            published=seen.published,
            edited=seen.edited,
            published_text=clip.published_text,
            version=version_of(clip),
            suspects=[
                SpanOut(start=s.start, end=s.end, kind=s.kind, text=seen.raw[s.start : s.end])
                for s in seen.suspects
            ],
            suspect_count=len(seen.suspects),
        )


class ModerationIn(BaseModel):
    action: Literal["approve", "hide", "flag", "needs_correction", "reset"]
    reason: str | None = Field(default=None, max_length=1000)
    version: str | None = Field(default=None, max_length=64, description=BASED_ON)


class Conflict(BaseModel):
    """The clip changed since the version a write was based on: what it is now, so the
    writer can compare and choose."""

    message: str
    version: str
    text: str | None
    moderation: str
    published_text: str | None


class Stale(BaseModel):
    """A 409 as sent: under `detail`, the clip as it is now (or, for an approval of a clip
    with no text, why not)."""

    detail: Conflict | str


class QueueCounts(BaseModel):
    """Messages per moderation state, for the queue's counts."""

    pending: int
    needs_correction: int
    flagged: int
    hidden: int
    approved: int


def _date_text(value: object) -> object:
    # pydantic would read the number 0 as 1970-01-01; dates here are written "2026-03-01".
    if not isinstance(value, str | date):
        raise ValueError("expected a date such as 2026-03-01")
    return value


IsoDate = Annotated[date, BeforeValidator(_date_text)]


class ThemeIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    question: str = Field(min_length=1, max_length=2000)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")
    digit: str | None = Field(default=None, pattern=r"^[0-9]$")
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    neighborhoods: list[str] = Field(default_factory=list, max_length=100)
    booths: list[str] = Field(default_factory=list, max_length=1000)
    we_did: str | None = Field(
        default=None,
        max_length=5000,
        description='"Det sagde I - det gjorde vi": what the city did, shown with the theme',
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


class ThemeNew(ThemeIn):
    slug: str = Field(pattern=SLUG_PATTERN)


class ThemeOut(ThemeNew):
    model_config = ConfigDict(from_attributes=True)

    prompt_sha256: str | None
    retired_at: datetime | None
    live: bool = False

    @classmethod
    def of(cls, theme: Theme, today: date) -> "ThemeOut":
        """The stored theme as it is, and whether it is asked on `today` (the city's day)."""
        out = cls.model_validate(theme)
        out.live = theme.live_on(today)
        return out
