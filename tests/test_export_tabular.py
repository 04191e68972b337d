"""CSV/TSV layouts checked against sample files in each tool's documented layout; JSON, JSON Schema, Vale."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from conftest import base_of
from hypothesis import HealthCheck, given, settings
from test_export_tbx import entries  # the generated-base strategy, shared

from glossary import imports
from glossary.base import store
from glossary.base.model import Status
from glossary.cli import cli
from glossary.export import FORMATS, render, tabular, vale

EXCHANGE = Path(__file__).resolve().parent / "fixtures" / "exchange"

# Deprecated and superseded renderings, a proper noun and regular-expression characters: what the tool
# layouts and the Vale style must treat specially.
EXTRA_ENTRY = """\
id: most
zh: 科学技术部
category: institution
zh_attested: true
zh_variants:
  - zh: 科技部
    type: short
renderings:
  - en: Ministry of Science and Technology
    status: preferred
    proper_noun: true
    sources: [cset-2022-st-conference]
    quote: Ministry of Science and Technology
    note: "The ministry's own name;\\tuse it."
  - en: MOST
    status: admitted
    proper_noun: true
    sources: [cset-2022-st-conference]
    quote: MOST
  - en: MST
    status: deprecated
    proper_noun: true
    sources: [scio-2023-innovation-briefing]
    quote: the MST
  - en: S&T ministry (PRC)
    status: superseded
    sources: [cgtn-2023-how-china-works]
    quote: the S&T ministry (PRC)
  - en: ministry
    status: deprecated
    generic: true
    sources: [cgtn-2023-how-china-works]
    quote: the ministry
"""


@pytest.fixture
def base(data_dir: Path) -> store.TermBase:
    """The fixture base plus EXTRA_ENTRY."""
    (data_dir / "entries" / "most.yaml").write_text(EXTRA_ENTRY, encoding="utf-8")
    return store.load(data_dir)


def text_of(base: store.TermBase, fmt: str) -> str:
    content = render(base, fmt).content
    return content.decode("utf-8") if isinstance(content, bytes) else content


# --- layout readers: what each tool's documentation says the file looks like --------------------------


def read_memoq(text: str) -> list[dict[str, object]]:
    """memoQ term base CSV: ';', header row, entry columns Entry_ID…Entry_Note, then per language
    <Language>_Def and (<Language>, Term_Info, Term_Example) per term. One dict per entry row."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    header, entries = rows[0], []
    assert header[:10] == tabular.MEMOQ_ENTRY_COLUMNS
    groups: list[tuple[str, int]] = []  # (language, column of its term) in order
    i = 10
    while i < len(header):
        language = header[i].removesuffix("_Def")
        assert header[i] == f"{language}_Def", header[i]
        i += 1
        while i < len(header) and header[i] == language:
            assert header[i + 1 : i + 3] == tabular.MEMOQ_TERM_COLUMNS
            groups.append((language, i))
            i += 3
    for row in rows[1:]:
        assert len(row) == len(header)
        assert row[0].isdigit(), "Entry_ID is a number"
        terms: dict[str, list[tuple[str, str]]] = {}
        for language, column in groups:
            if row[column]:
                terms.setdefault(language, []).append((row[column], row[column + 2]))
        entries.append({"subject": row[1], "note": row[9], "terms": terms})
    return entries


LANGUAGE_NAMES = {"Chinese", "English"}


def read_multiterm(text: str) -> list[dict[str, list[str] | str]]:
    """Trados/MultiTerm CSV: one entry per row, language-named term columns, synonyms split by '|'."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    header = rows[0]
    assert LANGUAGE_NAMES <= set(header)
    entries = []
    for row in rows[1:]:
        assert len(row) == len(header)
        cells = dict(zip(header, row, strict=True))
        entries.append({n: (v.split("|") if n in LANGUAGE_NAMES else v) for n, v in cells.items()})
    return entries


def read_omegat(text: str) -> list[tuple[str, str, str]]:
    """OmegaT's own reading (GlossaryReaderTSV): skip '#' lines, split on tabs, trim; source and target."""
    found = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        tokens = [t.strip() for t in line.split("\t")]
        if len(tokens) < 2 or not tokens[0]:
            continue
        found.append((tokens[0], tokens[1], tokens[2] if len(tokens) > 2 else ""))
    return found


