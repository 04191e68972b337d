"""The concordance on the real corpus: counts equal a direct count over data/texts, every keyword-in-context
line slices its source exactly, sentences are aligned, and the database is built and swapped with the
index."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from glossary.base import english, store
from glossary.search import concordance, index, segments, usage
from glossary.search.concordance import Concordance

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def base() -> store.TermBase:
    """The real curated base."""
    return store.load(DATA)


@pytest.fixture(scope="module")
def conc(base: store.TermBase, tmp_path_factory: pytest.TempPathFactory) -> Concordance:
    """The concordance of the real base's texts, as the index build writes it."""
    path = index.build_curated(base, tmp_path_factory.mktemp("index"))
    return Concordance(path / concordance.FILE)


def body_lines(path: Path) -> list[str]:
    """The lines of a source text that hold the text itself: no header, no zh:/en: prefix."""
    found = []
    for line in segments.read(path).splitlines():
        if line.startswith("#"):
            continue
        found.append(re.sub(r"^(zh|en):[ \t]?", "", line))
    return found


@pytest.fixture(scope="module")
def lines_by_source(base: store.TermBase) -> dict[str, list[str]]:
    """Each registered source's body lines, read directly from data/texts."""
    return {s.id: body_lines(DATA / "texts" / s.file) for s in base.sources.values()
            if s.file and (DATA / "texts" / s.file).is_file()}


def test_every_registered_text_is_indexed(conc: Concordance, lines_by_source: dict[str, list[str]]) -> None:
    assert set(conc.texts) == set(lines_by_source)
    assert len(conc.texts) >= 10  # the five seeds and the official documents registered since
    assert conc.segments() > 1000


def test_chinese_counts_equal_a_direct_count(base: store.TermBase, conc: Concordance,
                                             lines_by_source: dict[str, list[str]]) -> None:
    forms = sorted({form for e in base.entries.values() for form in e.chinese_forms()})
    found_any = 0
    for form in forms:
        direct = {s: sum(line.count(form) for line in lines) for s, lines in lines_by_source.items()}
        counted: dict[str, int] = {}
        for occurrence in conc.chinese(form):
            counted[occurrence.source] = counted.get(occurrence.source, 0) + 1
        assert counted == {s: n for s, n in direct.items() if n}, form
        found_any += bool(counted)
    assert found_any > 200  # most Chinese forms stand in the texts: the comparison is not vacuous


def test_english_counts_equal_a_direct_count(base: store.TermBase, conc: Concordance,
                                             lines_by_source: dict[str, list[str]]) -> None:
    found_any = 0
    # Each line normalised once per case mode (the matcher's scan string), then searched for every rendering.
    scans = {folded: {s: [(line, english.normalise(line, folded=folded)) for line in lines]
                      for s, lines in lines_by_source.items()} for folded in (True, False)}
    for rendering in {r.en: r for e in base.entries.values() for r in e.renderings}.values():
        folded = not rendering.proper_noun
        keys = english.inflections(rendering.en, folded=folded)
        direct = {s: sum(len(concordance.spans(line, keys, folded=folded, scan=scan)) for line, scan in lines)
                  for s, lines in scans[folded].items()}
        counted: dict[str, int] = {}
        for occurrence in conc.english(rendering.en, proper_noun=rendering.proper_noun):
            counted[occurrence.source] = counted.get(occurrence.source, 0) + 1
        assert counted == {s: n for s, n in direct.items() if n}, rendering.en
        found_any += bool(counted)
    assert found_any > 300


@pytest.mark.parametrize(("rendering", "pattern"), [
    ("S&T powerhouse", r"\bS&T powerhouses?\b"),
    ("leading country in science and technology", r"\bleading countr(?:y|ies) in science and technology\b"),
    ("new quality productive forces", r"\bnew quality productive forces\b"),
    ("innovation-driven development", r"\binnovation[- ]driven development\b"),
])
def test_english_counts_equal_a_plain_regex_count(conc: Concordance, lines_by_source: dict[str, list[str]],
                                                  rendering: str, pattern: str) -> None:
    """Counted against a regular expression written by hand, not the matcher the concordance uses."""
    direct = sum(len(re.findall(pattern, line, re.IGNORECASE)) for lines in lines_by_source.values()
                 for line in lines)
    assert direct > 0
    assert len(conc.english(rendering)) == direct


