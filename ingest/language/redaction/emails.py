"""E-mail addresses, written, spoken or half of each: "anna at example dot dk", "maria.p
snabela hotmail.com", "omar bundstreg k snabel-a gmail punktum com". The whole local part
is hidden, every piece joined by a written or spoken dot, underscore or dash."""

import re

from ingest.language.redaction.lists import lists
from ingest.language.redaction.reader import CORRECTING
from ingest.language.redaction.spans import Kind, Span

# "mia.sol@gmail. com": Whisper may put a space after the last dot.
_WRITTEN = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*(?:\.(?i:\s?(?:com|dk|net|org|se|no|de|eu|nu|info|pl|uk|io))\b|"
    r"\.[\w-]+)",
    re.UNICODE,
)
# A caller who spells slowly gets commas from Whisper: "sofie, snabel-a, jubii, punktum, dk".
# Dots said in Spanish, Portuguese, Polish, Turkish, Vietnamese, Ukrainian and Russian too,
# and as Whisper hears "dot" from a Dane ("dåt").
_DOTS = (
    r"dot|dåt|point|punktum|punkt\s?um|prik|punkt|punto|ponto|kropka|nokta|chấm|крапка|точка|"
    r"krapka|tochka"  # Ukrainian and Russian as Whisper writes them in Latin letters
)
_SPOKEN_DOT = rf"(?:,?\s+(?i:{_DOTS}),?\s+|\s+\.\s+)"  # "mail . dk" too
_SPOKEN_JOIN = (
    rf"\s+\.\s+|,\s+(?i:nej),?\s+|,?\s+(?i:{_DOTS}|bundstreg|underscore|understreg|streg|"
    r"bindestreg|dash|hyphen|minus|plus),?\s+"
)
_PIECE = r"(?:[a-zæøå]\s+(?i:som\s+i|as\s+in)\s+\w+|[\w+.'-]*[\w+])"  # "sarah.o'neill"
# Whisper splits a spoken local part at spaces: "mads k", "ole h", "hamid bundstreg 9 2".
# Single letters and short digit groups join it; so does one word before a last name-like
# word ("bente kaas"), unless that word is a stop word ("den er anna", "skriv til anna").
_NUMBER_WORD = (
    r"(?i:nul|en|et|to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|[a-zæøå]+og(?:tyve|"
    r"tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems)|tyve|tredive|fyrre|halvtreds|tres|"
    r"halvfjerds|firs|halvfems|zero|one|two|three|four|five|six|seven|eight|nine)"
)
_SHORT = rf"(?:\d{{1,4}}|[^\W\d_]|{_NUMBER_WORD})(?=[\s,]|$)"
_LOCAL = re.compile(
    rf"(?:(?P<before>[a-zæøå]{{2,}})\s+(?=[a-zæøå][\w.-]*$))?"
    rf"{_PIECE}(?:(?:(?:{_SPOKEN_JOIN})+|,?\s+(?={_SHORT})){_PIECE})*$"
)
# "snabel-a" as Whisper hears it: "snabela", "snabel og a", "snabler", "snablen", "sabel a" …
_SNABEL_A = (
    r"sna(?:bel|pel|pple|bbel)(?:,?\s|-)?a[rh]?|sna[bp]e?la|sna[bp]el(?:\s+og(?:\s+a)?)?|"
    r"snabler|snabel-æ|snablea|snablen|snabelen|sabel[\s-]a|snable[\s-]a"
)
_AT = re.compile(
    r"\s*@\s*|\s*\((?i:at|snabel-a)\)\s*|"  # "ahmad.saleh(at)gmail.com"
    r"(?:,|\s*(?:\.{2,3}|…))*\s+(?i:at\s+sign|at-tegnet|at-tegn|at|"  # "ahmed.k.1990 ... snabel a"
    rf"{_SNABEL_A}|"
    r"snabel-a-tegn|(?:det\s+der\s+)?a\s+med\s+(?:en\s+)?ring\s+(?:om|omkring|rundt\s+om)|"
    # "@" said in Polish, Russian or Ukrainian, Vietnamese, Turkish, Spanish or Portuguese,
    # French
    r"małpa|malpa|małpka|sobaka|собака|a\s+còng|a\s+cong|at\s+işareti|arroba|arobase|"
    r"grisehale|ravlyk|равлик|"  # Danish "the pig's tail", Ukrainian "the snail"
    r"(?:ad|add|et|æt)(?=\s+(?:gmail|hotmail|yahoo|outlook|icloud|live|jubii|protonmail)\b))"
    # "mariam snabelagmail.com", "snabelagmail punktumcom"
    r"(?:,?\s+|(?=\.{2,3}|…)|(?<=a)(?=[a-z0-9-]+(?:\.[a-z]{2,}\b|\s+(?i:punktum|dot|prik))))"
    r"(?:(?i:og\s+så)(?:\s+(?i:er\s+det|er\s+den))?,?\s+)?"  # "snabel-a, og så er det post …"
)
# "de ka": "dk" said; never a little word ("skrive snabel-a og punktum på computeren")
_TLD = (
    r"(?i:d\s?k|de\s+ka|c\s?o\s?m|"
    r"(?!(?:på|og|i|er|at|en|et|den|det|til|for|som|med|men|så|om|af)\b)[a-zæøå]{2,})"
)
# Greedy: "uni dot au dot dk" is one domain, not "uni dot au".
_DOMAIN = re.compile(
    rf"(?:(?i:g(?:ee)?\s+mail|hot\s+ma(?:il|le)|out\s+look|proton\s+mail|stofa\s+net)|[\w-]+)(?:(?:{_SPOKEN_DOT}|\.)[\w-]+)*"
    rf"(?:(?:{_SPOKEN_DOT}|\.){_TLD}|\.\s(?i:dk|com|net|org|se|de|no|nu|eu)|"  # "stofanet. dk"
    r"\s+(?i:punktum|dot|prik)(?i:com|dk|net|org))\b"  # "gmail punktumcom"
)
# Webmail a caller names without a dot, or without its ending: "snabel a hotmail dk",
# "bentemunk på gmail".
_PROVIDERS = (
    r"g\s?mail|googlemail|hot\s?mail|yahoo|outlook|icloud|jubii|msn|protonmail|proton|aol|gmx|"
    r"webspeed|stofanet|youmail|get2net|live|mail"
)
# "jubii de ka", "gmail kom": the ending as Whisper hears it
_PROVIDER = re.compile(
    rf"(?i:{_PROVIDERS})(?:,?\s+(?i:dk|com|net|org|se|de\s+ka|de|no|nu|me|kom))?\b"
)
# "på" for "at" only before a provider's name ("på mail" is "by e-mail").
_ON = re.compile(r"\s+(?:på|hos)\s+(?=(?i:gmail|hotmail|yahoo|outlook|icloud|jubii|protonmail)\b)")
# "min mail er anna berg snabel a …": after such words the whole local part is taken,
# spaces and all, since Whisper may split one spoken address into several words.
_CUE = re.compile(
    r"\b(?i:e-?mail(?:adresse)?|mail(?:adresse)?|skriv\s+til|write\s+to|send\s+(?:den\s+)?til|"
    r"email\s+address)(?:,?\s+(?i:det|er|is|på|til|at|adressen))*\s*:?\s+"
)
_LOOK_BACK = 80  # characters before "at" that may hold the local part
_PAUSED = re.compile(r"(?:\s*(?:\.{2,3}|…))*\s*")


