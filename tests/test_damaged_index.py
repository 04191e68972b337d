"""A damaged index is repaired, never trusted, never fatal; and nothing in the cache directory runs as code.

Each version lists its files with their sizes and SHA-256 in meta.json; opening it checks them. A damaged
curated layer is rebuilt from data/ (by `glossary build`, by a searcher opening it, by the server); a damaged
reference layer (which cannot be rebuilt without the CC-CEDICT file) falls back to the previous build or to
none; the gunicorn master never stops over it; the CLI says so in one line.
"""

from __future__ import annotations

import itertools
import os
import pickle
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import stop

from glossary.base.cedict import read_cedict
from glossary.cli import cli
from glossary.search import index, layerfile
from glossary.search.searcher import Searcher
from service.app import create_app

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"


def damage(path: Path, how: str) -> None:
    """Damage one file: truncate it, remove it, or flip a byte in its middle."""
    if how == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif how == "missing":
        path.unlink()
    else:
        content = bytearray(path.read_bytes())
        content[len(content) // 2] ^= 0xFF
        path.write_bytes(bytes(content))


def live(index_root: Path, data_dir: Path = FIXTURE_DATA) -> Path:
    """The live curated version's folder."""
    found = index.current(index.curated_home(index_root, data_dir))
    assert found is not None
    return found


@pytest.mark.parametrize("how", ["truncated", "missing", "altered"])
def test_build_rebuilds_a_damaged_build(tmp_path: Path, how: str) -> None:
    """`glossary build` over a damaged copy of the same version replaces it (not "built" and kept)."""
    runner = CliRunner()
    args = ["build", "--data", str(FIXTURE_DATA), "--index-dir", str(tmp_path)]
    assert runner.invoke(cli, args).exit_code == 0
    damage(live(tmp_path) / index.KEYS_FILE, how)
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    searcher = Searcher(FIXTURE_DATA, tmp_path, reference=False)
    assert searcher.search("sgmx").results[0].zh == "四个面向"


@pytest.mark.parametrize("how", ["truncated", "missing", "altered"])
def test_a_searcher_opening_a_damaged_index_rebuilds_it(tmp_path: Path, how: str) -> None:
    """Opening a damaged live version (here its concordance or key tables) rebuilds it from data/."""
    Searcher.open(FIXTURE_DATA, tmp_path, reference=False)
    for name in sorted(p.name for p in live(tmp_path).iterdir() if p.name != index.META_FILE):
        damage(live(tmp_path) / name, how)
        searcher = Searcher.open(FIXTURE_DATA, tmp_path, reference=False)
        assert searcher.search("sgmx").results[0].zh == "四个面向", name
        assert layerfile.intact(live(tmp_path)), name


def test_the_cli_repairs_a_damaged_index_or_says_why_it_cannot(tmp_path: Path) -> None:
    """`glossary search` over a damaged index answers (rebuilt); with data/ invalid too, it exits 1 with the
    problems, one per line, and no traceback."""
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data_dir)
    args = ["search", "sgmx", "--data", str(data_dir), "--index-dir", str(tmp_path / "index"), "--layer",
            "curated"]
    Searcher.open(data_dir, tmp_path / "index", reference=False)
    damage(live(tmp_path / "index", data_dir) / index.KEYS_FILE, "truncated")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0 and "四个面向" in result.output, result.output
    damage(live(tmp_path / "index", data_dir) / index.KEYS_FILE, "truncated")
    (data_dir / "entries" / "four-orientations.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "entries/four-orientations.yaml:" in result.output and "Traceback" not in result.output


def _reference(cedict_path: Path, index_root: Path, lines: int, version: str) -> Path:
    entries = list(itertools.islice(read_cedict(cedict_path), lines))
    return index.build_reference(entries, version, index_root)


def test_a_damaged_reference_layer_falls_back_to_the_previous_build(tmp_path: Path, cedict_path: Path,
                                                                    ) -> None:
    """The previous reference build is served; with none left, the curated layer alone, never an exception."""
    Searcher.open(FIXTURE_DATA, tmp_path, reference=False)
    older = _reference(cedict_path, tmp_path, 2000, "small")
    newer = _reference(cedict_path, tmp_path, 3000, "large")
    damage(newer / index.KEYS_FILE, "truncated")
    searcher = Searcher.open(FIXTURE_DATA, tmp_path, reference=True)
    assert [layer.path for layer in searcher.layers] == [live(tmp_path), older]
    shutil.rmtree(older)
    searcher = Searcher.open(FIXTURE_DATA, tmp_path, reference=True)
    assert [layer.name for layer in searcher.layers] == ["curated"]
    assert searcher.search("sgmx").results[0].zh == "四个面向"


def test_a_curated_swap_does_not_load_the_reference_layer_again(tmp_path: Path, cedict_path: Path) -> None:
    """Worker memory: after curated changes, the searcher still holds the one reference layer it loaded."""
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data_dir)
    Searcher.open(data_dir, tmp_path / "index", reference=False)
    _reference(cedict_path, tmp_path / "index", 2000, "small")
    searcher = Searcher.open(data_dir, tmp_path / "index", reference=True)
    first = searcher.layers[1]
    entry = data_dir / "entries" / "four-orientations.yaml"
    for number in range(3):
        entry.write_text(entry.read_text(encoding="utf-8") + f"# edit {number}\n", encoding="utf-8")
        index.ensure_curated(data_dir, tmp_path / "index")
        searcher.check_interval = 0
        assert searcher.reload_if_changed()
        assert searcher.layers[1] is first


