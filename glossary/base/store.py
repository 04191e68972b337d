"""Reading and validating the curated files under data/.

Every problem is reported as one line a curator can act on — file, line, entry, field, message — and all
problems are collected in one run, not just the first.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import equivalences as equivalences_file
from . import pinyin, profiles, script
from .equivalences import Equivalences
from .model import DERIVED_FIELDS, INTERNAL_FIELDS, Entry, EntryFile, Source

SOURCES_FILE = "sources.yaml"
RETIRED_FILE = "retired.yaml"
ENTRIES_DIR = "entries"
TEXTS_DIR = "texts"  # the source texts: verified against by verify-quotes, indexed by the concordance


def default_data_dir() -> Path:
    """Where the curated base is: $GLOSSARY_DATA, else the copy in the installed package, else ./data."""
    if env := os.environ.get("GLOSSARY_DATA"):
        return Path(env)
    package = Path(__file__).resolve().parent.parent  # glossary/, where the wheel puts the base as _data
    packaged = package / "_data"
    if packaged.is_dir():
        return packaged
    return package.parent / "data"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the data, located as precisely as the data allows."""

    file: str
    line: int | None
    entry: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where]
        if self.entry:
            parts.append(f"entry {self.entry!r}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return ": ".join(parts) + f": {self.message}"


class DataError(Exception):
    """The data under data/ is not valid; `problems` says everything that is wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


# libyaml's parser when PyYAML was built with it (10x faster on a large base); same nodes, same marks.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader without implicit timestamps: `date: 2022-01-24` stays the string a curator wrote."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

Path_ = tuple[str | int, ...]


@dataclass
class Parsed:
    """A YAML document's data and the line of every node in it (1-based), by path."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[tuple[Path_, int, str]] = field(default_factory=list)

    def line_of(self, path: Iterable[str | int]) -> int | None:
        """The line of the deepest node on `path` that exists."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)


def parse_yaml(text: str) -> Parsed:
    """Parse YAML, keeping line numbers and reporting duplicate keys (which PyYAML would silently merge)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Parsed(None)
        parsed = Parsed(loader.construct_document(node))
    finally:
        loader.dispose()
    _walk(node, (), parsed)
    return parsed


def _walk(node: yaml.Node, path: Path_, parsed: Parsed) -> None:
    parsed.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                parsed.problems.append((path + (key,), key_node.start_mark.line + 1, "duplicate key"))
            seen.add(key)
            parsed.lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), parsed)
            parsed.lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), parsed)


def field_name(loc: Iterable[str | int]) -> str:
    """A pydantic error location as a curator reads it: ``renderings[1].status``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def plain_message(err: Any) -> str:
    """A pydantic error message in a curator's words."""
    if err["type"] == "extra_forbidden":
        return "unknown field"
    if err["type"] == "missing":
        return "required field is missing"
    if err["type"] == "string_too_short" and err.get("ctx", {}).get("min_length") == 1:
        return "must not be empty"
    return str(err["msg"]).removeprefix("Value error, ")


def _pydantic_problems(error: ValidationError, rel: str, entry: str | None, parsed: Parsed) -> list[Problem]:
    found = []
    for err in error.errors():
        loc = tuple(err["loc"])
        message = plain_message(err)
        found.append(Problem(rel, parsed.line_of(loc), entry, field_name(loc) or None, message))
    return found


def _read(path: Path, rel: str) -> tuple[Parsed | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(rel, None, None, None, f"cannot read: {exc}")]
    try:
        parsed = parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        message = f"not valid YAML: {getattr(exc, 'problem', None) or exc}"
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark:
            message += f" ({context} started on line {context_mark.line + 1})"
        return None, [Problem(rel, line, None, None, message)]
    problems = [Problem(rel, line, None, field_name(p), msg) for p, line, msg in parsed.problems]
    return parsed, problems


