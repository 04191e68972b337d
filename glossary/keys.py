"""Precomputed key tables: exact and prefix lookups of character and pinyin forms by bisection.

Whoosh expands a short prefix by walking its term dictionary (up to 0.7 s at the 99th percentile over
123k entries); these tables answer the same question with two bisections per key length, in microseconds,
and hand back documents shortest key first, which is the order a prefix search should rank them in.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from itertools import chain

_AFTER_ALL = "\U0010ffff"  # sorts after every character a key can hold: the end of a prefix range


class KeyTable:
    """Keys → document numbers, bucketed by key length, each bucket sorted by (key, document)."""

    def __init__(self, pairs: Iterable[tuple[str, int]]):
        buckets: dict[int, set[tuple[str, int]]] = defaultdict(set)
        for key, doc in pairs:
            if key:
                buckets[len(key)].add((key, doc))
        self.lengths = sorted(buckets)
        self.keys: dict[int, list[str]] = {}
        self.docs: dict[int, list[int]] = {}
        for length in self.lengths:
            ordered = sorted(buckets[length])
            self.keys[length] = [key for key, _ in ordered]
            self.docs[length] = [doc for _, doc in ordered]

    def exact(self, key: str) -> list[int]:
        """The documents with exactly this key."""
        keys = self.keys.get(len(key))
        if keys is None:
            return []
        lo = bisect.bisect_left(keys, key)
        hi = bisect.bisect_right(keys, key, lo)
        return self.docs[len(key)][lo:hi]

    def prefix(self, prefix: str, *, proper: bool = True) -> list[int]:
        """The documents with a key starting with `prefix` (longer than it if `proper`), shortest first."""
        start = bisect.bisect_right(self.lengths, len(prefix)) if proper else bisect.bisect_left(
            self.lengths, len(prefix)
        )
        end = prefix + _AFTER_ALL
        slices = []
        for length in self.lengths[start:]:
            keys = self.keys[length]
            lo = bisect.bisect_left(keys, prefix)
            hi = bisect.bisect_left(keys, end, lo)
            if hi > lo:
                slices.append(self.docs[length][lo:hi])
        return list(chain.from_iterable(slices))

    def __len__(self) -> int:
        return sum(len(keys) for keys in self.keys.values())


class TextTable:
    """Short texts (Chinese forms) joined in one string, shortest first, for substring search at C speed."""

    def __init__(self, items: Iterable[tuple[str, int]]):
        ordered = sorted({(text, doc) for text, doc in items if text}, key=lambda item: (len(item[0]), item))
        self.starts: list[int] = []
        self.docs: list[int] = [doc for _, doc in ordered]
        position = 0
        for text, _ in ordered:
            self.starts.append(position)
            position += len(text) + 1
        # "\n" cannot occur in a form, so no match spans two of them.
        self.text = "\n".join(text for text, _ in ordered)

    def find(self, needle: str) -> list[int]:
        """The documents with a text containing `needle`, shortest text first (a document may repeat)."""
        if not needle or "\n" in needle:
            return []
        found = []
        text, starts, docs = self.text, self.starts, self.docs
        position = text.find(needle)
        while position >= 0:
            index = bisect.bisect_right(starts, position) - 1
            found.append(docs[index])
            # Continue after this text: one hit per text is enough.
            following = starts[index + 1] if index + 1 < len(starts) else len(text)
            position = text.find(needle, following)
        return found
