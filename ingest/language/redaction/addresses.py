"""Street addresses: a street name and a house number ("Vestergade 12", "Grøfthøjparken
treogtyve", "Toftevej nummer 3", "Jens Baggesens Vej 14, 2. tv", "14 Harbour Street",
"22 Linde Allé"), with the floor ("3. tv.", "4. sal", "4th floor") and a postcode and town
after it ("Sønder Allé 5, 8000 Aarhus C"). A street named without a number is a place,
not an address, and stays; so does a postcode with its town alone."""

import re

from ingest.language.redaction import scan
from ingest.language.redaction.lists import lists
from ingest.language.redaction.reader import CORRECTING, STREET_ENDING
from ingest.language.redaction.spans import Kind, Span

_SUFFIX = (
    r"(?:vej|vejen|gade|gaden|allé|alle|stræde|strædet|plads|pladsen|torv|torvet|parken|"
    r"vænget|vænge|boulevard|bakken|toften|stien|engen|haven|kvarteret|løkken|kajen|vang|"
    r"vangen|lunden|hegnet|skrænten|højen|kæret|dalen|agrene|marken|gården|bjerget|have|"
    r"hegn|ager|kær|høj|bjerg|lund|park|sti|ringen|bakke|dal|holm|kilde|brink|krog|toft|"
    r"tofte|eng|brygge|kaj|passage|svinget|løkke|krogen|tangen|gyde|gyden|passagen|kilden|"
    r"bugten|stranden|mosen|alléen|holmen|skoven|banke|promenaden|bryggen|sletten|agre|enge|"
    r"stykket|lyngen|toppen|lien|boulevarden|gård|gaard|gaarden|skov|mark|strand|næs|sø|byen|"
    r"draget|holt|holtet|mose|kløften|volden|skrænt|tværvej|ryg|ryggen|høje|løkkerne|leddet|slet|faldet|reden)"
)
_STREET_TYPE = (
    r"(?:[VvGg](?:ej|ade)|[Aa]ll[ée]|[Ss]træde|[Pp]lads|[Tt]orv|[Bb]oulevard|Vænge|Park|Have|"
    r"Kvarter|Avenue|Bakke|Bakken|Vang|Vangen|Høj|Lund|Toft|Ager|Mark|Eng|Sti|Kvarteret)"
)
_NUMBER_WORD = (
    # Hundreds first: "fire hundrede og tolv" is one number, not "fire".
    r"(?:(?:(?:et|to|tre|fire|fem|seks|syv|otte|ni)\s*)?hundrede(?:\s+og\s+\w+)?|"
    # "fyrre to": the tens, then the unit, as a newcomer may say it
    r"(?:tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems)\s+(?:en|et|to|tre|fire|fem|"
    r"seks|syv|otte|ni)\b|"
    # "otte og halvtreds": a number Whisper split
    r"(?:en|et|to|tre|fire|fem|seks|syv|otte|ni)\s+og\s+(?:tyve|tredive|fyrre|halvtreds|tres|"
    r"halvfjerds|firs|halvfems)\b|"
    r"en|et|to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tretten|fjorten|femten|seksten|"
    r"sytten|atten|nitten|tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems|"
    r"\w+og(?:tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems))"
)
# A house letter: "4B", "41 B", "7 b"; not "3 i Brabrand" or "3 a day".
_LETTER = r"(?:[a-zA-Z]\b|\s(?![iIaA]\b)[a-zA-Z]\b|\s[AI](?=[,.])|\sA(?=\s+(?:og|and)\b))"
# A caller who looks for the number: "Ingerslevs Boulevard, øh, 3".
_PAUSE = (
    r"(?:,?\s*(?:(?i:øh+m*|æh+m*|eh+m*|uh+m*|um+|hm+|altså|vent|hvad\s+hedder\s+det|"
    r"hvad\s+er\s+det(?:\s+nu)?)[,.]?|…|\.{3})(?=\s))*\s*"
)
_ENGLISH_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_ENGLISH_NUMBER = (
    rf"(?i:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]{_ENGLISH_UNITS})?|"
    rf"{_ENGLISH_UNITS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    rf"eighteen|nineteen)"
)
_HOUSE = (
    rf"{_PAUSE}(?:,?\s*(?:i\s+)?(?i:nummer|nr\.?|number|no\.?)(?:[,.]|\.{{3}}|…)?\s+{_PAUSE}|,\s*)?"
    rf"(?:\d(?:\s\d){{1,3}}\b(?!\s\d)|"  # "Lindevangsvej 2 0 4": read digit by digit
    # "Risskov 80.000 kroner" is an amount
    rf"(?!(?:19|20)\d\d\b)\d{{1,4}}(?!\d|[.,]\d{{3}})(?:-\d{{1,4}}\b)?{_LETTER}?|"
    # "Skanderborgvej to Eskelunden", "langs Kystvejen en sommermorgen"
    rf"(?!to\s+(?:[A-ZÆØÅ]|the\b)|(?:en|et)\s+(?!hundrede|tusind|og\s+(?:tyve|tredive|fyrre|"
    rf"halvtreds|tres|halvfjerds|firs|halvfems))[a-zæøå]){_NUMBER_WORD}\b{_LETTER}?|"
    # "my address is Tranekær Ringvej fifteen"
    rf"{_ENGLISH_NUMBER}\b(?!\s+(?i:of|more|times?|days?|ways?|things?|minutes?|years?)\b))"
)
_SIDE = (  # "4. th"; "4th floor" is no side
    r"(?:til\s+(?:højre|venstre)|højre|venstre|midt\s+for|midt\b|th\b\.?(?!\s*floor)|tv\b\.?|mf\b\.?|"
    r"left|right)"
)
_LEVEL = (
    r"(?:\d{1,2}\.?|første|anden|tredje|fjerde|femte|sjette|st\.?|stuen|kælder|en|et|to|tre|"
    r"fire|fem|seks)"
)
_FLOOR = (
    rf"(?:{_PAUSE}(?:,?\s*(?:på\s+|i\s+)?{_LEVEL}\s*(?:sal\b\.?(?:,?\s*{_SIDE})?|{_SIDE})"
    rf"|,\s*(?:første|anden|andet|tredje|fjerde|femte|sjette|stuen),\s*"
    rf"(?:(?:til\s+)?(?:højre|venstre)|tv|th|mf)\b\.?)"
    rf"|,?\s*(?:i\s+)?(?:stuen\b|st\.|st\b|kælderen\b|kl\.(?!\s*\d)|kld\b\.?)(?:,?\s*{_SIDE})?"
    rf"|,?\s*(?:(?i:øh+m*|æh+m*),?\s+)?{_SIDE}"
    # "edwin rahrs vej 40 fjerde og …": the floor said bare after the number
    rf"|,?\s+(?:(?i:øh+m*|æh+m*),?\s+)?(?:første|anden|tredje|fjerde|femte|sjette)"
    rf"(?=\s*(?:[,.!?]|og\b|$))"
    # "Dagmar Petersens Gade 85, 6.3": floor and door; "…, kælderlejligheden"
    rf"|,\s*\d{{1,2}}\.\d{{1,2}}\b(?![.,]\d)"
    rf"|,?\s*(?i:kælderlejligheden|stuelejligheden|loftslejligheden|kælderen|baghuset|forhuset|"
    rf"sidehuset|bagbygningen|baghus|gårdhuset)\b(?:,?\s*{_LEVEL}\s*sal\b\.?(?:,?\s*{_SIDE})?)?"
    # "Gudrunsvej 37, 2. Stock", "Nørregade 38, zweiter Stock": German
    rf"|,?\s*(?:\d{{1,2}}\.|erster|zweiter|dritter|vierter|fünfter)\s+(?:Stock|Etage|OG)\b"
    rf"(?:,?\s*(?:links|rechts)\b)?"
    # "Nørre Allé 5, 1.", "Kaløgade 5, 1. og …": not the end of a sentence
    rf"|,\s*\d{{1,2}}\.(?:\s\d{{1,4}}(?=[,.;]|\s|$))?(?=\s|$|[,;.])"  # "18, 5. 2": the door
    rf"|,\s*\d(?=\s*(?:,|\.{{3}}|…))"  # "Elmegade 5, 1, mail …": the floor said bare
    rf"|,\s*\d{{1,2}}(?:st|nd|rd|th)\b(?!\s+floor)"  # "Guldsmedgade 30, 3rd"
    rf"|,?\s*(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?|first|second|third|fourth|fifth|ground|top)"
    rf"\s+floor\b(?:,?\s*(?:(?:on\s+the\s+)?(?:left|right)(?:\s+side)?)\b)?)?"
)
_DOOR = (
    r"(?:(?:,|\s*(?:\.{3}|…))?\s*(?i:lejlighed|lejl\.|dør|door|opgang|indgang|flat|apartment|apt\.?|"
    r"room|værelse|staircase|entrance|block|"
    r"vær\.|mieszkanie|квартира|кв\.|nummer|nr\.)\s+(?:(?i:nummer|nr\.?|number)\s+)?"
    r"(?:\d{1,4}(?:\.\d{1,3})?[a-zA-Z]?|[A-Z]|(?i:en|et|to|tre|fire|fem|seks|syv|otte|ni|ti|one|two|"
    r"three|four|five|six|seven|eight|nine|ten))\b){0,2}"
)
_DIGIT_WORD = r"(?:nul|en|et|to|tre|fire|fem|seks|syv|otte|ni)"
# "treogfirs ti", "toogfirs halvtreds": a postcode said in pairs
_PAIR_WORD = (
    r"(?:(?:en|to|tre|fire|fem|seks|syv|otte|ni)og)?(?:tyve|tredive|fyrre|halvtreds|tres|"
    r"halvfjerds|firs|halvfems)|ti|elleve|tolv|tretten|fjorten|femten|seksten|sytten|atten|nitten"
)
_POSTCODE = (
    r"(?:,?\s*(?:(?i:øh+m*),?\s*)?(?:i\s+|postnummer\s+)?(?:\d{4}|"
    rf"(?i:(?:{_PAIR_WORD})\s+(?:{_PAIR_WORD}|nul\s+{_DIGIT_WORD})|"
    rf"{_DIGIT_WORD}(?:[\s,]+{_DIGIT_WORD}){{3}}|(?:otte|ni|syv|seks|fem|fire|tre|to)\s*tusind"
    rf"(?:\s+(?:og\s+)?(?:{_DIGIT_WORD}\s*)?hundrede)?(?:\s+og\s+\w+)?))"
    r"\s+[A-ZÆØÅ](?:[\wæøå]+(?:\s+[A-ZÆØÅ]\b)?|\b(?!['-]))"  # "8000 Aarhus C", "8000 C"
    r"|,?\s*postnummer\s+\d{4}\b|,\s*\d{4}\b"
    rf"|,\s*(?i:{_DIGIT_WORD}(?:\s+{_DIGIT_WORD}){{3}})\b"  # ", otte to nul nul"
    r"|(?:,|\s+i)\s+[A-ZÆØÅ][\wæøå]+(?:\s+[A-ZÆØÅ]\b)?)?"  # the town: "…, Aarhus N", "… i Hasle"
)
_NOT_AFTER = (
    r"(?!\s*(?:km|meter|m\b|minutter|min\b|procent|%|kr|kroner|gange|år|timer|km/t|boliger|"
    r"lejligheder|børn|elever|mennesker|personer|beboere|familier|biler|busser|huse|træer|"
    r"bænke|pladser|stk|dage|uger|måneder|people|cars|homes|years|minutes))"
)
_CAPITALISED = r"[A-ZÆØÅ][\wæøå.'-]+"  # "Christian X's Vej"
# Words that are no part of a street's name: "Vi kørte ad vej 13" is no address.
_NOT_A_STREET = (
    r"(?i:vi|jeg|du|de|han|hun|den|det|man|min|mit|vores|der|her|ad|af|på|i|til|fra|med|om|og|"
    r"en|et|kørte|kører|gik|går|cyklede|cykler|ned|op|ud|hen|over|langs|forbi)"
)
_WORDS_LIKE_STREETS = r"(?i:tager|klager|sager|plager|drager|behager|seng|streng|danmark)"
_DANISH_STREET = (
    rf"(?:\b(?:{_CAPITALISED}\s+(?:(?:la|le|de|du|van|von|der|den)\s+)?){{1,3}}{_STREET_TYPE}"
    # "Ny munke gade", "Janus la course gade", "Hasle ring vej": a name Whisper split
    rf"|\b(?!{_NOT_A_STREET}\b){_CAPITALISED}\s+(?:(?!{_NOT_A_STREET}\b)[a-zæøå]+\s+){{1,2}}"
    rf"(?:vej|gade|allé|alle|stræde|plads|torv)(?=\s+\d)"
    rf"|\b(?:[A-ZÆØÅa-zæøå][a-zæøå]+\s+){{0,2}}(?:[a-zæøå]+s|nørre|søndre|vestre|østre|nordre|gammel|ny|store|"
    rf"lille)\s+(?:vej|gade|allé|alle|stræde|plads|torv|boulevard)"
    # "Jeg tager 2A": a verb that ends like a street is none
    rf"|\b(?:(?!{_NOT_A_STREET}\b){_CAPITALISED}\s+){{0,2}}(?!{_WORDS_LIKE_STREETS}\b)[\wæøåÆØÅ-]+{_SUFFIX}"
    rf"|\b(?:Ved|Under|Over|Bag|Mellem)\s+(?:{_CAPITALISED}\s+){{0,2}}{_CAPITALISED})"
)
_FLAT = r"(?:(?i:flat|apartment|apt\.?|lejlighed)\s+\d{1,3}[a-zA-Z]?,?\s+)?"
# "Hasselager Allé 23, 25 og 27": neighbours' numbers listed after the first.
_MORE_HOUSES = r"(?:(?:,\s*\d{1,4}[a-zA-Z]?\b(?!\.))*\s+(?:og|and)\s+\d{1,4}[a-zA-Z]?\b(?!\.\d))?"
_DANISH = re.compile(
    rf"{_FLAT}{_DANISH_STREET}(?:\s+|(?=,|…|\.{{3}})|(?<=vej)(?=\d)|(?<=gade)(?=\d)|(?<=allé)(?=\d)){_HOUSE}{_MORE_HOUSES}{_NOT_AFTER}{_DOOR}{_FLOOR}{_DOOR}"
    rf"{_POSTCODE}"
    rf"|\b(?i:husnummer|nummer|nr\.?|number)\s+{_HOUSE}{_NOT_AFTER}{_FLOOR},?\s+(?:(?i:på|i|on|in)\s+)?"
    rf"{_DANISH_STREET}\b{_FLOOR}"
    rf"|\b(?i:blok|block|opgang|bygning|building)\s+(?:\d{{1,3}}[a-zA-Z]?|[A-ZÆØÅ])\b,?\s+(?i:nummer|nr\.?|number|"
    rf"lejlighed|flat|apartment)\s+\d{{1,4}}[a-zA-Z]?\b",
    re.UNICODE,
)
_ENGLISH_ROAD = (
    r"(?:Street|St\b\.?|Road|Rd\b\.?|Avenue|Ave\b\.?|Lane|Way|Drive|Close|Place|Square|Terrace)"
)
_ENGLISH_FLOOR = (
    r"(?:(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|ground|top)\s+floor,?\s+)?"
)
_ENGLISH = re.compile(
    rf"{_FLAT}{_ENGLISH_FLOOR}(?:(?i:no\.?|number|nr\.?)\s+)?"
    rf"\b(?:\d{{1,3}}[a-zA-Z]?|(?<=at |is |on ){_ENGLISH_NUMBER})\s+"
    rf"(?:(?:[A-Z][a-z]+\s+){{1,3}}{_ENGLISH_ROAD}"
    rf"|(?:{_CAPITALISED}\s+){{0,2}}(?:(?=[A-ZÆØÅ]){_STREET_TYPE}\b|[A-ZÆØÅ][\wæøå-]{{2,}}{_SUFFIX}\b))"
    rf"{_FLOOR}{_DOOR}{_POSTCODE}"
    rf"|\b(?:[A-Z][a-z]+\s+){{1,3}}{_ENGLISH_ROAD}\s+\d{{1,4}}\b{_NOT_AFTER}"
)


