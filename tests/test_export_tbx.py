"""TBX-Basic export: validity against the official schemas, the mapping of the model, and the round trip."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import base_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, isoschematron

from glossary import imports
from glossary.base import store
from glossary.base.model import Context, EntryFile, Member, Note, Relation, Rendering, Variant
from glossary.export import render
from glossary.export import tbx as fmt

SHARED_TBX = Path(__file__).resolve().parent.parent.parent / "shared" / "tbx"
FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "data"
NS = {"t": fmt.NS}

# An extra entry exercising what the frozen fixture base lacks: an id starting with a digit, every variant
# type, a deprecated, a superseded and a curator's rendering, flags, overrides, a typed relation, member
# pinyin and a member's entry.
EXTRA_ENTRY = """\
id: 14th-plan
zh: 十四五规划
zh_hant: 十四五規劃
pinyin: shí sì wǔ guī huà
category: plan
zh_attested: false
zh_note: The curator's standard Chinese.
zh_variants:
  - zh: 十四五
    type: short
    attested: false
  - zh: 第十四个五年规划
    type: full
  - zh: 十四五计划
    type: former
  - zh: 规划纲要
    type: alias
    zh_hant: 規畫綱要
    pinyin: guī huá gāng yào
    note: The outline's short name.
renderings:
  - en: 14th Five-Year Plan
    status: preferred
    proper_noun: true
    sources: [cset-2022-st-conference, scio-2023-innovation-briefing]
    quote: the 14th Five-Year Plan
    quotes:
      scio-2023-innovation-briefing: during the 14th Five-Year Plan period
    note: The official name.
  - en: 14th Five-Year Program
    status: deprecated
    sources: [digichina-2021-xi-2018-speech]
    quote: the 14th Five-Year Program
    note: Program is not the official word.
  - en: plan
    status: superseded
    generic: true
    sources: [cgtn-2023-how-china-works]
    quote: the plan
  - en: the fourteenth five
    status: admitted
    attested: false
    note: The curator's literal gloss of the short form.
notes:
  - text: "A note with a [bracket] and a colon: inside."
    source: cset-2022-st-conference
    label: Editor's note 7
members:
  - zh: 十四
    en: fourteen
    pinyin: shí sì
    entry: st-powerhouse
  - zh: 五年规划
    en: five-year plan
    zh_attested: false
    en_attested: false
    source: scio-2023-innovation-briefing
related:
  - id: st-powerhouse
    type: broader
  - id: four-orientations
literal: fourteen-five plan
definition: China's national development plan for 2021-2025.
definition_source: cset-2022-st-conference
context:
  zh: 十四五规划开局之年
  source: cset-2022-st-conference
  en: the first year of the 14th Five-Year Plan
