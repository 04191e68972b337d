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
import time
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


def test_a_response_never_pairs_an_index_with_other_data(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """When data/ has moved past the live index, the last whole version is served, then the matching one.

    Step by step, in-process: the index is rebuilt for one change while data/ has already changed again
    (served: the old version, whole); data/ then comes back to the indexed content (a curator's undo):
    served, within a retry interval, the new version with exactly its entries.
    """
    import shutil

    from glossary.base import store
    from glossary.search import Searcher, index
    from service import create_app, resources

    monkeypatch.setattr(Searcher, "check_interval", 0.0)  # look at the index pointer on every request
    monkeypatch.setattr(Searcher, "data_check_interval", 0.0)  # no watcher: this test moves the index
    monkeypatch.setattr(resources, "_STALE_RETRY", 0.2)
    data_dir, index_root = tmp_path / "data", tmp_path / "index"
    shutil.copytree(FIXTURE_DATA, data_dir)
    client = create_app({"DATA_DIR": data_dir, "INDEX_DIR": index_root, "REFERENCE": False}).test_client()

    def served() -> tuple[str, int]:
        response = client.get("/api/v1/terms?limit=1")
        return response.headers["ETag"].strip('"').removeprefix("v1-"), response.get_json()["total"]

    entry = data_dir / "entries" / "four-orientations.yaml"
    first = (index.version_name(store.content_hash(data_dir)), 4)
    assert served() == first
    extra = data_dir / "entries" / "reliability-probe-1.yaml"
    extra.write_text(
        "id: reliability-probe-1\nzh: 可靠性探针一\ncategory: concept\nzh_attested: false\nrenderings:\n"
        "  - en: reliability probe 1\n    status: preferred\n    sources: [cset-2022-st-conference]\n"
        "    quote: the reliability probe 1 in use\n",
        encoding="utf-8",
    )
    second = (index.build_curated(store.load(data_dir), index_root).name, 5)
    original = entry.read_text(encoding="utf-8")
    entry.write_text(original + "# an edit not indexed yet\n", encoding="utf-8")
    assert served() == first  # the new index is live, but data/ is past it: the old version, whole
    entry.write_text(original, encoding="utf-8")  # undone: data/ is what the live index was built from
    time.sleep(0.3)
    assert served() == second
