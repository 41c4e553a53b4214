"""Person names: the caller's own and the third parties they mention.

Hidden:
- what follows a formula: "jeg hedder …", "mit navn er …", "efternavnet er …", "det er
  Camilla", "Søren her", "this is Emma Clark", "hilsen Inge", "min nabo Poul Andersen",
  "fru Larsen", "spørg efter Bente Kjær", "pedellen Kim", "rådmand Torben Kjærsgaard" (office
  holders are public only when data/public_names.txt names them), "tak til Sten og Lærke",
  "Per Holm hedder jeg", "Bo fra afdelingsbestyrelsen", "Kaas med to a'er"; after "jeg
  hedder" any word, after the others a capitalised word or a known name written in lower
  case ("min nabo poul"), and a capitalised word joined by "og" ("Birgit og Aksel"); the
  last words after a sign-off that ends the message ("kærlig hilsen xiulan wei");
- letters spelled out ("det staves K-I-M", "B, R, O, D, E, R"; spelling.py);
- known names (lists.py) without a formula: a first name and the capitalised words after
  it ("Anna Berg"), a first name alone or in the genitive ("Mettes far"), a Danish surname
  alone ("Larsen ovenpå"), and in lower case where names stand ("med bente", "hanne og
  jens"). Names that are also ordinary words ("Per", "Hans", "Mark", "Bo") need a formula
  or a surname;
- who someone is to the caller after the name ("Storm, min søn,");
- a name said again: spelled, in an e-mail address, or twice (echoes.py);
- a name said another way: corrected, split by Whisper, in Cyrillic (variants.py).

Kept: a name that what stands around it makes public — a storm's, a monarch's, a maker's,
someone on the air or beside a public figure, a thing's (public.py).

Not hidden but returned by suspects.py: other capitalised words that do not begin a sentence
and are not public names (places, institutions, roles), for the moderator to look at.
"""

import re

from ingest.language.redaction import scan, variants
from ingest.language.redaction.public import a_thing_named, public_after_all
from ingest.language.redaction.reader import PLACE_WORDS, STREET_ENDING, Reader
from ingest.language.redaction.spans import Kind, Span
from ingest.language.redaction.spelling import spelled

