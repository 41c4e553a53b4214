"""Redaction against corpora of realistic transcripts, each measured on its own.

- Development corpora, whose lines the rules may be fitted to; a failure prints the lines:
  `redaction_corpus.txt` (written beside the rules), `redaction_dev2.txt`,
  `redaction_dev3.txt` to `redaction_dev14.txt` (each written later without sight of the
  rules, then used to improve them; the fourth leans on numbers and addresses, the fifth on
  CPR numbers, e-mail addresses and names, the sixth on names in passing and phone numbers,
  the seventh on long messages, newcomers' speech and addresses, the eighth on hard ordinary
  talk, the ninth on callers of many kinds and names said every way; the tenth holds only
  ordinary lines; the eleventh was asked for what a careful program still gets wrong, the
  twelfth for twelve kinds of callers each in their own way of speaking, the thirteenth for
  speech as Whisper garbles it, the fourteenth for third parties named every way), then
  `redaction_dev15.txt` (e-mail addresses and phone numbers said on a bad line),
  `redaction_dev16.txt` (people named in passing in long messages, hard ordinary lines) and
  `redaction_dev17.txt` (callers not fluent in Danish or switching languages, the elderly
  and children), `redaction_dev18.txt` (names said every way), `redaction_dev19.txt` (a
  week of calls), `redaction_dev20.txt` (secrets said in unusual ways, ordinary lines a
  careless program would damage), `redaction_dev21.txt` (e-mail addresses, CPR numbers and
  addresses as ordinary callers give them), `redaction_dev22.txt` (private persons named in
  everyday civic messages, ordinary lines full of public names), `redaction_dev23.txt` (long
  rambling messages), `redaction_dev24.txt`
  (young people switching between Danish and English), `redaction_dev25.txt` (older Danes
  dictating slowly), `redaction_dev26.txt` (a month's mix of calls), `redaction_dev27.txt`
  (people named in passing, in lower case, names that are words), `redaction_dev28.txt`
  (numbers as people say them on the phone), `redaction_dev29.txt` (e-mail addresses and
  names as Whisper mangles them), `redaction_dev30.txt` (addresses and CPR numbers as
  ordinary Danes give them), `redaction_dev31.txt` (newcomers to Aarhus),
  `redaction_dev32.txt` (ordinary talk full of public names), `redaction_dev33.txt`
  (personal data spread over a message), `redaction_dev34.txt` (English and mixed calls),
  `redaction_dev35.txt` (e-mail addresses given every way), `redaction_dev36.txt` (other
  people named in passing), `redaction_dev37.txt` (CPR and phone numbers said aloud),
  `redaction_dev38.txt` (a month of calls on the city's themes), `redaction_dev39.txt`
  (people whose names are words), `redaction_dev40.txt` (data given for someone else),
  `redaction_dev41.txt` (newcomers in their own languages), `redaction_dev42.txt` (long
  wandering messages), `redaction_dev43.txt` (teenagers and students), `redaction_dev44.txt`
  (callers over 75), `redaction_dev45.txt` (e-mail addresses said aloud on a bad line),
  `redaction_dev46.txt` (private persons named in passing), `redaction_dev47.txt` (a year of
  calls), `redaction_dev48.txt` (callers who hesitate, correct themselves and spell),
  `redaction_dev49.txt` (several people named in one message), `redaction_dev50.txt`
  (several kinds of data at once), `redaction_dev51.txt` (e-mail addresses of every shape),
  `redaction_dev52.txt` (an autumn of calls from all over Aarhus), `redaction_dev53.txt` (a
  spring of calls), `redaction_dev54.txt` (on behalf of others), `redaction_dev55.txt`
  (Whisper on a bad line), `redaction_dev56.txt` (complaints and praise about named
  people), `redaction_dev57.txt` (phone numbers and e-mail addresses spelled, corrected and
  broken up), `redaction_dev58.txt` (people named in passing in long complaints),
  `redaction_dev59.txt` (addresses and CPR numbers in pieces), `redaction_dev60.txt` (a week
  of ordinary calls), `redaction_dev61.txt` (persons of every origin named in passing),
  `redaction_dev62.txt` (the western districts), `redaction_dev63.txt` (numbers half in
  digits, half in words), `redaction_dev64.txt` (associations, businesses and families:
  desks and persons), `redaction_dev65.txt` and `redaction_dev66.txt` (older callers
  dictating addresses, numbers and e-mail addresses in words), `redaction_dev67.txt`
  (addresses given every way), `redaction_dev68.txt` (an ordinary week, people named
  casually), `redaction_dev69.txt` (organisations' public contact details beside their
  members' private ones), `redaction_dev70.txt` (people named in passing in lower case),
  `redaction_dev71.txt` (numbers read out in words beside years and prices in words),
  `redaction_dev72.txt` (English and mixed calls), and `redaction_dev73.txt` to
  `redaction_dev96.txt` (73 associations, shops and housing boards: desks beside members; 74
  older callers dictating in words; 75 third parties named in complaints and praise; 76
  ordinary lines full of numbers; 77 spelled letter by letter; 78 a winter in the northern
  and eastern districts; 79 Whisper at its worst; 80 someone else's details; 81 ordinary
  lines hard for a program; 82 international students and workers; 83 addresses with floors,
  rooms and c/o; 84 several persons named in long messages; 85 a spring in the western
  districts; 86 numbers in pieces across a message; 87 names that are also words; 88 e-mail
  addresses said every way beside public ones; 89 short hurried messages; 90 homes and
  neighbours' homes described; 91 staff named beside public figures; 92 young people,
  handles and slang; 93 details given slowly and corrected; 94 a summer by the harbour; 95
  family named by relation; 96 newcomers in a second language; 97 callers correcting
  themselves; 98 landlords and neighbours named in passing; 99 Whisper on a noisy line; 100
  older callers in the villages; 101 students mixing English and Danish; 102 clubs' public
  details beside private ones; 103 families; 104 health and home care; 105 schools, daycare
  and sports clubs; 106 numbers of every kind side by side; 107 names from many
  backgrounds; 108 CPR numbers and birth dates every way; 109 e-mail addresses said aloud;
  110 long messages with a detail in passing; 111 names in lower case, misspelled or words;
  112 addresses told in pieces; 113 a winter; 114 phone numbers every way; 115 work and
  volunteering; 116 details read out as for a form; 117 digits and number words mixed in one
  number; 118 addresses dictated for a letter). A
  development corpus whose last misses no rule covers yet is an expected failure with a
  floor, as a held-out one is (`NOT_YET_COMPLETE`).
- Held-out corpora, written without sight of the rules and never tuned against; a failure
  prints only figures (overall and per section heading), never a line, so the rules cannot
  be fitted to them case by case: `redaction_heldout.txt` to `redaction_heldout58.txt`. The
  first is at 100%; until the others are, their test is an expected failure, and no held-out
  recall may fall below, nor its damage rise above, what it last was (`FLOORS`).

Both use one format: `#` comments, `## ` section headings, ⟦…⟧ around each secret; a line
without marks must come out unchanged. For each corpus every secret must be hidden whole
(100% recall) and at most 5% of the ordinary lines may change. `pytest -s` prints the figures.
"""

