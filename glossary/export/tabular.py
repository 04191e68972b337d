"""CSV and TSV exports: the generic layout (which `glossary import csv` reads back) and the layouts that
memoQ, Trados MultiTerm and OmegaT import. The README's "Exports and imports" section documents each layout
and the documentation it follows.

CAT tools offer every listed target term to the translator, so the tool layouts leave deprecated and
superseded renderings out of the term columns and name them in the note ("Do not use: …") instead.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Literal

from ..base.model import Entry, Rendering, Status
from ..base.store import TermBase

#: The generic layout, one row per rendering; entry columns repeat on each row.
GENERIC_COLUMNS = [
    "id",
    "zh",
    "zh_hant",
    "pinyin",
    "category",
    "variants",
    "en",
    "status",
    "attested",
    "note",
    "sources",
    "quote",
]
LIST_SEPARATOR = "|"  # inside a cell: sources, variants (type:zh), synonyms
#: The generic layout's attested cell: "no" marks the curator's rendering, which has no sources or quote.
ATTESTED_CELL = {True: "yes", False: "no"}
#: How the tool layouts say a rendering is the curator's.
CURATORS_LABEL = "The curator's rendering (not attested in a cited source)"
USABLE = (Status.preferred, Status.admitted)

#: memoQ term base CSV (memoQ documentation, "Term base in CSV format"): entry-level columns in this order,
#: then per language its language-level column (<Language>_Def) and one group of term-level columns per term.
MEMOQ_ENTRY_COLUMNS = [
    "Entry_ID",
    "Entry_Subject",
    "Entry_Domain",
    "Entry_ClientID",
    "Entry_ProjectID",
    "Entry_Created",
    "Entry_Creator",
    "Entry_LastModified",
    "Entry_Modifier",
    "Entry_Note",
]
MEMOQ_TERM_COLUMNS = ["Term_Info", "Term_Example"]
MEMOQ_DELIMITER = ";"
MEMOQ_LANGUAGES = ("Chinese", "English")

#: Trados/MultiTerm: one entry per row, columns named by language (Glossary Converter recognises language
#: names in the header row), synonyms in one cell separated by "|", entry-level fields after the languages.
MULTITERM_COLUMNS = ["Chinese", "English", "Definition", "Category", "Note", "Entry ID"]

OMEGAT_HEADER = "# Glossary in tab-separated format -*- coding: utf-8 -*-"
#: The two-column layout's header: translate-toolkit's csv store finds its columns by these names ("notes"
#: is its alias of translator comments); without a header it would read location, source, target.
PAIRS_HEADER = ("source", "target", "notes")


def _table(
    rows: Iterable[Sequence[str]], delimiter: str = ",", bom: bool = False, quote_all: bool = False
) -> str:
    out = io.StringIO()
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=quoting)
    writer.writerows(rows)
    return ("\ufeff" if bom else "") + out.getvalue()


def _one_line(text: str | None) -> str:
    """Cell text without tabs or line breaks (OmegaT splits on tabs and reads line by line)."""
    return " ".join((text or "").split())


def variants_cell(entry: Entry) -> str:
    """The generic layout's variants cell: ``short:科技部|full:中华人民共和国科学技术部``."""
    return LIST_SEPARATOR.join(f"{v.type.value}:{v.zh}" for v in entry.zh_variants)


def generic_rows(base: TermBase) -> list[list[str]]:
    """The generic layout: header, then one row per rendering."""
    rows = [list(GENERIC_COLUMNS)]
    for entry in base.entries.values():
        for rendering in entry.renderings:
            rows.append(
                [
                    entry.id,
                    entry.zh,
                    entry.zh_hant,
                    entry.pinyin,
                    entry.category.value,
                    variants_cell(entry),
                    rendering.en,
                    rendering.status.value,
                    ATTESTED_CELL[rendering.attested],
                    rendering.note or "",
                    LIST_SEPARATOR.join(rendering.sources),
                    rendering.quote or "",
                ]
            )
    return rows


def render_csv(base: TermBase) -> str:
    """The generic layout as CSV (RFC 4180, UTF-8, header row)."""
    return _table(generic_rows(base))


def render_tsv(base: TermBase) -> str:
    """The generic layout as TSV (cells never hold tabs or line breaks)."""
    return _table([[_one_line(cell) for cell in row] for row in generic_rows(base)], delimiter="\t")


def _usable(entry: Entry) -> list[Rendering]:
    return [r for r in entry.renderings if r.status in USABLE]