# After these, any word is the name, capitalised or not.
_SAYS_NAME = (
    r"jeg\s+hedder|jeg\s+hedder\s+også|mit\s+(?:for|efter|mellem)?navn\s+er|"
    r"(?:for|efter|mellem)?navnet\s+er|(?:for|efter)navn(?:et)?(?=[\s,:…])|my\s+(?:first\s+|last\s+|sur)?name\s+is|the\s+name\s+is|"
    r"my\s+(?:first\s+|last\s+|sur)?name's|i'm\s+called|i\s+am\s+called|hedder\s+(?:hun|han)|"
    r"hedder|kaldes|kalder\s+sig|who\s+is\s+called|is\s+called|kaldet|named|called|"
    # German, Polish, Spanish, French, Italian, Portuguese, Turkish, Vietnamese, Ukrainian
    r"ich\s+heiße|ich\s+heisse|mein\s+name\s+ist|nazywam\s+się|mam\s+na\s+imię|me\s+llamo|"
    r"mi\s+nombre\s+es|je\s+m'appelle|mi\s+chiamo|meu\s+nome\s+é|benim\s+ad\u0131m|ad\u0131m|"
    r"tôi\s+là|tên\s+tôi\s+là|tôi\s+tên\s+là|em\s+tên\s+là|em\s+là|tôi\s+tên|tên\s+là|"
    r"мене\s+звати|меня\s+зовут|"
    # Arabic, said or written: "ana ismi", "اسمي"
    r"(?:ana\s+)?ismi|اسمي|"
    r"(?:his|her|their)\s+name\s+(?:is|was)|(?:hans|hendes)\s+navn\s+(?:er|var)|"
    r"hed(?=\s)"  # "en der hed Helle", "I think his name was Kim"
)
# The caller's own name follows these even when it is a public figure's ("jeg hedder Kim
# Larsen, ikke ham sangeren").
_OWN_NAME = re.compile(
    r"(?i:jeg\s+hedder|mit\s+(?:for|efter|mellem)?navn|my\s+(?:first\s+|last\s+|sur)?name|"
    r"i'm\s+called|i\s+am\s+called|ich\s+heiße|mein\s+name|nazywam|me\s+llamo|tôi\s+là)"
)
_RELATIONS = (
    r"nabo|naboen|genbo|genboen|mand|manden|kone|konen|søn|sønnen|datter|datteren|kollega|"
    r"kollegaen|udlejer|udlejeren|ven|vennen|veninde|veninden|kæreste|bror|broren|søster|"
    r"søsteren|mor|moren|far|faren|svigermor|svigerfar|onkel|tante|nevø|niece|barnebarn|"
    r"chef|chefen|lærer|læreren|vicevært|viceværten|ejer|ejeren|neighbour|neighbor|husband|"
    r"wife|son|daughter|colleague|landlord|friend|boyfriend|girlfriend|brother|sister|"
    r"mother|father|mum|mom|dad|partner|boss|teacher|caretaker|svigersøn|svigerdatter|"
    r"svigerinde|svoger|stedsøn|steddatter|stedfar|stedmor|fætter|kusine|bedstemor|bedstefar|"
    r"farmor|farfar|mormor|morfar|oldemor|oldefar|lillebror|storebror|lillesøster|storesøster|"
    r"cousin|uncle|aunt|grandma|grandpa|grandmother|grandfather|nephew|stepson|stepdaughter|"
    r"son-in-law|daughter-in-law|roommate|flatmate|bff|bf|gf|bestie|moster|faster|morbror|farbror|"
    r"nabopige|nabodreng|nabokone|nabomand|roomie|roommaten|sambo|samboen|kæresten|underbo|"
    r"overbo|underboen|overboen"
)
# People by their job or office, named after it: "pedellen Kim", "rådmand Torben Kjærsgaard".
# A citizen's message names them in a complaint or a thanks; office does not make the name
# the caller's to publish.
_ROLES = (
    r"pedel|pedellen|gårdmand|gårdmanden|varmemester|varmemesteren|ejendomsfunktionæren|"
    r"inspektør|inspektøren|skoleinspektøren|skolelederen|lederen|formand|formanden|"
    r"næstformand|næstformanden|afdelingsformanden|rådmand|rådmanden|byrådsmedlem|"
    r"lærer|læreren|klasselærer|klasselæreren|"
    r"byrådsmedlemmet|sagsbehandler|sagsbehandleren|pædagog|dagplejer|dagplejeren|dagplejemor|"
    r"dagplejemoren|pædagogmedhjælper|vikar|vikaren|rengøringsdamen|"
    r"pædagogen|træner|træneren|præst|præsten|læge|lægen|overlæge|overlægen|tandlæge|"
    r"tandlægen|jordemoder|jordemoderen|psykolog|psykologen|fysioterapeut|fysioterapeuten|"
    r"hjemmehjælper|hjemmehjælperen|sygeplejerske|sygeplejersken|chauffør|"
    r"chaufføren|buschaufføren|betjent|betjenten|frisøren|købmanden|bageren|"
    r"sundhedsplejerske|sundhedsplejersken|socialrådgiver|socialrådgiveren|bibliotekaren|"
    r"sekretæren|receptionisten|ekspedienten|postbuddet|postbudet|skraldemanden|"
    r"kontaktpersonen|kontaktpædagogen|støttepædagogen|vejlederen|mentoren|rektor|rektoren|"
    r"forstanderen|afdelingslederen|teamlederen|konsulenten|medarbejderen|assistenten|"
    r"ergoterapeuten|fodterapeuten|plejeren|sosu-assistenten|sosu-hjælperen|nattevagten|"
    r"portøren|tømreren|elektrikeren|mureren|håndværkeren|maleren|kokken|dirigenten|"
    r"instruktøren|underviseren|spejderlederen|"
    r"nurse|the\s+nurse|social\s+worker|health\s+visitor|librarian|the\s+librarian|"
    r"the\s+caretaker|the\s+janitor|caretaker|janitor|councillor|councilor|coach"
)
_TITLES = (
    r"fru|hr\.?|herr|frk\.?|frøken|mrs\.?|mr\.?|ms\.?|miss|mister|dr\.?|doktor|professor|prof\.|"
    r"familien|the\s+family|family|"
    r"bà|ông|bác|chú"  # Vietnamese: "min svigermor bà Hoa", "bác Tư"
)
# After these, a capitalised word or a known name in lower case.
_INTRODUCES = (
    rf"(?:(?:kærlig|venlig|mange|de\s+bedste)\s+)?hilsen(?:\s+fra)?|"
    rf"(?:(?:kærlige|venlige)\s+)?hilsner(?:\s+fra)?|mvh\.?|vh\.?|best\s+regards|kind\s+regards|"
    rf"regards|best\s+wishes|love\s+from|"
    rf"(?:min|mit|mine|vores|hans|hendes|deres|my|our|his|her|their|the)\s+"
    rf"(?:(?:bedste|gamle|nye|søde|kære|lille|store|ældste|yngste|eneste|best|old|new|dear|"
    rf"little|big|eldest|youngest|only)\s+)?(?:{_RELATIONS})|"
    rf"hende|ham|det\s+er\s+(?:bare\s+)?mig|it's\s+(?:just\s+)?me|it\s+is\s+me|"
    rf"(?:men|og|så|but|and)\s+(?:jeg|I)(?=,\s+[A-ZÆØÅ])|"  # "men jeg, Sivakumar Rajendran, har"
    # "morfar Kaj", "ungerne, Mille og Oskar", "to drenge Birk og Ask", "min lille Musse"
    rf"morfar|mormor|farfar|farmor|moster|faster|onkel|tante|oldemor|oldefar|bedstemor|"
    rf"bedstefar|grandma|grandpa|granny|auntie|uncle|aunt|"
    rf"ungerne|børnene|drengene|pigerne|tvillingerne|sønnerne|døtrene|"
    rf"(?:min|vores|my)\s+(?:lille|søde|little)|"
    rf"kalder\s+(?:ham|hende)(?:\s+(?:for|bare))?(?:\s+(?:min|vores))?|"
    # "mine naboer Jens og Ib": only where the cue ends matters, so the word before is not
    # part of it
    rf"(?:naboer|venner|kolleger|kollegaer|søskende|neighbours|neighbors|friends|"
    rf"colleagues)|"
    rf"naboen|genboen|udlejeren|viceværten|{_ROLES}|{_TITLES}|"
    # "faren hedder Rahim, moren Zarghuna", "mor til Storm på fem"
    rf"moren|faren|sønnen|datteren|konen|broren|søsteren|"
    rf"(?:mor|far|mormor|morfar|farmor|farfar|bedstemor|bedstefar)\s+til|"
    rf"spørg\s+efter|spørge\s+efter|ask\s+for|(?:tal|talte|snak|snakke|snakkede)\s+med|"
    rf"(?:gift|skilt|kærester?|married)\s+(?:med|fra|to)|"  # "jeg var gift med Kaj i 52 år"
    # "alle siger bare Kris", "kald mig Mo", "der bor Frank og Sussi", "my name Tesfay"
    rf"(?:alle|de|folk|everyone|everybody|people|they|jeg|vi|danskerne|alle\s+på\s+\w+)\s+"
    rf"(?:siger|kalder\s+(?:mig|ham|hende)|calls?\s+(?:me|him|her))(?:\s+bare|\s+just)?|"
    rf"(?:vi|de|folk|alle)\s+kald(?:er|te)(?:\s+(?:for|bare))?|"  # "vi kalder Kringle-Kurt"
    rf"kalder\s+(?:vi|de|folk|alle)(?:\s+(?:for|bare))?|"  # "mormor kalder vi Momse"
    # "ring til mig, Aksel, på …"
    rf"(?:ring|ringe|skriv|skrive)\s+til\s+mig(?=,)|(?:call|text)\s+me(?=,)|"
    rf"siger\s+bare|"  # "alle danskere siger bare Vojtek"
    rf"ibni|binti|"  # Arabic "my son", "my daughter": "wa hatha ibni omar"
    rf"kald\s+mig|kalder\s+mig|call\s+me|der\s+bor|bor\s+der|next\s+door\s+lives|"
    rf"bare\s+sig|sig\s+bare|just\s+say|"  # "det er svært, bare sig Slava"
    rf"my\s+name|mit\s+navn|min\s+navn|"
    # a form read out: "last name Brandt, first name Ole", "surname Raman"
    rf"(?:first|last|family|given)\s+name(?:\s+is)?|surname(?:\s+is)?|"
    # "karens mand ib": who they are to someone named
    rf"(?<=[a-zæøåA-ZÆØÅ]s\s)(?:mand|kone|søn|datter|kæreste|mor|far|bror|søster|husband|wife)|"
    rf"(?:talk|talked|speak|spoke)\s+(?:to|with)"
)
# After these, only a known name ("det er Camilla"; "det er Letbanen" stays).
_MAY_INTRODUCE = (
    r"det\s+er|det\s+var|var\s+det|her\s+er|this\s+is|it's|it\s+is|here\s+is|kære|dear|hej|hejsa|"
    r"hallo|hi|hello|goddag|kh|knus|farvel|vi\s+ses|hej\s+hej|tak\s+til|takket\s+være|"
    r"thanks\s+to|tak|tak\s+for\s+nu|thanks|"
    r"cheers|bye|best|love|"
    r"(?<!\ben\s)(?<!\bet\s)(?<!\bden\s)(?:lille|store|gamle)|"  # "lille Mille"; "en lille Sti"
    # a verb before its name, never before a comma: "træer, ask, birk" are trees
    r"(?:spørg|spørge|ring\s+til|ringe\s+til|skriv\s+til|kontakt|call|ask)(?![,:…])|"
    r"(?:to|tre|fire|vores|mine|my|our|two|three)\s+(?:drenge|piger|børn|unger|sønner|døtre|"
    r"tvillinger|boys|girls|kids|sons|daughters)"
)
_TITLE = re.compile(rf"(?i:{_TITLES})$")
_CUE = re.compile(
    rf"\b(?i:(?P<says>{_SAYS_NAME})|(?P<intro>{_INTRODUCES})|(?P<may>{_MAY_INTRODUCE}))[,:…]?\s+"
)
_CUE_OPENINGS = scan.Openings(_CUE)
# "I am Tom", "jeg er lise": a capitalised word or a known name ("I am happy" stays).
_WEAK_CUE = re.compile(r"\b(?i:i\s+am|i'm|jeg\s+er)\s+")
# "Søren her, …": a name then "her" at the start of a message or after a greeting.
_HERE_AGAIN = re.compile(r"\s+(?i:igen|altså|again)\b")  # "Falk her igen, jeg ringede i går"
_NAME_HERE = re.compile(
    r"(?:^|[.!?]\s+|\b(?i:hej|hejsa|hallo|goddag|godmorgen|hi|hello)[,!]?\s+)"
    r"(?:(?i:øh+m*|æh+m*|ehm?|ja|jo|nå|altså|okay|ok|så|yes|yeah|um|uh)[,.]?\s+){0,3}"
    r"(?!(?i:hej|hejsa|hallo|goddag|godmorgen|hi|hello)\b)"  # the greeting is no name
    r"(?P<name>[\wæøåÆØÅ'-]+(?:\s+(?:[A-ZÆØÅ][\wæøå'-]+|[a-zæøå]\b\.?)){0,2})\s+(?i:her|here)\b"
)


