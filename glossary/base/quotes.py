"""Checking that every quote and note stands, word for word, in the source text it cites.

Comparison normalises what typesetting changes — white space (including non-breaking spaces and line
breaks), curly and straight quote marks, dash forms, footnote markers — and never the words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .store import TermBase

_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "＂": '"',
        "＇": "'",
    }
)
_DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D-]")
_SPACE = re.compile(r"\s+")
# Footnote markers as printed (¹ ² …, [3]) are typesetting, not words.
_FOOTNOTE = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+|\[\d{1,2}\]")

#: Shortest run of a note that may stand apart from the rest (a note broken by a page break).
MIN_PIECE = 24


def normalise(text: str) -> str:
    """Text as quotes are compared: NFKC, one quote mark, one dash, single spaces, no footnote marks."""
    text = _FOOTNOTE.sub("", text)
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _DASHES.sub("-", text)
    return _SPACE.sub(" ", text).strip()


def find_pieces(needle: str, haystack: str) -> int | None:
    """How many consecutive pieces, in order, `needle` stands in within `haystack` (None: not found).

    A note interrupted by a page break stands in the source as two or more runs with body text between;
    each run must be at least MIN_PIECE characters and begin where the last ended, at a word boundary.
    """
    if needle in haystack:
        return 1
    pieces, start, rest = 0, 0, needle
    while rest:
        cut = _longest_prefix(rest, haystack, start)
        if cut is None:
            return None
        found_at, length = cut
        pieces += 1
        start = found_at + length
        rest = rest[length:].lstrip()
    return pieces


def _longest_prefix(text: str, haystack: str, start: int) -> tuple[int, int] | None:
    """The longest word-boundary prefix of `text` found in `haystack` at or after `start`."""
    ends = [m.start() for m in re.finditer(r" ", text)] + [len(text)]
    best: tuple[int, int] | None = None
    low, high = 0, len(ends) - 1
    while low <= high:  # a prefix found implies every shorter prefix is found: binary search
        mid = (low + high) // 2
        length = ends[mid]
        at = haystack.find(text[:length], start)
        if at >= 0 and length >= min(MIN_PIECE, len(text)):
            best = (at, length)
            low = mid + 1
        elif at >= 0:
            low = mid + 1
        else:
            high = mid - 1
    return best


def shows_rendering(quote: str, rendering: str) -> bool:
    """True when the quote holds the rendering as the draft checker would find it (plurals, case, dashes)."""
    from . import english  # the checker's own matching rules, so curation and checking agree

    text = english.key(_FOOTNOTE.sub("", quote)) + " "  # a marker glued to a word ("Plan⁴") is not the word
    return any(form + " " in text for form in english.inflections(rendering))


@dataclass(frozen=True)
class QuoteProblem:
    """A quote or note not found in its source."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: entry {self.entry!r}: field {self.field!r}: {self.message}"


def verify(base: TermBase, texts_dir: Path) -> tuple[int, list[QuoteProblem]]:
    """Check every quote and note of the base against the source texts in `texts_dir`."""
    texts: dict[str, str | None] = {}
    for source in base.sources.values():
        path = texts_dir / source.file if source.file else None
        texts[source.id] = normalise(path.read_text(encoding="utf-8")) if path and path.is_file() else None
    problems: list[QuoteProblem] = []
    checked = 0

    def check(
        entry_id: str,
        field: str,
        source_id: str,
        quote: str,
        *,
        pieces: bool = False,
        shows: str | None = None,
    ) -> None:
        nonlocal checked
        text = texts.get(source_id)
        file = base.files.get(entry_id, entry_id)
        if text is None:
            problems.append(
                QuoteProblem(file, entry_id, field, f"no text for source {source_id!r} in {texts_dir}")
            )
            return
        checked += 1
        needle = normalise(quote)
        found = find_pieces(needle, text) if pieces else (1 if needle in text else None)
        if found is None:
            problems.append(
                QuoteProblem(file, entry_id, field, f"not found in source {source_id!r}: {quote[:80]!r}")
            )
        elif shows and not shows_rendering(quote, shows):
            problems.append(
                QuoteProblem(file, entry_id, field, f"the quote does not show the rendering {shows!r}")
            )

    for entry in base.entries.values():
        for i, rendering in enumerate(entry.renderings):
            if not rendering.attested or rendering.quote is None:
                continue  # the curator's rendering: no source to check it against
            check(
                entry.id, f"renderings[{i}].quote", rendering.sources[0], rendering.quote, shows=rendering.en
            )
            for source_id, quote in rendering.quotes.items():
                check(entry.id, f"renderings[{i}].quotes.{source_id}", source_id, quote, shows=rendering.en)
        for i, note in enumerate(entry.notes):
            check(entry.id, f"notes[{i}].text", note.source, note.text, pieces=True)
        if entry.definition and entry.definition_source:
            check(entry.id, "definition", entry.definition_source, entry.definition)
        if entry.context:
            check(entry.id, "context.zh", entry.context.source, entry.context.zh)
            if entry.context.en:
                check(entry.id, "context.en", entry.context.source, entry.context.en)
            if not any(form in entry.context.zh for form in entry.chinese_forms()):
                problems.append(
                    QuoteProblem(
                        base.files.get(entry.id, entry.id),
                        entry.id,
                        "context.zh",
                        "the sentence does not contain the term or one of its variants",
                    )
                )
        cited = list(
            dict.fromkeys([s for r in entry.renderings for s in r.sources] + [n.source for n in entry.notes])
        )
        for i, member in enumerate(entry.members):
            if not member.en_attested:
                continue
            candidates = [member.source] if member.source else cited
            needle = normalise(member.en)
            checked += 1
            if not any(needle in (texts.get(source_id) or "") for source_id in candidates):
                problems.append(
                    QuoteProblem(
                        base.files.get(entry.id, entry.id),
                        entry.id,
                        f"members[{i}].en",
                        f"not found in {', '.join(candidates)} (mark en_attested: false "
                        f"if it is the curator's gloss): {member.en[:80]!r}",
                    )
                )
    problems += _chinese_unattested(base, texts)
    return checked, problems


def _chinese_unattested(base: TermBase, texts: dict[str, str | None]) -> list[QuoteProblem]:
    """Chinese marked attested (an entry's zh, a variant, a member) that no source text holds."""
    every = "\n".join(text for text in texts.values() if text)
    problems = []
    for entry in base.entries.values():
        file = base.files.get(entry.id, entry.id)
        forms: list[tuple[str, tuple[str, ...]]] = []
        if entry.zh_attested:
            forms.append(("zh", (entry.zh, entry.zh_hant)))
        forms += [
            (f"zh_variants[{i}].zh", (variant.zh, hant))
            for i, (variant, hant) in enumerate(zip(entry.zh_variants, entry.variants_hant, strict=True))
            if variant.attested
        ]
        forms += [(f"members[{i}].zh", (m.zh,)) for i, m in enumerate(entry.members) if m.zh_attested]
        for field, written in forms:
            if not any(normalise(form) in every for form in written):
                message = f"{written[0]!r} is marked attested but stands in no source text (mark it so)"
                problems.append(QuoteProblem(file, entry.id, field, message))
    return problems