# Fillers a caller says while spelling an address out: blanked before reading it.
_FILLER = re.compile(
    r",\s*\b[A-ZÆØÅ](?:-[A-ZÆØÅ]){2,}\b,?(?=\s)|"  # "jørgensen, J-Ø-R-G-E-N-S-E-N, snabel a"
    r"\b(?i:øh+m*|æh+m*|eh+m*|uh+m*|um+|hm+|(?:i\s+)?[ée]t\s+ord|in\s+one\s+word|"
    r"uden\s+mellemrum|without\s+spaces|no\s+spaces|med\s+småt|all\s+lower\s*case)\b"
    r"(?![.@-]\w)[,.]?"  # "um.yusuf2015" is a local part, not a filler
)
# "mette77@gmail.com, nej 78": a part of the address corrected after it.
_CORRECTED = re.compile(rf",?\s+(?i:{CORRECTING}),?\s+(?=[\w.-]*\d)[\w.-]{{1,12}}\b")


# An organisation's desk, not a person: "support@…", "kundecenter@midttrafik.dk",
# "trafikogveje snabel-a aarhus punktum dk". "info@" and "post@" of a small association may
# lead to one person and stay hidden; those of the city's and the state's domains do not.
_DESK = re.compile(
    r"(?i:support|kundeservice|kundecenter|kontaktcenter|borgerservice|service|helpdesk|hotline|"
    r"sekretariat|"
    r"redaktion|presse|press|booking|billet|billetter|kommunen|tickets|reception|noreply|"
    r"no-reply|webmaster|"
    r"trafikogveje|teknikogmiljoe|teknikogmiljø|kommune|byraad|byråd|raadhus|rådhus|"
    r"customerservice|customer\.service|sales|salg|ordre|orders|hello|contact|kontakt|trafik|"
    r"veje|vej|vejarbejde|park|parker|natur|teknik|miljø|miljoe|affald|genbrug|skole|skoler|"
    r"borger|byggeri|plan|kultur|sport|bibliotek|biblioteker|sundhed|aeldre|ældre|jobcenter|"
    r"digital|web|kundecentret|kommunikation|klage|klager|hoeringssvar|høringssvar)"
)