# Whisper writes "I live at 14 harbour street" too: in lower case, only after such words.
_ENGLISH_LOWER = re.compile(
    rf"\b(?i:live\s+at|live\s+on|address\s+is|address:)\s+(?P<address>\d{{1,4}}[a-z]?\s+"
    rf"(?:[a-z]+\s+){{1,2}}(?i:{_ENGLISH_ROAD}))"
)
# Words that may stand before a one-word street name in lower case ("hasle ringvej 12").
_BEFORE_STREET = re.compile(
    r"(?i:gammel|gl\.|ny|nye|nørre|søndre|vestre|østre|nordre|store|lille|sankt|skt\.)$"
)


# After an address: "Frederiks Allé 90, nej 80" (a correction of the house number).
_CORRECTED = re.compile(
    rf"(?:,?\s+(?i:(?:eller\s+|øh+m*,?\s+)?nej(?:,?\s+undskyld)?|undskyld|sorry|I\s+mean|jeg\s+mener|altså|"
    rf"øh+m*|æh+m*)"
    rf"(?:,?\s+(?i:det\s+er|it's|it\s+is))?|\.{{2,3}}|…),?\s*(?:(?i:nummer|nr\.?)\s+)?"
    rf"(?:(?:\d{{1,4}}[a-zA-Z]?\b|{_NUMBER_WORD}\b){_NOT_AFTER}(?:\s+(?i:mener\s+jeg|I\s+mean))?"
    rf"{_FLOOR}{_DOOR}|(?=,?\s*(?:{_LEVEL}\s*sal|stuen|dør|door))(?:{_FLOOR}{_DOOR}))"
)
# "Ryesgade nummer otte, helt øverst oppe, femte sal": the floor after a remark.
_FLOOR_LATER = re.compile(
    rf",\s+[^\d.!?,]{{1,30}},\s*(?:{_LEVEL}\s*sal\b\.?(?:,?\s*{_SIDE})?|stuen\b(?:,?\s*{_SIDE})?)"
)
# "Adressen er Vestergade 33... femte sal... til højre", "det er 140, 1. sal": the floor,
# the side and the door said after the address, one by one.
_PIECE_AFTER = re.compile(
    rf"(?:,|\s*(?:\.{{3}}|…))?\s*(?:(?i:og\s+så|øh+m*|nej|ja|no|altså|mor|undskyld),?\s+){{0,2}}"
    # "[Elmegade], nitten, men …", "[…], halvtreds B, i Lystrup", "… no, twenty-six, that's":
    # the number said again or put right, standing alone
    rf"(?:(?:\d{{1,3}}|{_NUMBER_WORD}|{_ENGLISH_NUMBER})(?:[\s-]?[A-H])?"
    rf"(?=\s*(?:[,…!?]|\.(?!\s*(?i:sal|th|tv|mf|stock|etage)\b)|$)|\s+(?i:ja|undskyld|sorry|mor)\b)|"
    # "…, sjette etage", "… på femte og", "… fjerde til højre"
    rf"(?:{_LEVEL})\s*(?:sal|etage)\b\.?|(?:på\s+)?(?i:første|anden|tredje|fjerde|femte|sjette)"
    rf"(?:\s+(?:til\s+)?(?:højre|venstre))?(?=\s*[,.…]|\s+(?:og|altså)\b)|"
    rf"(?i:sidste|første|midterste|mellemste|øverste|nederste)\s+(?i:opgang|dør|indgang)\b|"
    # "… øh baghuset, 2. sal", "… øh A, stuen", "…, sal 3, nej 3. sal"
    rf"(?i:bagbygningen|baghuset|forhuset|sidehuset|gårdhuset)\b|(?<=øh\s)[A-H](?=,)|"
    rf"(?i:sal)\s+\d{{1,2}}\b|(?i:øverste|nederste)\s+(?i:etage|sal)\b|(?i:i\s+8\d{{3}})\b|"
    rf"(?i:(?:the\s+)?door\s+on\s+the\s+(?:left|right))\b|"
    rf"(?i:stuen|kælderen|i\s+kælderen)\b|\d{{1,2}}\.\s*(?:th|tv|mf)\b\.?|(?:til\s+)?(?:højre|venstre)\b|"
    rf"(?:th|tv|mf)\b\.?|(?i:dør|lejlighed|apartment|door)\s+(?:(?i:nummer|nr\.?)\s+)?\w+|"
    rf"(?i:bogstav)\s+[A-H]\b|"  # "… og så bogstav E"
    rf"(?<=højre|nstre)\s+side\b)"  # "… højre side"
)


