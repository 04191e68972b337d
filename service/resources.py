"""The per-process resources of the app: the term base and the searcher, opened once, swapped whole.

A request takes one `Snapshot` at its start and uses nothing else, so every response comes from one whole
version of the data (old or new) even while a rebuilt index is being picked up.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from glossary import store


@dataclass
class Snapshot:
    """One consistent version of the data: the base, the searcher over it, and caches keyed to it."""

    base: store.TermBase
    searcher: Any | None
    version: str
    _entry_json: dict[str, str] = field(default_factory=dict, repr=False)
    _exports: dict[str, Any] = field(default_factory=dict, repr=False)

    def entry_json(self, entry_id: str) -> str | None:
        """The entry's export JSON, serialised once per version (None for an unknown id)."""
        cached = self._entry_json.get(entry_id)
        if cached is None:
            entry = self.base.entries.get(entry_id)
            if entry is None:
                return None
            cached = self._entry_json[entry_id] = json.dumps(entry.export(), ensure_ascii=False)
        return cached

    def export(self, fmt: str) -> Any:
        """The rendered export in `fmt`, rendered once per version."""
        if fmt not in self._exports:
            self._exports[fmt] = render_export(self.base, fmt)
        return self._exports[fmt]


@dataclass(frozen=True)
class Rendered:
    """A rendered download (the shape of `glossary.export.Export`)."""

    content: str | bytes
    media_type: str
    filename: str


def export_formats() -> tuple[str, ...]:
    """The export formats the library offers."""
    try:
        from glossary.export import FORMATS
    except ImportError:  # the exchange formats are not in this build: JSON is always there
        return ("json",)
    return tuple(FORMATS)


def render_export(base: store.TermBase, fmt: str) -> Any:
    """The whole base in `fmt`, through `glossary.export` when present."""
    try:
        from glossary.export import render
    except ImportError:
        entries = [entry.export() for entry in base.entries.values()]
        text = json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
        return Rendered(text, "application/json", "glossary.json")
    return render(base, fmt)


class Resources:
    """Opens the base and searcher once per process and hands out the current snapshot."""

    def __init__(self, data_dir: Path | None, index_dir: Path | None, reference: bool):
        self.data_dir = data_dir
        self.index_dir = index_dir
        self.reference = reference
        self._lock = threading.Lock()
        self._searcher = self._open_searcher()
        self._snapshot = self._take(store.load(data_dir))

    def _open_searcher(self) -> Any | None:
        try:
            from glossary.search import Searcher
        except ImportError:
            return None
        return Searcher.open(data_dir=self.data_dir, index_dir=self.index_dir, reference=self.reference)

    def _take(self, base: store.TermBase) -> Snapshot:
        version = self._searcher.version if self._searcher is not None else base.version
        return Snapshot(base, self._searcher, version)

    def snapshot(self) -> Snapshot:
        """The current snapshot, after picking up a rebuilt index (a cheap check when nothing changed)."""
        searcher = self._searcher
        if searcher is None:
            return self._snapshot
        searcher.reload_if_changed()
        if searcher.version == self._snapshot.version:
            return self._snapshot
        with self._lock:  # threads of one process reload once; the others wait for it
            if searcher.version != self._snapshot.version:
                self._snapshot = self._take(store.load(self.data_dir))
        return self._snapshot
