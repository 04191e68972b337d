"""Harvest throughput: segments and Chinese characters per second, and the start-up cost, on real text.

    python bench/harvest.py [--runs 3] [--repeat 10] [--dictionary ../shared/data/cedict_ts.u8.gz]

The input is every passage of tests/corpus/ (both splits; 85 aligned official paragraphs) repeated `--repeat`
times as one TSV, harvested against the curated base (data/). The first run includes the one-off start-up
(jieba's dictionary and tag table, wordfreq's Chinese data, CC-CEDICT when given); later runs show the
steady cost per document. Times are CPU seconds of this process (the machine is shared; wall time is
printed too, and includes waiting for a core). Note the load average with the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corpus_data import passages  # noqa: E402

from glossary.base import store  # noqa: E402
from glossary.harvest import harvest  # noqa: E402


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--dictionary", type=Path, default=None)
    args = parser.parse_args()
    base = store.load(ROOT / "data")
    pairs = [(p.zh, p.en) for p in passages()] * args.repeat
    chars = sum(len(zh) for zh, _ in pairs)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.tsv"
        path.write_text("".join(f"{zh}\t{en}\n" for zh, en in pairs), encoding="utf-8")
        print(
            f"{len(pairs)} segments, {chars} Chinese characters; base {len(base.entries)} entries; "
            f"dictionary {'CC-CEDICT' if args.dictionary else 'none'}; load {os.getloadavg()[0]:.1f}"
        )
        for run in range(1, args.runs + 1):
            wall, cpu = time.perf_counter(), time.process_time()
            result = harvest([path], base, limit=50, dictionary=args.dictionary)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            label = "first (with start-up)" if run == 1 else f"run {run}"
            print(
                f"{label:22} {cpu:6.2f} s CPU ({wall:6.2f} s wall): {len(pairs) / cpu:7.0f} segments/s, "
                f"{chars / cpu / 1000:6.1f} k chars/s; {len(result.candidates)} candidates"
            )


if __name__ == "__main__":
    main()
