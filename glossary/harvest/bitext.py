"""Reading bilingual input for the harvester: every format becomes a list of aligned Chinese–English pairs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..check import drafts as draft_readers

LAYOUT_SUFFIXES = {".txt", ".text"}
_MONOLINGUAL = (
    "one text is not bilingual: give source<TAB>target (.tsv), XLIFF, the zh:/en: layout of data/texts, "
    "or two aligned text files (Chinese first)"
)


class BitextError(ValueError):
    """Input the harvester cannot read; the message names the file (and line) and says what to fix."""


@dataclass(frozen=True)
class Pair:
    """One aligned segment: Chinese source, English target, and where it is in its file."""

    zh: str
    en: str
    file: str
    line: int


@dataclass
class Bitext:
    """An input document: its aligned pairs and, from a layout header, what it says about its source."""

    path: Path
    format: str
    pairs: list[Pair] = field(default_factory=list)
    header: dict[str, str] = field(default_factory=dict)


def read(paths: list[Path]) -> list[Bitext]:
    """Read the inputs: one file of any bilingual format, or two aligned text files (Chinese, English)."""
    if len(paths) == 2 and all(_plain_text(p) for p in paths):
        return [read_parallel(paths[0], paths[1])]
    return [read_one(p) for p in paths]


def _plain_text(path: Path) -> bool:
    """A monolingual text file: neither XLIFF nor TSV nor the aligned layout."""
    if path.suffix.lower() not in draft_readers.TEXT_SUFFIXES:
        return False
    try:
        head = path.read_text(encoding="utf-8-sig")[:4000]
    except (OSError, UnicodeDecodeError):
        return False
    return not re.search(r"^(zh|en):", head, re.MULTILINE)


def _read_text(path: Path) -> str:
    """A UTF-8 text file (a BOM is allowed), or a BitextError naming the file."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise BitextError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BitextError(f"{path}: not UTF-8: save it as UTF-8") from None


def read_one(path: Path) -> Bitext:
    """Read a TSV, XLIFF or aligned-layout file."""
    if path.suffix.lower() in LAYOUT_SUFFIXES:
        text = _read_text(path)
        if not re.search(r"^\s*(zh|en):", text, re.MULTILINE):
            raise BitextError(f"{path}: {_MONOLINGUAL}")
        return read_layout(text, path)
    try:
        draft = draft_readers.read(path)
    except draft_readers.DraftError as exc:
        raise BitextError(f"{path}: {exc}") from None
    if draft.text is not None:
        raise BitextError(f"{path}: {_MONOLINGUAL}")
    pairs = [
        Pair(s.source, s.target, str(path), s.source_at.line) for s in draft.segments if s.target.strip()
    ]
    return Bitext(path, draft.format, pairs)


def read_layout(text: str, path: Path) -> Bitext:
    """The aligned layout of data/texts/README.md: `#` header lines, then blocks of `zh:` and `en:`.

    A block with `en:` only (an English-only source's paragraph) has no Chinese to harvest and is skipped.
    """
    bitext = Bitext(path, "aligned")
    zh: tuple[int, str] | None = None
    english_only = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#"):
            key, sep, value = line[1:].strip().partition(":")
            if sep and " " not in key.strip():
                bitext.header.setdefault(key.strip(), value.strip())
            elif "title" not in bitext.header:
                bitext.header["title"] = line[1:].strip()
        elif line.startswith("zh:"):
            if zh is not None:
                raise BitextError(f"{path}:{number}: a second 'zh:' before the 'en:' of line {zh[0]}")
            zh = (number, line[3:].strip())
        elif line.startswith("en:"):
            if zh is None:
                english_only += 1
                continue
            bitext.pairs.append(Pair(zh[1], line[3:].strip(), str(path), zh[0]))
            zh = None
        elif line:
            raise BitextError(f"{path}:{number}: expected 'zh:', 'en:', '#' or a blank line")
    if not bitext.pairs:
        found = f"{english_only} English-only paragraph(s) and " if english_only else ""
        raise BitextError(f"{path}: {found}no 'zh:'/'en:' pairs: no Chinese to harvest")
    return bitext


def read_parallel(zh_path: Path, en_path: Path) -> Bitext:
    """Two aligned text files, paragraph by paragraph (blank-line separated, else line by line)."""
    sides = []
    for path in (zh_path, en_path):
        text = _read_text(path)
        sides.append(_units(text))
    zh_units, en_units = sides
    if len(zh_units) != len(en_units):
        raise BitextError(
            f"{zh_path} has {len(zh_units)} paragraphs and {en_path} has {len(en_units)}: "
            "aligned files need one English paragraph for each Chinese one"
        )
    pairs = [Pair(z, e, str(zh_path), line) for (line, z), (_, e) in zip(zh_units, en_units, strict=True)]
    return Bitext(zh_path, "parallel", pairs)


def _units(text: str) -> list[tuple[int, str]]:
    """Paragraphs (blank-line separated) when there are blank lines, else lines; with their first line."""
    lines = text.splitlines()
    blocks = "" in (line.strip() for line in lines)
    units: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if current:
                units.append((start, " ".join(current)))
                current = []
            continue
        if not blocks:
            units.append((number, line.strip()))
            continue
        if not current:
            start = number
        current.append(line.strip())
    if current:
        units.append((start, " ".join(current)))
    return units
