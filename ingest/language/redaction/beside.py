"""Names known by what stands beside them once the rest is hidden: "Please call Hiroshi
Tanaka at …" (a surname found, the first name before it on no list), a surname after a
name found, a name said again between commas ("Sita, Raman, and …"), "Bjørn, +45 50 11 22
38, bjorn.aa@gmail.com" (a first name that signs contact details)."""

import re

from ingest.language.redaction.lists import lists
from ingest.language.redaction.reader import PLACE_WORDS, WORD, starts_sentence
from ingest.language.redaction.spans import Kind, Span

_CONTACT = (Kind.PHONE, Kind.EMAIL, Kind.ADDRESS)
_WHERE_THEY_LIVE = re.compile(
    r"\s+(?i:på|fra)\s+(?P<street>(?P<name>[A-ZÆØÅ][a-zæøå]{3,})\s+\d{1,3}[A-Za-z]?)\b"
    r"(?![.,:]\d|\s+(?i:gange|minutter|timer|dage|uger|måneder|år|kroner|kr|procent|børn|"
    r"personer|mennesker|times|minutes|days|weeks|years)\b)"
)


def find(text: str, hidden: list[Span]) -> list[Span]:
    names = lists()
    found = []
    for span in (s for s in hidden if s.kind is Kind.NAME):
        before = _WORD_BEFORE.search(text, max(0, span.start - 40), span.start)
        word = before.group("word") if before else ""
        opening = before is not None and starts_sentence(text, before.start())
        # "om Per Skov", and in lower case only before a surname ("per kjeldsen fra Tilst")
        before_a_surname = word.islower() and names.is_surname(text[span.start : span.end])
        first = (word[:1].isupper() and not opening) or before_a_surname
        first = first and names.is_first_name(word) and not names.is_public(word)
        if before and (first or (_unknown_name(word) and not opening)):  # "Hiroshi Tanaka"
            found.append(Span(before.start(), span.end, Kind.NAME))
        surname = _SURNAME_NEXT.match(text, span.end)
        last = surname.group("word") if surname else ""
        if surname and names.is_surname(last) and not names.is_public(last):
            found.append(Span(span.start, surname.end(), Kind.NAME))  # "Storm Lykke"
        lower = _LOWER_NEXT.match(text, span.end)
        if (
            lower
            and names.is_first_name(lower["first"])
            and (
                lower["first"] in text[span.start : span.end].lower().split()
                or not names.is_word(lower["first"])
            )
        ):
            with_surname = bool(lower["last"]) and names.is_surname(lower["last"])
            end = lower.end("last") if with_surname else lower.end("first")
            found.append(Span(lower.start("first"), end, Kind.NAME))
        again = _NAME_NEXT.match(text, span.end)
        if again and (_unknown_name(other := again.group("word")) or _first_name(other)):
            # "my name is Sita, Raman, and …", "Thias, hans CPR …": the name said again, or
            # the one they go by
            found.append(Span(again.start("word"), again.end(), Kind.NAME))
    found += _listed_with(text, [s for s in hidden if s.kind is Kind.NAME])
    found += [  # "Karl på Skovbrynet 7 har …": where the person named lives
        Span(m.start("street"), m.end("street"), Kind.ADDRESS)
        for s in hidden
        if s.kind is Kind.NAME
        and (m := _WHERE_THEY_LIVE.match(text, s.end))
        and not names.is_public(m.group("name"))
    ]
    for span in (s for s in hidden if s.kind in _CONTACT):
        full = _SIGNED_FULL.search(text, max(0, span.start - 60), span.start)
        if full and names.is_first_name(full["first"]) and not names.is_public(full["last"]):
            found.append(Span(full.start(), full.end("last"), Kind.NAME))  # "Kim Ravn, [adresse]"
            continue
        signed = _SIGNED.search(text, max(0, span.start - 40), span.start)
        if signed is None:
            continue
        word = signed.group("word")
        first = names.is_first_name(word) and not names.is_public(word)
        if first and starts_sentence(text, signed.start()):
            found.append(Span(signed.start(), signed.start() + len(word), Kind.NAME))
    return found


# The word right before a span, and a capitalised one with a comma: "Bjørn, +45 …".
_WORD_BEFORE = re.compile(rf"(?<![\w'-])(?P<word>{WORD.pattern}) $")
_SIGNED = re.compile(r"(?<![\w'-])(?P<word>[A-ZÆØÅ][\wæøå'-]*),\s+$")
_SIGNED_FULL = re.compile(
    r"(?<![\w'-])(?P<first>[A-ZÆØÅ][\wæøå'-]*) (?P<last>[A-ZÆØÅ][\wæøå'-]*),\s+$"
)
# The capitalised word after a name: with a space ("Storm Lykke"), or between commas
# ("Sita, Raman, and …").
_SURNAME_NEXT = re.compile(r"(?:\s+(?i:øh+m*|æh+m*),?)? (?P<word>[A-ZÆØÅ][\wæøå'-]+)\b")
# "det er Ebbe Rask, ebbe rask, og …": the name said again in lower case
_LOWER_NEXT = re.compile(r",\s+(?P<first>[a-zæøå][\wæøå'-]+)(?:\s+(?P<last>[a-zæøå][\wæøå'-]+))?\b")
_NAME_NEXT = re.compile(r",\s+(?P<word>[A-ZÆØÅ][\wæøå'-]+)(?=\s*[,.]|\s+(?:og|and)\b)")


# A word listed right before or after a name: "Line, Mette og Sanne", "Mette, malthe og sofus".
_LISTED_BEFORE = re.compile(rf"(?<![\w'-])(?P<word>{WORD.pattern})(?:,\s+|\s+(?:og|and)\s+)$")
_LISTED_AFTER = re.compile(rf"(?:,\s+|\s+(?:og|and)\s+)(?P<word>{WORD.pattern})(?![\w'-])")


def _listed_with(text: str, names_found: list[Span]) -> list[Span]:
    """First names listed with a name found, and with those, in turn: "pædagogerne Line,
    Mette og Sanne", "på vegne af Mette, malthe og sofus"."""
    found: list[Span] = []
    todo = list(names_found)
    taken = {(s.start, s.end) for s in names_found}
    while todo:
        span = todo.pop()
        near = [
            _LISTED_BEFORE.search(text, max(0, span.start - 30), span.start),
            _LISTED_AFTER.match(text, span.end),
        ]
        for match in (m for m in near if m is not None):
            start, end = match.start("word"), match.end("word")
            if (start, end) not in taken and _a_listed_name(text, match.group("word"), start):
                taken.add((start, end))
                found.append(Span(start, end, Kind.NAME))
                todo.append(found[-1])
    return found


def _a_listed_name(text: str, word: str, start: int) -> bool:
    names = lists()
    low = word.lower()
    if not names.is_first_name(word) or names.is_public(low) or len(word) < 3:
        return False
    if word[0].isupper():  # "Line, Mette": a name that is a word, but not where a sentence starts
        return not names.is_word(low) or not starts_sentence(text, start)
    return not names.is_word(low)  # "malthe og sofus", not "mette og sol"


def _first_name(word: str) -> bool:
    names = lists()
    return names.is_first_name(word) and not names.is_public(word) and not names.is_word(word)


def _unknown_name(word: str) -> bool:
    """Capitalised, and neither a word, a public name nor a place."""
    names = lists()
    low = word.lower()
    return (
        word[0].isupper()
        and len(word) > 1
        and not names.is_word(low)
        and not names.is_public(low)
        and low not in names.stop_words
        and not PLACE_WORDS.fullmatch(word)
    )
