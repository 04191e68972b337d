"""TBX v2 export (ISO 30042:2008, TBX-Basic's `martif` form) for the tools that read only v2.

OmegaT (up to 6) and translate-toolkit (and so Weblate, Pootle, Virtaal) reject TBX v3 at its root element.
The v2 document is the v3 one (`tbx.document`) with v2's names: TBX v3 renamed the structure elements and
moved them into a namespace, but kept the data categories, their order and their picklists, so the same
notes, statuses and sources travel and `glossary import tbx` reads either back to the same base (with the
preferred rendering first, as v2 puts it for the tools).
"""

from __future__ import annotations

from lxml import etree

from ..base.model import Status
from ..base.store import TermBase
from . import tbx

#: TBX v3 structure element -> its TBX v2 name (everything else keeps its name).
V2_NAMES = {
    "tbx": "martif",
    "tbxHeader": "martifHeader",
    "conceptEntry": "termEntry",
    "langSec": "langSet",
    "termSec": "tig",
    "refObjectSec": "refObjectList",
}
#: TBX-Basic's v2 dialect name (the `type` of `martif`) and its constraint specification.
DIALECT = "TBX-Basic"
XCS = "TBXBasicXCSV02.xcs"
PREFERRED = Status.preferred.tbx
DOCTYPE = '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">'


def render(base: TermBase) -> bytes:
    """The whole base as a TBX v2 (`martif`) TBX-Basic document (UTF-8 bytes)."""
    source = tbx.document(base)
    root = _convert(source)
    root.set("type", DIALECT)
    root.set(tbx.XML_LANG, source.get(tbx.XML_LANG) or tbx.LANG_EN)
    for entry in root.iter("termEntry"):
        _english_second(entry)
        _preferred_first(entry)
    header = root.find("martifHeader")
    if header is not None:
        # v2 names its constraint specification in the header; v3 carried it in the root's attributes.
        encoding = etree.SubElement(header, "encodingDesc")
        etree.SubElement(encoding, "p", type="XCSURI").text = XCS
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=DOCTYPE)


def _english_second(entry: etree._Element) -> None:
    """Put the English `langSet` right after the simplified Chinese one.

    translate-toolkit (and so Weblate) takes a unit's source and target from the first and second `langSet`,
    whatever their languages; TBX itself leaves their order free.
    """
    sets = [child for child in entry if child.tag == "langSet"]
    english = [s for s in sets if s.get(tbx.XML_LANG) == tbx.LANG_EN]
    if sets and english and sets[1:2] != english[:1]:
        sets[0].addnext(english[0])


def _preferred_first(entry: etree._Element) -> None:
    """Put the preferred English term first: translate-toolkit's target, and OmegaT's first offer, is the
    first `tig`. (The base keeps renderings in the curators' order, which need not start with it.)"""
    for lang_set in entry.iterfind("langSet"):
        if lang_set.get(tbx.XML_LANG) != tbx.LANG_EN:
            continue
        tigs = lang_set.findall("tig")
        preferred = [t for t in tigs if t.findtext("termNote[@type='administrativeStatus']") == PREFERRED]
        if tigs and preferred and preferred[0] is not tigs[0]:
            tigs[0].addprevious(preferred[0])


def _convert(element: etree._Element) -> etree._Element:
    name = etree.QName(element).localname
    copy = etree.Element(V2_NAMES.get(name, name))
    for key, value in element.attrib.items():
        if name == "tbx" and key in ("type", "style"):
            continue  # v3's dialect attributes; v2 has its own (set in `render`)
        copy.set(key, value)
    copy.text = element.text
    for child in element:
        converted = _convert(child)
        converted.tail = child.tail
        copy.append(converted)
    return copy
