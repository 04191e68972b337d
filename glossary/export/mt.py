"""Glossaries for machine translation, Chinese → English: DeepL, Google Cloud Translation, Amazon Translate,
and a terminology block for a language-model prompt.

Each engine forces the glossary's target wherever a source term stands, so a glossary for an engine holds one
row per Chinese form (the entry's zh and each variant) with the entry's preferred rendering (of the chosen
profile), and nothing an engine would misapply: no one-character form (the draft checker, too, takes one only
on its own), no form that two entries share (the first, by id, keeps it), no row over the engine's size limit
per term, and no row that would take the file over its size limit. What is left out is listed, with why, in
`MTGlossary.skipped` (the CLI prints it on standard error).

The limits, as each engine documents them (README, "Glossaries for machine translation", cites the pages):

- DeepL: a glossary of at most 10 MiB (10,485,760 bytes); each source and target at most 1024 UTF-8 bytes;
  no C0/C1 control character and no Unicode line or paragraph separator (the `deepl` client's own check).
- Google Cloud Translation (unidirectional glossary): the file at most 10,485,760 bytes; each term at most
  1024 UTF-8 bytes; a two-column CSV without a header row.
- Amazon Translate (custom terminology): the file at most 10 MB (10,485,760 bytes: `TerminologyData.File`);
  each source and target text at most 200 bytes; a CSV whose header row names the languages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..base import pinyin
from ..base.model import Entry, Status
from ..base.store import TermBase

AVOID = (Status.deprecated, Status.superseded)
_FORBIDDEN = {*map(chr, range(32)), *map(chr, range(128, 160)), "\u2028", "\u2029"}


@dataclass(frozen=True)
class Limits:
    """An engine's documented limits: bytes per term (source and target each) and bytes per file."""

    term_bytes: int
    file_bytes: int


#: The documented limits per engine; the prompt block has none (a model's context is the caller's budget).
LIMITS: dict[str, Limits | None] = {
    "deepl": Limits(term_bytes=1024, file_bytes=10 * 1024 * 1024),
    "google": Limits(term_bytes=1024, file_bytes=10_485_760),
    "amazon": Limits(term_bytes=200, file_bytes=10_485_760),
    "prompt": None,
}


@dataclass
class MTGlossary:
    """The rows an engine's glossary holds, and what was left out with the reason."""

    engine: str
    rows: list[tuple[str, str, Entry]] = field(default_factory=list)  # (Chinese form, English, entry)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (Chinese form, English, why)


def _line(engine: str, source: str, target: str) -> str:
    """One row as the engine's file holds it, line break included."""
    if engine == "deepl":
        return f"{source}\t{target}\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([source, target])
    return buffer.getvalue()


def _header(engine: str) -> str:
    return "zh,en\n" if engine == "amazon" else ""


def _problem(text: str, limits: Limits | None) -> str | None:
    """Why a term cannot stand in the engine's glossary, or None."""
    if text != text.strip() or not text:
        return "leading or trailing white space"
    if any(ch in _FORBIDDEN for ch in text) or "\t" in text:
        return "a control character, tab or line break"
    if limits and len(text.encode("utf-8")) > limits.term_bytes:
        return f"{len(text.encode('utf-8'))} bytes, over the engine's {limits.term_bytes} per term"
    return None


def table(base: TermBase, engine: str, order: Sequence[str] | None = None,
          forms: Mapping[str, Sequence[str]] | None = None) -> MTGlossary:
    """The glossary for `engine` of the base's entries (or of the ids in `order`, in that order).

    `forms` gives, per entry id, the Chinese forms to list (those a draft holds); otherwise, and for an entry
    it does not name, the entry's zh and every variant.
    """
    limits = LIMITS[engine]
    ids = list(order) if order is not None else sorted(base.entries)
    found = MTGlossary(engine)
    size = len(_header(engine).encode("utf-8"))
    taken: set[str] = set()
    for entry in (base.entries[i] for i in ids):
        target = entry.preferred.en
        chosen = (forms or {}).get(entry.id) or [entry.zh, *(v.zh for v in entry.zh_variants)]
        for form in dict.fromkeys(chosen):
            why = None
            if len(form) < 2:
                why = "one character: an engine would replace it inside other words"
            elif form in taken:
                why = "another entry has this Chinese form"
            else:
                why = _problem(form, limits) or _problem(target, limits)
            if why is None and limits is not None:
                grown = size + len(_line(engine, form, target).encode("utf-8"))
                if grown > limits.file_bytes:
                    why = f"the file would pass the engine's {limits.file_bytes:,} bytes"
            if why is not None:
                found.skipped.append((form, target, why))
                continue
            taken.add(form)
            size += len(_line(engine, form, target).encode("utf-8"))
            found.rows.append((form, target, entry))
    return found


def text(glossary: MTGlossary, version: str | None = None) -> str:
    """The glossary file's content."""
    if glossary.engine == "prompt":
        return _prompt(glossary.rows, version)
    return _header(glossary.engine) + "".join(_line(glossary.engine, s, t) for s, t, _ in glossary.rows)


def _prompt(rows: Iterable[tuple[str, str, Entry]], version: str | None) -> str:
    """A terminology block for a language model's prompt: one line per Chinese form, with what to avoid."""
    lines = [
        "Terminology (Chinese → English). Translate each Chinese term below with exactly the English given, "
        "adjusting only number and case; never use a rendering marked avoid.",
        "",
    ]
    for form, target, entry in rows:
        avoid = [r.en for r in entry.renderings if r.status in AVOID]
        reading = pinyin.derive(form) if form != entry.zh else entry.pinyin
        line = f"- {form} ({reading}) → {target}"
        if avoid:
            line += f" (avoid: {'; '.join(avoid)})"
        lines.append(line)
    if version:
        lines += ["", f"(glossary base version {version})"]
    return "\n".join(lines) + "\n"


def render_deepl(base: TermBase) -> str:
    """DeepL's glossary TSV: source <TAB> target, no header."""
    return text(table(base, "deepl"))


def render_google(base: TermBase) -> str:
    """Google Cloud Translation's unidirectional glossary CSV (zh-CN → en): two columns, no header."""
    return text(table(base, "google"))


def render_amazon(base: TermBase) -> str:
    """Amazon Translate's custom terminology CSV: header row `zh,en`, then one term per row."""
    return text(table(base, "amazon"))


def render_prompt(base: TermBase) -> str:
    """A terminology block for a language-model prompt."""
    return text(table(base, "prompt"), base.version)
