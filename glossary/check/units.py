"""Units of a draft: a segment, or a paragraph of a text, with the terms found in each.

`text_units` and `segment_unit` gather the terms of each unit — a segment, or a paragraph of a text with the
Chinese it gives in parentheses as its source side; `rules.Judge` judges them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal

from .matcher import Hit, Matcher, Members
from .report import Segment

_PARENS = re.compile(r"[(（][^()（）\n]*[)）]")
_PARAGRAPH = re.compile(r"\n[ \t\xa0\u3000]*\r?\n\s*")


@dataclass
class Unit:
    """A segment, or a paragraph of a text: where a rendering is looked for when the Chinese is there."""

    segment: int | None
    source_side: Literal["text", "source"]
    target_side: Literal["text", "target"]
    source: str
    target: str
    start: int = 0  # the paragraph's span in a text
    end: int | None = None
    zh: list[Hit] = field(default_factory=list)
    en: list[Hit] = field(default_factory=list)
    evidence: set[str] = field(default_factory=set)  # entries whose Chinese asks for a rendering here
    members: Members = field(default_factory=dict)  # formulas' members in the source side, by formula


def text_units(matcher: Matcher, text: str, lang: Literal["zh", "en"]) -> list[Unit]:
    """A text as units, one per paragraph, with the terms found in each."""
    starts = [0] + [m.end() for m in _PARAGRAPH.finditer(text)]
    ends = starts[1:] + [len(text)]
    units = [Unit(None, "text", "text", text, text, a, b) for a, b in zip(starts, ends, strict=True)]
    # In an English text, Chinese in parentheses is the source of the English before it; Chinese quoted
    # on its own ("力,刑之所以奮也。From Mozi") asks for nothing.
    parens = [m.span() for m in _PARENS.finditer(text)] if lang == "en" else []
    members: Members = {}
    for hit in matcher.find_chinese(text, members):
        unit = units[bisect_right(starts, hit.start) - 1]
        unit.zh.append(hit)
        around = parens[bisect_right(parens, (hit.start, len(text))) - 1] if parens else (0, 0)
        if around[0] < hit.start and hit.end < around[1] and not matcher.weak(text, hit):
            unit.evidence.add(hit.entry_id)
    for entry_id, places in members.items():
        for at, n in places:
            units[bisect_right(starts, at) - 1].members.setdefault(entry_id, []).append((at, n))
    if lang == "en":
        evidence = lambda pos: units[bisect_right(starts, pos) - 1].evidence  # noqa: E731
        for hit in matcher.find_english(text, evidence):
            units[bisect_right(starts, hit.start) - 1].en.append(hit)
    return units


def segment_unit(matcher: Matcher, index: int, segment: Segment) -> Unit:
    """A segment as a unit, with the terms found in its source and target."""
    unit = Unit(index, "source", "target", segment.source, segment.target)
    unit.zh = matcher.find_chinese(segment.source, unit.members)
    unit.evidence = {hit.entry_id for hit in unit.zh if not matcher.weak(segment.source, hit)}
    unit.en = matcher.find_english(segment.target, lambda _pos: unit.evidence)
    return unit
