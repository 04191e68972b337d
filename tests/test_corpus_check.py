"""The checker on the real-text corpus, with the real base, against the hand judgements (issue 12).

Precision of errors and warnings ≥ 90%, Chinese term recall ≥ 99%, English term recall ≥ 90%, held-out and
dev documents apart (`python3 bench/corpus.py --list` prints the figures, every false finding and every
missed term). When the base grows, the checker finds new things: every one must be judged by hand in
tests/corpus/judgements.yaml, or this test fails listing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_eval import Evaluation, evaluate, load_judgements, run_corpus

from glossary.base import store
from glossary.check.checker import Checker

GOALS = {"precision": 0.90, "zh_recall": 0.99, "en_recall": 0.90}


@pytest.fixture(scope="module")
def evaluation(real_data_dir: Path) -> Evaluation:
    """The real checker over the real corpus, scored against the judgements."""
    base = store.load(real_data_dir)
    return evaluate(run_corpus(Checker.for_base(base)), load_judgements(), base)


def test_every_finding_and_term_is_judged(evaluation: Evaluation) -> None:
    listed = "\n".join(evaluation.unjudged)
    assert not evaluation.unjudged, (
        f"{len(evaluation.unjudged)} thing(s) the checker finds in tests/corpus/ are not judged: judge each"
        f" in tests/corpus/judgements.yaml (python3 bench/corpus.py lists them):\n{listed}"
    )


@pytest.mark.parametrize("split", ["held-out", "dev"])
@pytest.mark.parametrize("figure", sorted(GOALS))
def test_figures_hold(evaluation: Evaluation, split: str, figure: str) -> None:
    score = evaluation.scores[split]
    value = getattr(score, figure)
    falses = "\n".join(f"{p.doc}#{p.passage} {p.kind} {p.term} “{p.text}”: {why}"
                       for p, why in evaluation.false_findings)
    assert value >= GOALS[figure], (
        f"{split} {figure} {value:.1%} < {GOALS[figure]:.0%}; false findings:\n{falses}\n"
        f"missed terms: {', '.join(evaluation.misses)}"
    )


def test_the_corpus_has_findings_to_judge(evaluation: Evaluation) -> None:
    # A figure over nothing proves nothing: the held-out documents must give errors/warnings and terms.
    held_out = evaluation.scores["held-out"]
    assert held_out.true + held_out.false >= 5
    assert held_out.zh_expected >= 40 and held_out.en_expected >= 30
