"""CPR numbers said in halves: a birth date with the last four digits, dates in words.

No modulus-11 check: numbers issued since 2007 may fail it.
"""

import functools
import re
from datetime import date

from ingest.language.redaction import scan
from ingest.language.redaction.numerals import Group, Token, digit_groups, digits_of, number_runs
from ingest.language.redaction.spans import Kind, Span

# Words for a CPR number or its first half: "mors cpr er 180438", "de første seks er 280567".
CPR_CUE = re.compile(
    r"(?i:cpr|personnummer|person-nummer|personal\s+number|cpr-nummer|se[\s-]?pe[\s-]?er|"
    # the cards it stands on: "det står på det gule kort"
    r"gule\s+kort|sygesikrings(?:kort|bevis)|sundhedskort|"
    r"سی\s+پی\s+آر|"  # "CPR" in Persian letters
    # not "de første seks måneder"; "er" may have been blanked as a filler
    r"(?:de\s+)?første\s+seks(?:\s+(?:cifre|tal))?(?=,?\s+(?:det\s+)?(?:er|is|var|cifre|tal)\b|,?\s+\d|"
    r",?\s+[a-zæøå]*(?:nul|et|to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tyve|tredive|fyrre|"
    r"halvtreds|tres|halvfjerds|firs|halvfems)\b)|"
    r"the\s+first\s+six(?:\s+digits)?(?=\s+(?:is|are|digits)\b)|"
    # "Første del er 310199 … Anden del er 4402", "den første halvdel er ti nul tre halvfems"
    r"(?:den\s+)?(?:første|anden|sidste)\s+(?:del|halvdel)(?=,?\s+(?:det\s+)?(?:er|var)\s+\w*\d|"
    r",?\s+(?:det\s+)?(?:er|var)\s+(?:nul|en|et|to|tre|fire|fem|seks|syv|otte|ni|ti)\b))"
)


@functools.lru_cache(maxsize=64)  # asked by several rules of the same text
def about_a_cpr_number(text: str) -> bool:
    """A word for a CPR number stands in the text."""
    return CPR_CUE.search(text) is not None


_LAST_FOUR = re.compile(
    r"\b(?i:løbenummer(?:et)?|(?:(?:de|mine|hans|hendes|deres|dine|og\s+så|så|og)\s+)?"
    r"(?:sidste\s+(?:fire|4)|(?:fire|4)\s+sidste|"
    r"sidste\s+del(?:\s+af\s+\w+\s+(?:cpr|personnummer))?)"
    r"(?:\s+(?:cifre|tal|numre))?|kontrolcifre(?:ne)?|resten|"
    r"(?:the|my|his|her|their)\s+last\s+(?:four|4|ones|part|digits)(?:\s+(?:digits|numbers))?|"
    r"(?<=and\s)last\s+(?:four|4)|(?:nummeret|tallene|cifrene)\s+bagefter|"
    r"the\s+last\s+(?:is|are)|the\s+rest|(?:four\s+)?digits\s+after\s+the\s+dash(?:\s+are)?|"
    r"(?:det\s+)?(?:slutter|ender)\s+(?:med|på)|"
    r"(?:it\s+)?ends\s+(?:with|in))(?!\s+(?i:år|uger|måneder|dage|gange|timer|years|weeks|"
    r"months|days|times|hours|minutter|minutes|børn|huse|familier))"
)
_ORDINAL_DAY = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?\.?|(?i:første|anden|tredje|fjerde|femte|sjette|syvende|ottende|niende|"
    r"tiende|[a-zæøå]+(?:tende|ende|te)|"
    # a day said as a number ("ni marts"), or in English ("eighteenth of March")
    r"en|et|to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|[a-zæøå]+og(?:tyve|tredive)|"
    r"first|second|third|[a-z]+(?:th|st|nd|rd)(?:\s+of)?|the\s+[a-z]+(?:th|st|nd|rd)\s+of))"
)
_BORN = re.compile(
    r"\b(?i:født|fødselsdag(?:en)?|fødselsdato(?:en)?|born|birthday|date\s+of\s+birth)"
    r"(?:\s+(?i:er|is|was|den|d\.|on|the))*\s+"
)
# The birth date runs to the end of its clause.
_CLAUSE_END = re.compile(
    r",|;|\s(?i:og|and|men|but|så)\s|[.!?](?=\s+[A-ZÆØÅ]|\s*$)"
)  # "fem og fyrre", "one hundred and five"