# --- the samples read as documented, and so do the exports ------------------------------------------


def test_memoq_sample_and_export(base: store.TermBase) -> None:
    sample = read_memoq((EXCHANGE / "memoq.csv").read_text(encoding="utf-8"))
    assert sample[0]["terms"]["Chinese"] == [("科学技术部", ""), ("科技部", "")]
    exported = read_memoq(text_of(base, "memoq-csv"))
    assert len(exported) == len(base.entries)
    most = exported[list(base.entries).index("most")]
    assert most["subject"] == "institution"
    assert [t for t, _ in most["terms"]["Chinese"]] == ["科学技术部", "科技部"]
    assert most["terms"]["English"] == [
        ("Ministry of Science and Technology", "Ministry of Science and Technology"),
        ("MOST", "MOST"),
    ]
    assert (
        "Do not use: MST (deprecated); S&T ministry (PRC) (superseded); ministry (deprecated)."
        in most["note"]
    )


def test_multiterm_sample_and_export(base: store.TermBase) -> None:
    sample = read_multiterm((EXCHANGE / "multiterm.csv").read_text(encoding="utf-8"))
    assert sample[0]["English"] == ["Ministry of Science and Technology", "MOST"]
    exported = {e["Entry ID"]: e for e in read_multiterm(text_of(base, "multiterm-csv"))}
    assert set(exported) == set(base.entries)
    assert exported["most"]["Chinese"] == ["科学技术部", "科技部"]
    assert exported["most"]["English"] == ["Ministry of Science and Technology", "MOST"]
    assert exported["st-powerhouse"]["English"][0] == "S&T powerhouse", "preferred first"


