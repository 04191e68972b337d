"""The curated base against its sources.

(a) The terms issue 3 names are in the base, with their Chinese variants, their formula members in order, and
    their variant renderings each carrying its source and quote.
(b) Every Chinese string that CSET (000) or DigiChina (004) print in parentheses or in a translator's or
    editor's note is in the base. The strings are extracted from the source texts here, not typed in, so a
    string the curators missed fails this test.
(c) Every entry has a quoted rendering, every quote stands in its source, and every pinyin override is listed
    below and is needed (it differs from what pypinyin derives).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from glossary.base import pinyin, quotes, script, store
from glossary.base.model import Entry, RelationType

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

CSET = "000_7c8be4c2ecc5bddd.txt"  # cset-2022-st-conference
DIGICHINA = "004_e260997f8c73c039.txt"  # digichina-2021-xi-2018-speech


@pytest.fixture(scope="module")
def base() -> store.TermBase:
    """The real curated base (it must be valid)."""
    return store.load(DATA)


@pytest.fixture(scope="module")
def seeds() -> Path:
    """The five seed texts as the project carries them in data/texts (unchanged: tests/test_texts.py)."""
    return ROOT / "data" / "texts"


def key(text: str) -> str:
    """How Chinese strings are compared: simplified, without punctuation, quote marks or spaces."""
    return re.sub(r"[\W_]", "", script.to_simplified(text))


def entry_for(base: store.TermBase, zh: str) -> Entry:
    """The entry whose zh or a zh variant is `zh` (in either script)."""
    wanted = key(zh)
    found = [e for e in base.entries.values() if wanted in {key(form) for form in e.chinese_forms()}]
    assert found, f"no entry has the Chinese {zh!r} (as zh or a zh variant)"
    assert len(found) == 1, f"{zh!r} names several entries: {[e.id for e in found]}"
    return found[0]


# --- (a) the terms of issue 3 ------------------------------------------------------------------------------

# zh → (zh variants that must be there, with their type; members in order, or None for a non-formula)
TERMS: dict[str, tuple[dict[str, str], tuple[str, ...] | None]] = {
    "四个面向": ({}, ("面向世界科技前沿", "面向经济主战场", "面向国家重大需求", "面向人民生命健康")),
    "揭榜挂帅": ({"悬赏制": "alias"}, None),
    "两个确立": ({}, (
        "确立习近平同志党中央的核心、全党的核心地位", "确立习近平新时代中国特色社会主义思想的指导地位",
    )),
    "科技强国": ({"世界科技强国": "full"}, None),
    "科学技术部": ({"科技部": "short"}, None),
    "“十四五”国家科技创新规划": ({}, None),
    "事业单位": ({}, None),
    "四个意识": ({}, ("政治意识", "大局意识", "核心意识", "看齐意识")),
    "四个自信": ({}, ("道路自信", "理论自信", "制度自信", "文化自信")),
    "两个维护": ({}, (
        "坚决维护习近平总书记党中央的核心、全党的核心地位", "坚决维护党中央权威和集中统一领导",
    )),
    "四抓": ({}, ("抓战略", "抓规划", "抓政策", "抓服务")),
    "新型举国体制": ({}, None),
    "大监督": ({}, None),
    "新发展格局": ({}, None),
    "强国": ({}, None),
    "一带一路": ({}, ("丝绸之路经济带", "21世纪海上丝绸之路")),
}


@pytest.mark.parametrize("zh", list(TERMS))
def test_issue_3_term_is_in_the_base(base, zh):
    entry = entry_for(base, zh)
    assert entry.zh == zh, f"{zh!r} is a variant of {entry.id!r}, not its own entry"
    variants, members = TERMS[zh]
    types = {v.zh: v.type.value for v in entry.zh_variants}
    for variant, kind in variants.items():
        assert types.get(variant) == kind, f"{entry.id}: variant {variant!r} should be {kind!r}, has {types}"
    if members is not None:
        assert tuple(m.zh for m in entry.members) == members, f"{entry.id}: members out of order or missing"


# formulas whose members are terms of their own: each member is an entry, linked both ways
MEMBER_ENTRIES = ["四个意识", "四个自信", "两个维护", "一带一路"]


@pytest.mark.parametrize("zh", MEMBER_ENTRIES)
def test_formula_members_are_entries_linked_to_the_formula(base, zh):
    formula = entry_for(base, zh)
    parts = {r.id for r in formula.related if r.type is RelationType.has_part}
    for member in formula.members:
        entry = entry_for(base, member.zh)
        assert RelationType.part_of in {r.type for r in entry.related if r.id == formula.id}, (
            f"{entry.id} (member {member.zh}) has no part_of link to {formula.id}"
        )
        assert entry.id in parts, f"{formula.id} has no has_part link to {entry.id}"


# (Chinese, English, source): the renderings, and who uses them, that the sources attest
RENDERINGS = [
    ("强国", "powerhouse", "cset-2022-st-conference"),
    ("强国", "superpower", "digichina-2021-xi-2018-speech"),
    ("强国", "leading country", "scio-2023-innovation-briefing"),
    ("科技强国", "S&T powerhouse", "cset-2022-st-conference"),
    ("世界科技强国", "world S&T superpower", "digichina-2021-xi-2018-speech"),
    ("科技强国", "leading country in science and technology", "scio-2023-innovation-briefing"),
    ("新发展格局", "new development pattern", "cset-2022-st-conference"),
    ("新发展格局", "new development paradigm", "scio-2023-innovation-briefing"),
    ("中国共产党", "CCP", "cset-2022-st-conference"),
    ("中国共产党", "CPC", "scio-2023-innovation-briefing"),
    ("中国共产党", "Communist Party of China", "cgtn-2023-how-china-works"),
    ("党中央", "CCP Central Committee", "cset-2022-st-conference"),
    ("党中央", "CPC Central Committee", "scio-2023-innovation-briefing"),
    ("科学技术部", "Ministry of Science and Technology", "most-newsletter-2019-22"),
    ("科技部", "MOST", "cset-2022-st-conference"),
    ("揭榜挂帅", "winner-takes-all open competition", "cset-2022-st-conference"),
    ("悬赏制", "bounty system", "cset-2022-st-conference"),
    ("四个面向", "four be oriented towards", "cset-2022-st-conference"),
    ("两个确立", "two establishes", "cset-2022-st-conference"),
    ("四个意识", "four consciousnesses", "cset-2022-st-conference"),
    ("政治意识", "political consciousness", "cset-2022-st-conference"),
    ("政治意识", "political integrity", "most-newsletter-2019-22"),
    ("四个自信", "four confidences", "cset-2022-st-conference"),
    ("四个自信", "four self-confidences", "digichina-2021-xi-2018-speech"),
    ("两个维护", "two upholds", "cset-2022-st-conference"),
    ("四抓", "four grasps", "cset-2022-st-conference"),
    ("事业单位", "public institution", "cset-2022-st-conference"),
    ("新型举国体制", "new structure for leveraging national capabilities", "cset-2022-st-conference"),
    ("大监督", "big supervision", "cset-2022-st-conference"),
    ("“十四五”国家科技创新规划", "14th Five-Year Plan for National Science and Technology Innovation",
     "cset-2022-st-conference"),
    ("创新型国家", "innovation-oriented country", "cset-2022-st-conference"),
    ("创新型国家", "innovative country", "scio-2023-innovation-briefing"),
    ("一带一路", "Belt and Road Initiative", "cset-2022-st-conference"),
    ("一带一路", "Belt and Road Initiative", "digichina-2021-xi-2018-speech"),
    ("一带一路", "Belt and Road Initiative", "scio-2023-innovation-briefing"),
]


@pytest.mark.parametrize(("zh", "en", "source"), RENDERINGS)
def test_variant_rendering_carries_its_source(base, zh, en, source):
    entry = entry_for(base, zh)
    matches = [r for r in entry.renderings if r.en.casefold() == en.casefold()]
    assert matches, f"{entry.id}: no rendering {en!r}; has {[r.en for r in entry.renderings]}"
    rendering = matches[0]
    assert source in rendering.sources, f"{entry.id}: {en!r} does not cite {source} ({rendering.sources})"
    quote = rendering.quote if rendering.sources[0] == source else rendering.quotes.get(source)
    assert quote, f"{entry.id}: {en!r} cites {source} without a quote from it"


def test_every_source_of_every_rendering_has_a_quote(base):
    missing = [
        f"{entry.id}: {rendering.en!r} cites {source} without a quote"
        for entry in base.entries.values()
        for rendering in entry.renderings
        for source in rendering.sources[1:]
        if not rendering.quotes.get(source)
    ]
    assert not missing, "\n".join(missing)


# --- (b) every Chinese string in 000's and 004's parentheses and notes --------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A run of Chinese: Han characters (and digits, as in 21世纪), with the punctuation, quote marks and spaces
# that may stand inside one (“十四五”国家…; 政治意识、大局意识; …核心地位, 坚决维护…), from Han to Han.
_RUN = re.compile(rf"[0-9]*[{_HAN}](?:[{_HAN}0-9、，,;；“”\"‘’'—\s]*[{_HAN}])?")
_PARENS = re.compile(r"[（(]([^()（）]*)[)）]")
# A note paragraph as printed: "² Translator's note:", "[1] Editor’s note:", "[5]Translators’ note:".
_NOTE = re.compile(
    r"^\s*(?:[\u00b9\u00b2\u00b3\u2070-\u2079]+|\[\d+\])\s*(?:translators?|editors?)\S*\s+note\b", re.I
)
_COARSE = re.compile(r"[,，;；]")
_FINE = re.compile(r"、")


def chinese_strings(text: str) -> list[str]:
    """The Chinese runs of a text: in parentheses, and anywhere in its translator's or editor's notes."""
    runs: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        spans = [paragraph] if _NOTE.match(paragraph) else _PARENS.findall(paragraph)
        for span in spans:
            runs += [run.strip() for run in _RUN.findall(span)]
    return list(dict.fromkeys(runs))


def pieces(run: str) -> list[str]:
    """A run split as the test splits it: on 、，,; with quote marks stripped."""
    parts = [p for part in _COARSE.split(run) for p in _FINE.split(part)]
    return [p.strip().strip("“”\"‘’'") for p in parts if p.strip()]


def known_forms(base: store.TermBase) -> set[str]:
    """Every Chinese string the base holds: entries' zh and variants (both scripts) and formula members."""
    forms = {key(form) for entry in base.entries.values() for form in entry.chinese_forms()}
    forms |= {key(m.zh) for entry in base.entries.values() for m in entry.members}
    return forms