def find(text: str) -> list[Span]:
    reader = Reader(text)
    return [s for s in _found(reader) if not public_after_all(reader, s)]


def _found(reader: Reader) -> list[Span]:
    text = reader.text
    spans = [
        *_after_cues(reader),
        *_names_in_a_row(reader),
        *_are_mine(reader),
        *_apposed(reader),
        *_name_here(reader),
        *spelled(text),
        *_known_names(reader),
        *_name_then_formula(reader),
        *_from_somewhere(reader),
        *_spelled_again(reader),
        *_who_calls(reader),
    ]
    spans += _joined_to(reader, spans) + _restarted(reader, spans)
    spans += variants.find(reader, spans)
    # "Min svoger hedder Kim Larsen, ikke ham sangeren": a public figure's name, someone else's
    spans += [Span(a, b, Kind.NAME) for a, b in reader.masked if _NOT_THE_ONE.match(text, b)]
    return [
        Span(m.start(), s.end, s.kind)
        if (m := _FAMILY_TITLE.search(text, max(0, s.start - 12), s.start))
        else s
        for s in spans
    ]


# "det er ulv der ringer", "her er Storm som ringer", "det her er Ulv, mit nummer er …":
# whoever is said to be calling is named, though the name is a word.
_WHO_CALLS = re.compile(
    r"\b(?i:det\s+er|det\s+her\s+er|her\s+er|this\s+is)\s+(?P<name>[^\W\d_][\w'-]*)"
    r"(?=\s+(?i:der|som|who)\s+(?i:ringer|taler|calls|is\s+calling)\b|,\s+(?i:mit|my)\s+"
    r"(?i:nummer|number|telefonnummer|cpr|mail|e-mail)\b)"
)


# "Det var Lille-Mads der fandt katten": whoever is said to have done something, when the
# word is a name on the lists, or joined to one, and no public name ("Det var Movia der …").
_WHO_DID = re.compile(
    r"\b(?i:det\s+er|det\s+var|det\s+her\s+er)\s+(?P<name>[A-ZÆØÅ][\w'-]*)"
    r"(?=\s+(?:der|som|who)\s+[a-zæøå])"
)


def _who_calls(reader: Reader) -> list[Span]:
    spans = []
    for match in _WHO_DID.finditer(reader.text):
        i = reader.at.get(match.start("name"))
        name = match["name"]
        named = reader.names.is_name(name) or any(
            reader.names.is_first_name(part) for part in name.split("-")[1:]
        )
        if i is not None and named and not reader.public(i) and not reader.names.is_word(name):
            spans.append(Span(match.start("name"), match.end("name"), Kind.NAME))
    for match in _WHO_CALLS.finditer(reader.text):
        i = reader.at.get(match.start("name"))
        low = match.group("name").lower()
        if i is None or reader.public(i) or low in _NEVER_ALONE or low in _INTERJECTIONS:
            continue
        if reader.names.is_name(match.group("name")) or reader.words[i].capitalised:
            spans.append(Span(match.start("name"), match.end("name"), Kind.NAME))
    return spans


def _names_in_a_row(reader: Reader) -> list[Span]:
    """ "Pham Thi Lan, I have a shop": two or three capitalised words in a row that are all
    names, two of them no ordinary word, even at the start of a sentence."""
    spans, words, names = [], reader.words, reader.names
    i = 0
    while i < len(words):
        j = i
        while (
            j < len(words)
            and j - i < 3
            and (j == i or reader.next_to(j - 1))
            and words[j].capitalised
            and names.is_name(words[j].text)
            and not reader.public(j)
            and not PLACE_WORDS.fullmatch(words[j].text)  # "Carl Blochs Gade": a street
        ):
            j += 1
        plain = sum(not names.is_word(w.text) for w in words[i:j])
        if j - i >= 2 and plain >= 2 and reader.span(i, j - 1) is not None:
            spans.append(Span(words[i].start, words[j - 1].end, Kind.NAME))
            i = j
            continue
        i += 1
    return spans


_FAMILY = rf"(?:{_RELATIONS}|tvillinger|børn|drenge|piger|naboer|sønner|døtre|venner|twins|kids)"
# "Storm og Sommer er mine tvillinger": names that are words, said to be the caller's own.
_ARE_MINE = re.compile(
    r"(?:^|(?<=[.!?]\s))(?P<names>[A-ZÆØÅ][\wæøå'-]+(?:\s+(?:og|and)\s+[A-ZÆØÅ][\wæøå'-]+)?)"
    rf"(?:\s+(?i:er|is|are)|,)\s+(?i:min|mit|mine|vores|my|our)\s+(?i:{_FAMILY})\b"
)


def _are_mine(reader: Reader) -> list[Span]:
    spans = []
    for match in _ARE_MINE.finditer(reader.text):
        for name in re.finditer(r"[A-ZÆØÅ][\wæøå'-]+", match.group("names")):
            if name.group().lower() in _INTERJECTIONS:
                continue  # "Ja, min mor boede …" names no one
            start = match.start("names") + name.start()  # "Sommer" too: a season, and a name
            spans.append(Span(start, start + len(name.group()), Kind.NAME))
    return spans


# "det er bare Storm, min søn", "om Hans, han er min bror": a capitalised word, then who
# they are to the caller.
_RELATION_AFTER = re.compile(
    rf",\s+(?i:(?:han|hun|he|she)\s+(?:er|is)\s+)?(?i:min|mit|mine|vores|hans|hendes|my|our|his|her)\s+(?i:{_RELATIONS})"
    r"(?:\s*[,.!?]|\s*$|\s+(?i:og|han|hun|som|der|and|he|she|who|på|i|fra|hos|at|from)\b)"
)


