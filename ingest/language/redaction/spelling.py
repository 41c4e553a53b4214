"""Names spelled out letter by letter: "det staves K-I-M", "B, R, O, D, E, R", "k, i, m"."""

import re

from ingest.language.redaction.lists import lists
from ingest.language.redaction.reader import WORD
from ingest.language.redaction.spans import Kind, Span

_SPELL_CUE = re.compile(
    r"\b(?i:staves|stavet|staver|stavede|bogstaveret|spelled|spelt|spell\s+it|spells)"
    r"(?:\s+(?i:med|with|som|as|det|it|:))*[,:]?\s*"
)
_LETTERS = r"[A-Za-zÆØÅæøå](?:(?:\s*[-,.]\s*|\s+)[A-Za-zÆØÅæøå](?![\wæøå]))"
_SPELLED_AFTER_CUE = re.compile(rf"{_LETTERS}+")
_SPELLED_ANYWHERE = re.compile(
    r"\b[A-ZÆØÅ](?:(?P<sep>\s*[-,.]\s*|\s+)[A-ZÆØÅ]\b){3,}(?:(?P=sep)[A-ZÆØÅ]\b)*"
)
_SPELLED_THREE = re.compile(r"\b[A-ZÆØÅ]-[A-ZÆØÅ]-[A-ZÆØÅ]\b")
# "b-r-o-d-e-r", "k, i, m": lower-case letters spelled with dashes or commas.
_SPELLED_LOWER = re.compile(
    r"(?<![\wæøå-])[a-zæøå](?:(?P<sep>-|,\s)[a-zæøå](?![\wæøå])){3,}(?:(?P=sep)[a-zæøå]\b)*"
)


def spelled(text: str) -> list[Span]:
    spans = []
    for cue in _SPELL_CUE.finditer(text):
        letters = _SPELLED_AFTER_CUE.match(text, cue.end())
        if letters:
            spans.append(Span(letters.start(), letters.end(), Kind.NAME))
        # "Kim, det staves K-I-M": the name before the spelling is the same name.
        before = re.search(
            r"([A-ZÆØÅ][\wæøå'-]+)[,.]?\s+(?:(?i:det|it's|it\s+is)\s+)?$", text[: cue.start()]
        )
        if before and letters and before.group(1).lower() not in lists().stop_words:
            spans.append(Span(before.start(1), before.end(1), Kind.NAME))  # not "Det staves"
    spans += [Span(m.start(), m.end(), Kind.NAME) for m in _SPELLED_ANYWHERE.finditer(text)]
    # "det er Kim, K-I-M": three letters spelled with dashes, when they spell a word said.
    three = list(_SPELLED_THREE.finditer(text))
    said = {w.lower() for w in WORD.findall(text)} if three else set()
    spans += [
        Span(m.start(), m.end(), Kind.NAME)
        for m in three
        if m.group().replace("-", "").lower() in said
    ]
    spans += [Span(m.start(), m.end(), Kind.NAME) for m in _SPELLED_LOWER.finditer(text)]
    spans += [Span(m.start(), m.end(), Kind.NAME) for m in _BY_WORDS.finditer(text)]
    for m in _WITH_LETTERS.finditer(text):
        word = _WORD_BEFORE.search(text, max(0, m.start() - 6), m.start())
        told = re.sub(r"(?i:\b(?:et|en|an|a|og|and)\b)|[\s,]", "", m.group("letters"))
        if word is not None and told.lower() == word.group(1).lower():
            spans.append(Span(word.start(1), word.end(1), Kind.NAME))
    return spans


# "bo med et b og et o", "Ea, with an e and an a": a short name told by its letters.
_LETTER = r"(?:(?i:et|en|an|a)\s+)?[a-zæøåA-ZÆØÅ](?![\wæøå'])"
_WITH_LETTERS = re.compile(
    rf"(?<=[\wæøå]),?\s+(?i:med|with)\s+"
    rf"(?P<letters>{_LETTER}(?:\s*(?:,|(?i:og|and))?\s*{_LETTER}){{1,4}})"
)
_WORD_BEFORE = re.compile(r"(?<![\wæøå])([\wæøå]{2,5})$")


# "K som i Karl, I som i Ida, M som i Mette", "B as in Bravo, O as in Oscar": letters
# spelled by words, two or more in a row.
_LETTER_BY_WORD = r"\b[A-Za-zÆØÅæøå]\s+(?i:som\s+i|as\s+in|like)\s+[A-ZÆØÅa-zæøå][\wæøå]+"
_BY_WORDS = re.compile(rf"{_LETTER_BY_WORD}(?:[,.]?\s+(?:(?i:og|and)\s+)?{_LETTER_BY_WORD})+")
