"""Names found that what stands around them makes public: a storm's, a monarch's, a maker's of
a work, someone on the air or beside a public figure, a thing's or a pet's, a street's."""

import functools
import re

from ingest.language.redaction.reader import Reader
from ingest.language.redaction.spans import Span

# In a message about storms, a name before "i 2015" is a storm's ("og Gorm i 2015").
_STORMS = re.compile(r"(?i:storm|orkan|hurricane)")
_IN_A_YEAR = re.compile(
    r"(?:\s+og\s+[A-ZÆØÅ]\w+)?\s+i\s+(?:19|20)\d\d\b"
)  # "Allan og Bodil i 2013"
# Someone speaking on the radio or television is public: "Steffen Brandt fra TV-2".
_MEDIA_AFTER = re.compile(
    r"\s+(?i:fra|på|from|on)\s+(?i:tv[\s-]?2|dr\b|p[1-4]\b|radioen|avisen|jyllands-posten|"
    r"stiften|stiftstidende|politiken|berlingske|ekstra\s+bladet|bt\b)"
)


# The maker of a work, and Whisper's subtitle credits on silence, are public.
_MADE_BY = re.compile(
    r"(?i:(?P<credit>undertekster|tekster|tekstning|subtitles|captions)|skulptur\w*|maleri\w*|værk\w*|"
    r"statue\w*|roman\w*|digt\w*|bog(?:en)?|sang(?:en)?|film(?:en)?|tegnet|skrevet|bygget|"
    r"designet|malet|painted|written|designed|built)\b[^.!?]{0,40}?\s(?:af|by)\s+$"
)
# How THING_NAMED and _MADE_BY end.
_NAMED_BEFORE = re.compile(r"(?i:hedder|kaldes|called|named)\s+$")
_BY_BEFORE = re.compile(r"\s(?:af|by)\s+$")
# "Karl blocks gade", "Christian den tiendes vej": a street Whisper wrote in lower case.
_STREET_AFTER = re.compile(
    r"(?:\s+(?:den|de|la|le|von|van)\s+[a-zæøå]+)?(?:\s+[a-zæøå]+s)?\s+"
    r"(?i:vej|gade|allé|alle|plads|torv|stræde|boulevard|park)\b"
)
# A monarch's number is capitalised ("Christian den Tiende"); a date is not ("den 3. maj").
_REGNAL = re.compile(
    r"\s+den\s+(?:Første|Anden|Tredje|Fjerde|Femte|Sjette|Syvende|Ottende|Niende|Tiende|"
    r"Ellevte|Tolvte)\b"
)

# What is named after "hedder", "kaldes", "called" when it is no person.
THING_NAMED = re.compile(
    r"\b(?i:(?:en|et|den|det|vores|min|mit|deres|hans|hendes|a|our|my|the)\s+(?:\w+\s+)?"
    r"(?:hund|kat|hest|båd|skib|kanin|fugl|papegøje|marsvin|hamster|butik|bar|café|firma|"
    r"projekt|forening|band|bog|film|app|restaurant|klub|børnehave|vuggestue|skole|hal|plads|"
    r"park|legeplads|bygning|hus|center|kvarter|område|gade|vej|festival|kor|hold|sang|avis|"
    r"blad|station|dog|cat|boat|horse|shop|band|school|park|building)|"
    r"båden|skibet|færgen|hunden|katten|hesten|butikken|baren|caféen|cafeen|firmaet|"
    r"bussen|toget|linjen|ruten|broen|"
    r"projektet|stormen|vejen|gaden|pladsen|parken|skolen|huset|foreningen|festivalen|bandet|"
    r"bogen|filmen|serien|programmet|appen|restauranten|stedet|klubben|holdet|the\s+boat|the\s+ship|"
    r"the\s+dog|the\s+shop|the\s+band|the\s+app)\b[^.!?]*?(?i:hedder|kaldes|called|named)\s+$"
)