def found(run: str, known: set[str]) -> bool:
    """Is the run in the base: whole (a quotation, a full form), or else every piece of it.

    A run is split first on commas and semicolons, then on 、, so that a long clause holding a 、 (a member of
    两个维护) is looked up whole, and a list of terms (政治意识、大局意识…) term by term.
    """
    if key(run) in known:
        return True
    coarse = [p for p in _COARSE.split(run) if p.strip()]
    if len(coarse) > 1:
        return all(found(p, known) for p in coarse)
    fine = [p for p in _FINE.split(run) if p.strip()]
    return len(fine) > 1 and all(key(p) in known for p in fine)


# Strings each source certainly prints, to catch an extraction that silently finds nothing.
EXPECTED_STRINGS = {
    CSET: {"科学技术部", "科技部", "创新型国家", "新发展格局", "关键核心技术", "强国", "科技强国", "四个面向",
           "揭榜挂帅", "悬赏制", "一带一路", "丝绸之路经济带", "21世纪海上丝绸之路", "两个确立", "政治意识",
           "看齐意识", "文化自信", "两个维护", "事业单位", "四抓", "大监督", "新型举国体制", "百城百园",
           "“十四五”国家科技创新规划", "坚决维护党中央权威和集中统一领导"},
    DIGICHINA: {"世界科技强国", "力", "动力", "供给侧结构性改革", "自主创新", "网络强国"},
}