_RELATION_NEXT = re.compile(
    rf"\s+(?i:min|mit|mine|vores|hans|hendes|my|our|his|her)\s+(?i:{_RELATIONS})\b"
)
# "Abu Khaled i opgangen", "abu yousef her": a parent's name by their child's, Arabic fashion.
_KUNYA = re.compile(
    r"\b(?:Abu|Abou|Umm|Um|Bint)\s+[A-ZÆØÅ][\wæøå'-]+|\b(?:abu|umm)\s+(?P<child>\w+)"
)
# "Ayşe teyze", "Hasan amca": a Turkish or Arabic word of kinship after the name.
_KIN_AFTER = re.compile(
    r"\s+(?:teyze|amca|abla|abi|ağabey|han\u0131m|bey|day\u0131|hala|yenge|khala|khalo|ammo|amo|"
    r"khaltu|ammu|baba|mama)\b"
)


# "Lindholm på tredje sal har klaget": where in the house someone lives, after the name.
_WHERE_AFTER = re.compile(
    r"\s+(?i:på\s+(?:første|anden|tredje|fjerde|femte|sjette|\d{1,2}\.)\s+sal|i\s+stuen|"
    r"ovenpå|nedenunder|ved\s+siden\s+af|overfor|i\s+opgangen|from\s+upstairs|next\s+door|"
    r"er\s+her\s+også|(?:ved|i|bag)\s+(?:skranken|kassen|disken|receptionen|informationen)|"
    r"i\s+(?:kiosken|kantinen|caféen|cafeen|butikken|baren|køkkenet)|(?:nede|oppe|henne|ovre)\s+(?:i|på)\s+\w+(?:en|et)\s+(?:siger|sagde|har))\b"
)


_BETWEEN_COMMAS = re.compile(r",\s+(?P<name>[A-ZÆØÅ][\wæøå'-]+),")
_PERSON_BEFORE = re.compile(
    rf"\b(?i:{_ROLES}|{_RELATIONS}|guy|fyr|fyren|manden|kvinden|damen|drengen|pigen|woman|lady|"
    rf"man|girl|boy)\b[^,.!?]{{0,30}}$"
)
# "Mor Ulla", "Moster Grete": a family word written as part of what a person is called.
_FAMILY_TITLE = re.compile(r"(?:Mor|Far|Moster|Faster|Morbror|Farbror|Onkel|Tante|Oma|Opa)\s+$")


# Words a sentence opens with that the name lists also hold ("Ja" is a Korean name).
_INTERJECTIONS = frozenset({"ja", "jo", "nej", "nå", "hej", "tak", "okay", "ok", "yes", "well"})
_INTERJECTIONS |= {"altså", "men", "og", "så", "nu"}  # "Altså, min søster bor i Silkeborg"


def _apposed(reader: Reader) -> list[Span]:
    spans = _followed_by(reader, _RELATION_AFTER, initial=False)
    spans += _followed_by(reader, _KIN_AFTER, initial=True)
    # At a sentence's start only a name the lists know: "Lejligheden på 4. sal" is none.
    spans += [
        s
        for s in _followed_by(reader, _WHERE_AFTER, initial=True)
        if reader.names.is_name(word := reader.text[s.start : s.end])
        or (not reader.words[reader.at[s.start]].initial and not reader.names.is_word(word))
    ]
    spans += _pair_of_word_names(reader)
    for m in _BETWEEN_COMMAS.finditer(reader.text):
        i = reader.at.get(m.start("name"))
        if i is None or not reader.names.is_name(m.group("name")) or reader.public(i):
            continue
        if _PERSON_BEFORE.search(reader.text, max(0, m.start() - 60), m.start()):
            spans.append(Span(m.start("name"), m.end("name"), Kind.NAME))
    relations = {m.start() for m in _RELATION_NEXT.finditer(reader.text)}
    spans += [
        Span(word.start, word.end, Kind.NAME)
        for i, word in enumerate(reader.words)
        # "sebastian min søn siger": in lower case only a name that is no word
        if word.end in relations
        and (word.capitalised or not reader.names.is_word(word.text))
        and reader.names.is_first_name(word.text)
        and not reader.public(i)
    ]
    return spans + [
        Span(m.start(), m.end(), Kind.NAME)
        for m in _KUNYA.finditer(reader.text)
        if m.group("child") is None or reader.names.is_first_name(m.group("child"))
    ]


def _pair_of_word_names(reader: Reader) -> list[Span]:
    """ "var Storm og Sol helt vildt bange", "Sol og Ask går i børnehave": two capitalised
    first names that are also words, joined by "og", are two people."""
    words, names = reader.words, reader.names
    spans = []
    for i in range(len(words) - 2):
        a, joined, b = words[i], words[i + 1], words[i + 2]
        if (
            joined.text in ("og", "and")
            and a.capitalised
            and b.capitalised
            and reader.next_to(i)
            and reader.next_to(i + 1)
            and names.is_first_name(a.text)
            and names.is_first_name(b.text)
            and not reader.public(i)
            and not reader.public(i + 2)
            and not reader.place_follows(i + 2)
        ):
            spans += [Span(a.start, a.end, Kind.NAME), Span(b.start, b.end, Kind.NAME)]
    return spans


def _followed_by(reader: Reader, after: re.Pattern[str], initial: bool) -> list[Span]:
    """Capitalised words, not public and not streets, that `after` follows; at a sentence's
    start too if `initial`."""
    return [
        Span(word.start, word.end, Kind.NAME)
        for i, word in enumerate(reader.words)
        if word.capitalised
        and (initial or not word.initial)
        and after.match(reader.text, word.end) is not None
        and not reader.public(i)
        and not _A_STREET.search(word.text)  # "op til Åboulevarden, min mor på 87 …"
    ]


_A_STREET = re.compile(rf"(?i:{STREET_ENDING})$")


