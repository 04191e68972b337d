"""Consistency: one concept rendered two ways in one draft, a paragraph included, unless a real gloss.

Renderings that differ only by the curated equivalences ("S&T" / "science and technology"), an acronym and
its full name ("the Communist Party of China (CPC)"), or a short form of the usual rendering and its full
form ("core technologies" after "key and core technologies") are one rendering here. Anything else is an
inconsistency, also inside one paragraph ("the new development pattern … the new development paradigm"),
unless the two stand as a gloss: "X (Y)", "X, also known as Y", "X, or Y", "X, i.e. Y". Each other
rendering of a concept is one finding, with every place it is used.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..base import english
from ..base.equivalences import Equivalences
from ..base.model import Entry
from .matcher import Hit

# What may stand between two renderings that gloss one another (lower case, after the first rendering).
_GLOSS = re.compile(
    r"\s*(?:[(（]|[,，;]?\s*(?:(?:also|otherwise|often|sometimes)\s+)?(?:known|called|referred to|translated|"
    r"rendered)(?:\s+as)?(?:\s+(?:the|a|an))?|[,，]?\s*(?:or|i\.\s?e\.,?|that is,?|namely|meaning)"
    r"(?:\s+(?:the|a|an))?|[—–-])\s*"
)
_QUOTES_AND_ASIDES = re.compile(r"[(（][^()（）]*[)）]|[\"'“”‘’]")
_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,7}s?")
_SMALL = frozenset("of and the for in on to a an".split())


class UnitLike(Protocol):
    """What consistency needs of a unit: its target text."""

    target: str


@dataclass
class Inconsistency:
    """Another rendering of a concept than the draft's usual one, with every place it stands."""

    entry_id: str
    rendering: int
    usual: int
    places: list[tuple[UnitLike, Hit]]
    usual_count: int


def _initials(text: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’]*", text) if w.lower() not in _SMALL).upper()


def is_acronym_of(short: str, full: str) -> bool:
    """Whether `short` is the acronym of `full` ("CPC", "Communist Party of China")."""
    return bool(_ACRONYM.fullmatch(short)) and short.rstrip("s").replace("&", "") == _initials(full)


def nested(one: str, other: str) -> bool:
    """Whether one rendering is the other with words left out at either end ("core technologies")."""
    one, other = english.key(one) + " ", english.key(other) + " "
    return one in other or other in one


def glossed(text: str, first: Hit, second: Hit) -> bool:
    """Whether two renderings in one text stand as a gloss: "X (Y)", "X, also known as Y", "X, or Y"."""
    a, b = (first, second) if first.start <= second.start else (second, first)
    if b.start < a.end or b.start - a.end > 40:
        return False
    between = _QUOTES_AND_ASIDES.sub(" ", text[a.end : b.start].lower())
    if text[a.end : b.start].strip().startswith(("(", "（")) and text[b.end : b.end + 1] in ")）":
        return True  # "X (Y)"
    return bool(_GLOSS.fullmatch(between))


def classes(entry: Entry, equivalences: Equivalences) -> list[int]:
    """For each rendering of an entry, the index of the first rendering it is the same as."""
    canon = [equivalences.canonical(r.en) for r in entry.renderings]
    found: list[int] = []
    for i, rendering in enumerate(entry.renderings):
        others = entry.renderings
        same = next(
            (j for j in range(i) if canon[j] == canon[i] or is_acronym_of(rendering.en, others[j].en)
             or is_acronym_of(others[j].en, rendering.en)),
            i,
        )
        found.append(found[same] if same < i else i)
    return found


def inconsistencies(
    uses: dict[str, list[tuple[UnitLike, Hit]]], entries: dict[str, Entry],
    classes_of: Callable[[Entry], list[int]],
) -> Iterator[Inconsistency]:
    """Every rendering of a concept, other than the draft's usual one, used outside a gloss."""
    for entry_id, occurrences in uses.items():
        if len({hit.rendering for _unit, hit in occurrences}) < 2:
            continue
        entry = entries[entry_id]
        kinds = classes_of(entry)
        counts = Counter(kinds[hit.rendering] for _unit, hit in occurrences)
        if len(counts) < 2:
            continue
        by_unit: dict[int, list[Hit]] = {}
        for unit, hit in occurrences:
            by_unit.setdefault(id(unit), []).append(hit)
        first_seen: dict[int, int] = {}
        for n, (_unit, hit) in enumerate(occurrences):
            first_seen.setdefault(kinds[hit.rendering], n)
        main = max(counts, key=lambda k: (counts[k], -first_seen[k]))
        usual = entry.renderings[main].en
        used = {hit.rendering for _unit, hit in occurrences}
        short = {i: nested(entry.renderings[i].en, usual) for i in used}
        others: dict[int, list[tuple[UnitLike, Hit]]] = {}
        for unit, hit in occurrences:
            kind = kinds[hit.rendering]
            if kind == main or short[hit.rendering]:
                continue
            if _in_gloss(unit, hit, by_unit[id(unit)], kinds):
                continue
            others.setdefault(kind, []).append((unit, hit))
        for places in others.values():
            yield Inconsistency(entry_id, places[0][1].rendering, main, places, counts[main])


def _in_gloss(unit: UnitLike, hit: Hit, neighbours: Sequence[Hit], kinds: list[int]) -> bool:
    """Whether another rendering of the same concept in the same unit glosses this one."""
    return any(
        kinds[other.rendering] != kinds[hit.rendering] and glossed(unit.target, hit, other)
        for other in neighbours
        if abs(other.start - hit.start) < 200
    )
