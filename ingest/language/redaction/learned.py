"""A second reader after the rules: a linear-chain CRF (CRFsuite, through python-crfsuite)
that marks the words of personal data the rules leave standing.

The rules know the formulas ("jeg hedder …", "mit nummer er …"); what they cannot list is
the long tail of how people say things in passing. The model reads each word with its
neighbours, what the name lists say of it and whether a rule already hid it, and learned
from the development corpora (tests/data/redaction_dev*.txt, never a held-out one) which
words around them are personal. `training.py` makes data/recogniser.crfsuite from them.
"""

import functools
import re
import threading
from pathlib import Path

import pycrfsuite  # type: ignore[import-untyped]

from ingest.language.redaction.lists import lists
from ingest.language.redaction.numerals import is_number
from ingest.language.redaction.reader import STREET_ENDING
from ingest.language.redaction.spans import Kind, Span

MODEL = Path(__file__).parent / "data" / "recogniser.crfsuite"
PERSONAL, OTHER = "S", "O"
# A word is marked only when the model is this sure: lower marks more of ordinary talk
# (years said in words, birds and trees that are also names) for more secrets. Chosen by
# four-fold cross-validation over the development corpora: on 72 corpora, 0.7 to 0.6 hid 39
# more of 27 780 secrets for 10 more of 4 715 ordinary lines changed; on 118, 0.6 to 0.45
# hides 102 more of 47 085 for 19 more of 7 343 (0.5 hides 75 more for as many lines).
THRESHOLD = 0.45
_TOKEN = re.compile(r"\w+|[^\w\s]")
_CONTEXT = (-3, -2, -1, 1, 2, 3)
_EMAIL_WORDS = re.compile(r"(?i:@|\b(?:snabel-?a|at|dot|punktum|gmail|hotmail|dk|com)\b)")
# What joins an e-mail address's pieces when it is said: no one's data by itself.
_CONNECTORS = re.compile(r"(?i:(?:punktum|prik|dot|snabel-?a|at|@|[.-])(?:\s+|$))+")
_NUMBER = re.compile(r"\d")
_YEAR = re.compile(r"(?:19|20)\d\d")
_STREET = re.compile(rf"(?i:\w*{STREET_ENDING})")


def tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


@functools.lru_cache(maxsize=50_000)
def _shape(word: str) -> str:
    shape = "".join(
        "X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c for c in word
    )
    return re.sub(r"(.)\1+", r"\1\1", shape)


@functools.lru_cache(maxsize=50_000)
def _own(word: str) -> tuple[str, ...]:
    """What the word says of itself, the same wherever it stands."""
    low = word.lower()
    found = [
        f"w={low}",
        f"s={_shape(word)}",
        f"p={low[:3]}",
        f"x={low[-3:]}",
        f"n={min(len(word), 8)}",
    ]
    if word[:1].isalpha():
        names = lists()
        for flag, ask in (
            ("first", names.is_first_name),
            ("name", names.is_name),
            ("surname", names.is_surname),
            ("word", names.is_word),
            ("public", names.is_public),
        ):
            if ask(word):
                found.append(flag)
    return tuple(found)


@functools.lru_cache(maxsize=100_000)
def _seen_from(word: str, offset: int) -> tuple[str, ...]:
    """What a neighbour `offset` words away contributes: its word, and when near also its
    shape and lists; made once per word and place, as transcripts repeat their words."""
    low = word.lower()
    found = [f"w={low}"]
    if abs(offset) <= 2:
        found.append(f"s={_shape(word)}")
        if word[:1].isalpha():
            names = lists()
            if names.is_name(word):
                found.append("name")
            if names.is_word(word):
                found.append("word")
    return tuple(f"{offset}:{f}" for f in found)


_EDGES = {d: (f"{d}:edge",) for d in _CONTEXT}
_NEAR = 10  # how many words away a rule's span still says something of a word


def _distance(words: int) -> str:
    return str(words) if words <= 3 else "4-6" if words <= 6 else "7-10"


def _near(kinds: list[str]) -> list[list[str]]:
    """For each token, the kind of the nearest rule span on each side within ten words, and
    how far it is: a street hidden four words back makes "… nummer 9" the rest of a home."""
    rows: list[list[str]] = [[] for _ in kinds]
    for side, order in (("L", range(len(kinds))), ("R", range(len(kinds) - 1, -1, -1))):
        seen = None  # the last token inside a span passed on this side
        for i in order:
            if seen is not None and abs(i - seen) <= _NEAR:
                rows[i].append(f"{side}r={kinds[seen]}:{_distance(abs(i - seen))}")
            if kinds[i] != "-":
                seen = i
    return rows


