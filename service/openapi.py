"""What the OpenAPI document says beyond what flask-openapi3 generates from the views and models.

- `servers`: where `glossary serve` listens by default, so that generated clients and linters have a base URL.
- Conditional GETs: every GET answers `If-None-Match` with a 304 and carries `ETag`, `Cache-Control` and
  `Vary` (service/headers.py); flask-openapi3 has no place for response headers, so they are added here.
- The check request as two named shapes, and the export's body per media type.
Written out inline rather than as `$ref`s to components, which some client generators do not follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SERVERS = [{"url": "http://127.0.0.1:8000", "description": "`glossary serve` on its default host and port"}]

IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "An ETag of an earlier response: when the data has not changed since, the answer is an "
    'empty 304. Weak comparison (RFC 9110); a gzipped response\'s tag (`"v1-…:gzip"`) works as well.',
    "schema": {"type": "string"},
}
RESPONSE_HEADERS = {
    "ETag": {
        "description": 'The data version this representation comes from (`"v1-<version>"`; with `:gzip` '
        "appended when the body is gzipped): send it back as If-None-Match.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "How long the response may be reused without revalidating.",
        "schema": {"type": "string"},
    },
    "Vary": {
        "description": "`Accept-Encoding`: the body is gzipped for clients that accept it.",
        "schema": {"type": "string"},
    },
}
NOT_MODIFIED = {
    "description": "Not Modified: the ETag sent in If-None-Match is current; no body.",
    "headers": {name: RESPONSE_HEADERS[name] for name in ("ETag", "Cache-Control")},
}


def complete(spec: dict[str, Any]) -> dict[str, Any]:
    """Add `servers` and document the conditional GETs (If-None-Match, 304, ETag) of every GET operation."""
    spec["servers"] = SERVERS
    for path_item in spec.get("paths", {}).values():
        operation = path_item.get("get")
        if operation is None:
            continue
        operation.setdefault("parameters", []).append(dict(IF_NONE_MATCH))
        responses = operation.setdefault("responses", {})
        responses["304"] = dict(NOT_MODIFIED)
        if "200" in responses:
            responses["200"]["headers"] = dict(RESPONSE_HEADERS)
    return spec


def exactly_one(
    schema: dict[str, Any], ref_template: str, variants: list[tuple[str, str, str, str]]
) -> dict[str, Any]:
    """A model's JSON Schema with "exactly one of two fields" said as a `oneOf` of two closed schemas.

    `variants` are (schema name, its required field, the other field, description); each variant has the
    model's other properties, its field required and non-null, and the other field null or absent. Client
    generators turn this into two request types; a `oneOf` of bare `required` lists they could not read.
    """
    properties = schema.pop("properties")
    defs = schema.setdefault("$defs", {})
    for name, field, other, about in variants:
        shared = {k: v for k, v in properties.items() if k not in (field, other)}
        given = {k: v for k, v in properties[field].items() if k != "default"}
        given.update(next(t for t in given.pop("anyOf") if t.get("type") != "null"))
        defs[name] = {
            "title": name,
            "type": "object",
            "description": about,
            "properties": {field: given, **shared, other: {"type": "null", "description": "Null or absent."}},
            "required": [field],
            "additionalProperties": False,
        }
    for key in ("type", "additionalProperties"):
        schema.pop(key, None)
    schema["oneOf"] = [{"$ref": ref_template.format(model=name)} for name, *_ in variants]
    return schema


def export_content(formats: Mapping[str, Any]) -> dict[str, Any]:
    """The export's 200 body per media type (JSON documents for the JSON formats, text for the rest)."""
    content: dict[str, Any] = {}
    names: dict[str, list[str]] = {}
    for name, spec in formats.items():
        media_type = spec.media_type.split(";")[0]
        if name == "json":
            schema: dict[str, Any] = {"type": "array", "items": {"$ref": "#/components/schemas/Entry"}}
        else:
            schema = {"type": "object"} if media_type.endswith("json") else {"type": "string"}
        content.setdefault(media_type, {"schema": schema})
        names.setdefault(media_type, []).append(name)
    for media_type, entry in content.items():
        listed = ", ".join(f"`{n}`" for n in names[media_type])
        entry["schema"] = {**entry["schema"], "description": f"Formats: {listed}."}
    # Text types first: client generators (openapi-python-client) type a response by its first media type,
    # and every export, JSON included, reads as text; JSON first would make them parse a CSV as JSON.
    return dict(sorted(content.items(), key=lambda item: not item[0].startswith("text/")))
