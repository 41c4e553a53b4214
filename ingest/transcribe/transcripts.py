"""Changing a clip's text, by a model or a planner; every text it had stays in its history."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from ingest.review.audit import record
from ingest.review.moderation import text_changed
from ingest.store.models import Clip, ClipStatus, Segment, TranscriptVersion
from ingest.transcribe.transcriber import Transcript


def record_transcript(session: Session, clip: Clip, transcript: Transcript) -> str:
    """Make `transcript` the clip's current text; return the clip's new status."""
    status = ClipStatus.TRANSCRIBED if transcript.is_speech else ClipStatus.NO_SPEECH
    now = datetime.now(UTC)
    clip.status = status
    _unpublish_if_changed(session, clip, transcript.text, "transcription")
    clip.text = transcript.text
    clip.language = transcript.language
    clip.language_probability = transcript.language_probability
    clip.model = transcript.model
    clip.processing_s = transcript.processing_s
    clip.transcribed_at = now
    clip.error = None
    clip.segments = [
        Segment(
            idx=i,
            start_s=s.start_s,
            end_s=s.end_s,
            text=s.text,
            avg_logprob=s.avg_logprob,
            no_speech_prob=s.no_speech_prob,
        )
        for i, s in enumerate(transcript.segments)
    ]
    session.add(
        TranscriptVersion(
            clip_id=clip.id,
            source="model",
            model=transcript.model,
            text=transcript.text,
            language=transcript.language,
            created_at=now,
        )
    )
    return status


def record_correction(session: Session, clip: Clip, text: str, author: str) -> bool:
    """A correction becomes the clip's text; the model's stays in the history. A published
    clip goes back to review. The same text again (bar the spaces around it) changes
    nothing: no new version, and the clip keeps its state. True if the text changed."""
    text = text.strip()
    if text == (clip.text or "").strip():
        return False
    _unpublish_if_changed(session, clip, text, author)
    clip.text = text
    session.add(
        TranscriptVersion(
            clip_id=clip.id,
            source="correction",
            author=author,
            text=text,
            language=clip.language,
            created_at=datetime.now(UTC),
        )
    )
    return True


def _unpublish_if_changed(session: Session, clip: Clip, text: str, actor: str) -> None:
    if text == clip.text:
        return
    if text_changed(clip):
        record(session, actor, "unpublish", clip.id, {"why": "the text changed; back to review"})
