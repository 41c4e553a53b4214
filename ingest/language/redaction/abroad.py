"""Number words in the languages Aarhus's newcomers fall back on when they read out a number:
Polish, Turkish, Ukrainian, Russian, Spanish, Arabic, Persian and Vietnamese ("sıfır beş, on
iki, elli bir", "dwa sześć, trzy jeden", "двадцять один, нуль сім", "cincuenta y tres",
"ثلاثة صفر صفر", "یک شش صفر", "năm không sáu"). text2num reads none of them; the words are
taken from num2words's tables (0 to 99), so their spellings are not kept here. Somali and
Tigrinya, which num2words lacks, and Arabic and Persian digits as Whisper writes them in
Latin letters, are listed below."""

import functools
import unicodedata

from num2words import num2words

_LANGUAGES = ("pl", "tr", "uk", "ru", "es", "ar", "fa", "vi")
# Words of those tables that are common words in Danish or English: "once" (Spanish 11).
_NOT_HERE = {"once"}
# Digits (and tens) num2words has no table for.
_MORE = {
    # Somali
    "eber": 0, "kow": 1, "laba": 2, "saddex": 3, "afar": 4, "shan": 5, "lix": 6,
    "toddoba": 7, "siddeed": 8, "sagaal": 9, "toban": 10,
    # Tigrinya, in Ge'ez and in Latin letters
    "ዜሮ": 0, "ሓደ": 1, "ክልተ": 2, "ሰለስተ": 3, "ኣርባዕተ": 4, "ሓሙሽተ": 5, "ሽዱሽተ": 6,
    "ሸውዓተ": 7, "ሸሞንተ": 8, "ትሽዓተ": 9, "ዓሰርተ": 10,
    "hade": 1, "kilte": 2, "seleste": 3, "arbaete": 4, "hamushte": 5, "shdushte": 6,
    "shewate": 7, "shemonte": 8, "tshate": 9,
    # Arabic as it is spoken, in Arabic letters and in Latin ones
    "اثنين": 2, "ثنين": 2, "تلاتة": 3, "اربعة": 4, "تمانية": 8, "تسعه": 9,
    "sifr": 0, "wahid": 1, "tnen": 2, "itnen": 2, "talata": 3, "arba'a": 4, "khamsa": 5,
    "sitta": 6, "sab'a": 7, "tmanya": 8, "tamanya": 8, "tis'a": 9, "ashara": 10,
    # Persian in Latin letters ("do" and "se" are left out: words here)
    "sefr": 0, "yek": 1, "chahar": 4, "panj": 5, "shesh": 6, "haft": 7, "hasht": 8,
    "noh": 9, "dah": 10, "bist": 20, "chehel": 40, "panjah": 50, "shast": 60,
    "haftad": 70, "hashtad": 80, "navad": 90,
}  # fmt: skip
# Words between a ten and a digit: Spanish "y", Arabic and Persian "و", Persian "o".
JOINERS = {"y", "و", "o", "w"}
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'"})  # "дев’ять", "девʼять"


@functools.cache
def _values() -> dict[str, int]:
    values: dict[str, int] = dict(_MORE)
    for language in _LANGUAGES:
        for n in range(100):
            said = str(num2words(n, lang=language)).lower()
            if " " not in said and said not in _NOT_HERE:  # one word: Turkish "yirmidört"
                values.setdefault(said, n)
                values.setdefault(_plain(said), n)  # as Whisper may write it: "dort", "szesc"
    # Turkish teens are said apart: "on iki" is read as "on" and "iki" (see `read`).
    return values


def _ten_and_digit(a: int, b: int) -> bool:
    """A ten and a digit, in either order: "treinta y cuatro", "أربعة و ثلاثون"."""
    return (a % 10 == 0 and 20 <= a <= 90 and 1 <= b <= 9) or (
        b % 10 == 0 and 20 <= b <= 90 and 1 <= a <= 9
    )


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
        joined = values[i + 2] if i + 2 < len(words) and words[i + 1] in JOINERS else None
        if n is not None and joined is not None and _ten_and_digit(n, joined):
            found.append((i, i + 2, str(n + joined)))  # "treinta y cuatro", "سی و چهار"
            i += 3
            continue
        if n is not None and n <= 9 and words[i + 1 : i + 2] == ["mươi"]:
            tens = n * 10  # Vietnamese: "ba mươi bốn" is 3 tens and 4
            unit = values[i + 2] if i + 2 < len(words) else None
            last = i + 2 if unit is not None and unit <= 9 else i + 1
            found.append((i, last, str(tens + (unit if last == i + 2 and unit else 0))))
            i = last + 1
            continue
        if n is not None:
            found.append((i, i, str(n)))
        i += 1
    return found
