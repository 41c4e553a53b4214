"""A private person's vehicle by its number: "min nummerplade er CX 41 228", "stelnummer
WAA 123 4567".

A Danish licence plate is two letters and five digits, written "AB 12 345": the shape alone
is telling enough, as no amount, date or phone number looks like it. A bicycle's frame
number, or a plate written another way, is hidden only after a word that says what it is.
Digits said as words are left to the phone rules, which hide them as a number.
"""

import re

from ingest.language.redaction.spans import Kind, Span

_PLATE = re.compile(r"\b[A-ZÆØÅ]{2}[ -]?\d{2}[ -]?\d{3}\b(?![ -]?\d)")
_SAID_AFTER = re.compile(
    r"\b(?i:nummerplade(?:n|r)?|bilnummer(?:et)?|registreringsnummer(?:et)?|reg\.?\s?nr\.?|"
    r"stelnummer(?:et)?|(?:licen[cs]e|number)\s+plate|plate\s+number|registration|"
    r"frame\s+number)"
    r"(?:\s+(?i:er|is|was|var|lyder|hedder))?[\s:,]*"
    r"(?P<number>[A-ZÆØÅa-zæøå]{1,3}[ -]?\d[\d -]{1,10}\d)\b"
)


def find(text: str) -> list[Span]:
    spans = [Span(m.start(), m.end(), Kind.PLATE) for m in _PLATE.finditer(text)]
    spans += [
        Span(m.start("number"), m.end("number"), Kind.PLATE) for m in _SAID_AFTER.finditer(text)
    ]
    return spans