# Someone a street, a hall or a square is named after, or who founded what the city keeps:
# "opkaldt efter Niels Steno", "Peter Holm grundlagde Den Gamle By".
_HONOURED_BEFORE = re.compile(
    r"\b(?i:opkaldt|opkalde|navngivet|named|har\s+navn|fik\s+navn)\s+(?i:efter|after)\s+"
    r"(?:(?i:dirigenten|komponisten|forfatteren|digteren|billedhuggeren|arkitekten|"
    r"filosoffen|købmanden|kongen|dronningen|the\s+\w+)\s+)?$"
)
_FOUNDED_AFTER = re.compile(r"\s+(?i:grundlagde|grundlagt|founded|stiftede)\b")
# A name a street in the same message is named after: "Peter Sabroes Gade, for Peter
# Sabroe kæmpede …".
_STREET_NAMED = re.compile(
    r"([A-ZÆØÅ][\w.]*(?:[\s-]+[A-ZÆØÅ][\w.]*){0,2})s\s+(?:Gade|Vej|Allé|Alle|Plads|Boulevard|"
    r"Torv|Stræde|Park|Museum|Museet|Skole|Hallen|Kollegium|Kollegiet)\b"
)


@functools.lru_cache(maxsize=64)  # asked for each name found in the same text
def _streets_named_after(text: str) -> frozenset[str]:
    return frozenset(m.group(1) for m in _STREET_NAMED.finditer(text))


# A person is named, whatever thing was spoken of before: "om min mors plads, hun hedder …".
_SHE_SAYS = re.compile(r"\b(?i:hun|han|she|he)\s+(?i:hedder|is\s+called)\s*$")


def a_thing_named(text: str, position: int) -> bool:
    """The name at `position` is a thing's: a boat, a shop, a place was spoken of just
    before, and no "hun hedder" says it is a person's."""
    return bool(THING_NAMED.search(text, max(0, position - 50), position)) and not (
        _SHE_SAYS.search(text, max(0, position - 20), position)
    )


def public_after_all(reader: Reader, span: Span) -> bool:
    """A name found that its company makes public: a storm's, one on the air, one joined by
    "og" to a public figure ("Arne Jacobsen og Erik Møller", "Holger Rune og Clara
    Tauson")."""
    text = reader.text
    if _IN_A_YEAR.match(text, span.end) and _STORMS.search(text):
        return True
    if _HONOURED_BEFORE.search(text, max(0, span.start - 45), span.start):
        return True  # "opkaldt efter dirigenten Thomas Jensen"
    if _FOUNDED_AFTER.match(text, span.end):
        return True  # "Peter Holm grundlagde Den Gamle By i 1909"
    said = text[span.start : span.end]
    if " " in said and said in _streets_named_after(text):
        return True  # "Peter Sabroes Gade, for Peter Sabroe kæmpede …"
    # The long patterns end where the name begins: each is tried only after its last words.
    named = _NAMED_BEFORE.search(text, max(0, span.start - 20), span.start)
    if named and a_thing_named(text, span.start):
        return True  # "båden … hedder Lykke-Per"
    by = _BY_BEFORE.search(text, max(0, span.start - 10), span.start)
    made_by = by and _MADE_BY.search(text, max(0, span.start - 60), span.start)
    if made_by and (" " in text[span.start : span.end] or made_by.group("credit")):
        return True  # "skulpturen af Ron Mueck", "Undertekster af DR"; not "af lise"
    if _STREET_AFTER.match(text, span.end):
        return True  # "Karl blocks gade", "Christian den tiendes vej": a street in lower case
    if _MEDIA_AFTER.match(text, span.end) or _REGNAL.search(text, span.start, span.end + 20):
        return True  # "Steffen Brandt fra TV-2", "Christian den Tiende"
    before = re.search(
        r"(\S+(?:\s+\S+)?)\s+(?:og|and|&)\s+$", text[max(0, span.start - 40) : span.start]
    )
    after = re.match(r"\s+(?:og|and|&)\s+", text[span.end :])
    figures = [(a, b) for a, b in reader.masked if " " in text[a:b] and text[a].isupper()]
    near = [
        (a, b)
        for a, b in figures
        if (before and b == span.start - len(before.group()) + len(before.group(1)))
        or (after and a == span.end + after.end())
    ]
    return bool(near)
