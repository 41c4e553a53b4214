"""Long patterns tried only where a match can begin. Scanning every position of a transcript
with a long alternation (streets, dates) costs more than all the rest of a rule; each such
pattern holds a word that short text tells apart cheaply (a street type, a month), and a
match can begin only a few words before it."""

import bisect
import re
from collections.abc import Iterable

_WORD_START = re.compile(r"\b\w")
LETTERS = re.compile(r"[^\W\d_]+")


def word_starts(text: str) -> list[int]:
    return [m.start() for m in _WORD_START.finditer(text)]


def starts_near(starts: list[int], hints: Iterable[int], words_before: int) -> list[int]:
    """The word starts at or before each hint, at most `words_before` + 1 of them."""
    near: set[int] = set()
    for hint in hints:
        last = bisect.bisect_right(starts, hint)
        near.update(starts[max(0, last - words_before - 1) : last])
    return sorted(near)


def matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """What `pattern.finditer(text)` finds, given that every match begins at one of
    `starts`: a start inside the last match is skipped, as finditer would skip it."""
    found: list[re.Match[str]] = []
    for start in starts:
        if found and start < found[-1].end():
            continue
        match = pattern.match(text, start)
        if match is not None and match.end() > match.start():
            found.append(match)
    return found
