"""CPR and Danish phone numbers, written or spoken, in any grouping.

The transcript is cut into runs of number tokens (digits, or number words read by
`text2num` in Danish and English), joined only by spaces, commas and spoken dashes. Each run
becomes digit groups, and windows of groups holding 10 digits that start with a date (CPR;
no modulus-11 check, which numbers issued since 2007 may fail) or 8 digits that start with
2-9 (a Danish subscriber number) are hidden. In a sentence about phoning, a run of six or
more digits that is neither is hidden too: Whisper mishears numbers ("234567A" for "23 45 67
89") and callers break off, and part of a number still leads to its owner. What looks like an
amount, a date, a year or a count list stays. Runs and groups are read in `numerals`; CPR
numbers said in halves are found in `cpr`.
"""

import re
from collections.abc import Iterator
from dataclasses import replace

from ingest.language.redaction.cpr import (
    CPR_CUE,
    about_a_cpr_number,
    born_on,
    born_then_four,
    cpr_like,
    date6,
    date_then_four,
    end_first,
    halves_apart,
    in_cpr_talk,
    last_four,
    long_years,
)
from ingest.language.redaction.numerals import (
    FILLER_WORDS,
    MAGNITUDES,
    Group,
    Token,
    digit_groups,
    digits_in,
    digits_of,
    is_number,
    number_runs,
    without_fillers,
)
from ingest.language.redaction.reader import CORRECTING
from ingest.language.redaction.spans import Kind, Span

_AMOUNT_AFTER = re.compile(
    r"^(kr|kroner|krone|dkk|euro|eur|mio|procent|pct|%|km|meter|m|minutter|timer|år|"
    r"people|persons|personer|mennesker|biler|cars|dollars?|pounds?)\b",
    re.IGNORECASE,
)
# Calling, and "my number", in the newcomers' languages.
_CALL_ABROAD = (
    r"dzwoń|dzwonić|zadzwoń|arayın|arayin|телефон\w*|дзвон\w*|звон\w*|"
    # "my number" and "phone" in Spanish, Arabic, Persian, Vietnamese, Somali, Ukrainian
    r"número|numero|teléfono|telefono|móvil|movil|رقم\w*|هاتف\w*|تلفون\w*|شماره\w*|تلفن\w*|"
    r"điện\s+thoại|lambar\w*|raqm\w*|shomare\w*|nomer"
)
_PHONE_CUES = re.compile(
    r"\b(ring(?:e|er|ede|et)?|telefon\w*|tlf|nummer|nummeret|mobil\w*|sms|call|phone|number|"
    r"reach me|"
    r"få\s+fat\s+i|fat\s+på|kontakte?|"
    r"text me|"
    rf"{_CALL_ABROAD}|numer|numeru|numerem|numara|numaram|numaramı|ara|номер\w*)\b",
    re.IGNORECASE,
)


# The numbers of institutions are public, not personal: after such a word a phone number
# stays ("kommunens omstilling 89 40 20 00", "lægevagten på 70 11 31 31").
_INSTITUTION = re.compile(
    r"\b(?i:omstilling(?:en)?|hovednummer(?:et)?|kommune(?:n|ns)?(?:\s+(?:nummer|telefon))?|"
    r"lægevagt(?:en)?|vagtlæge(?:n)?|politi(?:et|ets)?|borgerservice|kundeservice|hotline|"
    r"switchboard|alarmcentral(?:en)?|døgnvagt(?:en)?|servicecenter|kontaktcenter|"
    r"rådgivning(?:en)?|hospital(?:et)?|skadestue(?:n)?|biblioteket|the\s+council|"
    r"taxa|taxi|\w+linien|\w+linjen|\w+telefonen|havnekontoret|kontoret|kundeservice|kundecent(?:er|ret)|"
    r"midttrafik|kredsløb|forsyning(?:en)?|aarhus\s+vand|falck|dsb|beredskab(?:et)?|"
    r"vejtelefon(?:en)?|affald\s+og\s+genbrug|"
    # "Butikkens nummer står på døren", "klubbens telefon": an organisation's own number
    r"(?:butikkens|klubbens|foreningens|skolens|caféens|cafeens|firmaets|virksomhedens|"
    r"institutionens|børnehavens|vuggestuens|bageriets|beboerhusets|kirkens|hallens|"
    r"klubhuset|sekretariatet)(?:\s+(?:telefon|nummer|telefonnummer))?)\b"
)
# Only these between the institution and its number: "lægevagten på", "kommunens nummer er".
_TO_ITS_NUMBER = re.compile(
    r"[\s,:]*(?:(?i:på|er|is|at|on|nummer|nummeret|number|telefon|tlf\.?|har|has|det|it's|"
    r"svarer|ikke|answers|not|eller|or|står|på\s+døren|for\s+\w+)"
    r"[\s,:]+){0,3}$"
)