def _with_pieces_after(text: str, span: Span) -> Span:
    end = span.end
    for _ in range(3):
        piece = _PIECE_AFTER.match(text, end)
        if piece is None:
            break
        end = piece.end()
    return Span(span.start, end, span.kind) if end > span.end else span


_FLAT_BEFORE = re.compile(
    r"(?P<flat>\b(?i:lejlighed|lejl\.|flat|apartment|apt\.?|værelse|room)\s+\w{1,4})\s+"
    r"(?i:på|at|in|i|on)\s+$"
)
# "Mejlgade 27, 1. th., bagbygningen": which house on the plot, after the floor.
_BUILDING = re.compile(
    r"[,.]?,?\s*(?i:bagbygningen|baghuset|forhuset|sidehuset|gårdhuset|kælderen)\b"
)
# "Viborgvej fireogtres B... ja B. Otte to et nul Aarhus V", "Fenrisvej 40, lige over for
# Skovbakkeskolen, 8210 Aarhus V": the postcode said next.
_POSTCODE_NEXT = re.compile(
    rf"[^\d]{{0,60}}?\s+(?P<code>(?:\d{{4}}|(?i:{_DIGIT_WORD}(?:[\s,]+{_DIGIT_WORD}){{3}}))"
    r"\s+[A-ZÆØÅ][\wæøå]+(?:\s+[A-ZÆØÅ]\b)?)"
)
_STREET_IN = re.compile(rf"(?<![\w-])[A-ZÆØÅ][\wæøå]*{STREET_ENDING}(?![\w-])")


