"""English variation that is not a different rendering, read from data/equivalences.yaml.

"S&T", "science and technology" and "scientific and technological" are the same words to a terminologist;
so are "modernisation" and "modernization", and "new drivers of growth" and "new growth drivers". Curators
list such variation in `data/equivalences.yaml` (see data/README.md):

- `phrases`: groups of interchangeable word sequences; the first of a group is its canonical form;
- `spellings`: groups of interchangeable words (British/American), the first canonical;
- `suffixes`: pairs of interchangeable word endings (`ization`/`isation`), applied to any word;
- `word_order`: the prepositions with which a modifier may follow its head ("drivers of growth").

The checker finds a rendering under each of its `variants`, and judges two renderings the same when their
`canonical` forms are equal; search indexes and looks up the `canonical` form of renderings and queries.
Keys here are as `english.key` makes them: folded, one leading space, words separated by one space.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import product
from typing import Any

from . import english

FILE = "equivalences.yaml"
_FIELDS = ("phrases", "spellings", "suffixes", "word_order")
_MAX_VARIANTS = 64  # per rendering: enough for two S&T phrases and a spelling in one rendering


@dataclass(frozen=True)
class Problem:
    """A problem in the equivalences file: line, field, message (the store adds the file name)."""

    line: int | None
    field: str | None
    message: str


def _words(text: str) -> tuple[str, ...]:
    return tuple(english.key(text).split())


@dataclass
class Equivalences:
    """The curated equivalences; empty when the data directory has no equivalences file."""

    phrases: list[list[tuple[str, ...]]] = field(default_factory=list)
    spellings: dict[str, list[str]] = field(default_factory=dict)  # word → its group, canonical first
    suffixes: list[tuple[str, str]] = field(default_factory=list)
    prepositions: frozenset[str] = frozenset()

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Equivalences:
        """Equivalences from validated data (see `parse`)."""
        spellings: dict[str, list[str]] = {}
        for group in data.get("spellings") or []:
            words = [english.fold(w) for w in group]
            for word in words:
                spellings[word] = words
        return cls(
            phrases=[[_words(p) for p in group] for group in data.get("phrases") or []],
            spellings=spellings,
            suffixes=[(english.fold(a), english.fold(b)) for a, b in data.get("suffixes") or []],
            prepositions=frozenset(english.fold(p) for p in data.get("word_order") or []),
        )

    def spelling(self, word: str) -> list[str]:
        """A word and its other spellings, canonical first."""
        if group := self.spellings.get(word):
            return group
        for american, british in self.suffixes:
            if len(word) > len(american) + 2 and word.endswith(american):
                return [word, word[: -len(american)] + british]
            if len(word) > len(british) + 2 and word.endswith(british):
                return [word[: -len(british)] + american, word]
        return [word]

    def _phrase_options(self, words: tuple[str, ...]) -> list[list[tuple[str, ...]]]:
        """The words as pieces, each piece with its alternatives (a phrase's group, or a word's spellings)."""
        pieces: list[list[tuple[str, ...]]] = []
        i = 0
        while i < len(words):
            for group in self.phrases:
                member = next((m for m in group if words[i : i + len(m)] == m), None)
                if member is not None:
                    pieces.append(list(group))
                    i += len(member)
                    break
            else:
                pieces.append([(w,) for w in self.spelling(words[i])])
                i += 1
        return pieces

    def canonical(self, text: str) -> str:
        """The canonical key of a rendering or query: each phrase and spelling in its group's first form,
        and a modifier after its head put before it ("drivers of growth" → "growth drivers")."""
        pieces = tuple(options[0] for options in self._phrase_options(_words(text)))
        preps = [i for i, p in enumerate(pieces) if len(p) == 1 and p[0] in self.prepositions]
        if len(preps) == 1 and 0 < preps[0] < len(pieces) - 1:
            i = preps[0]
            pieces = (*pieces[: i - 1], *pieces[i + 1 :], pieces[i - 1])
        return " " + " ".join(w for piece in pieces for w in piece)

    def variants(self, text: str) -> list[str]:
        """Every key under which a rendering counts as written: its phrases and spellings in every form,
        and its modifier before or after its head; the rendering's own key first."""
        own = english.key(text)
        words = _words(text)
        if not words:
            return [own]
        found = [own]
        for combo in product(*self._phrase_options(words)):
            for order in (combo, *self._orders(combo)):
                found.append(" " + " ".join(w for piece in order for w in piece))
            if len(found) >= _MAX_VARIANTS:
                break
        return list(dict.fromkeys(found))[:_MAX_VARIANTS]

    def _orders(self, pieces: tuple[tuple[str, ...], ...]) -> Iterable[tuple[tuple[str, ...], ...]]:
        """The same pieces (words, or whole phrases) with the modifier moved across the head: "new growth
        drivers" → "new drivers of growth", "drivers of new growth"; "new drivers of growth" → "new growth
        drivers"."""
        if not self.prepositions or len(pieces) < 2 or len(pieces) > 8:
            return
        preps = [i for i, p in enumerate(pieces) if len(p) == 1 and p[0] in self.prepositions]
        if len(preps) == 1 and 0 < preps[0] < len(pieces) - 1:
            i = preps[0]
            yield (*pieces[: i - 1], *pieces[i + 1 :], pieces[i - 1])
            return
        if preps:
            return
        joins = {("and",), ("or",), ("the",)}
        head = pieces[-1]
        for split in range(len(pieces) - 1):
            modifier = pieces[split:-1]
            if modifier[0] in joins or modifier[-1] in joins:
                continue
            for preposition in sorted(self.prepositions):
                yield (*pieces[:split], head, (preposition,), *modifier)