import functools
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ingest.language.redaction import apply, find_spans, find_suspects
from ingest.language.redaction.corpus import cases, covered

DATA = Path(__file__).parents[1] / "data"


def development(n: int) -> Path:
    """Development corpus `n`; the first is the one written beside the rules."""
    return DATA / ("redaction_corpus.txt" if n == 1 else f"redaction_dev{n}.txt")


def held_out(n: int) -> Path:
    return DATA / ("redaction_heldout.txt" if n == 1 else f"redaction_heldout{n}.txt")


DEVELOPMENT = development(1)
DEVELOPMENTS = [development(n) for n in range(1, 119)]
# Development corpora whose last misses no rule here covers yet: each keeps a floor.
NOT_YET_COMPLETE = [development(n) for n in range(13, 119) if n not in {32, 26}]
HELD_OUTS = [held_out(n) for n in range(1, 59)]
# Secrets hidden and ordinary lines changed in each held-out corpus when the rules last
# changed: a change that hides fewer or changes more is a step back, whatever it gains on the
# development corpora. Once, ten held-out corpora were let change one line more each: when
# the learned reader came in (learned.py), hiding 108 more of their secrets. A learned model
# trained again moves single secrets both ways: its floors are rewritten when the held-out
# totals hide more and change fewer lines (with dev69-72: +13 secrets, -5 lines changed,
# while six held-out corpora lost one or two secrets each; with dev73-84, the nearest rule
# span as a feature and a threshold of 0.6: +42 secrets, +5 lines changed on held-out 1-42;
# with dev85-92: +15 secrets, as many lines changed; with dev93-96, on held-out 1-46: +11
# secrets, -2 lines changed; with dev97-107 and the plate and lone-surname rules, on held-out
# 1-50: +15 secrets, +3 lines changed; with dev108-118 and a threshold of 0.45, on held-out
# 1-54: +46 secrets, +8 lines changed).
# The development corpora's figures are the learned reader's own training data since; they
# say only that nothing learned was lost.
FLOORS = {
    held_out(1): (175, 0),
    held_out(2): (153, 1),
    held_out(3): (259, 1),
    held_out(4): (305, 3),
    held_out(5): (319, 2),
    held_out(6): (338, 3),
    held_out(7): (313, 0),
    held_out(8): (292, 3),
    held_out(9): (290, 1),
    held_out(10): (350, 1),
    held_out(11): (341, 4),
    held_out(12): (333, 0),
    held_out(13): (368, 2),
    held_out(14): (323, 3),
    held_out(15): (318, 1),
    held_out(16): (360, 1),
    held_out(17): (352, 1),
    held_out(18): (444, 2),
    held_out(19): (417, 4),
    held_out(20): (370, 1),
    held_out(21): (461, 2),
    held_out(22): (452, 2),
    held_out(23): (355, 4),
    held_out(24): (487, 2),
    held_out(25): (443, 0),
    held_out(26): (372, 1),
    held_out(27): (331, 1),
    held_out(28): (296, 7),
    held_out(29): (311, 1),
    held_out(30): (373, 2),
    held_out(31): (455, 1),
    held_out(32): (276, 2),
    held_out(33): (304, 1),
    held_out(34): (421, 2),
    held_out(35): (379, 0),
    held_out(36): (605, 0),
    held_out(37): (750, 0),
    held_out(38): (424, 5),
    held_out(39): (603, 5),
    held_out(40): (463, 19),
    held_out(41): (379, 0),
    held_out(42): (717, 2),
    held_out(43): (358, 0),
    held_out(44): (470, 0),
    held_out(45): (595, 0),
    held_out(46): (397, 1),
    held_out(47): (390, 1),
    held_out(48): (446, 1),
    held_out(49): (343, 2),
    held_out(50): (481, 9),
    held_out(51): (369, 3),
    held_out(52): (448, 0),
    held_out(53): (360, 1),
    held_out(54): (451, 5),
    held_out(55): (386, 4),
    held_out(56): (543, 2),
    held_out(57): (380, 3),
    held_out(58): (330, 2),
    development(13): (377, 1),
    development(14): (439, 1),
    development(15): (416, 0),
    development(16): (359, 1),
    development(17): (323, 2),
    development(18): (336, 0),
    development(19): (299, 0),
    development(20): (363, 0),
    development(21): (321, 0),
    development(22): (350, 0),
    development(23): (365, 1),
    development(24): (388, 1),
    development(25): (385, 0),
    development(27): (356, 0),
    development(28): (352, 0),
    development(29): (337, 1),
    development(30): (331, 0),
    development(31): (347, 1),
    development(33): (703, 1),
    development(34): (360, 0),
    development(35): (498, 1),
    development(36): (468, 0),
    development(37): (437, 0),
    development(38): (347, 0),
    development(39): (466, 2),
    development(40): (422, 1),
    development(41): (478, 3),
    development(42): (520, 3),
    development(43): (464, 0),
    development(44): (525, 2),
    development(45): (404, 0),
    development(46): (387, 0),
    development(47): (316, 0),
    development(48): (624, 1),
    development(49): (687, 0),
    development(50): (482, 2),
    development(51): (329, 1),
    development(52): (352, 2),
    development(53): (340, 1),
    development(54): (426, 1),
    development(55): (378, 3),
    development(56): (453, 2),
    development(57): (426, 0),
    development(58): (324, 0),
    development(59): (364, 2),
    development(60): (270, 1),
    development(61): (345, 7),
    development(62): (261, 2),
    development(63): (345, 3),
    development(64): (272, 5),
    development(65): (431, 2),
    development(66): (465, 2),
    development(67): (454, 1),
    development(68): (455, 0),
    development(69): (475, 38),
    development(70): (564, 0),
    development(71): (436, 1),
    development(72): (422, 0),
    development(73): (369, 12),
    development(74): (433, 1),
    development(75): (454, 2),
    development(76): (401, 1),
    development(77): (485, 6),
    development(78): (395, 1),
    development(79): (427, 5),
    development(80): (468, 3),
    development(81): (356, 1),
    development(82): (425, 0),
    development(83): (427, 1),
    development(84): (615, 1),
    development(85): (357, 1),
    development(86): (443, 0),
    development(87): (390, 0),
    development(88): (347, 1),
    development(89): (373, 1),
    development(90): (420, 5),
    development(91): (462, 3),
    development(92): (422, 2),
    development(93): (522, 1),
    development(94): (356, 1),
    development(95): (497, 1),
    development(96): (452, 2),
    development(97): (570, 0),
    development(98): (537, 2),
    development(99): (321, 2),
    development(100): (347, 2),
    development(101): (329, 3),
    development(102): (302, 6),
    development(103): (728, 3),
    development(104): (350, 1),
    development(105): (448, 3),
    development(106): (377, 1),
    development(107): (381, 4),
    development(108): (419, 1),
    development(109): (431, 7),
    development(110): (330, 0),
    development(111): (331, 1),
    development(112): (401, 1),
    development(113): (297, 2),
    development(114): (454, 3),
    development(115): (307, 2),
    development(116): (449, 3),
    development(117): (355, 2),
    development(118): (507, 2),
}
MAX_DAMAGE = 0.05


