"""Search: every query form of issue 4 finds the right entry first, on the real Whoosh index and key tables.

The frozen fixture base is extended here with a few entries that exercise what its four do not: a short
variant (科技部), ü (战略), a neutral tone (讲规矩 jiǎng guī ju) and a syllable boundary (西安 xi'an).
"""

from __future__ import annotations

import html
import re
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.cli import cli
from glossary.search import index
from glossary.search.searcher import QueryError, Searcher

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "data"

EXTRA_ENTRIES = {
    "ministry-of-science-and-technology": """\
id: ministry-of-science-and-technology
zh: 科学技术部
category: institution
zh_attested: true
zh_variants:
  - zh: 科技部
    type: short
renderings:
  - en: Ministry of Science and Technology
    status: preferred
    sources: [scio-2023-innovation-briefing]
    quote: the Ministry of Science and Technology
definition: The ministry of the State Council in charge of science & technology policy.
""",
    "innovation-driven-development-strategy": """\
id: innovation-driven-development-strategy
zh: 创新驱动发展战略
category: policy
zh_attested: true
renderings:
  - en: innovation-driven development strategy
    status: preferred
    sources: [cgtn-2023-how-china-works]
    quote: the innovation-driven development strategy
  - en: strategy of innovation-driven development
    status: admitted
    sources: [scio-2023-innovation-briefing]
    quote: the strategy of innovation-driven development
""",
    "observe-the-rules": """\
id: observe-the-rules
zh: 讲规矩
pinyin: jiǎng guī ju
category: slogan
zh_attested: false
renderings:
  - en: observe the rules
    status: preferred
    sources: [most-newsletter-2019-22]
    quote: observe the rules
  - en: follow the rules
    status: deprecated
    sources: [most-newsletter-2019-22]
    quote: follow the rules
""",
    "xian": """\
id: xian
zh: 西安
category: place
zh_attested: false
renderings:
  - en: Xi'an
    status: preferred
    sources: [most-newsletter-2019-22]
    quote: Xi'an
""",
    "advanced": """\
id: advanced
zh: 先进
category: concept
zh_attested: false
renderings:
  - en: advanced
    status: preferred
    sources: [most-newsletter-2019-22]
    quote: advanced
""",
}

# A few CC-CEDICT lines, in the file's own format, for the reference layer.
CEDICT_SAMPLE = """\
# CC-CEDICT sample
科技 科技 [ke1 ji4] /science and technology/
強國 强国 [qiang2 guo2] /powerful nation/
西安 西安 [Xi1 an1] /Xi'an, capital of Shaanxi/
力量 力量 [li4 liang5] /power/force/strength/
四個 四个 [si4 ge5] /four (items)/
傳統 传统 [chuan2 tong3] /tradition/traditional/
路 路 [lu4] /road/
綠 绿 [lu:4] /green/
"""


@pytest.fixture(scope="session")
def search_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture base plus the entries above."""
    target = tmp_path_factory.mktemp("search") / "data"
    shutil.copytree(FIXTURE_DATA, target)
    for entry_id, text in EXTRA_ENTRIES.items():
        (target / "entries" / f"{entry_id}.yaml").write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def index_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index root for this session, with the sample reference layer imported."""
    root = tmp_path_factory.mktemp("index")
    sample = root.parent / "cedict_sample.u8"
    sample.write_text(CEDICT_SAMPLE, encoding="utf-8")
    from glossary.search.reference import import_cedict

    import_cedict(sample, root)
    return root


@pytest.fixture(scope="session")
def searcher(search_data: Path, index_root: Path) -> Searcher:
    """A searcher over the extended fixture base and the sample reference layer."""
    return Searcher.open(search_data, index_root)


def first(searcher: Searcher, query: str, **filters: object) -> tuple[str, str, str]:
    """The first result's id, match kind and match field."""
    found = searcher.search(query, **filters)  # type: ignore[arg-type]
    assert found.results, f"{query!r} found nothing"
    top = found.results[0]
    return top.id, top.match.kind, top.match.field


