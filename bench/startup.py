"""Start-up benchmark: what a server worker pays to open the index and the cached base.

    python3 bench/startup.py                 # the curated base in data/, and CC-CEDICT from ../shared
    python3 bench/startup.py --no-cedict --rounds 10

Builds the curated layer (and the reference layer from CC-CEDICT) into a temporary index root, then times,
`--rounds` times each, best and median: loading each layer (`index.load_layer`: read, verify, decode), and
loading the base from the service's cache (`service.resources.load_base`, after a first call that fills
it). Prints wall and CPU time, the size on disk, and the growth of this process's peak memory per load.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from glossary.base import store
from glossary.search import index, reference
from service.resources import load_base

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CEDICT = ROOT.parent / "shared" / "data" / "cedict_ts.u8.gz"


def timed(label: str, action: Callable[[], object], rounds: int, size: int | None = None) -> None:
    """Run `action` `rounds` times; print best and median wall and CPU milliseconds."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        w, c = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    extra = f", {size / 1e6:.1f} MB on disk" if size is not None else ""
    print(f"  {label:<34} wall best {min(wall):7.1f} ms, median {statistics.median(wall):7.1f} ms;"
          f" CPU median {statistics.median(cpu):7.1f} ms{extra}")


def main() -> None:
    """Build, then time the loads."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--cedict", type=Path, default=DEFAULT_CEDICT)
    parser.add_argument("--no-cedict", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--index-dir", type=Path, default=None, help="Default: a fresh temporary directory.")
    args = parser.parse_args()
    root = args.index_dir or Path(tempfile.mkdtemp(prefix="glossary-startup-"))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; index root {root}")
    curated = index.ensure_curated(args.data, root)
    timed("curated layer (load_layer)", lambda: index.load_layer(curated), args.rounds, index.size(curated))
    load_base(args.data, root)  # fills the cache
    cache = sum(p.stat().st_size for p in (root / "bases").iterdir())
    timed("cached base (load_base)", lambda: load_base(args.data, root), args.rounds, cache)
    started = time.perf_counter()
    store.load(args.data)
    once = (time.perf_counter() - started) * 1000
    print(f"  {'base from YAML (store.load), once':<34} wall {once:7.1f} ms")
    if args.no_cedict or not args.cedict.is_file():
        return
    home = index.reference_home(root)
    layer = index.current(home) or reference.import_cedict(args.cedict, root)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    index.load_layer(layer)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    timed("reference layer (load_layer)", lambda: index.load_layer(layer), args.rounds, index.size(layer))
    print(f"  peak memory grew {grown / 1024:.0f} MB on the first reference load")


if __name__ == "__main__":
    main()
