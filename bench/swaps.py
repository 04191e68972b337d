"""Memory across index swaps: a searcher with the reference layer, while the curated base changes.

    python3 bench/swaps.py --index-dir DIR [--swaps 6]

DIR must hold a reference layer (`glossary import cedict FILE --index-dir DIR`, or bench/startup.py's
index root). Copies the fixture base, opens a searcher with both layers as a server worker does, then
`--swaps` times: changes one entry file, rebuilds the curated layer and lets the searcher pick it up,
keeping every searcher view taken so far alive as in-flight requests would for a moment (the last two).
Prints the process's resident memory (VmRSS) after each swap.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import tempfile
from pathlib import Path

from glossary.search import index
from glossary.search.searcher import Searcher

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    """This process's resident memory in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    """Open, swap, measure."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--swaps", type=int, default=6)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="glossary-swaps-")) / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "data", data_dir)
    searcher = Searcher.open(data_dir, args.index_dir, reference=True)
    searcher.check_interval = 0
    print(f"layers {[layer.name for layer in searcher.layers]}; after opening: {rss_mb():.0f} MB")
    views = [searcher.pinned()]
    entry = data_dir / "entries" / "four-orientations.yaml"
    for number in range(1, args.swaps + 1):
        entry.write_text(entry.read_text(encoding="utf-8") + f"# swap {number}\n", encoding="utf-8")
        index.ensure_curated(data_dir, args.index_dir)
        searcher.reload_if_changed()
        views = [*views[-1:], searcher.pinned()]  # a request in flight on the previous version, and one now
        gc.collect()
        print(f"after swap {number}: {rss_mb():.0f} MB")
    shutil.rmtree(data_dir.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
