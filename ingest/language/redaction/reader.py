"""The words of one transcript, read for names: which begin a sentence, which are public
(places, institutions, offices), which the name lists know, and how far a name runs."""

import re
from typing import NamedTuple

from ingest.language.redaction.lists import Lists, lists
from ingest.language.redaction.spans import Kind, Span

# A word; not the ending Danish writes after a number ("13'eren" is bus line 13).
WORD = re.compile(r"(?<!\d['\u2019])[^\W\d_][\w'\u2019]*(?:-[^\W\d_][\w'\u2019]*)*")
_OPENERS = " \t\"'«»(\u2014\u2013-"  # what may stand before the first word of a text
_SENTENCE_BREAK = re.compile(r"[.!?:…\n]")
_PARTICLE_NAME = re.compile(
    r"(?i:al|el|abu|bin|ibn|ben|van|von|de|da|di|mc|mac|o)[-'\u2019][^\W\d_]{2,}"
)
# Particles that are no Danish word: only these lead to a name in lower case ("mohammad al
# hassan"; "nadia de bor" is "Nadia, they live"). "thi", "văn": Vietnamese middle names.
_LOWER_PARTICLES = {"al", "el", "bin", "ibn", "abu", "van", "von", "thi", "thị", "văn"}
_PARTICLES = _LOWER_PARTICLES | {"der", "den", "de", "da", "di", "du", "la", "le", "dos", "das"}
_PARTICLES |= {"do", "del", "della", "ten", "ter", "zu", "op"}
# The plainest endings of a street's name: "Skovvangsvej", "Åboulevarden"; not "Østergaard",
# a name that ends like a farm.
STREET_ENDING = (
    r"(?:vej|vejen|gade|gaden|allé|alle|alléen|stræde|strædet|plads|pladsen|torv|torvet|"
    r"boulevard|boulevarden|vænget|vænge|ringen|stien|havn|havnen)"
)
# What a caller says to put right what they just said: "Frederiks Allé 90, nej 80".
CORRECTING = r"nej|undskyld|sorry|I\s+mean|jeg\s+mener"
PLACE_WORDS = re.compile(
    r"(?i:vej|vejen|gade|gaden|allé|alle|torv|torvet|plads|pladsen|boulevard|stræde|"
    r"skole|skolen|kirke|kirken|park|parken|hus|huset|hallen|hal|center|centret|centeret|"
    r"hospital|gymnasium|bibliotek|biblioteket|kollegium|kollegiet|street|road|lane|"
    r"avenue|square|school|church|hall|park|college|university|universitet|museum|"
    r"stadion|station|stationen|observatoriet|observatorium|teatret|teater|museet|"
    r"gymnasiet|seminariet|akademiet|instituttet|hospitalet|klinikken|biografen|anlægget|"
    r"badet|svømmehallen|kirkegården|bryggeriet|bar|baren|café|cafe|caféen|pizza|pizzeria|kiosk|"
    r"kiosken|grill|bistro|salon|bageri|bageriet|frisør|restaurant|bodega|værtshus|butik|"
    r"butikken|shop|marked|bryghus|hotel|hotellet)"
)
# A name after these is a saint's or a monarch's (streets, feasts: "Sankt Hans", "Kong
# Christian"), a national figure's or the mayor's ("statsminister …", "borgmester …": one
# person holds the office), a storm's ("stormen Bodil") or a pet's;
# people of the city are hidden whatever their office (_ROLES).
_PUBLIC_BEFORE = re.compile(
    r"(?i:sankt|skt\.?|st\.?|kong|dronning|prins|prinsesse|king|queen|saint|minister|"
    r"kongen|dronningen|prinsen|prinsessen|kronprins|kronprinsen|kronprinsesse|"
    r"ministeren|statsminister|statsministeren|folketingsmedlem|president|præsident|biskop|"
    r"borgmester|borgmesteren|mayor|"
    r"stormen|stormene|orkanen|hurricane|storm|"
    # a pet's name is no one's personal data: "vores hund Bella"
    r"hund|hunden|kat|katten|hvalp|hvalpen|killing|hest|hesten|kanin|kaninen|dog|cat|puppy|"
    r"kitten|horse|rabbit|"
    # a ship's or a boat's: "træskibet Jens Krogh"
    r"skibet|træskibet|båden|færgen|skib|ship|boat|ferry|skonnerten|kutteren)$"
)