# A CPR number with the year in four digits: "17071962-1985".
_LONG_YEAR = re.compile(r"\b(\d{2})(\d{2})((?:19|20)\d{2})[-\s]?(\d{4})\b")


def long_years(text: str) -> list[Span]:
    """CPR numbers written with the year in four digits."""
    spans = []
    for m in _LONG_YEAR.finditer(text):
        if cpr_like([Group(m.group(1) + m.group(2) + m.group(3)[2:] + m.group(4), 0, 0, "")]):
            spans.append(Span(m.start(), m.end(), Kind.CPR))
    return spans


def last_four(text: str, language: str | None) -> list[Span]:
    """ "de sidste fire (cifre) er 2231": the end of a CPR number, hidden with the birth date
    said anywhere in the same message ("født den 9. juni 79")."""
    spans: list[Span] = []
    cues = list(_LAST_FOUR.finditer(text))
    about_cpr = about_a_cpr_number(text)
    if about_cpr:  # "de første seks er …, og de sidste, vent lige, …, 1049"
        cues += _LAST_BARE.finditer(text)
    if not cues:
        return spans
    all_runs = [run for run, _ in number_runs(text)]
    runs = {run[0].start: run for run in all_runs}
    for cue in cues:
        # The first number after the cue, not "fire" of "de sidste fire" itself.
        near = next(
            (
                tail
                for r in all_runs
                if r[-1].start >= cue.end()
                for tail in [[t for t in r if t.start >= cue.end()]]
                if _reaches(text, cue.end(), tail[0].start, about_cpr)
            ),
            None,
        )
        if near is None:
            continue
        run = _first_four(text, near, language)  # "9-9-1-4, altså ni ni en fire"
        if not run:
            continue
        spans.append(Span(run[0].start, run[-1].end, Kind.CPR))
        spans += _the_start(text, runs, language)
    return spans


# "4922 er de sidste og foran står 311264", "3317 det er de sidste fire, jeg er født …",
# "Slutningen er 0964 … og starten er 190459": the end said first, where it begins after.
_END_FIRST = re.compile(
    r"(?<![\d.,])(?P<four>\d{4})\s+(?i:(?:det\s+)?(?:er|var)\s+de\s+sidste|(?:is|are)\s+the\s+last)\b"
    r"|\b(?i:slutningen|enden|the\s+end)\s+(?i:er|var|is)\s+(?P<end>\d{4})(?![\d.,]\d)"
)
_THE_START = re.compile(
    r"\b(?i:starten|begyndelsen|foran|første\s+del|the\s+start|the\s+beginning)\b"
)


def end_first(text: str, language: str | None) -> list[Span]:
    """The last four said before their cue, in a message about a CPR number, a birth, or
    where the number starts."""
    ends = list(_END_FIRST.finditer(text))
    if not ends or not (
        about_a_cpr_number(text) or _BIRTH_WORD.search(text) or _THE_START.search(text)
    ):
        return []
    runs = {run[0].start: run for run, _ in number_runs(text)}
    spans = [Span(m.start(m.lastgroup or 0), m.end(m.lastgroup or 0), Kind.CPR) for m in ends]
    return spans + _the_start(text, runs, language)


def _the_start(text: str, runs: dict[int, list[Token]], language: str | None) -> list[Span]:
    """With the last four said, the birth date in the same message: its first half."""
    spans = _first_half(text, runs, language)
    for born in _BORN.finditer(text):
        end = _CLAUSE_END.search(text, born.end(), born.end() + 40)
        stop = end.start() if end else min(len(text), born.end() + 40)
        start = born.start() + len(born.group().split(None, 1)[0]) + 1  # "den 2. december"
        if stop > born.end():
            spans.append(Span(start, stop, Kind.CPR))
    return spans


# "de sidste" alone, with a word for CPR in the message.
_LAST_BARE = re.compile(r"\b(?i:de\s+sidste|the\s+last)\b(?!\s+(?i:fire|4|år|uger|gange|years))")


def _first_four(text: str, run: list[Token], language: str | None) -> list[Token]:
    """The tokens of the run that say its first four digits, or none."""
    total = 0
    for group in digit_groups(text, run, language):
        total += len(group.digits)
        if total == 4:
            return [t for t in run if t.start < group.end]
        if total > 4:
            break
    return []


