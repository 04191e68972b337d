"""Reading CSV/TSV into candidate entries: the generic layout (`glossary export --format csv|tsv`), and the
memoQ and Trados/MultiTerm layouts, recognised by their header row (see `layouts`).

In the generic layout, columns are found by header name (case-insensitive, any order); `zh` and `en` are
required, the rest optional: id, zh_hant, pinyin, category, variants (``short:科技部|alias:…``), status,
attested (``no``: the curator's rendering, without sources or quote), note, sources (``id|id``), quote.
Rows with the same id (or, without ids, the same zh) are one entry, one rendering per row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..base.model import Status, VariantType
from ..export.tabular import ATTESTED_CELL, GENERIC_COLUMNS, LIST_SEPARATOR
from . import layouts
from .incoming import (
    IdAllocator,
    Incoming,
    Options,
    file_source,
    hant_override,
    is_slug,
    pinyin_override,
)
from .incoming import validated as _validated
from .tbx import Wrap

_TAB_SUFFIXES = {".tsv", ".tab", ".txt", ".utf8"}


def _delimiter(path: Path, header_line: str) -> str:
    if path.suffix.lower() in _TAB_SUFFIXES:
        return "\t"
    return max((";", ",", "\t"), key=header_line.count)


def _cell(text: str) -> str:
    """A cell's text as curated text: trimmed, its line breaks kept (a CRLF or CR becomes LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def read(
    path: Path, options: Options, existing: dict[str, str], known_sources: set[str], wrap: Wrap
) -> Incoming:
    """Read a CSV/TSV file (generic, memoQ or MultiTerm layout). Arguments as for `tbx.read`."""
    incoming = Incoming(path.name)
    try:
        # newline="": a line break inside a quoted cell is the cell's text, not the end of a row (RFC 4180).
        with path.open(encoding="utf-8-sig", newline="") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as exc:
        incoming.problem(None, None, None, f"cannot read as UTF-8: {exc}")
        return incoming
    header_line = text.partition("\n")[0]
    if not text.strip():
        incoming.problem(None, None, None, "the file is empty")
        return incoming
    # strict: a quote left open is a problem to report, not a cell that swallows the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(path, header_line), strict=True)
    rows: list[list[str]] = []
    starts: list[int] = []  # the file line each row starts on (a quoted cell may span lines)
    try:
        line = 1
        for row in reader:
            starts.append(line)
            rows.append([_cell(cell) for cell in row])
            line = reader.line_num + 1
    except csv.Error as exc:
        incoming.problem(reader.line_num, None, None, f"not valid CSV: {exc}")
        return incoming
    layout = layouts.detect(rows[0])
    if layout == "memoq":
        items = layouts.memoq_rows(rows[0], rows[1:])
    elif layout == "multiterm":
        items = layouts.multiterm_rows(rows[0], rows[1:])
    else:
        items = _generic_rows(rows, incoming)
    # The layouts number rows from 1 (the header); problems name the file line instead.
    items = [(starts[number - 1], cells) for number, cells in items]
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for number, cells in items:
        if any(cells.values()):
            groups.setdefault(cells.get("id") or cells.get("zh", ""), []).append((number, cells))
    if not groups:
        incoming.problem(1, None, None, "no rows after the header")
    fallback = file_source(path, options, None)
    ids = IdAllocator(existing)
    used_fallback = False
    for rows_of_entry in wrap(list(groups.values())):
        data, uses = _entry(rows_of_entry, options, known_sources, fallback.id, incoming)
        used_fallback |= uses
        if data is None:
            continue
        line = rows_of_entry[0][0]
        # A tool's numeric entry numbers are not ids worth keeping; a slug with a letter is.
        if is_slug(data.get("id", "")) and re.search("[a-z]", data["id"]):
            ids.claim(data["id"], data["zh"])
        else:
            preferred = next((r["en"] for r in data["renderings"] if r["status"] == Status.preferred), "")
            data["id"] = ids.allocate(preferred or data["renderings"][0]["en"], data["zh"])
        _validated(incoming, data, line)
    if used_fallback:
        incoming.sources.append(fallback)
    return incoming


