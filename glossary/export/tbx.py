"""TBX-Basic export (TBX v3, ISO 30042:2019, DCA style): one `conceptEntry` per entry.

TBX-Basic allows few data categories (see the dialect's Schematron): `administrativeStatus`, `termType`,
`partOfSpeech` … as term notes, `definition`, `context` and `subjectField` as descriptions, `source` as admin,
`crossReference` as ref, and free `note`s. What the model holds beyond that — category, pinyin, members,
labelled notes, attestation flags — travels in notes with a fixed label ("Pinyin: …"), so that a translator
reads them in any tool and `glossary import tbx` reads them back. The labels are defined here, once,
for both sides.
"""

from __future__ import annotations

import re

from lxml import etree

from ..base.model import Entry, RelationType, Source, Status, VariantType
from ..base.store import TermBase

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANG_HANS, LANG_HANT, LANG_EN = "zh-Hans", "zh-Hant", "en"
TITLE = "Chinese–English glossary of policy terms"
#: The sourceDesc paragraph that marks a file as written by this exporter.
GENERATOR = "Exported from the curated base by `glossary export --format tbx`."
SOURCE_SECTION = "source"  # refObjectSec type holding the source registry
SOURCE_ID_PREFIX = "source."  # XML id of a source's refObject; "." cannot occur in a slug, so no clash

# Labelled notes. Each is "<label>: <value>"; the import recognises exactly these labels.
CATEGORY = "Category"
PINYIN = "Pinyin"
ZH_SOURCE = "Source of the Chinese"
LITERAL = "Literal"
CONTEXT_EN = "English of the context"
MEMBER = re.compile(
    r"^Member (?P<n>\d+)(?: (?P<part>pinyin|source|entry))?(?P<unattested> \(not attested\))?"
    r": (?P<value>.+)$",
    re.S,
)
NOTE = re.compile(r"^(?P<label>.+?) \[(?P<source>[a-z0-9]+(?:-[a-z0-9]+)*)\]: (?P<text>.+)$", re.S)
# Flags are whole notes with fixed text.
NOT_ATTESTED = "Not attested in a cited source."
CURATORS = "The curator's rendering: not attested in a cited source."
PROPER_NOUN = "Proper noun: match case-sensitively."
GENERIC = "Generic: too generic to check alone; matched only in bilingual drafts."
RELATION_LABELS = {
    RelationType.broader: "Broader concept",
    RelationType.narrower: "Narrower concept",
    RelationType.part_of: "Part of",
    RelationType.has_part: "Has part",
}
#: Chinese variant type -> (TBX termType, administrativeStatus or None). 曾称 is a superseded variant.
VARIANT_TERM_TYPES: dict[VariantType, tuple[str, Status | None]] = {
    VariantType.short: ("abbreviation", None),
    VariantType.full: ("fullForm", None),
    VariantType.alias: ("variant", None),
    VariantType.former: ("variant", Status.superseded),
}
_NCNAME_START = re.compile(r"^[A-Za-z_]")


def xml_id(entry_id: str) -> str:
    """An entry id as an XML ID: ids may start with a digit, XML IDs may not, so those get a leading "_"."""
    return entry_id if _NCNAME_START.match(entry_id) else f"_{entry_id}"


def entry_id_of(xml_ident: str) -> str:
    """The entry id for an XML ID written by `xml_id` ("_" never occurs in a slug)."""
    return xml_ident[1:] if xml_ident.startswith("_") else xml_ident


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _note(parent: etree._Element, text: str) -> None:
    _el(parent, "note", text)


