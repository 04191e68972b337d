"""Crash safety: `glossary build` and `glossary import` killed with SIGKILL at random moments lose nothing.

Each run starts the real command as a process and kills it after a random delay within its measured
running time. Afterwards the previous index (or the new one, never a mix) is live and answers searches,
`glossary validate` passes, and data/ is exactly as before the import or exactly as after it. A kill in the
middle of an import's moves is also made to happen on purpose (the process SIGKILLs itself after some of
its renames), since a random delay rarely lands in those few milliseconds.

RUNS kills per command (set GLOSSARY_CRASH_RUNS for more); the random delays are printed on failure.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary import export
from glossary.base import store
from glossary.cli import cli
from glossary.search import index
from glossary.search.searcher import Searcher

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
REAL_DATA = Path(__file__).resolve().parent.parent / "data"
RUNS = int(os.environ.get("GLOSSARY_CRASH_RUNS", "3"))
SEED = int(os.environ.get("GLOSSARY_CRASH_SEED", str(time.time_ns() % 100_000)))


def glossary(*args: str) -> list[str]:
    """The installed `glossary` command of this Python environment, with `args`."""
    script = Path(sys.executable).with_name("glossary")
    found = str(script) if script.exists() else shutil.which("glossary")
    if found is None:
        pytest.skip("the glossary command is not installed (pip install -e .)")
    return [found, *args]


def run_to_end(command: list[str]) -> float:
    """Run `command` to completion; its running time in seconds."""
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - started


def kill_after(command: list[str], delay: float) -> int | None:
    """Start `command`, SIGKILL it after `delay` seconds (unless it finished first); its exit code or None."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=delay)
        return process.returncode
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return None


def validate(data_dir: Path) -> str:
    """`glossary validate` on `data_dir` (in-process through the real CLI): must pass; its output."""
    result = CliRunner().invoke(cli, ["validate", "--data", str(data_dir)])
    assert result.exit_code == 0, result.output
    return result.output


def visible_files(data_dir: Path) -> set[str]:
    """Every file under data/ that is not under a dot-name (the loader never reads those)."""
    return {
        p.relative_to(data_dir).as_posix()
        for p in data_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(data_dir).parts)
    }


# ---- glossary build ---------------------------------------------------------------------------------------


def assert_live_index_is_whole(data_dir: Path, index_root: Path, versions: set[str]) -> None:
    """CURRENT names a complete version of `versions`, which loads and answers searches without a rebuild."""
    home = index.curated_home(index_root, data_dir)
    live = index.current(home)
    assert live is not None, "no live index after the kill"
    assert live.name in versions, (live.name, versions)
    index.load_layer(live)
    searcher = Searcher(data_dir, index_root, reference=False)  # opens what is live; builds nothing
    assert searcher.version == live.name
    assert searcher.search("sgmx").results[0].zh == "四个面向"
    for path in home.iterdir():  # what a later open could pick: every visible version directory is whole
        if path.is_dir() and not path.name.startswith("."):
            index.load_layer(path)


