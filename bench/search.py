"""Search benchmark: latency per query form, at the curated scale and with CC-CEDICT (123k entries) loaded;
and the concordance of data/texts: its build time and size, and the latency of its queries.

    python3 bench/search.py              # the curated base in data/, then with ../shared/data/cedict_ts.u8.gz
    python3 bench/search.py --queries 100 --no-cedict
    python3 bench/search.py --concordance-only   # build and query the concordance only

Prints build time and index size for each layer, then p50 / p99 / max latency of `Searcher.search` per query
form, both wall-clock and this thread's CPU time (the machine is shared: CPU time is the steadier figure).
Queries are drawn, with a fixed seed, from the entries themselves, so every form is one that finds something.
The goal in issue 4: p99 under 5 ms for every form at 123k entries; build under 60 s.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from glossary.base import pinyin, store
from glossary.base.model import has_han
from glossary.search import concordance, index, reference, usage
from glossary.search.index import Doc
from glossary.search.searcher import Searcher

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_CEDICT = ROOT.parent / "shared" / "data" / "cedict_ts.u8.gz"


def _syllables(doc: Doc) -> list[str]:
    return [t for t in pinyin.split(doc.pinyin) if any(c.isalpha() for c in t)]


def _toneless(doc: Doc) -> list[str]:
    return [pinyin.toneless(t) for t in _syllables(doc)]


def _words(doc: Doc, fields: tuple[str, ...]) -> list[str]:
    """The words of more than four letters in the given fields (renderings: senses too)."""
    if "renderings" in fields:
        fields = (*fields, "senses")
    return [w for f, _, text in doc.texts if f in fields for w in text.split() if w.isalpha() and len(w) > 4]


def _mixed(doc: Doc) -> str | None:
    """Two characters, then the rest in toneless pinyin: 科技qiangguo."""
    syllables = _toneless(doc)
    return doc.zh[:2] + "".join(syllables[2:]) if len(doc.zh) == len(syllables) > 2 else None


def _typo(word: str) -> str:
    i = len(word) // 2
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


#: Each query form: how to make a query of that form from a document (None: the document has none).
FORMS: dict[str, Callable[[Doc, random.Random], str | None]] = {
    "characters": lambda d, r: d.zh,
    "traditional": lambda d, r: d.zh_hant if d.zh_hant != d.zh else None,
    "part of a term": lambda d, r: d.zh[1:3] if len(d.zh) >= 4 else None,
    "marks spaced": lambda d, r: d.pinyin,
    "marks joined": lambda d, r: d.pinyin.replace(" ", ""),
    "numbers spaced": lambda d, r: " ".join(pinyin.numbered(t) for t in _syllables(d)),
    "numbers joined": lambda d, r: "".join(pinyin.numbered(t) for t in _syllables(d)),
    "toneless spaced": lambda d, r: " ".join(_toneless(d)),
    "toneless joined": lambda d, r: "".join(_toneless(d)),
    "initials": lambda d, r: "".join(s[0] for s in _toneless(d)) if len(_toneless(d)) >= 2 else None,
    "prefix (2 syll.)": lambda d, r: "".join(_toneless(d)[:2]) if len(_toneless(d)) >= 3 else None,
    "prefix (1-2 letters)": lambda d, r: "".join(_toneless(d))[: r.choice((1, 2))] or None,
    "mixed": lambda d, r: _mixed(d),
    "english exact": lambda d, r: d.preferred or None,
    "english word": lambda d, r: r.choice(w) if (w := _words(d, ("renderings", "senses"))) else None,
    "english word start": lambda d, r: r.choice(w)[:4] if (w := _words(d, ("renderings",))) else None,
    "notes word": lambda d, r: r.choice(w) if (w := _words(d, ("notes",))) else None,
    "typo": lambda d, r: _typo(r.choice(w)) if (w := _words(d, ("renderings", "senses"))) else None,
}


def make_queries(docs: list[Doc], count: int, seed: int = 4) -> dict[str, list[str]]:
    """Up to `count` queries of every form, from documents drawn at random."""
    rng = random.Random(seed)
    queries: dict[str, list[str]] = {}
    for form, make in FORMS.items():
        found: list[str] = []
        for doc in rng.sample(docs, len(docs)):
            if len(found) >= count:
                break
            try:
                query = make(doc, rng)
            except (IndexError, ValueError):
                query = None
            # English forms: leave out CC-CEDICT glosses with Chinese in them ("see 咿呀學語|咿呀学语[…]").
            latin_form = form.startswith(("english", "notes", "typo"))
            if query and len(query) <= 200 and "\n" not in query and not (latin_form and has_han(query)):
                found.append(query)
        queries[form] = found
    return queries


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(searcher: Searcher, queries: dict[str, list[str]], rounds: int) -> None:
    """Time every query `rounds` times and print the figures per form."""
    print(f"  {'form':<22}{'n':>5}  {'wall p50':>9}{'p99':>9}{'max':>9}   {'cpu p50':>8}{'p99':>9}   found")
    for form, items in queries.items():
        wall: list[float] = []
        cpu: list[float] = []
        hits = 0
        for _ in range(rounds):
            for q in items:
                w, c = time.perf_counter(), time.thread_time()
                found = searcher.search(q, limit=20)
                cpu.append((time.thread_time() - c) * 1000)
                wall.append((time.perf_counter() - w) * 1000)
                hits += bool(found.total)
        if not wall:
            continue
        print(
            f"  {form:<22}{len(items):>5}  {percentile(wall, 0.5):>7.3f}ms{percentile(wall, 0.99):>7.3f}ms"
            f"{max(wall):>7.2f}ms   {percentile(cpu, 0.5):>6.3f}ms{percentile(cpu, 0.99):>7.3f}ms"
            f"   {hits / len(wall):.0%}"
        )


def timed(label: str, action: Callable[[], Path]) -> Path:
    """Run a build, printing its wall and CPU time and the size of what it built."""
    wall, cpu = time.perf_counter(), time.process_time()
    path = action()
    print(
        f"{label}: {time.perf_counter() - wall:.1f} s wall, {time.process_time() - cpu:.1f} s CPU, "
        f"{index.size(path) / 1e6:.1f} MB on disk ({path})"
    )
    return path


def measure_concordance(base: store.TermBase, rounds: int) -> None:
    """Build the concordance of data/texts alone, then time every Chinese form's and rendering's lookup
    (the full-text query and the exact occurrences with their context) and every entry's usage figures."""
    folder = Path(tempfile.mkdtemp(prefix="glossary-concordance-"))
    wall, cpu = time.perf_counter(), time.process_time()
    segments = concordance.build(folder / concordance.FILE, base.sources.values(), base.data_dir / "texts")
    built_wall, built_cpu = time.perf_counter() - wall, time.process_time() - cpu
    conc = concordance.Concordance(folder / concordance.FILE)
    chars = sum(map(len, conc.texts.values()))
    print(f"\nconcordance build: {built_wall:.2f} s wall, {built_cpu:.2f} s CPU, {len(conc.texts)} texts, "
          f"{chars / 1e3:.0f}k characters, {segments} sentences, "
          f"{(folder / concordance.FILE).stat().st_size / 1e6:.1f} MB")
    forms = sorted({form for e in base.entries.values() for form in e.chinese_forms()})
    renderings = sorted({(r.en, r.proper_noun) for e in base.entries.values() for r in e.renderings})
    kinds: list[tuple[str, list[object], Callable[[object], object]]] = [
        ("Chinese substring", list(forms), lambda q: conc.chinese(str(q))),
        ("English rendering", list(renderings),
         lambda q: conc.english(q[0], proper_noun=q[1])),  # type: ignore[index]
        ("entry usage (API)", list(base.entries.values()),
         lambda e: usage.usage(e, conc, base.sources)),  # type: ignore[arg-type]
    ]
    print(f"  {'query':<20}{'n':>6}  {'wall p50':>9}{'p99':>9}{'max':>9}   {'cpu p50':>8}{'p99':>9}")
    for label, items, ask in kinds:
        wall_ms: list[float] = []
        cpu_ms: list[float] = []
        for _ in range(rounds):
            for item in items:
                w, c = time.perf_counter(), time.thread_time()
                ask(item)
                cpu_ms.append((time.thread_time() - c) * 1000)
                wall_ms.append((time.perf_counter() - w) * 1000)
        p50, p99 = percentile(wall_ms, 0.5), percentile(wall_ms, 0.99)
        print(f"  {label:<20}{len(items):>6}  {p50:>7.3f}ms{p99:>7.3f}ms{max(wall_ms):>7.2f}ms   "
              f"{percentile(cpu_ms, 0.5):>6.3f}ms{percentile(cpu_ms, 0.99):>7.3f}ms")