@dataclass
class Figures:
    """Counts for one corpus; `examples` holds lines only when they may be shown."""

    hidden: int = 0
    secrets: int = 0
    changed: int = 0
    ordinary: int = 0
    per_section: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.hidden / self.secrets if self.secrets else 1.0

    @property
    def damage(self) -> float:
        return self.changed / self.ordinary if self.ordinary else 0.0

    def summary(self, name: str) -> str:
        return (
            f"{name}: recall {self.recall:.1%} ({self.hidden}/{self.secrets} secrets hidden), "
            f"damage {self.damage:.1%} ({self.changed}/{self.ordinary} ordinary lines changed)"
        )

    def sections(self) -> str:
        """Per section: secrets missed and ordinary lines changed, counts only."""
        names = sorted({section for section, _ in self.per_section})
        rows = []
        for name in names:
            missed, secrets = self.per_section[name, "missed"], self.per_section[name, "secrets"]
            changed, ordinary = self.per_section[name, "changed"], self.per_section[name, "kept"]
            if missed or changed:
                rows.append(
                    f"  {name or '(no heading)'}: missed {missed}/{secrets}, "
                    f"changed {changed}/{ordinary}"
                )
        return "\n".join(rows)


def measure(corpus: Path, show_lines: bool) -> Figures:
    figures = Figures()
    for case in cases(corpus):
        spans = find_spans(case.text)
        ranges = [(s.start, s.end) for s in spans]
        for start, end in case.secrets:
            figures.secrets += 1
            figures.per_section[case.section, "secrets"] += 1
            if covered(ranges, start, end, case.text):
                figures.hidden += 1
            else:
                figures.per_section[case.section, "missed"] += 1
                if show_lines:
                    figures.examples.append(f"missed {case.text[start:end]!r} in {case.text!r}")
        if not case.secrets:
            figures.ordinary += 1
            figures.per_section[case.section, "kept"] += 1
            published = apply(case.text, spans)
            if published != case.text:
                figures.changed += 1
                figures.per_section[case.section, "changed"] += 1
                if show_lines:
                    figures.examples.append(f"changed {published!r}")
    return figures


