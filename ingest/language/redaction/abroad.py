"""Number words in the languages Aarhus's newcomers fall back on when they read out a number:
Polish, Turkish, Ukrainian and Russian ("sıfır beş, on iki, elli bir", "dwa sześć, trzy
jeden", "двадцять один, нуль сім"). text2num reads none of them; the words are taken from
num2words's tables (0 to 99), so their spellings are not kept here."""

import functools
import unicodedata

from num2words import num2words

_LANGUAGES = ("pl", "tr", "uk", "ru")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'"})  # "дев’ять", "девʼять"


@functools.cache
def _values() -> dict[str, int]:
    values: dict[str, int] = {}
    for language in _LANGUAGES:
        for n in range(100):
            said = str(num2words(n, lang=language)).lower()
            if " " not in said:  # one word: digits, teens, tens, Turkish "yirmidört"
                values.setdefault(said, n)
                values.setdefault(_plain(said), n)  # as Whisper may write it: "dort", "szesc"
    # Turkish teens are said apart: "on iki" is read as "on" and "iki" (see `read`).
    return values


def _plain(word: str) -> str:
    word = word.replace("ı", "i").replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def value(word: str) -> int | None:
    """The number a word says in one of the languages, or None."""
    return _values().get(
        word.translate(_APOSTROPHES) if "\u2019" in word or "\u02bc" in word else word
    )


def read(words: list[str]) -> list[tuple[int, int, str]]:
    """The numbers said by words, as (first word, last word, digits): a ten and a digit
    after it are one number ("elli bir" 51, "dwadzieścia cztery" 24, "on iki" 12); each
    other number word is its own; a word that is none is passed over."""
    values = [value(word) for word in words]
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        n, after = values[i], values[i + 1] if i + 1 < len(words) else None
        if n is not None and n % 10 == 0 and 10 <= n <= 90 and after and after <= 9:
            found.append((i, i + 1, str(n + after)))
            i += 2
            continue
        if n is not None:
            found.append((i, i, str(n)))
        i += 1
    return found