@dataclass
class TermBase:
    """The validated contents of a data directory."""

    data_dir: Path
    entries: dict[str, Entry]
    sources: dict[str, Source]
    version: str
    files: dict[str, str] = field(default_factory=dict)  # entry id -> file path relative to data_dir
    equivalences: Equivalences = field(default_factory=Equivalences)  # data/equivalences.yaml

    def for_profile(self, profile: str) -> TermBase:
        """The base as a profile sees it: the profile's choices preferred, nothing else changed."""
        if profiles.Profile(profile) is profiles.Profile.house:
            return self
        entries = {key: profiles.view(entry, profile) for key, entry in self.entries.items()}
        return dataclasses.replace(self, entries=entries)


def content_hash(data_dir: Path) -> str:
    """A short hash of every curated file's path and bytes: the version of the base and of its index."""
    digest = hashlib.sha256()
    for path in sorted(_data_files(data_dir)):
        digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _data_files(data_dir: Path) -> Iterator[Path]:
    for name in (SOURCES_FILE, RETIRED_FILE, equivalences_file.FILE):
        if (data_dir / name).is_file():
            yield data_dir / name
    yield from sorted((data_dir / ENTRIES_DIR).glob("*.yaml"))
    # The texts are data too: the concordance is built from them, so a new text is a new version.
    yield from sorted((data_dir / TEXTS_DIR).glob("*.txt"))


def load(data_dir: Path | str | None = None) -> TermBase:
    """Load and validate the base; raise `DataError` listing every problem when there is any."""
    base, problems = inspect(data_dir)
    if problems or base is None:
        raise DataError(problems)
    return base


def inspect(data_dir: Path | str | None = None) -> tuple[TermBase | None, list[Problem]]:
    """Load the base, returning it (None when unusable) with every problem found."""
    root = Path(data_dir) if data_dir is not None else default_data_dir()
    if not root.is_dir():
        return None, [Problem(str(root), None, None, None, "data directory not found")]
    problems: list[Problem] = []
    sources = _load_sources(root, problems)
    retired = _load_retired(root, problems)
    files: dict[str, str] = {}
    raw: dict[str, tuple[EntryFile, Parsed, str]] = {}
    entry_dir = root / ENTRIES_DIR
    if not entry_dir.is_dir():
        problems.append(Problem(f"{ENTRIES_DIR}/", None, None, None, "entries directory not found"))
    for path in sorted(entry_dir.glob("*")) if entry_dir.is_dir() else []:
        rel = path.relative_to(root).as_posix()
        if path.suffix != ".yaml":
            problems.append(Problem(rel, None, None, None, "not an entry file: entry files end in .yaml"))
            continue
        parsed, found = _read(path, rel)
        if parsed is None or not isinstance(parsed.data, dict):
            problems += found
            if parsed is not None:
                problems.append(Problem(rel, 1, None, None, "an entry file holds one mapping (id, zh, …)"))
            continue
        entry_id = str(parsed.data.get("id") or path.stem)
        problems += [Problem(p.file, p.line, entry_id, p.field, p.message) for p in found]
        try:
            entry = EntryFile.model_validate(parsed.data)
        except ValidationError as exc:
            problems += _pydantic_problems(exc, rel, entry_id, parsed)
            continue
        if entry.id != path.stem:
            problems.append(
                Problem(
                    rel,
                    parsed.line_of(("id",)),
                    entry.id,
                    "id",
                    f"must match the file name ({path.stem}.yaml)",
                )
            )
        if entry.id in raw:
            problems.append(
                Problem(
                    rel, parsed.line_of(("id",)), entry.id, "id", f"duplicate id (also in {raw[entry.id][2]})"
                )
            )
            continue
        if entry.id in retired:
            problems.append(_retired(entry.id, parsed, rel))
        raw[entry.id] = (entry, parsed, rel)
        files[entry.id] = rel
    problems += _cross_check(raw, sources)
    entries: dict[str, Entry] = {}
    for entry_id, (entry, parsed, rel) in raw.items():
        derived, found = _derive(entry, parsed, rel)
        problems += found
        if derived is not None:
            entries[entry_id] = profiles.annotate(derived, sources)
    equivalences = _load_equivalences(root, problems)
    version = content_hash(root)
    return TermBase(root, entries, sources, version, files, equivalences), sorted(
        set(problems), key=lambda p: (p.file, p.line or 0)
    )