def _after_cues(reader: Reader) -> list[Span]:
    spans = []
    text, names = reader.text, reader.names
    # Tried only at word starts whose first letters begin a cue: the pattern is long.
    matches = [
        _CUE.match(text, word.start)
        for word in reader.words
        if _CUE_OPENINGS.may_begin(text, word.start)
    ]
    cues = [(m.end(), m.lastgroup or "") for m in matches if m is not None]
    cues += [(m.end(), "weak") for m in _WEAK_CUE.finditer(text)]
    for position, strength in cues:
        i = reader.at.get(position)
        if i is None:
            continue
        start = reader.words[i - 1].start if i > 0 and _title(reader, i - 1) else position
        while _title(reader, i) and i + 1 < len(reader.words):
            i += 1  # "min nabo fru Larsen": the title goes with the name
        skip = _SKIPPED.get(strength, set())
        if reader.words[i].text.lower() in skip and i + 1 < len(reader.words):
            i += 1  # "jeg hedder ikke anna", "det er bare mette her"
            start = reader.words[i].start
        word = reader.words[i]
        if strength == "says" and a_thing_named(text, position):
            continue  # "båden der ligger i Egå Marina og hedder Lykke-Per"
        if strength == "says" and _ASKED.search(text, max(0, position - 30), position):
            continue  # "Jeg ved ikke hvad hun hedder, damen i bageren …"
        if strength == "says" and reader.place_follows(reader.extend(i, lower_ok=False)):
            continue  # "Hvorfor hedder vejen Niels Juels Gade": a street's name
        own = strength == "says" and _OWN_NAME.search(text, max(0, position - 25), position)
        if own and reader.public(i):
            whole = [(a, b) for a, b in reader.masked if a <= word.start < b]
            a, b = whole[0] if whole else (word.start, word.end)
            spans.append(Span(a, b, Kind.NAME))
            continue
        month = strength == "intro" and word.text in _MONTH_NAMES  # "min nabopige Maj"
        if (
            (reader.public(i) and not month)
            or word.text.lower() in _NEVER_NAMES
            or word.text in _DETERMINERS
        ):
            continue
        signed = _signed(reader, position, i)
        if signed is not None:
            spans.append(Span(min(start, word.start), reader.words[signed].end, Kind.NAME))
            continue
        known = names.is_name(word.text)
        if (
            strength == "may"
            and not known
            and not (word.capitalised and (_here_follows(reader, i) or _i_follows(reader, i)))
        ):
            continue  # "det er Letbanen", "hej Aarhus"
        if (
            strength == "weak"
            and not word.capitalised
            and (not names.is_first_name(word.text) or names.is_word(word.text))
        ):
            continue  # "jeg er camilla", not "jeg er ked af det"
        if word.capitalised:
            reader_end = reader.extend(i, lower_ok=True)
        elif strength == "says":
            if names.is_word(word.text) and not names.is_name(word.text):
                continue  # "jeg hedder ikke …"
            if not own and not names.is_name(word.text) and word.text.endswith(("en", "et")):
                continue  # "Hvorfor hedder vejen …": a thing, not a name
            reader_end = reader.extend(i, lower_ok=True)
        elif names.is_name(word.text) and not names.is_word(word.text):
            reader_end = reader.extend(i, lower_ok=True)  # "min nabo poul andersen"
        elif _after_family(reader, i) and names.is_surname(word.text):
            reader_end = i  # "familien lund": a surname, though also a word
        elif (
            (strength == "intro" or (strength == "may" and _alone(reader, i)))
            and names.is_first_name(word.text)
            and word.text.lower() not in _FUNCTION_WORDS
        ):
            reader_end = reader.extend(i, lower_ok=True)  # "min søn per", "det er bo her"
        else:
            continue
        span = reader.span(i, reader_end)
        if span is not None:
            end = max([span.end] + [s.end for s in _and_another(reader, reader_end)])
            spans.append(Span(min(start, span.start), end, Kind.NAME))
    return spans


# A name asked for, not given: "hvad hun hedder", "what he's called".
_ASKED = re.compile(r"\b(?i:hvad|what)\s+\S+\s+(?:\S+\s+)?(?i:hedder|hed|is\s+called)[,.]?\s+$")
_NOT_THE_ONE = re.compile(
    r"(?:,|\.{2,3}|…)?\s+(?:(?i:nej|no|men|but),?\s+)?(?i:ikke|not)\s+(?:(?i:ham|hende|den|the)\s+)?"
    # "Kaj Munk... nej ikke præsten"; not "…, men ikke efter klokken 23"
    r"(?!(?i:efter|over|under|mere|siden|igen|helt|eller|hver|der|her)\b)"
    r"(?i:\w+en|\w+er|famous|singer|kendte)\b"
)
# Months that are also first names: a name after "min nabopige", "hans ven".
_MONTH_NAMES = {"Maj", "Juni", "Juli", "August", "April", "May", "June", "July"}
# Words that follow "hedder han" and the like without being the name: "hedder han rigtigt".
_NEVER_NAMES = {"rigtigt", "egentlig", "egentligt", "faktisk", "vist", "really", "actually"}
_NEVER_NAMES |= {"hele", "alle", "byen", "stedet", "det", "den", "ikke", "også", "nu", "jo"}
_NEVER_NAMES |= {"noget", "sådan", "dengang", "før", "engang", "de", "dem"}
# "I called the city switchboard", "I called my landlord": "called" as phoned; as written, since
# "My" and "Her" may be names.
_DETERMINERS = {"the", "my", "his", "her", "their", "our", "your", "them", "him"}
_EVERYONE = {"alle", "jer", "os", "dig", "dem", "all", "everyone", "you"}
_NOT_SIGNED = _EVERYONE | {"en", "et", "din", "jeres", "vores", "fra", "a", "an", "your", "the"}
_SIGN_OFF = re.compile(
    r"(?i:hilsen|hilsner|mvh\.?|vh\.?|kh\.?|knus|regards|cheers|love|vi\s+ses|tak\s+for\s+nu)"
    r"(?:\s+fra)?[,:]?\s+$"
)


def _signed(reader: Reader, position: int, i: int) -> int | None:
    """After a sign-off at the end of a message ("… hilsen xiulan."), the last words are
    the name, known or not, capitalised or not: the last of them, or None."""
    if not _SIGN_OFF.search(reader.text, max(0, position - 30), position):
        return None
    rest = reader.words[i:]
    if not 1 <= len(rest) <= 3 or reader.text[rest[-1].end :].strip(" .!,") != "":
        return None
    if rest[0].text.lower() in _NOT_SIGNED:
        return None  # "hilsen en beboer", "hilsen alle os fra opgangen"
    alone = rest[0].text
    if len(rest) == 1 and reader.names.is_first_name(alone) and alone.lower() not in _EVERYONE:
        return len(reader.words) - 1  # "hilsen hans", "kh per": a name that is a word
    if all(reader.names.is_word(w.text) or reader.public(i + n) for n, w in enumerate(rest)):
        return None  # "hilsen fra os alle"
    return len(reader.words) - 1


def _and_another(reader: Reader, j: int) -> list[Span]:
    """ "hilsen Gitte og Xiulan", "min nabo Poul & Hanne": a second name joined to the first."""
    words = reader.words
    if not (reader.next_to(j) and j + 2 < len(words) and reader.next_to(j + 1)):
        return []
    joined, second = words[j + 1], words[j + 2]
    # "min nabo Poul eller Bjørn, jeg kan aldrig huske det": either is his name
    if joined.text.lower() not in ("og", "and", "&", "eller", "or") or reader.public(j + 2):
        return []
    said = re.search(
        r"(?i:det\s+er|this\s+is|vi\s+er|we\s+are)\s+\S+\s+$", reader.text[: joined.start]
    )
    plain = not reader.names.is_word(second.text) or (
        reader.names.is_first_name(second.text)
        and second.text.lower() not in reader.names.stop_words
    )
    lower_ok = said and plain and len(second.text) > 2  # "det er gitte og hardy"
    if not second.capitalised and not reader.surname_like(j + 2) and not lower_ok:
        return []
    end = reader.extend(j + 2, lower_ok=True)
    span = reader.span(j + 2, end)
    return [span] if span is not None else []


def _after_family(reader: Reader, i: int) -> bool:
    return i > 0 and reader.words[i - 1].text.lower() in ("familien", "family")


