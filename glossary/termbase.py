"""The public Python API: open a base, get an entry, iterate.

>>> from glossary import Glossary
>>> g = Glossary.open()
>>> g["four-orientations"].preferred.en
'four be oriented towards'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .base import store
from .base.model import Entry, Source

if TYPE_CHECKING:
    from .check.report import CheckReport, CheckRequest, Segment
    from .search.searcher import SearchResults


class Glossary:
    """A validated curated term base."""

    def __init__(self, base: store.TermBase):
        self._base = base

    @classmethod
    def open(cls, data_dir: Path | str | None = None) -> Glossary:
        """Load and validate the base in `data_dir` (default: the packaged one); DataError if invalid."""
        return cls(store.load(data_dir))

    @property
    def base(self) -> store.TermBase:
        """The loaded data: entries, sources, version, data directory."""
        return self._base

    @property
    def version(self) -> str:
        """The content hash of the curated files."""
        return self._base.version

    @property
    def sources(self) -> dict[str, Source]:
        """The source registry, by id."""
        return self._base.sources

    def __getitem__(self, entry_id: str) -> Entry:
        return self._base.entries[entry_id]

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id, or None."""
        return self._base.entries.get(entry_id)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._base.entries

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._base.entries.values())

    def __len__(self) -> int:
        return len(self._base.entries)

    def search(
        self,
        q: str,
        *,
        limit: int = 20,
        offset: int = 0,
        category: str | None = None,
        status: str | None = None,
        source: str | None = None,
        layer: Literal["curated", "reference"] | None = None,
    ) -> SearchResults:
        """Search by characters, pinyin in any form or English (see `glossary.search`)."""
        from .search.searcher import Searcher

        searcher: Searcher | None = getattr(self, "_searcher", None)
        if searcher is None:
            searcher = self._searcher = Searcher.open(self._base.data_dir)
        return searcher.search(
            q, limit=limit, offset=offset, category=category, status=status, source=source, layer=layer
        )

    def check(
        self,
        text: str | CheckRequest | None = None,
        *,
        segments: Iterable[Segment | tuple[str, str]] | None = None,
        lang: Literal["zh", "en"] | None = None,
        strict: bool = False,
        sources: Iterable[str] | None = None,
        profile: Literal["house", "official"] = "house",
    ) -> CheckReport:
        """Check a draft — a text, or (source, target) segments — against the base (see `glossary.check`)."""
        from .check.checker import Checker
        from .check.report import CheckRequest, Segment

        if isinstance(text, CheckRequest):
            request = text
        else:
            pairs = None
            if segments is not None:
                pairs = [s if isinstance(s, Segment) else Segment(source=s[0], target=s[1]) for s in segments]
            chosen = list(sources) if sources is not None else None
            request = CheckRequest(
                text=text, segments=pairs, lang=lang, strict=strict, sources=chosen, profile=profile
            )
        return Checker.for_base(self._base).check(request)