FORMS = [
    # characters: simplified, traditional, part of a term, a variant, a member
    ("四个面向", "four-orientations", "characters", "zh"),
    ("四個面向", "four-orientations", "characters", "zh_hant"),
    ("兩個確立", "two-establishes", "characters", "zh_hant"),
    ("确立", "two-establishes", "contains", "zh"),
    ("確立", "two-establishes", "contains", "zh_hant"),
    ("科技部", "ministry-of-science-and-technology", "characters", "zh_variants"),
    ("悬赏制", "winner-takes-all-open-competition", "characters", "zh_variants"),
    ("揭榜", "winner-takes-all-open-competition", "prefix", "zh"),
    ("经济主战场", "four-orientations", "text", "members"),
    # pinyin with tone marks, with and without spaces, any case
    ("sì gè miàn xiàng", "four-orientations", "toned", "pinyin"),
    ("sìgèmiànxiàng", "four-orientations", "toned", "pinyin"),
    ("SÌ GÈ MIÀN XIÀNG", "four-orientations", "toned", "pinyin"),
    ("chuàng xīn qū dòng fā zhǎn zhàn lüè", "innovation-driven-development-strategy", "toned", "pinyin"),
    # tone numbers; the neutral tone as 5 or no digit
    ("si4 ge4 mian4 xiang4", "four-orientations", "toned", "pinyin"),
    ("si4ge4mian4xiang4", "four-orientations", "toned", "pinyin"),
    ("jiang3 gui1 ju5", "observe-the-rules", "toned", "pinyin"),
    ("jiang3 gui1 ju", "observe-the-rules", "toned", "pinyin"),
    ("jiang3gui1ju", "observe-the-rules", "toned", "pinyin"),
    ("jiǎng guī ju", "observe-the-rules", "toned", "pinyin"),
    ("chuang4xin1qu1dong4fa1zhan3zhan4lve4", "innovation-driven-development-strategy", "toned", "pinyin"),
    # toneless, with or without spaces; apostrophes; ü as ü, v, u: or u
    ("si ge mian xiang", "four-orientations", "toneless", "pinyin"),
    ("sigemianxiang", "four-orientations", "toneless", "pinyin"),
    ("SiGeMianXiang", "four-orientations", "toneless", "pinyin"),
    ("jiebangguashuai", "winner-takes-all-open-competition", "toneless", "pinyin"),
    ("xi'an", "xian", "toneless", "pinyin"),
    ("xi’an", "xian", "toneless", "pinyin"),
    ("xianjin", "advanced", "toneless", "pinyin"),
    ("chuangxinqudongfazhanzhanlüe", "innovation-driven-development-strategy", "toneless", "pinyin"),
    ("chuangxinqudongfazhanzhanlve", "innovation-driven-development-strategy", "toneless", "pinyin"),
    ("chuangxinqudongfazhanzhanlu:e", "innovation-driven-development-strategy", "toneless", "pinyin"),
    ("chuangxinqudongfazhanzhanlue", "innovation-driven-development-strategy", "toneless", "pinyin"),
    # initials
    ("sgmx", "four-orientations", "initials", "pinyin"),
    ("jbgs", "winner-takes-all-open-competition", "initials", "pinyin"),
    ("SGMX", "four-orientations", "initials", "pinyin"),
    ("lgql", "two-establishes", "initials", "pinyin"),
    ("kjqg", "st-powerhouse", "initials", "pinyin"),
    # prefixes of a term
    ("jiebang", "winner-takes-all-open-competition", "prefix", "pinyin"),
    ("jieb", "winner-takes-all-open-competition", "prefix", "pinyin"),
    ("jie1bang3", "winner-takes-all-open-competition", "prefix", "pinyin"),
    ("sige", "four-orientations", "prefix", "pinyin"),
    ("kexuejishu", "ministry-of-science-and-technology", "prefix", "pinyin"),
    ("sgm", "four-orientations", "prefix", "pinyin"),
    # characters mixed with pinyin
    ("科技qiangguo", "st-powerhouse", "mixed", "zh"),
    ("sige面向", "four-orientations", "mixed", "zh"),
    ("揭榜 guashuai", "winner-takes-all-open-competition", "mixed", "zh"),
    ("科技qiang", "st-powerhouse", "prefix", "zh"),
    # English: exact renderings (any variant), words, inflections, members, definitions, notes
    ("S&T powerhouse", "st-powerhouse", "rendering", "renderings"),
    ("s&t POWERHOUSE", "st-powerhouse", "rendering", "renderings"),
    ("world S&T superpower", "st-powerhouse", "rendering", "renderings"),
    ("bounty system", "winner-takes-all-open-competition", "rendering", "renderings"),
    ("follow the rules", "observe-the-rules", "rendering", "renderings"),
    ("powerhouses", "st-powerhouse", "words", "renderings"),
    ("superpowers", "st-powerhouse", "words", "renderings"),
    ("oriented towards", "four-orientations", "words", "renderings"),
    ("innovation driven", "innovation-driven-development-strategy", "words", "renderings"),
    ("cutting edge", "four-orientations", "text", "members"),
    ("State Council", "ministry-of-science-and-technology", "text", "definition"),
    ("facing-towards", "four-orientations", "text", "literal"),
    ("breakthroughs", "winner-takes-all-open-competition", "notes", "notes"),
    # renderings starting with what was typed: no word long enough to index, or a word cut short
    ("S&T", "st-powerhouse", "prefix", "renderings"),
    ("ministry of sc", "ministry-of-science-and-technology", "prefix", "renderings"),
    ("powerh", "st-powerhouse", "prefix", "renderings"),  # a word being typed, anywhere in a rendering
    ("world superp", "st-powerhouse", "prefix", "renderings"),
    # typos: only when nothing matches exactly
    ("powerhose", "st-powerhouse", "fuzzy", "renderings"),
    ("bounty sytem", "winner-takes-all-open-competition", "fuzzy", "renderings"),
    ("two establshes", "two-establishes", "fuzzy", "renderings"),
]


