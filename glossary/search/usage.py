"""An entry's usage in the source texts: every occurrence of each rendering and of the Chinese, in context,
counted by publisher and year, and the English that the aligned text gives for the Chinese.

The same figures serve ``GET /api/v1/terms/{id}/usage``, the entry page and ``glossary usage``. (An entry's
``usage`` field is something else: which publishers the base cites for each rendering, from sources.yaml.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, Field

from ..base import english
from ..base.model import Entry, Source
from ..base.store import TermBase
from .concordance import Concordance, Occurrence, spans

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000


class KwicLine(BaseModel):
    """One occurrence as a keyword-in-context line.

    ``left + match + right == text[start - len(left) : end + len(right)]``, where text is the source's file.
    """

    source: str = Field(description="Source id (data/sources.yaml).")
    side: str = Field(description="zh or en: the language of the sentence it stands in.")
    start: int = Field(description="Code-point offset of the match in the source's text file.")
    end: int
    left: str = Field(description="Context before the match, within its paragraph (up to 60 characters).")
    match: str = Field(description="The text matched, exactly as in the source.")
    right: str = Field(description="Context after the match, within its paragraph.")
    english: str | None = Field(
        None, description="Chinese occurrences: the English the source gives for the sentence (the aligned "
        "English sentence or paragraph, or the English sentence the Chinese is quoted in).")
    renderings: list[str] = Field(
        default_factory=list,
        description="Chinese occurrences: the entry's renderings found in that English.")


class PublisherYear(BaseModel):
    """Occurrences by one publisher in one year."""

    publisher: str
    year: str
    sources: list[str]
    count: int


class RenderingInSources(BaseModel):
    """Every occurrence of one rendering."""

    en: str
    status: str
    count: int
    by_publisher: list[PublisherYear]
    lines: list[KwicLine] = Field(description="The first `limit` occurrences, in source order.")


class ChineseInSources(BaseModel):
    """Every occurrence of one Chinese form, with the English the aligned text gives."""

    zh: str
    count: int
    aligned: int = Field(description="Occurrences for which the source gives English.")
    unrecorded: int = Field(
        description="Of those, how many give English in which none of the entry's renderings stands: "
        "a rendering the base may not yet record.")
    by_publisher: list[PublisherYear]
    lines: list[KwicLine]


class SourceUsage(BaseModel):
    """An entry's usage in every source text of the base."""

    id: str
    zh: str
    sources: int = Field(description="Source texts searched.")
    segments: int = Field(description="Sentences (or aligned paragraphs) searched.")
    limit: int = Field(description="Lines listed per rendering or form at most; the counts count them all.")
    renderings: list[RenderingInSources]
    chinese: list[ChineseInSources]


def resolve(base: TermBase, term: str) -> Entry | None:
    """The entry a user means by `term`: its id, a Chinese form of it, or one of its renderings exactly."""
    if term in base.entries:
        return base.entries[term]
    wanted = term.strip()
    for entry in base.entries.values():
        if wanted in entry.chinese_forms():
            return entry
    folded = english.key(wanted)
    for entry in base.entries.values():
        if any(english.key(r.en) == folded for r in entry.renderings):
            return entry
    return None


def tally(found: Iterable[Occurrence], sources: Mapping[str, Source]) -> list[PublisherYear]:
    """Occurrences counted by publisher and year, most first."""
    counts: Counter[tuple[str, str]] = Counter()
    ids: dict[tuple[str, str], dict[str, None]] = {}
    for occurrence in found:
        source = sources.get(occurrence.source)
        key = (source.publisher, source.date[:4]) if source else (occurrence.source, "")
        counts[key] += 1
        ids.setdefault(key, {})[occurrence.source] = None
    return [PublisherYear(publisher=p, year=y, sources=list(ids[(p, y)]), count=n)
            for (p, y), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _line(occurrence: Occurrence, english_text: str | None = None,
          found: list[str] | None = None) -> KwicLine:
    return KwicLine(source=occurrence.source, side=occurrence.side, start=occurrence.start,
                    end=occurrence.end, left=occurrence.left, match=occurrence.match, right=occurrence.right,
                    english=english_text, renderings=found or [])


def _english_of(occurrence: Occurrence, concordance: Concordance) -> str | None:
    """The English a Chinese occurrence comes with: its aligned sentence, or the English sentence it is in."""
    if occurrence.side == "zh":
        return occurrence.aligned
    return concordance.sentence(occurrence.segment)


def usage(entry: Entry, concordance: Concordance, sources: Mapping[str, Source],
          limit: int = DEFAULT_LIMIT) -> SourceUsage:
    """The usage of `entry` in the concordance's texts."""
    keys = {r.en: english.inflections(r.en, folded=not r.proper_noun) for r in entry.renderings}
    renderings = []
    for rendering in entry.renderings:
        found = concordance.english(rendering.en, proper_noun=rendering.proper_noun)
        renderings.append(RenderingInSources(en=rendering.en, status=rendering.status.value, count=len(found),
                                         by_publisher=tally(found, sources),
                                         lines=[_line(o) for o in found[:limit]]))
    chinese = []
    for form in dict.fromkeys([entry.zh, *(v.zh for v in entry.zh_variants)]):
        found = concordance.chinese(form)
        lines: list[KwicLine] = []
        aligned = unrecorded = 0
        for occurrence in found:
            text = _english_of(occurrence, concordance)
            shown = [r.en for r in entry.renderings
                     if text and spans(text, keys[r.en], folded=not r.proper_noun)]
            aligned += text is not None
            unrecorded += text is not None and not shown
            if len(lines) < limit:
                lines.append(_line(occurrence, text, shown))
        chinese.append(ChineseInSources(zh=form, count=len(found), aligned=aligned, unrecorded=unrecorded,
                                        by_publisher=tally(found, sources), lines=lines))
    return SourceUsage(id=entry.id, zh=entry.zh, sources=len(concordance.texts),
                       segments=concordance.segments(), limit=limit, renderings=renderings, chinese=chinese)
