"""The per-process resources of the app: the term base and the searcher, opened once, swapped whole.

A request takes one `Snapshot` at its start and uses nothing else, so every response comes from one whole
version of the data (old or new) even while a rebuilt index is being picked up.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pydantic import TypeAdapter

from glossary.base import model, pinyin, profiles, script, store
from glossary.export import Export, render
from glossary.search import concordance, index, layerfile, usage
from glossary.search.concordance import Concordance
from glossary.search.searcher import Searcher

log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    """One consistent version of the data: the base, the searcher over it, and caches keyed to it."""

    base: store.TermBase
    searcher: Searcher
    version: str
    cache_size: int = 0
    _entry_json: dict[str, str] = field(default_factory=dict, repr=False)
    _exports: dict[tuple[str, str], Export] = field(default_factory=dict, repr=False)
    _searches: OrderedDict[tuple[object, ...], str] = field(default_factory=OrderedDict, repr=False)
    _usages: OrderedDict[tuple[str, int], str] = field(default_factory=OrderedDict, repr=False)
    _concordance: Concordance | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def concordance(self) -> Concordance:
        """The concordance of this version's source texts (in the curated layer's directory)."""
        with self._lock:
            if self._concordance is None:
                self._concordance = Concordance(self.searcher.layers[0].path / concordance.FILE)
            return self._concordance

    def usage_json(self, entry_id: str, limit: int) -> str | None:
        """An entry's usage in the sources as JSON (None for an unknown id), kept for recent entries."""
        entry = self.base.entries.get(entry_id)
        if entry is None:
            return None
        key = (entry_id, limit)
        with self._lock:
            if (hit := self._usages.get(key)) is not None:
                self._usages.move_to_end(key)
                return hit
        body = usage.usage(entry, self.concordance, self.base.sources, limit).model_dump_json()
        with self._lock:
            self._usages[key] = body
            if len(self._usages) > _USAGE_CACHE:
                self._usages.popitem(last=False)
        return body

    def search_json(self, key: tuple[object, ...], compute: Callable[[], str]) -> str:
        """A search response's JSON: from an LRU cache of this version's recent searches, else `compute()`."""
        # A search costs milliseconds, a cached answer microseconds; real traffic repeats itself (the page
        # searches as the reader types). The cache belongs to one data version, so a rebuild empties it.
        with self._lock:
            if (hit := self._searches.get(key)) is not None:
                self._searches.move_to_end(key)
                return hit
        body = compute()
        if self.cache_size:
            with self._lock:
                self._searches[key] = body
                if len(self._searches) > self.cache_size:
                    self._searches.popitem(last=False)
        return body

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

    def export(self, fmt: str, profile: str = "house") -> Export:
        """The rendered export in `fmt` under a profile, rendered once per version."""
        if (fmt, profile) not in self._exports:
            self._exports[(fmt, profile)] = render(self.base.for_profile(profile), fmt)
        return self._exports[(fmt, profile)]


_USAGE_CACHE = 512  # usage answers kept per version: one per entry page recently opened

#: Modules whose code decides what a loaded base holds: a change to any of them invalidates cached bases.
_BASE_CODE = (store, model, pinyin, script, profiles)
_KEEP_BASES = 2


@cache
def _code_key() -> str:
    digest = hashlib.sha1()
    for module in _BASE_CODE:
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:8]


def load_base(data_dir: Path, index_root: Path) -> store.TermBase:
    """The validated base of `data_dir`: from a JSON copy cached per content version, else loaded, cached."""
    # Parsing and validating every YAML file takes seconds (pure-Python YAML, with line numbers for curators'
    # messages), once per worker; the cached copy of an unchanged base loads in a fraction of that, so a
    # worker starts in well under a second. The copy is JSON, read back through the models (a pickle would
    # run whatever code a file in the cache directory names); a damaged copy is ignored and rewritten.
    folder = index_root / "bases"
    prefix = hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:12] + f"-{_code_key()}-"
    cached = folder / f"{prefix}{store.content_hash(data_dir)}.json"
    try:
        base = _read_base(cached, data_dir)
        if cached.name.endswith(f"-{base.version}.json"):
            return base
    except (OSError, ValueError, KeyError, TypeError):  # not cached yet, or damaged: load it
        pass
    base = store.load(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Named by the version the loader computed from what it read, so a file edited meanwhile is not
        # cached under the wrong version; written under a temporary name and renamed, so never seen half-done.
        target = folder / f"{prefix}{base.version}.json"
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_base_json(base))
        os.replace(tmp, target)
        for old in sorted(folder.glob(f"{prefix}*.json"), key=lambda p: p.stat().st_mtime)[:-_KEEP_BASES]:
            old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only cache still serves; it only starts slower
        log.warning("cannot cache the loaded base in %s: %s", folder, exc)
    return base


