"""The learned reader beside the redaction rules (ingest/language/redaction/learned.py).

Its figures on the corpora are in test_redaction_corpus.py; here: that the model in the
repository is the one the development corpora make, what it adds to the rules, what it
leaves alone, and that it is safe in the service's threads."""

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pycrfsuite  # type: ignore[import-untyped]
import pytest

from ingest.language.redaction import apply, find_spans, learned, training
from ingest.language.redaction.corpus import cases
from ingest.language.redaction.spans import rule_spans


def test_the_model_was_made_from_the_development_corpora_as_they_are() -> None:
    """Run `make recogniser` when this fails: a corpus was added or changed since."""
    manifest = json.loads(training.MANIFEST.read_text())
    corpora = training.development_corpora()
    assert manifest["corpora"] == {
        c.name: hashlib.sha256(c.read_bytes()).hexdigest() for c in corpora
    }
    assert manifest["parameters"] == training.PARAMETERS


def test_the_model_was_made_from_what_the_rules_find_now() -> None:
    """Run `make recogniser` when this fails: a rule changed what it finds in the corpora,
    and the model learned from what they found."""
    manifest = json.loads(training.MANIFEST.read_text())
    assert manifest["rule_spans"] == training.rules_read(training.development_corpora())


def test_no_held_out_corpus_is_learned_from() -> None:
    names = [c.name for c in training.development_corpora()]
    assert names and not [n for n in names if "heldout" in n]
    assert len(list(training.CORPORA.glob("redaction_heldout*.txt"))) >= 40


@pytest.mark.parametrize(
    ("text", "published"),
    [
        # a number given in two halves with a remark between
        (
            "nummeret er 22 35, øh, vent, jeg skal lige finde det, 71 08.",
            "nummeret er [telefon], øh, vent, jeg skal lige finde det, [telefon].",
        ),
        # an address said in English words: the rules stop before "door to the left"
        (
            "I live at Tordenskjoldsgade sixty-two, third floor, door to the left, with friends.",
            "I live at [adresse], with friends.",
        ),
        # a name that is also a bird, in lower case, said by its bearer
        (
            "jeg er lærke, født tolvte juni nioghalvfems, sidste fire 2468, og der synger en "
            "lærke hver morgen bag Tilst.",
            "jeg er [navn], født [CPR], sidste fire [CPR], og der synger en lærke hver "
            "morgen bag Tilst.",
        ),
        # a spelled e-mail address the rules read as a spelled name and a fragment
        (
            "Min mail staves k o w a l s k a punktum a snabel a w p punktum p l, tak.",
            "Min mail staves [e-mail], tak.",
        ),
    ],
)
def test_it_hides_what_the_rules_leave(text: str, published: str) -> None:
    assert apply(text, rule_spans(text)) != published  # else the example shows nothing here
    assert apply(text, find_spans(text)) == published


@pytest.mark.parametrize(
    "text",
    [
        "Vi bor i 8240 Risskov, og der er ingen bus efter midnat, det er ikke fair for de unge.",
        "Birk og ask vokser vildt ved Hasle Bakker, men bænkene er rådne.",
        "Prisen for en enkeltbillet er 24 kroner, og et månedskort er 375 kroner, nej 395.",
        "Borgmester Anders Winther åbnede Dokk1 igen, og Sankt Hans holdes ved Ådalen.",
    ],
)
def test_ordinary_talk_stays(text: str) -> None:
    assert find_spans(text) == []


def test_threads_each_read_their_own_transcript() -> None:
    """The service redacts in worker threads; a tagger shared between them would tag one
    thread's transcript with another's features."""
    texts = [c.text for c in cases(training.CORPORA / "redaction_dev2.txt")][:120]
    alone = [find_spans(t) for t in texts]
    assert sum(map(bool, alone)) > 60  # transcripts with secrets, each its own
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(find_spans, texts * 3))
    assert together == alone * 3


def test_training_makes_a_model_that_marks_what_it_was_shown(tmp_path: Path) -> None:
    corpus = tmp_path / "redaction_dev1.txt"
    lines = [f"spørg efter ⟦{n}⟧ i kantinen" for n in ("Ib", "Rut", "Ole", "Kaj", "Eva")]
    lines += ["spørg efter kaffe i kantinen", "ring til kommunen i morgen"]
    corpus.write_text("## Names\n" + "\n".join(lines * 6) + "\n", encoding="utf-8")
    model = tmp_path / "model.crfsuite"
    manifest = training.train([corpus], model)
    assert manifest["lines"] == 42
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    text = "spørg efter Ulla i kantinen"
    tags = tagger.tag(learned.features(learned.tokens(text), rule_spans(text)))
    assert [w for (_, _, w), tag in zip(learned.tokens(text), tags, strict=True) if tag == "S"] == [
        "Ulla"
    ]


def test_each_word_knows_the_nearest_rule_span_on_each_side() -> None:
    text = "Jeg bor på Skovvangsvej 9 i kælderen, ring til mig på 28 19 33 07 i morgen tidlig"
    words = learned.tokens(text)
    hidden = rule_spans(text)
    assert [text[s.start : s.end] for s in hidden] == ["Skovvangsvej 9 i kælderen", "28 19 33 07"]
    rows = {w: row for (_, _, w), row in zip(words, learned.features(words, hidden), strict=True)}
    near = {w: [f for f in rows[w] if f.startswith(("Lr=", "Rr="))] for w in rows}
    assert near["Jeg"] == ["Rr=address:3"]
    assert near["ring"] == ["Lr=address:2", "Rr=phone:4-6"]
    assert near["tidlig"] == ["Lr=phone:3"]


def test_cross_validation_reads_each_corpus_with_a_model_that_never_saw_it(
    tmp_path: Path,
) -> None:
    said = {
        "redaction_dev1.txt": [f"zork blip ⟦{w}⟧ frob" for w in ("quux", "vex", "tarn")],
        "redaction_dev2.txt": [f"plonk ⟦{w}⟧ snarf gnu" for w in ("wibble", "mox", "ferl")],
    }
    corpora = []
    for name, lines in said.items():
        corpora.append(tmp_path / name)
        corpora[-1].write_text("\n".join(lines * 8 + ["ring til kommunen"]) + "\n")
    figures = training.cross_validate(corpora, folds=2)
    assert figures["secrets"] == 48 and figures["ordinary lines"] == 2
    assert figures["rules hid"] == 0
    # each corpus's own way of saying a secret is learned only from that corpus
    assert figures["reader hid"] < 10
    model = tmp_path / "both.crfsuite"
    training.train(corpora, model)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    text = "zork blip quux frob"
    assert [(s.start, s.end) for s in learned.find(text, [], tagger)] == [(10, 14)]
