"""The per-process resources of the app: the term base and the searcher, opened once, swapped whole.

A request takes one `Snapshot` at its start and uses nothing else, so every response comes from one whole
version of the data (old or new) even while a rebuilt index is being picked up.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from glossary import store
from glossary.export import Export, render
from glossary.search import Searcher

log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    """One consistent version of the data: the base, the searcher over it, and caches keyed to it."""

    base: store.TermBase
    searcher: Searcher
    version: str
    _entry_json: dict[str, str] = field(default_factory=dict, repr=False)
    _exports: dict[str, Export] = field(default_factory=dict, repr=False)

    def entry_json(self, entry_id: str) -> str | None:
        """The entry's export JSON, serialised once per version (None for an unknown id)."""
        cached = self._entry_json.get(entry_id)
        if cached is None:
            entry = self.base.entries.get(entry_id)
            if entry is None:
                return None
            cached = self._entry_json[entry_id] = json.dumps(entry.export(), ensure_ascii=False)
        return cached

    @property
    def reference_entries(self) -> int | None:
        """Entries in the reference layer, when it is loaded."""
        layers = self.searcher.layers
        return next((len(layer.data.docs) for layer in layers if layer.name == "reference"), None)

    def export(self, fmt: str) -> Export:
        """The rendered export in `fmt`, rendered once per version."""
        if fmt not in self._exports:
            self._exports[fmt] = render(self.base, fmt)
        return self._exports[fmt]


class Resources:
    """Opens the base and searcher once per process and hands out the current snapshot."""

    def __init__(self, data_dir: Path | None, index_dir: Path | None, reference: bool):
        self.data_dir = data_dir if data_dir is not None else store.default_data_dir()
        self.index_dir = index_dir
        self.reference = reference
        self._lock = threading.Lock()
        # Searcher.open builds the index first when it is missing or older than data/.
        self._searcher = Searcher.open(data_dir=self.data_dir, index_dir=index_dir, reference=reference)
        self._snapshot = Snapshot(store.load(self.data_dir), self._searcher, self._searcher.version)

    def snapshot(self) -> Snapshot:
        """The current snapshot, after picking up a rebuilt index (a cheap check when nothing changed)."""
        searcher = self._searcher
        searcher.reload_if_changed()
        if searcher.version == self._snapshot.version:
            return self._snapshot
        with self._lock:  # threads of one process reload once; the others wait for it
            current = self._snapshot
            if searcher.version != current.version:
                try:
                    base = store.load(self.data_dir)
                except store.DataError as exc:
                    # data/ is mid-edit: the index of the last good data is still live, keep its base too
                    log.warning("data/ has problems; still serving version %s:\n%s", current.version, exc)
                    base = current.base
                self._snapshot = Snapshot(base, searcher, searcher.version)
        return self._snapshot
