"""Importing a glossary (TBX or CSV) into the curated files under data/.

New entries are added. An entry that already exists (same id, or same Chinese) is left alone when the import
agrees with it, merged only when asked (`merge=True`), and otherwise reported as a conflict. The import is
all-or-nothing: everything is read and validated first — the staged base must load without a problem — and
only then are the files moved into place.
It may import `glossary.base` and `glossary.export` (whose formats it reads back); nothing from `search`,
`check`, `cli` or the service.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..base import lock, store
from ..base.model import EntryFile, Source
from ..base.store import Problem
from . import table, tbx
from .incoming import Incoming, Options
from .merge import merge as merge_entry
from .transaction import Staging, pending, recover

READERS = {"tbx": tbx.read, "csv": table.read}
FILE_SOURCE_NOTE = "Imported with `glossary import`"  # how incoming.file_source describes a file's source

__all__ = ["READERS", "Options", "Report", "run"]


@dataclass
class Report:
    """What an import did, or would have done: counts, conflicts, problems. Nothing is written on problems."""

    added: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        """True when the import went through (conflicts resolved by keeping the existing values are fine)."""
        return not self.problems


def entry_yaml(entry: EntryFile) -> str:
    """`store.entry_yaml` through libyaml when present: the same text (tested), several times faster."""
    if not yaml.__with_libyaml__:
        return store.entry_yaml(entry)
    data = entry.model_dump(mode="json", exclude_defaults=True)
    data = {"id": data.pop("id"), **data}
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=110)


def _identity(items: Sequence[Any]) -> Iterable[Any]:
    return items


def _existing(data_dir: Path) -> tuple[store.TermBase | None, list[Problem]]:
    """The current base; an absent or empty data directory is an empty base."""
    if not (data_dir / store.SOURCES_FILE).exists() and not any(
        (data_dir / store.ENTRIES_DIR).glob("*.yaml")
    ):
        return store.TermBase(data_dir, {}, {}, ""), []
    return store.inspect(data_dir)


def _curated(base: store.TermBase, entry_id: str) -> EntryFile:
    """An existing entry as its curator wrote it (derived fields left out)."""
    path = base.data_dir / base.files[entry_id]
    return EntryFile.model_validate(store.parse_yaml(path.read_text(encoding="utf-8")).data)


def run(
    data_dir: Path,
    path: Path,
    fmt: str,
    *,
    merge: bool = False,
    options: Options | None = None,
    wrap: Any = _identity,
    dry_run: bool = False,
    waiting: Callable[[], None] | None = None,
) -> Report:
    """Import `path` (format "tbx" or "csv") into `data_dir`; write nothing unless everything is valid.

    The whole import — reading the base, checking, writing — holds data/'s lock, so that two imports never
    both read the same base and then each write their own version of it; a dry run holds it shared and
    writes nothing at all, not even the rollback of an interrupted import (it reports one instead).
    Raises `lock.DataLocked` when another writer keeps data/ too long.
    """
    with lock.locked(data_dir, shared=dry_run, waiting=waiting):
        return _run(data_dir, path, fmt, merge=merge, options=options, wrap=wrap, dry_run=dry_run)


def _run(
    data_dir: Path,
    path: Path,
    fmt: str,
    *,
    merge: bool,
    options: Options | None,
    wrap: Any,
    dry_run: bool,
) -> Report:
    report = Report()
    if dry_run and data_dir.is_dir() and pending(data_dir):
        message = "an interrupted import is waiting to be rolled back: run `glossary validate` first"
        report.problems = [Problem(str(data_dir), None, None, None, message)]
        return report
    if data_dir.is_dir() and (restored := recover(data_dir)):
        report.warnings.append(f"an interrupted import was rolled back: {len(restored)} file(s) put back")
    base, problems = _existing(data_dir)
    if problems or base is None:
        report.problems = [
            *problems,
            Problem(str(data_dir), None, None, None, "fix the base before importing"),
        ]
        return report
    owners = {entry.id: entry.zh for entry in base.entries.values()}
    incoming = READERS[fmt](path, options or Options(), owners, set(base.sources), wrap)
    report.problems += incoming.problems
    report.warnings += incoming.warnings
    files: dict[str, str] = {}
    _sources(base, incoming, report, files)
    by_form = {form: e.id for e in base.entries.values() for form in [e.zh, *(v.zh for v in e.zh_variants)]}
    seen: dict[str, int | None] = {}
    changed: dict[str, tuple[EntryFile, int | None]] = {}
    matched: set[str] = set()  # existing entries a concept of the file has been matched to
    for candidate in incoming.entries:
        entry = candidate.entry
        if entry.id in seen:
            report.problems.append(
                Problem(incoming.file, candidate.line, entry.id, "id", "id given twice in the file")
            )
            continue
        seen[entry.id] = candidate.line
        target = entry.id if entry.id in base.entries else by_form.get(entry.zh)
        if target is None:
            report.added.append(entry.id)
            changed[entry.id] = (entry, candidate.line)
            files[f"{store.ENTRIES_DIR}/{entry.id}.yaml"] = entry_yaml(entry)
            continue
        if target in matched:
            message = f"a second concept in the file matches entry {target!r} (same id or Chinese)"
            report.problems.append(Problem(incoming.file, candidate.line, entry.id, None, message))
            continue
        matched.add(target)
        current = _curated(base, target)
        merged, conflicts = merge_entry(current, entry)
        differs = merged != current
        if not differs and not conflicts:
            report.unchanged.append(target)
        elif not merge:
            report.conflicts += [f"{base.files[target]}: entry {target!r}: {c}" for c in conflicts]
            report.problems.append(
                Problem(
                    incoming.file,
                    candidate.line,
                    entry.id,
                    None,
                    f"entry {target!r} already exists and differs from the import: use --merge to merge it",
                )
            )
        else:
            report.conflicts += [f"{base.files[target]}: entry {target!r}: {c}" for c in conflicts]
            if differs:
                report.merged.append(target)
                changed[target] = (merged, candidate.line)
                files[base.files[target]] = entry_yaml(merged)
            else:
                report.unchanged.append(target)
    if not report.problems:
        report.problems += _check(base, incoming, changed)
    if report.problems or dry_run or not files:
        return report
    with Staging(data_dir) as staging:
        staging.populate(files)
        staging.commit()
    report.written = True
    return report


def _check(
    base: store.TermBase, incoming: Incoming, changed: dict[str, tuple[EntryFile, int | None]]
) -> list[Problem]:
    """The loader's whole-base rules over the base as it would be after the import, located in the file.

    This runs the loader's own checks in memory (cross-references, duplicate Chinese forms, sources, pinyin
    overrides, retired ids) instead of re-reading every staged YAML file: the same rules, a fraction of the
    time on large imports. The files are written by `entry_yaml`, which the loader reads back exactly.
    """
    empty = store.Parsed(None)
    raw: dict[str, tuple[EntryFile, store.Parsed, str]] = {
        entry_id: (entry, empty, base.files.get(entry_id, entry_id))
        for entry_id, entry in base.entries.items()
    }
    lines: dict[str, tuple[str, int | None]] = {}
    for entry_id, (entry, line) in changed.items():
        rel = base.files.get(entry_id, f"{store.ENTRIES_DIR}/{entry_id}.yaml")
        raw[entry_id] = (entry, empty, rel)
        lines[rel] = (entry_id, line)
    sources = {**{s.id: s for s in incoming.sources}, **base.sources}
    found = store.base_problems(base.data_dir, raw, sources, changed)  # the loader's own rules, reused
    problems = []
    for problem in found:
        # A problem in a file the import writes is reported where the import file holds that entry.
        if problem.file in lines and problem.entry == lines[problem.file][0]:
            problem = store.Problem(incoming.file, lines[problem.file][1], *dataclasses.astuple(problem)[2:])
        problems.append(problem)
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))


def _sources(base: store.TermBase, incoming: Incoming, report: Report, files: dict[str, str]) -> None:
    """Add the file's sources that the registry lacks (appended, so curated comments stay); report clashes."""
    new: list[Source] = []
    for source in incoming.sources:
        current = base.sources.get(source.id)
        if current is None:
            if source.id not in {s.id for s in new}:
                new.append(source)
        elif current != source and not (source.description or "").startswith(FILE_SOURCE_NOTE):
            # A source standing for an imported file is reused as registered; any other must agree.
            report.conflicts.append(
                f"{store.SOURCES_FILE}: source {source.id!r} differs from the import: keeps it"
            )
    if not new:
        return
    path = base.data_dir / store.SOURCES_FILE
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    items = [s.model_dump(mode="json", exclude_none=True) for s in new]
    files[store.SOURCES_FILE] = text + yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=110)
    report.sources_added = [s.id for s in new]
