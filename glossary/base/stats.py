"""Counts that describe a term base: what a curator reports when a curation round is done."""

from __future__ import annotations

import re
from collections import Counter

from .model import Entry, Status
from .store import TermBase

#: Words by which a rendering's own note calls it wrong. A preferred rendering's note says why it is
#: preferred; what is wrong with another rendering goes in that one's note, so none of these may stand in it.
FLAW_WORDS = (
    "awkward",
    "calque",
    "garbled",
    "garbles",
    "inaccurate",
    "misleading",
    "misleads",
    "misread",
    "misreading",
    "misreads",
    "mistranslation",
    "mistranslates",
    "obscures",
    "opaque",
    "ungrammatical",
    "wrong",
)
# "not misleading" does not call it wrong.
_FLAW_ALTERNATIVES = "|".join(map(re.escape, FLAW_WORDS))  # a constant: no pattern is built from input
_FLAW = re.compile(r"(?<!\bnot )(?<!\bnever )\b(" + _FLAW_ALTERNATIVES + r")\b", re.IGNORECASE)


def flaw_words(note: str | None) -> list[str]:
    """The words of FLAW_WORDS that `note` uses, lower-cased, in order."""
    return [match.group(1).lower() for match in _FLAW.finditer(note or "")]


def flawed_preferred(entries: list[Entry]) -> list[tuple[str, str, list[str]]]:
    """Preferred renderings whose own note calls them wrong: (entry id, rendering, the words)."""
    found = []
    for entry in entries:
        words = flaw_words(entry.preferred.note)
        if words:
            found.append((entry.id, entry.preferred.en, words))
    return found


def counts(base: TermBase) -> dict[str, object]:
    """Entries, attested vs curator-supplied Chinese, renderings by status, variants, notes, overrides."""
    entries = list(base.entries.values())
    renderings = [r for e in entries for r in e.renderings]
    by_status = Counter(r.status.value for r in renderings)
    by_source = Counter(s for r in renderings for s in r.sources)
    defined = [e for e in entries if e.definition]
    return {
        "entries": len(entries),
        "zh_attested": sum(e.zh_attested for e in entries),
        "zh_curator_supplied": sum(not e.zh_attested for e in entries),
        "zh_variants": sum(len(e.zh_variants) for e in entries),
        "definitions": len(defined),
        "definitions_curator": sum(not e.definition_source for e in defined),
        "definitions_quoted": sum(bool(e.definition_source) for e in defined),
        "entries_without_definition": len(entries) - len(defined),
        "context_sentences": sum(e.context is not None for e in entries),
        "renderings": len(renderings),
        "variant_renderings": sum(r.status is not Status.preferred for r in renderings),
        "renderings_by_status": {status.value: by_status.get(status.value, 0) for status in Status},
        "renderings_by_source": dict(sorted(by_source.items())),
        "curator_renderings": sum(not r.attested for r in renderings),
        "preferred_called_wrong_by_own_note": len(flawed_preferred(entries)),
        "multi_source_renderings": sum(len(r.sources) > 1 for r in renderings),
        "entries_with_disagreement": sum(len(e.renderings) > 1 for e in entries),
        "notes": sum(len(e.notes) for e in entries),
        "members": sum(len(e.members) for e in entries),
        "members_linked_to_entries": sum(bool(m.entry) for e in entries for m in e.members),
        "pinyin_overrides": sum(e.pinyin_overridden for e in entries)
        + sum(bool(v.pinyin) for e in entries for v in e.zh_variants)
        + sum(bool(m.pinyin) for e in entries for m in e.members),
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
