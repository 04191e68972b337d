"""Counts that describe a term base: what a curator reports when a curation round is done."""

from __future__ import annotations

from collections import Counter

from .model import Entry, Status
from .store import TermBase


def counts(base: TermBase) -> dict[str, object]:
    """Entries, attested vs curator-supplied Chinese, renderings by status, variants, notes, overrides."""
    entries = list(base.entries.values())
    renderings = [r for e in entries for r in e.renderings]
    by_status = Counter(r.status.value for r in renderings)
    by_source = Counter(s for r in renderings for s in r.sources)
    return {
        "entries": len(entries),
        "zh_attested": sum(e.zh_attested for e in entries),
        "zh_curator_supplied": sum(not e.zh_attested for e in entries),
        "zh_variants": sum(len(e.zh_variants) for e in entries),
        "renderings": len(renderings),
        "variant_renderings": sum(r.status is not Status.preferred for r in renderings),
        "renderings_by_status": {status.value: by_status.get(status.value, 0) for status in Status},
        "renderings_by_source": dict(sorted(by_source.items())),
        "multi_source_renderings": sum(len(r.sources) > 1 for r in renderings),
        "entries_with_disagreement": sum(len(e.renderings) > 1 for e in entries),
        "notes": sum(len(e.notes) for e in entries),
        "members": sum(len(e.members) for e in entries),
        "pinyin_overrides": sum(e.pinyin_overridden for e in entries)
        + sum(bool(v.pinyin) for e in entries for v in e.zh_variants),
        "categories": dict(Counter(e.category.value for e in entries).most_common()),
        "entries_by_source": dict(sorted(Counter(s for e in entries for s in _cited(e)).items())),
        "sources_by_kind": dict(Counter(s.kind.value for s in base.sources.values()).most_common()),
        "profiles": {
            "entries_officially_rendered": sum(any(u.official_since for u in e.usage) for e in entries),
            "official_differs": sum(e.profiles["official"] != e.profiles["house"] for e in entries),
        },
    }


def _cited(entry: Entry) -> set[str]:
    """Every source an entry cites (renderings, notes, members, definition, context)."""
    cited = {s for r in entry.renderings for s in r.sources} | {n.source for n in entry.notes}
    cited |= {m.source for m in entry.members if m.source}
    if entry.definition_source:
        cited.add(entry.definition_source)
    if entry.context:
        cited.add(entry.context.source)
    return cited
