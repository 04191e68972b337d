"""Change under load, short: `glossary serve` keeps answering while data/ changes and the index is swapped.

Runs `bench/load.py` (the 64-connection, 30-second bench of docs/reliability.md) briefly: 16 connections
for 3 seconds, a new entry added to a copy of the fixture base every second and `glossary build` run each
time, the load going on past 3 s (up to 60 s) until responses have come from at least three data versions.
Zero failed requests, and every response from one whole version: searches list exactly the probe entries
of the version their ETag names, pages of terms and /health count exactly that version's entries.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"


def test_no_failed_request_and_no_mixed_version_while_the_index_is_swapped() -> None:
    command = [
        sys.executable,
        str(ROOT / "bench" / "load.py"),
        "--connections",
        "16",
        "--duration",
        "3",
        "--change-every",
        "1",
        "--min-versions",
        "3",
        "--max-duration",
        "60",
        "--data",
        str(FIXTURE_DATA),
        "--json",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=240)
    summary = json.loads(run.stdout)
    assert summary["requests"] > 100, summary
    assert summary["failed"] == 0, summary["failures"]
    assert summary["inconsistent"] == [], summary["inconsistent"]
    assert summary["versions_served"] >= 3, summary  # the swap did happen under load, twice
    assert summary["server_errors_logged"] == 0
    assert run.returncode == 0, run.stderr[-2000:]
