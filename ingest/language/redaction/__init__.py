"""Personal data in what callers said, found as spans over the whole transcript.

Whisper writes numbers as digits or as words ("treogtyve femogfyrre…", "two three four…"),
so numbers are read the way they were spoken before CPR and phone numbers are looked for.
The spans are what a moderator sees highlighted in the raw text and may add to or remove;
`apply` turns the raw text and its spans into the text that is published.
"""

from ingest.language.redaction.chosen import (
    chosen_spans,
    redact_like,
    redacted_as_chosen,
    spans_like,
)
from ingest.language.redaction.spans import Kind, Span, apply, find_spans, find_suspects, redact

__all__ = [
    "Kind",
    "Span",
    "apply",
    "chosen_spans",
    "find_spans",
    "find_suspects",
    "redact",
    "redact_like",
    "redacted_as_chosen",
    "spans_like",
]
