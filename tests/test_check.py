"""The draft checker: each kind of finding, each matching rule, offsets that slice the submitted text."""

from __future__ import annotations

import gc
import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from glossary import Glossary
from glossary.base import store
from glossary.base.cedict import ReferenceEntry
from glossary.check.checker import Checker
from glossary.check.report import (
    CheckReport,
    CheckRequest,
    DraftTooLarge,
    Finding,
    NotText,
    Segment,
    UnknownSource,
)
from glossary.cli import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DRAFTS = FIXTURES / "drafts"


@pytest.fixture(scope="module")
def check_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture base plus the check fixtures' entries (deprecated, generic, proper-noun renderings)."""
    target = tmp_path_factory.mktemp("check") / "data"
    shutil.copytree(FIXTURES / "data", target)
    for path in (FIXTURES / "check" / "entries").glob("*.yaml"):
        shutil.copy(path, target / "entries" / path.name)
    return target


@pytest.fixture(scope="module")
def real_checker(real_data_dir: Path) -> Checker:
    """A checker over the curated base in data/."""
    return Checker.for_base(store.load(real_data_dir))


@pytest.fixture(scope="module")
def checker(check_data: Path) -> Checker:
    """A checker over the check fixture base."""
    return Checker.for_base(store.load(check_data))


def _check(checker: Checker, **request: object) -> CheckReport:
    report = checker.check(CheckRequest.model_validate(request))
    _assert_offsets(report, request)
    return report


def _assert_offsets(report: CheckReport, request: dict[str, object]) -> None:
    for finding in report.findings:
        if finding.side == "text":
            submitted = request["text"]
        else:
            segment = request["segments"][finding.segment]  # type: ignore[index]
            submitted = segment[finding.side] if isinstance(segment, dict) else getattr(segment, finding.side)
        assert finding.text == submitted[finding.start : finding.end]  # type: ignore[index]


def _spans(report: CheckReport, kind: str = "term") -> list[tuple[str, str]]:
    return [(f.text, f.term_id) for f in report.findings if f.kind == kind]


# --- Chinese matching -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("坚决做到两个维护", [("两个维护", "two-upholds")]),  # longest match: not also 维护 inside it
        ("维护权威", [("维护", "uphold")]),
        ("建设科技强国", [("科技强国", "st-powerhouse")]),
        ("建設科技強國", [("科技強國", "st-powerhouse")]),  # traditional
        ("世界科技强国", [("世界科技强国", "st-powerhouse")]),  # a variant, longer than zh
        ("也叫悬赏制", [("悬赏制", "winner-takes-all-open-competition")]),  # an alias
        ("建设科技\n强国", [("科技\n强国", "st-powerhouse")]),  # a wrapped line
        ("坚持“两个确立”", [("两个确立", "two-establishes")]),
        ("科技部和科学技术部", [("科技部", "ministry-of-science-and-technology"),
                              ("科学技术部", "ministry-of-science-and-technology")]),
        ("动力和能力", []),  # 力 inside a word is not the term 力
        ("“力”", [("力", "strength")]),
        ("全国人民代表大会", [("人民代表大会", "peoples-congress")]),
        ("", []),
    ],
)
def test_chinese_terms(checker: Checker, text: str, expected: list[tuple[str, str]]) -> None:
    report = _check(checker, text=text, lang="zh")
    assert _spans(report) == expected
    assert report.summary.lang == "zh"


