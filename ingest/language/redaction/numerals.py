"""Numbers as they were said: runs of number tokens and the digit groups read from them.

A run is number tokens (digits, or number words read by `text2num` in Danish, English and
German) joined only by spaces, commas and spoken dashes; each run becomes digit groups that
remember where in the text they were said. Spans found from groups point into the original
transcript.
"""

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import NamedTuple

from text_to_num import alpha2digit

from ingest.language.redaction import abroad

_TOKEN = re.compile(r"\S+")
_EDGE = "\"'«»()[]{}"
_DIGITS = re.compile(r"(?:\+|00)?\d+(?:[-./]\d+)*[a-zæøå]?")  # "2a": bus 2A, or misheard
_DIGIT_WORDS = {
    # Single digits that text2num leaves alone outside a run ("en", "et" are also articles).
    "nul": 0, "en": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7,
    "otte": 8, "ni": 9, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ét": 1, "én": 1,
}  # fmt: skip
_DASHES = {"-", "\u2013", "\u2014", "bindestreg", "streg", "tankestreg", "minus", "dash", "hyphen"}
_DASHES |= {"punktum", "prik"}  # "18 punktum 02 punktum 66 streg 1479": a card read aloud
# The dash in the newcomers' languages: Arabic, Spanish, Polish, Turkish, Ukrainian/Russian.
_DASHES |= {"شرطة", "guion", "guión", "myślnik", "kreska", "tire", "тире"}
# Danish number words Whisper writes as one ("nulnitolvhalvfjerds", "tolvfemogfyrre").
_UNITS = "en|et|to|tre|fire|fem|seks|syv|otte|ni"
_TENS = "tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems"
_GLUED = re.compile(
    rf"(?:(?:{_UNITS})og(?:{_TENS})|{_TENS}|tretten|fjorten|femten|seksten|sytten|atten|nitten|"
    rf"elleve|tolv|ti|nul|{_UNITS}){{2,}}"
)
_GLUED_PART = re.compile(
    rf"(?:{_UNITS})og(?:{_TENS})|{_TENS}|tretten|fjorten|femten|seksten|sytten|atten|nitten|"
    rf"elleve|tolv|ti|nul|{_UNITS}"
)
_JOINERS = {"og", "and"}
# Pieces of Danish tens as Whisper splits them: "en og halv fems", "halvt fjerds", "treti".
_SPLIT_TENS = {"halv", "halvt", "fems", "fjerds", "treds", "treti"}
_PLUS = {"plus", "+"}
# "double two, four seven", "dobbelt fem": a digit said twice (or three times).
_TIMES = {"double": 2, "dobbelt": 2, "triple": 3, "tredobbelt": 3}
_DOUBLE = set(_TIMES)
_DOUBLED = re.compile(r"\b(?i:(double|dobbelt|triple|tredobbelt))[\s-]+(\w+)")
# Fillers inside a number do not split it: "42 17. Øh, 90 65", "28 øh 61 øhm 45 03".
FILLER_WORDS = (
    r"(?i:[øö]+h+m*|e+h+m*|æ+h+m*|[aå]+h+|hm+|m{2,}h*|m+h+m*|tja|altså|"
    r"hvad\s+(?:er|var)\s+det(?:\s+nu)?(?:\s+igen)?(?:\s+det\s+er)?|hvordan\s+er\s+det\s+nu|"
    r"lad\s+mig\s+tænke|(?:vent\s+)?et\s+øjeblik|hov|(?:og\s+)?(?:så\s+)?til\s+sidst|"
    r"let\s+me\s+think|hang\s+on|hold\s+on|one\s+moment|what(?:\s+is|'s)\s+it|"
    r"lad\s+mig\s+(?:lige\s+)?se|vent\s+lige|vent|lige\s+et\s+øjeblik|jeg\s+mener|"
    r"og\s+så(?:\s+er\s+det)?|hvad\s+hedder\s+det|nej\s+vent|undskyld|nej|ikke\s+også|ikke|"
    r"ikk|ik|ja|nå|så|okay|ok|u+m+|u+h+m*|erm|er|let\s+me\s+see|i\s+mean|and\s+then|wait|"
    r"sorry|like|so|you\s+know|yeah|right|well|then)"
)
# Fillers and punctuation only: what may stand between two parts of one number.
_ONLY_FILLERS = re.compile(rf"(?:[\s\-\u2013\u2014,.…?!'()]+|\b{FILLER_WORDS}\b)*")


