"""Capitalised words that may be names the rules did not hide, for a moderator to look at."""

import re

from ingest.language.redaction.reader import PLACE_WORDS, Reader
from ingest.language.redaction.spans import Kind, Span


def find(text: str, hidden: list[Span]) -> list[Span]:
    """Capitalised words that may be names: not at a sentence start, not public, not hidden
    already. Neighbouring ones form one suspect ("Lars Bo")."""
    reader = Reader(text)
    found: list[Span] = []
    for i, word in enumerate(reader.words):
        if (
            not word.capitalised
            or word.initial
            or word.text.split("-")[0].isupper()  # "DSB", "CPR-nummer", "I"
            or PLACE_WORDS.fullmatch(word.text) is not None  # "Street" of "Harbour Street"
            or reader.public(i)
            or _is_place_name(word.text)
            or any(s.start <= word.start < s.end for s in hidden)
            or reader.place_follows(i)
        ):
            continue
        if found and reader.text[found[-1].end : word.start] == " ":
            found[-1] = Span(found[-1].start, word.end, Kind.NAME)
        else:
            found.append(Span(word.start, word.end, Kind.NAME))
    return found


def _is_place_name(word: str) -> bool:
    """One word street and place names: "Toftevej", "Grøfthøjparken", "Rådhuspladsen"."""
    return bool(
        re.search(
            r"(?i:vej|vejen|gade|gaden|allé|torv|torvet|plads|pladsen|parken|vænget|stræde|"
            r"skolen|skole|kirke|kirken|hallen|huset|centret|bakken|høj|bjerg|rup|strup|"
            r"lund|sø|søen|by|byen|holm|borg|havn|havnen)$",
            word,
        )
    )
