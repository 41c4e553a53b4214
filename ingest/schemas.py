"""Response bodies of the planner API."""

from datetime import UTC, datetime

from pydantic import BaseModel

from ingest.models import Clip


def utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every time stored here is UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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
    text: str | None
    model: str | None
    processing_s: float | None
    error: str | None

    @classmethod
    def of(cls, clip: Clip) -> "ClipOut":
        return cls(
            id=clip.id,
            booth_id=clip.booth_id,
            neighborhood=clip.neighborhood,
            theme=clip.theme,
            recorded_at=utc(clip.recorded_at) or clip.recorded_at,
            received_at=utc(clip.received_at) or clip.received_at,
            duration_ms=clip.duration_ms,
            content_type=clip.content_type,
            status=clip.status,
            moderation=clip.moderation,
            language=clip.language,
            language_probability=clip.language_probability,
            text=clip.text,
            model=clip.model,
            processing_s=clip.processing_s,
            error=clip.error,
        )


class ClipDetail(ClipOut):
    segments: list[SegmentOut]

    @classmethod
    def of(cls, clip: Clip) -> "ClipDetail":
        base = ClipOut.of(clip).model_dump()
        segments = [
            SegmentOut(
                start_s=s.start_s,
                end_s=s.end_s,
                text=s.text,
                avg_logprob=s.avg_logprob,
                no_speech_prob=s.no_speech_prob,
            )
            for s in clip.segments
        ]
        return cls(**base, segments=segments)


class ClipPage(BaseModel):
    items: list[ClipOut]
    next_cursor: str | None