def test_omegat_sample_and_export(base: store.TermBase) -> None:
    assert read_omegat((EXCHANGE / "omegat.utf8").read_text(encoding="utf-8"))[2] == (
        "科技强国",
        "S&T powerhouse",
        "",
    )
    text = text_of(base, "omegat")
    assert text.splitlines()[0] == tabular.OMEGAT_HEADER
    pairs = read_omegat(text)
    allowed = {
        (form, r.en)
        for e in base.entries.values()
        for form in [e.zh, *(v.zh for v in e.zh_variants)]
        for r in e.renderings
        if r.status in (Status.preferred, Status.admitted)
    }
    assert {(s, t) for s, t, _ in pairs} == allowed
    assert (
        "科技部",
        "MOST",
        "简称 of 科学技术部. admitted. Do not use: MST (deprecated); S&T ministry (PRC) "
        "(superseded); ministry (deprecated).",
    ) in pairs
    assert all(line.count("\t") == 2 for line in text.splitlines() if not line.startswith("#"))


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_generic_layout(base: store.TermBase, fmt: str, delimiter: str) -> None:
    sample = list(csv.DictReader(io.StringIO((EXCHANGE / "generic.csv").read_text(encoding="utf-8"))))
    assert sample[2]["variants"] == "short:关键技|alias:核心技术"
    rows = list(csv.reader(io.StringIO(text_of(base, fmt)), delimiter=delimiter))
    assert rows[0] == tabular.GENERIC_COLUMNS
    assert len(rows) - 1 == sum(len(e.renderings) for e in base.entries.values())
    by_en = {row[6]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_en["MST"]["status"] == "deprecated"
    assert by_en["world S&T superpower"]["sources"] == "digichina-2021-xi-2018-speech"
    assert by_en["S&T powerhouse"]["variants"] == "full:世界科技强国"
    expected_note = (
        "The ministry's own name; use it." if fmt == "tsv" else "The ministry's own name;\tuse it."
    )
    assert by_en["Ministry of Science and Technology"]["note"] == expected_note


# --- JSON, JSON Schema, Vale, the registry -------------------------------------------------------------


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_json_export_matches_its_schema(base: store.TermBase, real_data_dir: Path, which: str) -> None:
    chosen = base if which == "fixture" else store.load(real_data_dir)
    schema = json.loads(text_of(chosen, "jsonschema"))
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads(text_of(chosen, "json"))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert [e["id"] for e in document] == list(chosen.entries)


def test_schema_rejects_a_broken_entry(base: store.TermBase) -> None:
    schema = json.loads(text_of(base, "jsonschema"))
    document = json.loads(text_of(base, "json"))
    document[0]["renderings"][0]["status"] = "recommended"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(document)


def test_vale_style(runner: CliRunner, base: store.TermBase, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["export", "--format", "vale", "--data", str(base.data_dir), "-o", str(tmp_path / "G")]
    )
    assert result.exit_code == 0, result.output
    renderings = yaml.safe_load((tmp_path / "G" / "Renderings.yml").read_text(encoding="utf-8"))
    nouns = yaml.safe_load((tmp_path / "G" / "ProperNouns.yml").read_text(encoding="utf-8"))
    assert (renderings["extends"], renderings["ignorecase"], nouns["ignorecase"]) == (
        "substitution",
        True,
        False,
    )
    assert renderings["swap"] == {r"\bS&T ministry \(PRC\)": "Ministry of Science and Technology"}
    assert nouns["swap"] == {r"\bMST\b": "Ministry of Science and Technology"}, "generic ministry: left out"
    for pattern in [*renderings["swap"], *nouns["swap"]]:
        assert "\\ " not in pattern, "RE2 rejects an escaped space"
    assert re.fullmatch(next(iter(renderings["swap"])), "S&T ministry (PRC)")


def test_vale_needs_a_folder(runner: CliRunner, data_dir: Path) -> None:
    result = runner.invoke(cli, ["export", "--format", "vale", "--data", str(data_dir)])
    assert result.exit_code == 2 and "writes a folder: give -o DIR" in result.output


@pytest.mark.parametrize(("text", "pattern"), [("MST", "MST"), ("S&T (a.k.a. x)", r"S&T \(a\.k\.a\. x\)")])
def test_vale_literal_pattern(text: str, pattern: str) -> None:
    assert vale.literal_pattern(text) == pattern


def test_vale_skips_empty_rules(data_dir: Path, tmp_path: Path) -> None:
    """The frozen fixture base has nothing deprecated: no rule file (Vale rejects an empty swap)."""
    assert vale.write(store.load(data_dir), tmp_path / "G") == []


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_cli_export_matches_registry(runner: CliRunner, base: store.TermBase, fmt: str) -> None:
    result = runner.invoke(cli, ["export", "--format", fmt, "--data", str(base.data_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8") == text_of(base, fmt)
    export = render(base, fmt)
    assert (export.media_type, export.filename) == (FORMATS[fmt].media_type, FORMATS[fmt].filename)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries())
def test_any_base_round_trips_through_generic_csv(
    tmp_path_factory: pytest.TempPathFactory, made: list[dict]
) -> None:
    """Generic CSV export → import (same sources) → export gives the same CSV, whatever the text holds."""
    source_dir = base_of(made, tmp_path_factory.mktemp("base"))
    first = text_of(store.load(source_dir), "csv")
    csv_file = source_dir.parent / "export.csv"
    csv_file.write_text(first, encoding="utf-8", newline="")
    target = tmp_path_factory.mktemp("trip")
    (target / "entries").mkdir()
    shutil.copy(source_dir / "sources.yaml", target / "sources.yaml")
    report = imports.run(target, csv_file, "csv")
    assert report.ok, report.problems
    assert text_of(store.load(target), "csv") == first