@pytest.mark.parametrize("name", [CSET, DIGICHINA])
def test_extraction_finds_the_strings_the_source_prints(seeds, name):
    runs = chinese_strings((seeds / name).read_text(encoding="utf-8"))
    extracted = {p for run in runs for p in pieces(run)}
    missing = {key(s) for s in EXPECTED_STRINGS[name]} - {key(p) for p in extracted}
    assert not missing, f"the extraction missed {sorted(missing)} in {name}"


@pytest.mark.parametrize("name", [CSET, DIGICHINA])
def test_every_chinese_string_in_parentheses_and_notes_is_in_the_base(base, seeds, name):
    known = known_forms(base)
    runs = chinese_strings((seeds / name).read_text(encoding="utf-8"))
    assert runs, f"no Chinese found in {name}"
    missing = [run for run in runs if not found(run, known)]
    assert not missing, f"{len(missing)} Chinese string(s) printed in {name} are not in the base: {missing}"


SOURCE_IDS = {CSET: "cset-2022-st-conference", DIGICHINA: "digichina-2021-xi-2018-speech"}
_NOTE_PARTS = re.compile(
    r"^\s*(?:(?P<sup>[\u00b9\u00b2\u00b3\u2070-\u2079]+)|\[(?P<num>\d+)\])\s*"
    r"(?P<who>Translator|Editor)(?P<apos>['’]s|s['’])\s+note:\s*(?P<text>.+)",
    re.S,
)