def _street_again(text: str, spans: list[Span]) -> list[Span]:
    """ "Øh, det er Skovvangsvej... Skovvangsvej, ja, nummer 9": the street of an address
    found, said again elsewhere in the message, leads to the same home."""
    streets = {
        m.group().lower()
        for span in spans
        for m in [_STREET_IN.match(text, span.start)]
        if m is not None and m.end() <= span.end
    }
    return [
        Span(m.start(), m.end(), Kind.ADDRESS)
        for m in _STREET_IN.finditer(text)
        if streets
        if m.group().lower() in streets and not any(s.start <= m.start() < s.end for s in spans)
    ]


# "Mindet 4, 3. tv.": a house number with a floor and a side is a home, whatever its street
# is called.
_WITH_A_FLOOR = re.compile(
    r"(?<![\w-])[A-ZÆØÅ][a-zæøå]{3,}\s+\d{1,3}[A-Za-z]?,?\s+"
    r"(?:\d{1,2}\.?\s*(?:th|tv|mf)\b\.?|st\.?\s*(?:th|tv|mf)\b\.?|stuen\b)"
)
# "Hjemme er 8000 Aarhus C, Frederiksgade 60, 5.": the postcode and town said first.
_POSTCODE_BEFORE = re.compile(r"\b8\d{3}\s+[A-ZÆØÅ][\wæøå]+(?:\s+[A-ZÆØÅ]\b)?,\s+$")
_LIVES_ON_A_STREET = re.compile(
    rf"\b(?i:bor|boede|lives?|lived|adressen\s+er|address\s+is)\s+(?i:på|i|on|at|in)\s+"
    rf"(?P<street>{_STREET_IN.pattern})"
)


