"""Names that callers give themselves: "jeg hedder …", "mit navn er …", "my name is …"."""

import re

from ingest.language.redaction.spans import Kind, Span

_CUE = re.compile(
    r"\b(?:jeg\s+hedder|mit\s+navn\s+er|navnet\s+er|my\s+name\s+is|my\s+name's|"
    r"i'm\s+called|i\s+am\s+called)\s+",
    re.IGNORECASE,
)
# Weaker cues: only a capitalised word after them counts ("I am Tom", not "I am happy").
_WEAK_CUE = re.compile(r"\b(?i:i\s+am|i'm|jeg\s+er)\s+(?=[A-ZÆØÅ])")
_NOT_A_NAME_CAPITALISED = {"I", "Danish", "English", "Dansk", "Danske", "Dane"}
_CAPITALISED = re.compile(r"[A-ZÆØÅ][\wæøåÆØÅ'-]*")
_WORD = re.compile(r"[\wæøåÆØÅ'-]+")
_NOT_A_NAME = {"ikke", "bare", "også", "altså", "og", "not", "just", "also", "and", "a", "the"}


def find(text: str) -> list[Span]:
    spans = []
    cues = [(cue, True) for cue in _CUE.finditer(text)]
    cues += [(cue, False) for cue in _WEAK_CUE.finditer(text)]
    for cue, strong in cues:
        position, end, words = cue.end(), cue.end(), 0
        while words < 3:
            word = _CAPITALISED.match(text, position)
            if word is None or word.group() in _NOT_A_NAME_CAPITALISED:
                break
            end, words = word.end(), words + 1
            gap = re.match(r"[ ]+", text[end:])
            if gap is None:
                break
            position = end + gap.end()
        if words == 0 and not strong:
            continue
        if words == 0:  # a name Whisper did not capitalise: take one word
            word = _WORD.match(text, cue.end())
            if word is None or word.group().lower() in _NOT_A_NAME:
                continue
            end = word.end()
        spans.append(Span(cue.end(), end, Kind.NAME))
    return spans
