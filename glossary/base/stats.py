"""Counts that describe a term base: what a curator reports when a curation round is done."""

from __future__ import annotations

from collections import Counter

from .model import Status
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
    }