# --- English matching -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("an S&T powerhouse.", [("S&T powerhouse", "st-powerhouse")]),
        ("AN s&t POWERHOUSE", [("s&t POWERHOUSE", "st-powerhouse")]),  # case-insensitive
        ("the S&T powerhouses", [("S&T powerhouses", "st-powerhouse")]),  # plural
        ("the S&T powerhouse's", [("S&T powerhouse's", "st-powerhouse")]),  # possessive
        ("the S&T powerhouses’ rise", [("S&T powerhouses", "st-powerhouse")]),  # plural possessive, curly
        ("leading countries in science and technology",
         [("leading countries in science and technology", "st-powerhouse")]),  # head noun inflected
        ("a winner takes all open competition", [("winner takes all open competition",
                                                  "winner-takes-all-open-competition")]),  # hyphen/space
        ("a winner–takes–all open competition", [("winner–takes–all open competition",
                                                  "winner-takes-all-open-competition")]),  # dashes
        ("a winner-\ntakes-all open\ncompetition", [("winner-\ntakes-all open\ncompetition",
                                                    "winner-takes-all-open-competition")]),  # line breaks
        ("S&T\u00a0powerhouse", [("S&T\u00a0powerhouse", "st-powerhouse")]),  # NBSP
        ("the “two establishes”", [("two establishes", "two-establishes")]),
        ("the People’s Congress", [("People’s Congress", "peoples-congress")]),  # curly apostrophe
        ("the people's congress", []),  # a proper noun keeps its case
        ("the MOST said", [("MOST", "ministry-of-science-and-technology")]),
        ("most said, Most said", []),
        ("MOSTLY and S&T powerhousey", []),  # whole words only
        ("S&T. Powerhouse", []),  # never across punctuation
        ("safeguard and uphold", []),  # generic renderings need the Chinese at hand
        ("S&T powerhouse（科技强国）", [("S&T powerhouse", "st-powerhouse"), ("科技强国", "st-powerhouse")]),
        ("world S&T superpower", [("world S&T superpower", "st-powerhouse")]),  # longest, not S&T …
        ("reform and opening up.", [("opening up", "opening-up")]),
        ("the opening up of markets", [("opening up", "opening-up")]),
        ("opening up new markets", []),  # the verb, not the noun "opening-up"
        ("opening up the market", []),
        ("an opening-up the market needs", [("opening-up", "opening-up")]),  # written as the noun
    ],
)
def test_english_terms(checker: Checker, text: str, expected: list[tuple[str, str]]) -> None:
    report = _check(checker, text=text, lang="en")
    assert _spans(report) == expected


def test_chinese_sparse_in_english_is_found_where_it_is(checker: Checker) -> None:
    quoted = "An S&T powerhouse (“科技强国”) and the two upholds (两个维护)."
    text = "Some words. " * 100 + quoted + " More." * 100
    report = _check(checker, text=text, lang="en")
    assert _spans(report) == [
        ("S&T powerhouse", "st-powerhouse"), ("科技强国", "st-powerhouse"),
        ("two upholds", "two-upholds"), ("两个维护", "two-upholds"),
    ]
    assert report.summary.by_kind["missing_rendering"] == 0


def test_language_is_detected(checker: Checker) -> None:
    assert _check(checker, text="建设科技强国，坚持四个面向").summary.lang == "zh"
    assert _check(checker, text="An S&T powerhouse (科技强国) is built.").summary.lang == "en"


# --- Bilingual segments -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "kinds"),
    [
        ("建设科技强国", "build an S&T powerhouse", {"term": 2}),
        ("建设科技强国", "build a strong nation", {"term": 1, "missing_rendering": 1}),
        ("建设科技强国", "build a world S&T superpower", {"term": 2}),  # admitted is accepted
        ("建设科技强国", "", {"term": 1}),  # untranslated: not a missing rendering
        ("维护权威", "safeguard its authority", {"term": 2}),  # generic, with the Chinese at hand
        ("维护权威", "protect its authority", {"term": 1, "missing_rendering": 1}),
        ("科技部", "the MST", {"term": 2, "deprecated_rendering": 1}),  # deprecated: not also missing
        ("创新主体", "innovative actors", {"term": 2, "deprecated_rendering": 1}),  # superseded
        ("“力”", "“strength is that by which the body exerts itself”", {"term": 2}),
        ("坚持两个维护", "uphold the two upholds", {"term": 2}),  # 维护 inside 两个维护 asks for nothing
    ],
)
def test_segments(checker: Checker, source: str, target: str, kinds: dict[str, int]) -> None:
    report = _check(checker, segments=[{"source": source, "target": target}])
    found = {kind: n for kind, n in report.summary.by_kind.items() if n}
    assert found == kinds
    assert report.summary.segments == 1


def test_missing_rendering_points_at_the_source(checker: Checker) -> None:
    segment = {"source": "我们要建设科技强国", "target": "we must build a strong nation"}
    report = _check(checker, segments=[segment])
    (missing,) = [f for f in report.findings if f.kind == "missing_rendering"]
    assert (missing.side, missing.start, missing.end, missing.text) == ("source", 5, 9, "科技强国")
    assert missing.severity == "error" and missing.segment == 0
    assert missing.suggestion == "S&T powerhouse"
    assert "world S&T superpower" in missing.accepted


