"""English matching: normalisation with an offset map back to the submitted text, and inflections."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from glossary.base import english


@pytest.mark.parametrize(
    ("text", "scan"),
    [
        ("S&T powerhouse", " s&t powerhouse"),
        ("S&T\u00a0powerhouse", " s&t powerhouse"),  # NBSP
        ("S&T\n  powerhouse", " s&t powerhouse"),  # line break and indentation
        ("winner-takes-all", " winner takes all"),
        ("winner–takes—all", " winner takes all"),  # en and em dash
        ("winner-\ntakes-all", " winner takes all"),  # hyphen at a line end
        ("power\u00adhouse", " powerhouse"),  # soft hyphen
        ("China’s", " china's"),  # curly apostrophe inside a word stays
        ("‘strength’", "  strength "),  # quotes around a word do not
        ("“bounty system”", "  bounty system "),
        ("science. And technology", " science  and technology"),  # punctuation is not a separator
        ("R&D & S&T", " r&d   s&t"),
        ("intelligence + and C# 5%", " intelligence + and c# 5%"),  # signs that tell terms apart stay
        ("powerhouse（科技强国）", " powerhouse      "),  # Han and full-width brackets are not English
    ],
)
def test_normalise(text: str, scan: str) -> None:
    assert english.normalise(text).text == scan


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The “S&T\u00a0power-\nhouses” of China’s", ["The", "S&T", "power", "houses", "of", "China’s"]),
        ("a  b\u200b\u200bc", ["a", "b\u200b\u200bc"]),
        ("İstanbul’s R&D", ["İstanbul’s", "R&D"]),
    ],
)
def test_spans_slice_the_submitted_text(text: str, words: list[str]) -> None:
    scan = english.normalise(text)
    found = [text[slice(*scan.span(*m.span()))] for m in re.finditer(r"\S+", scan.text)]
    assert found == words


@pytest.mark.parametrize(
    ("rendering", "expected"),
    [
        ("S&T powerhouse", [" s&t powerhouse", " s&t powerhouses", " s&t powerhouse's"]),
        ("policy", [" policy", " policies", " policy's"]),
        ("chairman", [" chairman", " chairmen", " chairman's"]),
        ("four be oriented towards", [" four be oriented toward"]),
        ("leading country in science and technology", [" leading countries in science and technology"]),
        ("core technologies", [" core technology", " core technologies's"]),
    ],
)
def test_inflections_include(rendering: str, expected: list[str]) -> None:
    keys = english.inflections(rendering)
    assert english.key(rendering) == keys[0]
    assert set(expected) <= set(keys)


def test_inflections_keep_case_when_asked() -> None:
    assert " Belt and Road Initiatives" in english.inflections("Belt and Road Initiative", folded=False)


def test_head_noun_takes_no_possessive() -> None:
    assert " leading country's in science and technology" not in english.inflections(
        "leading country in science and technology"
    )


_PIECES = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["S&T", " ", "\u00a0", "\n", "-", "–", "\u00ad", "\u200b", "’", "“", "İ", "ß", "'s"]),
    st.just("科技"),
)


@settings(deadline=None)  # the machine is shared: speed is measured in bench/, not here
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_every_scan_character_maps_back_to_its_source(text: str) -> None:
    scan = english.normalise(text)
    positions = [scan.position(i) for i in range(1, len(scan.text)) if scan.text[i] != " "]
    assert positions == sorted(set(positions))
    for index, position in zip(
        [i for i in range(1, len(scan.text)) if scan.text[i] != " "], positions, strict=True
    ):
        original = text[position]
        assert english.fold(original) == scan.text[index] or original in "’‘`\uff07\u02bc\u2032\u201a\u201b"


@settings(deadline=None)  # the machine is shared: speed is measured in bench/, not here
@given(st.lists(_PIECES, max_size=30).map("".join))
@example("&\u20190")  # clearing the "&" once uncovered an apostrophe at a word's start, which stayed
def test_words_slice_back_to_non_blank_text(text: str) -> None:
    scan = english.normalise(text)
    for match in re.finditer(r"[^ ]+", scan.text):
        start, end = scan.span(*match.span())
        assert 0 <= start < end <= len(text)
        assert english.key(text[start:end]).strip() == match.group()
