"""Exports of the whole base: one registry used by the CLI (`glossary export`) and the HTTP API.

`FORMATS` names every single-file format; `render(base, fmt)` produces it. The Vale style is a folder, not a
file, so it is a separate directory export (`DIRECTORY_FORMATS`, CLI only).
It may import `glossary.base`; nothing from `search`, `check`, `imports`, `cli` or the service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..base.store import TermBase
from . import jsonformat, mt, tabular, tbx, tbx2, vale


@dataclass(frozen=True)
class Export:
    """One rendered export: its content, media type and a suggested file name."""

    content: str | bytes
    media_type: str
    filename: str


@dataclass(frozen=True)
class Format:
    """A single-file export format."""

    render: Callable[[TermBase], str | bytes]
    media_type: str
    filename: str
    description: str


FORMATS: dict[str, Format] = {
    "json": Format(
        jsonformat.render, "application/json", "glossary.json", "The whole base, one object per entry."
    ),
    "jsonschema": Format(
        jsonformat.render_schema,
        "application/schema+json",
        "glossary.schema.json",
        "JSON Schema of the `json` export.",
    ),
    "tbx": Format(
        tbx.render, "application/x-tbx+xml", "glossary.tbx", "TBX-Basic (TBX v3, ISO 30042:2019, DCA)."
    ),
    "tbx2": Format(
        tbx2.render,
        "application/x-tbx+xml",
        "glossary-v2.tbx",
        "TBX-Basic as TBX v2 (`martif`, ISO 30042:2008), for OmegaT and translate-toolkit.",
    ),
    "csv": Format(
        tabular.render_csv,
        "text/csv; charset=utf-8",
        "glossary.csv",
        "Generic layout, one row per rendering.",
    ),
    "tsv": Format(
        tabular.render_tsv,
        "text/tab-separated-values; charset=utf-8",
        "glossary.tsv",
        "The generic layout, tab-separated.",
    ),
    "memoq-csv": Format(
        tabular.render_memoq, "text/csv; charset=utf-8", "glossary-memoq.csv", "memoQ term base CSV layout."
    ),
    "multiterm-csv": Format(
        tabular.render_multiterm,
        "text/csv; charset=utf-8",
        "glossary-multiterm.csv",
        "Trados/MultiTerm termbase CSV layout (one entry per row, synonyms split by |).",
    ),
    "pairs-csv": Format(
        tabular.render_pairs,
        "text/csv; charset=utf-8",
        "glossary-pairs.csv",
        "Two columns and a comment (source, target, notes), header row: translate-toolkit, Weblate.",
    ),
    "omegat-csv": Format(
        tabular.render_omegat_csv,
        "text/csv; charset=utf-8",
        "glossary-omegat.csv",
        "OmegaT's CSV glossary: source, target, comment, no header row (a # comment line instead).",
    ),
    "deepl": Format(
        mt.render_deepl,
        "text/tab-separated-values; charset=utf-8",
        "glossary-deepl.tsv",
        "DeepL glossary entries (TSV, zh → en): one row per Chinese form, the preferred rendering.",
    ),
    "google": Format(
        mt.render_google,
        "text/csv; charset=utf-8",
        "glossary-google.csv",
        "Google Cloud Translation unidirectional glossary (CSV, zh-CN → en, no header row).",
    ),
    "amazon": Format(
        mt.render_amazon,
        "text/csv; charset=utf-8",
        "glossary-amazon.csv",
        "Amazon Translate custom terminology (CSV, header row zh,en).",
    ),
    "prompt": Format(
        mt.render_prompt,
        "text/plain; charset=utf-8",
        "glossary-prompt.txt",
        "A terminology block for a language-model prompt (zh → en, with renderings to avoid).",
    ),
    "omegat": Format(
        tabular.render_omegat,
        "text/tab-separated-values; charset=utf-8",
        "glossary.utf8",
        "OmegaT glossary: source, target, comment, tab-separated.",
    ),
}

#: Formats that write a folder: name -> writer(base, directory) returning the files written.
DIRECTORY_FORMATS: dict[str, Callable[[TermBase, Path], list[Path]]] = {"vale": vale.write}


def render(base: TermBase, fmt: str) -> Export:
    """Render the base in `fmt` (a key of FORMATS); raise KeyError for an unknown format."""
    spec = FORMATS[fmt]
    return Export(spec.render(base), spec.media_type, spec.filename)