def test_deprecated_rendering_suggests_the_preferred(checker: Checker) -> None:
    report = _check(checker, text="The MST met today.", lang="en")
    (finding,) = [f for f in report.findings if f.kind == "deprecated_rendering"]
    assert (finding.text, finding.start, finding.end, finding.severity) == ("MST", 4, 7, "error")
    assert finding.suggestion == "Ministry of Science and Technology"


@pytest.mark.parametrize(
    ("strict", "expected"),
    [(False, []), (True, [("new development paradigm", "new-development-pattern")])],
)
def test_non_preferred_only_when_strict(
    checker: Checker, strict: bool, expected: list[tuple[str, str]]
) -> None:
    report = _check(checker, text="the new development paradigm", lang="en", strict=strict)
    assert _spans(report, "non_preferred_rendering") == expected
    assert all(f.suggestion == "new development pattern" for f in report.findings if f.severity == "warning")


def test_sources_accept_only_their_renderings(checker: Checker) -> None:
    official = ["scio-2023-innovation-briefing"]
    report = _check(checker, text="an S&T powerhouse", lang="en", sources=official)
    (finding,) = [f for f in report.findings if f.kind == "non_preferred_rendering"]
    assert finding.suggestion == "leading country in science and technology"
    assert finding.accepted == ["leading country in science and technology"]
    segments = [{"source": "建设科技强国", "target": "build an S&T powerhouse"}]
    report = _check(checker, segments=segments, sources=official)
    assert _spans(report, "missing_rendering") == [("科技强国", "st-powerhouse")]
    # An entry the chosen sources do not render keeps all its renderings.
    report = _check(checker, text="the two establishes", lang="en", sources=official)
    assert report.summary.total == 1


def test_inconsistent_rendering(checker: Checker) -> None:
    text = "The new development pattern.\n\nThe new development pattern.\n\nThe new development paradigm."
    report = _check(checker, text=text, lang="en")
    (finding,) = [f for f in report.findings if f.kind == "inconsistent_rendering"]
    assert (finding.text, finding.severity) == ("new development paradigm", "warning")
    assert finding.start == text.rindex("new development paradigm")


@pytest.mark.parametrize(
    ("text", "warnings"),
    [
        ("The Year of New Development Paradigm opened.\n\nThe new development pattern.", 0),  # a name
        ("The year of new development paradigm opened.\n\nThe new development pattern.", 2),
        ("New development paradigm, then.\n\nThe new development pattern.", 2),  # a sentence start
    ],
)
def test_a_rendering_inside_a_name_is_not_judged(checker: Checker, text: str, warnings: int) -> None:
    report = _check(checker, text=text, lang="en", strict=True)
    assert report.summary.by_severity["warning"] == warnings
    assert report.summary.by_kind["term"] == 2


def test_a_short_form_is_not_inconsistent(checker: Checker) -> None:
    text = "The S&T powerhouse.\n\nThe world S&T superpower.\n\nThe S&T powerhouse."
    assert _check(checker, text=text, lang="en").summary.by_kind["inconsistent_rendering"] == 1
    text = "Key and core technologies.\n\nCore technologies.\n\nThe key and core technologies."
    report = _check(checker, text=text, lang="en")
    assert report.summary.by_kind == {**report.summary.by_kind, "term": 3, "inconsistent_rendering": 0}


def test_a_gloss_in_one_paragraph_is_not_inconsistent(checker: Checker) -> None:
    text = 'The "winner-takes-all open competition" (揭榜挂帅), also known as the "bounty system" (悬赏制).'
    report = _check(checker, text=text, lang="en")
    assert report.summary.by_kind["inconsistent_rendering"] == 0
    assert report.summary.by_kind["missing_rendering"] == 0


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("We build a strong nation (科技强国).", [("科技强国", "st-powerhouse")]),  # evidence in parentheses
        ("We build an S&T powerhouse (科技强国).", []),
        ("Note: 科技强国 is discussed below.", []),  # Chinese on its own asks for nothing
        ("We build a strong nation.\n\nAn S&T powerhouse (科技强国).", []),  # paragraph by paragraph
        ("We build it (科技强国).\n\nAn S&T powerhouse.", [("科技强国", "st-powerhouse")]),
        ("Its strength (力) is great.", []),  # generic rendering, with the Chinese at hand
    ],
)
def test_chinese_in_parentheses_is_bilingual_evidence(
    checker: Checker, text: str, missing: list[tuple[str, str]]
) -> None:
    report = _check(checker, text=text, lang="en")
    assert _spans(report, "missing_rendering") == missing