@functools.cache  # measured once per run, printed beside each development corpus
def milliseconds_for_150_words() -> float:
    """Printed, not asserted: speed targets belong to the benchmark. CPU time of this
    process, so that other work on a shared machine does not count; each text read once,
    as each transcript is, so that no cache is warm for it."""
    words = " ".join(c.text for corpus in DEVELOPMENTS for c in cases(corpus)).split()
    texts = [" ".join(words[i : i + 150]) for i in range(0, len(words) - 150, 150)]
    find_spans(texts[0])  # the first call loads the name lists
    started = time.process_time()
    for text in texts[1:]:
        find_spans(text)
    return (time.process_time() - started) / (len(texts) - 1) * 1000


def test_the_corpora_are_big_enough_and_danish_first() -> None:
    written_beside_the_rules = cases(DEVELOPMENT)
    assert len(written_beside_the_rules) >= 80
    assert "Mit CPR-nummer" in written_beside_the_rules[0].text
    assert len(cases(held_out(1))) >= 120
    assert len(cases(development(2))) >= 150 and len(cases(held_out(2))) >= 150
    assert len(cases(development(3))) >= 200 and len(cases(held_out(3))) >= 200
    assert len(cases(development(4))) >= 200 and len(cases(development(5))) >= 200
    assert len(cases(development(6))) >= 200 and len(cases(held_out(4))) >= 200
    assert len(cases(development(7))) >= 200 and len(cases(held_out(5))) >= 200
    assert len(cases(development(8))) >= 200 and len(cases(development(9))) >= 200
    assert len(cases(development(10))) >= 200 and len(cases(development(11))) >= 200
    assert len(cases(held_out(6))) >= 200 and len(cases(development(12))) >= 200
    assert len(cases(development(13))) >= 200 and len(cases(held_out(7))) >= 200
    assert len(cases(development(14))) >= 200