def _generic_rows(rows: list[list[str]], incoming: Incoming) -> list[tuple[int, dict[str, str]]]:
    header = [h.lower() for h in rows[0]]
    missing = [c for c in ("zh", "en") if c not in header]
    if missing:
        incoming.problem(1, None, None, f"header row lacks column(s) {', '.join(missing)}")
        return []
    unknown = [h for h in header if h and h not in GENERIC_COLUMNS]
    if unknown:
        incoming.warnings.append(f"column(s) ignored: {', '.join(unknown)}")
    return [(n, dict(zip(header, row, strict=False))) for n, row in enumerate(rows[1:], start=2)]


def _entry(
    rows: Sequence[tuple[int, dict[str, str]]],
    options: Options,
    known: set[str],
    fallback: str,
    incoming: Incoming,
) -> tuple[dict[str, Any] | None, bool]:
    first_line, first = rows[0]
    zh = first.get("zh", "")
    if not zh:
        incoming.problem(first_line, first.get("id") or None, "zh", "empty")
        return None, False
    data: dict[str, Any] = {
        "zh": zh,
        "category": first.get("category") or options.category,
        "zh_attested": True,
    }
    if first.get("id"):
        data["id"] = first["id"]
    for key, value in (
        ("zh_hant", hant_override(zh, first.get("zh_hant"))),
        ("pinyin", pinyin_override(zh, first.get("pinyin"))),
    ):
        if value:
            data[key] = value
    variants = list(_variants(first.get("variants", ""), first_line, incoming))
    if variants:
        data["zh_variants"] = variants
    renderings, used_fallback = [], False
    for line, cells in rows:
        if not cells.get("en"):
            incoming.problem(line, data.get("id"), "en", "empty")
            continue
        rendering: dict[str, Any] = {"en": cells["en"], "status": cells.get("status") or None}
        if (cells.get("attested") or "").lower() == ATTESTED_CELL[False]:
            # The curator's rendering cites nothing: neither sources nor the file as source.
            rendering.update({"attested": False, "note": cells.get("note") or None})
            renderings.append(rendering)
            continue
        sources = [s for s in (cells.get("sources") or "").split(LIST_SEPARATOR) if s]
        unknown = [s for s in sources if s not in known]
        if unknown:
            incoming.problem(line, data.get("id"), "sources", f"unknown source(s) {', '.join(unknown)}")
        if not sources:
            # The file itself is the source; the quote is the rendering as the file gives it.
            sources, used_fallback = [fallback], True
            cells.setdefault("quote", "")
            cells["quote"] = cells["quote"] or cells["en"]
        elif not cells.get("quote"):
            incoming.problem(line, data.get("id"), "quote", f"the words of source {sources[0]!r} are needed")
        rendering["sources"] = sources
        rendering["quote"] = cells.get("quote") or cells["en"]
        if cells.get("note"):
            rendering["note"] = cells["note"]
        renderings.append(rendering)
    has_preferred = any(r["status"] == Status.preferred for r in renderings)
    for rendering in renderings:
        if rendering["status"] is None:
            rendering["status"] = Status.admitted if has_preferred else Status.preferred
            has_preferred = True
    if not renderings:
        return None, used_fallback
    data["renderings"] = renderings
    return data, used_fallback


def _variants(cell: str, line: int, incoming: Incoming) -> Iterable[dict[str, str]]:
    for item in (part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()):
        kind, sep, form = item.partition(":")
        if not sep or kind not in VariantType.__members__:
            incoming.problem(
                line, None, "variants", f"{item!r} is not type:中文 (types: short, full, alias, former)"
            )
            continue
        yield {"zh": form.strip(), "type": kind}