# --- Requests, limits, sharing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_data",
    [{}, {"text": "x", "segments": []}, {"text": "x", "lang": "fr"}, {"segments": [{"source": "x"}]},
     {"text": "x", "colour": "red"}],
)
def test_invalid_requests(request_data: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        CheckRequest.model_validate(request_data)


def test_too_large_and_unknown_source(check_data: Path) -> None:
    base = store.load(check_data)
    small = Checker(base.entries.values(), source_ids=base.sources, max_chars=10)
    with pytest.raises(DraftTooLarge, match="the limit is 10"):
        small.check(CheckRequest(text="x" * 11))
    with pytest.raises(DraftTooLarge):
        small.check(CheckRequest(segments=[Segment(source="12345", target="123456")]))
    with pytest.raises(UnknownSource, match="nope"):
        small.check(CheckRequest(text="x", sources=["nope"]))
    with pytest.raises(NotText):  # a lone surrogate (JSON can carry one) is not text
        small.check(CheckRequest(segments=[Segment(source="科技\ud800", target="")]))
    assert DraftTooLarge.status == 413 and UnknownSource.status == 400 and NotText.status == 400


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(checker: Checker, enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        checker.check(CheckRequest(text="an S&T powerhouse (科技强国)"))
        assert gc.isenabled() is enabled
        with pytest.raises(UnknownSource):
            checker.check(CheckRequest(text="x", sources=["nope"]))
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_dictionary_words_segment_but_are_never_reported(check_data: Path) -> None:
    base = store.load(check_data)
    reference = [
        ReferenceEntry(1, "科技強國家", "科技强国家", "ke1 ji4 qiang2 guo2 jia1", ("made up",)),
        ReferenceEntry(2, "建設科", "建设科", "jian4 she4 ke1", ("made up",)),
        ReferenceEntry(3, "經濟", "经济", "jing1 ji4", ("S&T powerhouse economy", "economy")),
    ]
    checker = Checker(base.entries.values(), reference=reference, source_ids=base.sources)
    report = checker.check(CheckRequest(text="科技强国家和经济"))
    assert _spans(report) == [("科技强国", "st-powerhouse")]  # a curated form at the start of a word
    assert _spans(checker.check(CheckRequest(text="要建设科技强国"))) == []  # 建设科 takes 科: segmentation
    report = checker.check(CheckRequest(text="an S&T powerhouse economy and the economy", lang="en"))
    assert _spans(report) == [("S&T powerhouse", "st-powerhouse")]


def test_checker_is_built_once_per_version(check_data: Path) -> None:
    base = store.load(check_data)
    assert Checker.for_base(base) is Checker.for_base(store.load(check_data))


def test_concurrent_checks_agree(checker: Checker) -> None:
    texts = [f"S&T powerhouse {i} (科技强国), the MST, new development paradigm" * (i + 1) for i in range(16)]
    alone = [checker.check(CheckRequest(text=t, strict=True)) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda t: checker.check(CheckRequest(text=t, strict=True)), texts))
    assert together == alone


def test_glossary_check(check_data: Path) -> None:
    glossary = Glossary.open(check_data)
    report = glossary.check(segments=[("建设科技强国", "build a strong nation")])
    assert [f.kind for f in report.findings] == ["term", "missing_rendering"]
    assert glossary.check("the MST", lang="en", strict=True).errors == 1
    assert glossary.check(CheckRequest(text="科技强国")).summary.total == 1


def test_finding_has_the_issue_fields() -> None:
    assert list(Finding.model_fields) == [
        "kind", "severity", "term_id", "segment", "side", "start", "end", "text", "accepted", "suggestion",
        "message", "places",
    ]


# --- Any input: offsets slice the submitted text, never an exception --------------------------------------

_PIECES = st.one_of(
    st.text(max_size=5),
    st.sampled_from([
        "科技强国", "科技強國", "两个维护", "维护", "力", "悬赏制", "科技部", "创新主体",
        "(", ")", "（", "）",
        "S&T", "powerhouse", "powerhouses", "MST", "MOST", "safeguard", "winner", "takes", "all", "open",
        "competition", "new development paradigm", "innovation subjects", "People’s Congress", " ", "\u00a0",
        "\n", "\n\n", "-", "–", "’", "“", "\u00ad", "\u200b", "İ", ".",
    ]),
)
_DRAFTS = st.lists(_PIECES, max_size=25).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_DRAFTS, lang=st.sampled_from([None, "zh", "en"]), strict=st.booleans())
def test_any_text(checker: Checker, text: str, lang: str | None, strict: bool) -> None:
    report = _check(checker, text=text, lang=lang, strict=strict)
    assert report.summary.total == len(report.findings)
    assert sum(report.summary.by_kind.values()) == report.summary.total


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_DRAFTS, _DRAFTS), max_size=4))
def test_any_segments(checker: Checker, pairs: list[tuple[str, str]]) -> None:
    _check(checker, segments=[{"source": s, "target": t} for s, t in pairs])