@pytest.mark.parametrize(("query", "entry_id", "kind", "field"), FORMS)
def test_every_query_form_finds_the_entry_first(searcher: Searcher, query: str, entry_id: str, kind: str,
                                                field: str) -> None:
    assert first(searcher, query) == (entry_id, kind, field)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # exact toneless before a prefix; the apostrophe keeps xi'an from reading as xian
        ("xian", ["xian", "advanced"]),
        # a whole form first, then forms starting with it, then forms containing it
        ("科技", ["ministry-of-science-and-technology", "st-powerhouse"]),
        # the exact rendering before renderings with the word, before notes
        ("bounty system", ["winner-takes-all-open-competition"]),
    ],
)
def test_ranking_order(searcher: Searcher, query: str, expected: list[str]) -> None:
    found = searcher.search(query, layer="curated")
    assert [r.id for r in found.results][: len(expected)] == expected


def test_match_says_which_form_matched(searcher: Searcher) -> None:
    top = searcher.search("科技部").results[0]
    assert (top.match.field, top.match.form) == ("zh_variants", "科技部")
    top = searcher.search("world superpower").results[0]
    assert top.match.form == "world S&T superpower"
    assert top.preferred == "S&T powerhouse"
    top = searcher.search("sgmx").results[0]
    assert (top.match.form, top.snippet) == ("sgmx", None)


@pytest.mark.parametrize(
    ("query", "snippet"),
    [
        ("S&T powerhouse", "<mark>S&amp;T powerhouse</mark>"),
        ("powerhouses", "S&amp;T <mark>powerhouse</mark>"),
        ("确立", "两个<mark>确立</mark>"),
    ],
)
def test_snippets_mark_the_match_and_escape_the_rest(searcher: Searcher, query: str, snippet: str) -> None:
    assert searcher.search(query).results[0].snippet == snippet


def test_note_snippets_are_escaped_html(searcher: Searcher) -> None:
    top = searcher.search("idea behind").results[0]
    assert (top.id, top.match.kind, top.match.form) == ("winner-takes-all-open-competition", "notes",
                                                        "Translator's note 3")
    assert top.snippet is not None
    assert top.snippet.startswith('The <mark>idea</mark> <mark>behind</mark> &quot;winner-takes-all open '
                                  'competition&quot; (揭榜挂帅), in the context')
    assert top.snippet.endswith("…")
    outside = re.sub(r"</?mark>", "", top.snippet)
    assert "<" not in outside and ">" not in outside and html.escape(html.unescape(outside)) == outside


def test_fuzzy_is_a_fallback_only(searcher: Searcher) -> None:
    assert searcher.search("powerhouse").results
    assert all(r.match.kind != "fuzzy" for r in searcher.search("powerhouse").results)