def test_killed_build_leaves_the_previous_index_live(tmp_path: Path) -> None:
    """SIGKILL `glossary build` at random moments: the old index, or the new one whole, is live."""
    data_dir, index_root = tmp_path / "data", tmp_path / "index"
    shutil.copytree(REAL_DATA, data_dir)
    build = glossary("build", "--data", str(data_dir), "--index-dir", str(index_root))
    duration = run_to_end(build)
    old = index.version_name(store.content_hash(data_dir))
    files = visible_files(data_dir)
    # A change to data/, so that each killed build was building a new version.
    entry = sorted((data_dir / store.ENTRIES_DIR).glob("*.yaml"))[0]
    entry.write_text(entry.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    new = index.version_name(store.content_hash(data_dir))
    rng = random.Random(SEED)
    delays = [rng.uniform(0.05, duration) for _ in range(RUNS)]
    for delay in delays:
        kill_after(build, delay)
        assert_live_index_is_whole(data_dir, index_root, {old, new})
        validate(data_dir)
        assert visible_files(data_dir) == files, f"seed {SEED}, delays {delays}"
    run_to_end(build)  # and a build that is left alone makes the new version live
    assert_live_index_is_whole(data_dir, index_root, {new})


KILL_DURING_PRUNE = textwrap.dedent(
    """
    import os, shutil, signal, sys
    from pathlib import Path
    from glossary.base import store
    from glossary.search import index

    def remove_then_die(path, *args, **kwargs):
        # The build removes an old version: let one of its files go, then SIGKILL mid-removal.
        for name in (index.KEYS_FILE, index.META_FILE):
            if (Path(path) / name).exists():
                os.unlink(Path(path) / name)
                break
        os.kill(os.getpid(), signal.SIGKILL)

    shutil.rmtree = remove_then_die
    index.build_curated(store.load(Path(sys.argv[1])), sys.argv[2])
    """
)


def test_build_killed_while_removing_an_old_version_leaves_no_broken_version(tmp_path: Path) -> None:
    """Old versions leave sight atomically before they are deleted: none is ever visible half-removed."""
    data_dir, index_root = tmp_path / "data", tmp_path / "index"
    shutil.copytree(FIXTURE_DATA, data_dir)
    entry = data_dir / store.ENTRIES_DIR / "four-orientations.yaml"
    original = entry.read_text(encoding="utf-8")
    first = index.version_name(store.content_hash(data_dir))
    for edit in ("", "# one\n", "# two\n"):  # three versions: the third build removes the first
        entry.write_text(original + edit, encoding="utf-8")
        if edit == "# two\n":
            child = [sys.executable, "-c", KILL_DURING_PRUNE, str(data_dir), str(index_root)]
            process = subprocess.run(child, capture_output=True, timeout=300)
            assert process.returncode == -signal.SIGKILL, process.stderr.decode()
        else:
            index.build_curated(store.load(data_dir), index_root)
    home = index.curated_home(index_root, data_dir)
    for path in home.iterdir():
        if path.is_dir() and not path.name.startswith("."):
            index.load_layer(path)  # every visible version is whole
    entry.write_text(original, encoding="utf-8")  # data/ back to the first version's content
    assert index.ensure_curated(data_dir, index_root).name == first
    assert_live_index_is_whole(data_dir, index_root, {first})


KILL_DURING_REMOVE_CEDICT = textwrap.dedent(
    """
    import os, shutil, signal, sys
    from glossary.search import index

    def remove_then_die(path, *args, **kwargs):
        # Halfway through removing the reference layer: its key tables gone, then SIGKILL.
        for keys in sorted(__import__("pathlib").Path(path).rglob(index.KEYS_FILE)):
            os.unlink(keys)
        os.kill(os.getpid(), signal.SIGKILL)

    shutil.rmtree = remove_then_die
    index.remove_reference(sys.argv[1])
    """
)


def test_remove_cedict_killed_halfway_leaves_a_usable_index(tmp_path: Path) -> None:
    """`glossary import remove-cedict` killed halfway: the reference layer is gone or whole, never broken."""
    from glossary.base.cedict import file_version, read_cedict

    index_root = tmp_path / "index"
    cedict = tmp_path / "cedict.u8"
    cedict.write_text(
        "# a tiny CC-CEDICT\n"
        "中國 中国 [Zhong1 guo2] /China/\n"
        "科技 科技 [ke1 ji4] /science and technology/\n"
        "強國 强国 [qiang2 guo2] /powerful country/great power/\n",
        encoding="utf-8",
    )
    index.build_reference(list(read_cedict(cedict)), file_version(cedict), index_root)
    index.ensure_curated(FIXTURE_DATA, index_root)
    found = Searcher(FIXTURE_DATA, index_root, reference=True).search("keji", layer="reference")
    assert found.results[0].zh == "科技"
    process = subprocess.run(
        [sys.executable, "-c", KILL_DURING_REMOVE_CEDICT, str(index_root)], capture_output=True, timeout=300
    )
    assert process.returncode == -signal.SIGKILL, process.stderr.decode()
    searcher = Searcher(FIXTURE_DATA, index_root, reference=True)  # opens, with or without the layer
    assert searcher.search("sgmx").results[0].zh == "四个面向"
    assert [layer.name for layer in searcher.layers] == ["curated"]


def test_killed_import_cedict_leaves_the_previous_reference_layer(tmp_path: Path, cedict_path: Path) -> None:
    """SIGKILL `glossary import cedict` at random moments: the old reference layer or the new one, whole."""
    import gzip

    from glossary.base.cedict import file_version, read_cedict

    with gzip.open(cedict_path, "rt", encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")][:12_000]
    small, large = tmp_path / "small.u8", tmp_path / "large.u8"
    small.write_text("".join(lines[:2_000]), encoding="utf-8")
    large.write_text("".join(lines), encoding="utf-8")
    index_root = tmp_path / "index"
    index.ensure_curated(FIXTURE_DATA, index_root)
    entries = list(read_cedict(small))
    old = index.build_reference(entries, file_version(small), index_root).name
    word = next(e.simp for e in entries[1000:] if len(e.simp) >= 2)  # in both files
    new = index.version_name(file_version(large))
    command = glossary("import", "cedict", str(large), "--index-dir", str(index_root))
    rng = random.Random(SEED)
    delays = [rng.uniform(0.05, 6.0) for _ in range(RUNS)]
    for delay in delays:
        kill_after(command, delay)
        searcher = Searcher(FIXTURE_DATA, index_root, reference=True)
        names = {layer.name: layer.path.name for layer in searcher.layers}
        assert names.get("reference") in (old, new), f"seed {SEED}, delays {delays}: {names}"
        assert searcher.search("sgmx").results[0].zh == "四个面向"
        assert searcher.search(word, layer="reference").total > 0


# ---- glossary import tbx|csv ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exchange(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real base exported as TBX and as CSV: ~270 concepts to import into the fixture base."""
    folder = tmp_path_factory.mktemp("exchange")
    base = store.load(REAL_DATA)
    files = {}
    for fmt in ("tbx", "csv"):
        rendered = export.render(base, fmt)
        files[fmt] = folder / f"real.{fmt}"
        content = rendered.content
        files[fmt].write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return files


@pytest.mark.parametrize("fmt", ["tbx", "csv"])
def test_killed_import_leaves_data_before_or_after(
    tmp_path: Path, exchange: dict[str, Path], fmt: str
) -> None:
    """SIGKILL `glossary import` at random moments: data/ is as before or as after, valid, and searchable."""
    # The fixture base with the real registry, so that every source the real base cites is known (a CSV
    # names sources by id only).
    start = tmp_path / "start"
    shutil.copytree(FIXTURE_DATA, start)
    shutil.copy(REAL_DATA / "sources.yaml", start / "sources.yaml")
    done = tmp_path / "done"
    shutil.copytree(start, done)
    duration = run_to_end(glossary("import", fmt, str(exchange[fmt]), "--data", str(done), "--merge"))
    before, after = store.content_hash(start), store.content_hash(done)
    assert before != after
    rng = random.Random(SEED)
    delays = [rng.uniform(0.05, duration) for _ in range(RUNS)]
    for number, delay in enumerate(delays):
        data_dir = tmp_path / f"data-{number}"
        shutil.copytree(start, data_dir)
        kill_after(glossary("import", fmt, str(exchange[fmt]), "--data", str(data_dir), "--merge"), delay)
        validate(data_dir)
        assert store.content_hash(data_dir) in (before, after), f"seed {SEED}, delay {delay:.3f}s"
        assert not list(data_dir.glob(".import-*")), "validate leaves no staging folder of a dead import"
        searcher = Searcher.open(data_dir, tmp_path / "index", reference=False)
        assert searcher.search("sgmx").results[0].zh == "四个面向"


#: A child process that runs `glossary import` (argv: data dir, file, moves before SIGKILL, format) and
#: kills itself once that many of the import's renames into data/ are done. tests/test_writers.py uses it too.
KILL_DURING_COMMIT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from glossary import imports

    moves = 0
    real_replace = os.replace

    def replace_then_die(src, dst):
        # The import's own rename, then SIGKILL once `after` files have been moved into data/.
        global moves
        real_replace(src, dst)
        if "/.import-" in str(src):
            moves += 1
            if moves == int(sys.argv[3]):
                os.kill(os.getpid(), signal.SIGKILL)

    os.replace = replace_then_die
    imports.run(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[4], merge=True)
    """
)


@pytest.mark.parametrize("after", [1, 2, 100])
def test_import_killed_while_moving_files_in_is_rolled_back(
    tmp_path: Path, exchange: dict[str, Path], after: int
) -> None:
    """Killed after `after` of its renames, an import leaves a journal; validate rolls data/ back whole."""
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data_dir)
    before, files = store.content_hash(data_dir), visible_files(data_dir)
    child = [sys.executable, "-c", KILL_DURING_COMMIT, str(data_dir), str(exchange["tbx"]), str(after), "tbx"]
    process = subprocess.run(child, capture_output=True, timeout=300)
    assert process.returncode == -signal.SIGKILL, process.stderr.decode()
    assert store.content_hash(data_dir) != before  # the kill did land in the middle of the moves
    output = validate(data_dir)
    assert f"rolled back an interrupted import: {after} file(s) put back" in output
    assert store.content_hash(data_dir) == before
    assert visible_files(data_dir) == files
    assert not list(data_dir.glob(".import-*"))
    # and the import, run again, goes through
    result = CliRunner().invoke(
        cli, ["import", "tbx", str(exchange["tbx"]), "--data", str(data_dir), "--merge"]
    )
    assert result.exit_code == 0, result.output
    validate(data_dir)