def _title(reader: Reader, i: int) -> bool:
    word = reader.words[i]
    with_dot = reader.text[word.start : word.end + 1]
    return bool(_TITLE.match(word.text) or _TITLE.match(with_dot))


def _alone(reader: Reader, i: int) -> bool:
    """The word ends its clause or "her" follows: "det er per, jeg ringer", "det er bo her"."""
    after = reader.text[reader.words[i].end :].lstrip(" ")
    if not after or after[0] in ",.!?" or _here_follows(reader, i):
        return True
    return bool(re.match(r"(?i:fra|from|og\s+jeg|and\s+i)\b", after))  # "det er kim fra …"


# "det er Oksana, jeg er fra Ukraine": the caller goes on about themselves.
_I_AFTER = re.compile(
    r",\s+(?i:(?:og\s+)?jeg\s+(?:er\s+fra|bor|ringer|kommer\s+fra|har\s+boet)|"
    r"(?:and\s+)?i(?:\s+am|'m)\s+(?:from|calling)|(?:and\s+)?i\s+live|"
    r"(?:people|everyone|they|folk|alle)\s+(?:call|kalder)\s+(?:me|mig))\b"  # "…, people call me"
)


def _i_follows(reader: Reader, i: int) -> bool:
    return _I_AFTER.match(reader.text, reader.words[i].end) is not None


def _here_follows(reader: Reader, i: int) -> bool:
    """ "det er Mikkel her": the word "her" (here) after the name."""
    return reader.next_to(i) and reader.words[i + 1].text.lower() == "her"


def _name_here(reader: Reader) -> list[Span]:
    spans = []
    for match in _NAME_HERE.finditer(reader.text):
        i = reader.at.get(match.start("name"))
        if i is None or reader.public(i):
            continue
        word = reader.words[i]
        after = reader.text[match.end() : match.end() + 1]
        known = reader.names.is_name(word.text) and not reader.names.is_word(word.text)
        paused = after in {",", ".", "!", ""} or bool(_HERE_AGAIN.match(reader.text, match.end()))
        # "sten her, sten kjær, cpr …": at the start of the message, a name that is a word
        opening = match.start() == 0 and reader.names.is_name(word.text) and paused
        if known or (word.capitalised and paused) or opening:
            spans.append(Span(match.start("name"), match.end("name"), Kind.NAME))
    return spans


def _known_names(reader: Reader) -> list[Span]:
    """First names from the list, without a formula: "Anna Berg", "… sagde Camilla"."""
    spans = []
    names, words = reader.names, reader.words
    i = 0
    while i < len(words):
        word = words[i]
        if (
            word.capitalised
            and (not word.initial or names.is_name(word.text))
            and not reader.public(i)
            and not names.is_word(word.text)
            and reader.next_to(i)
            and words[i + 1].capitalised
            and reader.surname(i + 1)
        ):  # "Emre Demir": an unknown first name before a known surname
            end = reader.extend(i, lower_ok=False)
            span = reader.span(i, end)
            if span is not None:
                spans.append(span)
                i = end + 1
                continue
        if (
            not word.capitalised
            and names.is_first_name(word.text)
            and not names.is_word(word.text)
            and reader.next_to(i)
            and not words[i + 1].capitalised
            and reader.surname_like(i + 1)
        ):  # "poul andersen": Whisper did not capitalise the name
            spans.append(Span(word.start, words[i + 1].end, Kind.NAME))
            i += 2
            continue
        if _surname_acting(reader, i):  # "… og så sagde Kofoed fra foreningen"
            spans.append(Span(word.start, word.end, Kind.NAME))
            i += 1
            continue
        if _danish_surname(reader, i):  # "Jensen på anden sal larmer", "fru … jensen"
            end = reader.extend(i, lower_ok=False)
            spans.append(Span(word.start, words[end].end, Kind.NAME))
            i = end + 1
            continue
        if (
            not word.capitalised
            and names.is_first_name(word.text)
            and (_lower_case_name_in_context(reader, i) or _person_by_place(reader, i))
        ):
            last = i + 2 if _and_known_name(reader, i) else i  # "hanne og jens"
            spans.append(Span(word.start, words[last].end, Kind.NAME))
            i = last + 1
            continue
        if not word.capitalised or not names.is_first_name(word.text) or reader.public(i):
            i += 1
            continue
        if word.initial and word.text.lower() in _FUNCTION_WORDS - {"hans"}:
            i += 1  # "Vi fra Dansk Vietnamesisk Forening …": a Vietnamese name, and "we"
            continue
        end = reader.extend(i, lower_ok=False)
        # "Per Hansen" is a name, "Per time" and "Hans cykel" are not; "Per siger" is, and
        # so is "Mark har slået græsset" (not "Frost har …": weather does things too).
        said = _NAME_AFTER.match(reader.text, word.end) is not None or (
            word.text.lower() not in _NATURE and _DID_AFTER.match(reader.text, word.end) is not None
        )
        if names.is_word(word.text) and (end == i or not reader.surname_like(i + 1)) and not said:
            i += 1
            continue
        span = reader.span(i, end)
        if span is not None:
            spans.append(span)
        i = end + 1
    return spans


# Stop words that the name lists also hold and that follow "min nabo" as words.
_FUNCTION_WORDS = {"der", "den", "de", "en", "da", "om", "man", "din", "es", "la", "an", "li"}
_FUNCTION_WORDS |= {"jo", "vi", "else", "som", "og", "i", "is", "has", "and", "who", "the", "hans"}
_FUNCTION_WORDS |= {"ville", "skulle", "kunne", "måtte", "turde"}  # "mit barnebarn ville ikke"
# Small words between a formula and the name, by kind of formula.
_ADVERBS = {"bare", "lige", "blot", "kun", "også", "altså", "just", "only", "also"}
_ADVERBS |= {"faktisk", "egentlig", "actually", "really"}  # "jeg hedder faktisk …"
_ADVERBS |= {"vist", "nok", "vistnok"}  # "viceværten hedder vist Per"
# "ham der Voitek", "hende der Xiulan": the pointing "der" before the name.
_SKIPPED = {
    "says": _ADVERBS | {"ikke", "not"},
    "may": _ADVERBS | {"så"},  # "det er så Kaj igen"
    "intro": {"også", "also", "der", "altså", "bare"},  # "min mand altså Svend"
}
_NAME_BEFORE = {"med", "og", "hos", "til", "fra", "af", "with", "and", "from", "to", "by"}
# Danish puts the verb before its subject after a fronted word: "så kom ole ud", "i går
# sagde bente".
_NAME_BEFORE |= {"kom", "sagde", "råbte", "spurgte", "ringede", "skrev", "mente", "svarede"}
_NAME_BEFORE |= {"fortalte", "hjalp", "gik", "synes", "syntes", "siger", "spørger"}
_NAME_AFTER = re.compile(
    r"\s+(?i:og\s+jeg|and\s+i|(?:hun|han)\s+(?:siger|sagde|mener|synes|bor|har)|"
    r"bor\s+(?:(?:lige|helt|også)\s+)?(?:ved\s+siden\s+af|ovenpå|nedenunder|overfor|over\s+for)|"
    r"(?:som|der)\s+(?:kører|bor|arbejder|passer|gør\s+rent)|"  # "Per som kører 2A"
    r"sagde|siger|says|said|ringede|called|mener|thinks|har\s+sagt|"
    r"fra|from|ved\s+siden\s+af|ovenpå|nedenunder|overfor|next\s+door|upstairs|downstairs)\b"
)


