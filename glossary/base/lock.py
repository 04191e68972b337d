"""One writer at a time for data/: an advisory lock (flock) on the data directory itself.

Everything that reads the whole base, checks it and writes into it — an import, the rollback of an interrupted
one — holds the lock exclusively from the first read to the last write, so two of them never interleave (two
imports at once each rewrote sources.yaml from the copy they had read: one new source was lost). A dry run
holds it shared: it waits for a writer to finish, and writes nothing, not even a lock file.

The lock is taken on the directory's own file descriptor (Linux and the BSDs lock directories as they do
files), so it needs no lock file: nothing is created in data/ or beside it, a read-only data/ can be locked,
and a lock dies with its process (SIGKILL included) without leaving anything to clean up.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

#: How long a writer waits for another one before giving up with `DataLocked` (seconds).
WAIT = 120.0
_POLL = 0.05

_held: dict[str, int] = {}  # data directories this process holds, and how many times (the lock nests)
_guard = threading.Lock()


class DataLocked(RuntimeError):
    """Another process is writing data/ and did not finish in time."""


@contextmanager
def locked(
    data_dir: Path,
    *,
    shared: bool = False,
    wait: float | None = None,
    waiting: Callable[[], None] | None = None,
) -> Iterator[None]:
    """Hold data/'s lock (exclusive, or `shared` for readers) for the block; nesting in one process is free.

    Waits up to `wait` seconds (default WAIT) for another holder, calling `waiting()` once if it has to, then
    raises DataLocked. A missing directory is not locked (there is nothing to protect yet).
    """
    key = str(data_dir.resolve())
    with _guard:
        if _held.get(key):
            _held[key] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _guard:
                _held[key] -= 1
        return
    try:
        fd = os.open(key, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        yield
        return
    try:
        _acquire(fd, key, fcntl.LOCK_SH if shared else fcntl.LOCK_EX, WAIT if wait is None else wait, waiting)
        with _guard:
            _held[key] = 1
        try:
            yield
        finally:
            with _guard:
                del _held[key]
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int, path: str, mode: int, wait: float, waiting: Callable[[], None] | None) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if not told and waiting is not None:
            waiting()
            told = True
        if time.monotonic() >= deadline:
            raise DataLocked(
                f"{path} is being changed by another import or recovery (still busy after {wait:.0f} s): "
                "nothing was written; try again when it has finished"
            )
        time.sleep(_POLL)
