"""One rule for every text of a clip: the spans a moderator chose over its transcript hide
the same words in its segments, its earlier versions and its search terms.

A moderator reviews one text (the clip's transcript). Its segments and history are other
texts of the same call: spans are found in them as in any text, and every phrase the
moderator hid by hand is hidden wherever it recurs, so a name hidden once cannot be read
or found through a side door.
"""

import re
from collections.abc import Sequence

from ingest.language.redaction.spans import Kind, Span, apply, find_spans, merge

Chosen = Sequence[Sequence[object]] | None  # [[start, end, kind], ...] as stored; None: none


def chosen_spans(text: str, language: str | None, chosen: Chosen) -> list[Span]:
    """The moderator's spans if they set any, else those found in the text."""
    if chosen is not None:
        return [Span(int(str(a)), int(str(b)), Kind(str(k))) for a, b, k in chosen]
    return find_spans(text, language)


def hidden_phrases(text: str, spans: Sequence[Span]) -> list[tuple[str, Kind]]:
    """What the spans hide in `text`, each with its kind."""
    return [(text[s.start : s.end], s.kind) for s in spans if text[s.start : s.end].strip()]


def spans_like(text: str, language: str | None, reviewed: str, spans: Sequence[Span]) -> list[Span]:
    """Spans for another text of the clip whose `reviewed` text has `spans`: exactly those
    spans if it is that text, else the spans found in it and every recurrence of a phrase
    the spans hide (in any case, across any spacing or punctuation between its words)."""
    if text == reviewed:
        return list(spans)
    found = find_spans(text, language)
    for phrase, kind in hidden_phrases(reviewed, spans):
        words = re.findall(r"\w+", phrase)
        if not words:
            continue
        pattern = r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words) + r"(?!\w)"
        found += [Span(m.start(), m.end(), kind) for m in re.finditer(pattern, text, re.I)]
    return merge(found)


def redact_like(text: str, language: str | None, reviewed: str, spans: Sequence[Span]) -> str:
    return apply(text, spans_like(text, language, reviewed, spans))


def redacted_as_chosen(text: str | None, language: str | None, chosen: Chosen) -> str | None:
    """The text as planners read it: the moderator's spans applied, else those found."""
    if text is None:
        return None
    return apply(text, chosen_spans(text, language, chosen))