def _reaches(text: str, cue: int, number: int, about_cpr: bool) -> bool:
    """The number belongs to the cue: soon after it, or, in a message about a CPR number,
    later in the same sentence with only words between ("de sidste, vent lige, jeg skal
    finde kortet, 1049"); "resten af året … 2500" is no CPR number."""
    return number <= cue + 20 or (
        about_cpr and number <= cue + 80 and not re.search(r"[\d.!?]", text[cue:number])
    )


_DATE = re.compile(
    # a month's name as a word of its own: "weekendmarkedet" holds no "…nd mar…"
    rf"\b{_ORDINAL_DAY}(?:\s+|(?<=\.)|(?<=\d))(?:(?i:of)\s+)?(?i:januar|februar|marts|april|maj|juni|juli|"
    r"august|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|oct|"
    r"nov|dec|january|february|march|may|june|july|october)(?![a-zæøå])\.?,?\s*(?:\d{4}|\d{2}\b|"
    r"(?i:(?:nitten\s*(?:hundrede\s+)?(?:og\s+)?|to\s*tusind(?:\s+og\s+)?|nul\s+)?"  # "nul fire"
    r"[a-zæøå]*(?:tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems|ti|tolv|ni|"
    r"otte|syv|seks|fem|fire|tre|to|et)\b|"
    r"(?:nineteen|twenty|two\s+thousand(?:\s+and)?)(?:[\s-]+[a-z]+){1,2}\b))"
    r"|\b\d{1,2}[./-]\d{1,2}(?:[./-]|\s+)(?:\d{4}|\d{2})\b"
    r"|\b(?:[0-2]?\d|3[01])\.\s(?:0?[1-9]|1[0-2])\.\s(?:\d{4}|\d{2})\b"  # "13. 4. 1944"
    # "tredje i ottende tooghalvfems": the day of the month of the year
    rf"|\b{_ORDINAL_DAY}\s+i\s+(?i:første|anden|tredje|fjerde|femte|sjette|syvende|ottende|"
    r"niende|tiende|ellevte|tolvte)\s+(?i:(?:nul\s+)?[a-zæøå]*(?:tyve|tredive|fyrre|halvtreds|tres|"
    r"halvfjerds|firs|halvfems|ti|tolv|ni|otte|syv|seks|fem|fire|tre|to|et)|\d{2}|\d{4})\b"
)


# Each date of _DATE holds a month's name, digits around a separator ("9/6 1979"), or
# " i " before an ordinal month ("tredje i ottende"), and begins at most four words before
# it ("the eighteenth of March"): the long pattern is tried there only.
_MONTHS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "maj",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "oct",
    "nov",
    "dec",
)
_OTHER_DATE_HINT = re.compile(
    r"\d[./-]\d|\d\.\s\d{1,2}\.\s\d|\si\s+(?i:første|anden|tredje|fjerde|femte|sjette|syvende|ottende|niende|"
    r"tiende|ellevte|tolvte)"
)


@functools.lru_cache(maxsize=64)  # asked by three rules of the same text
def _dates(text: str) -> tuple[re.Match[str], ...]:
    words = scan.LETTERS.finditer(text)
    hints = [m.start() for m in words if m.group().lower().startswith(_MONTHS)]
    hints += [m.start() for m in _OTHER_DATE_HINT.finditer(text)]
    if not hints:
        return ()
    return tuple(scan.matches_at(_DATE, text, scan.starts_near(scan.word_starts(text), hints, 4)))


_DATE_TO_FOUR = re.compile(  # "…, and then dash 6620", "og så streg 2231"
    r"[\s,.:-]*(?:(?i:bindestreg|streg|dash|og\s+så|og|and\s+then|and|then|så)[\s,.:-]*){0,2}"
)


def date_then_four(text: str, language: str | None) -> list[Span]:
    """A date and four digits right after it are a CPR number: "9. juni 79 - 2231"."""
    spans: list[Span] = []
    dates = _dates(text)
    runs = [run for run, _ in number_runs(text)] if dates else []
    for date_match in dates:
        # Only the first run after the date can follow it with no digit between.
        run = next((r for r in runs if r[-1].start >= date_match.end()), None)
        if run is None:
            continue
        tail = [t for t in run if t.start >= date_match.end()]
        gap = _DATE_TO_FOUR.fullmatch(text, date_match.end(), tail[0].start)
        if gap and len(digits_of(digit_groups(text, tail, language))) == 4:
            spans.append(Span(date_match.start(), tail[-1].end, Kind.CPR))
    return spans


