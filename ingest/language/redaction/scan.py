"""Long patterns tried only where a match can begin. Scanning every position of a transcript
with a long alternation (streets, dates) costs more than all the rest of a rule; each such
pattern holds a word that short text tells apart cheaply (a street type, a month), and a
match can begin only a few words before it."""

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

_WORD_START = re.compile(r"\b\w")
LETTERS = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=64)  # the street and the date rules read the same text
def word_starts(text: str) -> tuple[int, ...]:
    return tuple(m.start() for m in _WORD_START.finditer(text))


def starts_near(starts: Sequence[int], hints: Iterable[int], words_before: int) -> list[int]:
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


class Openings:
    """How the matches of a pattern of many words can begin: the first letters (up to
    `letters`, lower case) of each alternative, read from the compiled pattern itself so
    they cannot drift from it. A position whose text begins otherwise starts no match, and
    the pattern need not be tried there. Lookarounds are passed over (they only narrow
    what matches); an alternative that may begin with any letter ("\\w+") is refused."""

    _END = "\x00"  # the word ended before `letters` letters: "kh" then a space

    def __init__(self, pattern: re.Pattern[str], letters: int = 3) -> None:
        self.letters = letters
        self.openings = frozenset(self._read(_parser.parse(pattern.pattern, pattern.flags), {""}))

    def may_begin(self, text: str, position: int) -> bool:
        said = text[position : position + self.letters].lower()
        for i, char in enumerate(said):
            if not char.isalpha():
                said = said[:i] + self._END
                break
        return said in self.openings or (
            len(said) < self.letters and said + self._END in self.openings
        )

    def _done(self, prefix: str) -> bool:
        return len(prefix) >= self.letters or prefix.endswith(self._END)

    def _read(self, items: Any, prefixes: set[str]) -> set[str]:
        for op, value in items:
            if all(self._done(p) for p in prefixes):
                return prefixes
            prefixes = self._item(op, value, prefixes)
        return prefixes

    def _item(self, op: Any, value: Any, prefixes: set[str]) -> set[str]:
        done = {p for p in prefixes if self._done(p)}
        open_ = prefixes - done
        if op is _c.LITERAL:
            char = chr(value).lower()
            return done | {p + (char if char.isalpha() else self._END) for p in open_}
        if op is _c.IN:
            chars = [chr(v).lower() for o, v in value if o is _c.LITERAL]
            others = [(o, v) for o, v in value if o is not _c.LITERAL]
            if any(not (o is _c.CATEGORY and v is _c.CATEGORY_SPACE) for o, v in others):
                raise ValueError("an alternative may begin with any letter")
            ends = {self._END} if others or any(not c.isalpha() for c in chars) else set()
            return done | {p + c for p in open_ for c in {c for c in chars if c.isalpha()} | ends}
        if op is _c.BRANCH:
            return done | set().union(*(self._read(alt, open_) for alt in value[1]))
        if op is _c.SUBPATTERN:
            return done | self._read(value[3], open_)
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            low, high, sub = value
            found, step = set(open_) if low == 0 else set(), set(open_)
            for count in range(1, min(high, self.letters + 1) + 1):
                step = self._read(sub, step)
                if count >= low:
                    found |= step
            return done | found
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            return prefixes
        if op is _c.CATEGORY and value is _c.CATEGORY_SPACE:
            return done | {p + self._END for p in open_}
        raise ValueError(f"cannot read {op}")