# Public numbers printed on every letter and leaflet: the city's switchboard.
_CITY_NUMBERS = {"89402000", "4589402000", "70113131"}  # and the region's doctor on call
# The numbering plan gives 70- and 80-numbers to businesses only: nationwide and free numbers.
_BUSINESS_NUMBER = re.compile(r"(?:45)?[78]0\d{6}")
# Numbers that are no one's: a company's CVR number, a ticket's, a receipt's, a case's.
_NOT_PERSONAL = re.compile(
    r"\b(?i:cvr(?:-?nummer|-?nr\.?)?|se-nummer|p-nummer|billet\w*|kvittering\w*|sagsnummer\w*|"
    # "sag nummer 2024-1187", "Sagen om Nordhavnen har nummer …"
    r"sag(?:en)?\s+(?:\w+\s+){0,3}?(?:har\s+)?(?:nummer|nr\.?)|postnumre\w*|"
    r"sagsnr\.?|ordrenummer\w*|ordre|fakturanummer\w*|faktura|journalnummer\w*|kundenummer\w*|"
    r"referencenummer\w*|bookingnummer\w*|lokalplan\w*|matrikel\w*|registreringsnummer\w*|"
    r"stregkode\w*|ticket|order|invoice|receipt|case\s+number|reference)\b"
)


# A word for someone's own number after the case number's: "sagsnummer 23/41877 og mit cpr
# 250377-3012" names two numbers, and the second is the caller's.
_OWN_NUMBER = re.compile(
    r"\b(?i:cpr\w*|personnummer\w*|telefon\w*|tlf|mobil\w*|ring\w*|phone|mobile|call|"
    r"(?:mit|min|hans|hendes|vores|deres|dit|my|his|her|our)\s+(?:nummer|number))\b"
)


def _no_ones(sentence: str) -> bool:
    """The number at the end of the sentence is a case's, a ticket's, a company's."""
    cues = list(_NOT_PERSONAL.finditer(sentence))
    return bool(cues) and not _OWN_NUMBER.search(sentence, cues[-1].end())


# "70 10 20 30 som står på skiltet": a number put up for everyone.
_ON_A_SIGN = re.compile(
    r"[,\s]+(?i:som\s+|og\s+(?:det|den)\s+)?(?i:står|stod)\s+på\s+(?i:skiltet|skiltene|døren|"
    r"hjemmesiden|plakaten|opslagstavlen|nettet)|[,\s]+(?i:on\s+the\s+(?:sign|door|website|poster))"
    r"|\s+(?i:på\s+opslagstavlen)"
)


def _institutions(text: str, spans: list[Span]) -> list[Span]:
    """The phone and CPR spans that are no one's: an institution's number said right after
    its name, a company's CVR number, a ticket's or a receipt's number."""
    public = []
    for span in spans:
        sentence = re.split(r"[.!?]\s", text[max(0, span.start - 60) : span.start])[-1]
        on_a_sign = _ON_A_SIGN.match(text, span.end)
        digits = re.sub(r"\D", "", text[span.start : span.end])
        if digits in _CITY_NUMBERS or (
            span.kind is Kind.PHONE and _BUSINESS_NUMBER.fullmatch(digits)
        ):
            public.append(span)
            continue
        # "+90 555 …" is dialled: no receipt or case number starts with a country code.
        dialled = text.startswith("+", span.start)
        if (
            span.kind in (Kind.PHONE, Kind.CPR)
            and not dialled
            and (_no_ones(sentence) or on_a_sign)
        ):
            public.append(span)
            continue
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


# What may stand between the parts of a number read out in pieces: "14 08 og 93 og så 11 62",
# "31 01 79, januar altså, og så 3356".
_PIECES_APART = re.compile(
    rf"(?:[\s,.…-]+|\b(?i:og|and|så|then|y|und|bagefter|derefter|januar|februar|marts|april|"
    rf"maj|juni|juli|august|september|oktober|november|december|bindestreg|streg|dash)\b|"
    rf"\b{FILLER_WORDS}\b)*"
)
# A number from abroad: "+380 67 412 55 90", "plus czterdzieści osiem 512 330 871",
# "0049 151 2873 4410".
_FOREIGN = re.compile(
    r"(?:\+|\b(?i:plus)\s+(?:[^\W\d_]+\s+){1,3}|\b(?i:plus)\s+|\b00(?=[1-9]))"
    r"\d{1,4}(?:[\s.-]*\d){7,}"
)
# "nummeret … slutter på 47": the end of a phone number, in a sentence about phoning.
_ENDS_WITH = re.compile(r"\b(?i:slutter|ender|ends)\s+(?i:på|med|with|in)\s+(\d{2,4})\b")


_AARHUS_POSTCODE = re.compile(r"8\d{3}")  # "8210 og nu 8260", "8230, 8240": places, not numbers
_DOTTED_DATE = re.compile(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}")  # "09.03.25": a date
_TIME = re.compile(r"(?:[01]?\d|2[0-3])[.:][0-5]\d")


