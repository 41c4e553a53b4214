"""The shortcuts of scan.py must never skip a place where the long pattern matches."""

import re
from pathlib import Path

import pytest

from ingest.language.redaction import addresses, cpr, names, scan

DATA = Path(__file__).parents[1] / "data"


def test_openings_are_read_from_the_pattern() -> None:
    pattern = re.compile(r"\b(?i:min\s+nabo|hr\.?|kh|(?:kære|dear)\s+)[,:]?\s+")
    openings = scan.Openings(pattern)
    assert openings.may_begin("Min nabo Ib", 0)
    assert openings.may_begin("hr. Hansen", 0)
    assert openings.may_begin("kh Inge", 0)
    assert openings.may_begin("Kære Bo", 0)
    assert not openings.may_begin("khan", 0)  # "kh" then a letter begins no alternative
    assert not openings.may_begin("mit hus", 0)


def test_a_pattern_that_may_begin_with_any_letter_is_refused() -> None:
    with pytest.raises(ValueError, match="any letter"):
        scan.Openings(re.compile(r"\b\w+s\s+mand\s+"))


def _transcripts() -> list[str]:
    lines = []
    for corpus in sorted(DATA.glob("redaction_*.txt")):
        text = corpus.read_text(encoding="utf-8").replace("⟦", "").replace("⟧", "")
        lines += [line for line in text.splitlines() if line and not line.startswith("#")]
    return lines


def test_no_cue_for_a_name_is_skipped_on_any_corpus_line() -> None:
    for line in _transcripts():
        for start in scan.word_starts(line):
            if names._CUE.match(line, start):
                assert names._CUE_OPENINGS.may_begin(line, start), line[start:]


def test_streets_and_dates_found_near_their_words_as_a_full_scan_finds_them() -> None:
    for line in _transcripts():
        starts = addresses._starts(line)
        for pattern in (addresses._DANISH, addresses._ENGLISH):
            scanned = [m.span() for m in pattern.finditer(line) if m.end() > m.start()]
            assert [m.span() for m in scan.matches_at(pattern, line, starts)] == scanned, line
        assert [m.span() for m in cpr._dates(line)] == [m.span() for m in cpr._DATE.finditer(line)]
