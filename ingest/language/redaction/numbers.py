"""CPR and Danish phone numbers, written or spoken, in any grouping.

The transcript is cut into runs of number tokens (digits, or number words read by
`text2num` in Danish and English), joined only by spaces, commas and spoken dashes. Each run
becomes digit groups, and windows of groups holding 10 digits that start with a date (CPR;
no modulus-11 check, which numbers issued since 2007 may fail) or 8 digits that start with
2-9 (a Danish subscriber number) are hidden. In a sentence about phoning, a run of six or
more digits that is neither is hidden too: Whisper mishears numbers ("234567A" for "23 45 67
89") and callers break off, and part of a number still leads to its owner. What looks like an
amount, a date, a year or a count list stays.
"""

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from text_to_num import alpha2digit

from ingest.language.redaction.spans import Kind, Span

_TOKEN = re.compile(r"\S+")
_EDGE = "\"'«»()[]{}"
_DIGITS = re.compile(r"(?:\+|00)?\d+(?:[-./]\d+)*[a-zæøå]?")  # "2a": bus 2A, or misheard
_DIGIT_WORDS = {
    # Single digits that text2num leaves alone outside a run ("en", "et" are also articles).
    "nul": 0, "en": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7,
    "otte": 8, "ni": 9, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_DASHES = {"-", "\u2013", "\u2014", "bindestreg", "streg", "tankestreg", "minus", "dash", "hyphen"}
_JOINERS = {"og", "and"}
_PLUS = {"plus", "+"}
# Fillers inside a number do not split it: "42 17. Øh, 90 65", "28 øh 61 øhm 45 03".
_FILLER_WORDS = (
    r"(?i:[øö]+h+m*|e+h+m*|æ+h+m*|[aå]+h+|hm+|m{2,}h*|m+h+m*|tja|altså|"
    r"hvad\s+(?:er|var)\s+det(?:\s+nu)?(?:\s+igen)?(?:\s+det\s+er)?|hvordan\s+er\s+det\s+nu|"
    r"lad\s+mig\s+tænke|(?:vent\s+)?et\s+øjeblik|hov|(?:og\s+)?(?:så\s+)?til\s+sidst|"
    r"let\s+me\s+think|hang\s+on|hold\s+on|one\s+moment|what(?:\s+is|'s)\s+it|"
    r"lad\s+mig\s+(?:lige\s+)?se|vent\s+lige|vent|lige\s+et\s+øjeblik|jeg\s+mener|"
    r"og\s+så(?:\s+er\s+det)?|hvad\s+hedder\s+det|nej\s+vent|undskyld|nej|ikke\s+også|ikke|"
    r"ikk|ik|ja|nå|så|okay|ok|u+m+|u+h+m*|erm|er|let\s+me\s+see|i\s+mean|and\s+then|wait|"
    r"sorry|like|so|you\s+know|yeah|right|well|then)"
)
# Fillers and punctuation only: what may stand between two parts of one number.
_ONLY_FILLERS = re.compile(rf"(?:[\s\-\u2013\u2014,.…?!'()]+|\b{_FILLER_WORDS}\b)*")
_LAST_FOUR = re.compile(
    r"\b(?i:(?:(?:de|mine|hans|hendes|deres|dine|og\s+så|så|og)\s+)?"
    r"(?:sidste\s+(?:fire|4)|(?:fire|4)\s+sidste)"
    r"(?:\s+(?:cifre|tal|numre))?|kontrolcifre(?:ne)?|resten|"
    r"(?:the|my|his|her|their)\s+last\s+(?:four|4|ones|part|digits)(?:\s+(?:digits|numbers))?|"
    r"the\s+last\s+(?:is|are)|the\s+rest|(?:det\s+)?(?:slutter|ender)\s+(?:med|på)|"
    r"(?:it\s+)?ends\s+(?:with|in))(?!\s+(?i:år|uger|måneder|dage|gange|timer|years|weeks|"
    r"months|days|times|hours|minutter|minutes|børn|huse|familier))"
)
_ORDINAL_DAY = (
    r"(?:\d{1,2}\.?|(?i:første|anden|tredje|fjerde|femte|sjette|syvende|ottende|niende|"
    r"tiende|[a-zæøå]+(?:tende|ende|te)|"
    # a day said as a number ("ni marts"), or in English ("eighteenth of March")
    r"en|et|to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|[a-zæøå]+og(?:tyve|tredive)|"
    r"first|second|third|[a-z]+(?:th|st|nd|rd)(?:\s+of)?|the\s+[a-z]+(?:th|st|nd|rd)\s+of))"
)
_BORN = re.compile(
    r"\b(?i:født|fødselsdag|fødselsdato|born|birthday|date\s+of\s+birth)"
    r"(?:\s+(?i:er|is|was|den|d\.|on|the))*\s+"
)
# The birth date runs to the end of its clause.
_CLAUSE_END = re.compile(
    r",|;|\s(?i:og|and|men|but|så)\s|[.!?](?=\s+[A-ZÆØÅ]|\s*$)"
)  # "fem og fyrre", "one hundred and five"
_MAGNITUDES = re.compile(
    r"^(hundrede|hundred|tusind|tusinde|thousand|millioner|million|millions|mio|milliard\w*|billion\w*)$"
)
_AMOUNT_AFTER = re.compile(
    r"^(kr|kroner|krone|dkk|euro|eur|mio|procent|pct|%|km|meter|m|minutter|timer|år|"
    r"people|persons|personer|mennesker|biler|cars|dollars?|pounds?)\b",
    re.IGNORECASE,
)
_PHONE_CUES = re.compile(
    r"\b(ring\w*|telefon\w*|tlf|nummer|nummeret|mobil\w*|sms|call|phone|number|reach me|"
    r"text me)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Group:
    """Digits as they were spoken or written, and where they stand in the text."""

    digits: str
    start: int
    end: int
    sep: str  # what stood before it in the run: "", " ", ",", "-", ".", "|" (a full stop)
    prefix: bool = False  # +45 or 0045
    plus: bool = False  # "plus" or "+" was said or written just before it


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str  # lower case, edges stripped
    trailing: str  # punctuation that followed it


# The numbers of institutions are public, not personal: after such a word a phone number
# stays ("kommunens omstilling 89 40 20 00", "lægevagten på 70 11 31 31").
_INSTITUTION = re.compile(
    r"\b(?i:omstilling(?:en)?|hovednummer(?:et)?|kommunens?(?:\s+(?:nummer|telefon))?|"
    r"lægevagt(?:en)?|vagtlæge(?:n)?|politi(?:et|ets)?|borgerservice|kundeservice|hotline|"
    r"switchboard|alarmcentral(?:en)?|døgnvagt(?:en)?|servicecenter|kontaktcenter|"
    r"rådgivning(?:en)?|hospital(?:et)?|skadestue(?:n)?|biblioteket|the\s+council)\b"
)
# Only these between the institution and its number: "lægevagten på", "kommunens nummer er".
_TO_ITS_NUMBER = re.compile(
    r"[\s,:]*(?:(?i:på|er|is|at|on|nummer|nummeret|number|telefon|tlf\.?|har|has|det|it's)"
    r"[\s,:]+){0,3}$"
)


def _institutions(text: str, spans: list[Span]) -> list[Span]:
    """The phone spans that are an institution's number, said right after its name."""
    public = []
    for span in spans:
        if span.kind is not Kind.PHONE:
            continue
        before = text[max(0, span.start - 40) : span.start]
        cues = list(_INSTITUTION.finditer(before))
        if cues and _TO_ITS_NUMBER.match(before, cues[-1].end()):
            public.append(span)
    return public


# "og så", "and then" between the two halves of a CPR number with a remark in between.
_AND_THEN = re.compile(r"^\D*\b(?i:og\s+så|and\s+then|bagefter|derefter|afterwards)\b\D*$")
_STARTS_WITH = re.compile(r"\b(?i:starter|begynder|starts|begins)\s+(?i:med|with)\s+")
# A CPR number with the year in four digits: "17071962-1985".
_LONG_YEAR = re.compile(r"\b(\d{2})(\d{2})((?:19|20)\d{2})[-\s]?(\d{4})\b")
_CPR_CUE = re.compile(r"(?i:cpr|personnummer|person-nummer|personal\s+number|cpr-nummer)")
# What may stand between the parts of a number read out in pieces: "14 08 og 93 og så 11 62",
# "31 01 79, januar altså, og så 3356".
_PIECES_APART = re.compile(
    rf"(?:[\s,.…-]+|\b(?i:og|and|så|then|y|und|bagefter|derefter|januar|februar|marts|april|"
    rf"maj|juni|juli|august|september|oktober|november|december|bindestreg|streg|dash)\b|"
    rf"\b{_FILLER_WORDS}\b)*"
)
# A number from abroad: "+380 67 412 55 90", "plus czterdzieści osiem 512 330 871".
_FOREIGN = re.compile(
    r"(?:\+|\b(?i:plus)\s+(?:[^\W\d_]+\s+){1,3}|\b(?i:plus)\s+)\d{1,4}(?:[\s.-]*\d){7,}"
)
# "nummeret … slutter på 47": the end of a phone number, in a sentence about phoning.
_ENDS_WITH = re.compile(r"\b(?i:slutter|ender|ends)\s+(?i:på|med|with|in)\s+(\d{2,4})\b")


def _in_pieces(text: str, language: str | None) -> list[Span]:
    """A number read out in pieces with words between them: ten digits that start with a
    date after a word for CPR, or a date in six digits and four more; eight digits about
    phoning. Each piece is hidden."""
    # A run that ends in a date is read from it ("31 10 79 nej vent, 31 01 79"): a correction
    # joined to what it corrects.
    read = [_from_last_date(text, run, language) for run, _ in _runs(text)]
    runs = [run for run, _ in read]
    digits = [found for _, found in read]
    spans: list[Span] = []
    for a in range(len(runs)):
        total = ""
        for b in range(a, min(a + 4, len(runs))):
            gap = text[runs[b - 1][-1].end : runs[b][0].start] if b > a else ""
            if b > a and not (_PIECES_APART.fullmatch(gap) or _AND_THEN.search(gap)):
                break
            total += digits[b]
            pieces = [Span(run[0].start, run[-1].end, Kind.CPR) for run in runs[a : b + 1]]
            date_first = len(digits[a]) == 6 and len(total) == 10 and b == a + 1
            cpr = len(total) == 10 and _cpr_like([Group(total, 0, 0, "")])
            if cpr and (date_first or _CPR_CUE.search(text)):
                spans += pieces
            if b == a + 1 and len(digits[a]) == 6 and len(digits[b]) == 4 and cpr:
                # "290280, ja jeg er skudårsbarn, og så 3315": the date, a remark, the rest
                gap = text[runs[a][-1].end : runs[b][0].start]
                if len(gap) <= 50 and _AND_THEN.search(gap):
                    spans += pieces
            if len(total) == 8 and b > a and total[0] not in "01":
                window = [Group(total, runs[a][0].start, runs[b][-1].end, "")]
                if _about_phoning(text, window):
                    spans += [replace(p, kind=Kind.PHONE) for p in pieces]
            if len(total) >= 10:
                break
    # "mors cpr er 180438", "det starter med 19 04": the start of a CPR number, said right
    # after the word or after "starter med".
    cues = [*_CPR_CUE.finditer(text)]
    cues += [*_STARTS_WITH.finditer(text)] if cues else []
    for cue in cues:
        for run, found in zip(runs, digits, strict=True):
            near = 0 <= run[0].start - cue.end() <= 25
            starts = cue.re is _STARTS_WITH and 2 <= len(found) <= 6
            date = 6 <= len(found) <= 10 and _date6(found[:6])
            if near and (date or starts):
                spans.append(Span(run[0].start, run[-1].end, Kind.CPR))
    # "100568 øh 3 7 9, nej der mangler et, 3 3 7 9": four digits soon after a CPR number
    if cues:
        for run, found in zip(runs, digits, strict=True):
            before = [s for s in spans if 0 < run[0].start - s.end <= 40]
            if len(found) == 5 and run[0].word in ("en", "et"):  # "mangler et, 3 3 7 9"
                run, found = run[1:], found[1:]
            between = text[before[-1].end : run[0].start] if before else "0"
            if len(found) == 4 and not re.search(r"\d", between):
                spans.append(Span(run[0].start, run[-1].end, Kind.CPR))
    return spans


def _from_last_date(text: str, run: list[_Token], language: str | None) -> tuple[list[_Token], str]:
    """The run, or its tail from a date on, and the digits of what is returned."""
    groups = _groups(text, run, language)
    digits = _digits(groups)
    if [len(g.digits) for g in groups] == [1, 2, 2]:
        digits = "0" + digits  # "otte tolv otteoghalvfjerds": the 8th of December 78
    if len(digits) <= 6:
        return run, digits
    for k in range(len(groups) - 1, 0, -1):
        tail = _digits(groups[k:])
        if len(tail) == 6 and _date6(tail):
            rest = [t for t in run if t.start >= groups[k].start]
            return (rest, tail) if rest else (run, digits)
        if len(tail) >= 6:
            break
    return run, digits


def _abroad_and_ends(text: str) -> list[Span]:
    spans = [Span(m.start(), m.end(), Kind.PHONE) for m in _FOREIGN.finditer(text)]
    for m in _LONG_YEAR.finditer(text):
        if _cpr_like([Group(m.group(1) + m.group(2) + m.group(3)[2:] + m.group(4), 0, 0, "")]):
            spans.append(Span(m.start(), m.end(), Kind.CPR))
    for match in _ENDS_WITH.finditer(text):
        window = [Group(match.group(1), match.start(1), match.end(1), "")]
        if _about_phoning(text, window):
            spans.append(Span(match.start(1), match.end(1), Kind.PHONE))
    return spans


def find(text: str, language: str | None = None) -> list[Span]:
    plain = _without_fillers(text)
    found = _find(text, plain, language)
    found += _in_pieces(plain, language) + _abroad_and_ends(text)
    public = _institutions(text, found)
    return [s for s in found if s not in public]


def said_again(text: str, hidden: list[Span], language: str | None = None) -> list[Span]:
    """Part of a hidden number said again elsewhere in the message ("… to en, det er mit
    nummer, fem et ni nul", "kim123@hotmail.com, altså et to tre til sidst"): a run of three
    or more digits found inside a hidden phone number, CPR number or e-mail address."""
    secrets = [
        (_digits_in(text[s.start : s.end], language), s.kind)
        for s in hidden
        if s.kind in (Kind.PHONE, Kind.CPR, Kind.EMAIL)
    ]
    secrets = [(digits, kind) for digits, kind in secrets if len(digits) >= 3]
    if not secrets:
        return []
    plain = _without_fillers(text)
    found = []
    for run, _after in _runs(plain):
        start, end = run[0].start, run[-1].end
        if any(s.start < end and start < s.end for s in hidden):
            continue
        groups = _groups(plain, run, language)
        digits = _digits(groups)
        if len(digits) < 3 or all(re.fullmatch(r"(19|20)\d\d", g.digits) for g in groups):
            continue
        kind = next((k for secret, k in secrets if digits in secret), None)
        if kind is not None:
            found.append(Span(start, end, kind))
    return found


def _digits_in(part: str, language: str | None) -> str:
    """The digits a piece of text says, written or spoken."""
    written = "".join(re.findall(r"\d", part))
    if not re.search(r"[^\W\d_]{2,}", part):
        return written  # no words to read
    spoken = "".join(_digits(_groups(part, run, language)) for run, _ in _runs(part))
    return spoken if len(spoken) > len(written) else written


def _find(said: str, text: str, language: str | None) -> list[Span]:
    """`said`: the transcript; `text`: the same without fillers between numbers."""
    spans = _last_four(text, language) + _date_then_four(text, language)
    for chain in _chains(text):
        parts = [(run, after, _groups(text, run, language)) for run, after in chain]
        each = [s for run, after, groups in parts for s in _windows(text, groups, run, after)]
        if len(parts) == 1:
            spans += each + _said_again(said, text, parts[0], each, language)
            continue
        # A caller who pauses in the middle of a number gets a full stop from Whisper
        # ("23 45. 67 89."): the runs are read again as one, the pause a separator.
        run = [token for tokens, _, _ in parts for token in tokens]
        groups = [
            replace(group, sep="|") if n == 0 and k > 0 else group
            for k, (_, _, run_groups) in enumerate(parts)
            for n, group in enumerate(run_groups)
        ]
        last_after = parts[-1][1]
        whole = _windows(text, groups, run, last_after)
        spans += whole + [
            s for s in each if not any(s.start < w.end and w.start < s.end for w in whole)
        ]
        spans += _corrections(parts, whole + each)
    return spans


def _said_again(
    said: str,
    text: str,
    part: tuple[list["_Token"], str, list["Group"]],
    hidden: list[Span],
    language: str | None,
) -> list[Span]:
    """The rest of a run after a phone number, when a filler or a stop stood between them
    ("42 17. Øh, 90 65. Nej, 90 56"): the caller said part of it again."""
    run = part[0]
    numbers = [s for s in hidden if s.kind in (Kind.PHONE, Kind.CPR)]
    if not numbers:
        return []
    end = max(s.end for s in numbers)
    rest = [t for t in run if t.start >= end]
    if not rest or not said[end : rest[0].start].strip(" "):
        return []  # only spaces: "23456789 2024 var et godt år" reads on
    groups = _groups(text, rest, language)
    return _corrections([(rest, part[1], groups)], hidden)


def _corrections(
    parts: list[tuple[list["_Token"], str, list["Group"]]], hidden: list[Span]
) -> list[Span]:
    """A part of a number said again after the number ("42 17 90 65. Nej, 90 56", "… 3807,
    nej vent, 3808"): a run of four or more digits left whole in a chain that holds a phone
    or CPR number, unless a year; hidden as what it corrects."""
    kinds = [s.kind for s in hidden if s.kind in (Kind.PHONE, Kind.CPR)]
    if not kinds:
        return []
    spans = []
    for run, _after, groups in parts:
        start, end = run[0].start, run[-1].end
        digits = _digits(groups)
        if any(s.start < end and start < s.end for s in hidden) or len(digits) < 4:
            continue
        if all(re.fullmatch(r"(19|20)\d\d", g.digits) for g in groups):
            continue  # "… 23456789. 2024 var et godt år"
        spans.append(Span(start, end, kinds[-1]))
    return spans


def _without_fillers(text: str) -> str:
    """The text with the fillers between two number words blanked out (same length, so
    spans still point into the original): "42 17. Øh, 90 65", "five one, um, er, two"."""
    tokens = _tokens(text)
    numbers = [i for i, token in enumerate(tokens) if _is_number(token.word)]
    out = text
    for a, b in itertools.pairwise(numbers):
        if b == a + 1 or b - a > 8:
            continue
        start, end = tokens[a].end, tokens[b].start
        if _ONLY_FILLERS.fullmatch(text, start, end):
            out = out[:start] + " " * (end - start) + out[end:]
    return out


def _last_four(text: str, language: str | None) -> list[Span]:
    """ "de sidste fire (cifre) er 2231": the end of a CPR number, hidden with the birth date
    said anywhere in the same message ("født den 9. juni 79")."""
    spans: list[Span] = []
    cues = list(_LAST_FOUR.finditer(text))
    if not cues:
        return spans
    all_runs = [run for run, _ in _runs(text)]
    runs = {run[0].start: run for run in all_runs}
    for cue in cues:
        # The first number after the cue, not "fire" of "de sidste fire" itself.
        after = [[t for t in r if t.start >= cue.end()] for r in all_runs]
        near = [r for r in after if r and r[0].start <= cue.end() + 20]
        if not near or len(_digits(_groups(text, near[0], language))) != 4:
            continue
        run = near[0]
        spans.append(Span(run[0].start, run[-1].end, Kind.CPR))
        spans += _first_half(text, runs, language)
        for born in _BORN.finditer(text):
            end = _CLAUSE_END.search(text, born.end(), born.end() + 40)
            stop = end.start() if end else min(len(text), born.end() + 40)
            if stop > born.end():
                spans.append(Span(born.end(), stop, Kind.CPR))
    return spans


_DATE = re.compile(
    rf"\b{_ORDINAL_DAY}\s*(?i:januar|februar|marts|april|maj|juni|juli|august|september|oktober|"
    r"november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec|january|"
    r"february|march|may|june|july|october)\.?,?\s*(?:\d{4}|\d{2}\b|"
    r"(?i:(?:nitten\s+(?:hundrede\s+)?(?:og\s+)?|to\s*tusind(?:\s+og\s+)?)?"
    r"[a-zæøå]*(?:tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems|ti|tolv|ni|"
    r"otte|syv|seks|fem|fire|tre|to|et)\b|"
    r"(?:nineteen|twenty|two\s+thousand(?:\s+and)?)(?:[\s-]+[a-z]+){1,2}\b))"
    r"|\b\d{1,2}[./-]\d{1,2}(?:[./-]|\s+)(?:\d{4}|\d{2})\b"
    # "tredje i ottende tooghalvfems": the day of the month of the year
    rf"|\b{_ORDINAL_DAY}\s+i\s+(?i:første|anden|tredje|fjerde|femte|sjette|syvende|ottende|"
    r"niende|tiende|ellevte|tolvte)\s+(?i:[a-zæøå]*(?:tyve|tredive|fyrre|halvtreds|tres|"
    r"halvfjerds|firs|halvfems|ti|tolv|ni|otte|syv|seks|fem|fire|tre|to|et)|\d{2}|\d{4})\b"
)


_DATE_TO_FOUR = re.compile(
    r"[\s,.:-]*(?i:bindestreg|streg|dash|og\s+så|og|and\s+then|and|then|så)?[\s,.:-]*"
)


def _date_then_four(text: str, language: str | None) -> list[Span]:
    """A date and four digits right after it are a CPR number: "9. juni 79 - 2231"."""
    spans: list[Span] = []
    dates = list(_DATE.finditer(text))
    runs = [run for run, _ in _runs(text)] if dates else []
    for date_match in dates:
        for run in runs:
            tail = [t for t in run if t.start >= date_match.end()]
            gap = text[date_match.end() : tail[0].start] if tail else "x"
            if tail and _DATE_TO_FOUR.fullmatch(gap):
                if len(_digits(_groups(text, tail, language))) == 4:
                    spans.append(Span(date_match.start(), tail[-1].end, Kind.CPR))
                break
    return spans


def _first_half(text: str, runs: dict[int, list[_Token]], language: str | None) -> list[Span]:
    """With the last four digits said, a date in the same message is the first half of the
    CPR number: "090679", "9. juni 79", "9/6 1979"."""
    spans = [Span(m.start(), m.end(), Kind.CPR) for m in _DATE.finditer(text)]
    for run in runs.values():
        digits = _digits(_groups(text, run, language))
        if len(digits) == 6 and _date6(digits):
            spans.append(Span(run[0].start, run[-1].end, Kind.CPR))
    return spans


def _chains(text: str) -> Iterator[list[tuple[list[_Token], str]]]:
    """Runs of number tokens, those parted only by the end of a sentence kept together."""
    chain: list[tuple[list[_Token], str]] = []
    for run, after in _runs(text):
        if chain and not (
            _only_a_full_stop(text, chain[-1][0], run) or _a_pause(text, chain[-1][0], run)
        ):
            yield chain
            chain = []
        chain.append((run, after))
    if chain:
        yield chain


_PAUSE_WORD = re.compile(r"\b(?i:ø+h+m*|e+h+m*|æ+h+m*|u+h+m*|u+m+|hm+|altså|øjeblik|vent|wait)\b")


def _a_pause(text: str, before: list[_Token], run: list[_Token]) -> bool:
    """A few words with a filler among them between two parts of a number: "42 17, øhm,
    lad mig lige finde det, 90 65"."""
    between = text[before[-1].end : run[0].start]
    return len(between.split()) <= 7 and _PAUSE_WORD.search(between) is not None


def _only_a_full_stop(text: str, before: list[_Token], run: list[_Token]) -> bool:
    between = text[before[-1].end : run[0].start]
    return bool(re.fullmatch(r"\s*[.!?;:\u2026]+\s*", between))  # "23 45... 67 89" too


# Runs ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)  # one transcript is read several times over
def _tokens(text: str) -> tuple[_Token, ...]:
    tokens = []
    for match in _TOKEN.finditer(text):
        raw, start = match.group(), match.start()
        if raw == "(0)":
            continue  # "+45 (0) 53 12 77 08": the trunk zero written the British way
        core = raw.strip(_EDGE)
        if len(core) > 1 and core[0] in "-\u2013" and core[1].isdigit():
            core = core[1:]  # "0 2 1 2 3 1 -2 0 1 1"
        start += raw.index(core) if core else 0
        trailing = ""
        while core and core[-1] in ",.;:!?\u2026":
            trailing, core = core[-1] + trailing, core[:-1]
        if core:
            tokens.append(_Token(start, start + len(core), core.lower(), trailing))
    return tuple(tokens)


@functools.lru_cache(maxsize=8192)  # transcripts repeat their words; text2num is slow
def _is_number(word: str) -> bool:
    if _DIGITS.fullmatch(word) or word in _DIGIT_WORDS or _MAGNITUDES.match(word):
        return True
    if "-" in word.strip("-"):  # "syv-otte": digits read in pairs, joined by Whisper
        return all(part and _is_number(part) for part in word.split("-"))
    return any(_spoken_value(word, lang) is not None for lang in _LANGUAGES)


def _spoken_value(word: str, lang: str) -> str | None:
    converted = alpha2digit(word, lang, threshold=0)
    return converted if converted != word and converted.isdigit() else None


def _runs(text: str) -> Iterator[tuple[list[_Token], str]]:
    """Runs of number tokens, with the word that follows each run."""
    tokens = _tokens(text)
    numeric = [_is_number(t.word) for t in tokens]
    for i, token in enumerate(tokens):  # "oh" is zero next to other digits
        if token.word == "oh" and (
            (i > 0 and numeric[i - 1]) or (i + 1 < len(tokens) and numeric[i + 1])
        ):
            numeric[i] = True
    run: list[_Token] = []
    for i, token in enumerate(tokens):
        between = (
            0 < i < len(tokens) - 1
            and run
            and numeric[i + 1]
            and (
                token.word in _DASHES or (token.word in _JOINERS and not run[-1].word[0].isdigit())
            )
        )
        plus = token.word in _PLUS and i + 1 < len(tokens) and numeric[i + 1]
        if numeric[i] or between or (plus and not run):
            run.append(token)
            if token.trailing and token.trailing[-1] in ".;:!?\u2026":  # the sentence ends
                yield run, ""
                run = []
            continue
        if run:
            yield run, token.word
        run = []
    if run:
        yield run, ""


# Groups -------------------------------------------------------------------------------------


def _groups(text: str, run: list[_Token], language: str | None) -> list[Group]:
    return _country_codes(list(_read_groups(text, run, language)))


def _read_groups(text: str, run: list[_Token], language: str | None) -> Iterator[Group]:
    sep = ""
    words: list[_Token] = []
    plus: _Token | None = None
    for token in [*run, None]:
        if token is not None and token.word in _PLUS:
            plus = token
            continue
        if token is not None and not _DIGITS.fullmatch(token.word) and token.word not in _DASHES:
            words.append(token)
            continue
        if words:
            yield from _after_plus(_spoken(text, words, sep, language), plus)
            sep, words, plus = words[-1].trailing[:1] or " ", [], None
        if token is None:
            break
        if token.word in _DASHES:
            sep = "-"
            continue
        yield from _after_plus(_written(token, sep), plus)
        sep, plus = token.trailing[:1] or " ", None


def _after_plus(groups: Iterator[Group], plus: _Token | None) -> Iterator[Group]:
    for n, group in enumerate(groups):
        yield replace(group, start=plus.start, plus=True) if plus and n == 0 else group


def _country_codes(groups: list[Group]) -> list[Group]:
    """ "plus 45", "plus fem og fyrre", "00 45", "nul nul fire fem" before eight more digits
    become one prefix group, so the number after it is read from its first digit."""
    for i in range(len(groups)):
        digits = ""
        for k in range(i, min(i + 4, len(groups))):
            digits += groups[k].digits
            rest = sum(len(g.digits) for g in groups[k + 1 :])
            said_45 = digits == "45" and (groups[i].plus or (i == 0 and rest == 8))
            if (said_45 or digits == "0045") and rest >= 8:
                code = Group("45", groups[i].start, groups[k].end, groups[i].sep, prefix=True)
                return [*groups[:i], code, *groups[k + 1 :]]
            if len(digits) >= 4:
                break
    return groups


def _written(token: _Token, sep: str) -> Iterator[Group]:
    word, offset = token.word, token.start
    prefix = re.match(r"(?:\+|00)45[-.]?(?=\d{8}$|$)", word)
    if prefix:
        yield Group("45", offset, offset + prefix.end(), sep, prefix=True)
        sep, word, offset = "", word[prefix.end() :], offset + prefix.end()
    for part in re.finditer(r"\d+|[-./]", word):
        if part.group().isdigit():
            yield Group(part.group(), offset + part.start(), offset + part.end(), sep)
            sep = ""
        else:
            sep = part.group()


# Number words are read in Danish and English, and in German, which newcomers and visitors
# fall back on ("null drei, null sieben, achtundachtzig").
_LANGUAGES = ("da", "en", "de")
_DANISH_DIGITS = {"nul", "tre", "fire", "fem", "seks", "syv", "otte", "ni"}  # not "to", "en"
_ENGLISH_DIGITS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}


def _mixed_languages(words: list[_Token]) -> bool:
    """Digits read one by one, some in Danish and some in English (a newcomer who learned
    the Danish ones): neither language alone reads them all."""
    said = [w.word for w in words]
    return (
        all(word in _DIGIT_WORDS or word in _JOINERS for word in said)
        and sum(word in _DANISH_DIGITS for word in said) >= 2
        and sum(word in _ENGLISH_DIGITS for word in said) >= 2
    )


@functools.lru_cache(maxsize=4096)  # each run is read several times; text2num is slow
def _read_aloud(phrase: str, language: str | None) -> str:
    """The phrase with its number words as digits, in whichever language reads most."""
    phrase = re.sub(r"\boh\b", "zero", phrase, flags=re.IGNORECASE)
    phrase = re.sub(r"(?<=[^\W\d])-(?=[^\W\d])", " ", phrase)  # "syv-otte"
    best = ""
    for lang in ([language] if language in _LANGUAGES else []) + list(_LANGUAGES):
        converted = alpha2digit(phrase, lang, threshold=0)
        if len(re.findall(r"\d", converted)) > len(re.findall(r"\d", best)):
            best = converted
    return best


def _spoken(text: str, words: list[_Token], sep: str, language: str | None) -> Iterator[Group]:
    """Number words become digit groups; each group spans the words it was read from."""
    best = _read_aloud(text[words[0].start : words[-1].end], language)
    if _mixed_languages(words):  # "en ni nul syv otte tre and then five five one nine"
        best = " ".join(str(_DIGIT_WORDS[w.word]) for w in words if w.word in _DIGIT_WORDS)
    if any(_MAGNITUDES.match(w.word) for w in words):
        best = re.sub(r"\s+", "", best) if best else best  # an amount: one number
    for n, digits in enumerate(re.findall(r"\d+", best)):
        yield Group(digits, words[0].start, words[-1].end, sep if n == 0 else " ")


# Windows ------------------------------------------------------------------------------------


def _windows(text: str, groups: list[Group], run: list[_Token], after: str) -> list[Span]:
    spans = []
    if any(_MAGNITUDES.match(t.word) for t in run) or _AMOUNT_AFTER.match(after):
        return []  # "12 500 000 kr", "tolv millioner": an amount
    i = 0
    while i < len(groups):
        found = _window_at(text, groups, i)
        if found is None:
            i += 1
            continue
        j, kind = found
        later = [k for k in range(i + 1, j + 1) if _cpr_at(text, groups, k)]
        if kind is Kind.PHONE and later:
            # "to fire... nej, 240352-2088": a false start, then the CPR number
            spans.append(Span(groups[i].start, groups[later[0] - 1].end, Kind.CPR))
            i = later[0]
            continue
        start = groups[i - 1].start if i > 0 and groups[i - 1].prefix else groups[i].start
        rest = groups[j + 1 :]
        if kind is Kind.PHONE and len(rest) >= 2 and all(len(g.digits) <= 2 for g in rest):
            j = len(groups) - 1  # "30 24 undskyld 30 42 18 18": the number said again
        before = groups[i - 1] if i > 0 else None
        if kind is Kind.CPR and before and len(before.digits) == 6 and _date6(before.digits):
            start = before.start  # "280691, nej 290691, 4412": the date said wrong first
        spans.append(Span(start, groups[j].end, kind))
        i = j + 1
    if not spans and _part_of_a_phone_number(text, groups):
        spans.append(Span(run[0].start, run[-1].end, Kind.PHONE))
    return spans + _repeated_in_run(groups, spans)


def _date6(digits: str) -> bool:
    """Six digits that can begin a CPR number: a day, a month and a year."""
    return _cpr_like([Group(digits + "0000", 0, 0, "")])


def _repeated_in_run(groups: list[Group], spans: list[Span]) -> list[Span]:
    """ "1649, sorry, 250577-1649": a part of a number found in the run, said apart from it."""
    found = [(_digits([g for g in groups if s.start <= g.start < s.end]), s) for s in spans]
    repeated = []
    for group in groups:
        if len(group.digits) < 3 or any(s.start <= group.start < s.end for s in spans):
            continue
        for digits, span in found:
            if group.digits in digits:
                repeated.append(Span(group.start, group.end, span.kind))
                break
    return repeated


def _cpr_at(text: str, groups: list[Group], i: int) -> bool:
    found = _window_at(text, groups, i)
    return found is not None and found[1] is Kind.CPR


def _window_at(text: str, groups: list[Group], i: int) -> tuple[int, Kind] | None:
    if groups[i].prefix:
        return None
    total, phone = 0, None
    for j in range(i, len(groups)):
        total += len(groups[j].digits)
        window = groups[i : j + 1]
        whole = i == 0 or (i == 1 and groups[0].prefix)
        if total == 8 and _phone_like(text, window, whole and j == len(groups) - 1):
            phone = j
        if total == 10 and _cpr_like(window):
            return j, Kind.CPR
        if total >= 10:
            break
    return (phone, Kind.PHONE) if phone is not None else None


def _digits(window: list[Group]) -> str:
    return "".join(g.digits for g in window)


def _cpr_like(window: list[Group]) -> bool:
    digits = _digits(window)
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    try:
        date(2000 + year, month, day)
    except ValueError:
        return False
    if [len(g.digits) for g in window] == [2, 2, 2, 4] and window[3].sep in "- .":
        return True  # "04.11.88-1290", "17.11.45.3208": a CPR written with dots
    return all(g.sep != "." for g in window[1:])  # "01.01.1990" is a date


def _phone_like(text: str, window: list[Group], whole_run: bool = False) -> bool:
    if _digits(window)[0] in "01":
        return False  # Danish subscriber numbers start with 2-9
    if _other_number(window):
        # "telefonnummer er 28.146.690": Whisper wrote a phone number as thousands
        return _thousands(window) and _about_phoning(text, window)
    if any(g.sep == "," for g in window[1:]):
        # "23, 45, 67, 89" is how Whisper writes a number read in pairs; so is a list of
        # counts, which in speech ends with "og" ("12, 15, 20 og 30"). Eight digits read
        # in pairs or fours and nothing more are a phone number; other groupings need a
        # word about phoning nearby.
        sizes = [len(g.digits) for g in window]
        return (whole_run and sizes in ([2, 2, 2, 2], [4, 4])) or _about_phoning(text, window)
    return True


def _part_of_a_phone_number(text: str, groups: list[Group]) -> bool:
    return (
        len(_digits(groups)) >= 6
        and not _other_number(groups)
        and not any(g.sep == "," for g in groups[1:])  # a list of counts
        and _about_phoning(text, groups)
    )


def _thousands(window: list[Group]) -> bool:
    sizes = [len(g.digits) for g in window]
    return len(window) > 1 and sizes[0] <= 3 and all(s == 3 for s in sizes[1:])


def _other_number(window: list[Group]) -> bool:
    """Digits that read as thousands, a date or years rather than a phone number."""
    if _thousands(window):
        return True  # "12 500 000": thousands
    if any(g.sep in "./" and g.sep for g in window[1:]):
        return True  # "23.05.2024", "23/05/2024": a date
    return len(window) >= 2 and all(re.fullmatch(r"(19|20)\d\d", g.digits) for g in window)


def _about_phoning(text: str, window: list[Group]) -> bool:
    """A word about phoning earlier in the same sentence."""
    sentence_start = max(text.rfind(".", 0, window[0].start), 0)
    return bool(_PHONE_CUES.search(text, sentence_start, window[-1].end))