# "min mail er anna.berg.. hvad er det nu... gmail.com", "… og så punktum com": the rest of
# the address said after a pause.
_REST_LATER = re.compile(
    r"(?:[\s.,…]|\b(?i:hvad\s+er\s+det\s+nu|og\s+så|undskyld|altså|øh+m*)\b)*"
    r"(?:(?i:punktum|dot|prik)\s+(?i:com|dk|net|org|se|de)|"
    r"(?i:gmail|hotmail|yahoo|outlook|live|icloud|jubii|mail)\.(?i:com|dk|net|org))\b"
)


def find(text: str) -> list[Span]:
    text = _FILLER.sub(lambda m: " " * len(m.group()), text)  # same length: spans still fit
    spans = [s for s in _found(text) if not _a_desk(text[s.start : s.end])]
    spans = [
        Span(span.start, m.end(), span.kind) if m is not None else span
        for span in spans
        for m in [_CORRECTED.match(text, span.end) or _REST_LATER.match(text, span.end)]
    ]
    return spans + _begun_before(text, spans) + _local_part_alone(text, spans)


# "den private er ras.fog... ras.fog@…", "Den er helle.strand og …": a local part with its
# dot written, standing apart from the address; not a domain ("hotmail.dk"), nor "f.eks."
_DOTTED_LOCAL = re.compile(
    r"(?<![\w.@])[a-zæøå][a-zæøå0-9_]+(?:\.[a-zæøå0-9_]{2,})+(?![\w@-]|\.\w)"
)
_DOMAIN_END = re.compile(r"\.(?:dk|com|net|org|de|se|no|nu|eu|info|pl|es|uk|io)$")


def _local_part_alone(text: str, spans: list[Span]) -> list[Span]:
    return [
        Span(m.start(), m.end(), Kind.EMAIL)
        for m in _DOTTED_LOCAL.finditer(text)
        if spans
        if not _DOMAIN_END.search(m.group())
        and not any(s.start <= m.start() < s.end for s in spans)
    ]


# "min e-mail er louise... jeg skal lige have mine briller på... louise.mark@…", "Skriv til
# mettelund78... nej vent, det er …": an address begun and broken off.
_BEGUN = re.compile(
    r"\b(?i:e-?mail(?:en|adresse|adressen)?|mail(?:en|adresse|adressen)?|skriv\s+til|write\s+to)"
    r"(?:,?\s+(?i:den|det|it))?(?:,?\s+(?i:er|is|'s))?[,:]?\s+"
    r"(?P<local>[a-zæøå](?:[a-zæøå0-9_.]*[a-zæøå0-9_])?"
    rf"(?P<spoken>(?:\s+(?i:{_DOTS}|bundstreg|underscore)\s+[a-zæøå][a-zæøå0-9_]*)+)?"
    r"(?:\s+[a-zæøå][a-zæøå0-9_]*)?)"
    # a pause or a correction ends it; a comma does too after a spoken dot ("ravi dot
    # subramanian, subramanian is …")
    r"(?=\s*(?:\.{2,3}|…|,\s*(?i:nej|no|sorry|undskyld)\b|,(?(spoken)|(?!)))"
    # "ali punktum r nej ali.rasmussen@…": after a spoken dot, a correction without a comma
    r"|\s+(?i:nej|no|sorry|undskyld|hvad\s+hedder\s+det)\b(?(spoken)|(?!)))"
)


def _begun_before(text: str, spans: list[Span]) -> list[Span]:
    found = []
    for m in _BEGUN.finditer(text) if spans else ():
        words = [w for w in m.group("local").split() if len(w) > 1]  # "h punktum storm"
        later = any(0 < s.start - m.end("local") <= 200 for s in spans)
        inside = any(s.start <= m.start("local") < s.end for s in spans)
        if later and not inside and not set(words) & lists().stop_words:
            found.append(Span(m.start("local"), m.end("local"), Kind.EMAIL))
    return found


