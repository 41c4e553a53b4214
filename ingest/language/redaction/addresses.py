"""Street addresses: a street name and a house number ("Vestergade 12", "Grøfthøjparken
treogtyve", "Jens Baggesens Vej 14, 2. tv", "14 Harbour Street"). A street named without a
number is a place, not an address, and stays."""

import re

from ingest.language.redaction.spans import Kind, Span

_SUFFIX = (
    r"(?:vej|vejen|gade|gaden|allé|alle|stræde|strædet|plads|pladsen|torv|torvet|parken|"
    r"vænget|boulevard|bakken|toften|stien|engen|haven|kvarteret|løkken|kajen|vang|vangen)"
)
_NUMBER_WORD = (
    r"(?:en|et|to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tretten|fjorten|femten|seksten|"
    r"sytten|atten|nitten|tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems|"
    r"\w+og(?:tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems))"
)
_HOUSE = rf"(?:\d{{1,4}}(?!\d)(?:\s?[a-zA-Z]\b)?|{_NUMBER_WORD}\b)"
_FLOOR = r"(?:,?\s*(?:\d{1,2}\.?|st\.?|stuen|kælder)\s*(?:sal\s*)?(?:th|tv|mf)\.?)?"
_NOT_AFTER = r"(?!\s*(?:km|meter|m\b|minutter|min\b|procent|%|kr|kroner|gange|år|timer|km/t))"
_DANISH = re.compile(
    rf"(?:\b(?:[A-ZÆØÅ][\wæøå.-]+\s+){{1,3}}(?:Vej|Gade|Allé|Alle|Stræde|Plads|Torv|Boulevard)"
    rf"|\b[\wæøåÆØÅ-]{{3,}}{_SUFFIX})\s+{_HOUSE}{_NOT_AFTER}{_FLOOR}",
    re.UNICODE,
)
_ENGLISH_ROAD = r"(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Way|Drive|Close|Place|Square|Terrace)"
_ENGLISH = re.compile(
    rf"\b\d{{1,4}}[a-zA-Z]?\s+(?:[A-Z][a-z]+\s+){{1,3}}{_ENGLISH_ROAD}"
    rf"|\b(?:[A-Z][a-z]+\s+){{1,3}}{_ENGLISH_ROAD}\s+\d{{1,4}}\b{_NOT_AFTER}"
)


def find(text: str, language: str | None = None) -> list[Span]:
    return [
        Span(m.start(), m.end(), Kind.ADDRESS)
        for pattern in (_DANISH, _ENGLISH)
        for m in pattern.finditer(text)
    ]
