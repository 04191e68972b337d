"""The checker on the kinds of wrong finding real official text showed (issue 12), one table per kind.

Each test builds a small base of its own (entries written here, citing the fixture sources), so that what is
asserted does not move when the curators grow the real base; tests/test_corpus_check.py covers the real one.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from glossary.base import store
from glossary.check.checker import Checker
from glossary.check.report import CheckReport, CheckRequest
from glossary.check.segmenter import best_cover

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "data"
REAL_DATA = Path(__file__).resolve().parent.parent / "data"
SOURCE = "cset-2022-st-conference"


def _entry(entry_id: str, zh: str, *renderings: str, **extra: Any) -> dict[str, Any]:
    statuses = ["preferred"] + ["admitted"] * (len(renderings) - 1)
    return {
        "id": entry_id, "zh": zh, "category": "concept", "zh_attested": False, "zh_note": "test entry",
        "renderings": [
            {"en": en, "status": status, "sources": [SOURCE], "quote": en}
            for en, status in zip(renderings, statuses, strict=True)
        ],
        **extra,
    }


ENTRIES = [
    _entry("powerhouse", "强国", "powerhouse", "strong country"),
    _entry("st-innovation", "科技创新", "scientific and technological innovation"),
    _entry("new-growth-drivers", "新动能", "new growth drivers"),
    _entry("modernization-drive", "现代化建设", "modernization drive"),
    _entry("communist-party-of-china", "中国共产党", "Communist Party of China", "CPC"),
    _entry("new-development-pattern", "新发展格局", "new development pattern", "new development paradigm"),
    _entry("principal-role-of-enterprises", "企业创新主体地位", "principal role of enterprises"),
    _entry("dedication-to-science", "科学家精神", "dedication to science",
           literal="the spirit of scientists"),
    _entry("key-and-core-technologies", "关键核心技术", "key and core technologies"),
    _entry("epidemic-control", "疫情防控", "epidemic prevention and control",
           definition="The measures against COVID-19 from 2020 to 2022: testing and isolation."),
    _entry("general-secretary", "总书记", "General Secretary", definition="The title of Xi Jinping."),
    _entry("high-standard-opening-up", "高水平对外开放", "high-standard opening up to the world"),
    _entry("shared-alpha", "甲乙", "shared words", "alpha words"),
    _entry("shared-beta", "丙丁", "shared words"),
    {**_entry("reducing-the-workload-of-researchers", "科研人员减负", "reducing the workload of researchers"),
     "zh_variants": [{"zh": "减负", "type": "short"}]},
    _entry("national-laboratories", "国家实验室", "national laboratories"),
    _entry("key-national-laboratories", "全国重点实验室", "key national laboratories"),
    _entry("national-innovation-system", "国家创新体系", "national innovation system"),
    _entry("st-powerhouse", "科技强国", "leading country in science and technology"),
    _entry("science-and-technology", "科技", "science and technology", "S&T"),
    _entry("st-self-reliance", "科技自立自强", "self-reliance and strength in science and technology"),
    _entry("self-reliance", "自力更生", "self-reliance"),
]


@pytest.fixture(scope="module")
def checker(checker_data: Path) -> Checker:
    """A checker over the entries above (and the fixture base's)."""
    return Checker.for_base(store.load(checker_data))


@pytest.fixture(scope="module")
def checker_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture base, the entries above and the curated equivalences."""
    target = tmp_path_factory.mktemp("fixes") / "data"
    shutil.copytree(FIXTURE_DATA, target)
    shutil.copy(REAL_DATA / "equivalences.yaml", target / "equivalences.yaml")  # the curated equivalences
    for entry in ENTRIES:
        path = target / "entries" / f"{entry['id']}.yaml"
        path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def _check(checker: Checker, **request: Any) -> CheckReport:
    return checker.check(CheckRequest.model_validate(request))


def _terms(report: CheckReport, side: str = "text") -> list[tuple[str, str]]:
    return [(f.text, f.term_id) for f in report.findings if f.kind == "term" and f.side == side]


def _problems(report: CheckReport) -> list[tuple[str, str, str]]:
    return [(f.kind.value, f.term_id, f.text) for f in report.findings if f.severity != "info"]


def _segment(checker: Checker, source: str, target: str) -> CheckReport:
    return _check(checker, segments=[{"source": source, "target": target}])


# --- Chinese word boundaries ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("加强国家实验室建设", [("国家实验室", "national-laboratories")]),  # not 强国 across 加强|国家
        ("增强国家创新体系整体效能", [("国家创新体系", "national-innovation-system")]),
        ("分批推进全国重点实验室重组", [("全国重点实验室", "key-national-laboratories")]),
        ("建设科技强国", [("科技强国", "st-powerhouse")]),  # the longer real term, not 科技 + 强国
        ("科技自立自强", [("科技自立自强", "st-self-reliance")]),
        ("建设航天强国", [("强国", "powerhouse")]),  # 航天|强国: a real X强国
        ("富强国家", []),  # jieba: 富强|国家, so 强国 cuts two words
        ("加强国防", []),
        ("强国", [("强国", "powerhouse")]),
    ],
)
def test_chinese_boundaries(checker: Checker, text: str, expected: list[tuple[str, str]]) -> None:
    assert _terms(_check(checker, text=text, lang="zh")) == expected


@pytest.mark.parametrize(
    ("matches", "kept"),
    [
        ([(1, 3, 0), (2, 7, 1)], [(2, 7, 1)]),  # 加[强国]家实验室 against 加强[国家实验室]
        ([(0, 2, 0), (2, 4, 1), (0, 4, 2)], [(0, 4, 2)]),  # equal cover: the one longer term
        ([(0, 3, 0), (2, 5, 1), (4, 7, 2)], [(0, 3, 0), (4, 7, 2)]),
    ],
)
def test_best_cover(matches: list[tuple[int, int, int]], kept: list[tuple[int, int, int]]) -> None:
    assert best_cover(matches) == kept


# --- English variation that is not another rendering (data/equivalences.yaml) --------------------------

@pytest.mark.parametrize(
    ("source", "target", "term", "found"),
    [
        ("国际科技合作", "international scientific and technological cooperation", "science-and-technology",
         "scientific and technological"),
        ("推进科技合作", "cooperation in sci-tech", "science-and-technology", "sci-tech"),
        ("以科技创新推动", "making innovations in science and technology", "st-innovation",
         "innovations in science and technology"),
        ("科技创新", "S&T innovation", "st-innovation", "S&T innovation"),
        ("培育新动能", "foster new drivers of growth", "new-growth-drivers", "new drivers of growth"),
        ("现代化建设", "the modernisation drive", "modernization-drive", "modernisation drive"),
        ("中国共产党", "the CPC", "communist-party-of-china", "CPC"),
    ],
)
def test_equivalent_forms_are_the_rendering(checker: Checker, source: str, target: str, term: str,
                                            found: str) -> None:
    report = _segment(checker, source, target)
    assert (found, term) in _terms(report, "target")
    assert _problems(report) == []


def test_variation_inside_a_rendering_is_found_in_a_monolingual_text(checker: Checker) -> None:
    report = _check(checker, text="We pursue innovation in science and technology.", lang="en")
    assert ("innovation in science and technology", "st-innovation") in _terms(report)


# --- consistency ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "inconsistent"),
    [
        # An acronym beside its full name, and later alone, is one rendering.
        ("The Communist Party of China (CPC) leads.\n\nThe CPC decides.", 0),
        # Equivalent forms are one rendering.
        ("S&T innovation matters.\n\nScientific and technological innovation too.", 0),
        # Inside one paragraph, two renderings are inconsistent ...
        ("Building the new development pattern is key. The new development paradigm needs S&T.", 1),
        # ... unless a real gloss.
        ("The new development pattern, also known as the new development paradigm, is key.", 0),
        ("The new development pattern (new development paradigm) is key.", 0),
        ("The new development pattern, or new development paradigm, is key.", 0),
        # A rendering several concepts share is not judged as one of them without the Chinese.
        ("Alpha words here.\n\nShared words there.\n\nShared words again.", 0),
    ],
)
def test_consistency(checker: Checker, text: str, inconsistent: int) -> None:
    report = _check(checker, text=text, lang="en")
    assert report.summary.by_kind["inconsistent_rendering"] == inconsistent


def test_one_inconsistency_repeated_is_one_finding_with_its_places(checker: Checker) -> None:
    paragraphs = ["The new development pattern."] * 4 + ["The new development paradigm."] * 3
    text = "\n\n".join(paragraphs)
    report = _check(checker, text=text, lang="en")
    [finding] = [f for f in report.findings if f.kind == "inconsistent_rendering"]
    assert finding.text == "new development paradigm"
    assert len(finding.places) == 3
    assert all(text[p.start : p.end] == "new development paradigm" for p in finding.places)
    assert (finding.places[0].start, finding.places[0].end) == (finding.start, finding.end)
    assert "(3 times)" in finding.message


# --- honest findings where the target renders a term another way ----------------------------------------

@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("强化企业创新主体地位", "We will reinforce the principal position of enterprises in innovation.",
         [("unlisted_rendering", "principal-role-of-enterprises", "principal position of enterprises")]),
        # Like the literal gloss:
        ("弘扬科学家精神", "We will champion the spirit of our nation's scientists.",
         [("unlisted_rendering", "dedication-to-science", "spirit of our nation's scientists")]),
        ("突破关键核心技术", "We made breakthroughs in core technologies in key fields.", []),  # another form
        # A word more in a two-word rendering is another thing, not the rendering in another form.
        ("推行揭榜挂帅", "Promote the bounty hunter system.",
         [("unlisted_rendering", "winner-takes-all-open-competition", "bounty hunter system")]),
        ("突破关键核心技术", "We cut red tape.",
         [("missing_rendering", "key-and-core-technologies", "关键核心技术")]),
        # The most specific rendering covering the words: not 自力更生's "self-reliance".
        ("科技自立自强", "self-reliance in science and technology",
         [("unlisted_rendering", "st-self-reliance", "self-reliance in science and technology")]),
        # A rare word of the definition says what the target has instead; a name in it does not.
        ("疫情防控取得重大战略成果", "We achieved major strategic success in our response to Covid-19.",
         [("unlisted_rendering", "epidemic-control", "Covid")]),
        ("习近平总书记指出", "stated President Xi Jinping",
         [("missing_rendering", "general-secretary", "总书记")]),
        # A one- or two-character short form asks for no rendering of its own.
        ("为市场主体减负", "We reduced the burden on market entities.", []),
    ],
)
def test_what_the_target_has_instead(checker: Checker, source: str, target: str,
                                     expected: list[tuple[str, str, str]]) -> None:
    report = _segment(checker, source, target)
    assert _problems(report) == expected
    assert "self-reliance" not in {term for _, term in _terms(report, "target")}


def test_a_term_missing_everywhere_is_one_finding_at_every_place(checker: Checker) -> None:
    source = "突破关键核心技术。关键核心技术很重要。"
    [finding] = [f for f in _segment(checker, source, "We cut red tape. It matters.").findings
                 if f.severity != "info"]
    assert finding.kind == "missing_rendering"
    assert [p.start for p in finding.places] == [2, 9]


def test_a_rendering_less_a_qualifier_is_the_rendering(checker: Checker) -> None:
    report = _segment(checker, "推进高水平对外开放", "We will pursue opening up to the world.")
    assert ("opening up to the world", "high-standard-opening-up") in _terms(report, "target")
    assert _problems(report) == []


def test_a_term_missing_in_one_sentence_is_judged_where_it_stands(checker: Checker) -> None:
    source = "科技创新很重要。我们要改革。我们要开放。我们要推动科技创新。"
    target = "Scientific and technological innovation matters. We will reform. We will open. We will push."
    [finding] = [f for f in _segment(checker, source, target).findings if f.severity != "info"]
    assert (finding.kind, finding.start) == ("missing_rendering", source.rindex("科技创新"))


MEMBERS = ["面向世界科技前沿", "面向经济主战场", "面向国家重大需求", "面向人民生命健康"]


# --- formulas -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        ({"text": "坚持四个面向：面向世界科技前沿、面向经济主战场。", "lang": "zh"},
         [("formula", "四个面向", "has 4 members; here 2")]),
        ({"text": f"坚持四个面向：{MEMBERS[1]}、{MEMBERS[0]}、{MEMBERS[2]}、{MEMBERS[3]}。", "lang": "zh"},
         [("formula", "四个面向", "out of order")]),
        ({"text": f"坚持{'、'.join(MEMBERS)}。", "lang": "zh"}, []),
        ({"segments": [{"source": "四个面向", "target": "the “three be oriented towards”"}]},
         [("formula", "three be oriented towards", "says three, but 四个面向")]),
        ({"text": "We keep to the “four be oriented towards”.", "lang": "en"}, []),
    ],
)
def test_formulas(checker: Checker, request_: dict[str, Any], expected: list[tuple[str, str, str]]) -> None:
    report = _check(checker, **request_)
    found = [(f.kind.value, f.text, f.message) for f in report.findings if f.severity != "info"]
    assert [(kind, text) for kind, text, _ in found] == [(kind, text) for kind, text, _ in expected]
    assert all(part in message for (_, _, message), (_, _, part) in zip(found, expected, strict=True))


def test_every_member_without_the_label_is_the_formula(checker: Checker) -> None:
    report = _check(checker, text=f"坚持{'、'.join(MEMBERS)}。", lang="zh")
    assert ("、".join(MEMBERS), "four-orientations") in _terms(report)


# --- the equivalences file ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("phrases:\n  - [science and technology, S&T]\nwords: []\n", 3, "unknown field"),
        ("spellings:\n  - [centre]\n", 2, "a list of two or more"),
        ("spellings:\n  - [per cent, percent]\n", 2, "a spelling is one word"),
        ("phrases:\n  - [S&T, science and technology]\n  - [S&T, sci-tech]\n", 3, "already in phrases"),
        ("suffixes:\n  - [ize]\n", 2, "a pair"),
        ("word_order: [of, in front of]\n", 1, "one-word prepositions"),
    ],
)
def test_a_bad_equivalences_file_is_refused_with_its_line(tmp_path: Path, content: str, line: int,
                                                          message: str) -> None:
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    (target / "equivalences.yaml").write_text(content, encoding="utf-8")
    _base, problems = store.inspect(target)
    assert [(p.file, p.line) for p in problems] == [("equivalences.yaml", line)]
    assert message in problems[0].message


def test_the_curated_equivalences_are_valid_and_change_the_version(tmp_path: Path) -> None:
    base = store.load(REAL_DATA)
    assert base.equivalences.canonical("S&T advances") == base.equivalences.canonical(
        "advances in science and technology"
    )
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    before = store.load(target).version
    shutil.copy(REAL_DATA / "equivalences.yaml", target / "equivalences.yaml")
    assert store.load(target).version != before


# --- search looks renderings up through the same equivalences -------------------------------------------

@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("S&T innovation", "st-innovation"),  # the rendering is "scientific and technological innovation"
        ("innovation in science and technology", "st-innovation"),
        ("new drivers of growth", "new-growth-drivers"),
        ("modernisation drive", "modernization-drive"),
    ],
)
def test_search_applies_the_equivalences(checker_data: Path, index_root: Path, query: str,
                                         expected: str) -> None:
    from glossary.search.searcher import Searcher

    results = Searcher.open(checker_data, index_root, reference=False).search(query)
    first = results.results[0]
    assert (first.id, first.match.kind) == (expected, "rendering")