MAGNITUDES = re.compile(
    r"^(hundrede|hundred|tusind|tusinde|thousand|millioner|million|millions|mio|milliard\w*|billion\w*)$"
)


@dataclass(frozen=True)
class Group:
    """Digits as they were spoken or written, and where they stand in the text."""

    digits: str
    start: int
    end: int
    sep: str  # what stood before it in the run: "", " ", ",", "-", ".", "|" (a full stop)
    prefix: bool = False  # +45 or 0045
    plus: bool = False  # "plus" or "+" was said or written just before it


class Token(NamedTuple):  # a tuple: a transcript makes hundreds of them
    start: int
    end: int
    word: str  # lower case, edges stripped
    trailing: str  # punctuation that followed it


# Runs ---------------------------------------------------------------------------------------

# "tlf:30128845", "telefon53817604", "er27419306", "cpr.nr.er0603894417": a word glued to
# the number it introduces.
_GLUED_LABEL = re.compile(r"[^\W\d_]+:(?=\d)|(?:[^\W\d_]+\.)*[^\W\d_]{2,}(?=\d{8,}[,.;:!?]*$)")


# What may follow a word: Latin, Arabic and Ethiopic commas and stops.
_PUNCTUATION = ",.;:!?،؛።፣"


@functools.lru_cache(maxsize=64)  # one transcript is read several times over
def _tokens(text: str) -> tuple[Token, ...]:
    tokens = []
    for match in _TOKEN.finditer(text):
        raw, start = match.group(), match.start()
        if raw.isalpha():  # most tokens: a plain word
            tokens.append(Token(start, match.end(), raw.lower(), ""))
            continue
        if raw[-1] in _PUNCTUATION and raw[:-1].isalpha():  # or one before a comma or a stop
            tokens.append(Token(start, match.end() - 1, raw[:-1].lower(), raw[-1]))
            continue
        if raw == "(0)":
            continue  # "+45 (0) 53 12 77 08": the trunk zero written the British way
        core = raw.strip(_EDGE)
        # "tlf:30128845", "telefon53817604": a word glued to the number
        label = _GLUED_LABEL.match(core)
        if label:
            start, core = start + raw.index(core) + label.end(), core[label.end() :]
            raw = core
        if len(core) > 1 and core[0] in "-\u2013" and core[1].isdigit():
            core = core[1:]  # "0 2 1 2 3 1 -2 0 1 1"
        start += raw.index(core) if core else 0
        trailing = ""
        while core and core[-1] in _PUNCTUATION + "\u2026":
            trailing, core = core[-1] + trailing, core[:-1]
        if core:
            tokens.append(Token(start, start + len(core), core.lower(), trailing))
    return tuple(tokens)


def is_number(word: str) -> bool:
    """A number token: digits, or a number word in Danish, English or German."""
    return _is_number(word)


@functools.lru_cache(maxsize=8192)  # transcripts repeat their words; text2num is slow
def _is_number(word: str) -> bool:
    if _DIGITS.fullmatch(word) or word in _DIGIT_WORDS or MAGNITUDES.match(word):
        return True
    if word in _SPLIT_TENS:
        return True
    if len(word) >= 6 and _GLUED.fullmatch(word) and abroad.value(word) is None:
        return True  # "nulsyv", "tolvfemogfyrre"; not Turkish "seksen" (80)
    if word == "elve":
        return True
    if "-" in word.strip("-"):  # "syv-otte": digits read in pairs, joined by Whisper
        # "oh-seven": zero as English speakers read it
        return all(part and (part == "oh" or _is_number(part)) for part in word.split("-"))
    if not _NUMBER_PARTS.fullmatch(word):
        return False  # no number word: text2num, slow, need not be asked
    return any(_spoken_value(word, lang) is not None for lang in _LANGUAGES)


# The pieces every Danish, English and German number word is made of ("femogtyve",
# "twentyone", "einundzwanzig"): a word of other letters is none.
_NUMBER_PARTS = re.compile(
    r"(?:nul|en|én|et|ét|eet|to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tretten|fjorten|femten|"
    r"seksten|sytten|atten|nitten|tyve|tredive|fyrre|fyrretyve|halvtreds|tres|halvfjerds|firs|"
    r"halvfems|sindstyve|hundred|hundrede|hundreder|tusind|tusinde|tusinder|million|millioner|"
    r"milliard|milliarder|og|"
    r"zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fourty|fifty|sixty|"
    r"seventy|eighty|ninety|hundreds|thousand|thousands|millions|billion|billions|and|a|"
    r"null|eins|ein|eine|einen|zwei|zwo|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|"
    r"dreizehn|vierzehn|fünfzehn|sechzehn|siebzehn|achtzehn|neunzehn|zwanzig|dreißig|vierzig|"
    r"fünfzig|sechzig|siebzig|achtzig|neunzig|hundert|tausend|millionen|milliarde|milliarden|"
    r"und)+"
)


