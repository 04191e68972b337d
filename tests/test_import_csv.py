"""CSV import as spreadsheets write it: line breaks inside quoted cells are text (RFC 4180), rows and problems
are located by the file line they start on, and a plain `zh,en` list imports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import base_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_export_tbx import TEXT, entries

from glossary import imports
from glossary.base import store
from glossary.cli import cli
from glossary.export import render
from glossary.imports.incoming import Options

#: Text over several lines, as a spreadsheet cell holds it (the break inside, never at the ends).
MULTILINE = st.lists(TEXT, min_size=2, max_size=3).map("\n".join)


def _import(tmp_path: Path, text: str, name: str = "list.csv") -> tuple[imports.Report, Path]:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    target = tmp_path / "data"
    return imports.run(target, path, "csv", options=Options(source_id="acme-list")), target


def test_line_break_in_a_quoted_cell_is_kept(tmp_path: Path) -> None:
    """A CRLF inside a quoted note is a line break of the note (LF in the base), not the end of the row."""
    text = 'zh,en,note\r\n新词测试,new test word,"the note\r\nsecond line"\r\n旧词测试,old test word,\r\n'
    report, target = _import(tmp_path, text)
    assert report.ok, report.problems
    entries_by_zh = {e.zh: e for e in store.load(target).entries.values()}
    assert entries_by_zh["新词测试"].preferred.note == "the note\nsecond line"
    assert entries_by_zh["旧词测试"].preferred.en == "old test word"


def test_problem_after_a_multiline_cell_names_its_file_line(tmp_path: Path) -> None:
    text = 'zh,en,note\n新词测试,new test word,"one\ntwo\nthree"\nno chinese,x,\n'
    report, _ = _import(tmp_path, text)
    assert [(p.line, p.field) for p in report.problems] == [(5, "zh")], report.problems


def test_plain_zh_en_file_imports(tmp_path: Path, runner: CliRunner) -> None:
    """`glossary import csv` of the simplest list there is: a zh,en header and rows."""
    path = tmp_path / "plain.csv"
    path.write_text("zh,en\n新词测试,new test word\n另一新词,another new word\n", encoding="utf-8")
    target = tmp_path / "data"
    result = runner.invoke(cli, ["import", "csv", str(path), "--data", str(target)])
    assert result.exit_code == 0, result.output
    assert "no rows after the header" not in result.output
    base = store.load(target)
    assert sorted((e.zh, e.preferred.en) for e in base.entries.values()) == [
        ("另一新词", "another new word"),
        ("新词测试", "new test word"),
    ]


def test_unterminated_quote_is_a_located_problem(tmp_path: Path) -> None:
    report, target = _import(tmp_path, 'zh,en\n新词测试,"never closed\nstill open\n')
    assert [(p.line, p.message[:15]) for p in report.problems] == [(3, "not valid CSV: ")]
    assert not target.exists(), "nothing is written"


@st.composite
def multiline_entries(draw: st.DrawFn) -> list[dict]:
    """Generated entries whose every text field the CSV carries (en, note, quote) spans lines."""
    made = draw(entries())
    for entry in made:
        for i, rendering in enumerate(entry["renderings"]):
            rendering["en"] = f"{draw(MULTILINE)} {i}"
            rendering["quote"] = draw(MULTILINE)
            rendering["note"] = draw(MULTILINE)
    return made


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(multiline_entries())
def test_multiline_texts_round_trip_through_csv(
    tmp_path_factory: pytest.TempPathFactory, made: list[dict]
) -> None:
    """Generic CSV export → import → export gives the same CSV, line breaks and all."""
    source_dir = base_of(made, tmp_path_factory.mktemp("base"))
    first = render(store.load(source_dir), "csv").content
    assert isinstance(first, str) and "\n" in first.replace("\r\n", "")
    csv_file = source_dir.parent / "export.csv"
    csv_file.write_bytes(first.encode("utf-8"))
    target = tmp_path_factory.mktemp("trip")
    (target / "entries").mkdir()
    shutil.copy(source_dir / "sources.yaml", target / "sources.yaml")
    report = imports.run(target, csv_file, "csv")
    assert report.ok, report.problems
    assert render(store.load(target), "csv").content == first