def _in_pieces(text: str, language: str | None) -> list[Span]:
    """A number read out in pieces with words between them: ten digits that start with a
    date after a word for CPR, or a date in six digits and four more; eight digits about
    phoning. Each piece is hidden."""
    # A run that ends in a date is read from it ("31 10 79 nej vent, 31 01 79"): a correction
    # joined to what it corrects.
    read = [_from_last_date(text, run, language) for run, _ in number_runs(text)]
    runs = [run for run, _ in read]
    # "kørte 06.10, 06.25, 06.40 og 06.55", "kom først 09.03.25": times and dates written
    # with dots are no pieces of a number
    digits = [
        "" if any(_TIME.fullmatch(t.word) or _DOTTED_DATE.fullmatch(t.word) for t in run) else found
        for run, found in zip(runs, (found for _, found in read), strict=True)
    ]
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
            cpr = len(total) == 10 and cpr_like([Group(total, 0, 0, "")])
            if cpr and (date_first or about_a_cpr_number(text)):
                spans += pieces
            if b == a + 1 and len(digits[a]) == 6 and len(digits[b]) == 4 and cpr:
                # "290280, ja jeg er skudårsbarn, og så 3315": the date, a remark, the rest
                gap = text[runs[a][-1].end : runs[b][0].start]
                if len(gap) <= 50 and _AND_THEN.search(gap):
                    spans += pieces
            # "boet i 8210 og nu 8260": two postcodes, not a number in pieces
            postcodes = all(_AARHUS_POSTCODE.fullmatch(d) for d in digits[a : b + 1])
            if len(total) == 8 and b > a and total[0] not in "01" and not postcodes:
                window = [Group(total, runs[a][0].start, runs[b][-1].end, "")]
                listed = "," in text[runs[a][0].start : runs[b][-1].end]  # "20, 45, 67 og 89"
                cue = _STRONG_PHONE_CUES.search(_sentence_before(text, runs[a][0].start))
                if _about_phoning(text, window) and (cue or not listed):
                    spans += [replace(p, kind=Kind.PHONE) for p in pieces]
            if len(total) >= 10:
                break
    # "mors cpr er 180438", "det starter med 19 04": the start of a CPR number, said right
    # after the word or after "starter med".
    cues = [*CPR_CUE.finditer(text)]
    cues += [*_STARTS_WITH.finditer(text)] if cues else []
    for cue in cues:
        for run, found in zip(runs, digits, strict=True):
            if run[0].start < cue.end() < run[-1].start:
                # "de første seks er elleve tolv halvfjerds": the run began with the cue's "seks"
                run = [token for token in run if token.start >= cue.end()]
                found = digits_in(text[run[0].start : run[-1].end], language)
            near = 0 <= run[0].start - cue.end() <= 25
            near = near or (0 <= cue.start() - run[-1].end <= 20 and len(found) == 6)
            starts = cue.re is _STARTS_WITH and 2 <= len(found) <= 6
            date = 6 <= len(found) <= 10 and date6(found[:6])
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


def _from_last_date(text: str, run: list[Token], language: str | None) -> tuple[list[Token], str]:
    """The run, or its tail from a date on, and the digits of what is returned."""
    groups = digit_groups(text, run, language)
    digits = digits_of(groups)
    if [len(g.digits) for g in groups] == [1, 2, 2]:
        digits = "0" + digits  # "otte tolv otteoghalvfjerds": the 8th of December 78
    if len(digits) <= 6:
        return run, digits
    for k in range(len(groups) - 1, 0, -1):
        tail = digits_of(groups[k:])
        if len(tail) == 6 and date6(tail):
            rest = [t for t in run if t.start >= groups[k].start]
            return (rest, tail) if rest else (run, digits)
        if len(tail) >= 6:
            break
    return run, digits


# "De første fire er 4287 og de sidste fire er 1190": a number said in halves.
_FIRST_FOUR = re.compile(
    r"\b(?i:de\s+første\s+fire|the\s+first\s+four)(?:\s+(?i:cifre|digits))?,?\s+"
    r"(?:(?i:er|is|are)\s+)?(?P<four>\d{4}|\d\d\s\d\d)\b(?=[^.!?]{0,40}\b(?i:sidste|last)\s+fire|"
    r"[^.!?]{0,40}\b(?i:last\s+four))"
)
# "86 12 34 56 lokal 214": the extension after a phone number.
_EXTENSION = re.compile(
    r",?\s+(?i:lokal|lokalnummer|lok\.|ext\.?|extension|direkte\s+linje)\s+(?P<extension>\d{2,5})\b"
)
# "plus femogfyrre foran og så 31 20 44 87": the country code said apart from the number.
_COUNTRY_CODE = re.compile(r"(?:\+45|\b(?i:plus\s+(?:45|femogfyrre|fem\s+og\s+fyrre)|0045))\b")