def _street_of_a_number(text: str, spans: list[Span]) -> list[Span]:
    """ "Jeg bor på Tordenskjoldsgade og …, og jeg bor i nummer 14": with a house number found
    without its street, the street someone is said to live on is that home's."""
    if all(_STREET_IN.search(text, s.start, s.end) for s in spans):
        return []
    return [
        Span(m.start("street"), m.end("street"), Kind.ADDRESS)
        for m in _LIVES_ON_A_STREET.finditer(text)
    ]


_WRONG_STREET = re.compile(
    rf"(?<![\w-])(?P<street>[A-ZÆØÅ][\wæøå]*{_SUFFIX})(?:[,.]*\s+|\.{{2,3}}\s*|…\s*)"
    r"(?:(?i:øh+m*|nej|undskyld|altså|vent)[,.]*\s+){1,3}"
    r"(?:(?i:det\s+er\s+|hjemme\s+er\s+det\s+))?$"
)
_TOWN = re.compile(
    r",?\s+(?:(?i:ja|altså|øh+m*)[,.]?\s+)?"  # "8000, ja, Aarhus C"
    r"(?P<town>[A-ZÆØÅ][\wæøå]+)(?:\s+[A-ZÆØÅ]\b)?"
)
# With an address in the message, a neighbour's or the caller's own house named by number:
# "min nabo på nummer 11", "jeg er Marianne i nummer otte".
_BY_NUMBER = re.compile(
    rf"\b(?i:på|i|fra|ved|in|at|from)\s+(?P<number>(?i:nummer|nr\.?|number|no\.)\s+"
    rf"(?:\d{{1,4}}[a-zA-Z]?\b|{_NUMBER_WORD}\b))"
)


# Where someone lives, said in the message: a street and a bare number after a comma
# ("Sønder Allé, 17") is an address only then ("… til Sønder Allé, 17, jeg har talt dem").
_LIVING = re.compile(
    r"\b(?i:bor|boede|bo|lives?|lived|living|adressen?|address|hjemme|home|flyttet|moved|"
    r"hos\s+mig|ved\s+mig|"
    r"opgang(?:en)?|lejlighed(?:en)?|apartment|flat)\b"
)
# "Vi bor på Rymarksvej, altså nede ved stadion, nummer 36", "Marselis Boulevard. Nummer?
# Hundrede og syvogtyve": the number said after a remark or a question.
_NUMBER_LATER = re.compile(
    rf"(?P<street>{_DANISH_STREET})(?:(?:[,\s]|\.{{3}}|…)+(?:[^\d.!?]|\.{{3}}|…){{1,60}}?)?"
    rf"(?:[,.?]|\s*(?:\.{{3}}|…))?\s+(?P<house>(?:(?i:nummer|nr\.?|number|husnummer(?:et)?|"
    rf"house\s+number)\??|(?i:det\s+er|nummeret\s+er|it's))\s+(?:\d{{1,4}}[a-zA-Z]?|(?i:{_NUMBER_WORD}))\b)"
    rf"{_NOT_AFTER}(?!\s+(?i:siden|ago|til|minutter|sekunder))"  # not "det er 12 år siden"
)
# "Lampe nummer 1147 på Viborgvej": the number of a thing in the street, not a house.
_THINGS_NUMBER = re.compile(
    r"\b(?i:lampe|lygtepæl|lygtepælen|mast|stolpe|skab|container|bænk|skilt|plads|stand|boks|"
    r"port|spor|perron|bus|linje|rute|sag|sagen|lamp|post|pole)\s+$"
)
_A_CORRECTION = re.compile(rf"\b(?i:{CORRECTING})\b")
_NUMBER_CUE = re.compile(r"\b(?i:nummer|nr|number)\b")
# Where _NUMBER_LATER's house number can begin.
_HOUSE_SAID = re.compile(
    r"\b(?i:nummer|nr|number|husnummer|house\s+number|det\s+er|nummeret\s+er|it's)\b"
)
_VEHICLE = re.compile(
    r"\b(?i:bus|busser|bussen|linje|linjen|rute|tog|toget|letbane\w*|sporvogn\w*)\b"
)
# "jeg bor i 43, tredje sal", "Nummer 210, første sal": a number and a floor is a home.
_NUMBER_AND_FLOOR = re.compile(
    rf"\b(?:(?i:nummer|nr\.?)|(?i:bor|boede|live[sd]?)\s+(?i:i|på|in|at))\s+"
    rf"(?P<house>\d{{1,4}}[a-zA-Z]?,?\s+(?:{_LEVEL}\s*sal\b\.?(?:,?\s*{_SIDE})?|"
    rf"{_LEVEL}\s*{_SIDE}|stuen\b))"
)
_LIVES_AT_NUMBER = re.compile(
    rf"\b(?i:bor|boede|live[sd]?)\s+(?:(?i:selv|også|nu|still|now)\s+)?(?:(?i:i|på|in|at)\s+)?"
    rf"(?P<house>(?i:nummer|nr\.?|number)\s+(?:\d{{1,4}}[a-zA-Z]?|{_NUMBER_WORD})\b)"
)
# A public building's address is no one's home: "Borgerservice på Hack Kampmanns Plads 2".
_PUBLIC_BEFORE = re.compile(
    r"\b(?i:dokk1|\w*hospital\w*|\w*universitet\w*|\w*gymnasium|\w*skolen|\w*biblioteket|"
    r"borgerservice|rådhuset|hovedbiblioteket|biblioteket|jobcent(?:ret|er)|"
    r"politistationen|lægehuset|sundhedshuset|apoteket|posthuset|butikken|forretningen|"
    r"cafeen|caféen|restauranten|boghandlen|boghandelen|bageren|kiosken|frisøren|biografen|"
    r"bageri(?:et)?|børnehaven|vuggestuen|plejehjemmet|institutionen|klubhuset|"
    r"kontoret|firmaet|virksomheden|svømmehallen|hallen|skolen|"
    r"kirken|museet|hotellet|teatret|kommunen|the\s+library|the\s+town\s+hall|"
    r"den\s+gamle\s+by|aros|moesgaard(?:\s+museum)?|musikhuset|godsbanen|ceres\s+park|"
    r"tivoli\s+friheden|naturhistorisk\s+museum|kvindemuseet|besøgscentret)"
    r"\s+(?i:på|i|ligger\s+på|ligger\s+i|holder\s+til\s+på|at|on)\s+$"
    # "Aarhus Universitetshospital, Palle Juul-Jensens Boulevard 99"
    r"|\b(?i:\w*hospital\w*|\w*universitet\w*|dokk1|rådhuset|borgerservice),\s+$"
)


