"""Formulas (四个面向, 六稳): members given incompletely or out of order, and a count word that is wrong.

A formula entry lists its `members` in order. Where a draft names a numbered formula in Chinese, the members
it gives around the label (in the same paragraph or segment) should be all of them, in order; where it gives
every member without the label, that is the formula too (a term found). In English, a formula's rendering
with another count word ("the three important strategic areas" for 四个面向) is flagged: the matcher finds a
rendering under every count word (`count_variants`), remembering which count it says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..base import english
from ..base.model import Entry

NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_WORD_OF = {n: w for w, n in NUMBERS.items()}
_CHINESE_COUNT = re.compile("[两二三四五六七八九十]")
_MIN_MEMBER = 3  # members shorter than this (教育, 安全) are too common to take for the formula alone


def count_variants(entry: Entry, rendering: str) -> Iterator[tuple[str, int]]:
    """A formula rendering with its count word replaced by every other: (key, the count it says)."""
    if len(entry.members) < 2:
        return
    words = english.key(rendering).split()
    for i, word in enumerate(words):
        if NUMBERS.get(word) == len(entry.members):
            for count, other in _WORD_OF.items():
                if count != len(entry.members):
                    yield " " + " ".join([*words[:i], other, *words[i + 1 :]]), count
            return


def miscount_message(entry: Entry, written: str, count: int) -> str:
    """The finding for a formula rendering with the wrong count word."""
    size = len(entry.members)
    says, has = _WORD_OF.get(count, str(count)), _WORD_OF.get(size, str(size))
    members = "、".join(m.zh for m in entry.members)
    return f"“{written}” says {says}, but {entry.zh} ({entry.id}) has {has} members: {members}"


@dataclass(frozen=True)
class MemberCheck:
    """What a stretch of Chinese says of a formula: a message (warning) or a span where it is named."""

    start: int
    end: int
    message: str | None  # None: every member, in order, without the label (a term found)


def numbered(entry: Entry) -> bool:
    """Whether an entry is a numbered formula whose label is not its members (四个面向, 三保)."""
    return len(entry.members) >= 2 and bool(_CHINESE_COUNT.search(entry.zh)) and not all(
        m.zh in entry.zh for m in entry.members
    )


def check_members(
    entry: Entry, members: list[tuple[int, int]], label_at: int | None
) -> MemberCheck | None:
    """What the members of `entry` found in a paragraph or segment (`members`: start and member number, in
    text order) say: incomplete or out of order around its label (found at `label_at`), or, without the
    label, every member close together and in order: the formula named (None: nothing to say)."""
    if not members:
        return None
    size = len(entry.members)
    if label_at is not None:
        seen = dict.fromkeys(n for _at, n in members)
        label = (label_at, label_at + len(entry.zh))
        if len(seen) < size:
            given = "、".join(entry.members[n].zh for n in seen)
            missing = "、".join(m.zh for n, m in enumerate(entry.members) if n not in seen)
            said = f"{entry.zh} ({entry.id}) has {size} members; here {len(seen)} ({given}), not {missing}"
            return MemberCheck(*label, said)
        if list(seen) != sorted(seen):
            return MemberCheck(*label, _order_message(entry))
        return None
    if any(len(m.zh) < _MIN_MEMBER for m in entry.members):
        return None
    width = 3 * sum(len(m.zh) for m in entry.members)
    for i, (start, _n) in enumerate(members):
        window = [(at, n) for at, n in members[i:] if at - start <= width]
        seen = dict.fromkeys(n for _at, n in window)
        if len(seen) == size:
            last = max(at + len(entry.members[n].zh) for at, n in window)
            message: str | None = None if list(seen) == sorted(seen) else _order_message(entry)
            return MemberCheck(start, last, message)
    return None


def _order_message(entry: Entry) -> str:
    members = "、".join(m.zh for m in entry.members)
    return f"the members of {entry.zh} ({entry.id}) are out of order: {members}"
