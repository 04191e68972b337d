"""Reading TBX into candidate entries: our own TBX-Basic exports exactly, other TBX files as well as they map.

TBX v3 (`tbx`/`conceptEntry`/`langSec`/`termSec`, namespaced) and TBX v2 (`martif`/`termEntry`/`langSet`/
`tig`, as older MultiTerm and memoQ write) are both read, by local element name. Transactions, images and
languages other than Chinese and English are left out (counted in the warnings).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from lxml import etree
from pydantic import ValidationError

from ..base.model import RelationType, Source
from ..base.store import field_name
from ..export import tbx as fmt
from .concept import ConceptReader, children, name_of, text_of
from .incoming import IdAllocator, Incoming, Options, file_source, validated

Wrap = Callable[[Sequence[Any]], Iterable[Any]]


def _source(ref: etree._Element) -> dict[str, str]:
    data = {"id": (ref.get("id") or "")[len(fmt.SOURCE_ID_PREFIX) :]}
    for item in children(ref, "item"):
        data[item.get("type") or ""] = "".join(item.itertext())
    return data


def read(
    path: Path, options: Options, existing: dict[str, str], known_sources: set[str], wrap: Wrap
) -> Incoming:
    """Read a TBX file. `existing` maps the base's entry ids to their zh; `known_sources` are registry ids."""
    incoming = Incoming(path.name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        line = getattr(exc, "lineno", None)
        incoming.problem(line, None, None, f"not well-formed XML: {getattr(exc, 'msg', exc)}")
        return incoming
    if name_of(root) not in ("tbx", "martif"):
        incoming.problem(root.sourceline, None, None, f"not a TBX document (root element <{name_of(root)}>)")
        return incoming
    # The source registry: v3's refObjectSec, v2's refObjectList (`glossary export --format tbx2`).
    for section in root.iter("{*}refObjectSec", "refObjectSec", "refObjectList"):
        for ref in children(section, "refObject"):
            if (ref.get("id") or "").startswith(fmt.SOURCE_ID_PREFIX):
                try:
                    incoming.sources.append(Source.model_validate(_source(ref)))
                except ValidationError as exc:
                    for err in exc.errors():
                        incoming.problem(ref.sourceline, None, f"source.{field_name(err['loc'])}", err["msg"])
    known = known_sources | {s.id for s in incoming.sources}
    title = next((text_of(t) for t in root.iter("{*}title", "title")), None)
    fallback = file_source(path, options, title)
    concepts = list(root.iter("{*}conceptEntry", "{*}termEntry", "conceptEntry", "termEntry"))
    if not concepts:
        incoming.problem(root.sourceline, None, None, "no conceptEntry in the file")
    ids = IdAllocator(existing)
    # Concept ids are kept only from this project's own exports: other tools number concepts (c1, _1, GUIDs),
    # which would make poor permanent entry ids.
    own_export = any(text_of(p) == fmt.GENERATOR for p in root.iter("{*}p", "p"))
    reader = ConceptReader(incoming, options, known, fallback.id, own_export)
    drafts = [reader.read(concept, ids) for concept in wrap(concepts)]
    xml_ids = {draft.xml_id: draft.data["id"] for draft in drafts if draft is not None and draft.xml_id}
    for draft in drafts:
        if draft is None:
            continue
        related = []
        for target, line in draft.refs:
            if target not in xml_ids:
                incoming.problem(
                    line, draft.data["id"], "related", f"cross-reference to {target!r}, not in the file"
                )
                continue
            target_id = xml_ids[target]
            related.append(
                {"id": target_id, "type": draft.relation_types.get(target_id, RelationType.see_also)}
            )
        if related:
            draft.data["related"] = related
        validated(incoming, draft.data, draft.line)
    if reader.used_fallback:
        incoming.sources.append(fallback)
    incoming.warnings += [f"{count} {what} skipped" for what, count in sorted(reader.skipped.items())]
    return incoming
