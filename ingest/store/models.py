"""Database tables of the ingest service (SQLAlchemy 2, typed mappings)."""

from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in UTC, stored as such and read back aware on every database: SQLite keeps
    no zone and hands back naive times, PostgreSQL hands them back in its session's zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class ClipStatus:
    """Transcription states: `received -> transcribing -> transcribed | no_speech | failed`."""

    RECEIVED = "received"
    TRANSCRIBING = "transcribing"
    TRANSCRIBED = "transcribed"
    NO_SPEECH = "no_speech"
    FAILED = "failed"
    ALL = (RECEIVED, TRANSCRIBING, TRANSCRIBED, NO_SPEECH, FAILED)


class Moderation:
    PENDING = "pending"
    APPROVED = "approved"
    HIDDEN = "hidden"
    FLAGGED = "flagged"
    NEEDS_CORRECTION = "needs_correction"  # the transcript is wrong: correct it, then review
    ALL = (PENDING, APPROVED, HIDDEN, FLAGGED, NEEDS_CORRECTION)


def public(clip: Any) -> Any:
    """What the public may read, stated once: a transcribed clip, approved, with the text
    approval published. On the Clip class it is an SQL condition; on one clip, or anything
    holding the same three fields, it is a bool (the operators mean both)."""
    return (
        (clip.status == ClipStatus.TRANSCRIBED)
        & (clip.moderation == Moderation.APPROVED)
        & (clip.published_text != None)  # noqa: E711 (IS NOT NULL in SQL)
    )


class Booth(Base):
    __tablename__ = "booths"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    neighborhood: Mapped[str] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    # Where it stands (WGS 84), for the public map; None: not recorded.
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[dict[str, object] | None] = mapped_column(JSON)
    config_version: Mapped[int] = mapped_column(Integer, default=0)
    config_hash: Mapped[str | None] = mapped_column(String(64))  # of the last published config


