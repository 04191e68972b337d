"""What a reader hands to the import: candidate entries and sources, each located in the import file.

Readers (TBX, CSV) share the rules here: a free entry id, overrides kept only where they differ from what the
loader would derive, the source that stands for the imported file itself, and validation against the model.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..base import pinyin, script
from ..base.model import SLUG_PATTERN, EntryFile, Source
from ..base.store import Problem, field_name

_SLUG = re.compile(SLUG_PATTERN)


@dataclass(frozen=True)
class Options:
    """How to describe what the imported file does not say itself."""

    source_id: str | None = None  # id of the source standing for the file (default: from the file name)
    publisher: str = "unknown (imported glossary)"
    category: str = "concept"
    date: str = field(default_factory=lambda: datetime.date.today().isoformat())


@dataclass
class Candidate:
    """One entry read from the import file, with where it was found."""

    entry: EntryFile
    line: int | None


@dataclass
class Incoming:
    """Everything a reader found: entries, sources (the file's own registry), problems and warnings."""

    file: str
    entries: list[Candidate] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def problem(self, line: int | None, entry: str | None, field_: str | None, message: str) -> None:
        """Record a problem located in the import file."""
        self.problems.append(Problem(self.file, line, entry, field_, message))


def slugify(text: str) -> str:
    """An ASCII kebab-case slug of `text` (empty when it has no ASCII letters or digits)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", " and ")).strip("-")
    return slug[:80].rstrip("-")


def is_slug(text: str) -> bool:
    """True when `text` is a valid entry or source id."""
    return bool(_SLUG.match(text)) and 2 <= len(text) <= 80


class IdAllocator:
    """Free entry ids for concepts whose file gives none usable: a slug of the preferred English."""

    def __init__(self, taken: dict[str, str]):
        self._taken = dict(taken)  # id -> zh of the entry holding it

    def claim(self, entry_id: str, zh: str) -> None:
        """Reserve an id the file gives explicitly."""
        self._taken.setdefault(entry_id, zh)

    def allocate(self, english: str, zh: str) -> str:
        """A slug of `english` no other concept holds (an existing entry with the same zh keeps its id)."""
        stem = slugify(english) or "entry"
        stem = stem if len(stem) >= 2 else f"{stem}-entry"
        candidate, n = stem, 1
        while candidate in self._taken and self._taken[candidate] != zh:
            n += 1
            candidate = f"{stem[:76]}-{n}"
        self._taken[candidate] = zh
        return candidate


def pinyin_override(zh: str, given: str | None) -> str | None:
    """The pinyin to store: None when the file's pinyin is what the loader derives anyway."""
    if not given:
        return None
    return None if pinyin.of(zh) == pinyin.of(zh, given) else given


def hant_override(zh: str, given: str | None) -> str | None:
    """The traditional form to store: None when it is OpenCC's conversion of `zh`."""
    if not given:
        return None
    return None if script.to_traditional(zh) == given else given


def file_source(path: Path, options: Options, title: str | None) -> Source:
    """The source standing for the imported file, cited where the file names no source."""
    source_id = options.source_id or slugify(path.stem) or "imported-glossary"
    return Source.model_validate(
        {
            "id": source_id if len(source_id) >= 2 else f"{source_id}-glossary",
            "title": title or path.name,
            "publisher": options.publisher,
            "date": options.date,
            "language": "en+zh",
            "kind": "reference",
            "description": f"Imported with `glossary import` from {path.name}.",
        }
    )


def validated(incoming: Incoming, data: dict[str, Any], line: int | None) -> None:
    """Validate one entry's data against the model; keep it, or record every problem."""
    try:
        entry = EntryFile.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            message = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
            incoming.problem(line, str(data.get("id")), field_name(err["loc"]) or None, message)
        return
    incoming.entries.append(Candidate(entry, line))


_LAYOUT = re.compile(r"\s*\n\s*")


def clean(text: str | None) -> str:
    """Element or cell text with layout whitespace (a line break and its indentation) made one space.

    Other whitespace is kept: quotes are verbatim, double spaces included.
    """
    return _LAYOUT.sub(" ", text or "").strip()
