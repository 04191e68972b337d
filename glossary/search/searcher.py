"""The searcher: one query in any form → ranked entries of the curated layer, then of the reference layer.

Ranking, within each layer (curated entries always come before reference ones): exact characters, exact
toned pinyin, toneless pinyin (and characters mixed with pinyin), initials, prefixes, characters inside a
longer term, the exact English rendering, English words in renderings, members / definition / literal,
notes; typo-tolerant (fuzzy) English only when nothing else matched.

Every form is answered from tables precomputed at build time and held in memory (glossary.keys): sorted key
arrays for characters and pinyin, and a stem → texts table for English, analysed as Whoosh's
StemmingAnalyzer did (glossary.search.analysis). Whoosh's searcher was not used: in pure Python its posting
walks cost 3-20 ms for frequent words at 123k entries (18 ms for a long gloss) and ~0.3 ms per call even on
the curated base, with three calls per English query; set intersections over precomputed postings cost
microseconds.

Snippets are HTML: the matched words are wrapped in ``<mark>…</mark>`` and everything else is escaped.
"""

from __future__ import annotations

import copy
import logging
import math
import os
import threading
import time
import weakref
from pathlib import Path

from pydantic import BaseModel

from ..base import store
from ..base.model import Category, Status
from . import index, layerfile
from .index import Doc
from .layer import Layer, OpenLayer
from .matching import Tier, fuzzy_tiers, han_tiers, latin_tiers, mixed_tiers
from .query import QueryError, analyse

__all__ = ["Match", "QueryError", "Result", "SearchResults", "Searcher"]

log = logging.getLogger(__name__)

MAX_LIMIT = 200


class Match(BaseModel):
    """What matched: the entry's field, the form of it that matched, and how (``kind``)."""

    #: zh, zh_hant, zh_variants, pinyin, renderings, senses (reference), members, definition, literal, notes
    field: str
    #: the value that matched: the Chinese form, the pinyin (initials for an initials match), the rendering,
    #: the member's Chinese, the note's label
    form: str
    #: characters, toned, toneless, mixed, initials, prefix, contains, rendering, words, text, notes, fuzzy
    kind: str


class Result(BaseModel):
    """One entry found."""

    id: str
    zh: str
    zh_hant: str
    pinyin: str
    preferred: str  # the preferred rendering (reference layer: the first sense)
    category: str | None
    layer: Layer
    match: Match
    snippet: str | None  # HTML: the match in <mark>…</mark>, the rest escaped; None for key matches


class SearchResults(BaseModel):
    """A page of results and the total number of entries found."""

    query: str
    total: int
    results: list[Result]


