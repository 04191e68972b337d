"""Draft-check throughput: MB/s for a 1 MB Chinese and a 1 MB English draft, end to end through the library.

    python bench/check.py [--runs 5] [--mb 1]

Two pattern sets: the curated base (data/), and the curated base plus the 123k CC-CEDICT entries (simplified
and traditional headwords; English senses as English patterns). For each, `Checker.check` is timed on each
draft, and the bare scan of the same automaton is timed with ahocorasick-rs (what the checker uses) and with
pyahocorasick, for comparison. Speeds are per CPU second (the machine is shared; wall time is printed too,
and includes waiting for a core). MB are megabytes of UTF-8 (10^6 bytes). Goals (issue 6): a 1 MB draft in
under 0.2 s at curated scale; at least 5 MB/s with the 123k CC-CEDICT entries.

The English draft is the five source texts repeated; the Chinese draft is CC-CEDICT headwords drawn at
random with Chinese punctuation, and a curated term every ~25 words. Needs ../shared (seeds, CC-CEDICT).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import ahocorasick
import ahocorasick_rs

from glossary.base import english, store
from glossary.base.cedict import ReferenceEntry, read_cedict
from glossary.check.checker import Checker
from glossary.check.report import CheckRequest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
CEDICT = ROOT.parent / "shared" / "data" / "cedict_ts.u8.gz"


def english_draft(megabytes: float) -> str:
    """The source texts, repeated to `megabytes` of UTF-8."""
    texts = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("0*.txt")))
    draft = texts
    while len(draft.encode()) < megabytes * 1e6:
        draft += "\n\n" + texts
    return _cut(draft, megabytes)


def chinese_draft(megabytes: float, reference: list[ReferenceEntry], base: store.TermBase) -> str:
    """Dense Chinese: dictionary words and punctuation, with a curated term every ~25 words."""
    rng = random.Random(6)
    words = [r.simp for r in reference if not r.proper_noun and 1 < len(r.simp) <= 4]
    terms = [form for entry in base.entries.values() for form in entry.chinese_forms() if len(form) > 1]
    pieces: list[str] = []
    size = 0
    while size < megabytes * 1e6:
        piece = rng.choice(terms) if rng.random() < 0.04 else rng.choice(words)
        if rng.random() < 0.08:
            piece += rng.choice("，。、；：")
        pieces.append(piece)
        size += len(piece.encode())
    return _cut("".join(pieces), megabytes)


def _cut(text: str, megabytes: float) -> str:
    data = text.encode()[: int(megabytes * 1e6)]
    return data.decode("utf-8", "ignore")


def timed(func: Callable[[], object], runs: int) -> tuple[float, float, float, object]:
    """The median wall time, the median and the best CPU time of `runs` calls, and the last result.

    The machine is shared: the wall time includes waiting for a core, the CPU time does not (but still
    suffers from the neighbours' use of caches), and the best run is the one least disturbed."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus), min(cpus), result


def pyahocorasick_automaton(patterns: list[str]) -> ahocorasick.Automaton:
    """The same patterns in pyahocorasick."""
    automaton = ahocorasick.Automaton()
    for index, pattern in enumerate(patterns):
        automaton.add_word(pattern, index)
    automaton.make_automaton()
    return automaton


def scan_comparison(name: str, automaton: ahocorasick_rs.AhoCorasick, patterns: list[str], haystack: str,
                    megabytes: float, runs: int) -> None:
    """Print the bare leftmost-longest scan speed (CPU) of ahocorasick-rs and pyahocorasick on a haystack."""
    _, rs_time, _, rs_matches = timed(lambda: automaton.find_matches_as_indexes(haystack), runs)
    start = time.perf_counter()
    py_automaton = pyahocorasick_automaton(patterns)
    py_build = time.perf_counter() - start
    _, py_time, _, py_matches = timed(lambda: list(py_automaton.iter_long(haystack)), runs)
    print(
        f"  scan {name}: ahocorasick-rs {megabytes / rs_time:7.1f} MB/s ({len(rs_matches):,} matches)"  # type: ignore[arg-type]
        f" | pyahocorasick {megabytes / py_time:6.1f} MB/s ({len(py_matches):,} matches,"  # type: ignore[arg-type]
        f" built in {py_build:.1f} s)"
    )


def run_case(label: str, checker: Checker, drafts: dict[str, str], runs: int) -> None:
    """Time the checker end to end on each draft and compare the bare scans."""
    matcher = checker.matcher
    sizes = f"{len(matcher.zh_patterns):,} Chinese and {len(matcher.en_patterns):,} English patterns"
    print(f"\n{label}: {sizes}")
    for lang, text in drafts.items():
        megabytes = len(text.encode()) / 1e6
        request = CheckRequest.model_validate({"text": text, "lang": lang})
        wall, cpu, best, report = timed(partial(checker.check, request), runs)
        findings = report.summary.total  # type: ignore[attr-defined]
        print(
            f"  check {lang}: {megabytes:.2f} MB in {cpu:.3f} s CPU = {megabytes / cpu:5.1f} MB/s"
            f" (best {best:.3f} s = {megabytes / best:.1f} MB/s; wall {wall:.3f} s;"
            f" {len(text):,} chars, {findings:,} findings)"
        )
        if lang == "zh" and matcher.zh_automaton is not None:
            scan_comparison("zh", matcher.zh_automaton, matcher.zh_patterns, text, megabytes, runs)
        elif matcher.en_automaton is not None:
            haystack = english.normalise(text).text
            scan_comparison("en", matcher.en_automaton, matcher.en_patterns, haystack, megabytes, runs)


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mb", type=float, default=1.0, help="draft size in MB of UTF-8")
    args = parser.parse_args()
    if not SEEDS.is_dir() or not CEDICT.is_file():
        print(f"needs the source texts in {SEEDS} and CC-CEDICT at {CEDICT}", file=sys.stderr)
        return 2
    base = store.load(ROOT / "data")
    reference = list(read_cedict(CEDICT))
    drafts = {"zh": chinese_draft(args.mb, reference, base), "en": english_draft(args.mb)}
    count = len(reference)
    # 123k dictionary entries kept alive would make every garbage collection during the timings walk them:
    # a service holds only the automata.
    del reference
    gc.collect()

    start = time.perf_counter()
    curated = Checker(base.entries.values(), source_ids=base.sources, version=base.version)
    built = time.perf_counter() - start
    label = f"Curated base ({len(base.entries)} entries, built in {built:.2f} s)"
    run_case(label, curated, drafts, args.runs)

    start = time.perf_counter()
    scaled = Checker(base.entries.values(), reference=read_cedict(CEDICT), source_ids=base.sources)
    built = time.perf_counter() - start
    gc.collect()
    label = f"Curated + CC-CEDICT ({count:,} entries, read and built in {built:.1f} s)"
    run_case(label, scaled, drafts, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
