"""All-or-nothing writing into data/: stage every file, then move them all into place.

The staging folder lives inside the data directory (same file system, so each move is an atomic rename) under
a dot-name the loader never reads. If anything fails, files already moved are put back and nothing in data/
has changed.

A process killed while moving files in (SIGKILL, power cut) cannot put anything back itself: before the
first move it writes a journal of the files it will move, and `recover` — run by the next import and by
`glossary validate` — rolls an interrupted commit back from the journal and the backups. Imports and
recoveries hold data/'s lock (`glossary.base.lock`) throughout: two recoveries at once each put back the
same backups and then deleted the files whose backups the other had already used.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..base import lock

WRITERS = 4  # threads writing staged files
PREFIX = ".import-"
JOURNAL = ".journal"
BACKUPS = ".backup"


class Staging:
    """The files an import writes, staged next to the data they replace."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        # The pid in the name tells `recover` whether the import that staged it is still running.
        self.root = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=data_dir))
        self.written: list[str] = []  # paths relative to the data directory

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def populate(self, files: dict[str, str]) -> None:
        """Write `files` (path relative to the data directory -> text) into the staging folder."""
        for folder in {Path(rel).parent for rel in files}:
            (self.root / folder).mkdir(parents=True, exist_ok=True)

        def write(item: tuple[str, str]) -> None:
            with open(self.root / item[0], "w", encoding="utf-8") as handle:
                handle.write(item[1])

        # Creating thousands of small files is system-call bound; threads overlap the calls (about 1.7x here).
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            list(pool.map(write, files.items()))
        self.written = list(files)

    def commit(self) -> None:
        """Move the written files into the data directory; on any failure restore what was there."""
        backups = self.root / BACKUPS
        backups.mkdir()
        for folder in {Path(rel).parent for rel in self.written}:
            (self.data_dir / folder).mkdir(parents=True, exist_ok=True)
        _write_journal(self.root / JOURNAL, self.written)
        done: list[tuple[Path, Path | None]] = []
        try:
            for rel in self.written:
                target = self.data_dir / rel
                backup = backups / _backup_name(rel)
                try:
                    os.link(target, backup)  # keep the current file to put back on failure
                    kept: Path | None = backup
                except FileNotFoundError:
                    kept = None
                except OSError:  # no hard links on this file system
                    shutil.copy2(target, backup)
                    kept = backup
                os.replace(self.root / rel, target)
                done.append((target, kept))
        except BaseException:
            for target, kept in reversed(done):
                if kept is None:
                    target.unlink(missing_ok=True)
                else:
                    os.replace(kept, target)
            raise


def _backup_name(rel: str) -> str:
    return rel.replace("/", "__")


def _write_journal(path: Path, written: list[str]) -> None:
    """The files a commit moves, on disk before the first move (flushed: it must outlive the process)."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(written, handle)
        handle.flush()
        os.fsync(handle.fileno())


def pending(data_dir: Path) -> list[Path]:
    """Staging folders left in `data_dir` by imports that are no longer running (to be recovered)."""
    found = []
    for root in sorted(data_dir.glob(f"{PREFIX}*")):
        pid = root.name[len(PREFIX) :].split("-", 1)[0]
        if root.is_dir() and pid.isdigit() and int(pid) != os.getpid():
            found.append(root)
    return found


def recover(data_dir: Path) -> list[str]:
    """Roll back imports into `data_dir` that were killed while moving files in; the files put back.

    A commit that moved some but not all of its files is undone (replaced files restored from their
    backups, added files removed); one that moved none or all is complete as it is. Either way the staging
    folder is then removed. Runs under data/'s lock: an import holds it from staging to commit, so every
    staging folder seen here belongs to an import that has died (a process id alone could be reused).
    """
    if not data_dir.is_dir() or not pending(data_dir):
        return []  # the common case, and a read-only one: no lock needed
    restored: list[str] = []
    with lock.locked(data_dir):
        for root in pending(data_dir):  # again: another recovery may have finished while this one waited
            restored += _roll_back(data_dir, root)
    return restored


def _roll_back(data_dir: Path, root: Path) -> list[str]:
    restored: list[str] = []
    try:
        written = json.loads((root / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        written = []  # killed before the commit began: nothing in data/ was touched
    moved = [rel for rel in written if not (root / rel).exists()]
    if moved and len(moved) < len(written):
        for rel in reversed(moved):
            target, backup = data_dir / rel, root / BACKUPS / _backup_name(rel)
            if backup.exists():
                os.replace(backup, target)
            else:
                target.unlink(missing_ok=True)
            restored.append(rel)
    shutil.rmtree(root, ignore_errors=True)
    return restored
