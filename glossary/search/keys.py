"""Precomputed key tables: exact and prefix lookups of character and pinyin forms by bisection.

Whoosh expands a short prefix by walking its term dictionary (up to 0.7 s at the 99th percentile over
123k entries); these tables answer the same question with two bisections per key length, in microseconds,
and hand back documents shortest key first, which is the order a prefix search should rank them in.
"""

from __future__ import annotations

import bisect
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, TypeVar, overload

import msgpack

_AFTER_ALL = "\U0010ffff"  # sorts after every character a key can hold: the end of a prefix range
_CACHE_SIZE = 50_000  # decoded documents kept per store
_SMALL_RANGE = 256  # a prefix range this short is sorted by length; a longer one is read length by length
# A bucket of at most this many keys also gets a hash index for exact lookups (built on first use, never
# stored): the curated layer's lookups become dict hits, while a 123k-entry layer keeps its compact form.
_HASHED_UP_TO = 20_000

T = TypeVar("T", bound=tuple[Any, ...])  # a NamedTuple


@dataclass(frozen=True)
class Found:
    """Documents found by a prefix. A short prefix can match thousands: `docs` then holds them all, unordered,
    for counting, and `first(n)` the first n (at least) in rank order, for a page; else `docs` is in order."""

    docs: list[int]
    first: Callable[[int], list[int]] | None = None

    def head(self, n: int) -> list[int]:
        """At least the first `n` documents in rank order (fewer only when there are no more)."""
        return self.first(n) if self.first else self.docs[:n]


