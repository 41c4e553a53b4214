"""A name said again: once hidden, the same word elsewhere in the message is the same person."""

import re
import unicodedata

from ingest.language.redaction.lists import lists
from ingest.language.redaction.reader import PLACE_WORDS, WORD, starts_sentence, surname_shaped
from ingest.language.redaction.spans import Kind, Span

# Spoken between the pieces of an e-mail address: never a piece of anyone's name.
_EMAIL_WORDS = re.compile(
    r"(?i:at|snabel|snabela|dot|punktum|prik|punkt|kropka|bundstreg|underscore|understreg|streg|"
    r"bindestreg|dash|hyphen|minus|plus|[øæe]h+m*|uh+m*|um+|hm+|[a-zæøå])"
)
# Where the local part ends; an address said in pieces may begin with its "at" ("snabel-a,
# og så er det post punktum tele punktum dk"), and has no local part then.
_LOCAL_END = re.compile(
    r"@|(?:^|\s)(?i:at|sna[bp](?:el|pel|ple)?[\s-]?a|snabela|snabel|małpa|malpa|sobaka|собака|"
    r"a\s+còng|a\s+med\s+(?:en\s+)?ring)\b"
)


def find(text: str, hidden: list[Span]) -> list[Span]:
    """A name said again is the same person: once a name, its spelling or the local part of
    an e-mail address is hidden, the same word elsewhere in the message is hidden too ("det
    er Kim, K-I-M", "faduma.ali snabel-a outlook.dk, faduma med f", "Storm … sig det så
    Storm"). A name that is also a word ("Storm", "Bo") is hidden again only where it is
    capitalised, except after an e-mail address, which spells the name out."""
    names = lists()
    said_as_name: set[str] = set()
    in_address: set[str] = set()
    for span in hidden:
        part = text[span.start : span.end]
        if span.kind is Kind.NAME:
            if _SPELLED_LETTERS.fullmatch(part):
                said_as_name.add(re.sub(r"[\W\d_]", "", part).lower())
            said_as_name |= {w.lower() for w in WORD.findall(part) if len(w) > 1}
        elif span.kind is Kind.EMAIL:
            in_address |= _local_pieces(part)
    # An address's pieces count even where they are stop words: "bo.skov@…, bo ligesom at bo".
    wanted = ((said_as_name - names.stop_words) | in_address) - names.public
    stop_names = (said_as_name & names.stop_words) - names.public
    found = []
    words = list(WORD.finditer(text))
    wanted |= {_bare(w) for w in wanted if not w.isascii()}
    for k, match in enumerate(words):
        low = match.group().lower()
        if low not in wanted and not low.isascii() and _bare(low) in wanted:
            low = _bare(low)  # "rogvi snabel-a …, Rógvi med accent"
        if low not in wanted and low.endswith("s") and low[:-1] in wanted:
            low = low[:-1]  # "noahs mor": the name in the genitive
        if low not in in_address and in_address:
            low = _spelled_out(text, match, low, in_address) or low
        if low not in wanted and not (
            low in stop_names
            and match.group()[0].isupper()
            and not starts_sentence(text, match.start())
        ):
            continue  # "Bo der bor": a name that is a stop word, capitalised where it is one
        if any(s.start <= match.start() < s.end for s in hidden):
            continue
        noun = match.group()[0].islower() and _ARTICLE.search(
            text, max(0, match.start() - 8), match.start()
        )
        if noun:
            continue  # "Helle. Der mangler en helle": a noun after its article
        before = words[k - 1] if k > 0 else None
        after_a_name = (  # "Jens lund": the surname found before, after a first name hidden
            before is not None
            and text[before.end() : match.start()] == " "
            and any(s.kind is Kind.NAME and s.start <= before.start() < s.end for s in hidden)
        )
        if (
            low in in_address
            or match.group()[0].isupper()
            or not names.is_word(low)
            or after_a_name
        ):
            end = match.end()
            after = words[k + 1] if k + 1 < len(words) else None
            if after and text[end : after.start()] == " " and _goes_with(after.group()):
                end = after.end()  # "det er Storm, Storm Kjær", "Deepak, Deepak Raghunathan"
            start = match.start()
            if before and text[before.end() : start] == " " and _first_before(before.group()):
                start = before.start()  # "Jeg hedder Sommer, Helle Sommer"
            found.append(Span(start, end, Kind.NAME))
    found = _joined(text, found)
    found += _letter_for_name(text, hidden)
    return found + _letters_spelled(text, hidden, in_address | said_as_name)


def _letters_spelled(text: str, hidden: list[Span], said: set[str]) -> list[Span]:
    """ "hj at dadlnet punktum dk, h j som mine initialer": the local part or a name spelled;
    "Signe med g, s i g n e": the letters may begin with one said about the spelling."""
    found = []
    for letters in _SPELLED_LETTERS.finditer(text) if said else ():
        at = [letters.start() + i for i, c in enumerate(letters.group()) if c.isalpha()]
        spelled = re.sub(r"[\W\d_]", "", letters.group()).lower()
        for skip in range(max(1, min(3, len(at) - 2))):
            inside = any(s.start <= at[skip] < s.end for s in hidden)
            if spelled[skip:] in said and not inside:
                found.append(Span(at[skip], letters.end(), Kind.NAME))
                break
    return found


# What a caller says after a piece of their address to spell it: "Møller med o e", "lund
# som i skov", "brun som farven", "Højbjerg ligesom bydelen", "Kærgaard skrevet med a e".
_SPELLING_REMARK = re.compile(
    r"\s+(?i:med\s+(?:[a-zæøå]\b|to\b|dobbelt|ét|et\b|stort|lille)|som\s+i\b|som\s+(?:farven|fuglen|"
    r"træet|byen|bydelen|blomsten|dyret)|ligesom|skrevet|staves|uden\s+[a-zæøå]\b|"
    r"with\s+(?:an?\s+)?[a-z]\b|like\s+the)"
)
# Letters an address cannot hold, as addresses write them: "Bjørn" as "bjoern" or "bjorn".
_DANISH_LETTERS = (
    str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}),
    str.maketrans({"æ": "e", "ø": "o", "å": "a"}),
)