def _load_equivalences(root: Path, problems: list[Problem]) -> Equivalences:
    """data/equivalences.yaml, validated (none when the file is absent)."""
    path = root / equivalences_file.FILE
    if not path.is_file():
        return Equivalences()
    parsed, found = _read(path, equivalences_file.FILE)
    problems += found
    if parsed is None:
        return Equivalences()
    equivalences, wrong = equivalences_file.parse(parsed.data, parsed.line_of)
    problems += [Problem(equivalences_file.FILE, p.line, None, p.field, p.message) for p in wrong]
    return equivalences


def _retired(entry_id: str, parsed: Parsed, rel: str) -> Problem:
    """The problem of an entry that reuses a retired id."""
    return Problem(rel, parsed.line_of(("id",)), entry_id, "id", "id is retired and may not be reused")


def base_problems(
    data_dir: Path,
    raw: dict[str, tuple[EntryFile, Parsed, str]],
    sources: dict[str, Source],
    changed: Iterable[str] | None = None,
) -> list[Problem]:
    """The whole-base rules over entries held in memory (the importer checks a base before writing it).

    `raw` maps every entry id to (entry, its parsed file or an empty `Parsed`, its file); only the `changed`
    entries (default: all) are checked for retired ids and curated pinyin overrides.
    """
    problems = _cross_check(raw, sources)
    retired = _load_retired(data_dir, problems)
    for entry_id in raw if changed is None else changed:
        entry, parsed, rel = raw[entry_id]
        if entry_id in retired:
            problems.append(_retired(entry_id, parsed, rel))
        if entry.pinyin or any(v.pinyin for v in entry.zh_variants) or any(m.pinyin for m in entry.members):
            problems += _derive(entry, parsed, rel)[1]
    return problems


def _load_sources(root: Path, problems: list[Problem]) -> dict[str, Source]:
    path = root / SOURCES_FILE
    if not path.is_file():
        problems.append(Problem(SOURCES_FILE, None, None, None, "source registry not found"))
        return {}
    parsed, found = _read(path, SOURCES_FILE)
    problems += found
    if parsed is None:
        return {}
    if not isinstance(parsed.data, list):
        problems.append(Problem(SOURCES_FILE, 1, None, None, "the source registry is a list of sources"))
        return {}
    sources: dict[str, Source] = {}
    for index, item in enumerate(parsed.data):
        try:
            source = Source.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                loc = (index, *err["loc"])
                msg = plain_message(err)
                problems.append(Problem(SOURCES_FILE, parsed.line_of(loc), None, field_name(loc), msg))
            continue
        if source.id in sources:
            problems.append(
                Problem(
                    SOURCES_FILE,
                    parsed.line_of((index, "id")),
                    None,
                    f"[{index}].id",
                    f"duplicate source id {source.id!r}",
                )
            )
        sources[source.id] = source
    return sources


def _load_retired(root: Path, problems: list[Problem]) -> set[str]:
    path = root / RETIRED_FILE
    if not path.is_file():
        return set()
    parsed, found = _read(path, RETIRED_FILE)
    problems += found
    if parsed is None or parsed.data is None:
        return set()
    if not isinstance(parsed.data, list) or not all(isinstance(i, str) for i in parsed.data):
        problems.append(Problem(RETIRED_FILE, 1, None, None, "the retired list is a list of entry ids"))
        return set()
    return set(parsed.data)


