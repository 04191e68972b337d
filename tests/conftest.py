"""Shared fixtures: the fixture term base, the real one, and the source texts."""

from __future__ import annotations

import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "data"
REAL_DATA = ROOT / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
CEDICT = ROOT.parent / "shared" / "data" / "cedict_ts.u8.gz"


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """The curated base in the repository."""
    return REAL_DATA


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The source texts the base cites: the project's own copies in data/texts (the seeds and excerpts)."""
    return REAL_DATA / "texts"


@pytest.fixture(scope="session")
def cedict_path() -> Path:
    """CC-CEDICT in ../shared/data (tests that need it skip when absent)."""
    if not CEDICT.is_file():
        pytest.skip(f"CC-CEDICT not found at {CEDICT}: these tests need ../shared/data/cedict_ts.u8.gz")
    return CEDICT


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture term base."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    """A click test runner for the `glossary` CLI."""
    return CliRunner()


@pytest.fixture(scope="session")
def index_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index root for the session, so tests never touch ~/.cache/glossary."""
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def app(index_root: Path):  # type: ignore[no-untyped-def]
    """The Flask app over the fixture term base (no reference layer), created once per session."""
    from service import create_app

    return create_app(
        {"DATA_DIR": FIXTURE_DATA, "INDEX_DIR": index_root, "REFERENCE": False, "TESTING": True}
    )


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    """A Flask test client of `app`."""
    return app.test_client()


def stop(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """Stop a server started by a test: SIGTERM (a graceful shutdown), then SIGKILL after 30 s."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def base_of(made: list[dict[str, object]], directory: Path) -> Path:
    """A data directory with the fixture base's sources and exactly these entries (generated entry data)."""
    from glossary.base import store
    from glossary.base.model import EntryFile

    shutil.copytree(FIXTURE_DATA, directory, dirs_exist_ok=True)
    for path in (directory / "entries").glob("*.yaml"):
        path.unlink()
    for data in made:
        entry = EntryFile.model_validate({k: v for k, v in data.items() if v is not None})
        (directory / "entries" / f"{entry.id}.yaml").write_text(store.entry_yaml(entry), encoding="utf-8")
    return directory