def features(found: list[tuple[int, int, str]], hidden: list[Span]) -> list[list[str]]:
    """For each token of a transcript (`tokens`), its features as CRFsuite attributes."""
    words = [w for _, _, w in found]
    lows = [w.lower() for w in words]
    kinds = _kinds_by_token(found, hidden)
    near = _near(kinds)
    last = len(words) - 1
    rows = []
    for i, word in enumerate(words):
        row = [*_own(word), f"r={kinds[i]}", *near[i]]
        if i == 0 or words[i - 1] in ".!?":
            row.append("initial")
        for d in _CONTEXT:
            j = i + d
            row += _seen_from(words[j], d) if 0 <= j <= last else _EDGES[d]
        if i > 0:
            row += (f"-1:r={kinds[i - 1]}", f"-1:ww={lows[i - 1]}|{lows[i]}")
        if i < last:
            row += (f"1:r={kinds[i + 1]}", f"1:ww={lows[i + 1]}|{lows[i]}")
        rows.append(row)
    return rows


def _kinds_by_token(words: list[tuple[int, int, str]], hidden: list[Span]) -> list[str]:
    kinds, k = [], 0
    for start, _, _ in words:
        while k < len(hidden) and hidden[k].end <= start:
            k += 1
        inside = k < len(hidden) and hidden[k].start <= start
        kinds.append(hidden[k].kind.value if inside else "-")
    return kinds


_PER_THREAD = threading.local()


def _tagger() -> pycrfsuite.Tagger:
    """One tagger per thread: a tagger holds the sequence it was last given, and the service
    redacts in several threads at once."""
    tagger: pycrfsuite.Tagger | None = getattr(_PER_THREAD, "tagger", None)
    if tagger is None:
        tagger = _PER_THREAD.tagger = pycrfsuite.Tagger()
        tagger.open(str(MODEL))
    return tagger


def find(
    text: str,
    hidden: list[Span],
    tagger: pycrfsuite.Tagger | None = None,
    threshold: float = THRESHOLD,
) -> list[Span]:
    """Spans of the words the model marks that no span in `hidden` (sorted, merged) covers.
    A run of them that touches a hidden span is the rest of that secret: its span covers
    both, so that the two are published as one."""
    words = tokens(text)
    if not words:
        return []
    tagger = tagger or _tagger()  # another model's only when one is being measured
    tagger.set(features(words, hidden))
    if PERSONAL not in tagger.tag():
        # the likeliest reading marks nothing: most transcripts without personal data end
        # here, before the marginals. A word as sure as THRESHOLD outside such a reading is
        # rare, and the cross-validation that chose THRESHOLD measured with this shortcut.
        return []
    sure = [tagger.marginal(PERSONAL, k) >= threshold for k in range(len(words))]
    # A word a rule has read part of stays as the rule read it ("er27419306": the number).
    marked = [
        (start, end)
        for k, (start, end, _) in enumerate(words)
        if sure[k]
        and not any(s.start < end and start < s.end for s in hidden)
        and not (_suffix(text, words, k) and not sure[k - 2])
    ]
    found = []
    for start, end in _runs(text, marked):
        touched = [s for s in hidden if _touch(text, s, start, end)]
        if not touched and not _telling(text[start:end], hidden):
            continue
        first = min([start, *(s.start for s in touched)])
        last = max([end, *(s.end for s in touched)])
        found.append(Span(first, last, _kind(text[first:last], touched)))
    return found


def _runs(text: str, marked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Marked tokens with only spaces between them are one run."""
    runs: list[tuple[int, int]] = []
    for start, end in marked:
        if runs and not text[runs[-1][1] : start].strip():
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


def _suffix(text: str, words: list[tuple[int, int, str]], k: int) -> bool:
    """Word k is an ending glued by an apostrophe to the word before ("cpr'si", "Anna's"):
    it goes with that word, and is not marked when that word is not."""
    return (
        k > 1
        and text[words[k - 1][0] : words[k][0]] in ("'", "\u2019")
        and words[k - 2][1] == words[k - 1][0]
    )


def _telling(said: str, hidden: list[Span]) -> bool:
    """Enough to be a secret by itself: not a lone letter or two ("th", "dk", "K") that is
    no name, nor the words that join an e-mail address's pieces ("punktum", "snabel-a"),
    nor a year in a message where nothing else is personal ("født i 1981"): the rules
    leave those too."""
    if _CONNECTORS.fullmatch(said) or (_YEAR.fullmatch(said) and not hidden):
        return False
    return len(said) > 2 or any(c.isdigit() for c in said) or lists().is_name(said)


def _touch(text: str, span: Span, start: int, end: int) -> bool:
    """Overlapping, or with only a space, comma, full stop or dash between."""
    if span.start < end and start < span.end:
        return True
    between = text[span.end : start] if span.end <= start else text[end : span.start]
    return not between.strip(" ,.-")


def _kind(said: str, touched: list[Span]) -> Kind:
    """What the public reads in its place: an e-mail address's words make it one; else the
    kind of the secret it completes, or what its words look like."""
    if _EMAIL_WORDS.search(said) and len(said.split()) > 1:
        return Kind.EMAIL
    if touched:
        return touched[0].kind
    if _STREET.search(said):
        return Kind.ADDRESS
    if _NUMBER.search(said) or any(is_number(w) for w in said.split()):
        return Kind.PHONE
    return Kind.NAME
