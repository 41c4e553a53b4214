"""E-mail addresses, written or spoken ("anna at example dot dk", "snabel-a", "punktum")."""

import re

from ingest.language.redaction.spans import Kind, Span

_WRITTEN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_DOT = r"\s+(?:dot|punktum|prik)\s+"
_AT = re.compile(r"\s+(?:at|snabel[\s-]?a)\s+", re.IGNORECASE)
_LOCAL = re.compile(rf"[\w+-]+(?:{_DOT}[\w+-]+)*$", re.IGNORECASE)
_DOMAIN = re.compile(rf"[\w-]+(?:{_DOT}[a-zæøå]{{2,}}\b)+", re.IGNORECASE)


def find(text: str) -> list[Span]:
    spans = [Span(m.start(), m.end(), Kind.EMAIL) for m in _WRITTEN.finditer(text)]
    # Spoken: each "at" / "snabel-a" with a name before it and a dotted domain after it.
    for at in _AT.finditer(text):
        local = _LOCAL.search(text, 0, at.start())
        domain = _DOMAIN.match(text, at.end())
        if local and domain:
            spans.append(Span(local.start(), domain.end(), Kind.EMAIL))
    return spans