def _spoken_value(word: str, lang: str) -> str | None:
    converted = alpha2digit(word, lang, threshold=0)
    return converted if converted != word and converted.isdigit() else None


def number_runs(text: str) -> Iterator[tuple[list[Token], str]]:
    """Runs of number tokens, with the word that follows each run."""
    return ((list(run), after) for run, after in _number_runs(text))


@functools.lru_cache(maxsize=64)  # every number rule reads the runs of the same text
def _number_runs(text: str) -> tuple[tuple[tuple[Token, ...], str], ...]:
    return tuple((tuple(run), after) for run, after in _read_runs(text))


def _read_runs(text: str) -> Iterator[tuple[list[Token], str]]:
    tokens = _tokens(text)
    numeric = [_is_number(t.word) for t in tokens]
    foreign = [not numeric[i] and _abroad(t) for i, t in enumerate(tokens)]
    # "ochenta y ocho": a joiner between two of them leaves them side by side
    joiner = [t.word in abroad.JOINERS for t in tokens]
    for i in range(len(tokens)):  # "on iki": words that are words here too ("on") in a row
        before = i - 2 if i > 1 and joiner[i - 1] else i - 1
        after = i + 2 if i + 2 < len(tokens) and joiner[i + 1] else i + 1
        # across a joiner, any number word will do: "cincuenta y tres" ("tres" is Danish)
        near_before = before >= 0 and (foreign[before] or (before < i - 1 and numeric[before]))
        near_after = after < len(tokens) and (foreign[after] or (after > i + 1 and numeric[after]))
        numeric[i] = numeric[i] or (foreign[i] and (near_before or near_after))
    for i, token in enumerate(tokens):
        if token.word in _DOUBLE and i + 1 < len(tokens) and numeric[i + 1]:
            numeric[i] = True  # "double two": a digit said twice
    for i, token in enumerate(tokens):  # "oh" is zero next to other digits
        if token.word == "oh" and (
            (i > 0 and numeric[i - 1]) or (i + 1 < len(tokens) and numeric[i + 1])
        ):
            numeric[i] = True
    run: list[Token] = []
    for i, token in enumerate(tokens):
        between = (
            0 < i < len(tokens) - 1
            and run
            and numeric[i + 1]
            and (
                token.word in _DASHES
                or (token.word in _JOINERS and not run[-1].word[0].isdigit())
                or (token.word in abroad.JOINERS and abroad.value(run[-1].word) is not None)
            )
        )
        plus = token.word in _PLUS and i + 1 < len(tokens) and numeric[i + 1]
        if numeric[i] or between or (plus and not run):
            run.append(token)
            if token.trailing and token.trailing[-1] in ".;:!?\u2026":  # the sentence ends
                yield run, ""
                run = []
            continue
        if run:
            yield run, token.word
        run = []
    if run:
        yield run, ""


# Groups -------------------------------------------------------------------------------------


def digit_groups(text: str, run: list[Token], language: str | None) -> list[Group]:
    return list(_digit_groups(text, tuple(run), language))


@functools.lru_cache(maxsize=1024)  # the same runs are read by several rules
def _digit_groups(text: str, run: tuple[Token, ...], language: str | None) -> tuple[Group, ...]:
    return tuple(_country_codes(list(_read_groups(text, list(run), language))))


def _read_groups(text: str, run: list[Token], language: str | None) -> Iterator[Group]:
    sep = ""
    words: list[Token] = []
    plus: Token | None = None
    for token in [*run, None]:
        if token is not None and token.word in _PLUS:
            plus = token
            continue
        if token is not None and not _DIGITS.fullmatch(token.word) and token.word not in _DASHES:
            if words and _abroad(words[-1]) != _abroad(token):  # "sześć jeden, seks en"
                yield from _after_plus(_spoken(text, words, sep, language), plus)
                sep, words, plus = words[-1].trailing[:1] or " ", [], None
            words.append(token)
            continue
        doubling = None  # "25 dobbelt 6 13 80": a written digit said twice
        if words and words[-1].word in _DOUBLE and token is not None and len(token.word) == 1:
            doubling = words.pop()
        if words:
            yield from _after_plus(_spoken(text, words, sep, language), plus)
            sep, words, plus = words[-1].trailing[:1] or " ", [], None
        if doubling is not None and token is not None:
            digits = token.word * _TIMES[doubling.word]
            yield Group(digits, doubling.start, token.start + 1, sep)
            sep = token.trailing[:1] or " "
            continue
        if token is None:
            break
        if token.word in _DASHES:
            sep = "-"
            continue
        yield from _after_plus(_written(token, sep), plus)
        sep, plus = token.trailing[:1] or " ", None