# The city's own buildings, printed on every letter: City Hall, Dokk1, the university
# hospital, the university.
_PUBLIC_ADDRESS = re.compile(
    r"(?i:rådhuspladsen\s+2|hack\s+kampmanns\s+plads\s+[12]|"
    r"palle\s+juul-jensens\s+boulevard\s+99|nordre\s+ringgade\s+1)\b"
    r"(?!,?\s*\d{1,2}\.)"  # "Rådhuspladsen 2, 8000 Aarhus C", not "…, 3. th."
)
# "bor lige bag Rådhuset på Sønder Allé 9": a home placed by a public building.
_BESIDE = re.compile(
    r"\b(?i:bag|ved\s+siden\s+af|overfor|over\s+for|tæt\s+på|lige\s+ved|nær|ovenpå|oven\s+på|"
    r"over|above|next\s+to|behind)\s+$"
)


def _public_building(text: str, start: int) -> bool:
    public = _PUBLIC_BEFORE.search(text, max(0, start - 80), start)
    return public is not None and not _BESIDE.search(
        text, max(0, public.start() - 25), public.start()
    )


# Streets abroad that callers name: "Eppendorfer Weg 127", "ulica Długa 17", "Dalavegur 23",
# "Via Roma 14, 20121 Milano", "Calle de Alcalá 42".
# "Skjoldhøjkollegiet, værelse 612": a room in a hall of residence is a home.
_DORM_ROOM = re.compile(
    r"\b[A-ZÆØÅ][\wæøå-]*(?:kollegiet|kollegium|Kollegiet|Kollegium)(?:\s+[A-ZÆØÅ]\b)?,?\s+"
    r"(?i:værelse|vær\.|room|lejlighed|nr\.?|nummer)\s+\d{1,4}[a-zA-Z]?\b"
)
_FOREIGN_STREET = re.compile(
    r"\b(?:(?:ulica|ul\.)\s+[A-ZÆØÅŁŚŻŹĆŃÓ][\w'-]+(?:\s+[A-ZÆØÅŁŚŻŹĆŃÓ][\w'-]+)?"
    r"|(?:Via|Viale|Piazza|Calle|Carrer|Avenida|Rua|Plaza|Paseo)\s+"
    r"(?:(?:de|del|della|da|do|dos|la)\s+)*[A-ZÀ-Ý][\w'-]+"
    r"|(?:[A-ZÄÖÜ][\w'-]+\s+)?[A-ZÄÖÜ][\w'-]*(?:\s+(?:Weg|Straße|Strasse|Str\.|Allee|Platz|Gasse|Damm|"
    r"Ufer|Road|Street|Avenue)|(?:straße|strasse|weg|vegur|gøta|gata|gatan|vägen|veien|gate|gasse)))"
    r"\s+\d{1,4}[a-zA-Z]?\b(?:,\s+(?:\d{4,5}\s+)?[A-ZÆØÅŁŚŻŹĆŃÓÞ][\w'-]+)?"
)
# "Min mor bor i Nuuk på Aqqusinersuaq 14", "min adresse er Toften 4": a street on no list,
# where someone lives or after a word for one's address.
_LIVES_ON = re.compile(
    r"\b(?:(?i:bor|boede|lives?|lived)(?:\s+(?i:i|in)\s+[A-ZÆØÅ][\wæøå'-]+)?\s+(?i:på|on|at)|"
    r"(?i:adressen?|address)(?:\s+(?i:er|is|det\s+er))?[:,]?)\s+"
    r"(?P<street>[A-ZÆØÅ][\wæøå'-]+(?:\s+[A-ZÆØÅ][\wæøå'-]+)?\s+\d{1,4}[a-zA-Z]?|"
    # "vi bor på lyseng allé 3": Whisper wrote the street in lower case
    r"(?:[a-zæøå]+\s+)?[a-zæøå]+(?:vej|gade|allé|alle|stræde|vænget|parken|toften|\s+(?:allé|alle|"
    r"vej|gade|plads|boulevard|torv))\s+\d{1,4}[a-zA-Z]?)\b"
)