def _pointer_stat(home: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(index.pointer(home))
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


class Searcher:
    """Searches the curated layer and, when built and enabled, the reference layer. Safe across threads."""

    #: How often reload_if_changed looks at the CURRENT files, and the watcher at data/ (seconds).
    check_interval = 0.5
    data_check_interval = 2.0

    def __init__(self, data_dir: Path, index_root: Path, reference: bool = True):
        self.data_dir = data_dir
        self.index_root = index_root
        self.reference = reference
        self._curated_home = index.curated_home(index_root, data_dir)
        self._reference_home = index.reference_home(index_root)
        self._lock = threading.Lock()
        self._next_check = 0.0
        self._watcher_pid: int | None = None
        self._data_stamp = self._data_fingerprint()
        self._stamps = self._pointer_stamps()
        self._reference: tuple[Path, OpenLayer | None] | None = None  # the pointer's version, as opened
        #: What is wrong with data/ (its first problem) when the last rebuild found problems, else None.
        self.data_problem: str | None = None
        self._layers = self._open_layers()
        self._warm_up()

    def _warm_up(self) -> None:
        """Load what the first query would otherwise pay for (OpenCC, pypinyin, the speller's vocabulary)."""
        for q in ("中國", "zhongguo", "zhong1", "strength", "strenght"):
            self.search(q, limit=1)

    @classmethod
    def open(cls, data_dir: Path | str | None = None, index_dir: Path | str | None = None,
             reference: bool = True) -> Searcher:
        """Open the index of `data_dir`, building it first when it is missing or data/ has changed."""
        data_path = Path(data_dir) if data_dir is not None else store.default_data_dir()
        index.ensure_curated(data_path, index_dir)
        return cls(data_path, index.root(index_dir), reference)

    # --- the live index -------------------------------------------------------------------------------

    def _open_layers(self) -> tuple[OpenLayer, OpenLayer | None]:
        return self._open_curated(), self._open_reference() if self.reference else None

    def _open_curated(self) -> OpenLayer:
        """The live curated layer; a damaged one is rebuilt from data/ (or, failing that, an older one)."""
        path = index.current(self._curated_home)
        if path is None:
            raise FileNotFoundError(f"no curated index under {self._curated_home}: run `glossary build`")
        try:
            return OpenLayer(path)
        except layerfile.Damaged as exc:
            log.error("the curated index is damaged (%s): rebuilding it from %s", exc, self.data_dir)
        try:
            return OpenLayer(index.ensure_curated(self.data_dir, self.index_root))
        except (store.DataError, layerfile.Damaged) as exc:
            log.error("cannot rebuild the curated index (%s): trying the previous builds", exc)
        found = self._intact_other(self._curated_home, path)
        if found is None:
            raise layerfile.Damaged(f"the curated index {path} is damaged and cannot be rebuilt from "
                                    f"{self.data_dir}: fix data/ and run `glossary build`")
        return found

    def _open_reference(self) -> OpenLayer | None:
        """The reference layer: loaded again only when its pointer names another version (it is large: a
        curated change must not load a second copy); a damaged one falls back to the previous build, or to
        none, with an error in the log, never a failure (a worker that cannot start stops the server)."""
        path = index.current(self._reference_home)
        if path is None:
            return None
        if self._reference is not None and self._reference[0] == path:
            return self._reference[1]
        try:
            opened: OpenLayer | None = OpenLayer(path)
        except layerfile.Damaged as exc:
            log.error("the reference layer is damaged (%s): serving the previous build, if any; import "
                      "CC-CEDICT again (`glossary import cedict FILE`) to repair it", exc)
            opened = self._intact_other(self._reference_home, path)
        self._reference = (path, opened)
        return opened

    @staticmethod
    def _intact_other(home: Path, bad: Path) -> OpenLayer | None:
        for other in index.versions(home):
            if other != bad:
                try:
                    return OpenLayer(other)
                except layerfile.Damaged:
                    continue
        return None

    def _pointer_stamps(self) -> tuple[object, object]:
        reference = _pointer_stat(self._reference_home) if self.reference else None
        return _pointer_stat(self._curated_home), reference

    def _data_fingerprint(self) -> tuple[object, ...]:
        """Cheap signs that data/ changed (names, sizes, times); the content hash then decides."""
        stamp: list[object] = []
        for folder in (self.data_dir, self.data_dir / store.ENTRIES_DIR, self.data_dir / store.TEXTS_DIR):
            try:
                with os.scandir(folder) as entries:
                    stamp += sorted((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in entries)
            except OSError:
                stamp.append(None)
        return tuple(stamp)

    def check_data(self) -> bool:
        """Rebuild the curated index if data/ has changed since the last check; True when it was rebuilt."""
        stamp = self._data_fingerprint()
        if stamp == self._data_stamp:
            return False
        self._data_stamp = stamp
        live = index.current(self._curated_home)
        try:
            rebuilt = index.ensure_curated(self.data_dir, self.index_root) != live
        except store.DataError as exc:
            log.warning("data/ has problems; still serving the last good index:\n%s", exc)
            first = exc.problems[0] if exc.problems else exc
            self.data_problem = f"{len(exc.problems)} problem(s), the first: {first}"
            return False
        self.data_problem = None
        return rebuilt

    def _watch_data(self) -> None:
        """Start the thread that calls check_data every data_check_interval seconds (0: never)."""
        if self.data_check_interval <= 0 or self._watcher_pid == os.getpid():
            return
        self._watcher_pid = os.getpid()
        searcher = weakref.ref(self)
        interval = self.data_check_interval

        def watch() -> None:
            while True:
                time.sleep(interval)
                live = searcher()
                if live is None:  # the searcher is gone: so is the need to watch
                    return
                try:
                    live.check_data()
                except Exception:  # keep watching: a failed build now may succeed after the next edit
                    log.exception("rebuilding the search index failed")
                del live

        threading.Thread(target=watch, name="glossary-data-watch", daemon=True).start()

    @property
    def version(self) -> str:
        """The version of what is searched: the curated index, plus the reference layer when loaded."""
        curated, reference = self._layers
        return curated.path.name + (f"+{reference.path.name}" if reference else "")

    @property
    def layers(self) -> tuple[OpenLayer, ...]:
        """The loaded layers, curated first."""
        return tuple(layer for layer in self._layers if layer is not None)

    def pinned(self) -> Searcher:
        """A view of the layers live now, which later reloads leave alone: one response, one version."""
        view = copy.copy(self)  # reload_if_changed replaces the original's _layers; the view keeps these
        view._next_check = math.inf  # and never reloads itself
        return view

    def reload_if_changed(self) -> bool:
        """Pick up a rebuilt or swapped index; per request it costs a clock read, and a stat every 0.5 s.

        Watching data/ for edits (and rebuilding) is left to a background thread, started here on first use
        so that it runs in the process that serves (after a server's fork), not in the request.
        """
        now = time.monotonic()
        if now < self._next_check or not self._lock.acquire(blocking=False):
            return False
        try:
            self._next_check = now + self.check_interval
            self._watch_data()
            stamps = self._pointer_stamps()
            if stamps == self._stamps:
                return False
            self._stamps = stamps
            self._layers = self._open_layers()
            self._warm_up()
            return True
        finally:
            self._lock.release()

    # --- searching --------------------------------------------------------------------------------

    def search(self, q: str, *, limit: int = 20, offset: int = 0, category: str | None = None,
               status: str | None = None, source: str | None = None,
               layer: Layer | None = None) -> SearchResults:
        """Search every layer (or one); raise QueryError for a query that cannot be searched."""
        query = analyse(q)
        if not 0 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 0 and {MAX_LIMIT}")
        if offset < 0:
            raise QueryError("offset must not be negative")
        if layer not in (None, "curated", "reference"):
            raise QueryError(f"unknown layer {layer!r}: curated or reference")
        for name, value, known in (("category", category, Category), ("status", status, Status)):
            if value is not None and value not in {v.value for v in known}:
                raise QueryError(f"unknown {name} {value!r}: one of {', '.join(v.value for v in known)}")
        plans = []
        for open_layer in self.layers:
            if layer and open_layer.name != layer:
                continue
            allowed = open_layer.allowed(category, status, source)
            if allowed is not None and not allowed:
                continue
            if query.kind == "han":
                tiers = han_tiers(open_layer, query)
            elif query.kind == "mixed":
                tiers = mixed_tiers(open_layer, query)
            else:
                tiers = latin_tiers(open_layer, query)
            plans.append((open_layer, allowed, [_filtered(t, allowed) for t in tiers]))
        total = sum(len(set().union(*(t.docs for t in tiers))) for _, _, tiers in plans)
        if total == 0 and query.kind == "latin":
            # Typo tolerance is a fallback only: after exact matching has found nothing anywhere.
            plans = [(lay, allowed, [_filtered(t, allowed) for t in fuzzy_tiers(lay, query)])
                     for lay, allowed, _ in plans]
            total = sum(len(set().union(*(t.docs for t in tiers))) for _, _, tiers in plans)
        page = _page(plans, offset + limit)[offset:]
        results = [_result(lay, lay.data.docs[number], tier) for lay, number, tier in page]
        return SearchResults(query=query.text, total=total, results=results)


def _filtered(tier: Tier, allowed: frozenset[int] | None) -> Tier:
    if allowed is None:
        return tier
    ordered = tier.head(len(tier.docs)) if tier.head else tier.docs
    return Tier(tier.kind, [d for d in ordered if d in allowed], tier.describe)


def _page(plans: list, need: int) -> list[tuple[OpenLayer, int, Tier]]:
    """The first `need` distinct documents: layer by layer, tier by tier, each document at its best tier."""
    seen: dict[tuple[str, int], tuple[OpenLayer, int, Tier]] = {}
    for open_layer, _, tiers in plans:
        for tier in tiers:
            wanted = need
            while len(seen) < need:
                # A long tier is put in order only as far as the page needs: ask for more while short.
                docs = tier.head(wanted) if tier.head else tier.docs
                for number in docs:
                    key = (open_layer.name, number)
                    if key not in seen:
                        seen[key] = (open_layer, number, tier)
                        if len(seen) >= need:
                            break
                if tier.head is None or len(docs) < wanted:
                    break
                wanted *= 4
    return list(seen.values())


def _result(open_layer: OpenLayer, doc: Doc, tier: Tier) -> Result:
    field, form, snippet = tier.describe(doc)
    return Result(id=doc.id, zh=doc.zh, zh_hant=doc.zh_hant, pinyin=doc.pinyin, preferred=doc.preferred,
                  category=doc.category, layer=open_layer.name,
                  match=Match(field=field, form=form, kind=tier.kind), snippet=snippet)
