"""All-or-nothing writing into data/: stage every file, validate the staged base, then move files into place.

The staging folder lives inside the data directory (same file system, so each move is an atomic rename) under
a dot-name the loader never reads. If anything fails, files already moved are put back and nothing in data/
has changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .. import store
from ..store import Problem


class Staging:
    """A staged copy of the data directory with the import's files written over it."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=".import-", dir=data_dir))
        self.written: list[str] = []  # paths relative to the data directory

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def populate(self, files: dict[str, str]) -> None:
        """Link the current curated files in, then write `files` (relative path -> text) over them."""
        for name in (store.SOURCES_FILE, store.RETIRED_FILE):
            if (self.data_dir / name).is_file() and name not in files:
                _link(self.data_dir / name, self.root / name)
        (self.root / store.ENTRIES_DIR).mkdir(exist_ok=True)
        entries = self.data_dir / store.ENTRIES_DIR
        for path in sorted(entries.glob("*")) if entries.is_dir() else []:
            rel = f"{store.ENTRIES_DIR}/{path.name}"
            if rel not in files and path.is_file():
                _link(path, self.root / rel)
        for rel, text in files.items():
            target = self.root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            self.written.append(rel)

    def validate(self) -> list[Problem]:
        """Every problem in the staged base, as the loader reports them."""
        _, problems = store.inspect(self.root)
        return problems

    def commit(self) -> None:
        """Move the written files into the data directory; on any failure restore what was there."""
        backups = self.root / ".backup"
        backups.mkdir()
        done: list[tuple[Path, Path | None]] = []
        try:
            for rel in self.written:
                target = self.data_dir / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                backup = None
                if target.exists():
                    backup = backups / rel.replace("/", "__")
                    _link(target, backup)
                os.replace(self.root / rel, target)
                done.append((target, backup))
        except BaseException:
            for target, backup in reversed(done):
                if backup is None:
                    target.unlink(missing_ok=True)
                else:
                    os.replace(backup, target)
            raise


def _link(source: Path, target: Path) -> None:
    """Hard-link where the file system allows it (fast for large bases), else copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
