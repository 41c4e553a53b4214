"""An e-mail address said in pieces across a message: "den starter med anneliselarsen, alt i
et ord, og så er det hos gmail, og så punktum com til sidst", "… er det hotmail? Ja,
hotmail.dk". Each piece alone is no address, so the pieces are looked for only in a message
that speaks of an e-mail address, and only in shapes no ordinary word has: a webmail's name,
a domain's ending said after a dot, a domain after its "at", words joined by a spoken dot or
underscore, letters spelled, a name glued to another name or to digits."""

import re

from ingest.language.redaction.lists import lists
from ingest.language.redaction.spans import Kind, Span

_TLD = r"(?i:com|dk|net|org|se|no|de|eu|nu|info|pl|es|uk|io|fr|it|nl|tr|de\s+ka)"
_DOT = r"(?:\s*\.\s*|,?\s+(?i:punktum|dot|prik|punkt)\s*,?\s+)"
# Webmail and the Danish providers callers name: never alone an ordinary word.
_WEBMAIL = (
    r"g\s?mail|googlemail|hot\s?mail|yahoo|outlook|icloud|jubii|protonmail|stofanet|"
    r"youseepost|get2net|webspeed|gmx|msn|aol|mail\.dk|live\.dk|tdcadsl|ofir"
)
_AT_WORD = r"(?i:at|snabel[\s-]?a|snabela)\s+"
# The message speaks of an address: it has one, or says "mail", "snabel-a", "@", "underscore"
# or "at gmail".
_ABOUT_AN_ADDRESS = re.compile(
    rf"@|\b(?i:e-?mail\w*|mail\w*|snabel\w*|email\w*|underscore|bundstreg)|"
    rf"\b{_AT_WORD}(?i:{_WEBMAIL})"
)
_DOMAIN_APART = re.compile(
    rf"(?<![\w.@-])(?:{_AT_WORD})?(?:(?i:{_WEBMAIL})(?:(?:{_DOT}|\s+){_TLD})?|"
    rf"(?i:punktum|dot|prik)\s+{_TLD})\b(?![.@-]\w)"
)
# "… og til sidst er det snabel-a city punktum dk": a domain after its "at", with no local
# part just before it (one there would have been read with it, or judged a desk's).
_DOMAIN_LAST = re.compile(
    rf"(?:^|(?<=[,.…:])\s*|(?<=\s)(?i:det|er|så|og|then|is|it's|and)\s+)"
    rf"(?P<domain>{_AT_WORD}[a-zæøå0-9-]+(?:{_DOT}[a-zæøå0-9-]+)*{_DOT}{_TLD})\b"
)
# "så et punktum, så hosseini", "og så kommer der punktum og så fisker": the piece after a
# dot said in the caller's own words.
_AFTER_A_DOT = re.compile(
    r"\b(?i:punktum|dot|prik)(?:,|\s+og)?\s+(?i:så|then)\s+(?P<piece>[a-zæøå][a-zæøå0-9]+)\b"
)
# "mia dot sørensen", "jojo underscore aarhus": words joined by a spoken dot or underscore.
_JOINED = re.compile(
    r"(?<![\w.@-])[a-zæøå][a-zæøå0-9]*(?:\s+(?i:punktum|dot|prik|bundstreg|underscore|"
    r"understreg)\s+[a-zæøå0-9]+)+\b"
)
# "j o h a n n e": a local part spelled in lower-case letters.
_LETTERS = re.compile(r"(?<![\w-])[a-zæøå](?:\s[a-zæøå]){2,}(?![\w-])")
# The domain's start just before: that address was read whole, and may be a desk's
# ("trafik snabel-a aarhus punktum dk").
_DOMAIN_BEGUN = re.compile(rf"(?:@|\b{_AT_WORD})[\w-]+(?:{_DOT}[\w-]+)*\s*$")
# "anneliselarsen", "gitte100", "mariagonzalez": a local part said as one word.
_ONE_WORD = re.compile(r"(?<![\w.@-])(?P<letters>[a-zæøå]{3,})(?P<digits>\d{0,4})(?![\w.@-])")


def find(text: str, hidden: list[Span]) -> list[Span]:
    has_address = any(s.kind is Kind.EMAIL for s in hidden)
    if not has_address and not _ABOUT_AN_ADDRESS.search(text):
        return []
    found = [
        Span(m.start(), m.end(), Kind.EMAIL)
        for m in _DOMAIN_APART.finditer(text)
        if not _DOMAIN_BEGUN.search(text, max(0, m.start() - 60), m.start())
    ]
    found += [
        Span(m.start("domain"), m.end("domain"), Kind.EMAIL) for m in _DOMAIN_LAST.finditer(text)
    ]
    stop = lists().stop_words
    found += [
        Span(m.start("piece"), m.end("piece"), Kind.EMAIL)
        for m in _AFTER_A_DOT.finditer(text)
        if m.group("piece").lower() not in stop
    ]
    found += [Span(m.start(), m.end(), Kind.EMAIL) for m in _LETTERS.finditer(text)]
    found += [
        Span(m.start(), m.end(), Kind.EMAIL)
        for m in _JOINED.finditer(text)
        if not {m.group().split()[0].lower(), m.group().split()[-1].lower()} & stop
    ]
    for m in _ONE_WORD.finditer(text):
        if _a_local_part(m.group("letters"), m.group("digits")):
            found.append(Span(m.start(), m.end(), Kind.EMAIL))
    return [s for s in found if not any(h.start <= s.start < h.end for h in hidden)]


def _a_local_part(letters: str, digits: str) -> bool:
    """A name followed by digits ("gitte100", "vang76"), or a first name glued to another
    name ("anneliselarsen")."""
    names = lists()
    if names.is_word(letters + digits):
        return False
    if digits:
        return letters in names.any_names and not names.is_word(letters)
    # the second name four letters or more: "lander" is no "Lan" and "der"
    return any(
        letters[:cut] in names.first_names and letters[cut:] in names.any_names
        for cut in range(3, len(letters) - 3)
    )