def _spelled_out(text: str, match: re.Match[str], low: str, in_address: set[str]) -> str:
    """The piece of an e-mail address a word spells out after it: the word as the address
    writes its Danish letters ("Møller med o e" for "moeller"), or the end or start of a
    piece, with a remark on its spelling after it ("lund som i skov" for "rasmuslund")."""
    for table in _DANISH_LETTERS:
        written = low.translate(table)
        if written != low and written in in_address:
            return written
    if len(low) >= 3 and _SPELLING_REMARK.match(text, match.end()):
        written_forms = {low, *(low.translate(t) for t in _DANISH_LETTERS)}
        for piece in in_address:
            if any(piece.startswith(w) or piece.endswith(w) for w in written_forms):
                return piece
    return ""


_LETTER_FOR = re.compile(
    r"(?<![\w'-])(?P<letters>[^\W\d_](?:\s+[^\W\d_])?)\s+(?i:for|like)\s+"
    r"(?P<name>[A-ZÆØÅ][^\W\d_'-]+(?:-[A-ZÆØÅ][^\W\d_'-]+)?)"
)


def _letter_for_name(text: str, hidden: list[Span]) -> list[Span]:
    """ "hamid dot n at gmail dot com, N for Naseri": a letter of an address and the name it
    stands for."""
    letters = {
        w.lower()
        for span in hidden
        if span.kind is Kind.EMAIL
        for w in re.findall(r"[^\W\d_]+", _local_part(text[span.start : span.end]))
    }
    found = []
    for match in _LETTER_FOR.finditer(text) if letters else ():
        said = re.sub(r"\s", "", match.group("letters")).lower()
        inside = any(s.start <= match.start() < s.end for s in hidden)
        if said in letters and not inside and not lists().is_public(match.group("name")):
            found.append(Span(match.start(), match.end(), Kind.NAME))
    return found


_SPELLED_LETTERS = re.compile(r"(?<!\w)[^\W\d_](?:(?:\s*[-,.]\s*|\s+)[^\W\d_](?!\w))+")


def _local_pieces(address: str) -> set[str]:
    """The words of an address's local part, before its last "at" ("email me at tom dot
    baker at …"). A written one counts whole, stop words too ("bo.skov@…"); one said in
    words leaves out the words around it ("min mail er anna berg snabel a …")."""
    local = _local_part(address)
    words = [w.lower() for w in re.findall(r"[^\W\d_]{2,}", local)]
    pieces = {w for w in words if not _EMAIL_WORDS.fullmatch(w)}
    # "k a s p e r snabel-a …": letters spelled out are the word they spell
    pieces |= {m.group().replace(" ", "").lower() for m in _SPELLED_OUT.finditer(local)}
    if " " in local.strip():  # the words that lead up to it: "my email is", "min mail er"
        lead = re.match(rf"(?:(?:{_LEAD})\s+)+", local.strip(), re.IGNORECASE)
        if lead:
            pieces -= {w.lower() for w in lead.group().split()} - set(
                re.findall(r"[^\W\d_]{2,}", local.strip()[lead.end() :].lower())
            )
    # "gurpreet singh at live dot com, one word, gurpreetsingh": the pieces said as one
    ordered = [w for w in words if w in pieces]
    if len(ordered) > 1:
        pieces.add("".join(ordered))
    return pieces


_SPELLED_OUT = re.compile(r"(?<!\w)[^\W\d_](?: [^\W\d_](?!\w)){2,}")


def _local_part(address: str) -> str:
    """What stands before an address's last "at" ("email me at tom dot baker at …")."""
    ends = [*_LOCAL_END.finditer(address)]
    return address[: ends[-1].start()] if ends else address


_LEAD = (
    r"my|min|mit|e-?mail|mail|mailadresse|adresse|address|is|er|det|den|it's|me|at|til|skriv|write"
)


_ARTICLE = re.compile(r"\b(?i:en|et|den|det|a|an|the)\s+$")


_JOIN_WORDS = re.compile(
    r"\s+(?i:bindestreg|streg|punktum|prik|dot|underscore|bundstreg|hyphen|dash)\s+"
)


def _joined(text: str, spans: list[Span]) -> list[Span]:
    """ "altså ole bindestreg kristian": pieces of an address said again, with the spoken
    joins between them, are one."""
    spans = sorted(spans)
    out: list[Span] = []
    for span in spans:
        if out and _JOIN_WORDS.fullmatch(text, out[-1].end, span.start):
            out[-1] = Span(out[-1].start, span.end, Kind.NAME)
        else:
            out.append(span)
    return out


def _bare(word: str) -> str:
    """The word without accents and other marks: "Tuấn" as "tuan"."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _first_before(word: str) -> bool:
    names = lists()
    return word[0].isupper() and names.is_first_name(word) and not names.is_public(word)


def _goes_with(word: str) -> bool:
    """The word after a name said again is part of it: a surname, known or Danish by its
    ending, a capitalised word on no list, or an initial ("noah b")."""
    names = lists()
    low = word.lower()
    if len(word) == 1:
        return word.isalpha()
    return (
        word[0].isupper()
        and not names.is_public(low)
        and (not names.is_word(low) or names.is_surname(low))  # "Bo, Bo Skov"
        and not PLACE_WORDS.fullmatch(word)
        and (names.is_surname(low) or surname_shaped(word) or not names.is_name(low))
    )