def printed_notes(text: str) -> list[tuple[str, str]]:
    """The numbered notes of a source text as (label, text), the label as curators write it."""
    notes = []
    for paragraph in re.split(r"\n\s*\n", text):
        match = _NOTE_PARTS.match(paragraph)
        if match:
            number = match["num"] or "".join(str(unicodedata.digit(c)) for c in match["sup"])
            owner = "'s" if match["apos"].endswith("s") else "s'"
            notes.append((f"{match['who']}{owner} note {number}", match["text"]))
    return notes


@pytest.mark.parametrize(("name", "count"), [(CSET, 10), (DIGICHINA, 5)])
def test_every_numbered_note_is_attached_verbatim(base, seeds, name, count):
    printed = printed_notes((seeds / name).read_text(encoding="utf-8"))
    assert len(printed) == count, f"expected {count} notes in {name}, found {[label for label, _ in printed]}"
    attached = [
        (quotes.normalise(note.label), quotes.normalise(note.text))
        for entry in base.entries.values()
        for note in entry.notes
        if note.source == SOURCE_IDS[name]
    ]
    # A note broken by a page break is printed as two paragraphs: the first must begin the curated note.
    missing = [
        label
        for label, text in printed
        if not any(lab == quotes.normalise(label) and body.startswith(quotes.normalise(text))
                   for lab, body in attached)
    ]
    assert not missing, f"notes of {name} not attached verbatim to any entry: {missing}"


# --- (c) quotes and pinyin ---------------------------------------------------------------------------------


def test_every_entry_has_a_quoted_rendering(base):
    """Even where the curator supplies the preferred rendering, the flawed attested ones stay beside it."""
    unquoted = [e.id for e in base.entries.values() if not any((r.quote or "").strip() for r in e.renderings)]
    assert not unquoted, f"entries without a quoted rendering: {unquoted}"


def test_every_quote_and_note_stands_in_its_source(base, seeds):
    checked, problems = quotes.verify(base, seeds)
    assert checked
    assert not problems, "\n".join(str(p) for p in problems)