def _after_plus(groups: Iterator[Group], plus: Token | None) -> Iterator[Group]:
    for n, group in enumerate(groups):
        yield replace(group, start=plus.start, plus=True) if plus and n == 0 else group


def _country_codes(groups: list[Group]) -> list[Group]:
    """ "plus 45", "plus fem og fyrre", "00 45", "nul nul fire fem" before eight more digits
    become one prefix group, so the number after it is read from its first digit."""
    for i in range(len(groups)):
        digits = ""
        for k in range(i, min(i + 4, len(groups))):
            digits += groups[k].digits
            rest = sum(len(g.digits) for g in groups[k + 1 :])
            said_45 = digits == "45" and (groups[i].plus or (i == 0 and rest == 8))
            if (said_45 or digits == "0045") and rest >= 8:
                code = Group("45", groups[i].start, groups[k].end, groups[i].sep, prefix=True)
                return [*groups[:i], code, *groups[k + 1 :]]
            if len(digits) >= 4:
                break
    return groups


def _written(token: Token, sep: str) -> Iterator[Group]:
    word, offset = token.word, token.start
    prefix = re.match(r"(?:\+|00)45[-.]?(?=\d{8}$|$)", word)
    if prefix:
        yield Group("45", offset, offset + prefix.end(), sep, prefix=True)
        sep, word, offset = "", word[prefix.end() :], offset + prefix.end()
    for part in re.finditer(r"\d+|[-./]", word):
        if part.group().isdigit():
            yield Group(part.group(), offset + part.start(), offset + part.end(), sep)
            sep = ""
        else:
            sep = part.group()


# Number words are read in Danish and English, and in German, which newcomers and visitors
# fall back on ("null drei, null sieben, achtundachtzig").
_LANGUAGES = ("da", "en", "de")
_DANISH_DIGITS = {"nul", "tre", "fire", "fem", "seks", "syv", "otte", "ni"}  # not "to", "en"
_ENGLISH_DIGITS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}


def _mixed_languages(words: list[Token]) -> bool:
    """Digits read one by one, some in Danish and some in English (a newcomer who learned
    the Danish ones): neither language alone reads them all."""
    said = [w.word for w in words]
    return (
        all(word in _DIGIT_WORDS or word in _JOINERS for word in said)
        and sum(word in _DANISH_DIGITS for word in said) >= 2
        and sum(word in _ENGLISH_DIGITS for word in said) >= 2
    )


@functools.lru_cache(maxsize=4096)  # each run is read several times; text2num is slow
def _read_aloud(phrase: str, language: str | None) -> str:
    """The phrase with its number words as digits, in whichever language reads most."""
    phrase = re.sub(r"\boh\b", "zero", phrase, flags=re.IGNORECASE)
    phrase = re.sub(r"\b\w{6,}\b", _unglued, phrase)
    phrase = re.sub(r"\b(?i:elve)\b", "elleve", phrase)  # as Whisper hears "elleve"
    phrase = _rejoined(phrase)
    phrase = _DOUBLED.sub(lambda m: " ".join([m.group(2)] * _TIMES[m.group(1).lower()]), phrase)
    phrase = re.sub(r"(?<=[^\W\d])-(?=[^\W\d])", " ", phrase)  # "syv-otte"
    best = _reading(phrase, language)
    # "halvtreds fem": a newcomer's 55, the tens said first; "firs fire fire" read in pairs
    # is 80 44. Taken as 55 only when that gives the number a length phone and CPR numbers
    # have and the pairs do not.
    turned = _TENS_FIRST.sub(r"\2og\1", phrase)
    if turned != phrase and _digit_count(best) not in _LENGTHS:
        other = _reading(turned, language)
        best = other if _digit_count(other) in _LENGTHS else best
    return best


_LENGTHS = (6, 8, 10)


def _digit_count(reading: str) -> int:
    return len(re.findall(r"\d", reading))