def render(base: TermBase) -> bytes:
    """The whole base as a TBX-Basic document (UTF-8 bytes)."""
    root = document(base)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def document(base: TermBase) -> etree._Element:
    """The whole base as a TBX-Basic (v3) element tree."""
    root = etree.Element(f"{{{NS}}}tbx", nsmap={None: NS})
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(XML_LANG, "en")
    header = _el(root, "tbxHeader")
    file_desc = _el(header, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", TITLE)
    _el(_el(file_desc, "sourceDesc"), "p", GENERATOR)
    text = _el(root, "text")
    body = _el(text, "body")
    for entry in base.entries.values():
        _concept(body, entry, base)
    if base.sources:
        section = _el(_el(text, "back"), "refObjectSec", type=SOURCE_SECTION)
        for source in base.sources.values():
            _source(section, source)
    return root


def _concept(body: etree._Element, entry: Entry, base: TermBase) -> None:
    concept = _el(body, "conceptEntry", id=xml_id(entry.id))
    _note(concept, f"{CATEGORY}: {entry.category.value}")
    for relation in entry.related:
        target = base.entries.get(relation.id)
        _el(
            concept,
            "ref",
            target.zh if target else relation.id,
            type="crossReference",
            target=xml_id(relation.id),
        )
        if relation.type in RELATION_LABELS:
            _note(concept, f"{RELATION_LABELS[relation.type]}: {relation.id}")
    for note in entry.notes:
        _note(concept, f"{note.label} [{note.source}]: {note.text}")
    _chinese(concept, entry)
    _english(concept, entry)


def _chinese(concept: etree._Element, entry: Entry) -> None:
    hans = _el(concept, "langSec", **{XML_LANG: LANG_HANS})
    for i, (member, py) in enumerate(zip(entry.members, entry.members_pinyin, strict=True), start=1):
        flag = "" if member.zh_attested else " (not attested)"
        _note(hans, f"Member {i}{flag}: {member.zh}")
        if py:
            _note(hans, f"Member {i} pinyin: {py}")
        if member.entry:
            _note(hans, f"Member {i} entry: {member.entry}")
    term = _el(hans, "termSec")
    _el(term, "term", entry.zh)
    _note(term, f"{PINYIN}: {entry.pinyin}")
    if not entry.zh_attested:
        _note(term, NOT_ATTESTED)
    if entry.zh_note:
        _note(term, f"{ZH_SOURCE}: {entry.zh_note}")
    if entry.context:
        _sourced(term, "context", entry.context.zh, entry.context.source)
        if entry.context.en:
            _note(term, f"{CONTEXT_EN}: {entry.context.en}")
    for variant, py in zip(entry.zh_variants, entry.variants_pinyin, strict=True):
        term = _variant(hans, variant.zh, variant.type)
        _note(term, f"{PINYIN}: {py}")
        if not variant.attested:
            _note(term, NOT_ATTESTED)
        if variant.note:
            _note(term, variant.note)
    hant = _el(concept, "langSec", **{XML_LANG: LANG_HANT})
    _el(_el(hant, "termSec"), "term", entry.zh_hant)
    for variant, form in zip(entry.zh_variants, entry.variants_hant, strict=True):
        _variant(hant, form, variant.type)


def _variant(lang_sec: etree._Element, form: str, kind: VariantType) -> etree._Element:
    term_type, status = VARIANT_TERM_TYPES[kind]
    term = _el(lang_sec, "termSec")
    _el(term, "term", form)
    _el(term, "termNote", term_type, type="termType")
    if status is not None:
        _el(term, "termNote", status.tbx, type="administrativeStatus")
    return term


def _english(concept: etree._Element, entry: Entry) -> None:
    en = _el(concept, "langSec", **{XML_LANG: LANG_EN})
    if entry.definition and entry.definition_source:
        _sourced(en, "definition", entry.definition, entry.definition_source)
    elif entry.definition:
        _el(en, "descrip", entry.definition, type="definition")
    if entry.literal:
        _note(en, f"{LITERAL}: {entry.literal}")
    for i, member in enumerate(entry.members, start=1):
        flag = "" if member.en_attested else " (not attested)"
        _note(en, f"Member {i}{flag}: {member.en}")
        if member.source:
            _note(en, f"Member {i} source: {member.source}")
    for rendering in entry.renderings:
        term = _el(en, "termSec")
        _el(term, "term", rendering.en)
        _el(term, "termNote", rendering.status.tbx, type="administrativeStatus")
        if not rendering.attested:
            _note(term, CURATORS)
        # The quote is a context from the first source; further sources follow in order, with their quote
        # when they have one, so that the list and its order come back on import.
        for i, source_id in enumerate(rendering.sources):
            quote = rendering.quote if i == 0 else rendering.quotes.get(source_id)
            holder = term
            if quote is not None:
                holder = _el(term, "descripGrp")
                _el(holder, "descrip", quote, type="context")
            _el(holder, "admin", source_id, type="source", target=SOURCE_ID_PREFIX + source_id)
        if rendering.note:
            _note(term, rendering.note)
        if rendering.proper_noun:
            _note(term, PROPER_NOUN)
        if rendering.generic:
            _note(term, GENERIC)


def _sourced(parent: etree._Element, kind: str, text: str, source_id: str) -> None:
    """A description with the source it is quoted from: descripGrp(descrip, admin source)."""
    group = _el(parent, "descripGrp")
    _el(group, "descrip", text, type=kind)
    _el(group, "admin", source_id, type="source", target=SOURCE_ID_PREFIX + source_id)


def _source(section: etree._Element, source: Source) -> None:
    ref = _el(section, "refObject", id=SOURCE_ID_PREFIX + source.id)
    for name, value in source.model_dump(mode="json", exclude={"id"}, exclude_none=True).items():
        _el(ref, "item", str(value), type=name)
