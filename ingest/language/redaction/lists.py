"""Word lists behind name detection, loaded once per process (`lists()`).

- data/first_names.txt, data/surnames.txt: Danish, Nordic and the first names and surnames
  of Aarhus's larger immigrant groups, taken from Faker's person providers (MIT licence,
  data/LICENSE-faker.txt) and the surnames of Mimesis's person datasets (MIT licence,
  data/LICENSE-mimesis.txt) by deploy/tools/make_name_lists.py;
- data/more_first_names.txt, data/more_surnames.txt: names common in Aarhus that those
  lists lack (Somali, Arabic, Kurdish, Persian, Turkish …), kept by hand;
- data/also_words.txt: those names that are also ordinary Danish or English words ("Per",
  "Hans", "Mark", "Bo"), chosen by hand, which count as names only in context;
- data/public_names.txt: places, institutions, public roles, days and months.
"""

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from stop_words import get_stop_words  # type: ignore[import-untyped]

_DATA = Path(__file__).parent / "data"
_REMEMBERED = 50_000  # words whose answers are kept, a few MB


@dataclass(frozen=True)
class Lists:
    first_names: frozenset[str]  # all lower case
    surnames: frozenset[str]
    any_names: frozenset[str]  # first names and surnames
    also_words: frozenset[str]  # the hand-kept list and the stop words
    stop_words: frozenset[str]
    public: frozenset[str]  # single public words
    public_phrases: re.Pattern[str]  # names of several words, any case
    phrase_starts: frozenset[str]  # the first words of those names, lower case
    # Answers already given: each rule asks of the same words again.
    _first: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    _any: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def is_first_name(self, word: str) -> bool:
        """A first name, one joined of first names ("Anna-Sofie"), or its genitive
        ("Camillas")."""
        return _remembered(self._first, word, self._is_first_name)

    def is_name(self, word: str) -> bool:
        return _remembered(self._any, word, self._is_name)

    def _is_first_name(self, word: str) -> bool:
        if _in(word, self.first_names):
            return True
        low = word.lower()
        if "-" not in low and not low.endswith("s"):
            return False
        return all(part in self.first_names for part in _stem(low, self.first_names).split("-"))

    def _is_name(self, word: str) -> bool:
        if _in(word, self.any_names):
            return True
        low = word.lower()
        if low[:2] in ("al", "el") and len(low) > 5 and low[2:] in self.any_names:
            return True  # "Alhasan", "Elkhatib": the article written with the name
        if "-" not in low and not low.endswith("s"):
            return False
        if word[:1].islower() and not self.is_first_name(word):
            return False  # a surname's genitive only when capitalised: "langs" is no "Lang"
        return all(part in self.any_names for part in _stem(low, self.any_names).split("-"))

    def is_surname(self, word: str) -> bool:
        """A surname, or one joined of names with a surname among them ("Hansen-Bach")."""
        if _in(word, self.surnames) is not None:
            return True
        parts = word.split("-")
        return (
            len(parts) > 1
            and all(_in(p, self.any_names) for p in parts)
            and any(_in(p, self.surnames) for p in parts)
        )

    def is_word(self, word: str) -> bool:
        """Also an ordinary word: a name only in context."""
        return word.lower() in self.also_words

    def is_public(self, word: str) -> bool:
        return word.lower() in self.public


# Letters of other alphabets' names that Whisper and the lists spell either way ("Ayşe",
# "Ayse"); Danish æ, ø, å and é stay. Only a word is folded, never the lists: folded, they
# would turn names into words ("Nóvember").
_FOLD = str.maketrans(
    "şçğıłńśźżćąęõãñüöäèêëáàâíìîóòôúùûýčšžřďťňőű", "scgilnszzcaeoanuoaeeeaaaiiiooouuuycszrdtnou"
)


def _remembered(answers: dict[str, bool], word: str, ask: Callable[[str], bool]) -> bool:
    """The answer for `word`, asked once; forgotten all at once when too many are kept."""
    known = answers.get(word)
    if known is None:
        if len(answers) > _REMEMBERED:
            answers.clear()
        known = answers[word] = ask(word)
    return known


def _in(word: str, names: frozenset[str]) -> str | None:
    """The word in lower case as the list holds it, as written or with other alphabets'
    marks taken off; None if the list holds neither. "Jonas'" is "Jonas"."""
    low = re.sub(r"['\u2019]s?$", "", word.lower())  # "Nigel's", "Jonas'"
    if low in names:
        return low
    if low.isascii():
        return None
    folded = low.translate(_FOLD)
    return folded if folded != low and folded in names else None


def _stem(word: str, known: frozenset[str]) -> str:
    """The name a genitive is made of: "camillas" -> "camilla", "andersens" -> "andersen"."""
    if word.endswith("s") and word not in known and len(word) > 4 and word[:-1] in known:
        return word[:-1]
    return word


def _read(name: str) -> list[str]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@functools.cache
def lists() -> Lists:
    public = [p.lower() for p in _read("public_names.txt")]
    first = frozenset(
        n.lower()
        for n in _read("first_names.txt")
        + _read("first_names_nam_dict.txt")
        + _read("more_first_names.txt")
    )
    last = frozenset(n.lower() for n in _read("surnames.txt") + _read("more_surnames.txt"))
    stop = {w.lower() for language in ("da", "en") for w in get_stop_words(language)}
    return Lists(
        first_names=first,
        surnames=last,
        any_names=first | last,
        also_words=frozenset({n.lower() for n in _read("also_words.txt")} | stop),
        stop_words=frozenset(stop),
        public=frozenset(p for p in public if " " not in p),
        public_phrases=_alternatives(p for p in public if " " in p),
        phrase_starts=frozenset(_first_word(p) for p in public if " " in p),
    )


def _first_word(phrase: str) -> str:
    """As the name detector splits words: "h.c. andersen" begins with "h"."""
    match = re.match(r"[^\W\d_][\w'\u2019]*(?:-[^\W\d_][\w'\u2019]*)*", phrase)
    if match is None:
        raise ValueError(f"a public phrase must begin with a letter: {phrase!r}")
    return match.group()


def _alternatives(phrases: Iterable[str]) -> re.Pattern[str]:
    longest_first = sorted(phrases, key=len, reverse=True)
    # in the genitive too: "Inger Christensens alfabet"
    alternatives = "|".join(map(re.escape, longest_first))
    return re.compile(rf"\b(?:{alternatives})(?:s|'s)?\b", re.IGNORECASE)