def find(text: str, language: str | None = None) -> list[Span]:
    starts = _starts(text)  # the long patterns are tried there only
    spans = [
        s
        for s in _streets(text, starts)
        # what stands before an address ends where it begins: "Borgerservice på …"
        if not _public_building(text, s.start)
        and not _THINGS_NUMBER.search(text, max(0, s.start - 40), s.start)
        and not _PUBLIC_ADDRESS.match(text, s.start)
    ]
    living = _LIVING.search(text) is not None
    if not living:
        spans = [
            s
            for s in spans
            if not _BARE_NUMBER.search(text, s.start, s.end)
            or _A_FLOOR.search(text, s.start, s.end)  # "Vestergade 60, 2. tv., 8000"
        ]
    later = []
    if living or _NUMBER_CUE.search(text):
        # tried only a few words before a house number's cue: the pattern is long
        houses = [m.start() for m in _HOUSE_SAID.finditer(text)]
        near = set(scan.starts_near(scan.word_starts(text), houses, words_before=16))
        later = scan.matches_at(_NUMBER_LATER, text, [s for s in starts if s in near])
    for m in later:
        vehicle = _VEHICLE.search(text, m.end("street"), m.start("house"))  # "én bus, nummer 13"
        if _LIVING.search(text, max(0, m.start() - 60), m.start()) and not vehicle:
            spans.append(Span(m.start("street"), m.end("street"), Kind.ADDRESS))
            spans.append(Span(m.start("house"), m.end("house"), Kind.ADDRESS))
            if _A_CORRECTION.search(text, m.end("street"), m.start("house")):
                spans += [  # "Lollandsgade, nej undskyld, Langelandsgade, nej, …, nr. 31"
                    Span(other.start(), other.end(), Kind.ADDRESS)
                    for other in _STREET_IN.finditer(text, m.end("street"), m.start("house"))
                ]
    spans += [
        Span(m.start("house"), m.end("house"), Kind.ADDRESS)
        for m in _LIVES_AT_NUMBER.finditer(text)
    ]
    spans += [
        Span(m.start("house"), m.end("house"), Kind.ADDRESS)
        for m in _NUMBER_AND_FLOOR.finditer(text)
    ]
    spans += [Span(m.start(), m.end(), Kind.ADDRESS) for m in _FOREIGN_STREET.finditer(text)]
    spans += [Span(m.start(), m.end(), Kind.ADDRESS) for m in _DORM_ROOM.finditer(text)]
    spans += [
        Span(m.start("street"), m.end("street"), Kind.ADDRESS)
        for m in _LIVES_ON.finditer(text)
        if not _PUBLIC_ADDRESS.match(text, m.start("street"))
    ]
    spans = [
        Span(span.start, m.end(), Kind.ADDRESS) if m is not None else span
        for span in spans
        for m in [
            _CORRECTED.match(text, span.end)
            or _FLOOR_LATER.match(text, span.end)
            or _BUILDING.match(text, span.end)
        ]
    ]
    spans = [_with_pieces_after(text, span) for span in spans]
    spans = [  # "Jeg bor i lejlighed 44 på Vestergade 12", "in flat 3B at …"
        Span(m.start("flat"), span.end, span.kind) if m is not None else span
        for span in spans
        for m in [_FLAT_BEFORE.search(text, max(0, span.start - 30), span.start)]
    ]
    spans += [
        Span(m.start("code"), m.end("code"), Kind.ADDRESS)
        for span in spans
        for m in [_POSTCODE_NEXT.match(text, span.end)]
        if m is not None
    ]
    spans += [  # "Vi bor på Skovvangsvej, nej Skovagervej 14": the street said wrong first
        Span(m.start("street"), m.end("street"), Kind.ADDRESS)
        for span in spans
        for m in [_WRONG_STREET.search(text, max(0, span.start - 60), span.start)]
        if m is not None
    ]
    spans += [Span(m.start(), m.end(), Kind.ADDRESS) for m in _WITH_A_FLOOR.finditer(text)]
    spans += [
        Span(m.start(), span.end, Kind.ADDRESS)
        for span in spans
        for m in [_POSTCODE_BEFORE.search(text, max(0, span.start - 30), span.start)]
        if m is not None
    ]
    spans += _street_again(text, spans) + _street_of_a_number(text, spans)
    spans += [  # "… 1. sal altså 8220 Brabrand": the town after a postcode the span ends with
        Span(span.start, m.end(), Kind.ADDRESS)
        for span in spans
        if re.search(r"\b\d{4}$", text[span.start : span.end])
        for m in [_TOWN.match(text, span.end)]
        if m is not None and m.group("town").lower() not in lists().stop_words
    ]
    if spans:
        spans += [
            Span(m.start("number"), m.end("number"), Kind.ADDRESS)
            for m in _BY_NUMBER.finditer(text)
            if _NOT_AFTER_RE.match(text, m.end())
        ]
        spans += [Span(m.start("floor"), m.end(), Kind.ADDRESS) for m in _ON_FLOOR.finditer(text)]
        spans += [Span(m.start(), m.end(), Kind.ADDRESS) for m in _FLOOR_SIDE.finditer(text)]
        spans += _postcodes_near(text, spans)
    return spans


# With an address in the message, a floor and a side said apart from it: "min nabo
# nedenunder på 3. tv.", "han bor st. th. på …", "i stuen til højre", "…, nej, 1. th.".
_FLOOR_SIDE = re.compile(
    r"(?<![\w.])(?:\d{1,2}\.|st\.|stuen|kld\.|kælderen)\s*(?:tv|th|mf)\b\.?"
    r"|(?<![\w.])(?:stuen|kælderen|(?:første|anden|tredje|fjerde|femte|\d{1,2}\.)\s+sal)"
    r",?\s+(?:til\s+)?(?:højre|venstre)\b"
    # "tre tv", "fjerde sal", "sjette etage": said apart from the address
    r"|(?<![\w.])(?i:en|to|tre|fire|fem|seks|første|anden|tredje|fjerde|femte|sjette)\s+(?:tv|th|mf)"
    r"(?![\w-])\.?"
    r"|(?<![\w.])(?i:første|anden|tredje|fjerde|femte|sjette|syvende|ottende)\s+(?:sal|etage)\b"
)
# With an address in the message, its postcode said just before or after it, with or without
# the town: "8000 Aarhus C … Frederiksgade 60", "Kirkevej 3 8330 beder", "Høgevej 2, Lystrup,
# 8520".
_POSTCODE_NEAR = re.compile(
    r"(?:(?<![\w-])(?P<town_first>[A-ZÆØÅ][\wæøå]+),\s+)?"
    rf"(?<![\d.,])(?P<code>8\d{{3}}(?![\d.,:]\d)|(?i:otte)(?:\s+{_DIGIT_WORD}\b){{3}}|"
    rf"(?i:otte\s+tusind)\b)"
    r"(?:\s+(?P<town>[A-ZÆØÅa-zæøå][\wæøå]+(?:\s+[A-ZÆØÅ]\b)?|[A-ZÆØÅ]\b))?"
)
_TO_THE_ADDRESS = re.compile(
    r"(?:[\s,.…]|\b(?i:og|så|er|det|ja|øh+m*|altså|hvad|hedder|postnummer(?:et)?|and|then|"
    r"it's))*"
)