def _avoid_note(entry: Entry) -> str:
    avoid = [f"{r.en} ({r.status.value})" for r in entry.renderings if r.status not in USABLE]
    return f"Do not use: {'; '.join(avoid)}." if avoid else ""


def _rendering_note(rendering: Rendering) -> str:
    """A rendering's note, saying first when the rendering is the curator's."""
    label = f"{CURATORS_LABEL}: " if not rendering.attested else ""
    return f"{label}{rendering.note or ''}"


def _entry_note(entry: Entry) -> str:
    parts = [
        _rendering_note(entry.preferred),
        _avoid_note(entry),
        f"Literal: {entry.literal}" if entry.literal else "",
    ]
    return _one_line(" ".join(p for p in parts if p))


def render_memoq(base: TermBase) -> str:
    """memoQ term base CSV: semicolon-separated, header row, one entry per row, term groups per language."""
    entries = list(base.entries.values())
    zh_terms = max((1 + len(e.zh_variants) for e in entries), default=1)
    en_terms = max((len(_usable(e)) for e in entries), default=1)
    header = list(MEMOQ_ENTRY_COLUMNS)
    for language, count in zip(MEMOQ_LANGUAGES, (zh_terms, en_terms), strict=True):
        header.append(f"{language}_Def")
        for _ in range(count):
            header += [language, *MEMOQ_TERM_COLUMNS]
    rows = [header]
    for number, entry in enumerate(entries, start=1):
        row = [str(number), entry.category.value, "", "", "", "", "", "", "", _entry_note(entry)]
        row.append("")  # Chinese_Def: the base's definitions are English
        forms = [entry.zh, *(v.zh for v in entry.zh_variants)]
        for i in range(zh_terms):
            row += [forms[i], "", ""] if i < len(forms) else ["", "", ""]
        row.append(_one_line(entry.definition))
        usable = _usable(entry)
        for i in range(en_terms):
            row += [usable[i].en, "", _one_line(usable[i].quote)] if i < len(usable) else ["", "", ""]
        rows.append(row)
    return _table(rows, delimiter=MEMOQ_DELIMITER, bom=True)


def render_multiterm(base: TermBase) -> str:
    """Trados/MultiTerm CSV: one entry per row, synonyms in one cell separated by "|", preferred first."""
    rows = [list(MULTITERM_COLUMNS)]
    for entry in base.entries.values():
        rows.append(
            [
                LIST_SEPARATOR.join([entry.zh, *(v.zh for v in entry.zh_variants)]),
                LIST_SEPARATOR.join(r.en for r in _usable(entry)),
                _one_line(entry.definition),
                entry.category.value,
                _entry_note(entry),
                entry.id,
            ]
        )
    return _table(rows, bom=True)


def pair_rows(base: TermBase) -> list[list[str]]:
    """Source, target, comment: a row per Chinese form (zh and each variant) and usable rendering.

    The comment gives the status, the note, the do-not-use list, and for variants `简称 of 科学技术部`.
    """
    rows = []
    for entry in base.entries.values():
        forms = [(entry.zh, "")] + [(v.zh, f"{v.type.zh_label} of {entry.zh}. ") for v in entry.zh_variants]
        avoid = _avoid_note(entry)
        for form, prefix in forms:
            for rendering in _usable(entry):
                comment = f"{prefix}{rendering.status.value}. {_rendering_note(rendering)} {avoid}"
                rows.append([_one_line(cell) for cell in (form, rendering.en, comment)])
    return rows


def render_omegat(base: TermBase) -> str:
    """OmegaT glossary: tab-separated source, target, comment; a line per Chinese form and rendering."""
    lines = [OMEGAT_HEADER, "# source\ttarget\tcomment"]
    lines += ["\t".join(row) for row in pair_rows(base)]
    return "\n".join(lines) + "\n"


def render_pairs(base: TermBase) -> str:
    """Source, target, notes, with that header row: what translate-toolkit's CSV reader takes."""
    # Every cell quoted: translate-toolkit guesses the dialect from the first 1 KB (csv.Sniffer), which takes
    # a long unquoted note's spaces for the delimiter; quoted cells show it the commas.
    return _table([list(PAIRS_HEADER), *pair_rows(base)], quote_all=True)


def render_omegat_csv(base: TermBase) -> str:
    """OmegaT's CSV glossary: source, target, comment; OmegaT skips `#` lines, so the header is a comment."""
    return "# source,target,comment\r\n" + _table(pair_rows(base))