_ENTRIES = TypeAdapter(dict[str, model.Entry])
_SOURCES = TypeAdapter(dict[str, model.Source])


def _base_json(base: store.TermBase) -> bytes:
    """Three JSON lines: the version, files and equivalences; the entries; the sources."""
    head = {"version": base.version, "files": base.files,
            "equivalences": layerfile.equivalences_data(base.equivalences)}
    return b"\n".join([json.dumps(head, ensure_ascii=False).encode(), _ENTRIES.dump_json(base.entries),
                       _SOURCES.dump_json(base.sources)]) + b"\n"


def _read_base(path: Path, data_dir: Path) -> store.TermBase:
    head_line, entries_line, sources_line = path.read_bytes().split(b"\n")[:3]
    head = json.loads(head_line)
    checked = {model.CHECKED: True}  # written by _base_json from a base the loader validated
    equivalences = layerfile.equivalences_from(head["equivalences"])
    return store.TermBase(data_dir, _ENTRIES.validate_json(entries_line, context=checked),
                          _SOURCES.validate_json(sources_line, context=checked), head["version"],
                          dict(head["files"]), equivalences)


_OPEN_ATTEMPTS = 3
_STALE_RETRY = 2.0  # seconds before an index version that did not match data/ is compared again


class Resources:
    """Opens the base and searcher once per process and hands out the current snapshot."""

    def __init__(self, data_dir: Path | None, index_dir: Path | None, reference: bool, cache_size: int = 0):
        self.data_dir = data_dir if data_dir is not None else store.default_data_dir()
        self.index_dir = index_dir
        self.reference = reference
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self.index_root = index.root(index_dir)
        # An index version whose data/ had moved on when it was picked up, and when to look at it again (data/
        # may come back to it, by a revert, without the index changing again).
        self._stale: tuple[str, float] = ("", 0.0)
        # Searcher.open builds the index first when it is missing or older than data/.
        self._searcher = Searcher.open(data_dir=self.data_dir, index_dir=index_dir, reference=reference)
        for _ in range(_OPEN_ATTEMPTS):
            if (first := self._take()) is not None:
                break
            # data/ changed between opening the index and loading the base: open the index of data/ now
            self._searcher = Searcher.open(data_dir=self.data_dir, index_dir=index_dir, reference=reference)
        else:
            # data/ keeps changing faster than it is indexed: index exactly the base in hand
            base = load_base(self.data_dir, self.index_root)
            index.build_curated(base, index_dir)
            self._searcher = Searcher(self.data_dir, self.index_root, reference)
            view = self._searcher.pinned()  # (unless another build swapped the index in that instant)
            first = self._take() or Snapshot(base, view, view.version, cache_size)
        self._snapshot = first

    def _take(self) -> Snapshot | None:
        """The live index and the base it was built from; None when data/ has changed since it was built."""
        # The curated index version is the content hash of the data it was built from, and the base loaded
        # here carries the content hash of what it read: if they differ, the two must not be served together.
        view = self._searcher.pinned()
        base = load_base(self.data_dir, self.index_root)
        if view.version.split("+")[0] != index.version_name(base.version):
            return None
        return Snapshot(base, view, view.version, self.cache_size)

    def data_problem(self) -> str | None:
        """What is wrong with data/ when the last look found problems (the last good version is served)."""
        return self._searcher.data_problem

    def _is_stale(self, version: str) -> bool:
        return version == self._stale[0] and time.monotonic() < self._stale[1]

    def snapshot(self) -> Snapshot:
        """The current snapshot, after picking up a rebuilt index (a cheap check when nothing changed).

        Every response is served from one snapshot: an index version, pinned, and exactly the base it was
        built from. While data/ is ahead of the live index (or has problems), the last whole snapshot stays.
        """
        searcher = self._searcher
        searcher.reload_if_changed()
        version = searcher.version
        if version == self._snapshot.version or self._is_stale(version):
            return self._snapshot
        with self._lock:  # threads of one process reload once; the others wait for it
            if searcher.version != self._snapshot.version and not self._is_stale(searcher.version):
                try:
                    fresh = self._take()
                except store.DataError as exc:
                    log.warning("data/ has problems; still serving %s:\n%s", self._snapshot.version, exc)
                    fresh = None
                if fresh is None:
                    self._stale = (searcher.version, time.monotonic() + _STALE_RETRY)
                else:
                    self._snapshot = fresh
        return self._snapshot
