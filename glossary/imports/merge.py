"""Merging an imported entry into an existing one: add what is new, keep what is there, report every clash.

Nothing curated is ever overwritten: where the import says something different, the existing value stays and
the difference is reported as a conflict, one line each.
"""

from __future__ import annotations

from typing import Any

from ..base.model import EntryFile, Status


def _label(value: Any) -> str:
    return repr(getattr(value, "value", value))


def merge(existing: EntryFile, incoming: EntryFile) -> tuple[EntryFile, list[str]]:
    """The existing entry with the import's additions, and the conflicts (field: kept X, import has Y)."""
    data = existing.model_dump()
    new = incoming.model_dump()
    conflicts: list[str] = []

    def clash(field: str, kept: Any, offered: Any) -> None:
        conflicts.append(f"field {field!r}: keeps {_label(kept)}, import has {_label(offered)}")

    for name in ("category", "zh_attested", "zh_hant", "pinyin"):
        if new[name] != data[name] and new[name] is not None:
            clash(name, data[name], new[name])
    for name in ("zh_note", "literal", "definition"):
        if data[name] is None:
            data[name] = new[name]
        elif new[name] is not None and new[name] != data[name]:
            clash(name, data[name], new[name])
    if new["zh"] != data["zh"]:
        # Matched through a variant: the import's main form is at most a further variant.
        known = {data["zh"], *(v["zh"] for v in data["zh_variants"])}
        if new["zh"] not in known:
            clash("zh", data["zh"], new["zh"])
    forms = {v["zh"]: v for v in data["zh_variants"]}
    for variant in new["zh_variants"]:
        if variant["zh"] == data["zh"]:
            continue
        if variant["zh"] not in forms:
            data["zh_variants"].append(variant)
            forms[variant["zh"]] = variant
        elif forms[variant["zh"]]["type"] != variant["type"]:
            clash(f"zh_variants[{variant['zh']}].type", forms[variant["zh"]]["type"], variant["type"])
    _renderings(data, new, clash)
    for note in new["notes"]:
        if note not in data["notes"]:
            data["notes"].append(note)
    if not data["members"]:
        data["members"] = new["members"]
    elif new["members"] and new["members"] != data["members"]:
        clash("members", f"{len(data['members'])} members", f"{len(new['members'])} different members")
    relations = {r["id"]: r for r in data["related"]}
    for relation in new["related"]:
        if relation["id"] not in relations:
            data["related"].append(relation)
        elif relations[relation["id"]]["type"] != relation["type"]:
            clash(f"related[{relation['id']}].type", relations[relation["id"]]["type"], relation["type"])
    return EntryFile.model_validate(data), conflicts


def _renderings(data: dict[str, Any], new: dict[str, Any], clash: Any) -> None:
    by_en = {r["en"].casefold(): r for r in data["renderings"]}
    has_preferred = any(r["status"] == Status.preferred for r in data["renderings"])
    for offered in new["renderings"]:
        key = offered["en"].casefold()
        where = f"renderings[{offered['en']}]"
        if key not in by_en:
            if offered["status"] == Status.preferred and has_preferred:
                clash(f"{where}.status", "another preferred rendering", "preferred; added as admitted")
                offered = {**offered, "status": Status.admitted}
            data["renderings"].append(offered)
            by_en[key] = offered
            continue
        kept = by_en[key]
        for name in ("status", "proper_noun", "generic"):
            if kept[name] != offered[name]:
                clash(f"{where}.{name}", kept[name], offered[name])
        if kept["note"] is None:
            kept["note"] = offered["note"]
        elif offered["note"] not in (None, kept["note"]):
            clash(f"{where}.note", "the curated note", "a different note")
        offered_quotes = {offered["sources"][0]: offered["quote"], **offered["quotes"]}
        for source in offered["sources"]:
            if source in kept["sources"]:
                continue
            kept["sources"].append(source)
            if source in offered_quotes:
                kept["quotes"][source] = offered_quotes[source]