def main() -> None:
    """Build, open and time."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--cedict", type=Path, default=DEFAULT_CEDICT)
    parser.add_argument("--no-cedict", action="store_true", help="Curated scale only.")
    parser.add_argument("--queries", type=int, default=200, help="Queries per form.")
    parser.add_argument("--rounds", type=int, default=3, help="Times each query is run.")
    parser.add_argument("--index-dir", type=Path, default=None, help="Default: a fresh temporary directory.")
    parser.add_argument("--concordance-only", action="store_true", help="Only the concordance figures.")
    args = parser.parse_args()

    root = args.index_dir or Path(tempfile.mkdtemp(prefix="glossary-bench-"))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; index root {root}")
    base = store.load(args.data)
    if args.concordance_only:
        measure_concordance(base, args.rounds)
        return
    timed(f"curated build ({len(base.entries)} entries, concordance included)",
          lambda: index.build_curated(base, root))
    started = time.perf_counter()
    curated = Searcher.open(args.data, root, reference=False)
    print(f"curated open: {(time.perf_counter() - started) * 1000:.0f} ms")
    curated_docs = list(curated.layers[0].data.docs)
    print(f"\ncurated scale ({len(curated_docs)} entries): queries from curated entries")
    measure(curated, make_queries(curated_docs, args.queries), args.rounds)
    measure_concordance(base, args.rounds)

    if args.no_cedict or not args.cedict.is_file():
        if not args.no_cedict:
            print(f"\nCC-CEDICT not found at {args.cedict}: pass --cedict FILE for the 123k-entry figures")
        return
    timed("reference build (CC-CEDICT)", lambda: reference.import_cedict(args.cedict, root))
    started = time.perf_counter()
    both = Searcher.open(args.data, root, reference=True)
    print(f"curated + reference open: {(time.perf_counter() - started) * 1000:.0f} ms")
    reference_docs = list(both.layers[1].data.docs)
    print(f"\nwith CC-CEDICT loaded ({len(reference_docs)} reference entries): queries from curated entries")
    measure(both, make_queries(curated_docs, args.queries), args.rounds)
    print("\nwith CC-CEDICT loaded: queries from CC-CEDICT entries")
    measure(both, make_queries(reference_docs, args.queries), args.rounds)


if __name__ == "__main__":
    main()
