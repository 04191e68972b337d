"""Reading drafts for the checker: plain text and Markdown, two-column TSV, XLIFF 1.2 and 2.0, and gettext PO.

XLIFF is what CAT tools (Trados, memoQ, Phrase, OmegaT) export for review. It is parsed with lxml without
network access, DTD loading or entity expansion, so a hostile file cannot read local files or blow up memory.
Inline codes are dropped from segment text (1.2 ``<ph>``, ``<bpt>``, ``<x/>``; 2.0 ``<ph/>``, ``<sc/>``)
while the text inside ``<g>``, ``<pc>`` and ``<mrk>`` is kept, so the checker sees what the translator reads.
A finding's place in an XLIFF file is the line of its ``<source>`` or ``<target>``, and a column counted
in the segment's text from the end of that start tag. A PO file (read with polib) is segments msgid → msgstr;
a finding's place is the line and column in its `msgid` or `msgstr` string, over continuation lines too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import polib
from lxml import etree

from .report import CheckRequest, Finding, Occurrence, Segment

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
TSV_SUFFIXES = {".tsv", ".tab"}
XLIFF_SUFFIXES = {".xlf", ".xliff", ".xlf2", ".sdlxliff", ".mqxliff"}
PO_SUFFIXES = {".po", ".pot"}
# Codes whose content is markup of the original format, not text: 1.2 and 2.0 inline elements.
_CODES = {"ph", "bpt", "ept", "it", "x", "bx", "ex", "sc", "ec", "sub"}
_HEADER = {"source", "target", "zh", "en", "chinese", "english", "src", "tgt", "中文", "英文", "原文", "译文"}


class DraftError(ValueError):
    """A draft that cannot be read; the message is one line an editor can act on."""


@dataclass(frozen=True)
class Place:
    """Where a string starts in the draft file: 1-based line and column."""

    line: int
    column: int

    def advance(self, text: str, offset: int) -> Place:
        """The place of `text[offset]`, `text` starting here."""
        breaks = text.count("\n", 0, offset)
        if not breaks:
            return Place(self.line, self.column + offset)
        return Place(self.line + breaks, offset - text.rfind("\n", 0, offset))


@dataclass(frozen=True)
class DraftSegment:
    """One bilingual segment, with where its source and target are in the file."""

    source: str
    target: str
    id: str | None = None
    source_at: Place = Place(1, 1)
    target_at: Place = Place(1, 1)


@dataclass
class Draft:
    """A draft as read from a file: a text, or segments."""

    path: Path
    format: Literal["text", "tsv", "xliff-1.2", "xliff-2.0", "po"]
    text: str | None = None
    segments: list[DraftSegment] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def request(self, **options: Any) -> CheckRequest:
        """The check request for this draft, with options (lang, strict, sources, profile)."""
        if self.text is not None:
            return CheckRequest(text=self.text, **options)
        segments = [Segment(source=s.source, target=s.target) for s in self.segments]
        return CheckRequest(segments=segments, **options)

    def locate(self, finding: Finding | Occurrence) -> Place:
        """Where a finding (or one of its places) starts in the file."""
        if self.text is not None:
            if not self._line_starts:
                self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
            line = bisect_right(self._line_starts, finding.start)
            return Place(line, finding.start - self._line_starts[line - 1] + 1)
        segment = self.segments[finding.segment or 0]
        if finding.side == "target":
            return segment.target_at.advance(segment.target, finding.start)
        return segment.source_at.advance(segment.source, finding.start)


def read(path: Path | str) -> Draft:
    """Read a draft, its format told by suffix (XLIFF also by content); raise `DraftError` if unreadable."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DraftError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse(data, path)


def parse(data: bytes, path: Path | str) -> Draft:
    """A draft from its bytes (a file's, or standard input's), its format told by `path`'s suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in XLIFF_SUFFIXES or (
        suffix not in TEXT_SUFFIXES | TSV_SUFFIXES | PO_SUFFIXES and _looks_like_xml(data)
    ):
        return read_xliff(data, path)
    text = _decode(data)
    if suffix in TSV_SUFFIXES:
        return read_tsv(text, path)
    if suffix in PO_SUFFIXES:
        return read_po(text, path)
    return Draft(path, "text", text=text)


def _looks_like_xml(data: bytes) -> bool:
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<?xml", b"<xliff"))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DraftError(f"not UTF-8 (byte {exc.start}): save the draft as UTF-8") from None


def read_tsv(text: str, path: Path | str = "<tsv>") -> Draft:
    """Segments from tab-separated lines ``source<TAB>target``; a header line is skipped, blank lines too."""
    segments: list[DraftSegment] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) > 2:
            raise DraftError(f"line {number}: expected source<TAB>target, found {len(cells)} columns")
        source, target = cells[0], cells[1] if len(cells) == 2 else ""
        if not segments and source.strip().lower() in _HEADER and target.strip().lower() in _HEADER:
            continue  # a header row
        at_source, at_target = Place(number, 1), Place(number, len(source) + 2)
        segments.append(DraftSegment(source, target, str(number), at_source, at_target))
    return Draft(Path(path), "tsv", segments=segments)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _inline(element: Any) -> str:
    """The text of a source or target, without inline codes."""
    parts = [element.text or ""]
    for child in element:
        name = _local(child)
        if name == "cp":  # XLIFF 2.0: a character XML cannot hold, by code point
            try:
                parts.append(chr(int(child.get("hex", ""), 16)))
            except ValueError:
                pass
        elif name and name not in _CODES:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _child(element: Any, name: str) -> Any | None:
    return next((c for c in element if _local(c) == name), None)


def read_xliff(data: bytes, path: Path | str = "<xliff>") -> Draft:
    """Segments from XLIFF 1.2 (trans-unit) or 2.0 (unit/segment), told apart by namespace or version."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise DraftError(f"not well-formed XML: {exc.msg}") from None
    if _local(root) != "xliff":
        raise DraftError(f"not XLIFF: the root element is <{_local(root) or root.tag}>")
    namespace = etree.QName(root).namespace or ""
    version = root.get("version", "")
    if namespace.endswith(":2.0") or namespace.endswith(":2.1") or version.startswith("2"):
        return Draft(Path(path), "xliff-2.0", segments=list(_units_2(root, data.split(b"\n"))))
    if namespace.endswith(":1.2") or version.startswith("1") or not namespace:
        return Draft(Path(path), "xliff-1.2", segments=list(_units_1(root, data.split(b"\n"))))
    raise DraftError(f"unknown XLIFF version {version!r} (namespace {namespace!r}); 1.2 and 2.0 are read")


