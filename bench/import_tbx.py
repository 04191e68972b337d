"""Benchmark: import a generated 10,000-concept TBX into an empty data directory (goal: under 30 s).

    python bench/import_tbx.py [--concepts 10000]

Prints the time to import (read, validate every staged file with the loader, move into place) and the time
to export the imported base again. The TBX is made by the exporter itself from generated entries, so it has
the full shape of a real export: variants, several renderings with contexts and sources, notes, pinyin.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from pathlib import Path

from glossary import imports
from glossary.base import pinyin, script, store
from glossary.base.model import Entry, Source
from glossary.export import tbx

# Common characters; four-character combinations give unique Chinese terms.
CHARS = "".join(
    dict.fromkeys("国家科技创新发展战略体制机制人民建设经济社会文化生态安全开放合作改革制度治理能力现代化")
)


def source() -> Source:
    """The one source every generated rendering cites."""
    return Source(
        id="bench-source",
        title="Generated benchmark source",
        publisher="bench",
        date="2024",
        language="en+zh",
        kind="reference",
    )


def entry(number: int, zh: str, variant: str) -> Entry:
    """A generated entry shaped like a curated one."""
    data = {
        "id": f"term-{number:05d}",
        "zh": zh,
        "category": "concept",
        "zh_attested": True,
        "zh_variants": [{"zh": variant, "type": "short"}] if number % 5 == 0 else [],
        "renderings": [
            {
                "en": f"generated term {number}",
                "status": "preferred",
                "sources": ["bench-source"],
                "quote": f"the generated term {number} in use",
                "note": "Preferred for the benchmark.",
            },
            {
                "en": f"alternative term {number}",
                "status": "admitted",
                "sources": ["bench-source"],
                "quote": f"an alternative term {number} in use",
            },
        ],
        "notes": [
            {
                "text": f"A translator's note about term {number}.",
                "source": "bench-source",
                "label": "Translator's note",
            }
        ],
        "literal": f"literal gloss {number}",
    }
    variants = [v["zh"] for v in data["zh_variants"]]
    data.update(
        zh_hant=script.to_traditional(zh),
        pinyin=pinyin.of(zh),
        variants_hant=[script.to_traditional(v) for v in variants],
        variants_pinyin=[pinyin.of(v) for v in variants],
    )
    return Entry.model_validate(data)


def generate(path: Path, concepts: int) -> None:
    """Write a TBX with `concepts` generated entries."""
    combos = ("".join(c) for c in itertools.product(CHARS, repeat=4))
    entries = {}
    for number in range(concepts):
        zh = next(combos)
        made = entry(number, zh, zh + "体系" if number % 5 == 0 else "")
        entries[made.id] = made
    base = store.TermBase(path.parent, entries, {"bench-source": source()}, "bench")
    path.write_bytes(tbx.render(base))


def main() -> None:
    """Generate, import, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tbx_path = Path(tmp) / "bench.tbx"
        start = time.perf_counter()
        generate(tbx_path, args.concepts)
        print(
            f"generated {args.concepts} concepts ({tbx_path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        data_dir = Path(tmp) / "data"
        start = time.perf_counter()
        report = imports.run(data_dir, tbx_path, "tbx")
        elapsed = time.perf_counter() - start
        if not report.ok:
            raise SystemExit("\n".join(str(p) for p in report.problems[:20]))
        print(f"import tbx: {len(report.added)} entries in {elapsed:.1f} s (goal < 30 s)")
        start = time.perf_counter()
        tbx.render(store.load(data_dir))
        print(f"load + export tbx of the imported base: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
