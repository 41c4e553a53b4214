"""What a moderator reviews and what the public then reads.

A moderator sees the raw transcript, the spans of personal data found in it (which they may
add to or take away) and the exact text that approval will publish. Approving freezes that
text as the clip's `published_text`; the public pages and open exports read nothing else.
Any later change to the text (a correction, a re-transcription) takes the clip back to
pending review, so nothing reaches the public unseen.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ingest.errors import IngestError
from ingest.language.redaction import (
    Span,
    apply,
    chosen_spans,
    find_suspects,
    redact_like,
    spans_like,
)
from ingest.store.models import Clip, Moderation, TranscriptVersion


class BadSpans(IngestError, ValueError):
    """Spans that do not fit the clip's text."""


@dataclass(frozen=True)
class Review:
    raw: str
    spans: list[Span]
    published: str  # what approval would publish
    edited: bool  # a moderator changed the spans found automatically
    suspects: list[Span] = field(default_factory=list)  # possible names, not hidden


def spans_of(clip: Clip) -> list[Span]:
    """The moderator's spans if they set any, else those found in the text."""
    return chosen_spans(clip.text or "", clip.language, clip.redactions)


def review(clip: Clip) -> Review:
    spans = spans_of(clip)
    raw = clip.text or ""
    published = apply(raw, spans)
    return Review(raw, spans, published, clip.redactions is not None, find_suspects(raw, spans))


def set_spans(clip: Clip, spans: list[Span]) -> None:
    size = len(clip.text or "")
    for span in spans:
        if not 0 <= span.start < span.end <= size:
            raise BadSpans(f"span {span.start}-{span.end} lies outside the text (0-{size})")
    clip.redactions = [[s.start, s.end, s.kind.value] for s in sorted(spans)]


def version_of(clip: Clip) -> str:
    """What an edit is based on: a digest of everything a moderator decides on (the text,
    the marks, the decision and what is public). Any change by anyone, a re-transcription
    included, gives another version, so a write based on an older one is refused rather
    than silently undoing the change."""
    state = [clip.text, clip.redactions, clip.moderation, clip.published_text]
    digest = hashlib.sha256(json.dumps(state, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def approve(clip: Clip) -> None:
    clip.published_text = review(clip).published
    clip.published_at = datetime.now(UTC)
    clip.moderation = Moderation.APPROVED


def withdraw(clip: Clip, moderation: str) -> None:
    """Hidden, flagged or back to pending: nothing of it stays public."""
    clip.moderation = moderation
    clip.published_text = None
    clip.published_at = None


def text_changed(clip: Clip) -> bool:
    """The text changed: spans are found anew and the clip waits for review again (a clip
    that waited for a correction has had one). True if it had been published."""
    was_public = clip.moderation == Moderation.APPROVED
    clip.redactions = None
    back = was_public or clip.moderation == Moderation.NEEDS_CORRECTION
    withdraw(clip, Moderation.PENDING if back else clip.moderation)
    return was_public


def redacted_segments(clip: Clip) -> list[str]:
    """The clip's segment texts as planners read them: redacted by the rule of its text
    (ingest.language.redaction.chosen) over all segments joined, so a number or a name that
    Whisper split between two segments is still hidden."""
    texts = [s.text for s in clip.segments]
    joined = " ".join(texts)
    spans = spans_like(joined, clip.language, clip.text or "", spans_of(clip))
    out, offset = [], 0
    for text in texts:
        inside = [
            Span(max(s.start, offset) - offset, min(s.end, offset + len(text)) - offset, s.kind)
            for s in spans
            if s.start < offset + len(text) and s.end > offset
        ]
        out.append(apply(text, inside))
        offset += len(text) + 1
    return out


def redacted_version(clip: Clip, version: TranscriptVersion) -> str:
    """An earlier (or the current) text of the clip as planners read it: by the same rule."""
    return redact_like(version.text, version.language, clip.text or "", spans_of(clip))