def _place(element: Any, lines: list[bytes]) -> Place:
    """Where an element's text starts: its line, and the column after its start tag (if on that line)."""
    line = element.sourceline or 1
    text = lines[line - 1].decode("utf-8", "replace") if line <= len(lines) else ""
    tag = re.search(rf"<(?:[\w.-]+:)?{re.escape(_local(element))}\b[^>]*>", text)  # a name from the file
    return Place(line, tag.end() + 1 if tag else 1)


def _segment(source: Any, target: Any | None, ident: str | None, lines: list[bytes]) -> DraftSegment:
    source_at = _place(source, lines)
    target_at = _place(target, lines) if target is not None else source_at
    text = _inline(target) if target is not None else ""
    return DraftSegment(_inline(source), text, ident, source_at, target_at)


def _units_1(root: Any, lines: list[bytes]) -> Any:
    for unit in root.iter():
        if _local(unit) != "trans-unit" or unit.get("translate") == "no":  # not for translation: not checked
            continue
        if (source := _child(unit, "source")) is not None:
            yield _segment(source, _child(unit, "target"), unit.get("id"), lines)


def _units_2(root: Any, lines: list[bytes]) -> Any:
    for unit in root.iter():
        if _local(unit) != "unit" or unit.get("translate") == "no":
            continue
        segments = [c for c in unit if _local(c) == "segment"]
        for number, segment in enumerate(segments, start=1):
            if (source := _child(segment, "source")) is not None:
                ident = f"{unit.get('id')}/{segment.get('id') or number}"
                yield _segment(source, _child(segment, "target"), ident, lines)


@dataclass(frozen=True)
class PoPlace(Place):
    """Where a PO string starts: a string continued over several quoted lines knows each piece's place."""

    pieces: tuple[tuple[int, int, int], ...] = ()  # (line, column of its first character, length) per piece

    def advance(self, text: str, offset: int) -> Place:
        """The place of `text[offset]`, found in the piece that holds it (exact unless escapes precede it)."""
        for line, column, length in self.pieces:
            if offset < length:
                return Place(line, column + offset)
            offset -= length
        return Place(self.line, self.column + offset)


_PO_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _po_place(lines: list[str], start: int, keyword: str) -> PoPlace:
    """The place of the string after the first `keyword` line at or after line `start` (1-based)."""
    number = start
    while number <= len(lines) and not lines[number - 1].lstrip().startswith(keyword):
        number += 1
    if number > len(lines):
        return PoPlace(start, 1)
    pieces: list[tuple[int, int, int]] = []
    while number <= len(lines):
        line = lines[number - 1]
        match = _PO_STRING.search(line)
        if match is None or (pieces and not line.lstrip().startswith('"')):
            break
        raw = match.group(1)
        length = len(polib.unescape(raw))
        if length:
            pieces.append((number, match.start(1) + 1, length))
        number += 1
        if number <= len(lines) and not lines[number - 1].lstrip().startswith('"'):
            break
    first = pieces[0] if pieces else (number - 1, 1, 0)
    return PoPlace(first[0], first[1], tuple(pieces))


def read_po(text: str, path: Path | str = "<po>") -> Draft:
    """Segments from a PO file's messages, translated or not (the header and obsolete ones left out)."""
    try:
        catalogue = polib.pofile(text)
    except (OSError, ValueError) as exc:
        raise DraftError(f"not a valid PO file: {exc}") from None
    lines = text.split("\n")
    segments: list[DraftSegment] = []
    for entry in catalogue:
        if entry.obsolete or not entry.msgid:
            continue
        target = entry.msgstr or (entry.msgstr_plural.get(0, "") if entry.msgstr_plural else "")
        source_at = _po_place(lines, entry.linenum, "msgid ")
        target_at = _po_place(lines, source_at.line, "msgstr")
        ident = entry.msgctxt or str(source_at.line)
        segments.append(DraftSegment(entry.msgid, target, ident, source_at, target_at))
    return Draft(Path(path), "po", segments=segments)