# What a person does, after a first name that is also a word; nature's words are left out.
_DID_AFTER = re.compile(
    r"\s+(?i:og\s+(?:hans|hendes)\s+(?:kone|mand|kæreste|søn|datter|børn|familie)|"
    r"har\s+(?:(?:lige|også|selv)\s+)?(?:fået|slået|sagt|lovet|klaget|fundet|hørt|ringet|"
    r"skrevet|bygget|lavet|malet|samlet|spurgt|startet|hjulpet))\b"
)
_NATURE = {"storm", "sol", "frost", "sommer", "vinter", "lykke", "due", "rose", "ask", "birk"}
_NATURE |= {"ravn", "ulv", "bjørn", "sne", "regn", "vind", "skov", "eg", "lind", "dag", "håb"}


# Where only a person stands, even one whose name is a word: "mig og storm var", "det var
# kim der fandt katten", "sagde lærke at", "hvad ravn mener".
# Each opening but "mig og" needs its closing after the name.
_PERSON_BEFORE_WORD = re.compile(
    r"(?i:\b(?:mig|jeg)\s+(?P<me>og)|\bdet\s+(?P<var>var)|\b(?P<sagde>sagde)|\b(?P<hvad>hvad))\s+$"
)
_PERSON_AFTER_WORD = {
    "var": re.compile(r"\s+(?i:der|som)\b"),
    "sagde": re.compile(r"\s+(?i:at)\b"),
    "hvad": re.compile(r"\s+(?i:mener|synes|siger|tror|sagde)\b"),
}
# "storm og jeg var …", "olga og hendes datter"
_AND_I = re.compile(rf"\s+(?i:og\s+(?:jeg|mig|(?:hans|hendes)\s+(?:{_RELATIONS})))\b")


def _person_by_place(reader: Reader, i: int) -> bool:
    """Word i, a known first name, stands where only a person does."""
    word, text = reader.words[i], reader.text
    low = word.text.lower()
    if low in _FUNCTION_WORDS or low in reader.names.stop_words:
        return False
    before = _PERSON_BEFORE_WORD.search(text, max(0, word.start - 12), word.start)
    if before is None:
        return _AND_I.match(text, word.end) is not None
    opening = before.lastgroup or ""
    return opening == "me" or _PERSON_AFTER_WORD[opening].match(text, word.end) is not None


def _lower_case_name_in_context(reader: Reader, i: int) -> bool:
    """A known first name Whisper wrote in lower case, where names stand: "talte jeg med
    camilla", "camilla og jeg", "bente sagde"."""
    word, names = reader.words[i], reader.names
    if not names.is_first_name(word.text) or names.is_word(word.text) or len(word.text) < 3:
        return False
    if reader.public(i):
        return False  # "fra 1. marts"
    before = reader.words[i - 1].text.lower() if i > 0 else ""
    if before in _NAME_BEFORE or _NAME_AFTER.match(reader.text, word.end):
        return True
    return _and_known_name(reader, i)


_DANISH_ENDINGS = ("sen", "søn", "gaard", "gård", "strup", "rup")


def _danish_surname(reader: Reader, i: int) -> bool:
    """A Danish surname from the list alone: a name however it is said ("Larsen ovenpå",
    "jensen på anden sal", "Hansen-Bach"); "Bussen" and "Prisen" are on no list of names."""
    word = reader.words[i].text
    first = word.split("-")[0].lower()
    return (
        first.endswith(_DANISH_ENDINGS)
        # two letters at least before the ending: "Rup" alone is none
        and any(first.endswith(end) and len(first) >= len(end) + 2 for end in _DANISH_ENDINGS)
        and _listed_surname(reader, i)
    )


def _listed_surname(reader: Reader, i: int) -> bool:
    """Word i is a surname on the list, and no ordinary word, public name or place."""
    word = reader.words[i].text
    return (
        reader.names.is_surname(word)
        and not reader.names.is_word(word)
        and not reader.public(i)
        and not reader.place_follows(i)
    )


_HAS_DONE = re.compile(r"\s+(?i:har|havde|has|had)\s+(?:\w+\s+)?\w+(?:et|t|ede|ed)\b")


def _surname_acting(reader: Reader, i: int) -> bool:
    """A surname from the list, alone and inside a sentence, where a person acts or is
    placed: "Holst har sendt et brev", "Brix fra ejendomskontoret"."""
    word = reader.words[i]
    return (
        word.capitalised
        and not word.initial
        and not reader.words[i - 1].capitalised  # "Aarhus Vest har …": part of a place
        and not reader.names.is_first_name(word.text)
        and _listed_surname(reader, i)
        and (
            _NAME_AFTER.match(reader.text, word.end) is not None
            or _DID_AFTER.match(reader.text, word.end) is not None
            or _HAS_DONE.match(reader.text, word.end) is not None
        )
    )


def _and_known_name(reader: Reader, i: int) -> bool:
    """ "hanne og jens": another known first name joined by "og"."""
    words, names = reader.words, reader.names
    return (
        i + 2 < len(words)
        and words[i + 1].text.lower() in ("og", "and")
        and names.is_first_name(words[i + 2].text)
        and not names.is_word(words[i + 2].text)
    )


# "Per Holm hedder jeg", "Anna er mit navn": the name before an inverted formula.
_FORMULA_AFTER = re.compile(
    r",\s+(?i:(?:det\s+er\s+det\s+|som\s+)?vi\s+kalder\s+(?:ham|hende)|kalder\s+vi\s+(?:ham|hende))|"
    r"\s+(?i:hedder\s+jeg|hedder\s+(?:han|hun)|er\s+mit\s+(?:for|efter)?navn|is\s+my\s+name|"
    r"is\s+the\s+name|vi\s+kalder\s+(?:ham|hende)|kalder\s+vi\s+(?:ham|hende)|"
    r"jeg\s+hedder(?=\s*,|\.(?!\.))|kalder\s+(?:de|folk|alle)\s+mig|they\s+call\s+me)\b|"
    # "Storm hedder min søn", "Villum og Ask hedder mine tvillinger"
    rf"\s+(?i:hedder|hed)\s+(?i:min|mit|mine|vores)\s+(?:(?i:{_RELATIONS})|(?i:tvillinger|børn|"
    rf"drenge|piger|sønner|døtre|naboer|forældre))\b"
)