def parse(data: Any, line_of: Any) -> tuple[Equivalences, list[Problem]]:
    """Validate the file's data (`line_of(path)` gives a node's line); the equivalences and the problems."""
    problems: list[Problem] = []
    if data is None:
        return Equivalences(), problems
    if not isinstance(data, dict):
        return Equivalences(), [Problem(1, None, "the file holds one mapping (phrases, spellings, …)")]
    for key in data:
        if key not in _FIELDS:
            expected = ", ".join(_FIELDS)
            problems.append(Problem(line_of((key,)), str(key), f"unknown field; expected {expected}"))
    seen: dict[str, str] = {}
    for name in ("phrases", "spellings", "suffixes"):
        groups = data.get(name) or []
        if not isinstance(groups, list):
            problems.append(Problem(line_of((name,)), name, "a list of groups"))
            continue
        for n, group in enumerate(groups):
            where = line_of((name, n))
            size_ok = len(group) == 2 if name == "suffixes" else len(group) >= 2
            if not isinstance(group, list) or not size_ok or not all(isinstance(g, str) and g.strip()
                                                                     for g in group):
                wanted = "a pair [american, british]" if name == "suffixes" else "a list of two or more"
                problems.append(Problem(where, name, f"group {n + 1}: {wanted} non-empty strings"))
                continue
            if name == "suffixes":
                continue
            for member in group:
                folded = english.key(member)
                if name == "spellings" and len(folded.split()) != 1:
                    problems.append(Problem(where, name, f"{member!r}: a spelling is one word"))
                if folded in seen:
                    problems.append(Problem(where, name, f"{member!r} is already in {seen[folded]}"))
                seen[folded] = f"{name} group {n + 1} (line {where})"
    order = data.get("word_order") or []
    if not isinstance(order, list) or not all(isinstance(p, str) and len(p.split()) == 1 for p in order):
        problems.append(Problem(line_of(("word_order",)), "word_order", "a list of one-word prepositions"))
    if problems:
        return Equivalences(), problems
    return Equivalences.from_data(data), problems