def _abroad_and_ends(text: str) -> list[Span]:
    spans = [Span(m.start(), m.end(), Kind.PHONE) for m in _FOREIGN.finditer(text)]
    cpr = about_a_cpr_number(text)
    spans += [
        Span(m.start("four"), m.end("four"), Kind.CPR if cpr else Kind.PHONE)
        for m in _FIRST_FOUR.finditer(text)
    ]
    spans += long_years(text)
    for match in _ENDS_WITH.finditer(text):
        window = [Group(match.group(1), match.start(1), match.end(1), "")]
        if _about_phoning(text, window):
            spans.append(Span(match.start(1), match.end(1), Kind.PHONE))
    return spans


def find(text: str, language: str | None = None) -> list[Span]:
    plain = without_fillers(text)
    found = _find(text, plain, language)
    found += _in_pieces(plain, language) + _abroad_and_ends(text)
    found += _told_in_parts(plain, language)
    found += _or_another(plain, found, language)
    if about_a_cpr_number(plain) or any(s.kind is Kind.CPR for s in found):
        found += in_cpr_talk(plain, language)
    public = _institutions(text, found)
    found = [s for s in found if s not in public]
    phones = [s for s in found if s.kind is Kind.PHONE]
    found += [
        Span(m.start(), m.end(), Kind.PHONE)
        for m in _COUNTRY_CODE.finditer(text)
        if any(0 < p.start - m.end() <= 40 for p in phones)
    ]
    found += _begun_before(text, phones, language)
    found += [  # "86 12 34 56 lokal 214": the extension goes with the number
        Span(m.start("extension"), m.end("extension"), Kind.PHONE)
        for p in phones
        if (m := _EXTENSION.match(text, p.end))
    ]
    cprs = [s for s in found if s.kind is Kind.CPR]
    # "de sidste fire er 3-3-0-8, altså tre tre nul otte": eight digits that hold the last
    # four of a CPR number are that number said twice, not a phone number
    return [
        replace(s, kind=Kind.CPR)
        if s.kind is Kind.PHONE and any(s.start <= c.start and c.end <= s.end for c in cprs)
        else s
        for s in found
    ]


_OR = re.compile(r"\s+(?i:eller|or)\s+$")
# "mit nummer starter med 40... og så 71... [a remark] … og sidst er det 22 16": a phone
# number told in parts, each after a word that carries it on.
_FIRST_PART = re.compile(
    r"\b(?i:nummer(?:et)?|number)(?:\s+(?i:starter\s+med|begynder\s+med|starts\s+with|er|is))?"
    r"[\s,:.…]*$"
)
_SAYS_NUMBER = re.compile(r"\b(?i:nummer|nummeret|number)\b")
_NEXT_PART = re.compile(
    r"\b(?i:og\s+så|så|sidst(?:e)?(?:\s+\w+){0,3}\s+er(?:\s+det)?|resten(?:\s+er)?|"
    r"slutter\s+(?:med|på)|and\s+then|then|the\s+rest(?:\s+is)?|last(?:\s+\w+){0,2}\s+is)"
    r"[\s,:.…]*$"
)


def _told_in_parts(text: str, language: str | None) -> list[Span]:
    if not _SAYS_NUMBER.search(text):
        return []
    runs = [run for run, _ in number_runs(text)]
    digits = [digits_in(text[run[0].start : run[-1].end], language) for run in runs]
    for a, run in enumerate(runs):
        first = _FIRST_PART.search(text, max(0, run[0].start - 40), run[0].start)
        if first is None or not 2 <= len(digits[a]) <= 4 or digits[a][0] in "01":
            continue
        parts, total = [a], digits[a]
        for b in range(a + 1, len(runs)):
            if runs[b][0].start - runs[parts[-1]][-1].end > 200:
                break
            carried = _NEXT_PART.search(text, max(0, runs[b][0].start - 40), runs[b][0].start)
            if carried is None or not 2 <= len(digits[b]) <= 4:
                continue  # "… klokken fire …": a number in the remark between
            parts.append(b)
            total += digits[b]
            if len(total) >= 8:
                break
        if len(total) == 8 and len(parts) > 1:
            return [Span(runs[k][0].start, runs[k][-1].end, Kind.PHONE) for k in parts]
    return []


def _or_another(text: str, found: list[Span], language: str | None) -> list[Span]:
    """ "ring 30 89 44 12 eller tredive otteogfirs... nej": a second number begun after a
    phone number in the same sentence."""
    phones = [s for s in found if s.kind is Kind.PHONE]
    spans = []
    for run, _ in number_runs(text) if phones else ():
        start, end = run[0].start, run[-1].end
        if not 4 <= len(digits_of(digit_groups(text, run, language))) < 8:
            continue
        before = [p for p in phones if p.end <= start and "." not in text[p.end : start]]
        if before and _OR.search(text, before[-1].end, start):
            spans.append(Span(start, end, Kind.PHONE))
    return spans


