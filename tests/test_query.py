"""Query analysis: syllable segmentation, pinyin in every written form, characters, mixed, and bad input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary.base import pinyin
from glossary.search.query import MAX_LENGTH, QueryError, analyse, read_pinyin


@pytest.mark.parametrize(
    ("letters", "best", "also"),
    [
        ("sigemianxiang", ("si", "ge", "mian", "xiang"), ("si", "ge", "mi", "an", "xiang")),
        ("jiebangguashuai", ("jie", "bang", "gua", "shuai"), None),
        ("xian", ("xian",), ("xi", "an")),
        ("zhongguo", ("zhong", "guo"), None),
        ("fangan", ("fang", "an"), ("fan", "gan")),
        ("lve", ("lve",), None),
        ("lue", ("lue",), None),
        ("nvren", ("nv", "ren"), None),
        ("er", ("er",), None),
        ("chuangxin", ("chuang", "xin"), None),
    ],
)
def test_segment_splits_concatenated_pinyin(letters: str, best: tuple[str, ...], also: tuple[str, ...] | None
                                            ) -> None:
    splits = pinyin.segment(letters)
    assert splits[0] == best
    if also:
        assert also in splits


@pytest.mark.parametrize("letters", ["sgmx", "jbgs", "power", "q", "zzz", "hm", "ng"])
def test_segment_refuses_what_is_not_pinyin(letters: str) -> None:
    assert pinyin.segment(letters) == []


@given(st.lists(st.sampled_from(sorted(pinyin.syllables())), min_size=1, max_size=6))
def test_segment_reads_back_any_sequence_of_syllables(syllables: list[str]) -> None:
    assert tuple(syllables) in pinyin.segment("".join(syllables), limit=10_000)


@pytest.mark.parametrize(
    ("text", "toned", "toneless", "has_tones"),
    [
        ("sì gè miàn xiàng", "si4 ge4 mian4 xiang4", "si ge mian xiang", True),
        ("sìgèmiànxiàng", "si4 ge4 mian4 xiang4", "si ge mian xiang", True),
        ("si4 ge4 mian4 xiang4", "si4 ge4 mian4 xiang4", "si ge mian xiang", True),
        ("si4ge4mian4xiang4", "si4 ge4 mian4 xiang4", "si ge mian xiang", True),
        ("SI4GE4MIAN4XIANG4", "si4 ge4 mian4 xiang4", "si ge mian xiang", True),
        # the neutral tone: 5, or no digit in a query that has tones
        ("jiang3 gui1 ju5", "jiang3 gui1 ju", "jiang gui ju", True),
        ("jiang3gui1ju", "jiang3 gui1 ju", "jiang gui ju", True),
        ("si ge mian xiang", "si ge mian xiang", "si ge mian xiang", False),
        ("sigemianxiang", "si ge mian xiang", "si ge mian xiang", False),
        # apostrophes and hyphens separate syllables
        ("xi'an", "xi an", "xi an", False),
        ("xi’an", "xi an", "xi an", False),
        ("xī'ān", "xi1 an1", "xi an", True),
        ("xi-an", "xi an", "xi an", False),
        # ü as ü, v or u: (v); as u it stays u, and search also reads it as ü
        ("lüè", "lve4", "lve", True),
        ("lve4", "lve4", "lve", True),
        ("lu:e4", "lve4", "lve", True),
        ("lue4", "lue4", "lue", True),
        ("Nǚ", "nv3", "nv", True),
    ],
)
def test_read_pinyin(text: str, toned: str, toneless: str, has_tones: bool) -> None:
    readings, tones = read_pinyin(text)
    assert (readings[0].toned(), readings[0].toneless(), tones) == (toned, toneless, has_tones)


@pytest.mark.parametrize("text", ["sgmx", "powerhouses", "S&T powerhouse", "2030", "si6", "4si", "ma12"])
def test_read_pinyin_refuses_what_is_not_pinyin(text: str) -> None:
    assert read_pinyin(text)[0] == []


@pytest.mark.parametrize(
    ("text", "kind", "detail"),
    [
        ("四个面向", "han", ("四个面向", "四個面向")),
        ("兩個確立", "han", ("兩個確立", "两个确立")),
        ("“十四五”规划", "han", ("“十四五”规划", "“十四五”規劃")),
        ("科技qiangguo", "mixed", ("科", "技", "qiang", "guo")),
        ("sige 面向", "mixed", ("si", "ge", "面", "向")),
        ("sgmx", "latin", "sgmx"),
        ("S&T powerhouse", "latin", "stpowerhouse"),
    ],
)
def test_analyse_kinds(text: str, kind: str, detail: object) -> None:
    query = analyse(text)
    assert query.kind == kind
    if kind == "han":
        assert query.han_forms == detail
    elif kind == "mixed":
        assert tuple(u if isinstance(u, str) else u.text for u in query.units) == detail
    else:
        assert query.letters == detail


@pytest.mark.parametrize(("text", "initials"), [("sgmx", True), ("SGMX", True), ("s", False),
                                                 ("sg mx", False), ("si4", False)])
def test_initials_only(text: str, initials: bool) -> None:
    assert analyse(text).initials_only is initials


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), (" \u3000 ", "empty"), ("x" * (MAX_LENGTH + 1), "longer"), ("a\x07b", "control"),
     ("a\tb", "control")],
)
def test_invalid_queries(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        analyse(text)


@given(st.text(max_size=60))
def test_any_text_is_analysed_or_refused_clearly(text: str) -> None:
    try:
        query = analyse(text)
    except QueryError as exc:
        assert str(exc)
        return
    assert query.kind in ("han", "mixed", "latin")
    folded = {pinyin.fold(s) for s in pinyin.syllables()}
    for reading in query.readings:
        # A syllable is from the table, or was marked as one by a tone digit (CC-CEDICT's bia1).
        assert all(s.text.isalpha() and (pinyin.fold(s.text) in folded or s.tone) for s in reading.syllables)
