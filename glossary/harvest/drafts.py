"""The harvest's output folder: draft entry files a curator reviews, with the sources and texts they cite.

The folder is laid out like `data/` (`entries/`, `sources.yaml`, `texts/`), so `glossary validate --data OUT`
and `glossary verify-quotes --data OUT` check the drafts before a curator moves any into the base. Every draft
cites its input document as a draft source whose publisher, date and URL come from the input's header where it
has one (the aligned layout's `# publisher:` …) and must otherwise be filled in.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import yaml

from ..base import store
from ..base.model import Category, EntryFile, Source, SourceKind, Status
from .bitext import Bitext
from .harvester import Candidate, Harvest, HarvestError

_CATEGORY = {"count": Category.formula, "plan-period": Category.plan}
_UNKNOWN = "UNKNOWN (fill in before moving a draft into data/)"


def slug(text: str, taken: set[str]) -> str:
    """An ASCII kebab-case id from English, unique among `taken` (a number added when needed)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:70].strip("-") or "term"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def source_for(doc: Bitext, taken: set[str]) -> Source:
    """The draft source record of an input document."""
    header = doc.header
    url = header.get("url") or header.get("url-en") or header.get("url-zh")
    day = header.get("date", "")
    known_date = re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", day) is not None
    ident = slug(f"harvest-{doc.path.stem}", taken)
    missing = [
        name for name, value in (("publisher", header.get("publisher")), ("date", known_date)) if not value
    ]
    description = f"Harvested from {doc.path.name} ({doc.format}) by `glossary harvest`."
    if missing:
        description += f" To fill in: {', '.join(missing)}, url; the date is the harvest's."
    return Source(
        id=ident,
        title=header.get("title") or doc.path.stem,
        title_zh=header.get("title-zh"),
        publisher=header.get("publisher") or _UNKNOWN,
        date=day if known_date else date.today().isoformat(),
        url=url,
        language="en+zh",
        kind=SourceKind.official,
        file=f"{ident}.txt",
        description=description,
    )


def entry_for(candidate: Candidate, source: Source, taken: set[str]) -> EntryFile | None:
    """The draft entry of a candidate with a proposed rendering (None without one: nothing to cite)."""
    if candidate.en is None or candidate.en_sentence is None:
        return None
    rendering = {
        "en": candidate.en,
        "status": Status.preferred,
        "sources": [source.id],
        "quote": candidate.en_sentence,
        "note": "Proposed by glossary harvest: check it is the document's rendering of the term.",
    }
    context = {"zh": candidate.zh_sentence, "source": source.id, "en": candidate.en_segment}
    return EntryFile.model_validate(
        {
            "id": slug(candidate.en, taken),
            "zh": candidate.zh,
            "category": _CATEGORY.get(candidate.pattern or "", Category.concept),
            "zh_attested": True,
            "renderings": [rendering],
            "context": context,
        }
    )


def _layout(doc: Bitext, source: Source) -> str:
    lines = [f"# {source.title}", f"# publisher: {source.publisher}", f"# date: {source.date}"]
    lines += [f"# url: {source.url}"] if source.url else []
    lines.append(f"# harvested from: {doc.path}")
    for pair in doc.pairs:
        lines += ["", f"zh: {pair.zh}", f"en: {pair.en}"]
    return "\n".join(lines) + "\n"


def write(result: Harvest, out_dir: Path, base: store.TermBase, *, overwrite: bool = False) -> list[Path]:
    """Write the drafts, their sources and texts into `out_dir` (never inside the base); return the drafts.

    A folder that already holds drafts is refused (its old drafts would cite sources the new `sources.yaml`
    no longer has) unless `overwrite`, which first removes what an earlier harvest wrote there.
    """
    out = out_dir.resolve()
    root = base.data_dir.resolve()
    if out == root or root in out.parents or out in root.parents:
        raise HarvestError(f"{out_dir}: the output folder may not be the base's data folder or hold it")
    earlier = sorted((out / store.ENTRIES_DIR).glob("*.yaml")) + sorted((out / "texts").glob("*.txt"))
    earlier += [out / store.SOURCES_FILE] if (out / store.SOURCES_FILE).is_file() else []
    if earlier and not overwrite:
        raise HarvestError(
            f"{out_dir}: already holds drafts; choose another folder, or --overwrite to replace them"
        )
    for path in earlier:
        path.unlink()
    taken_ids = set(base.entries)
    taken_sources = set(base.sources)
    sources = [source_for(doc, taken_sources) for doc in result.bitexts]
    written: list[Path] = []
    entries_dir = out / store.ENTRIES_DIR
    entries_dir.mkdir(parents=True, exist_ok=True)
    for candidate in result.candidates:
        entry = entry_for(candidate, sources[candidate.source], taken_ids)
        if entry is None:
            continue
        path = entries_dir / f"{entry.id}.yaml"
        head = (
            f"# DRAFT {candidate.rank} of glossary harvest (score {candidate.score:.2f}, rendering score "
            f"{candidate.en_score:.2f}) from {candidate.file}:{candidate.line}.\n"
            "# Review the Chinese, the English, the category; write the definition; check the source.\n"
        )
        if candidate.en_known_as:
            head += (
                f"# The base's entry {candidate.en_known_as} has this rendering: is {candidate.zh} "
                "another Chinese form of it (a zh_variants item there) rather than a new concept?\n"
            )
        store.write_atomic(path, head + store.entry_yaml(entry))
        written.append(path)
    records = [s.model_dump(mode="json", exclude_none=True) for s in sources]
    store.write_atomic(out / store.SOURCES_FILE, yaml.safe_dump(records, allow_unicode=True, sort_keys=False))
    for doc, source in zip(result.bitexts, sources, strict=True):
        store.write_atomic(out / "texts" / f"{source.file}", _layout(doc, source))
    return written
