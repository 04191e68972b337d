"""CAT-tool CSV layouts (memoQ, Trados/MultiTerm) turned into rows of the generic layout.

An organisation's glossary usually comes out of memoQ or Trados; these readers let `glossary import csv`
take those files as they are. One tool row (one concept) becomes one generic row per English term: the first
term is preferred, further ones admitted, and a "Do not use: X (deprecated)." note — as our own tool exports
write it — gives back deprecated and superseded renderings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..base.model import Category
from ..export.tabular import LIST_SEPARATOR, MEMOQ_ENTRY_COLUMNS

_AVOID = re.compile(r"\s*Do not use: (?P<items>.+?)\.(?:\s|$)")
_AVOID_ITEM = re.compile(r"^(?P<en>.+) \((?P<status>deprecated|superseded)\)$")
_CATEGORIES = {c.value for c in Category}


def language_of(header: str) -> str | None:
    """ "zh", "zh_hant" or "en" for a column named after a language (English names or codes)."""
    name = header.strip().lower().replace("_", " ")
    if name.endswith(" def"):
        return None  # memoQ's <Language>_Def: the language's definition, not a term
    if name.startswith(("chinese (taiwan", "chinese (hong kong", "chinese (traditional", "zh-tw", "zh-hant")):
        return "zh_hant"
    if name.startswith(("chinese", "zh", "中文")):
        return "zh"
    if name.startswith(("english", "en-", "en ")) or name == "en":
        return "en"
    return None


def detect(header: Sequence[str]) -> str:
    """Which layout a header row is: "memoq", "multiterm" or "generic"."""
    lowered = [h.strip().lower() for h in header]
    if lowered[:1] == ["entry_id"] and "entry_note" in lowered:
        return "memoq"
    if "zh" in lowered and "en" in lowered:
        return "generic"
    languages = {language_of(h) for h in header}
    return "multiterm" if {"zh", "en"} <= languages else "generic"


def _split_note(note: str) -> tuple[str, list[tuple[str, str]]]:
    """A note without its "Do not use: …" part, and the (rendering, status) pairs that part names."""
    avoid: list[tuple[str, str]] = []
    match = _AVOID.search(note)
    if match:
        for item in match["items"].split("; "):
            if found := _AVOID_ITEM.match(item.strip()):
                avoid.append((found["en"], found["status"]))
        note = (note[: match.start()] + " " + note[match.end() :]).strip()
    return note, avoid


def _rows(
    entry_id: str, zh: list[str], en: list[tuple[str, str]], note: str, category: str
) -> list[dict[str, str]]:
    """Generic rows for one concept; `en` is (term, quote) in the tool's order."""
    note, avoid = _split_note(note)
    base = {
        "id": entry_id,
        "zh": zh[0] if zh else "",
        "variants": LIST_SEPARATOR.join(f"alias:{form}" for form in zh[1:]),
        "category": category if category in _CATEGORIES else "",
    }
    rows = []
    for i, (term, quote) in enumerate(en):
        status = "preferred" if i == 0 else "admitted"
        rows.append({**base, "en": term, "status": status, "quote": quote, "note": note if i == 0 else ""})
    rows += [{**base, "en": term, "status": status, "quote": "", "note": ""} for term, status in avoid]
    return rows


def memoq_rows(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[tuple[int, dict[str, str]]]:
    """memoQ term base CSV: entry columns, then per language `<Language>_Def` and term groups
    (`<Language>`, `Term_Info`, `Term_Example`)."""
    columns = {name: i for i, name in enumerate(header[: len(MEMOQ_ENTRY_COLUMNS)])}
    term_columns = [(i, language_of(name)) for i, name in enumerate(header) if language_of(name)]
    out: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(rows, start=2):
        cell = dict(enumerate(row))
        zh = [cell.get(i, "") for i, lang in term_columns if lang == "zh" and cell.get(i)]
        en = [(cell[i], cell.get(i + 2, "")) for i, lang in term_columns if lang == "en" and cell.get(i)]
        note = cell.get(columns.get("Entry_Note", -1), "")
        category = cell.get(columns.get("Entry_Subject", -1), "")
        out += [(number, r) for r in _rows("", zh, en, note, category)]
    return out


def multiterm_rows(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[tuple[int, dict[str, str]]]:
    """Trados/MultiTerm CSV: a row per entry, language columns with synonyms split by "|"."""
    out: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(rows, start=2):
        cells = dict(zip(header, row, strict=False))
        zh: list[str] = []
        en: list[tuple[str, str]] = []
        for name, value in cells.items():
            terms = [t.strip() for t in value.split(LIST_SEPARATOR) if t.strip()]
            if language_of(name) == "zh":
                zh += terms
            elif language_of(name) == "en":
                en += [(t, "") for t in terms]
        fields = {k.strip().lower(): v for k, v in cells.items() if not language_of(k)}
        entry_id = fields.get("entry id", "") or fields.get("id", "")
        note = fields.get("note", "")
        out += [(number, r) for r in _rows(entry_id, zh, en, note, fields.get("category", ""))]
    return out