_RINGES = re.compile(r"\b(?i:ringes\s+op|ringet\s+op|reach\s+me)\b")
_PAUSE_AFTER = re.compile(r"\s*(?:\.{2,3}|…)")


def said_again(text: str, hidden: list[Span], language: str | None = None) -> list[Span]:
    """Part of a hidden number said again elsewhere in the message ("… to en, det er mit
    nummer, fem et ni nul", "kim123@hotmail.com, altså et to tre til sidst"): a run of three
    or more digits found inside a hidden phone number, CPR number or e-mail address."""
    numbers = [s for s in hidden if s.kind in (Kind.PHONE, Kind.CPR, Kind.EMAIL)]
    said = [digits_in(text[s.start : s.end], language) for s in numbers]
    secrets = [
        (digits, s.kind) for digits, s in zip(said, numbers, strict=True) if len(digits) >= 3
    ]
    if not secrets:
        return []
    plain = without_fillers(text)
    found = []
    for run, _after in number_runs(plain):
        start, end = run[0].start, run[-1].end
        if any(s.start < end and start < s.end for s in hidden):
            continue
        groups = digit_groups(plain, run, language)
        digits = digits_of(groups)
        if len(digits) < 2 or all(re.fullmatch(r"(19|20)\d\d", g.digits) for g in groups):
            continue
        kind = next((k for secret, k in secrets if digits in secret and len(digits) >= 3), None)
        if kind is not None:
            found.append(Span(start, end, kind))
            continue
        # "ringes op på fireogtyve... der kommer lige en ambulance... 24 51 …": a number
        # begun, broken off by a remark, then said whole
        if not _PAUSE_AFTER.match(text, end):
            continue
        begun = [
            s.kind
            for s, whole in zip(numbers, said, strict=True)
            if s.kind is not Kind.EMAIL
            and 0 < s.start - end <= 80
            and whole.startswith(digits)
            and not re.search(r"[.!?](?:\s|$)(?<!\.\.\s)", text[end : s.start].replace("...", "…"))
        ]
        cued = _PHONE_CUES.search(text, max(0, start - 30), start) or _RINGES.search(
            text, max(0, start - 30), start
        )
        if begun and cued:
            found.append(Span(start, end, begun[0]))
    return found


# "Mit nummer er 28 3 nej undskyld 28 31 40 12": a correction just before a number hidden.
_CORRECTION_BEFORE = re.compile(
    rf"[\s,.…]*\b(?i:{CORRECTING}|no)"
    r"(?:[\s,.…]+(?i:undskyld|vent|sorry|det\s+er|it's|jeg\s+mener))*[\s,.…]*$"
)
_WORD_BEFORE = re.compile(r"([\w-]+)[\s,.…]*$")


def false_starts(text: str, hidden: list[Span], language: str | None = None) -> list[Span]:
    """The digits said just before a correction that leads to a hidden phone or CPR number
    ("28 3 nej undskyld …", "five... no, …") are its false start: part of the same secret."""
    found = []
    for span in hidden:
        if span.kind not in (Kind.PHONE, Kind.CPR):
            continue
        correction = _CORRECTION_BEFORE.search(text, max(0, span.start - 40), span.start)
        if correction is None:
            continue
        start = end = correction.start()
        for _ in range(8):  # the words of the false start, read backwards
            word = _WORD_BEFORE.search(text, max(0, start - 20), start)
            if word is None or not is_number(word.group(1).lower()):
                break
            start = word.start(1)
        if start < end and len(digits_in(text[start:end], language)) >= 2:
            found.append(Span(start, end, span.kind))
    return found


def _find(said: str, text: str, language: str | None) -> list[Span]:
    """`said`: the transcript; `text`: the same without fillers between numbers."""
    spans = last_four(text, language) + date_then_four(text, language) + halves_apart(text)
    spans += born_then_four(text, language) + end_first(text, language) + born_on(text)
    for chain in _chains(text):
        parts = [(run, after, digit_groups(text, run, language)) for run, after in chain]
        each = [s for run, after, groups in parts for s in _windows(text, groups, run, after)]
        if len(parts) == 1:
            spans += each + _said_again(said, text, parts[0], each, language)
            continue
        restart = _restarted(parts, each)
        if restart:
            spans += restart
            continue
        if all(_whole_number(run, each) for run, _, _ in parts):
            spans += each  # "tres, otteogtredive, et, to, nul, fire... altså 60 38 12 04"
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


def _whole_number(run: list[Token], spans: list[Span]) -> bool:
    """The run is one number found whole: each part of a number said twice."""
    return any(s.start <= run[0].start and s.end >= run[-1].end for s in spans)