def _cross_check(raw: dict[str, tuple[EntryFile, Parsed, str]], sources: dict[str, Source]) -> list[Problem]:
    """Whole-base rules: references resolve, and no Chinese form names two entries."""
    problems: list[Problem] = []
    owner: dict[str, str] = {}
    for entry_id, (entry, parsed, rel) in raw.items():

        def report(
            loc: tuple[str | int, ...],
            message: str,
            *,
            _p: Parsed = parsed,
            _r: str = rel,
            _e: str = entry_id,
        ) -> None:
            problems.append(Problem(_r, _p.line_of(loc), _e, field_name(loc), message))

        forms = [(("zh",), entry.zh)] + [
            (("zh_variants", i, "zh"), v.zh) for i, v in enumerate(entry.zh_variants)
        ]
        for loc, form in forms:
            if form in owner and owner[form] != entry_id:
                other = owner[form]
                report(loc, f"duplicate zh {form!r}: also entry {other!r} ({raw[other][2]})")
                other_entry, other_parsed, other_rel = raw[other]
                other_loc: tuple[str | int, ...] = ("zh",) if other_entry.zh == form else ("zh_variants",)
                problems.append(
                    Problem(
                        other_rel,
                        other_parsed.line_of(other_loc),
                        other,
                        field_name(other_loc),
                        f"duplicate zh {form!r}: also entry {entry_id!r} ({rel})",
                    )
                )
            elif form in owner:
                report(loc, f"{form!r} is listed twice in this entry")
            owner.setdefault(form, entry_id)
        for i, relation in enumerate(entry.related):
            if relation.id not in raw:
                report(("related", i, "id"), f"related entry {relation.id!r} does not exist")
            elif relation.id == entry_id:
                report(("related", i, "id"), "an entry cannot relate to itself")
        for i, rendering in enumerate(entry.renderings):
            for j, source_id in enumerate(rendering.sources):
                if source_id not in sources:
                    report(("renderings", i, "sources", j), f"unknown source {source_id!r}")
        for i, note in enumerate(entry.notes):
            if note.source not in sources:
                report(("notes", i, "source"), f"unknown source {note.source!r}")
        for i, member in enumerate(entry.members):
            if member.source and member.source not in sources:
                report(("members", i, "source"), f"unknown source {member.source!r}")
            if member.entry and member.entry not in raw:
                report(("members", i, "entry"), f"entry {member.entry!r} does not exist")
            elif member.entry == entry_id:
                report(("members", i, "entry"), "a member cannot link to its own entry")
        if entry.definition_source and entry.definition_source not in sources:
            report(("definition_source",), f"unknown source {entry.definition_source!r}")
        if entry.context and entry.context.source not in sources:
            report(("context", "source"), f"unknown source {entry.context.source!r}")
    return problems


def _derive(entry: EntryFile, parsed: Parsed, rel: str) -> tuple[Entry | None, list[Problem]]:
    """Fill in traditional forms and pinyin, validating curated pinyin overrides."""
    problems: list[Problem] = []

    def checked(zh: str, override: str | None, loc: tuple[str | int, ...]) -> str:
        if override:
            for message in pinyin.problems(zh, override):
                problems.append(Problem(rel, parsed.line_of(loc), entry.id, field_name(loc), message))
        return pinyin.of(zh, override)

    data = entry.model_dump()
    data["zh_hant"] = entry.zh_hant or script.to_traditional(entry.zh)
    data["pinyin"] = checked(entry.zh, entry.pinyin, ("pinyin",))
    data["pinyin_overridden"] = bool(entry.pinyin)
    data["variants_hant"] = [v.zh_hant or script.to_traditional(v.zh) for v in entry.zh_variants]
    data["variants_pinyin"] = [
        checked(v.zh, v.pinyin, ("zh_variants", i, "pinyin")) for i, v in enumerate(entry.zh_variants)
    ]
    data["members_pinyin"] = [
        checked(m.zh, m.pinyin, ("members", i, "pinyin")) for i, m in enumerate(entry.members)
    ]
    if problems:
        return None, problems
    return Entry.model_validate(data), []


def curated(entry: EntryFile) -> EntryFile:
    """What a curator writes for an entry: derived fields left out unless they override the derivation."""
    if not isinstance(entry, Entry):
        return entry
    data = entry.model_dump(exclude=set(INTERNAL_FIELDS | DERIVED_FIELDS))
    if not entry.pinyin_overridden:
        data["pinyin"] = None
    if entry.zh_hant == script.to_traditional(entry.zh):
        data["zh_hant"] = None
    return EntryFile.model_validate(data)


def entry_yaml(entry: EntryFile) -> str:
    """An entry as a curated YAML file: fields in model order, defaults left out, Chinese unescaped."""
    data = curated(entry).model_dump(mode="json", exclude_defaults=True)
    data = {"id": data.pop("id"), **data}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a reader sees the old content or the new, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
