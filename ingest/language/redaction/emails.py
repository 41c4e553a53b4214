"""E-mail addresses, written, spoken or half of each: "anna at example dot dk", "maria.p
snabela hotmail.com", "omar bundstreg k snabel-a gmail punktum com". The whole local part
is hidden, every piece joined by a written or spoken dot, underscore or dash."""

import re

from ingest.language.redaction.spans import Kind, Span

_WRITTEN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_SPOKEN_DOT = r"\s+(?i:dot|punktum|prik)\s+"
_SPOKEN_JOIN = (
    r"\s+(?i:dot|punktum|prik|bundstreg|underscore|understreg|streg|bindestreg|dash|hyphen|"
    r"minus|plus)\s+"
)
_PIECE = r"[\w+.-]*[\w+]"
_AT = re.compile(r"\s*@\s*|\s+(?i:at|snabel[\s-]?a|snabela|snabel)\s+")
_LOCAL = re.compile(rf"{_PIECE}(?:{_SPOKEN_JOIN}{_PIECE})*$")
_DOMAIN = re.compile(
    rf"[\w-]+(?:(?:{_SPOKEN_DOT}|\.)[\w-]+)*?(?:{_SPOKEN_DOT}|\.)(?i:[a-zæøå]{{2,}})\b"
)
_LOOK_BACK = 80  # characters before "at" that may hold the local part


def find(text: str) -> list[Span]:
    spans = [Span(m.start(), m.end(), Kind.EMAIL) for m in _WRITTEN.finditer(text)]
    for at in _AT.finditer(text):
        domain = _DOMAIN.match(text, at.end())
        if domain is None:
            continue
        window = max(0, at.start() - _LOOK_BACK)
        local = _LOCAL.search(text, window, at.start())
        if local:
            spans.append(Span(local.start(), domain.end(), Kind.EMAIL))
    return spans