def thing_compound(word: str) -> bool:
    """A name joined to a common noun: "Johan-svampene", "Steiner-skolen", "Lykke-Per" is
    none (both parts capitalised)."""
    parts = word.split("-")
    return len(parts) > 1 and parts[-1][:1].islower()


_SLAVIC_ENDINGS = ("ić", "ic", "vić", "vic", "ović", "ovic", "evic", "ević")


def starts_sentence(text: str, position: int) -> bool:
    """Only spaces, or the end of a sentence, stand before `position`."""
    i = position
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i == 0 or text[i - 1] in ".!?:"


def surname_shaped(word: str) -> bool:
    """A surname by its ending, on a list or not: "Brodersen", "Damgaard", "Hodžić",
    "Hodsic" (South Slavic, as Whisper writes it)."""
    low = word.lower()
    return word[0].isupper() and len(word) > 5 and low.endswith(_SURNAME_ENDINGS + _SLAVIC_ENDINGS)


_SURNAME_ENDINGS = ("sen", "gaard", "gård")


class Word(NamedTuple):  # a tuple: a transcript makes hundreds of them
    start: int
    end: int
    text: str
    initial: bool  # begins a sentence
    capitalised: bool


def _words(text: str) -> list[Word]:
    found, previous_end = [], 0
    for match in WORD.finditer(text):
        gap = text[previous_end : match.start()]
        initial = (gap != " " or previous_end == 0) and (
            (previous_end == 0 and not gap.strip(_OPENERS)) or bool(_SENTENCE_BREAK.search(gap))
        )
        word = match.group()
        found.append(Word(match.start(), match.end(), word, initial, word[0].isupper()))
        previous_end = match.end()
    return found


def _public_mask(text: str, words: list[Word], names: Lists) -> list[tuple[int, int]]:
    """Where public phrases ("Sankt Hans Torv", "Aarhus Kommune") stand in the text. Tried
    only where a phrase's first word stands: the alternation of them all is slow to scan."""
    found: list[tuple[int, int]] = []
    for word in words:
        if (found and word.start < found[-1][1]) or word.text.lower() not in names.phrase_starts:
            continue
        match = names.public_phrases.match(text, word.start)
        if match is not None:
            found.append((match.start(), match.end()))
    return found


