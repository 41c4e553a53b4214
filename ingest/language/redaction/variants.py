"""A name said another way than the rules of names.py expect: corrected ("Rasmus, nej,
Rasmine"), given another name ("eller JP som de siger"), split by Whisper ("Ras mus"), in
Cyrillic, spelled with spaces ("hedder k i m"), as a family ("Bonde-familien"), or between
names in a list ("Lone, Kim, Hüseyin og Dorthe")."""

import re

from ingest.language.redaction.reader import PLACE_WORDS, Reader
from ingest.language.redaction.spans import Kind, Span


def find(reader: Reader, found: list[Span]) -> list[Span]:
    """Names said another way, given the names `found` so far."""
    text = reader.text
    spans = _name_corrected(reader, found) + _split_names(reader) + _cyrillic(reader)
    spans += [Span(m.start("name"), m.end("name"), Kind.NAME) for m in _FAMILY_OF.finditer(text)]
    spans += _in_a_list(reader, found + spans)
    spans += [
        Span(m.start("letters"), m.end("letters"), Kind.NAME)
        for m in _SPACED_LETTERS.finditer(text)
    ]
    return spans


_CORRECTION = re.compile(
    r"(?:,|\s*(?:\.{2,3}|…))?\s+(?i:nej|no|undskyld|sorry|jeg\s+mener|I\s+mean|eller|or),?\s+"
)  # "Fatma... nej Fadumo" too


_ALIAS = re.compile(r"\s+(?i:som|as|like)\b")  # "eller JP som de siger"


_SPACED_LETTERS = re.compile(
    r"\b(?i:hedder|heder|navn\s+er|name\s+is|staves|spelled)\s+(?P<letters>[a-zæøå](?:\s+[a-zæøå]){1,}\b)(?=[,.]|\s)"
)
_CYRILLIC = re.compile(
    "[\u0410-\u042f\u0401\u0407\u0406\u0404\u0490][\u0430-\u044f\u0451\u0457\u0456\u0454\u0491'-]+"
)


def _in_a_list(reader: Reader, spans: list[Span]) -> list[Span]:
    """ "Lone, Kim, Hüseyin og Dorthe": a first name that is also a word, between names found
    in a list, is a name."""
    starts = {s.start for s in spans}
    ends = {s.end for s in spans}
    found = []
    for word in reader.words:
        if (
            not word.capitalised
            or not reader.names.is_first_name(word.text)
            or word.start in starts
        ):
            continue
        before = re.search(r"(\S)(?:,|\s+og)\s+$", reader.text[max(0, word.start - 6) : word.start])
        after = re.match(r"(?:,|\s+og)\s+", reader.text[word.end :])
        left = before is not None and any(e == word.start - len(before.group()) + 1 for e in ends)
        right = after is not None and (word.end + after.end()) in starts
        if left and right:
            found.append(Span(word.start, word.end, Kind.NAME))
    return found


def _cyrillic(reader: Reader) -> list[Span]:
    """A capitalised word in Cyrillic inside a sentence ("моя сусідка Катерина"): a name."""
    spans = []
    for m in _CYRILLIC.finditer(reader.text):
        before = reader.text[: m.start()].rstrip()
        if before and before[-1] not in ".!?":
            spans.append(Span(m.start(), m.end(), Kind.NAME))
    return spans


def _split_names(reader: Reader) -> list[Span]:
    """A name Whisper split in two ("Ras mus hedder jeg", "Kirstin Dams gård"): a
    capitalised word and a short word after it that together make a name on the lists."""
    words, names, spans = reader.words, reader.names, []
    for i in range(len(words) - 1):
        a, b = words[i], words[i + 1]
        if not a.capitalised or b.capitalised or len(b.text) > 5 or not reader.next_to(i):
            continue
        common = {a.text.lower(), b.text.lower()} & names.stop_words
        if common or a.text.isupper() or reader.public(i) or PLACE_WORDS.fullmatch(a.text):
            continue  # "Men de", "AM in", "Park er"
        joined = a.text + b.text.replace("gård", "gaard")  # "Dams gård": Damsgaard
        if (names.is_first_name(joined) or names.is_surname(joined)) and not names.is_word(joined):
            start = a.start
            if i > 0 and reader.next_to(i - 1) and names.is_first_name(words[i - 1].text):
                start = words[i - 1].start  # "Kirstin Dams gård"
            spans.append(Span(start, b.end, Kind.NAME))
    return spans


_FAMILY_OF = re.compile(r"\b(?P<name>[A-ZÆØÅ][\wæøå]+)-(?i:familien|family)\b")


def _name_corrected(reader: Reader, spans: list[Span]) -> list[Span]:
    """ "Det var Rasmus, nej, Rasmine": the name said instead of one found is a name too."""
    found = []
    for span in spans:
        fix = _CORRECTION.match(reader.text, span.end)
        k = reader.at.get(fix.end()) if fix else None
        if (
            k is not None
            and reader.words[k].capitalised
            and not reader.public(k)
            and not (
                fix
                and fix.group().strip(" ,").lower() in ("eller", "or")
                and not _ALIAS.match(reader.text, reader.words[k].end)
            )
        ):
            found.append(Span(reader.words[k].start, reader.words[k].end, Kind.NAME))
    return found