def _reading(phrase: str, language: str | None) -> str:
    best = _best_reading(phrase, language)
    if "," in phrase:  # "toogtyve, fifty-one, eighteen, nul ni": each pair in its language
        pieces = " ".join(_best_reading(piece, language) for piece in phrase.split(","))
        if _digit_count(pieces) > _digit_count(best):
            best = pieces
    return best


_DANISH_ONLY = re.compile(
    r"\b(?i:seks|syv|otte|fem|fire|tres|firs|halvfems|halvfjerds|halvtreds|tyve|\w+og\w+)\b"
)


_TENS_FIRST = re.compile(rf"\b(?i:({_TENS})\s+({_UNITS}))\b")


def _rejoined(phrase: str) -> str:
    """Danish tens as Whisper splits them: "halv fems", "halvt fjerds", "treti", "fem og
    tyve"; and "null", as Whisper spells "nul", among Danish digits."""
    phrase = re.sub(r"\b(?i:(halv)t?\s+(treds|tres|fjerds|fems))\b", r"\1\2", phrase)
    phrase = re.sub(r"\b(?i:treti)\b", "tredive", phrase)
    if _DANISH_ONLY.search(phrase):  # "null seks null to firs": Danish "nul" as Whisper spells it
        phrase = re.sub(r"\b(?i:null)\b", "nul", phrase)
    return re.sub(rf"\b(?i:({_UNITS})\s+og\s+({_TENS}))\b", r"\1og\2", phrase)


def _best_reading(phrase: str, language: str | None) -> str:
    best = ""
    for lang in ([language] if language in _LANGUAGES else []) + list(_LANGUAGES):
        converted = alpha2digit(phrase, lang, threshold=0)
        if len(re.findall(r"\d", converted)) > len(re.findall(r"\d", best)):
            best = converted
    return best


def _unglued(word: re.Match[str]) -> str:
    """ "tolvfemogfyrre" as "tolv femogfyrre"."""
    if not _GLUED.fullmatch(word.group().lower()):
        return word.group()
    return " ".join(_GLUED_PART.findall(word.group().lower()))


def _abroad(token: Token) -> bool:
    """A number word of the newcomers' languages (abroad.py) that is none here."""
    return abroad.value(token.word) is not None and not _is_number(token.word)


def _spoken(text: str, words: list[Token], sep: str, language: str | None) -> Iterator[Group]:
    """Number words become digit groups; each group spans the words it was read from."""
    if _abroad(words[0]):
        for n, (a, b, digits) in enumerate(abroad.read([w.word for w in words])):
            yield Group(digits, words[a].start, words[b].end, sep if n == 0 else " ")
        return
    best = _read_aloud(text[words[0].start : words[-1].end], language)
    if _mixed_languages(words):  # "en ni nul syv otte tre and then five five one nine"
        best = " ".join(str(_DIGIT_WORDS[w.word]) for w in words if w.word in _DIGIT_WORDS)
    if any(MAGNITUDES.match(w.word) for w in words):
        best = re.sub(r"\s+", "", best) if best else best  # an amount: one number
    for n, digits in enumerate(re.findall(r"\d+", best)):
        yield Group(digits, words[0].start, words[-1].end, sep if n == 0 else " ")


# Digits -------------------------------------------------------------------------------------


def digits_of(window: list[Group]) -> str:
    return "".join(g.digits for g in window)


@functools.lru_cache(maxsize=64)  # read by the number rules and again for what is said twice
def without_fillers(text: str) -> str:
    """The text with the fillers between two number words blanked out (same length, so
    spans still point into the original): "42 17. Øh, 90 65", "five one, um, er, two"."""
    tokens = _tokens(text)
    numbers = [i for i, token in enumerate(tokens) if _is_number(token.word)]
    out = text
    for a, b in itertools.pairwise(numbers):
        if b == a + 1 or b - a > 8:
            continue
        start, end = tokens[a].end, tokens[b].start
        if _ONLY_FILLERS.fullmatch(text, start, end):
            out = out[:start] + " " * (end - start) + out[end:]
    return out


def digits_in(part: str, language: str | None) -> str:
    """The digits a piece of text says, written or spoken."""
    written = "".join(re.findall(r"\d", part))
    if not re.search(r"[^\W\d_]{2,}", part):
        return written  # no words to read
    spoken = "".join(digits_of(digit_groups(part, run, language)) for run, _ in number_runs(part))
    return spoken if len(spoken) > len(written) else written