def test_every_kwic_line_slices_its_source_exactly(base: store.TermBase, conc: Concordance) -> None:
    checked = 0
    for entry in base.entries.values():
        figures = usage.usage(entry, conc, base.sources, limit=usage.MAX_LIMIT)
        for group in [*figures.renderings, *figures.chinese]:
            assert group.count == sum(t.count for t in group.by_publisher)
            for line in group.lines:
                text = conc.texts[line.source]
                assert text[line.start : line.end] == line.match
                assert text[line.start - len(line.left) : line.start] == line.left
                assert text[line.end : line.end + len(line.right)] == line.right
                assert "\n" not in line.left + line.right  # context stays within its paragraph
                checked += 1
    assert checked > 2000


def test_usage_counts_by_publisher_and_year(base: store.TermBase, conc: Concordance) -> None:
    figures = usage.usage(base.entries["st-powerhouse"], conc, base.sources)
    by_en = {r.en: r for r in figures.renderings}
    cset = by_en["S&T powerhouse"].by_publisher
    assert [(t.publisher, t.year, t.sources) for t in cset] == [
        ("CSET (Center for Security and Emerging Technology)", "2022", ["cset-2022-st-conference"])]
    assert by_en["leading country in science and technology"].by_publisher[0].publisher == (
        "State Council Information Office")


def test_chinese_occurrences_come_with_the_aligned_english(base: store.TermBase, conc: Concordance) -> None:
    entry = base.entries["new-quality-productive-forces"]
    figures = usage.usage(entry, conc, base.sources)
    lines = figures.chinese[0].lines
    aligned = [line for line in lines if line.side == "zh"]
    assert aligned, "新质生产力 stands in an aligned Government Work Report"
    for line in aligned:
        assert line.english  # every zh: paragraph has its en:
        # The publisher's English may leave the term out (Qiushi: 发展新质生产力要培育新产业 is "Fostering new
        # industries"): then the line lists no rendering, and counts as unrecorded.
        assert line.renderings == (["new quality productive forces"]
                                   if "new quality productive forces" in line.english.lower() else [])
    assert any(line.source == "gwr-2024" and line.renderings for line in aligned)
    assert figures.chinese[0].unrecorded == sum(1 for line in lines if line.english and not line.renderings)


def test_an_unrecorded_rendering_shows(base: store.TermBase, conc: Concordance) -> None:
    """Some Chinese occurrence in the texts comes with English that none of its entry's renderings is in."""
    unrecorded = [(e.id, form.zh) for e in base.entries.values()
                  for form in usage.usage(e, conc, base.sources, limit=0).chinese if form.unrecorded]
    assert unrecorded


def test_aligned_blocks_pair_sentences_when_their_counts_agree() -> None:
    text = ("# header\n\nzh: 第一句。第二句！\nen: First one. Second one!\n\n"
            "zh: 一句。\nen: Two sentences here. Not one.\n\nen: English only. Two.\n")
    found = segments.split(text)
    pairs = [(text[s.start : s.end], text[found[s.pair].start : found[s.pair].end])
             for s in found if s.side == "zh" and s.pair is not None]
    assert pairs == [("第一句。", "First one."), ("第二句！", "Second one!"),
                     ("一句。", "Two sentences here. Not one.")]
    assert [text[s.start : s.end] for s in found if s.pair is None] == ["English only.", "Two."]


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "Mr. Wang met U.S. officials on Feb. 24. Then he left."
    assert [text[s.start : s.end] for s in segments.split(text)] == [
        "Mr. Wang met U.S. officials on Feb. 24.", "Then he left."]


def test_a_text_is_data_a_new_one_is_a_new_version(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "data", data)
    before = store.content_hash(data)
    (data / "texts").mkdir()
    (data / "texts" / "new.txt").write_text("zh: 科技强国。\nen: S&T powerhouse.\n", encoding="utf-8")
    assert store.content_hash(data) != before


def test_a_failed_build_leaves_the_old_concordance_live(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    root = tmp_path / "index"
    live = index.ensure_curated(data, root)
    home = index.curated_home(root, data)
    assert index.current(home) == live
    # A text that is not UTF-8 stops the concordance mid-build, after other texts were written into it.
    last = sorted(p for p in (data / "texts").glob("*.txt"))[-1]
    last.write_bytes(last.read_bytes() + b"\xff\xfe broken")
    with pytest.raises(store.DataError, match=rf"texts/{last.name}:\d+: not UTF-8 text"):
        index.ensure_curated(data, root)
    assert index.current(home) == live
    assert Concordance(live / concordance.FILE).chinese("科技")
    assert not [p for p in home.iterdir() if p.name.startswith(".tmp-")]


def test_the_concordance_is_no_pickle(conc: Concordance) -> None:
    assert conc.path.read_bytes()[:16] == b"SQLite format 3\x00"
