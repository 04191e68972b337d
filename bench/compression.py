"""Benchmark: what gzip saves and costs per response (flask-compress, gzip level 3, bodies from 1 KB).

    python bench/compression.py [--runs 20]

For a few responses of the app over the curated base: the body size plain and gzipped, and the server time
per request (median of --runs, through Flask's test client, no network) with and without
`Accept-Encoding: gzip`. Print `uptime` with the figures: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from service import create_app

ROOT = Path(__file__).resolve().parent.parent
URLS = [
    "/api/v1/export?format=json",
    "/api/v1/export?format=tbx",
    "/api/v1/terms?limit=100",
    "/api/v1/search?q=keji",
    "/api/v1/terms/four-orientations",
    "/api/v1/openapi.json",
]


def _median_ms(client, url: str, headers: dict[str, str], runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        response.get_data()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    """Print size and time per response, plain and gzipped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    index = Path(tempfile.gettempdir()) / "glossary-bench" / "compression-index"
    app = create_app({"DATA_DIR": ROOT / "data", "INDEX_DIR": index, "REFERENCE": False})
    client = app.test_client()
    print(f"{'response':36} {'plain':>10} {'gzip':>9} {'ratio':>6} {'ms plain':>9} {'ms gzip':>8}")
    for url in URLS:
        plain = client.get(url)
        packed = client.get(url, headers={"Accept-Encoding": "gzip"})
        coded = packed.headers.get("Content-Encoding") == "gzip"
        t_plain = _median_ms(client, url, {}, args.runs)
        t_gzip = _median_ms(client, url, {"Accept-Encoding": "gzip"}, args.runs)
        ratio = f"{len(packed.data) / len(plain.data):.2f}" if coded else "-"
        print(
            f"{url:36} {len(plain.data):>10,} {len(packed.data) if coded else '-':>9} {ratio:>6} "
            f"{t_plain:>9.2f} {t_gzip:>8.2f}"
        )
    print(f"load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