# Entries whose pinyin is curated because pypinyin's reading is wrong: id → the curated pinyin. pypinyin
# writes the tone sandhi of 一 (新一代 xīn yí dài; stored pinyin keeps the citation tone yī), reads 为 in
# 以…为… and 方为 as wèi (wéi), and 子 in names as neutral zi (墨子 mò zǐ, 中子 zhōng zǐ).
PINYIN_OVERRIDES = {
    "centenary-of-the-communist-party-of-china": "zhōng guó gòng chǎn dǎng chéng lì yī bǎi zhōu nián",
    "haidou-1": "hǎi dǒu yī hào",
    "sit-on-the-cold-bench": "zuò de zhù lěng bǎn dèng",
    "opinions-on-allocation-policies-guided-by-added-knowledge-value": (
        "guān yú shí xíng yǐ zēng jiā zhī shí jià zhí wéi dǎo xiàng fēn pèi zhèng cè de ruò gān yì jiàn"
    ),
    "opinions-on-improving-central-government-research-funding-management": (
        "guān yú jìn yī bù wán shàn zhōng yāng cái zhèng kē yán xiàng mù zī jīn guǎn lǐ děng zhèng cè de"
        " ruò gān yì jiàn"
    ),
    "committee-for-ai-governance": "guó jiā xīn yī dài rén gōng zhì néng zhì lǐ zhuān yè wěi yuán huì",
    "cpc-central-committee-with-comrade-xi-jinping-at-its-core": (
        "yǐ xí jìn píng tóng zhì"
        " wéi hé xīn de dǎng zhōng yāng"
    ),
    "development-plan-for-the-new-generation-of-ai": "xīn yī dài rén gōng zhì néng fā zhǎn guī huà",
    "do-not-refuse-a-mass-of-small-streams": "bù jù zhòng liú fāng wéi jiāng hǎi",
    "ethical-norms-for-new-generation-artificial-intelligence": (
        "xīn yī dài rén gōng"
        " zhì néng lún lǐ guī fàn"
    ),
    "governance-principles-for-the-new-generation-artificial-intelligence": (
        "xīn yī dài rén gōng"
        " zhì néng zhì lǐ yuán zé"
    ),
    "first-centenary-goal": "dì yī gè bǎi nián fèn dòu mù biāo",  # 第一 dì yī, no sandhi
    "high-failure-rate": "jiǔ sǐ yī shēng",
    "multiple-cropping-index": "fù zhòng zhǐ shù",  # 种 zhòng "to plant", not zhǒng "kind"
    "mozi": "mò zǐ",
    "national-innovation-pilot-zone": "guó jiā xīn yī dài rén gōng zhì néng chuàng xīn fā zhǎn shì yàn qū",
    "office-for-advancing-ai-development": (
        "xīn yī dài rén gōng zhì néng fā"
        " zhǎn guī huà tuī jìn bàn gōng shì"
    ),
    "people-are-the-most-precious": "shì jiān yī qiè shì wù zhōng rén shì dì yī gè kě bǎo guì de",
    "spallation-neutron-source": "zhōng guó sàn liè zhōng zǐ yuán",
    "strategic-advisory-committee-for-new-generation-ai": (
        "xīn yī dài rén gōng zhì néng"
        " zhàn lüè zī xún wěi yuán huì"
    ),
    "whenever-society-has-a-technological-need": (
        "shè huì yī dàn yǒu jì shù shàng de xū yào zhè zhǒng xū yào"
        " jiù huì bǐ shí suǒ dà xué gèng néng bǎ kē xué tuī xiàng qián jìn"
    ),
    "explanation-of-the-2024-resolution": (
        "guān yú zhōng gòng zhōng yāng guān yú jìn yī bù quán miàn shēn huà"
        " gǎi gé tuī jìn zhōng guó shì xiàn dài huà de jué dìng de shuō míng"
    ),
    "further-deepening-reform-comprehensively": "jìn yī bù quán miàn shēn huà gǎi gé",
    "new-generation-information-technology": "xīn yī dài xìn xī jì shù",
    "resolution-on-further-deepening-reform-comprehensively": (
        "zhōng gòng zhōng yāng guān yú jìn yī bù quán miàn shēn huà"
        " gǎi gé tuī jìn zhōng guó shì xiàn dài huà de jué dìng"
    ),
}


@pytest.mark.parametrize(("entry_id", "expected"), list(PINYIN_OVERRIDES.items()))
def test_pinyin_override_is_curated_and_needed(base, entry_id, expected):
    entry = base.entries[entry_id]
    assert entry.pinyin_overridden, f"{entry_id} has no pinyin override"
    assert entry.pinyin == expected
    assert pinyin.derive(entry.zh) != expected, f"{entry_id}: pypinyin already gives it: drop the override"


def test_the_override_table_lists_every_override(base):
    overridden = {e.id for e in base.entries.values() if e.pinyin_overridden}
    assert overridden == set(PINYIN_OVERRIDES), (
        f"unlisted: {sorted(overridden - set(PINYIN_OVERRIDES))}; listed but not overridden: "
        f"{sorted(set(PINYIN_OVERRIDES) - overridden)}"
    )


def test_every_variant_and_member_pinyin_override_is_needed(base):
    needless = [
        f"{entry.id}: {item.zh} {item.pinyin!r}"
        for entry in base.entries.values()
        for item in [*entry.zh_variants, *entry.members]
        if item.pinyin and pinyin.of(item.zh, item.pinyin) == pinyin.derive(item.zh)
    ]
    assert not needless, "pinyin overrides that pypinyin already gives:\n" + "\n".join(needless)
