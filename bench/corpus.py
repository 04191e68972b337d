"""The draft checker on the real-text corpus: precision of its errors and warnings, and term recall.

    python3 bench/corpus.py [--list] [--data DIR]

Checks every document of tests/corpus/ as segments, as an English text and as a Chinese text, with the real
checker over the real base, and scores what it finds against the hand judgements in
tests/corpus/judgements.yaml (see tests/corpus_eval.py): held-out and dev documents apart. `--list` also
prints every false finding and every missed term. Anything not judged yet is always listed, and makes the
exit code 1 (tests/test_corpus_check.py fails on it too).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corpus_eval import evaluate, lines, load_judgements, run_corpus  # noqa: E402

from glossary.base import store  # noqa: E402
from glossary.check.checker import Checker  # noqa: E402


def main() -> int:
    """Print the corpus figures; exit 1 when something found is not judged."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="also list false findings and missed terms")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    base = store.load(args.data)
    start = time.perf_counter()
    run = run_corpus(Checker.for_base(base))
    evaluation = evaluate(run, load_judgements(), base)
    print(f"base: {len(base.entries)} entries, {len(base.sources)} sources (version {base.version});"
          f" checked in {time.perf_counter() - start:.2f} s")
    for line in lines(evaluation):
        print(line)
    if args.list:
        for problem, reason in evaluation.false_findings:
            print(f"false: {problem.doc}#{problem.passage} {problem.mode} {problem.kind} {problem.term}"
                  f" “{problem.text}”: {reason}")
        for miss in evaluation.misses:
            print(f"missed: {miss}")
        for item in evaluation.stale:
            print(item)
    for item in evaluation.unjudged:
        print(f"NOT JUDGED: {item}")
    return 1 if evaluation.unjudged else 0


if __name__ == "__main__":
    sys.exit(main())