# Whisper wrote it as one word: "karinaolsensnabelagmailpunktumcom".
_GLUED = re.compile(
    r"\b[\wæøå.]+?(?i:snabela|snabel)[\wæøå]+?(?i:punktum|prik|dot)(?i:com|dk|net|org|se|de|nu)\b|"
    # "peterskovgaardgmailcom": the dots left out too
    r"\b[a-zæøå0-9._]{3,}?(?:gmail|hotmail|yahoo|outlook|icloud)(?:com|dk|net)\b"
)
# "den starter med pia.tornoe. Og så er det snabel-a gmail punktum com": the local part said
# in the sentence before.
_LOCAL_BEFORE = re.compile(
    r"(?<![\w.])(?P<local>[a-zæøå0-9][\w+-]*(?:\.[\w+-]+)+|[a-zæøå]+\d+|"
    rf"[a-zæøå]+(?:\s+(?i:{_DOTS})\s+[a-zæøå0-9]+)+)"  # "thomas punktum e. Og så snabel a …"
    r"[.,]?\s+[^.!?@\d]{0,30}$"
)


_NO_AT = re.compile(
    rf"(?<![\w.@])(?P<local>[a-zæøå][\w.+-]*[\w+])\s+(?i:{_PROVIDERS})\.(?i:com|dk|net|org)\b"
)
_DOTTED_BEFORE = re.compile(
    r"(?<![\w.])(?P<local>[a-zæøå][\w+-]+\.[a-zæøå0-9][\w+-]*)(?=[,\s]|\.{2,3}|…)"
)


def _a_desk(address: str) -> bool:
    said, *domains = re.split(r"\s*@\s*|\s+(?i:at|snabel[\s-]?a|snabela|snabel)\s+", address)
    local = re.sub(r"[\s._-]", "", said).lower()
    if _DESK.fullmatch(local):
        return True
    domain = re.sub(r"\s*(?i:punktum|dot|prik)\s*", ".", domains[-1]).lower() if domains else ""
    if not _PUBLIC_DOMAIN.fullmatch(domain):
        return False
    name = domain.split(".")[-2]  # "aarhus@aarhus.dk": a public domain's own name before it
    # The city's staff write from a name or initials ("ulkj@aarhus.dk", "tine.r@aarhus.dk");
    # one long word that is no name is a desk ("tryghed@aarhus.dk", "rosenvangskolen@mbu…").
    word = local.isalpha() and local == said.lower() and not lists().is_name(local)
    a_city_desk = word and len(local) >= 7 and domain.endswith("aarhus.dk")
    return a_city_desk or local in (name, "post", "info", "mail", "postkasse")


# The domains of the city, the region and the state: their "post@" and "info@" are desks.
_PUBLIC_DOMAIN = re.compile(
    r"(?:[a-z]+\.)?"  # "rosenvangskolen@mbu.aarhus.dk"
    r"(?i:aarhus|aarhuskommune|mail\.aarhus|au|rm|midttrafik|politi|borger|sundhed|skat|dokk1|"
    r"kk|kb|sst|ft|dr|stm)\.dk"
)


def _found(text: str) -> list[Span]:
    spans = [_with_spaced_piece(text, m.start(), m.end()) for m in _WRITTEN.finditer(text)]
    written = len(spans)
    spans += [Span(m.start(), m.end(), Kind.EMAIL) for m in _GLUED.finditer(text)]
    spans += [  # "Den er ninakjaer gmail.com": the "at" left unsaid
        Span(m.start(), m.end(), Kind.EMAIL)
        for m in _NO_AT.finditer(text)
        if m.group("local").lower() not in lists().stop_words
    ]
    ats = [*_AT.finditer(text)] + [m for m in _ON.finditer(text) if _cued(text, m.start())]
    for at in ats:
        # "kirstenbach ... snabel-a ... outlook.dk": a pause before the domain too
        paused = _PAUSED.match(text, at.end())
        begin = paused.end() if paused else at.end()
        domain = _DOMAIN.match(text, begin) or _PROVIDER.match(text, begin)
        if domain is None:
            spans += _abandoned(text, at)
            continue
        window = max(0, at.start() - _LOOK_BACK)
        local = _local_part(text, window, at.start())
        cues = list(_CUE.finditer(text, window, at.start()))
        start = local
        if cues and len(text[cues[-1].end() : at.start()].split()) <= 4:
            start = min(start if start is not None else at.start(), cues[-1].end())
        if start is None:
            before = _LOCAL_BEFORE.search(text, window, at.start())
            said_at = at.start() + len(at.group()) - len(at.group().lstrip(" ,"))
            if before is None and ("@" in at.group() or _cued(text, at.start())):
                # "mariam.h, h for Hassan, det er min fars navn, og så @yahoo.com": a written
                # "@" and its domain are an address's, and the dotted word before its start
                before = _DOTTED_BEFORE.search(text, window, at.start())
                spans.append(Span(said_at, domain.end(), Kind.EMAIL))
            if before is not None:
                spans.append(Span(before.start("local"), before.end("local"), Kind.EMAIL))
                spans.append(Span(said_at, domain.end(), Kind.EMAIL))
                continue
        if start is not None and start <= at.start():
            start = _joined_before(text, window, start)
            start = _written_from(text, spans[:written], start, at.start())
            spans.append(Span(start, domain.end(), Kind.EMAIL))
    return spans


