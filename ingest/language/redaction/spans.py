"""Spans of personal data and how they are found and applied."""

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    CPR = "cpr"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    NAME = "name"
    PLATE = "plate"  # a vehicle's licence plate or frame number

    @property
    def label(self) -> str:
        """What the public reads in its place (Danish first: the public pages are)."""
        return _LABELS[self]


_LABELS = {
    Kind.CPR: "[CPR]",
    Kind.PHONE: "[telefon]",
    Kind.EMAIL: "[e-mail]",
    Kind.ADDRESS: "[adresse]",
    Kind.NAME: "[navn]",
    Kind.PLATE: "[nummerplade]",
}


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    kind: Kind


_RANK = [Kind.EMAIL, Kind.CPR, Kind.PLATE, Kind.ADDRESS, Kind.PHONE, Kind.NAME]


def find_spans(text: str, language: str | None = None) -> list[Span]:
    """Every span of personal data in `text`, sorted and without overlaps: what the rules
    find, and what the learned reader marks beside it."""
    from ingest.language.redaction import learned

    hidden = rule_spans(text, language)
    return merge(hidden + learned.find(text, hidden))


def rule_spans(text: str, language: str | None = None) -> list[Span]:
    """What the rules alone find, sorted and without overlaps."""
    from ingest.language.redaction import (
        addresses,
        beside,
        echoes,
        emails,
        handles,
        names,
        numbers,
        plates,
        scattered,
    )

    found = [
        *emails.find(text),
        *addresses.find(text, language),
        *names.find(text),
        *handles.find(text),
        *numbers.find(text, language),
        *plates.find(text),
    ]
    hidden = merge(found)
    found += echoes.find(text, hidden)
    found += scattered.find(text, merge(found))  # a name spelled out stays a name
    found += numbers.said_again(text, hidden, language)
    found += numbers.false_starts(text, hidden, language)
    found += beside.find(text, merge(found))
    return _joined(text, merge(found))


# Only this between two pieces of one number read out slowly: "nul... ni... streg... tre".
_BETWEEN_PIECES = re.compile(
    r"(?:[\s.,…:;-]|(?i:streg|bindestreg|og\s+så|øh+m*|altså)(?![^\W\d_]))*"
)


def _joined(text: str, spans: list[Span]) -> list[Span]:
    """Pieces of one CPR or phone number with only pauses between them are one span."""
    joined: list[Span] = []
    for span in spans:
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.kind is span.kind
            and span.kind in (Kind.CPR, Kind.PHONE)
            and _BETWEEN_PIECES.fullmatch(text, last.end, span.start)
        ):
            joined[-1] = Span(last.start, span.end, span.kind)
        else:
            joined.append(span)
    return joined


def find_suspects(text: str, spans: list[Span]) -> list[Span]:
    """Capitalised words that may be names the rules did not hide, for a moderator to look
    at: never hidden by themselves, and none inside `spans`."""
    from ingest.language.redaction import suspects

    return suspects.find(text, spans)


def merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one, of the kind that starts first; of two that start
    together, the longer's (a first name inside an e-mail address is an e-mail), and of two
    alike, the more telling (six digits that begin a CPR number and look like part of a phone
    number are the CPR number's)."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end, _RANK.index(s.kind))):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.kind)
        else:
            merged.append(span)
    return merged


def apply(text: str, spans: list[Span]) -> str:
    """The text with each span replaced by its label."""
    out, position = [], 0
    for span in merge(spans):
        out += [text[position : span.start], span.kind.label]
        position = span.end
    out.append(text[position:])
    return "".join(out)


def redact(text: str, language: str | None = None) -> str:
    return apply(text, find_spans(text, language))