# --- The command line -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "lines"),
    [
        ("sample-12.xlf", 1, ["sample-12.xlf:22:21: error: “MST” is a deprecated"]),
        ("sample-20.xlf", 1, ["sample-20.xlf:20:17: error: “innovation subjects”"]),
        ("sample.tsv", 0, []),
        ("sample.md", 1, ["sample.md:6:65: error: “MST”"]),
    ],
)
def test_cli_text(runner: CliRunner, check_data: Path, name: str, code: int, lines: list[str]) -> None:
    result = runner.invoke(cli, ["check", "--data", str(check_data), str(DRAFTS / name)])
    assert result.exit_code == code, result.output
    output = result.output.splitlines()
    for line in lines:
        assert any(out.startswith(f"{DRAFTS}/{line}") for out in output), line
    assert output[-1].startswith(f"{code} error(s)")
    assert ": info: " not in result.output


def test_cli_terms_and_strict(runner: CliRunner, check_data: Path) -> None:
    args = ["check", "--data", str(check_data), "--terms", "--strict", str(DRAFTS / "sample.md")]
    result = runner.invoke(cli, args)
    assert "sample.md:3:39: info: “S&T powerhouse”" in result.output
    assert "sample.md:4:1: warning: “new development paradigm”" in result.output


def test_cli_json(runner: CliRunner, check_data: Path) -> None:
    path = DRAFTS / "sample.tsv"
    result = runner.invoke(cli, ["check", "--data", str(check_data), "--format", "json", str(path)])
    data = json.loads(result.output)
    assert data["format"] == "tsv" and data["summary"]["segments"] == 3
    superpower = next(f for f in data["findings"] if f["text"] == "world S&T superpower")
    assert (superpower["line"], superpower["column"], superpower["side"]) == (2, 16, "target")
    line = path.read_text(encoding="utf-8").splitlines()[1]
    assert line[superpower["column"] - 1 :].startswith("world S&T superpower")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["malformed.xlf"], "not well-formed XML"),
        (["three-columns.tsv"], "expected source<TAB>target"),
        (["latin1.txt"], "not UTF-8"),
        (["no-such-file.txt"], "cannot read"),
        (["--sources", "nope", "sample.md"], "unknown source id(s): nope"),
    ],
)
def test_cli_unreadable(runner: CliRunner, check_data: Path, args: list[str], message: str) -> None:
    args = [*args[:-1], str(DRAFTS / args[-1])]
    result = runner.invoke(cli, ["check", "--data", str(check_data), *args])
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_cli_several_files(runner: CliRunner, check_data: Path) -> None:
    files = [str(DRAFTS / name) for name in ("sample.tsv", "malformed.xlf", "sample.md")]
    result = runner.invoke(cli, ["check", "--data", str(check_data), *files])
    assert result.exit_code == 2  # one was unreadable; the others are still checked
    assert "0 error(s), 0 warning(s), 5 term(s) found in " + files[0] in result.output
    assert "sample.md:6:65: error: “MST”" in result.output
    result = runner.invoke(cli, ["check", "--data", str(check_data), "--format", "json", files[0], files[2]])
    assert result.exit_code == 1
    assert [report["format"] for report in json.loads(result.output)] == ["tsv", "text"]


