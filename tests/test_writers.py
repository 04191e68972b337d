"""One writer at a time for data/: concurrent imports and crash recoveries, as real processes started at once.

Each trial starts two `glossary` processes that wait for the same wall-clock instant before running their
command, so that both read data/ within a millisecond of each other (process start-up alone differs by more
than an import's read-check-write window). Afterwards data/ must be valid, every process that said it
succeeded must have its work in data/, and one that refused must have said why.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_crash_safety import KILL_DURING_COMMIT

from glossary.base import store
from glossary.cli import cli

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
TRIALS = int(os.environ.get("GLOSSARY_WRITER_TRIALS", "3"))
START_AFTER = 4.0  # seconds: time for both interpreters to import everything before the common instant

TOGETHER = textwrap.dedent(
    """
    import sys, time
    from glossary.cli import cli
    at = float(sys.argv[1])
    time.sleep(max(0.0, at - time.time()))
    sys.argv = ["glossary", *sys.argv[2:]]
    cli()
    """
)

CHARS = "测试样例甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"


def together(*commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Run `glossary` commands as separate processes that all start their work at the same instant."""
    at = time.time() + START_AFTER
    processes = [
        subprocess.Popen([sys.executable, "-c", TOGETHER, str(at), *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for args in commands
    ]
    done = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


def csv_file(folder: Path, name: str, count: int) -> Path:
    """A CSV of `count` new entries, citing no source: the import registers one named after the file."""
    path = folder / f"{name}.csv"
    rows = ["id,zh,en"]
    first = {"alpha": "甲", "beta": "乙"}[name]
    for number in range(count):
        zh = first + CHARS[number // len(CHARS)] + CHARS[number % len(CHARS)]
        rows.append(f"{name}-term-{number},{zh},{name} term {number}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def snapshot(data_dir: Path) -> dict[str, tuple[int, bytes]]:
    """Every file and folder under data/, dot-names included, with its mode and content."""
    found = {}
    for path in sorted(data_dir.rglob("*")):
        rel = path.relative_to(data_dir).as_posix()
        found[rel] = (path.stat().st_mode, path.read_bytes() if path.is_file() else b"")
    return found


def validate(data_dir: Path) -> None:
    """`glossary validate` passes on `data_dir`."""
    result = CliRunner().invoke(cli, ["validate", "--data", str(data_dir)])
    assert result.exit_code == 0, result.output


def test_two_imports_at_once_never_both_succeed_with_data_invalid(tmp_path: Path) -> None:
    """Two imports adding different sources and entries: each goes through in turn or refuses; data/ valid."""
    files = [csv_file(tmp_path, name, 300) for name in ("alpha", "beta")]
    for trial in range(TRIALS):
        data_dir = tmp_path / f"data-{trial}"
        shutil.copytree(FIXTURE_DATA, data_dir)
        runs = together(*(["import", "csv", str(f), "--data", str(data_dir)] for f in files))
        base, problems = store.inspect(data_dir)
        assert not problems, f"trial {trial}: data/ invalid after two imports: {problems[:3]} …"
        assert base is not None
        for run, name in zip(runs, ("alpha", "beta"), strict=True):
            if run.returncode == 0:
                assert name in base.sources, f"trial {trial}: {name} said it succeeded; its source is gone"
                assert f"{name}-term-299" in base.entries, f"trial {trial}: {name}'s entries are gone"
            else:
                assert "another import" in run.stderr and "Traceback" not in run.stderr, run.stderr
        assert any(run.returncode == 0 for run in runs), [run.stderr for run in runs]




def interrupted(tmp_path: Path, name: str, merged: Path) -> tuple[Path, str, set[str]]:
    """A copy of the fixture base with an import of `merged` killed after 150 of its moves into data/."""
    data_dir = tmp_path / name
    shutil.copytree(FIXTURE_DATA, data_dir)
    before, files = store.content_hash(data_dir), set(snapshot_visible(data_dir))
    child = [sys.executable, "-c", KILL_DURING_COMMIT, str(data_dir), str(merged), "150", "csv"]
    process = subprocess.run(child, capture_output=True, timeout=300)
    assert process.returncode == -signal.SIGKILL, process.stderr.decode()
    assert store.content_hash(data_dir) != before
    return data_dir, before, files


def snapshot_visible(data_dir: Path) -> list[str]:
    """The files the loader reads (no dot-names)."""
    return [rel for rel in snapshot(data_dir) if not any(p.startswith(".") for p in rel.split("/"))
            and (data_dir / rel).is_file()]


@pytest.fixture(scope="module")
def rewrite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CSV that rewrites every entry of the fixture base (a merge of a new rendering) and adds 200 more:
    killed mid-commit, it leaves many replaced files whose backups a recovery must put back."""
    folder = tmp_path_factory.mktemp("rewrite")
    base = store.load(FIXTURE_DATA)
    rows = ["id,zh,en,status"]
    for e in base.entries.values():
        en = e.preferred.en
        rows += [f"{e.id},{e.zh},{en},preferred", f"{e.id},{e.zh},{en} (again),admitted"]
    new = csv_file(folder, "alpha", 200).read_text(encoding="utf-8").splitlines()[1:]
    path = folder / "rewrite.csv"
    path.write_text("\n".join(rows + [f"{line},preferred" for line in new]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("second", ["validate", "dry-run"])
def test_two_recoveries_at_once_put_data_back_whole(tmp_path: Path, rewrite: Path, second: str) -> None:
    """After an import killed mid-commit, validate beside validate (or import --dry-run) restores data/
    exactly, deleting no curated file."""
    for trial in range(TRIALS):
        data_dir, before, files = interrupted(tmp_path, f"data-{trial}", rewrite)
        other = (["validate", "--data", str(data_dir)] if second == "validate"
                 else ["import", "csv", str(rewrite), "--data", str(data_dir), "--dry-run", "--merge"])
        runs = together(["validate", "--data", str(data_dir)], other)
        assert set(snapshot_visible(data_dir)) == files, f"trial {trial}: {[r.stderr for r in runs]}"
        assert store.content_hash(data_dir) == before, f"trial {trial}"
        assert "Traceback" not in runs[0].stderr + runs[1].stderr
        validate(data_dir)


def test_dry_run_writes_nothing_even_beside_an_interrupted_import(tmp_path: Path, rewrite: Path) -> None:
    """`import --dry-run` changes nothing in data/, not even a rollback: it says one is needed instead."""
    data_dir, _, _ = interrupted(tmp_path, "data", rewrite)
    seen = snapshot(data_dir)
    result = CliRunner().invoke(cli, ["import", "csv", str(rewrite), "--data", str(data_dir), "--dry-run"])
    assert result.exit_code != 0
    assert "run `glossary validate` first" in result.output
    assert snapshot(data_dir) == seen
    clean = tmp_path / "clean"
    shutil.copytree(FIXTURE_DATA, clean)
    seen = snapshot(clean)
    result = CliRunner().invoke(cli, ["import", "csv", str(rewrite), "--data", str(clean), "--dry-run",
                                      "--merge"])
    assert result.exit_code == 0, result.output
    assert snapshot(clean) == seen


def test_sources_registry_is_parsed_after_two_imports(tmp_path: Path) -> None:
    """Both imports' sources are registered once each when both succeed (sources.yaml is not clobbered)."""
    data_dir = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data_dir)
    files = [csv_file(tmp_path, name, 50) for name in ("alpha", "beta")]
    runs = together(*(["import", "csv", str(f), "--data", str(data_dir)] for f in files))
    ids = [s["id"] for s in yaml.safe_load((data_dir / "sources.yaml").read_text(encoding="utf-8"))]
    for run, name in zip(runs, ("alpha", "beta"), strict=True):
        assert (name in ids) == (run.returncode == 0), run.stderr
    assert len(ids) == len(set(ids))