def test_curated_entries_rank_above_the_reference_layer(searcher: Searcher) -> None:
    found = searcher.search("科技")
    layers = [r.layer for r in found.results]
    assert "reference" in layers and layers == sorted(layers)  # "curated" < "reference"
    reference = next(r for r in found.results if r.layer == "reference")
    assert (reference.zh, reference.preferred, reference.category) == ("科技", "science and technology", None)
    assert reference.id.startswith("cedict-")


def test_reference_layer_answers_what_the_curated_base_lacks(searcher: Searcher) -> None:
    found = searcher.search("chuan2tong3")
    assert [(r.zh, r.layer, r.match.kind) for r in found.results] == [("传统", "reference", "toned")]
    assert searcher.search("tradition").results[0].match.field == "senses"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lü", ["绿"]),  # ü typed as ü, v or u: means ü
        ("lv4", ["绿"]),
        ("lu:", ["绿"]),
        ("lu4", ["路", "绿"]),  # typed as u it may still mean ü, after the u reading
        ("lu", ["路", "绿"]),
    ],
)
def test_u_and_u_umlaut(searcher: Searcher, query: str, expected: list[str]) -> None:
    assert [r.zh for r in searcher.search(query, layer="reference").results] == expected


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        # four-orientations: 科技 in a member, 面向世界科技前沿
        ({"layer": "curated"}, {"ministry-of-science-and-technology", "st-powerhouse", "four-orientations"}),
        ({"layer": "reference"}, {"cedict-2"}),
        ({"source": "cc-cedict"}, {"cedict-2"}),
        ({"category": "institution"}, {"ministry-of-science-and-technology"}),
        ({"category": "concept"}, {"st-powerhouse"}),
        ({"status": "admitted"}, {"st-powerhouse"}),
        ({"source": "scio-2023-innovation-briefing"}, {"ministry-of-science-and-technology",
                                                        "st-powerhouse"}),
        ({"source": "digichina-2021-xi-2018-speech"}, {"st-powerhouse"}),
        ({"category": "place"}, set()),
    ],
)
def test_filters(searcher: Searcher, filters: dict[str, str], ids: set[str]) -> None:
    found = searcher.search("科技", **filters)  # type: ignore[arg-type]
    assert {r.id for r in found.results} == ids
    assert found.total == len(ids)


@pytest.mark.parametrize("query", ["s", "x", "科", "science"])
def test_pages_add_up_to_the_whole(searcher: Searcher, query: str) -> None:
    whole = searcher.search(query, limit=200)
    assert whole.total == len(whole.results) > 1
    pages = [r.id for offset in range(0, whole.total, 2) for r in searcher.search(query, limit=2,
                                                                                   offset=offset).results]
    assert pages == [r.id for r in whole.results]
    beyond = searcher.search(query, offset=whole.total)
    assert (beyond.total, beyond.results) == (whole.total, [])


def test_pages_of_a_long_prefix_add_up(tmp_path: Path, search_data: Path) -> None:
    from glossary.search.reference import import_cedict

    # 3,000 synthetic entries whose pinyin starts with s: far more than a prefix range sorted whole.
    words = [chr(0x4E00 + i) * 2 for i in range(3000)]
    lines = [f"{w} {w} [shi{1 + i % 4} {('a', 'ba', 'can', 'dang')[i % 4]}{1 + i % 3}] /sense {i}/"
             for i, w in enumerate(words)]
    sample = tmp_path / "many.u8"
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_cedict(sample, tmp_path / "index")
    searcher = Searcher.open(search_data, tmp_path / "index")
    whole = searcher.search("s", layer="reference", limit=200)
    assert whole.total == 3000
    pages = [r.id for offset in range(0, 200, 30)
             for r in searcher.search("s", layer="reference", limit=30, offset=offset).results][:200]
    assert pages == [r.id for r in whole.results]
    lengths = [len(r.pinyin) for r in whole.results]
    assert lengths == sorted(lengths)  # shortest first
    assert searcher.search("s", layer="reference", offset=2990).total == 3000
    assert len(searcher.search("s", layer="reference", offset=2990).results) == 10


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("a" * 201, "longer than 200"),
        ("si\x00ge", "control characters"),
        ("line\nbreak", "control characters"),
    ],
)
def test_invalid_queries_raise_query_error(searcher: Searcher, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        searcher.search(query)


def test_invalid_paging_raises_query_error(searcher: Searcher) -> None:
    with pytest.raises(QueryError):
        searcher.search("sgmx", limit=-1)
    with pytest.raises(QueryError):
        searcher.search("sgmx", offset=-5)
    with pytest.raises(QueryError):
        searcher.search("sgmx", layer="other")  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="unknown category 'formulas'"):
        searcher.search("sgmx", category="formulas")
    with pytest.raises(QueryError, match="unknown status"):
        searcher.search("sgmx", status="preferredTerm-admn-sts")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_any_query_returns_results_or_a_query_error(searcher: Searcher, text: str) -> None:
    try:
        found = searcher.search(text, limit=5)
    except QueryError:
        return
    assert found.total >= len(found.results)
    assert all(r.layer in ("curated", "reference") for r in found.results)


