"""Reading drafts: text and Markdown, two-column TSV, XLIFF 1.2 and 2.0, and what cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.check import drafts
from glossary.check.report import Finding, Kind, Severity

DRAFTS = Path(__file__).resolve().parent / "fixtures" / "drafts"


@pytest.mark.parametrize(
    ("name", "form", "segments"),
    [
        ("sample-12.xlf", "xliff-1.2", [
            ("1", "建设科技强国", "build an S&T powerhouse"),  # text inside <g> is kept
            ("2", "实现两个维护", "achieve the two upholds"),  # <ph> (native code) and <x/> are not
            ("3", "推进揭榜挂帅", "promote the bounty-system reform"),
            ("4", "科技部", "the MST"),  # a comment between source and target
            ("5", "新发展格局", ""),  # no target yet; unit 6 is translate="no"
        ]),
        ("sample-20.xlf", "xliff-2.0", [
            ("u1/s1", "坚持四个面向。", "adhere to the “four be oriented towards”."),  # <pc> kept
            ("u1/s2", "做到两个维护", "achieve the two\u00a0upholds"),  # <cp hex="00A0"/>
            ("u2/1", "创新主体", "innovation subjects"),  # <mrk>, a segment without id; u0 is translate="no"
        ]),
        ("sample.tsv", "tsv", [
            ("2", "建设科技强国", "build a world S&T superpower"),  # header skipped
            ("4", "两个确立", 'the "two establishes"'),  # quotes kept, blank line skipped
            ("5", "揭榜挂帅", ""),  # one column: untranslated
        ]),
        ("entity.xlf", "xliff-1.2", [("1", "科技强国", "S&T powerhouse")]),  # entities are not expanded
    ],
)
def test_segments(name: str, form: str, segments: list[tuple[str, str, str]]) -> None:
    draft = drafts.read(DRAFTS / name)
    assert draft.format == form and draft.text is None
    assert [(s.id, s.source, s.target) for s in draft.segments] == segments


def test_text_and_markdown() -> None:
    draft = drafts.read(DRAFTS / "sample.md")
    assert draft.format == "text"
    assert draft.text == (DRAFTS / "sample.md").read_text(encoding="utf-8")
    assert draft.request(lang="en").text == draft.text


def test_xliff_is_recognised_by_content(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes((DRAFTS / "sample-20.xlf").read_bytes())
    assert drafts.read(path).format == "xliff-2.0"


def test_request_from_segments() -> None:
    request = drafts.read(DRAFTS / "sample.tsv").request(strict=True, sources=["cset-2022-st-conference"])
    assert request.text is None and request.strict
    first = (request.segments or [])[0]
    assert (first.source, first.target) == ("建设科技强国", "build a world S&T superpower")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.xlf", "not well-formed XML"),
        ("not-xliff.xml", "not XLIFF: the root element is <tmx>"),
        ("three-columns.tsv", "line 1: expected source<TAB>target, found 3 columns"),
        ("latin1.txt", "not UTF-8"),
        ("missing.txt", "cannot read"),
    ],
)
def test_unreadable(name: str, message: str) -> None:
    with pytest.raises(drafts.DraftError, match=message.replace("(", r"\(")) as caught:
        drafts.read(DRAFTS / name)
    assert "\n" not in str(caught.value)


def test_unknown_xliff_version() -> None:
    data = b'<xliff xmlns="urn:example:xliff:9" version="9.0"/>'
    with pytest.raises(drafts.DraftError, match="unknown XLIFF version"):
        drafts.read_xliff(data)


def _finding(segment: int | None, side: str, start: int) -> Finding:
    return Finding(
        kind=Kind.term, severity=Severity.info, term_id="x", segment=segment, side=side,  # type: ignore[arg-type]
        start=start, end=start + 1, text="x", accepted=[], suggestion=None, message="",
    )


@pytest.mark.parametrize(
    ("name", "segment", "side", "start", "place"),
    [
        ("sample.tsv", 0, "source", 2, (2, 3)),
        ("sample.tsv", 0, "target", 8, (2, 16)),  # after the source and the tab
        ("sample-12.xlf", 0, "source", 2, (7, 21)),  # after <source> on its line
        ("sample-12.xlf", 3, "target", 4, (22, 21)),
        ("sample-20.xlf", 2, "target", 0, (20, 17)),
        ("sample.md", None, "text", 0, (1, 1)),
        ("sample.md", None, "text", 11, (3, 1)),
    ],
)
def test_locate(name: str, segment: int | None, side: str, start: int, place: tuple[int, int]) -> None:
    draft = drafts.read(DRAFTS / name)
    found = draft.locate(_finding(segment, side, start))
    assert (found.line, found.column) == place


def test_locate_in_text_matches_the_file() -> None:
    draft = drafts.read(DRAFTS / "sample.md")
    assert draft.text is not None
    start = draft.text.index("MST")
    place = draft.locate(_finding(None, "text", start))
    assert draft.text.splitlines()[place.line - 1][place.column - 1 :].startswith("MST")


@settings(deadline=None)  # the machine is shared: speed is measured in bench/, not here
@given(st.text(alphabet="ab\n", max_size=20), st.data())
def test_place_advance(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(text)))
    place = drafts.Place(3, 5).advance(text, offset)
    line = text[:offset].count("\n")
    assert place.line == 3 + line
    assert place.column == (5 + offset if not line else offset - text[:offset].rindex("\n"))


@settings(deadline=None)  # the machine is shared: speed is measured in bench/, not here
@given(st.text(max_size=200))
def test_any_tsv_reads_or_says_why(text: str) -> None:
    try:
        draft = drafts.read_tsv(text)
    except drafts.DraftError as exc:
        assert "columns" in str(exc)
        return
    assert all("\t" not in s.source and "\t" not in s.target for s in draft.segments)


@settings(deadline=None)  # the machine is shared: speed is measured in bench/, not here
@given(st.binary(max_size=200))
def test_any_bytes_as_xliff_read_or_say_why(data: bytes) -> None:
    try:
        drafts.read_xliff(data)
    except drafts.DraftError:
        pass