def _postcodes_near(text: str, spans: list[Span]) -> list[Span]:
    found = []
    for m in _POSTCODE_NEAR.finditer(text):
        before = any(
            0 <= m.start() - s.end <= 30 and _TO_THE_ADDRESS.fullmatch(text, s.end, m.start())
            for s in spans
        )
        after = any(
            0 <= s.start - m.end() <= 30 and _TO_THE_ADDRESS.fullmatch(text, m.end(), s.start)
            for s in spans
        )
        if not (before or after):
            continue
        town = m.group("town")
        a_town = town is not None and (town[0].isupper() or town not in lists().stop_words)
        end = m.end() if a_town else m.end("code")  # "… 8210 og …": no town
        start = m.start() if before and m.group("town_first") else m.start("code")
        found.append(Span(start, end, Kind.ADDRESS))
    return found


# With an address in the message, the floor someone lives on: "hvor jeg bor på tredje sal".
_ON_FLOOR = re.compile(
    rf"\b(?i:bor|boede|lives?|lived)\s+(?:(?i:selv|også|nu)\s+)?(?i:på|on)\s+(?:(?i:the)\s+)?"
    rf"(?P<floor>(?i:{_LEVEL})\s*(?i:sal)\b\.?(?:,?\s*{_SIDE})?)"
)


_NOT_AFTER_RE = re.compile(_NOT_AFTER)
# A street and a number after a comma, nothing more: "Frederiksgade, 9".
_BARE_NUMBER = re.compile(r"[^\d\s,],\s*\d{1,4}$")
_A_FLOOR = re.compile(r"\b(?i:tv|th|mf|sal|st|stuen|floor|etage|stock)\b|,\s\d{1,2}\.,")


def _streets(text: str, starts: list[int]) -> list[Span]:
    spans = [
        Span(_with_place_before(text, m.start()), m.end(), Kind.ADDRESS)
        for pattern in (_DANISH, _ENGLISH)
        for m in scan.matches_at(pattern, text, starts)
    ]
    spans += [
        Span(m.start("address"), m.end("address"), Kind.ADDRESS)
        for m in _ENGLISH_LOWER.finditer(text)
    ]
    return spans


# The words of _DANISH and _ENGLISH that tell an address: how a street's name ends (each
# street type of _STREET_TYPE and _ENGLISH_ROAD, in lower case), and the words an address
# may begin with instead ("Ved Lunden 3", "nummer 12 på Toftevej", "blok 4, lejlighed 12").
_STREET_ENDINGS = (
    *_SUFFIX[3:-1].split("|"),
    *("kvarter", "avenue", "gej", "vade"),
    *("street", "road", "lane", "way", "drive", "close", "place", "square", "terrace"),
)
# The street types the patterns take in lower case too ("hasle ring vej 12")
_LOWER_TYPES = {
    "vej",
    "gej",
    "vade",
    "gade",
    "allé",
    "alle",
    "stræde",
    "plads",
    "torv",
    "boulevard",
}
_CAPITAL_WORDS = {"ved", "under", "over", "bag", "mellem", "st", "rd", "ave"}  # "Ved Lunden 3"
_START_WORDS = {"nummer", "nr", "number", "no", "blok", "block", "opgang", "bygning", "building"}


def _street_end(word: str) -> bool:
    """A word a street's name may end with, as the patterns read it."""
    low = word.lower()
    if not low.endswith(_STREET_ENDINGS):
        return word[0].isupper() and low in _CAPITAL_WORDS
    if word[0].isupper() or low in _LOWER_TYPES:
        return True
    # In lower case the ending follows other letters: "have" alone is a verb, and no street.
    return any(low.endswith(end) and len(low) > len(end) for end in _STREET_ENDINGS)


_JOINED_START = re.compile(r"(?<![\w-])\w")


def _joined_starts(text: str) -> list[int]:
    return [m.start() for m in _JOINED_START.finditer(text)]


def _starts(text: str) -> list[int]:
    """Where an address may begin: up to ten words before a word a street's name ends with
    ("lejlighed 14, Hans-Christian Andersens Boulevard", "flat 3, second floor, number 14
    Harbour Street"), and at a word an address begins with ("nummer 12, 3. sal, på …")."""
    words = list(scan.LETTERS.finditer(text))
    ends = [m.end() for m in words if _street_end(m.group())]
    starts = scan.starts_near(scan.word_starts(text), ends, words_before=10)
    if "-" in text:  # a name spelled out in one piece counts as one word: "T-H-O-R-…-gade"
        joined = scan.starts_near(_joined_starts(text), ends, words_before=10)
        starts = sorted(set(starts).union(joined))
    begins = [m.start() for m in words if m.group().lower() in _START_WORDS]
    return sorted(set(starts).union(begins)) if begins else starts


_ESTATE_BEFORE = re.compile(
    rf"\b[A-ZÆØÅ][\wæøå-]*{_SUFFIX},\s+$|\b[A-ZÆØÅ][\wæøå-]*(?i:kollegiet|kollegium),\s+$"
)


def _with_place_before(text: str, start: int) -> int:
    """Where the street's name begins: a place or a direction written in lower case before
    it belongs to it ("hasle ringvej 12", "nørre allé 5"), and so does the name of the
    estate or hall of residence ("Nobelparken, Jens Chr. Skous Vej 7")."""
    estate = _ESTATE_BEFORE.search(text, max(0, start - 40), start)
    if estate is not None:
        return estate.start()
    before = re.search(r"(\S+)\s+$", text[max(0, start - 40) : start])
    if before is None:
        return start
    word = before.group(1)
    if _BEFORE_STREET.match(word) or lists().is_public(word):
        return start - len(before.group(0))
    return start
