"""The source texts of data/texts cut into sentences, aligned Chinese to English where a source is bilingual.

Two layouts (data/texts/README.md): a seed document as plain text, one paragraph a line; a further source as
blocks of a ``zh:`` paragraph and the publisher's ``en:`` English of it. Every segment is a span of the file
exactly as read (``newline=""``: offsets count every character on disk): ``text[start:end]`` is the segment.

Alignment: a block's two paragraphs are cut into sentences; where both have the same number, sentence *i* of
the Chinese is paired with sentence *i* of the English, otherwise the block stays one aligned pair of
paragraphs (a translator may merge or split sentences, and a wrong pairing would mislead more than a longer
one). A plain-text paragraph's sentences stand alone; the Chinese quoted inside an English sentence ("S&T
powerhouse (科技强国)") is found there, with that sentence as its English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..base.model import has_han

Side = Literal["zh", "en"]

_PREFIX = re.compile(r"(zh|en):[ \t]?")
# A Chinese sentence ends at 。！？ (and any closing quote or bracket after it).
_ZH_END = re.compile(r"[。！？!?][”’」』）)]*")
# An English sentence ends at . ! ? (and closing quotes) before white space and a capital, digit or quote.
_EN_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st no nos vol fig art para sec jan feb mar apr jun jul aug sep sept oct nov dec "
    "e.g i.e etc vs u.s u.k u.n p.m a.m inc corp co ltd gov jr sr".split()
)
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_HAN_LETTER = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence (or an unsplit paragraph) of a source text: its side, span and context bounds."""

    side: Side
    start: int
    end: int
    para_start: int  # the paragraph it belongs to: KWIC context never runs past it
    para_end: int
    pair: int | None  # index (in the file's segment list) of the aligned segment of the other language


def read(path: Path) -> str:
    """A source text exactly as stored: no newline translation, so offsets match the bytes' characters."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def is_aligned(text: str) -> bool:
    """Whether a text is in the aligned ``zh:``/``en:`` layout."""
    return any(_PREFIX.match(line) for line in text.splitlines())


def side_of(text: str) -> Side:
    """zh when Han characters outnumber Latin letters, else en."""
    return "zh" if len(_HAN_LETTER.findall(text)) > len(_LATIN_LETTER.findall(text)) else "en"


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line's content, without its line break."""
    position = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        yield position, position + len(content)
        position += len(line)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str, start: int, end: int, side: Side) -> list[tuple[int, int]]:
    """The sentence spans of the paragraph ``text[start:end]``."""
    pattern = _ZH_END if side == "zh" else _EN_END
    spans: list[tuple[int, int]] = []
    cut = start
    for match in pattern.finditer(text, start, end):
        stop = match.end()
        if side == "en":
            word = _LAST_WORD.search(text, cut, match.start() + 1)
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue  # "Mr. Wang", "U.S. policy", "Xi J. Ping": not the end of a sentence
        piece = _trim(text, cut, stop)
        if piece[0] < piece[1]:
            spans.append(piece)
        cut = stop
    piece = _trim(text, cut, end)
    if piece[0] < piece[1]:
        spans.append(piece)
    return spans


def _paragraph(text: str, start: int, end: int, side: Side) -> list[Segment]:
    return [Segment(side, s, e, start, end, None) for s, e in sentences(text, start, end, side)]


def _aligned(zh: tuple[int, int], en: tuple[int, int], text: str, base: int) -> list[Segment]:
    """A block's segments: sentence pairs when the counts agree, else the two paragraphs as one pair."""
    zs, es = sentences(text, *zh, "zh"), sentences(text, *en, "en")
    if len(zs) != len(es):
        zs, es = [zh], [en]
    count = len(zs)
    found = [Segment("zh", s, e, *zh, base + count + i) for i, (s, e) in enumerate(zs)]
    found += [Segment("en", s, e, *en, base + i) for i, (s, e) in enumerate(es)]
    return found


def split(text: str) -> list[Segment]:
    """Every segment of a source text, in either layout."""
    if not is_aligned(text):
        found: list[Segment] = []
        for start, end in _lines(text):
            start, end = _trim(text, start, end)
            if start < end:
                found += _paragraph(text, start, end, side_of(text[start:end]))
        return found
    return _split_aligned(text)


def _split_aligned(text: str) -> list[Segment]:
    found: list[Segment] = []
    block: dict[str, tuple[int, int]] = {}
    last: str | None = None

    def flush() -> None:
        if "zh" in block and "en" in block:
            found.extend(_aligned(block["zh"], block["en"], text, len(found)))
        else:
            for side, (start, end) in block.items():
                found.extend(_paragraph(text, start, end, "zh" if side == "zh" else "en"))
        block.clear()

    for start, end in _lines(text):
        line = text[start:end]
        if line.startswith("#"):
            continue
        if not line.strip():
            flush()
            last = None
            continue
        prefix = _PREFIX.match(line)
        if prefix:
            side = prefix.group(1)
            if side in block:  # a second zh: (or en:) without a blank line: a new block
                flush()
            span = _trim(text, start + prefix.end(), end)
            if span[0] < span[1]:
                block[side] = span
                last = side
        elif last is not None:  # a paragraph continued on the next line
            block[last] = (block[last][0], _trim(text, start, end)[1])
    flush()
    return found


def has_chinese(text: str) -> bool:
    """Whether a query is Chinese (searched as characters) rather than English words."""
    return has_han(text)
