"""Reading one TBX concept entry (and its language and term sections) into entry data.

Element names are matched by local name, so TBX v3 (namespaced `conceptEntry`/`langSec`/`termSec`) and TBX v2
(`termEntry`/`langSet`/`tig`/`ntig`) read alike. The labelled notes of our own exports are read back here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..base import script
from ..base.model import RelationType, Status, VariantType
from ..export import tbx as fmt
from .incoming import IdAllocator, Incoming, Options, clean, hant_override, is_slug, pinyin_override

_ALIASES = {"termEntry": "conceptEntry", "langSet": "langSec", "tig": "termSec", "ntig": "termSec"}
_STATUSES = {status.tbx: status for status in Status}
_RELATIONS = {label: kind for kind, label in fmt.RELATION_LABELS.items()}
_SHORT_TYPES = {"abbreviation", "acronym", "shortForm"}


def name_of(element: etree._Element) -> str:
    """The local name of an element, TBX v2 names mapped to TBX v3 ones."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # a processing instruction or entity
    local = tag.rpartition("}")[2]
    return _ALIASES.get(local, local)


def children(element: etree._Element, *names: str) -> list[etree._Element]:
    """The child elements with one of these (local) names."""
    return [child for child in element if name_of(child) in names]


def text_of(element: etree._Element) -> str:
    """All text inside an element, layout whitespace made single spaces."""
    return clean("".join(element.itertext()))


def _language(tag: str | None) -> str | None:
    """zh-Hans, zh-Hant or en for a BCP 47 tag; None for any other language."""
    tag = (tag or "").lower()
    if tag.startswith("en"):
        return fmt.LANG_EN
    if tag.startswith(("zh-hant", "zh-tw", "zh-hk", "zh-mo")):
        return fmt.LANG_HANT
    if tag == "zh" or tag.startswith(("zh-", "cmn")):
        return fmt.LANG_HANS
    return None


@dataclass
class _Term:
    """One termSec, read."""

    text: str
    line: int | None
    term_type: str | None = None
    status: str | None = None
    notes: list[str] = field(default_factory=list)
    citations: list[tuple[str | None, str | None, str | None]] = field(
        default_factory=list
    )  # id, quote, free


def _term(element: etree._Element, known: set[str]) -> _Term | None:
    term_el = next(element.iter("{*}term", "term"), None)
    if term_el is None or not text_of(term_el):
        return None
    term = _Term(text_of(term_el), element.sourceline)
    for note in element.iter("{*}termNote", "termNote"):
        if note.get("type") == "termType":
            term.term_type = text_of(note)
        elif note.get("type") == "administrativeStatus":
            term.status = text_of(note)
    for child in element.iter():
        name = name_of(child)
        if name == "note" and name_of(child.getparent()) in ("termSec", "termGrp"):
            term.notes.append(text_of(child))
        elif name == "descripGrp":
            descrip = next((d for d in children(child, "descrip") if d.get("type") == "context"), None)
            admin = next((a for a in children(child, "admin") if a.get("type") == "source"), None)
            if descrip is not None or admin is not None:
                term.citations.append(_citation(admin, descrip, known))
        elif name in ("admin", "descrip") and name_of(child.getparent()) in ("termSec", "termGrp"):
            if child.get("type") == "source":
                term.citations.append(_citation(child, None, known))
            elif child.get("type") == "context":
                term.citations.append(_citation(None, child, known))
    return term


def _citation(
    admin: etree._Element | None, descrip: etree._Element | None, known: set[str]
) -> tuple[str | None, str | None, str | None]:
    quote = text_of(descrip) if descrip is not None else None
    if admin is None:
        return None, quote, None
    target, text = admin.get("target") or "", text_of(admin)
    if target.startswith(fmt.SOURCE_ID_PREFIX):
        return target[len(fmt.SOURCE_ID_PREFIX) :], quote, None
    if text in known:
        return text, quote, None
    return None, quote, text


@dataclass
class Draft:
    """A concept read, before its cross-references are resolved against the whole file."""

    data: dict[str, Any]
    line: int | None
    xml_id: str | None
    refs: list[tuple[str, int | None]]
    relation_types: dict[str, RelationType]


