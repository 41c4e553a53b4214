"""Names of places as people type them, and the slugs booths and addresses carry.

A slug is ASCII (shared.topics.SLUG_PATTERN): "Rundhøj" is rundhoj, "Aarhus C" aarhus-c.
People write the same place as Rundhøj, rundhøj, rundhoej or Rundhoj, and Århus as Aarhus;
`fold` maps all of those to one key, so a typed name finds its slug. Danish letters fold
to one vowel each (æ, ae -> a; ø, oe -> o; å, aa -> a): two places whose names differ
only there would share a key, which `resolve` then treats as not found rather than guess.
"""

import re
import unicodedata
from collections.abc import Iterable

_DANISH = str.maketrans({"æ": "ae", "ø": "o", "å": "aa"})
_DIGRAPHS = (("aa", "a"), ("ae", "a"), ("oe", "o"), ("æ", "a"), ("ø", "o"), ("å", "a"))
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _ascii(text: str) -> str:
    # Other accents (é, ü) lose their marks; letters without an ASCII form are dropped.
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode()


def slugify(name: str) -> str:
    """The slug for a name: "Rundhøj" -> rundhoj, "Aarhus C" -> aarhus-c, "Bæk" -> baek."""
    lowered = unicodedata.normalize("NFC", name).lower().translate(_DANISH)
    return _NOT_SLUG.sub("-", _ascii(lowered)).strip("-")[:64]


def fold(text: str) -> str:
    """One key for every way of writing a name: letters and digits only, Danish vowels and
    their two-letter spellings as one vowel."""
    lowered = unicodedata.normalize("NFC", text).lower()
    for spelled, vowel in _DIGRAPHS:
        lowered = lowered.replace(spelled, vowel)
    return _NOT_SLUG.sub("", _ascii(lowered))


def resolve(typed: str, places: Iterable[tuple[str, str]]) -> str | None:
    """The slug of the place `typed` names, from (slug, name) pairs: by its slug, else by
    the one place whose slug or name folds to the same key; None when none or several do."""
    pairs = list(places)
    if any(slug == typed for slug, _ in pairs):
        return typed
    key = fold(typed)
    if not key:
        return None
    found = {slug for slug, name in pairs if key in (fold(slug), fold(name))}
    return found.pop() if len(found) == 1 else None