def test_nothing_in_the_cache_directory_runs_as_code(tmp_path: Path) -> None:
    """A pickle planted as the live index or as the cached base is never unpickled: it is damaged data."""
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    planted = pickle.dumps(Payload())
    config = {"DATA_DIR": FIXTURE_DATA, "INDEX_DIR": tmp_path / "index", "REFERENCE": False}
    create_app(config)  # builds the index and caches the base
    (live(tmp_path / "index") / index.KEYS_FILE).write_bytes(planted)
    for cached in (tmp_path / "index" / "bases").iterdir():
        cached.write_bytes(planted)
        shutil.copy(cached, cached.with_suffix(".pickle"))  # under the name a pickle cache had, too
    client = create_app(config).test_client()
    assert client.get("/api/v1/search?q=sgmx").get_json()["results"][0]["zh"] == "四个面向"
    assert not marker.exists()


# ---- the server ----------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def _wait_until_answering(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Wait up to 90 s for `url` to answer 200, failing at once (with the log) if the master stops."""
    deadline = time.monotonic() + 90
    while True:
        assert process.poll() is None, "the master stopped:\n" + log.read_text()
        try:
            if _status(url) == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)


def test_a_damaged_reference_layer_never_stops_the_server(tmp_path: Path, cedict_path: Path) -> None:
    """Damaged before start and again before a worker restart: the master stays up and the API answers."""
    index_root = tmp_path / "index"
    Searcher.open(FIXTURE_DATA, index_root, reference=False)
    layer = _reference(cedict_path, index_root, 2000, "small")
    damage(layer / index.KEYS_FILE, "truncated")
    port = _free_port()
    log = tmp_path / "server.log"
    command = [sys.executable, "-c", "from glossary.cli import cli; cli()", "serve", "--data",
               str(FIXTURE_DATA), "--port", str(port), "--workers", "1"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, "GLOSSARY_INDEX_DIR": str(index_root)})
    url = f"http://127.0.0.1:{port}/api/v1/search?q=sgmx"
    try:
        _wait_until_answering(process, url, log)
        for pid in _workers(process.pid):
            os.kill(pid, signal.SIGKILL)  # the master starts a new worker, which opens the damaged layer
        _wait_until_answering(process, url, log)
        assert "reference layer is damaged" in log.read_text()
    finally:
        stop(process)