class ConceptReader:
    """Turns one conceptEntry into entry data, collecting problems in `incoming`."""

    def __init__(
        self, incoming: Incoming, options: Options, known: set[str], fallback_id: str, keep_ids: bool
    ):
        self.incoming, self.options, self.known, self.fallback_id = incoming, options, known, fallback_id
        self.keep_ids = keep_ids
        self.used_fallback = False
        self.skipped: dict[str, int] = {}

    def _skip(self, what: str) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + 1

    def read(self, concept: etree._Element, ids: IdAllocator) -> Draft | None:
        line, xml_ident = concept.sourceline, concept.get("id")
        data: dict[str, Any] = {"category": self.options.category, "zh_attested": True}
        notes: list[dict[str, str]] = []
        refs: list[tuple[str, int | None]] = []
        relation_types: dict[str, RelationType] = {}
        members: dict[int, dict[str, Any]] = {}
        hans: list[_Term] = []
        hant: list[_Term] = []
        english: list[_Term] = []
        for child in concept:
            name = name_of(child)
            if name == "note":
                self._concept_note(text_of(child), data, notes, relation_types)
            elif name == "ref" and child.get("target"):
                refs.append((child.get("target") or "", child.sourceline))
            elif name in ("descrip", "descripGrp"):
                self._descrip(child, data, notes)
            elif name == "langSec":
                language = _language(child.get(fmt.XML_LANG) or child.get("lang"))
                if language is None:
                    self._skip(f"langSec in {child.get(fmt.XML_LANG) or 'an unknown language'}")
                    continue
                self._lang_notes(child, language, data, notes, members)
                terms = [t for t in (_term(ts, self.known) for ts in children(child, "termSec")) if t]
                {fmt.LANG_HANS: hans, fmt.LANG_HANT: hant, fmt.LANG_EN: english}[language].extend(terms)
            elif name:
                self._skip(f"<{name}> element(s)")
        if not hans and hant:
            hans = [_Term(script.to_simplified(t.text), t.line, t.term_type, t.status, t.notes) for t in hant]
        if not hans or not english:
            self.incoming.problem(line, xml_ident, None, "a concept needs a Chinese and an English term")
            return None
        self._chinese(data, hans, hant, notes)
        data["renderings"] = [self._rendering(term) for term in english]
        self._statuses(data["renderings"])
        if members:
            data["members"] = [members[n] for n in sorted(members)]
            for member in data["members"]:  # the export writes derived pinyin too: keep only overrides
                if "pinyin" in member and not pinyin_override(member.get("zh", ""), member["pinyin"]):
                    del member["pinyin"]
        if notes:
            data["notes"] = notes
        preferred = next(
            (r["en"] for r in data["renderings"] if r["status"] == Status.preferred), english[0].text
        )
        own_id = fmt.entry_id_of(xml_ident) if xml_ident and self.keep_ids else ""
        if is_slug(own_id):
            ids.claim(own_id, data["zh"])
        else:
            own_id = ids.allocate(preferred, data["zh"])
        return Draft({"id": own_id, **data}, line, xml_ident, refs, relation_types)

    def _concept_note(
        self,
        text: str,
        data: dict[str, Any],
        notes: list[dict[str, str]],
        relation_types: dict[str, RelationType],
    ) -> None:
        label, _, value = text.partition(": ")
        if label == fmt.CATEGORY:
            data["category"] = value
        elif label in _RELATIONS:
            relation_types[value] = _RELATIONS[label]
        elif match := fmt.NOTE.match(text):
            notes.append({"text": match["text"], "source": match["source"], "label": match["label"]})
        else:
            notes.append(self._plain_note(text, "Note"))

    def _plain_note(self, text: str, label: str) -> dict[str, str]:
        self.used_fallback = True
        return {"text": text, "source": self.fallback_id, "label": label}

    def _descrip(self, element: etree._Element, data: dict[str, Any], notes: list[dict[str, str]]) -> None:
        descrip = element if name_of(element) == "descrip" else next(iter(children(element, "descrip")), None)
        if descrip is None:
            return
        kind = descrip.get("type")
        if kind == "definition":
            data.setdefault("definition", text_of(descrip))
            admin = next((a for a in children(element, "admin") if a.get("type") == "source"), None)
            source_id = _citation(admin, None, self.known)[0] if admin is not None else None
            if source_id and data["definition"] == text_of(descrip):
                data["definition_source"] = source_id
        elif kind == "subjectField":
            notes.append(self._plain_note(text_of(descrip), "Subject field"))
        else:
            self._skip(f"descrip of type {kind}")

    def _lang_notes(
        self,
        lang_sec: etree._Element,
        language: str,
        data: dict[str, Any],
        notes: list[dict[str, str]],
        members: dict[int, dict[str, Any]],
    ) -> None:
        for child in lang_sec:
            name = name_of(child)
            if name in ("descrip", "descripGrp"):
                self._descrip(child, data, notes)
                continue
            if name != "note":
                continue
            text = text_of(child)
            label, _, value = text.partition(": ")
            if (match := fmt.MEMBER.match(text)) and language != fmt.LANG_HANT:
                member = members.setdefault(int(match["n"]), {})
                if match["part"]:
                    member[match["part"]] = match["value"]  # pinyin, entry (Chinese side) or source (English)
                elif language == fmt.LANG_HANS:
                    member["zh"] = match["value"]
                    if match["unattested"]:
                        member["zh_attested"] = False
                else:
                    member["en"] = match["value"]
                    if match["unattested"]:
                        member["en_attested"] = False
            elif label == fmt.LITERAL and language == fmt.LANG_EN:
                data["literal"] = value
            else:
                notes.append(self._plain_note(text, "Note"))

    def _chinese(
        self, data: dict[str, Any], hans: list[_Term], hant: list[_Term], notes: list[dict[str, str]]
    ) -> None:
        main = next((i for i, t in enumerate(hans) if t.status == Status.preferred.tbx), None)
        if main is None:
            main = next((i for i, t in enumerate(hans) if t.term_type is None), 0)
        paired = hant if len(hant) == len(hans) else []
        order = [main] + [i for i in range(len(hans)) if i != main]
        variants = []
        for i in order:
            term = hans[i]
            given = {label: value for label, _, value in (n.partition(": ") for n in term.notes)}
            plain = [
                n
                for n in term.notes
                if n != fmt.NOT_ATTESTED
                and n.partition(": ")[0] not in (fmt.PINYIN, fmt.ZH_SOURCE, fmt.CONTEXT_EN)
            ]
            hant_form = hant_override(term.text, paired[i].text if paired else None)
            py = pinyin_override(term.text, given.get(fmt.PINYIN))
            attested = fmt.NOT_ATTESTED not in term.notes
            if i == main:
                data.update({"zh": term.text, "zh_attested": attested})
                data.update({k: v for k, v in (("zh_hant", hant_form), ("pinyin", py)) if v})
                if fmt.ZH_SOURCE in given:
                    data["zh_note"] = given[fmt.ZH_SOURCE]
                context = next(((i, q) for i, q, _ in term.citations if q), None)
                if context:
                    data["context"] = {"zh": context[1], "source": context[0] or self.fallback_id}
                    if context[0] is None:
                        self.used_fallback = True
                    if fmt.CONTEXT_EN in given:
                        data["context"]["en"] = given[fmt.CONTEXT_EN]
                notes.extend(self._plain_note(n, "Note (Chinese)") for n in plain)
                continue
            variant: dict[str, Any] = {"zh": term.text, "type": self._variant_type(term)}
            variant.update({k: v for k, v in (("zh_hant", hant_form), ("pinyin", py)) if v})
            if not attested:
                variant["attested"] = False
            if plain:
                variant["note"] = " ".join(plain)
            variants.append(variant)
        if variants:
            data["zh_variants"] = variants

    @staticmethod
    def _variant_type(term: _Term) -> VariantType:
        if term.status in (Status.superseded.tbx, Status.deprecated.tbx):
            return VariantType.former
        if term.term_type in _SHORT_TYPES:
            return VariantType.short
        return VariantType.full if term.term_type == "fullForm" else VariantType.alias

    def _rendering(self, term: _Term) -> dict[str, Any]:
        rendering: dict[str, Any] = {"en": term.text, "status": None}
        if term.status is not None:
            if term.status not in _STATUSES:
                message = f"unknown status {term.status!r} (TBX-Basic: {', '.join(_STATUSES)})"
                self.incoming.problem(term.line, None, "administrativeStatus", message)
            rendering["status"] = _STATUSES.get(term.status)
        flags = {"proper_noun": fmt.PROPER_NOUN in term.notes, "generic": fmt.GENERIC in term.notes}
        rendering.update({name: True for name, on in flags.items() if on})
        if fmt.CURATORS in term.notes:
            # The curator's own rendering: it cites nothing, so the file is not made its source either.
            kept = [n for n in term.notes if n not in (fmt.CURATORS, fmt.PROPER_NOUN, fmt.GENERIC)]
            rendering.update({"attested": False, "note": " ".join(kept)})
            return rendering
        sources: list[str] = []
        quotes: dict[str, str] = {}
        loose_quote, free = None, []
        for source_id, quote, citation in term.citations:
            if source_id is None:
                loose_quote = loose_quote or quote
                free += [citation] if citation else []
            elif source_id not in sources:
                sources.append(source_id)
                if quote is not None:
                    quotes[source_id] = quote
        if not sources:
            # Nothing cites a known source: the imported file itself is the source, its context (or the term
            # itself, which the file does contain) the quote.
            self.used_fallback = True
            sources, quotes = [self.fallback_id], {self.fallback_id: loose_quote or term.text}
        rendering["sources"] = sources
        if sources[0] in quotes:
            rendering["quote"] = quotes.pop(sources[0])
        if quotes:
            rendering["quotes"] = quotes
        notes = [n for n in term.notes if n not in (fmt.PROPER_NOUN, fmt.GENERIC)]
        notes += [f"Source: {citation}" for citation in free]
        if notes:
            rendering["note"] = " ".join(notes)
        return rendering

    @staticmethod
    def _statuses(renderings: list[dict[str, Any]]) -> None:
        """Unmarked renderings: the first is preferred when none is, the rest admitted."""
        has_preferred = any(r["status"] == Status.preferred for r in renderings)
        for rendering in renderings:
            if rendering["status"] is None:
                rendering["status"] = Status.admitted if has_preferred else Status.preferred
                has_preferred = True