def _restarted(parts: list[tuple[list[Token], str, list[Group]]], each: list[Span]) -> list[Span]:
    """ "Mit mobilnummer er 31... vent lige... 31 62 70 18", "otteogtyve... nej det er det
    gamle... enogfyrre tolv niogtyve femoghalvfems": a number begun, then said whole. The
    last part alone is a phone or CPR number; what came before it, too short to be one,
    is hidden with it."""
    last = parts[-1][0]
    whole = [s for s in each if s.start <= last[0].start and s.end >= last[-1].end]
    before = sum(len(digits_of(groups)) for _, _, groups in parts[:-1])
    if not whole or before >= 8 or any(s.end <= last[0].start for s in each):
        return []
    return whole + [Span(run[0].start, run[-1].end, whole[0].kind) for run, _, _ in parts[:-1]]


def _said_again(
    said: str,
    text: str,
    part: tuple[list[Token], str, list[Group]],
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
    groups = digit_groups(text, rest, language)
    return _corrections([(rest, part[1], groups)], hidden)


def _corrections(
    parts: list[tuple[list[Token], str, list[Group]]], hidden: list[Span]
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
        digits = digits_of(groups)
        if any(s.start < end and start < s.end for s in hidden) or len(digits) < 4:
            continue
        if all(re.fullmatch(r"(19|20)\d\d", g.digits) for g in groups):
            continue  # "… 23456789. 2024 var et godt år"
        spans.append(Span(start, end, kinds[-1]))
    return spans


def _chains(text: str) -> Iterator[list[tuple[list[Token], str]]]:
    """Runs of number tokens, those parted only by the end of a sentence kept together."""
    chain: list[tuple[list[Token], str]] = []
    for run, after in number_runs(text):
        if chain and not (
            _only_a_full_stop(text, chain[-1][0], run) or _a_pause(text, chain[-1][0], run)
        ):
            yield chain
            chain = []
        chain.append((run, after))
    if chain:
        yield chain


_PAUSE_WORD = re.compile(
    r"\b(?i:ø+h+m*|e+h+m*|æ+h+m*|u+h+m*|u+m+|hm+|altså|øjeblik|vent|wait|nej|no)\b"
)


def _a_pause(text: str, before: list[Token], run: list[Token]) -> bool:
    """A few words with a filler among them between two parts of a number: "42 17, øhm,
    lad mig lige finde det, 90 65"."""
    between = text[before[-1].end : run[0].start]
    return len(between.split()) <= 7 and _PAUSE_WORD.search(between) is not None


def _only_a_full_stop(text: str, before: list[Token], run: list[Token]) -> bool:
    between = text[before[-1].end : run[0].start]
    return bool(re.fullmatch(r"\s*[.!?;:\u2026]+\s*", between))  # "23 45... 67 89" too


# Windows ------------------------------------------------------------------------------------


# "busserne nummer 20, 45, 67 og 89": "nummer" alone does not make a list a phone number.
# "ring", not "Ringgaden"
_STRONG_PHONE_CUES = re.compile(
    rf"\b(?i:ring(?:e|er|ede|et)?|telefon\w*|tlf|mobil\w*|sms|call|phone|{_CALL_ABROAD})\b"
)


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence holding `position` begins (its full stop, or the text's start)."""
    return max(text.rfind(".", 0, position), 0)


def _sentence_before(text: str, start: int) -> str:
    return text[_sentence_start(text, start) : start]


# "8200, 8210 og 8220": a list of numbers ends with "og" and one more.
_LIST_ENDS = re.compile(r"\s*(?:og|and)\s+(?P<last>\S+)")


def _windows(text: str, groups: list[Group], run: list[Token], after: str) -> list[Span]:
    spans: list[Span] = []
    if not groups:
        return spans
    digits = digits_of(groups)
    postcodes = [_AARHUS_POSTCODE.fullmatch(g.digits) and g.sep in ",|" for g in groups[1:]]
    if postcodes and all(postcodes) and _AARHUS_POSTCODE.fullmatch(groups[0].digits):
        return []  # "boet i 8230, 8240 og nu 8260": postcodes of Aarhus, listed
    if _AMOUNT_AFTER.match(after):
        return []  # "12 500 kr"
    if groups[0].plus and not groups[0].prefix and len(digits) >= 10:
        return [Span(run[0].start, run[-1].end, Kind.PHONE)]  # "plus forty-four seven seven …"
    if _in_hundreds(text, groups, run):
        return [Span(run[0].start, run[-1].end, Kind.PHONE)]
    if any(MAGNITUDES.match(t.word) for t in run):
        return []  # "12 500 000", "tolv millioner": an amount
    ends = _LIST_ENDS.match(text, run[-1].end)
    last = ends.group("last").strip(".,;:!?") if ends else ""
    listed = "," in text[run[0].start : run[-1].end] and bool(last) and is_number(last.lower())
    if listed and not _STRONG_PHONE_CUES.search(_sentence_before(text, groups[0].start)):
        return []  # "8200, 8210 og 8220": a list
    day_alone = [len(g.digits) for g in groups[:3]] == [1, 2, 2] and len(digits) == 9
    if day_alone and cpr_like([Group("0" + digits, 0, 0, "")]):
        # "ni ti otteogfyrre, tolv seksogtres": the day said as one digit
        return [Span(run[0].start, run[-1].end, Kind.CPR)]
    bare = digits_of([g for g in groups if not g.prefix])
    if bare != digits and len(bare) == 16 and bare[:8] == bare[8:]:
        return [Span(run[0].start, run[-1].end, Kind.PHONE)]  # "+45 61 27 03 99 øh 61 27 03 99"
    half = len(digits) // 2
    if len(digits) in (16, 20) and digits[:half] == digits[half:]:
        # "tres, otteogtredive, et, to, nul, fire... altså 60 38 12 04": said twice
        said = [Group(digits[:half], 0, 0, "")]
        kind = Kind.CPR if half == 10 and cpr_like(said) else Kind.PHONE
        if kind is Kind.CPR or digits[0] not in "01":
            return [Span(run[0].start, run[-1].end, kind)]
    if corrected := _corrected_phone(text, groups):
        return corrected
    if re.match(r"00[1-9]", digits) and len(digits) >= 10 and not groups[0].prefix:
        return [Span(run[0].start, run[-1].end, Kind.PHONE)]  # "0 0 9 0 5 3 2 …": abroad
    i = 0
    while i < len(groups):
        found = _window_at(text, groups, i)
        if found is None:
            i += 1
            continue
        j, kind = found
        later = [k for k in range(i + 1, j + 1) if _cpr_at(text, groups, k)]
        # "53 27 18 04, nej undskyld, 53 27 81 04": two numbers that fill the run, not a CPR
        # number straddling them
        then = _window_at(text, groups, j + 1) if later else None
        if kind is Kind.PHONE and later and not (then and then[0] == len(groups) - 1):
            # "to fire... nej, 240352-2088": a false start, then the CPR number
            spans.append(Span(groups[i].start, groups[later[0] - 1].end, Kind.CPR))
            i = later[0]
            continue
        start = groups[i - 1].start if i > 0 and groups[i - 1].prefix else groups[i].start
        rest = groups[j + 1 :]
        if kind is Kind.PHONE and len(rest) >= 2 and all(len(g.digits) <= 2 for g in rest):
            j = len(groups) - 1  # "30 24 undskyld 30 42 18 18": the number said again
        elif (
            kind is Kind.PHONE
            and len(digits_of(rest)) in (1, 2, 3)
            and _phone_like(text, _last_eight(groups))
        ):
            j = len(groups) - 1  # "31... vent lige... 31 62 70 18": begun, then said whole
        before = groups[i - 1] if i > 0 else None
        if kind is Kind.CPR and before and len(before.digits) == 6 and date6(before.digits):
            start = before.start  # "280691, nej 290691, 4412": the date said wrong first
        spans.append(Span(start, groups[j].end, kind))
        i = j + 1
    if not spans and _part_of_a_phone_number(text, groups):
        spans.append(Span(run[0].start, run[-1].end, Kind.PHONE))
    if spans and spans[0].start > groups[0].start:
        # "31 4... øh undskyld 31 47 22 86": the number begun, then said whole
        begun = [g for g in groups if g.end <= spans[0].start]
        whole = digits_of([g for g in groups if spans[0].start <= g.start < spans[0].end])
        if begun and whole.startswith(digits_of(begun)):
            spans[0] = Span(begun[0].start, spans[0].end, spans[0].kind)
    return spans + _repeated_in_run(groups, spans)


def _in_hundreds(text: str, groups: list[Group], run: list[Token]) -> bool:
    """ "mit nummer er fireogtyve, seks hundrede og treogfirs, fem hundrede og ni": a phone
    number said in hundreds, each part after a comma, right after a word about phoning; it
    may be said again in digits ("…, syvoghalvfjerds, altså to et to, tre fire fire, syv syv")."""
    sizes = [len(g.digits) for g in groups]
    digits = digits_of(groups)
    return (
        len(groups) >= 3
        and (len(digits) == 8 or (len(digits) == 16 and digits[:8] == digits[8:]))
        and max(sizes) <= 3
        and groups[0].digits[0] not in "01"
        and text.count(",", run[0].start, run[-1].end) >= 2
        and all(t.word in ("hundrede", "hundred") for t in run if MAGNITUDES.match(t.word))
        and bool(_PHONE_CUES.search(text, max(0, run[0].start - 40), run[0].start))
    )


# "mit nummer er 30 30... nej vent, det er min gamle. Det nye er …": a number begun.
_NUMBER_IS = re.compile(
    r"\b(?i:(?:telefon|mobil)?nummer(?:et)?\s+(?:er|var)|number\s+is|ring\s+(?:mig\s+)?på|"
    r"starter\s+med|begynder\s+med|call\s+me\s+on|ring(?:er|e)?\s+til|skriv\s+det\s+ned|"
    r"call\s+me,\s+it's)[\s:,]+"
)
_NUMBER_TOKEN = re.compile(r"(?P<word>[\w-]+)[,.…]*(?:\s+|$)")


def _begun_before(text: str, phones: list[Span], language: str | None) -> list[Span]:
    """A phone number begun and broken off before the one given whole later in the message
    ("Nummeret er 27... det er forresten min mands telefon … 20 41 66 18", "The number is 40
    55... sorry, I have a new number, …"), or broken off with a pause or a correction and
    never finished ("hans nummer er 86 17... nej"): the digits said are someone's too."""
    found = []
    for cue in _NUMBER_IS.finditer(text):
        end, position = cue.end(), cue.end()
        while token := _NUMBER_TOKEN.match(text, position):
            word = token.group("word").lower()
            if not (is_number(word) or re.fullmatch(FILLER_WORDS, word)):
                break
            if is_number(word):
                end = token.start() + len(token.group("word"))
            position = token.end()
        said = digits_in(text[cue.end() : end], language) if end > cue.end() else ""
        later = any(0 < p.start - end <= 200 for p in phones)
        broken_off = len(said) >= 2 and _BROKEN_OFF.match(text, end) is not None
        inside = any(p.start <= cue.end() < p.end for p in phones)
        # a Danish number begins with 2-9: "Ring til 112 hvis det brænder" is no one's
        if 0 < len(said) < 8 and said[0] not in "01" and (later or broken_off) and not inside:
            found.append(Span(cue.end(), end, Kind.PHONE))
    return found


_BROKEN_OFF = re.compile(r"\s*(?:\.{2,3}|…)|,?\s+(?i:nej|vent|undskyld|sorry)\b")


def _corrected_phone(text: str, groups: list[Group]) -> list[Span]:
    """ "20 11 69 74, nej 20 11 96 74": a phone number, then the same number corrected after a
    pause (the "nej" is gone from the text read here, as a filler); not a CPR number in its
    first ten digits ("201169" reads as a date)."""
    total = 0
    for k, group in enumerate(groups[:-1]):
        total += len(group.digits)
        if total != 8:
            continue
        first, second = digits_of(groups[: k + 1]), digits_of(groups[k + 1 :])
        if (
            len(second) == 8
            and first[:4] == second[:4]
            and first[0] not in "01"
            and text[group.end : groups[k + 1].start] != " "
        ):
            return [Span(groups[0].start, groups[-1].end, Kind.PHONE)]
    return []


def _last_eight(groups: list[Group]) -> list[Group]:
    """The groups at the end of a run that hold its last eight digits (or more)."""
    total = 0
    for k in range(len(groups) - 1, -1, -1):
        total += len(groups[k].digits)
        if total >= 8:
            return groups[k:]
    return groups


def _repeated_in_run(groups: list[Group], spans: list[Span]) -> list[Span]:
    """ "1649, sorry, 250577-1649": a part of a number found in the run, said apart from it."""
    found = [(digits_of([g for g in groups if s.start <= g.start < s.end]), s) for s in spans]
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
        if total == 10 and cpr_like(window):
            return j, Kind.CPR
        if total >= 10:
            break
    return (phone, Kind.PHONE) if phone is not None else None


def _phone_like(text: str, window: list[Group], whole_run: bool = False) -> bool:
    if digits_of(window)[0] in "01":
        return False  # Danish subscriber numbers start with 2-9
    if _other_number(window):
        # "telefonnummer er 28.146.690": Whisper wrote a phone number as thousands;
        # "telefon 27.41.66.92": in pairs with dots
        pairs = [len(g.digits) for g in window] == [2, 2, 2, 2]
        # "25.43.61.90 er mit nummer": four pairs are no date, and the word may come after
        after = pairs and _PHONE_CUES.search(text[window[-1].end : window[-1].end + 30])
        # "60.17.44.29 det er mig": four pairs joined by dots alone are no date, amount or time
        dotted = pairs and text[window[0].start : window[-1].end].count(".") == 3
        dotted = dotted and " " not in text[window[0].start : window[-1].end]
        return (_thousands(window) or pairs) and (
            _about_phoning(text, window) or bool(after) or dotted
        )
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
        len(digits_of(groups)) >= 6
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
    sizes = [len(g.digits) for g in window]
    if sizes[:3] == [4, 2, 2] and all(g.sep == "-" for g in window[1:3]):
        return True  # "2024-11-03": a date
    return len(window) >= 2 and all(re.fullmatch(r"(19|20)\d\d", g.digits) for g in window)


def _about_phoning(text: str, window: list[Group]) -> bool:
    """A word about phoning earlier in the same sentence."""
    sentence_start = _sentence_start(text, window[0].start)
    if _PHONE_CUES.search(text, sentence_start, window[-1].end):
        return True
    # "øh mit telefonnummer. 40.112.233.": the cue ends the sentence just before
    return bool(_PHONE_CUES.search(text, max(0, window[0].start - 30), sentence_start + 1))