# "anna. h@gmail. com": Whisper put a space after a dot of the local part too.
_SPACED_PIECE = re.compile(r"(?<![\w.@-])(?P<piece>[a-zæøå][\w'+-]*)\.\s$")


def _with_spaced_piece(text: str, start: int, end: int) -> Span:
    piece = _SPACED_PIECE.search(text, max(0, start - 30), start)
    if piece is not None and text[start].islower():
        word = piece.group("piece")
        if word not in lists().stop_words and word not in _LEAD_WORDS:
            start = piece.start()
    return Span(start, end, Kind.EMAIL)


def _written_from(text: str, written: list[Span], start: int, at: int) -> int:
    """A written address reaches back before its first letter only by a piece joined to it
    ("d.o'brien@…", "frank punktum due@…"), never by the word before ("kontaktet post@…")."""
    for span in written:
        if start < span.start < at < span.end:
            before = text[start : span.start]
            if re.search(rf"(?:{_SPOKEN_JOIN})$", before):
                return start
            glued = re.search(r"[\w.'+-]*$", before)
            return span.start - len(glued.group()) if glued else span.start
    return start


# "lukas underscore from aarhus at …": words joined by a spoken underscore before the part
# found belong to it.
_JOIN_BEFORE = re.compile(
    r"(?:^|(?<=\s))[\w.+-]+\s+(?i:underscore|bundstreg|understreg|hyphen|bindestreg|dash)\s+"
    r"(?:[a-zæøå]+\s+)?$"
)


def _joined_before(text: str, window: int, start: int) -> int:
    for _ in range(3):
        join = _JOIN_BEFORE.search(text, window, start)
        if join is None:
            break
        start = join.start()
    return start


def _cued(text: str, at: int) -> bool:
    return _CUE.search(text, max(0, at - _LOOK_BACK), at) is not None or bool(
        re.match(r"[^.!?]{0,40}\b(?i:som\s+mail|as\s+(?:my\s+)?e-?mail)\b", text[at:])
    )


# "gitte snabel-a... øh nej det er min gamle": an address begun and dropped.
_DROPPED = re.compile(r"\s*(?:\.{2,3}|…)|,?\s*(?i:nej|no|øh+m*|eh+m*)\b")


def _abandoned(text: str, at: re.Match[str]) -> list[Span]:
    """The local part before an "at" that no domain follows, when the caller broke off."""
    if at.group().strip() in ("", "på") or not _DROPPED.match(text, at.end()):
        return []
    start = _local_part(text, max(0, at.start() - _LOOK_BACK), at.start())
    if start is None or not _cued(text, at.start()):
        return []
    return [Span(start, at.end(), Kind.EMAIL)]


# Words that lead up to an address, never one by themselves.
_LEAD_WORDS = frozenset({"så", "og", "er", "det", "den", "mail", "email", "e-mail", "then", "is"})
_SPELLING = frozenset({"staves", "stavet", "spelled", "spelt"})


def _local_part(text: str, window: int, at: int) -> int | None:
    """Where the local part before `at` begins, or None."""
    # Only from a word start: a search from inside a word would take its tail.
    for start in (m.start() for m in re.finditer(r"(?<![\w.+-])[\w+]", text[window:at])):
        local = _LOCAL.match(text, window + start, at)
        if local is None:
            continue
        before = local.group("before")
        if before is not None and (before in lists().stop_words or before in _LEAD_WORDS):
            continue  # "den er anna", "or email h.tanaka": only "anna", "h.tanaka"
        if local.group().lower() in lists().stop_words | _LEAD_WORDS:
            continue  # "… og så er det snabel-a …": no local part
        if local.group().split()[0].lower() in _SPELLING:
            continue  # "det staves k a s p e r snabel-a": the letters only
        return local.start()
    return None