_SIX = re.compile(r"(?<!\d)(?<!\d[.,/-])\d{6}(?!\d|[.,/]\d)")
_NEXT_NUMBER = re.compile(r"\D{1,160}?(?<!\d[.,/-])(?P<number>\d+)(?!\d|[.,/]\d)")
# Four digits that are a year, a postcode, an amount or a time, not the end of a CPR number.
_NOT_THE_LAST_FOUR = re.compile(
    r"(?i:\b(?:i|in|siden|since|fra|from|til|år|året|klokken|kl\.?|nummer|linje|bus)\s+$)"
)
_AFTER_FOUR = re.compile(r"\s*(?:kr\b|kroner|%|procent|[A-ZÆØÅ]\w+)")


def halves_apart(text: str) -> list[Span]:
    """ "170555, altså det er min fødselsdag, … hvad var det, 3106", "010199 bindestreg, øh,
    min søn står lige og råber her i baggrunden, 4127": six digits that read as a date, and
    the next number said in the message four digits long, are a CPR number's two halves."""
    spans = []
    for six in _SIX.finditer(text):
        after = _NEXT_NUMBER.match(text, six.end())
        if not after or len(after.group("number")) != 4 or not date6(six.group()):
            continue
        start, end = after.start("number"), after.end("number")
        if _may_end_a_cpr_number(text, start, end):
            spans += [Span(six.start(), six.end(), Kind.CPR), Span(start, end, Kind.CPR)]
    return spans


def _may_end_a_cpr_number(text: str, start: int, end: int) -> bool:
    """Four digits said after the first half that are no year, time or line ("siden 2019",
    "klokken 1430") and no postcode, amount or share ("8210 Aarhus V", "1200 kroner")."""
    return not _NOT_THE_LAST_FOUR.search(text, max(0, start - 12), start) and not (
        _AFTER_FOUR.match(text, end)
    )


_FOUR = {"four", "fire", "4"}
_LAST = re.compile(r"\b(?i:last|sidste)\s+$")
_BIRTH_WORD = re.compile(
    r"\b(?i:født|born|fødselsdag(?:en)?|fødselsdato(?:en)?|date\s+of\s+birth)\b"
)


# Said just before a date, it makes the date a birth date; a birthday is one only when
# it "is" the date ("min fødselsdag er …"), not a party held on it.
_BORN_ON = re.compile(
    r"\b(?i:født|born|fødselsdato(?:en)?|date\s+of\s+birth|(?:fødselsdag(?:en)?|birthday)"
    r"\s+(?:er|is|var|was))\b"
)


def born_on(text: str) -> list[Span]:
    """ "født den 1. oktober 1940", "born 3rd of August 1987": a birth date with its year
    is the first half of a CPR number and personal by itself (a day and a month alone, or a
    year alone, are not)."""
    return [Span(d.start(), d.end(), Kind.CPR) for d in _dates_after(text, _BORN_ON)]


def _dates_after(text: str, cue: re.Pattern[str]) -> list[re.Match[str]]:
    """The dates with `cue` said at most 25 characters before them."""
    return [d for d in _dates(text) if cue.search(text, max(0, d.start() - 25), d.start())]


def born_then_four(text: str, language: str | None) -> list[Span]:
    """ "født 19. juni 1938 og har 0617 som de sidste", "født fjortende juni otteogfyrre, og så
    har I brug for 1-7-2-2": a birth date, and the next number in the message four digits
    long, are a CPR number's two halves."""
    spans: list[Span] = []
    dates = _dates_after(text, _BIRTH_WORD)
    runs = [run for run, _ in number_runs(text)] if dates else []
    for date_match in dates:
        later = [r for r in runs if r[0].start >= date_match.end()]
        if not later or later[0][0].start - date_match.end() > 160:
            continue
        run = later[0]
        if len(run) > 1 and run[0].word in _FOUR and _LAST.search(text, 0, run[0].start):
            run = run[1:]  # "last four 6 2 1 7": the "four" is no digit of it
        start, end = run[0].start, run[-1].end
        four = len(digits_of(digit_groups(text, run, language))) == 4
        if four and _may_end_a_cpr_number(text, start, end):
            spans += [
                Span(date_match.start(), date_match.end(), Kind.CPR),
                Span(start, end, Kind.CPR),
            ]
    return spans