def test_cli_sources(runner: CliRunner, check_data: Path) -> None:
    official = "scio-2023-innovation-briefing,"
    args = ["check", "--data", str(check_data), "--sources", official, str(DRAFTS / "sample.md")]
    result = runner.invoke(cli, args)
    # The draft gives the Chinese in parentheses, so the rendering counts as missing.
    expected = (
        "sample.md:3:55: error: 科技强国 (st-powerhouse) is not rendered"
        " (found “S&T powerhouse”, not attested by the chosen sources)"
    )
    assert expected in result.output and result.output.splitlines()[0].endswith(" [missing_rendering]")


# --- The real base and the source texts -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["000_7c8be4c2ecc5bddd.txt", "004_e260997f8c73c039.txt"])
def test_seed_texts(seeds_dir: Path, real_data_dir: Path, name: str) -> None:
    text = (seeds_dir / name).read_text(encoding="utf-8")
    report = Glossary.open(real_data_dir).check(text)
    _assert_offsets(report, {"text": text})
    assert report.summary.lang == "en"
    assert report.summary.by_kind["term"] > 20


def _readme_check_commands() -> list[list[str]]:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Checking drafts", 1)[1].split("\n## ", 1)[0]
    commands = [line.split("#", 1)[0].split(">", 1)[0].split() for line in section.splitlines()]
    return [command[2:] for command in commands if command[:2] == ["glossary", "check"]]


@pytest.mark.parametrize("args", _readme_check_commands())
def test_the_readme_check_commands_run(runner: CliRunner, check_data: Path, args: list[str]) -> None:
    samples = {".md": "sample.md", ".tsv": "sample.tsv", ".xlf": "sample-12.xlf", ".po": "sample.po"}
    args = [str(DRAFTS / samples[Path(a).suffix]) if Path(a).suffix in samples else a for a in args]
    result = runner.invoke(cli, ["check", "--data", str(check_data), *args])
    assert result.exit_code in (0, 1), result.output


def test_the_pre_commit_hook_runs_this_command(runner: CliRunner, check_data: Path) -> None:
    import yaml

    (hook,) = yaml.safe_load((Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text())
    program, command = hook["entry"].split()
    assert program == "glossary" and command in cli.commands  # type: ignore[attr-defined]
    assert re.search(hook["files"], "draft.xlf") and not re.search(hook["files"], "draft.py")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_slice_of_a_source_text(seeds_dir: Path, real_checker: Checker, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(["000_7c8be4c2ecc5bddd.txt", "004_e260997f8c73c039.txt"]))
    text = (seeds_dir / name).read_text(encoding="utf-8")
    start = data.draw(st.integers(0, len(text)))
    piece = text[start : start + data.draw(st.integers(0, 3000))]
    lang = data.draw(st.sampled_from([None, "zh", "en"]))
    _check(real_checker, text=piece, lang=lang)


@pytest.fixture(scope="module")
def small_checker(check_data: Path) -> Checker:
    """A checker over the check fixture base that lists at most 50 findings."""
    base = store.load(check_data)
    return Checker(base.entries.values(), source_ids=base.sources, version=base.version, max_findings=50)


def test_a_huge_report_lists_at_most_max_findings_and_counts_them_all(small_checker: Checker) -> None:
    report = _check(small_checker, text="我们要建设科技强国。" * 300)
    assert report.summary.total == report.summary.by_kind["term"] == 300
    assert len(report.findings) == 50 and report.summary.truncated
    assert [f.start for f in report.findings] == sorted(f.start for f in report.findings)


def test_past_the_cap_problems_are_listed_before_terms(small_checker: Checker) -> None:
    # Hundreds of terms found first, then one deprecated rendering at the very end of the draft.
    text = "The S&T powerhouse grows. " * 200 + "The MST met today."
    report = _check(small_checker, text=text, lang="en")
    assert report.summary.truncated and len(report.findings) == 50
    (error,) = [f for f in report.findings if f.kind == "deprecated_rendering"]
    assert error.text == "MST" and error.start == len(text) - len("MST met today.")
    assert report.summary.by_severity["error"] == 1 and report.summary.by_kind["term"] >= 200


def test_a_report_under_the_cap_is_not_truncated(checker: Checker) -> None:
    report = _check(checker, text="我们要建设科技强国。")
    assert not report.summary.truncated and len(report.findings) == report.summary.total == 1
