"""Redaction against a corpus of realistic transcripts (tests/data/redaction_corpus.txt).

Every marked secret must be hidden whole (100% recall) and at most 5% of the lines that
hold nothing personal may change. The figures are printed with `pytest -s`.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.language.redaction import apply, find_spans

CORPUS = Path(__file__).parents[1] / "data" / "redaction_corpus.txt"
MARK = re.compile(r"⟦(.*?)⟧")


@dataclass(frozen=True)
class Case:
    text: str
    secrets: list[tuple[int, int]]


def cases() -> list[Case]:
    found = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, secrets, offset = "", [], 0
        for match in MARK.finditer(line):
            text += line[offset : match.start()]
            secrets.append((len(text), len(text) + len(match.group(1))))
            text += match.group(1)
            offset = match.end()
        found.append(Case(text + line[offset:], secrets))
    return found


def covered(spans: list[tuple[int, int]], start: int, end: int, text: str) -> bool:
    """Every letter and digit of text[start:end] lies inside some span."""
    return all(
        not text[i].isalnum() or any(a <= i < b for a, b in spans) for i in range(start, end)
    )


def test_the_corpus_is_big_enough_and_danish_first() -> None:
    all_cases = cases()
    assert len(all_cases) >= 80
    assert "Mit CPR-nummer" in all_cases[0].text


def test_recall_is_complete_and_over_redaction_small() -> None:
    hidden = missed = kept = changed = 0
    misses, damages = [], []
    for case in cases():
        spans = [(s.start, s.end) for s in find_spans(case.text)]
        if case.secrets:
            for start, end in case.secrets:
                if covered(spans, start, end, case.text):
                    hidden += 1
                else:
                    missed += 1
                    misses.append(f"{case.text[start:end]!r} in {case.text!r}")
        else:
            kept += 1
            if apply(case.text, find_spans(case.text)) != case.text:
                changed += 1
                damages.append(apply(case.text, find_spans(case.text)))
    recall = hidden / (hidden + missed)
    over = changed / kept
    print(f"\nredaction corpus: recall {recall:.1%} ({hidden}/{hidden + missed} secrets), ")
    print(f"over-redaction {over:.1%} ({changed}/{kept} ordinary lines changed)")
    assert not misses, "missed:\n" + "\n".join(misses)
    assert over <= 0.05, "changed:\n" + "\n".join(damages)


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("Ring 23 45 67 89 tak", "Ring [telefon] tak"),
        ("Mit cpr er 010190-1234.", "Mit cpr er [CPR]."),
        ("Skriv til a@b.dk", "Skriv til [e-mail]"),
        ("Jeg hedder Anna", "Jeg hedder [navn]"),
        ("Vestergade 12 er min", "[adresse] er min"),
    ],
)
def test_labels_are_danish_first(text: str, published: str) -> None:
    assert apply(text, find_spans(text)) == published