def _first_half(text: str, runs: dict[int, list[Token]], language: str | None) -> list[Span]:
    """With the last four digits said, a date in the same message is the first half of the
    CPR number: "090679", "9. juni 79", "9/6 1979"."""
    spans = [Span(m.start(), m.end(), Kind.CPR) for m in _dates(text)]
    for run in runs.values():
        digits = digits_of(digit_groups(text, run, language))
        if len(digits) == 6 and date6(digits):
            spans.append(Span(run[0].start, run[-1].end, Kind.CPR))
    return spans


def date6(digits: str) -> bool:
    """Six digits that can begin a CPR number: a day, a month and a year."""
    return cpr_like([Group(digits + "0000", 0, 0, "")])


def cpr_like(window: list[Group]) -> bool:
    digits = digits_of(window)
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    try:
        date(2000 + year, month, day)
    except ValueError:
        return False
    if [len(g.digits) for g in window] == [2, 2, 2, 4] and window[3].sep in "- .":
        return True  # "04.11.88-1290", "17.11.45.3208": a CPR written with dots
    return all(g.sep != "." for g in window[1:])  # "01.01.1990" is a date


_YEAR = re.compile(r"(?:19|20)\d\d")
# "og så 1985", "- 2001", "sidste 2004": a year's digits that are the last four all the same.
_LAST_BEFORE = re.compile(r"(?i:og\s+så|så|sidste|-|streg|bindestreg|dash|then)\W*$")
_NOT_LAST = re.compile(
    r"\s*(?i:kr|kroner|dkk|euro|%|procent|meter|km|mennesker|personer|huse|[A-ZÆØÅ][a-zæøå]+)\b"
)


def in_cpr_talk(text: str, language: str | None) -> list[Span]:
    """In a message about a CPR number (a word for it, or one found), its parts wherever
    they stand: dates ("født den tredje i tredje nul tre", "hun er 221192 og jeg er 221190")
    and four digits, read whole or in pieces ("241285... jeg glemmer... 3 9... 6 0"), that
    are no amount, postcode or year."""
    spans = [Span(m.start(), m.end(), Kind.CPR) for m in _dates(text)]
    runs = [run for run, _ in number_runs(text)]
    read = [digits_of(digit_groups(text, run, language)) for run in runs]
    # "sześć jeden siedem dwa, seks en syv to": four digits said twice, in two languages
    read = [d[:4] if len(d) == 8 and d[:4] == d[4:] else d for d in read]
    a = 0
    while a < len(runs):
        b, total = a, read[a]
        four = a if len(total) == 4 else None
        while (
            len(total) < 6
            and b + 1 < len(runs)
            and _PIECES.fullmatch(text, runs[b][-1].end, runs[b + 1][0].start)
        ):
            b, total = b + 1, total + read[b + 1]
            four = b if len(total) == 4 and four is None else four
        if not (len(total) == 6 and date6(total)) and four is not None:
            b, total = four, "".join(read[a : four + 1])  # "seksten... nul to... syvoghalvfjerds"
        start, end = runs[a][0].start, runs[b][-1].end
        groups = digit_groups(text, runs[a], language) if a == b else []
        half = len(total) == 6 and date6(total)
        # "130270 nej 130207 og 2218": a date said again; "fire tolv femogtres seksten
        # otteogtredive": a one-digit day
        dates = [g for g in groups if len(g.digits) == 6 and date6(g.digits)]
        if dates and not half:
            spans += [Span(g.start, g.end, Kind.CPR) for g in dates]
            a += 1
            continue
        padded = len(total) == 9 and groups and len(groups[0].digits) == 1
        half = half or bool(padded and cpr_like([Group("0" + total, 0, 0, "")]))
        # "zero six zero one ten nej zero six zero one zero nine 2 2 7 5": said again whole
        half = half or (len(total) > 10 and cpr_like([Group(total[-10:], 0, 0, "")]))
        if half or (len(total) == 4 and _last_four_here(text, start, end, total)):
            spans += [Span(r[0].start, r[-1].end, Kind.CPR) for r in runs[a : b + 1]]
        else:
            b = a
        a = b + 1
    return spans


# What may part the pieces of a CPR number said slowly: "3 9... 6 0", "3110... 02".
_PIECES = re.compile(r"[\s.…,-]+")


def _last_four_here(text: str, start: int, end: int, digits: str) -> bool:
    if _NOT_LAST.match(text, end) or re.search(r"(?i:postnummer|år|year)\W*$", text[:start]):
        return False
    return not _YEAR.fullmatch(digits) or bool(_LAST_BEFORE.search(text, 0, start))