class Reader:
    """The words of one transcript, with what the lists say of each."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.names = lists()
        self.words = _words(text)
        self.at = {w.start: i for i, w in enumerate(self.words)}
        self.masked = _public_mask(text, self.words, self.names)

    def public(self, i: int) -> bool:
        word = self.words[i]
        if self.names.is_public(word.text) or any(a <= word.start < b for a, b in self.masked):
            return True
        # The role stands before the first name; the surname goes with it.
        if i > 0 and _PUBLIC_BEFORE.match(self.words[i - 1].text):
            return True
        return (
            i > 1
            and self.words[i - 1].capitalised
            and _PUBLIC_BEFORE.match(self.words[i - 2].text) is not None
        )

    def next_to(self, i: int) -> bool:
        """Word i+1 follows word i with only a space between."""
        return i + 1 < len(self.words) and self.text[
            self.words[i].end : self.words[i + 1].start
        ] in (" ", "  ")

    def place_follows(self, i: int) -> bool:
        """A street or building type after the words: "Jens Baggesens Vej", "Karen Blixens
        Boulevard", "Sankt Lukas Kirke" name places."""
        return self.next_to(i) and bool(PLACE_WORDS.fullmatch(self.words[i + 1].text))

    def surname(self, i: int) -> bool:
        """A surname from the list, or a Danish one in -sen ("Brodersen")."""
        word = self.words[i].text
        if self.public(i) or self.names.is_word(word):
            return False
        return self.names.is_surname(word) or surname_shaped(word)

    def surname_like(self, i: int) -> bool:
        if _PARTICLE_NAME.fullmatch(self.words[i].text):
            return True  # "el-khatib", "al-hassan"
        word = self.words[i].text
        if self.public(i) or self.names.is_word(word):
            return False
        # by its shape only when written as a name: "og bussen" is a bus, "og Bussen" may not be
        return self.names.is_name(word) or (self.words[i].capitalised and surname_shaped(word))

    def extend(self, i: int, lower_ok: bool) -> int:
        """The last word of a name beginning at word i: capitalised words (or known names,
        where the transcript writes names in lower case) and particles ("van der")."""
        j = i
        while j - i < 3 and (self.next_to(j) or self._initial_between(j)):
            k = j + 1
            word = self.words[k]
            if len(word.text) == 1 and word.text.isupper() and self._initial_between(j):
                j = k + 1  # "Lise K. Dahl": a middle initial and the surname after it
                continue
            if word.text.lower() in _PARTICLES and self.next_to(k):
                last = k  # "van der Berg": particles in a row, then the name
                while (
                    last + 1 < len(self.words) and self.words[last + 1].text.lower() in _PARTICLES
                ):
                    last += 1
                after = self.words[last + 1] if last + 1 < len(self.words) else None
                # "mohammad al hassan", "nguyen van duc": in lower case where names are
                lower = (
                    after is not None
                    and lower_ok
                    and all(w.text.lower() in _LOWER_PARTICLES for w in self.words[k : last + 1])
                    and after.text.isalpha()
                    and after.text.lower() not in self.names.stop_words
                )
                if (
                    after is not None
                    and self.next_to(last)
                    and (after.capitalised or lower)
                    and not self.public(last + 1)
                ):
                    j = last + 1
                    continue
                break
            if PLACE_WORDS.fullmatch(word.text) or thing_compound(word.text):
                break  # "Jens Baggesens Vej", "Karl Johan-svampene": a street, a thing
            spelling = k + 1 < len(self.words) and len(self.words[k + 1].text) == 1
            if len(word.text) == 1 and word.text.islower() and spelling:
                break  # "fadumo f a d u m o": the name spelled after it
            initial = len(word.text) == 1 and word.text.lower() not in "iaoåeyu"  # not "i", "a"
            if initial and re.match(r"[,.]|\s*$", self.text[word.end : word.end + 1]):
                j = k  # "camilla d,": an initial after the name
                break
            capitalised = word.capitalised and not word.initial and not self.public(k)
            lower = lower_ok and not word.capitalised
            # "bjarne skov": a surname that is also a word, after a name that is none
            worded = lower and self.names.is_surname(word.text) and j == i
            worded = worded and not self.names.is_word(self.words[i].text)
            # "jeg hedder lasse mølgaard": a surname by its ending, in lower case
            shaped = lower and surname_shaped(word.text.capitalize())
            if not (capitalised or (lower and self.surname_like(k)) or worded or shaped):
                break
            j = k
        return j

    def _initial_between(self, j: int) -> bool:
        """Word j+1 is one capital letter with a full stop, and a capitalised word follows."""
        k = j + 1
        return (
            k + 1 < len(self.words)
            and self.text[self.words[j].end : self.words[k].start] == " "
            and len(self.words[k].text) == 1
            and self.words[k].text.isupper()
            and self.text[self.words[k].end : self.words[k + 1].start] == ". "
            and self.words[k + 1].capitalised
        )

    def span(self, i: int, j: int) -> Span | None:
        thing = self.next_to(j) and thing_compound(self.words[j + 1].text)
        if self.place_follows(j) or thing:
            return None
        return Span(self.words[i].start, self.words[j].end, Kind.NAME)