def _name_then_formula(reader: Reader) -> list[Span]:
    spans = []
    for i, word in enumerate(reader.words):
        if not _FORMULA_AFTER.match(reader.text, word.end):
            continue
        first = i
        while (
            first >= 0
            and i - first < 3
            and (_could_be_name(reader, first) or _opens_with_a_name(reader, first))
        ):
            if first < i and not reader.next_to(first):
                break
            first -= 1
        if first < i:
            spans.append(Span(reader.words[first + 1].start, word.end, Kind.NAME))
        elif (
            word.initial
            and word.text.lower() not in _NEVER_ALONE
            and (
                word.text.lower() not in reader.names.stop_words or reader.names.is_name(word.text)
            )
        ):
            # "glad hedder jeg, … Glad"; "Due hedder jeg": a name that is a stop word too
            spans.append(Span(word.start, word.end, Kind.NAME))
    return spans


# Pronouns and determiners that the name lists hold too ("Han", "Den"): never a name alone.
_NEVER_ALONE = {"han", "hun", "den", "det", "de", "der", "dem", "jeg", "du", "vi", "man", "min"}
_NEVER_ALONE |= {"din", "sin", "en", "et", "i", "hans", "som", "alle", "mange", "nogle", "ingen"}


def _could_be_name(reader: Reader, i: int) -> bool:
    word = reader.words[i]
    low = word.text.lower()
    if reader.public(i) or low in _NEVER_ALONE or low in _INTERJECTIONS:
        return False  # "Hej jeg hedder, …"
    if low in reader.names.stop_words and not (
        word.capitalised and reader.names.is_first_name(low)
    ):
        return False
    return word.capitalised or (
        reader.names.is_name(word.text) and not reader.names.is_word(word.text)
    )


def _opens_with_a_name(reader: Reader, i: int) -> bool:
    """ "hans henrik hedder jeg": a first name that is also a word, where a sentence begins."""
    word = reader.words[i]
    return word.initial and reader.names.is_first_name(word.text)


# "Bo fra afdelingsbestyrelsen", "bjørn fra nummer 9": a first name, then where they are from.
_FROM_WHERE = re.compile(
    r"\s+(?i:fra|from)\s+(?:(?i:nummer|nr\.?|number|no\.?)\s*\d|(?i:the)\s+\w|"
    r"[a-zæøå]{3,}(?:en|et|erne|ene)\b)"
)


_INITIALS = re.compile(
    r"(?<![\w.])[A-ZÆØÅ]\.\s?[A-ZÆØÅ]\.(?:\s?[A-ZÆØÅ]\.)?(?=\s+(?i:fra|from|siger|sagde|says|said|"
    r"har\s+(?:sagt|skrevet|klaget)|på\s+\d|i\s+nummer))"
)


_CAPS_AFTER = re.compile(
    r"\b(?i:det\s+er(?:\s+fra)?|hilsen|mvh|kh)\s+(?P<name>[A-ZÆØÅ]{2,3})\b(?=\s+(?:i|fra|på)\s+[A-ZÆØÅ]|[,.]|$)"
)


def _from_somewhere(reader: Reader) -> list[Span]:
    spans = [Span(m.start(), m.end(), Kind.NAME) for m in _INITIALS.finditer(reader.text)]
    spans += [
        Span(m.start("name"), m.end("name"), Kind.NAME)
        for m in _CAPS_AFTER.finditer(reader.text)
        if not reader.names.is_public(m.group("name"))
    ]
    spans = [s for s in spans if not any(a <= s.start < b for a, b in reader.masked)]
    for i, word in enumerate(reader.words):
        match = _FROM_WHERE.match(reader.text, word.end)
        if match is None or reader.public(i) or not reader.names.is_first_name(word.text):
            continue
        if word.text.lower() in _FUNCTION_WORDS | _NEVER_ALONE:
            continue
        numbered = match.group().lstrip().lower().split()[1][:2] in ("nu", "nr", "no")
        if numbered and not word.capitalised and _a_thing(reader, i):
            continue  # "den røde bil fra nummer 3": a word with its article is no name
        if word.capitalised or numbered or not reader.names.is_word(word.text):
            spans.append(Span(word.start, word.end, Kind.NAME))
    return spans


_ARTICLES = {"den", "det", "de", "en", "et", "min", "mit", "din", "dit", "sin", "sit", "vores"}
_ARTICLES |= {"jeres", "deres", "hans", "hendes", "the", "a", "an", "my", "his", "her", "our"}


def _a_thing(reader: Reader, i: int) -> bool:
    """An article or a possessive one or two words before: "den røde bil", "min cykel"."""
    before = [w.text.lower() for w in reader.words[max(0, i - 2) : i]]
    return any(w in _ARTICLES for w in before)


# "Kaas med to a'er", "Bakgaard med dobbelt-a", "Kasper som i navnet": a name spelled out.
# "Kaas med to a'er", "Line med et i": not "Stop med at …" ("med a" and a "t").
_SPELLING_AFTER = re.compile(
    r"[,]?\s+(?:(?i:med|with)\s+[A-ZÆØÅ](?=\s*[,.]|\s+(?:og|and)\b)|(?i:med|with)\s+(?i:to|tre|dobbelt|double|two|et|ét|én|one|a|an|stort|"
    r"lille|capital)[\s-]+[a-zæøåA-ZÆØÅ](?:['\u2019]?(?:er|s|es))?\b|"
    r"(?i:som\s+i\s+navnet|like\s+the\s+name|as\s+in\s+the\s+name))"
)


def _spelled_again(reader: Reader) -> list[Span]:
    return _followed_by(reader, _SPELLING_AFTER, initial=True)


def _joined_to(reader: Reader, spans: list[Span]) -> list[Span]:
    """ "Birgit og Aksel": a capitalised word joined by "og" to a name found is a name, on
    either side of it ("Mille og Oskar"); so is a word on no list in lower case before a
    known one after "det er" ("det er mickel og jonathan")."""
    words = reader.words
    ending = {word.end: k for k, word in enumerate(words)}
    joined = []
    for span in spans:
        if span.end in ending:
            joined += _and_another(reader, ending[span.end])
        k = reader.at.get(span.start)
        if k is None or k < 2 or words[k - 1].text not in ("og", "and"):
            continue
        if not (reader.next_to(k - 2) and reader.next_to(k - 1)):
            continue
        before = words[k - 2]
        said = re.search(r"(?i:det\s+er|it's|this\s+is)\s+$", reader.text[: before.start])
        lower = not before.capitalised and said and not reader.names.is_word(before.text)
        inside = not before.initial or reader.names.is_first_name(before.text)  # "Bitten og Søren"
        upper = before.capitalised and inside and not reader.public(k - 2)
        if (upper and not PLACE_WORDS.fullmatch(before.text)) or (lower and len(before.text) > 2):
            joined.append(Span(before.start, before.end, Kind.NAME))
    return joined


def _restarted(reader: Reader, spans: list[Span]) -> list[Span]:
    """ "øh per... Per Holm hedder jeg", "Anna, Anna Berg": the name begun twice."""
    found = []
    for span in spans:
        first = reader.at.get(span.start)
        if first is None or first == 0:
            continue
        before, name = reader.words[first - 1], reader.words[first]
        gap = reader.text[before.end : name.start]
        if before.text.lower() == name.text.lower() and re.fullmatch(r"[\s.,…-]+", gap):
            found.append(Span(before.start, before.end, Kind.NAME))
    return found
