"""The corpora of invented transcripts (tests/data/redaction_*.txt): `#` comments,
`## ` section headings, one transcript a line with ⟦…⟧ around each secret. The model
learns from them and the tests measure on them."""

import re
from dataclasses import dataclass
from pathlib import Path

_MARK = re.compile(r"⟦(.*?)⟧")


@dataclass(frozen=True)
class Case:
    section: str
    text: str
    secrets: list[tuple[int, int]]  # where each secret stands in `text`


def cases(corpus: Path) -> list[Case]:
    found, section = [], ""
    for line in corpus.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        text, secrets, offset = "", [], 0
        for match in _MARK.finditer(line):
            text += line[offset : match.start()]
            secrets.append((len(text), len(text) + len(match.group(1))))
            text += match.group(1)
            offset = match.end()
        found.append(Case(section, text + line[offset:], secrets))
    return found


def covered(spans: list[tuple[int, int]], start: int, end: int, text: str) -> bool:
    """Every letter and digit of text[start:end] lies inside some span: the secret is
    hidden whole."""
    return all(
        not text[i].isalnum() or any(a <= i < b for a, b in spans) for i in range(start, end)
    )