class Clip(Base):
    __tablename__ = "clips"
    __table_args__ = (
        Index("ix_clips_queue", "status", "next_attempt_at"),
        Index("ix_clips_place", "neighborhood", "theme", "recorded_at"),
        # Messages since the city's midnight, which public counts leave out until the next day.
        Index("ix_clips_recorded_at", "recorded_at"),
        # The newest approved messages (public pages) and the oldest pending (the queue).
        Index("ix_clips_moderation", "moderation", "recorded_at", "id"),
        # Each booth's newest message (the fleet view), and a booth's clips.
        Index("ix_clips_booth_received", "booth_id", "received_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    booth_id: Mapped[str] = mapped_column(String(64))
    neighborhood: Mapped[str] = mapped_column(String(64))
    theme: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_ms: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # a booth's repeats
    size_bytes: Mapped[int] = mapped_column(Integer)
    audio_key: Mapped[str | None] = mapped_column(String(300))
    config_version: Mapped[int] = mapped_column(Integer, default=0)
    # Where the booth heard speech ("0-1830,2400-5120", shared.clip), if it said: the
    # transcriber takes it instead of finding the speech again. None: other sources.
    speech_map: Mapped[str | None] = mapped_column(Text)

    status: Mapped[str] = mapped_column(String(16), default=ClipStatus.RECEIVED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The worker (TranscribeWorker.id) holding the claim: only it may finish or fail it.
    claimed_by: Mapped[str | None] = mapped_column(String(64), index=True)
    # Times the clip was with a worker that died: past two it is transcribed alone.
    crashes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    # A run of this model asked for (`ingest retranscribe`); the clip keeps its status and
    # text until that run is recorded. Claimed like a new clip (claimed_by, attempts).
    wanted_model: Mapped[str | None] = mapped_column(String(200), index=True)

    # The language the clip should be transcribed in (its theme's, else the settings' for
    # its theme or neighborhood), fixed at intake: workers take the languages they have
    # models for. None: let Whisper detect it.
    wanted_language: Mapped[str | None] = mapped_column(String(8), index=True)
    language: Mapped[str | None] = mapped_column(String(8))
    language_probability: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(String(200))
    processing_s: Mapped[float | None] = mapped_column(Float)
    transcribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    moderation: Mapped[str] = mapped_column(String(16), default=Moderation.PENDING)
    # [[start, end, kind], ...] over `text`, as a moderator left them; None: as found.
    redactions: Mapped[list[list[object]] | None] = mapped_column(JSON)
    published_text: Mapped[str | None] = mapped_column(Text)  # frozen at approval
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Stems (ingest.language.words) of `text` (moderators' and admins' searches), of `text`
    # redacted as the moderator chose (planners') and of `published_text` (the public's),
    # kept by a flush hook: nobody finds a clip by a word hidden from them.
    search_terms: Mapped[str | None] = mapped_column(Text)
    redacted_terms: Mapped[str | None] = mapped_column(Text)
    published_terms: Mapped[str | None] = mapped_column(Text)
    raw_text_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    receipt_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    audio_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    segments: Mapped[list["Segment"]] = relationship(
        back_populates="clip", cascade="all, delete-orphan", order_by="Segment.idx"
    )


class TranscribeWorker(Base):
    """A transcription worker that is alive while its heartbeat is fresh; its claims go to
    others only once it is not (procrastinate's and PgQueuer's design)."""

    __tablename__ = "transcribe_workers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Prompt(Base):
    """A theme's spoken question (16 kHz WAV) by its sha256: in the database, so whichever
    process publishes configs finds it, and a backup of the database holds it."""

    __tablename__ = "prompts"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    wav: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Segment(Base):
    __tablename__ = "segments"

    clip_id: Mapped[str] = mapped_column(
        ForeignKey("clips.id", ondelete="CASCADE"), primary_key=True
    )
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    start_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    avg_logprob: Mapped[float | None] = mapped_column(Float)
    no_speech_prob: Mapped[float | None] = mapped_column(Float)

    clip: Mapped[Clip] = relationship(back_populates="segments")


class Rejection(Base):
    """Every refused clip leaves a row, so nothing is dropped without a trace."""

    __tablename__ = "rejections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    topic: Mapped[str] = mapped_column(String(300))
    clip_id: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(64), index=True)
    detail: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(Integer)


class ErasedClip(Base):
    """A tombstone: the clip was erased on request; if a booth delivers it again, it is
    acknowledged and dropped."""

    __tablename__ = "erased_clips"

    clip_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TranscriptVersion(Base):
    """Every text a clip ever had: each model run and each moderator's correction."""

    __tablename__ = "transcript_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    clip_id: Mapped[str] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(16))  # "model" or "correction"
    model: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiToken(Base):
    """Bearer tokens; only a hash is kept, the token itself is shown once at creation."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """Who did what to which clip, and when: moderation, corrections, erasures."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    clip_id: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[dict[str, object] | None] = mapped_column(JSON)


class Theme(Base):
    """A question put to citizens, live in some neighborhoods or booths for some dates."""

    __tablename__ = "themes"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    digit: Mapped[str | None] = mapped_column(String(1))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    neighborhoods: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: everywhere
    booths: Mapped[list[str]] = mapped_column(JSON, default=list)
    prompt_sha256: Mapped[str | None] = mapped_column(String(64))
    # "Det sagde I - det gjorde vi": what the city did with what was said, by planners.
    we_did: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def live_on(self, day: date) -> bool:
        if self.retired_at is not None:
            return False
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or day <= self.ends_on
        )

    def applies_to(self, booth: Booth) -> bool:
        if not self.neighborhoods and not self.booths:
            return True
        return booth.neighborhood in self.neighborhoods or booth.id in self.booths


# Where a theme's answer has got to, in order: received, being looked into, decided, done
# (the city's own words; pages name them in their reader's language).
StepStage = Literal["modtaget", "undersøges", "besluttet", "udført"]


class ThemeStep(Base):
    """One dated step of what the city did with a theme ("det gjorde vi"), by a planner:
    for one neighborhood, or (None) the whole city."""

    __tablename__ = "theme_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    theme: Mapped[str] = mapped_column(ForeignKey("themes.slug", ondelete="CASCADE"), index=True)
    stage: Mapped[StepStage] = mapped_column(String(16))
    happened_on: Mapped[date] = mapped_column(Date)  # the city's day
    text: Mapped[str] = mapped_column(Text)
    neighborhood: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    quotes: Mapped[list["StepQuote"]] = relationship(cascade="all, delete-orphan")


class StepQuote(Base):
    """A published message a step answers. The clip's erasure removes the row (the
    database's cascade, and review.retention.erase)."""

    __tablename__ = "theme_step_quotes"

    step_id: Mapped[int] = mapped_column(
        ForeignKey("theme_steps.id", ondelete="CASCADE"), primary_key=True
    )
    clip_id: Mapped[str] = mapped_column(
        ForeignKey("clips.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class WeekCount(Base):
    """Spoken messages received and published per neighborhood, theme and week
    (publish.aggregates)."""

    __tablename__ = "public_week_counts"

    neighborhood: Mapped[str] = mapped_column(String(64), primary_key=True)
    theme: Mapped[str] = mapped_column(String(64), primary_key=True)
    week: Mapped[date] = mapped_column(Date, primary_key=True)  # its Monday
    received: Mapped[int] = mapped_column(Integer, default=0)
    published: Mapped[int] = mapped_column(Integer, default=0)


class WordCount(Base):
    """Uses of each word form in published text per neighborhood and theme (publish.aggregates)."""

    __tablename__ = "public_word_counts"

    neighborhood: Mapped[str] = mapped_column(String(64), primary_key=True)
    theme: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    stem: Mapped[str] = mapped_column(String(100), primary_key=True)
    form: Mapped[str] = mapped_column(String(100), primary_key=True)
    uses: Mapped[int] = mapped_column(Integer, default=0)


class Neighborhood(Base):
    """A neighborhood's name as people write it ("Rundhøj"), beside the slug booths and
    clips carry ("rundhoj"); a neighborhood without a row is shown by its slug."""

    __tablename__ = "neighborhoods"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ErasureRequest(Base):
    """A caller asked, with their receipt code, for their message to be erased: kept for an
    admin to carry out (the code itself is not kept, only its hash)."""

    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    receipt_hash: Mapped[str] = mapped_column(String(64), index=True)
    clip_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
