"""The JSON export (every entry as published) and its JSON Schema, generated from the model."""

from __future__ import annotations

import json
from typing import Any

from ..base.model import INTERNAL_FIELDS, Entry
from ..base.store import TermBase

_INTERNAL = sorted(INTERNAL_FIELDS)


def render(base: TermBase) -> str:
    """The whole base: a JSON array of entries, as `Entry.export()` publishes them."""
    entries = [entry.export() for entry in base.entries.values()]
    return json.dumps(entries, ensure_ascii=False, indent=2) + "\n"


def schema() -> dict[str, Any]:
    """The JSON Schema of the `json` export: an array of published entries."""
    entry = Entry.model_json_schema()
    defs = entry.pop("$defs", {})
    for name in INTERNAL_FIELDS:
        entry["properties"].pop(name, None)
        if name in entry.get("required", []):
            entry["required"].remove(name)
    # In the export every variant carries its traditional form and pinyin, derived when not curated.
    variant = json.loads(json.dumps(defs["Variant"]))
    variant["required"] = sorted({*variant.get("required", []), "zh_hant", "pinyin"})
    for name in ("zh_hant", "pinyin"):
        variant["properties"][name] = {
            "type": "string",
            "title": variant["properties"][name].get("title", name),
        }
    defs["ExportedVariant"] = variant
    entry["properties"]["zh_variants"]["items"] = {"$ref": "#/$defs/ExportedVariant"}
    # And every formula member its pinyin.
    member = json.loads(json.dumps(defs["Member"]))
    member["required"] = sorted({*member.get("required", []), "pinyin"})
    member["properties"]["pinyin"] = {"type": "string", "title": "Pinyin"}
    defs["ExportedMember"] = member
    entry["properties"]["members"]["items"] = {"$ref": "#/$defs/ExportedMember"}
    defs["Entry"] = entry
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Glossary export (glossary export --format json)",
        "type": "array",
        "items": {"$ref": "#/$defs/Entry"},
        "$defs": defs,
    }


def render_schema(base: TermBase) -> str:
    """The JSON Schema as text (the base is not needed: the schema depends on the model only)."""
    del base
    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"