_NOT_YET = pytest.mark.xfail(strict=False, reason="the rules do not yet hide every secret here")


@pytest.mark.parametrize(
    "corpus",
    [pytest.param(c, marks=_NOT_YET) if c in NOT_YET_COMPLETE else c for c in DEVELOPMENTS],
    ids=lambda p: p.stem,
)
def test_development_corpus_recall_is_complete_and_damage_small(corpus: Path) -> None:
    figures = measure(corpus, show_lines=True)
    print("\n" + figures.summary(corpus.stem))
    print(f"redaction of a 150-word transcript: {milliseconds_for_150_words():.2f} ms CPU")
    assert figures.recall == 1.0 and figures.damage <= MAX_DAMAGE, "\n".join(figures.examples)


@pytest.mark.parametrize(
    "corpus",
    [
        held_out(1),
        pytest.param(held_out(2), marks=_NOT_YET),
        pytest.param(held_out(3), marks=_NOT_YET),
        pytest.param(held_out(4), marks=_NOT_YET),
        pytest.param(held_out(5), marks=_NOT_YET),
        pytest.param(held_out(6), marks=_NOT_YET),
        pytest.param(held_out(7), marks=_NOT_YET),
    ],
    ids=lambda p: p.stem,
)
def test_held_out_corpus_recall_is_complete_and_damage_small(corpus: Path) -> None:
    figures = measure(corpus, show_lines=False)
    print("\n" + figures.summary(corpus.stem))
    ok = figures.recall == 1.0 and figures.damage <= MAX_DAMAGE
    if not ok:
        print(figures.sections())
    assert ok, figures.summary(corpus.stem)  # figures only: its lines stay unseen


@pytest.mark.parametrize("corpus", HELD_OUTS + NOT_YET_COMPLETE, ids=lambda p: p.stem)
def test_held_out_recall_never_falls_back(corpus: Path) -> None:
    figures = measure(corpus, show_lines=False)
    hidden, changed = FLOORS[corpus]
    assert figures.hidden >= hidden and figures.changed <= changed, (
        figures.summary(corpus.stem) + "\n" + figures.sections()
    )


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("Ring 23 45 67 89 tak", "Ring [telefon] tak"),
        ("Mit cpr er 010190-1234.", "Mit cpr er [CPR]."),
        ("Skriv til a@b.dk", "Skriv til [e-mail]"),
        ("Jeg hedder Anna", "Jeg hedder [navn]"),
        ("Vestergade 12 er min", "[adresse] er min"),
    ],
)
def test_labels_are_danish_first(text: str, published: str) -> None:
    assert apply(text, find_spans(text)) == published


@pytest.mark.parametrize(
    ("text", "suspected"),
    [
        # Unknown capitalised words inside a sentence: possible names, shown, not hidden.
        ("Vi så Xiluana og Gamal Abdel ved Dokk1.", ["Xiluana", "Gamal Abdel"]),
        # Places, institutions, roles, countries, acronyms and street names are public.
        ("Vi skrev til Borgmesteren og DSB om Toftevej i Gellerup.", []),
        ("Mange fra Somalia og Tyrkiet bor i Bispehaven.", []),
        ("The park on Harbour Street needs more light.", []),
        # What is hidden already is no suspect.
        ("Min nabo Xiluana Wei larmer.", []),
    ],
)
def test_suspects_are_unknown_capitalised_words(text: str, suspected: list[str]) -> None:
    hidden = find_spans(text)
    assert [text[s.start : s.end] for s in find_suspects(text, hidden)] == suspected