class KeyTable:
    """Keys → document numbers, bucketed by key length, each bucket sorted by (key, document).

    A bucket's keys all have the same length, so they are stored as one string (key i at i*length) and its
    documents as one array: the table loads from disk as a handful of objects, not a million strings.

    With `prefixes`, the keys are also kept in one sorted run across lengths, so that a prefix matching few
    keys is found with two bisections instead of two per length (80 lengths in CC-CEDICT's pinyin).
    """

    def __init__(self, pairs: Iterable[tuple[str, int]], *, prefixes: bool = False):
        buckets: dict[int, set[tuple[str, int]]] = defaultdict(set)
        for key, doc in pairs:
            if key:
                buckets[len(key)].add((key, doc))
        self.lengths = sorted(buckets)
        self.keys: dict[int, str] = {}
        self.docs: dict[int, array[int]] = {}
        for length in self.lengths:
            ordered = sorted(buckets[length])
            self.keys[length] = "".join(key for key, _ in ordered)
            self.docs[length] = array("i", (doc for _, doc in ordered))
        self.run: tuple[str, array[int], array[int]] | None = None  # keys, their starts, their documents
        if prefixes:
            everything = sorted(pair for bucket in buckets.values() for pair in bucket)
            starts = array("i", [0])
            for key, _ in everything:
                starts.append(starts[-1] + len(key))
            self.run = "".join(key for key, _ in everything), starts, array("i", (d for _, d in everything))

    @classmethod
    def from_postings(cls, postings: dict[str, list[int]]) -> KeyTable:
        """A table from key → documents (each list already in order): no per-pair sorting, for big tables."""
        table = cls(())
        by_length: dict[int, list[str]] = defaultdict(list)
        for key in postings:
            if key:
                by_length[len(key)].append(key)
        table.lengths = sorted(by_length)
        for length in table.lengths:
            keys = sorted(by_length[length])
            table.keys[length] = "".join(key * len(postings[key]) for key in keys)
            table.docs[length] = array("i", chain.from_iterable(postings[key] for key in keys))
        return table

    def _bounds(self, length: int, low: str, high: str, *, inclusive: bool) -> tuple[int, int]:
        keys = self.keys[length]

        def key_at(i: int) -> str:
            return keys[i * length : (i + 1) * length]

        positions = range(len(keys) // length)
        lo = bisect.bisect_left(positions, low, key=key_at)
        find_high = bisect.bisect_right if inclusive else bisect.bisect_left
        return lo, find_high(positions, high, lo, key=key_at)

    def exact(self, key: str) -> list[int]:
        """The documents with exactly this key."""
        length = len(key)
        if length not in self.keys:
            return []
        hashed = self._hashed(length)
        if hashed is not None:
            lo, hi = hashed.get(key, (0, 0))
        else:
            lo, hi = self._bounds(length, key, key, inclusive=True)
        return self.docs[length][lo:hi].tolist()

    def _hashed(self, length: int) -> dict[str, tuple[int, int]] | None:
        """Key → (first, end) positions in a small bucket, or None for a bucket too large to index."""
        indexes: dict[int, dict[str, tuple[int, int]] | None] = self.__dict__.setdefault("_hashes", {})
        if length not in indexes:  # two threads may both build it: the same dict, and assignment is atomic
            keys = self.keys[length]
            count = len(keys) // length
            index: dict[str, tuple[int, int]] | None = None
            if count <= _HASHED_UP_TO:
                index = {}
                for i in range(count):
                    found = keys[i * length : (i + 1) * length]
                    first, _ = index.get(found, (i, i))
                    index[found] = (first, i + 1)
            indexes[length] = index
        return indexes[length]

    def prefix(self, prefix: str, *, proper: bool = True) -> list[int]:
        """The documents with a key starting with `prefix` (longer than it if `proper`), shortest first."""
        found = self.prefixed(prefix, proper=proper)
        return found.first(len(found.docs)) if found.first else found.docs

    def prefixed(self, prefix: str, *, proper: bool = True) -> Found:
        """Like `prefix`, but a long result is put in order only as far as a page needs (see Found)."""
        if self.run is not None:
            keys, starts, docs = self.run

            def key_at(i: int) -> str:
                return keys[starts[i] : starts[i + 1]]

            positions = range(len(docs))
            lo = bisect.bisect_left(positions, prefix, key=key_at)
            hi = bisect.bisect_left(positions, prefix + _AFTER_ALL, lo, key=key_at)
            if hi - lo <= _SMALL_RANGE:
                shortest = len(prefix) + 1 if proper else len(prefix)
                ranged = sorted((starts[i + 1] - starts[i], i) for i in range(lo, hi))
                return Found([docs[i] for length, i in ranged if length >= shortest])
            if proper:  # the key equal to the prefix sorts first in the range
                lo = bisect.bisect_right(positions, prefix, lo, hi, key=key_at)
            return Found(docs[lo:hi].tolist(), lambda n: self._shortest_first(prefix, proper, n))
        return Found(self._shortest_first(prefix, proper, None))

    def _shortest_first(self, prefix: str, proper: bool, enough: int | None) -> list[int]:
        """Documents by prefix, length by length, stopping once there are `enough` (None: all)."""
        first = (bisect.bisect_right if proper else bisect.bisect_left)(self.lengths, len(prefix))
        found: list[int] = []
        for length in self.lengths[first:]:
            lo, hi = self._bounds(length, prefix, prefix + _AFTER_ALL, inclusive=False)
            if hi > lo:
                found += self.docs[length][lo:hi].tolist()
                if enough is not None and len(found) >= enough:
                    break
        return found

    def __len__(self) -> int:
        return sum(len(docs) for docs in self.docs.values())


class TextTable:
    """Short texts (Chinese forms) for substring search: a table of their characters and character pairs.

    A needle's rarest pair narrows the texts to a handful, which are then checked whole: no scan of the
    whole corpus (a 5 MB string at 123k entries costs ~80 µs per pass, several passes per query).
    """

    def __init__(self, items: Iterable[tuple[str, int]]):
        ordered = sorted({(len(text), text, doc) for text, doc in items if text})
        self.docs = array("i", (doc for _, _, doc in ordered))
        self.starts = array("i", [0])
        for length, _, _ in ordered:
            self.starts.append(self.starts[-1] + length + 1)
        self.text = "\n".join(text for _, text, _ in ordered)
        grams: dict[str, list[int]] = defaultdict(list)
        for number, (length, text, _) in enumerate(ordered):
            for gram in {*text, *(text[i : i + 2] for i in range(length - 1))}:
                grams[gram].append(number)
        self.grams = KeyTable.from_postings(grams)

    def item(self, number: int) -> str:
        """The text numbered `number` (texts are numbered shortest first)."""
        return self.text[self.starts[number] : self.starts[number + 1] - 1]

    def find(self, needle: str) -> list[int]:
        """The documents with a text containing `needle`, shortest text first (a document may repeat)."""
        if not needle or "\n" in needle:
            return []
        if len(needle) <= 2:
            items = self.grams.exact(needle)
        else:
            rarest = min((self.grams.exact(needle[i : i + 2]) for i in range(len(needle) - 1)), key=len)
            items = [number for number in rarest if needle in self.item(number)]
        return list(map(self.docs.__getitem__, items))


class DocStore(Sequence[T]):
    """Documents kept as one blob of small msgpack records, each decoded on access: a 123k-entry layer loads
    as a single bytes object in milliseconds instead of a million Python objects (JSON decoded 8x slower)."""

    def __init__(self, docs: Iterable[T], factory: Callable[..., T]):
        records = [msgpack.packb(tuple(doc), use_bin_type=True) for doc in docs]
        self.starts = array("q", [0])
        for data in records:
            self.starts.append(self.starts[-1] + len(data))
        self.blob = b"".join(records)
        self.factory = factory
        self._cache: dict[int, T] = {}

    @classmethod
    def stored(cls, starts: array[int], blob: bytes, factory: Callable[..., T]) -> DocStore[T]:
        """A store over records read back from an index file."""
        docs: DocStore[T] = cls.__new__(cls)
        docs.starts, docs.blob, docs.factory, docs._cache = starts, blob, factory, {}
        return docs

    def __len__(self) -> int:
        return len(self.starts) - 1

    @overload
    def __getitem__(self, number: int) -> T: ...

    @overload
    def __getitem__(self, number: slice) -> Sequence[T]: ...

    def __getitem__(self, number: int | slice) -> T | Sequence[T]:
        if isinstance(number, slice):
            return [self[i] for i in range(*number.indices(len(self)))]
        if number < 0:
            number += len(self)
        if not 0 <= number < len(self):
            raise IndexError(number)
        doc = self._cache.get(number)
        if doc is None:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()  # crude, but bounded: a page needs a few dozen documents
            data = memoryview(self.blob)[self.starts[number] : self.starts[number + 1]]
            doc = self._cache[number] = self.factory(*msgpack.unpackb(data, use_list=False, raw=False))
        return doc


class WordTable:
    """Word stems → texts (renderings, senses, members, notes…) holding them, for English search.

    Texts are numbered shortest first, so the texts holding every word of a query, in number order, are in
    rank order already: the closer a rendering is to the query, the earlier it comes.
    """

    def __init__(self, texts: Iterable[tuple[str, int, int, list[str]]]):
        """`texts`: (field group, document, the text's index in the document's texts, its stems)."""
        ordered = sorted((len(stems), doc, position, group, stems) for group, doc, position, stems in texts)
        self.text_doc = array("i", (doc for _, doc, _, _, _ in ordered))
        postings: dict[str, list[int]] = defaultdict(list)
        for number, (_, _, _, group, stems) in enumerate(ordered):
            for stem in set(stems):
                postings[f"{group} {stem}"].append(number)
        self.keys = KeyTable.from_postings(postings)

    def texts(self, group: str, stems: Iterable[str], started: str = "") -> list[int]:
        """The texts of a field group holding every stem (and, if `started`, a word starting with it),
        best (shortest) first."""
        postings = sorted((self.keys.exact(f"{group} {stem}") for stem in set(stems)), key=len)
        if started:
            postings.insert(0, sorted(set(self.keys.prefix(f"{group} {started}", proper=False))))
            postings.sort(key=len)
        if not postings:
            return []
        if len(postings) == 1:
            return postings[0]
        found = set(postings[0])
        for other in postings[1:]:
            found.intersection_update(other)
            if not found:
                return []
        return sorted(found)

    def docs(self, group: str, stems: Iterable[str], started: str = "") -> list[int]:
        """The documents with a text of the group holding every stem, best first (a document may repeat)."""
        return list(map(self.text_doc.__getitem__, self.texts(group, stems, started)))