"""


def test_extra_entry_sets_every_field() -> None:
    """Every field of the model is set (to a non-default value) somewhere in EXTRA_ENTRY, so the round trip
    below covers it: a field added to the model without TBX support fails here first."""
    data = yaml.safe_load(EXTRA_ENTRY)
    parts = {
        EntryFile: [data],
        Variant: data["zh_variants"],
        Rendering: data["renderings"],
        Note: data["notes"],
        Member: data["members"],
        Relation: data["related"],
        Context: [data["context"]],
    }
    unset = [
        f"{model.__name__}.{name}"
        for model, items in parts.items()
        for name, info in model.model_fields.items()
        if not any(
            name in item and item[name] != info.get_default(call_default_factory=True) for item in items
        )
    ]
    assert unset == []


def _schematron_text() -> bytes:
    # The three mechanical edits the shared README lists (lxml runs XSLT 1 only); they change no rule.
    text = (SHARED_TBX / "TBX-Basic_DCA.sch").read_text(encoding="utf-8-sig")
    text = text.replace('queryBinding="xslt2"', 'queryBinding="xslt"')
    text = text.replace("matches(@target,'https?://.+')", "re:test(@target,'https?://.+')")
    text = text.replace("./local-name()", "local-name()")
    ns = '<ns uri="urn:iso:std:iso:30042:ed-2" prefix="tbx" />'
    assert ns in text, "the Schematron changed: check the load-time edits"
    text = text.replace(ns, ns + '<ns uri="http://exslt.org/regular-expressions" prefix="re"/>')
    return text.encode("utf-8")


@pytest.fixture(scope="session")
def schemas() -> tuple[etree.RelaxNG, isoschematron.Schematron]:
    """The official TBX-Basic RelaxNG and Schematron from ../shared/tbx (skip when absent)."""
    if not (SHARED_TBX / "TBXcoreStructV03.rng").is_file():
        pytest.skip(f"official TBX schemas not found at {SHARED_TBX}: these tests need ../shared/tbx")
    rng = etree.RelaxNG(etree.parse(str(SHARED_TBX / "TBXcoreStructV03.rng")))
    sch = isoschematron.Schematron(etree.fromstring(_schematron_text()))
    return rng, sch


def errors(doc: etree._Element, schemas: tuple[etree.RelaxNG, isoschematron.Schematron]) -> list[str]:
    """Every error the two schemas report for `doc` (empty when valid)."""
    rng, sch = schemas
    found = []
    if not rng.validate(doc):
        found += [f"rng: {e.message}" for e in rng.error_log]
    if not sch.validate(doc):
        found += [f"sch: {e.message}" for e in sch.error_log]
    return found


@pytest.fixture
def extended_dir(data_dir: Path) -> Path:
    """The fixture base plus EXTRA_ENTRY."""
    (data_dir / "entries" / "14th-plan.yaml").write_text(EXTRA_ENTRY, encoding="utf-8")
    store.load(data_dir)
    return data_dir


def export_tbx(data_dir: Path) -> bytes:
    content = render(store.load(data_dir), "tbx").content
    assert isinstance(content, bytes)
    return content


def test_official_examples_behave(schemas) -> None:
    """The loaded schemas accept the official valid example and reject the official bad file."""
    assert errors(etree.parse(str(SHARED_TBX / "Example_Astronomy_DCA_VALID.tbx")).getroot(), schemas) == []
    assert errors(etree.parse(str(SHARED_TBX / "basic_bad.tbx")).getroot(), schemas)


def test_fixture_export_is_valid(extended_dir: Path, schemas) -> None:
    assert errors(etree.fromstring(export_tbx(extended_dir)), schemas) == []


def test_real_base_export_is_valid(real_data_dir: Path, schemas) -> None:
    assert errors(etree.fromstring(export_tbx(real_data_dir)), schemas) == []


def _drop_id(doc: etree._Element) -> None:
    del doc.find(".//t:conceptEntry", NS).attrib["id"]


def _bad_status(doc: etree._Element) -> None:
    doc.find(".//t:termNote[@type='administrativeStatus']", NS).text = "recommendedTerm-admn-sts"


def _no_language(doc: etree._Element) -> None:
    del doc.find(".//t:langSec", NS).attrib[fmt.XML_LANG]


def _context_on_concept(doc: etree._Element) -> None:
    etree.SubElement(doc.find(".//t:conceptEntry", NS), f"{{{fmt.NS}}}descrip", type="context").text = "x"


def _unknown_term_note(doc: etree._Element) -> None:
    doc.find(".//t:termNote", NS).set("type", "pronunciation")


def _dangling_source(doc: etree._Element) -> None:
    doc.find(".//t:admin[@type='source']", NS).set("target", "source.nowhere")


def _duplicate_id(doc: etree._Element) -> None:
    concepts = doc.findall(".//t:conceptEntry", NS)
    concepts[1].set("id", concepts[0].get("id"))


@pytest.mark.parametrize(
    ("mutate", "schema"),
    [
        (_drop_id, "rng"),
        (_bad_status, "sch"),
        (_no_language, "rng"),
        (_context_on_concept, "sch"),
        (_unknown_term_note, "sch"),
        (_dangling_source, "rng"),
        (_duplicate_id, "rng"),
    ],
)
def test_broken_tbx_fails(
    extended_dir: Path, schemas, mutate: Callable[[etree._Element], None], schema: str
) -> None:
    """TBX broken on purpose fails the schema that owns the rule."""
    doc = etree.fromstring(export_tbx(extended_dir))
    assert errors(doc, schemas) == []
    broken = copy.deepcopy(doc)
    mutate(broken)
    assert any(e.startswith(schema) for e in errors(broken, schemas)), errors(broken, schemas)


@pytest.mark.parametrize(
    ("term", "status"),
    [
        ("14th Five-Year Plan", "preferredTerm-admn-sts"),
        ("14th Five-Year Program", "deprecatedTerm-admn-sts"),
        ("plan", "supersededTerm-admn-sts"),
        ("S&T powerhouse", "preferredTerm-admn-sts"),
        ("world S&T superpower", "admittedTerm-admn-sts"),
    ],
)
def test_status_is_administrative_status(extended_dir: Path, term: str, status: str) -> None:
    doc = etree.fromstring(export_tbx(extended_dir))
    (term_sec,) = doc.xpath("//t:termSec[t:term = $term]", namespaces=NS, term=term)
    assert term_sec.xpath("t:termNote[@type='administrativeStatus']/text()", namespaces=NS) == [status]


@pytest.mark.parametrize(
    ("lang", "form", "term_type", "status"),
    [
        ("zh-Hans", "十四五", "abbreviation", None),
        ("zh-Hans", "第十四个五年规划", "fullForm", None),
        ("zh-Hans", "十四五计划", "variant", "supersededTerm-admn-sts"),
        ("zh-Hans", "规划纲要", "variant", None),
        ("zh-Hant", "十四五計劃", "variant", "supersededTerm-admn-sts"),
    ],
)
def test_variants_are_typed_terms(
    extended_dir: Path, lang: str, form: str, term_type: str, status: str | None
) -> None:
    doc = etree.fromstring(export_tbx(extended_dir))
    (term_sec,) = doc.xpath(
        "//t:conceptEntry[@id='_14th-plan']/t:langSec[@xml:lang=$lang]/t:termSec[t:term = $form]",
        namespaces=NS,
        lang=lang,
        form=form,
    )
    assert term_sec.xpath("t:termNote[@type='termType']/text()", namespaces=NS) == [term_type]
    assert term_sec.xpath("t:termNote[@type='administrativeStatus']/text()", namespaces=NS) == (
        [status] if status else []
    )


def test_concept_carries_sources_quotes_and_labelled_notes(extended_dir: Path) -> None:
    doc = etree.fromstring(export_tbx(extended_dir))
    (concept,) = doc.xpath("//t:conceptEntry[@id='_14th-plan']", namespaces=NS)
    notes = concept.xpath(".//t:note/text()", namespaces=NS)
    assert "Category: plan" in notes
    assert "Pinyin: shí sì wǔ guī huà" in notes
    assert "Broader concept: st-powerhouse" in notes
    assert "Member 2 (not attested): 五年规划" in notes
    assert "Member 1 pinyin: shí sì" in notes
    assert fmt.PROPER_NOUN in notes and fmt.GENERIC in notes and fmt.NOT_ATTESTED in notes
    assert concept.xpath("t:ref[@type='crossReference']/@target", namespaces=NS) == [
        "st-powerhouse",
        "four-orientations",
    ]
    (plan,) = concept.xpath(".//t:termSec[t:term='14th Five-Year Plan']", namespaces=NS)
    citations = [
        (
            grp.xpath("t:descrip[@type='context']/text()", namespaces=NS),
            grp.xpath("t:admin/text()", namespaces=NS),
        )
        for grp in plan.xpath("t:descripGrp", namespaces=NS)
    ]
    assert citations == [
        (["the 14th Five-Year Plan"], ["cset-2022-st-conference"]),
        (["during the 14th Five-Year Plan period"], ["scio-2023-innovation-briefing"]),
    ]
    sources = doc.xpath("//t:back/t:refObjectSec[@type='source']/t:refObject/@id", namespaces=NS)
    assert "source.cset-2022-st-conference" in sources


@pytest.mark.parametrize(
    ("entry_id", "xml_ident"), [("st-powerhouse", "st-powerhouse"), ("14th-plan", "_14th-plan")]
)
def test_xml_ids(entry_id: str, xml_ident: str) -> None:
    assert fmt.xml_id(entry_id) == xml_ident
    assert fmt.entry_id_of(xml_ident) == entry_id


def same_entries(one: Path, other: Path) -> bool:
    """Both bases publish the same entries (JSON objects compared as objects: member order is not data)."""
    return json.loads(render(store.load(one), "json").content) == json.loads(
        render(store.load(other), "json").content
    )


def _round_trip(source_dir: Path, tmp_path: Path) -> tuple[bytes, bytes, Path]:
    first = export_tbx(source_dir)
    tbx_file = tmp_path / "export.tbx"
    tbx_file.write_bytes(first)
    target = tmp_path / "empty"
    report = imports.run(target, tbx_file, "tbx")
    assert report.ok and report.written, report.problems
    return first, export_tbx(target), target


def test_round_trip_fixture(extended_dir: Path, tmp_path: Path) -> None:
    """Export → import into an empty data directory → export gives the same document, and the same entries."""
    first, second, target = _round_trip(extended_dir, tmp_path)
    assert second == first
    assert same_entries(target, extended_dir)


def test_round_trip_real_base(real_data_dir: Path, tmp_path: Path) -> None:
    first, second, target = _round_trip(real_data_dir, tmp_path)
    assert second == first
    assert same_entries(target, real_data_dir)


# --- property: any valid base survives the TBX round trip ---------------------------------------------

# Text as curators write it: one line, trimmed, no XML-incompatible control characters. Labels carry no
# "[" (a label like "x [y]: z" would read back as a note of source y).
_CHARS = st.characters(
    codec="utf-8", categories=["L", "N", "P", "S", "Zs"], exclude_characters="\u2028\u2029"
)
TEXT = st.text(_CHARS, min_size=1, max_size=40).map(str.strip).filter(bool)
LABEL = TEXT.filter(lambda t: "[" not in t)
HAN = "国家科技创新发展战略体制人民建设经济社会文化"
SOURCE_IDS = [
    "cset-2022-st-conference",
    "scio-2023-innovation-briefing",
    "cgtn-2023-how-china-works",
    "digichina-2021-xi-2018-speech",
]


@st.composite
def entries(draw: st.DrawFn) -> list[dict]:
    """One to three valid entries (as curated data), related among themselves."""
    count = draw(st.integers(1, 3))
    ids = [f"e{i}-{draw(st.sampled_from(['plan', '14th', 'x']))}" for i in range(count)]
    made = []
    for i, entry_id in enumerate(ids):
        forms = [HAN[i * 4 + k] + HAN[(i * 4 + k + 1) % len(HAN)] for k in range(3)]
        n_renderings = draw(st.integers(1, 3))
        preferred = draw(st.integers(0, n_renderings - 1))
        renderings = []
        for r in range(n_renderings):
            sources = draw(st.lists(st.sampled_from(SOURCE_IDS), min_size=1, max_size=3, unique=True))
            quoted = draw(st.lists(st.sampled_from(sources[1:]), unique=True)) if len(sources) > 1 else []
            status = (
                "preferred"
                if r == preferred
                else draw(st.sampled_from(["admitted", "deprecated", "superseded"]))
            )
            renderings.append(
                {
                    "en": f"{draw(TEXT)} {r}",
                    "status": status,
                    "sources": sources,
                    "quote": draw(TEXT),
                    "quotes": {s: draw(TEXT) for s in quoted},
                    "note": draw(st.none() | TEXT),
                    "proper_noun": draw(st.booleans()),
                    "generic": draw(st.booleans()),
                }
            )
        variants = [
            {
                "zh": form,
                "type": draw(st.sampled_from(["short", "full", "alias", "former"])),
                "attested": draw(st.booleans()),
                "note": draw(st.none() | TEXT),
            }
            for form in forms[1 : 1 + draw(st.integers(0, 2))]
        ]
        members = [
            {
                "zh": HAN[m] + HAN[m + 2],
                "en": draw(TEXT),
                "zh_attested": draw(st.booleans()),
                "en_attested": draw(st.booleans()),
                "source": draw(st.none() | st.sampled_from(SOURCE_IDS)),
            }
            for m in range(draw(st.integers(0, 2)))
        ]
        others = [other for other in ids if other != entry_id]
        related = (
            [
                {
                    "id": other,
                    "type": draw(st.sampled_from(["see_also", "broader", "narrower", "part_of", "has_part"])),
                }
                for other in draw(st.lists(st.sampled_from(others), unique=True))
                if others
            ]
            if others
            else []
        )
        made.append(
            {
                "id": entry_id,
                "zh": forms[0],
                "category": draw(st.sampled_from(["formula", "concept", "plan"])),
                "zh_attested": draw(st.booleans()),
                "zh_note": draw(st.none() | TEXT),
                "zh_variants": variants,
                "renderings": renderings,
                "notes": [
                    {"text": draw(TEXT), "source": draw(st.sampled_from(SOURCE_IDS)), "label": draw(LABEL)}
                    for _ in range(draw(st.integers(0, 2)))
                ],
                "members": members,
                "related": related,
                "literal": draw(st.none() | TEXT),
                "definition": draw(st.none() | TEXT),
            }
        )
    return made


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries())
def test_any_base_round_trips(tmp_path_factory: pytest.TempPathFactory, made: list[dict]) -> None:
    source_dir = base_of(made, tmp_path_factory.mktemp("base"))
    first, second, target = _round_trip(source_dir, tmp_path_factory.mktemp("trip"))
    assert second == first
    assert same_entries(target, source_dir)