def test_search_is_safe_from_several_threads(searcher: Searcher) -> None:
    queries = [q for q, *_ in FORMS]
    expected = {q: searcher.search(q).model_dump() for q in queries}
    failures: list[str] = []

    def work() -> None:
        for q in queries:
            if searcher.search(q).model_dump() != expected[q]:
                failures.append(q)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


# --- the real curated base ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_searcher(real_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    """A searcher over the curated base in data/ (no reference layer)."""
    return Searcher.open(real_data_dir, tmp_path_factory.mktemp("real-index"), reference=False)


@pytest.mark.parametrize(
    ("query", "entry_id"),
    [
        ("sgmx", "four-orientations"),
        ("四个面向", "four-orientations"),
        ("sì gè miàn xiàng", "four-orientations"),
        ("si4ge4mian4xiang4", "four-orientations"),
        ("sigemianxiang", "four-orientations"),
        ("jbgs", "winner-takes-all-open-competition"),
        ("jiebang", "winner-takes-all-open-competition"),
        ("兩個確立", "two-establishes"),
        ("liang ge que li", "two-establishes"),
        ("科技qiangguo", "st-powerhouse"),
        ("S&T powerhouse", "st-powerhouse"),
        ("科技部", "ministry-of-science-and-technology"),
        ("Ministry of Science and Technology", "ministry-of-science-and-technology"),
        ("2030", "st-innovation-2030-major-projects"),  # digits inside a Chinese form
    ],
)
def test_real_base(real_searcher: Searcher, query: str, entry_id: str) -> None:
    assert real_searcher.search(query).results[0].id == entry_id


# --- CLI and Python API ---------------------------------------------------------------------------------


def test_cli_search_json_lists_the_entry_first(search_data: Path, index_root: Path) -> None:
    import json

    runner = CliRunner()
    result = runner.invoke(cli, ["search", "sgmx", "--json", "--data", str(search_data),
                                 "--index-dir", str(index_root)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"][0]["id"] == "four-orientations"


def test_cli_search_text_and_filters(search_data: Path, index_root: Path) -> None:
    runner = CliRunner()
    args = ["--data", str(search_data), "--index-dir", str(index_root)]
    result = runner.invoke(cli, ["search", "科技", "--layer", "reference", *args])
    assert result.exit_code == 0, result.output
    line = "  1. 科技  kē jì  science and technology  [reference; characters: zh 科技]"
    assert result.stdout.splitlines() == [line]
    result = runner.invoke(cli, ["search", "科技", "--category", "institution", "--limit", "1", *args])
    assert "科学技术部" in result.stdout and "科技强国" not in result.stdout


def test_cli_search_rejects_an_empty_query(search_data: Path, index_root: Path) -> None:
    args = ["search", " ", "--data", str(search_data), "--index-dir", str(index_root)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "empty" in result.output


def test_glossary_search_delegates_to_the_searcher(search_data: Path, index_root: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from glossary import Glossary

    monkeypatch.setenv("GLOSSARY_INDEX_DIR", str(index_root))
    glossary = Glossary.open(search_data)
    assert glossary.search("jbgs").results[0].id == "winner-takes-all-open-competition"
    assert glossary.search("jbgs", layer="reference").total == 0


def test_index_lives_outside_data(search_data: Path, index_root: Path) -> None:
    built = index.current(index.curated_home(index_root, search_data))
    assert built is not None and search_data not in built.parents
    assert not any(p.name in (index.KEYS_FILE, index.META_FILE) for p in search_data.rglob("*"))
