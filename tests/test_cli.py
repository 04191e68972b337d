"""The command line: validate, verify-quotes, schema, export, and --help on every command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
import yaml

from glossary.base.quotes import shows_rendering
from glossary.cli import cli, entry_schema

EXPORT_FIELDS = {
    "id",
    "zh",
    "zh_hant",
    "zh_variants",
    "pinyin",
    "category",
    "renderings",
    "notes",
    "members",
    "related",
}


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path of the CLI, groups included."""
    paths = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            paths += all_commands(command, prefix + (name,))
        else:
            paths.append(prefix + (name,))
    return paths


@pytest.mark.parametrize("path", all_commands(cli), ids=lambda p: " ".join(p) or "glossary")
def test_every_command_has_help(runner, path):
    result = runner.invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    command = cli
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    assert command.help or command.short_help, f"{' '.join(path)} has no help text"


def test_validate_passes_on_the_real_base(runner, real_data_dir):
    result = runner.invoke(cli, ["validate", "--data", str(real_data_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")


def test_verify_quotes_passes_on_the_real_base(runner, real_data_dir, seeds_dir):
    result = runner.invoke(cli, ["verify-quotes", str(seeds_dir), "--data", str(real_data_dir)])
    assert result.exit_code == 0, result.output
    assert "quotes and notes found in their sources" in result.output


def test_verify_quotes_needs_nothing_outside_the_project(runner, real_data_dir):
    """With no TEXTS_DIR the texts carried in data/texts are used: the seeds are not needed."""
    result = runner.invoke(cli, ["verify-quotes", "--data", str(real_data_dir)])
    assert result.exit_code == 0, result.output
    assert "quotes and notes found in their sources" in result.output


def _copy_real_base(real_data_dir, tmp_path):
    target = tmp_path / "data"
    shutil.copytree(real_data_dir, target)
    return target


def test_a_context_sentence_is_verified_and_must_hold_the_term(runner, real_data_dir, tmp_path):
    data = _copy_real_base(real_data_dir, tmp_path)
    path = data / "entries" / "st-powerhouse.yaml"

    def with_context(zh: str) -> None:
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        entry["context"] = {"zh": zh, "source": "cset-2022-st-conference"}
        path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")

    with_context("2022年全国科技工作会议在京召开")  # in the source, but without the term
    result = runner.invoke(cli, ["verify-quotes", "--data", str(data)])
    assert result.exit_code == 1
    assert (
        "entry 'st-powerhouse': field 'context.zh': the sentence does not contain the term" in result.stderr
    )
    assert "field 'context.zh': not found" not in result.stderr
    with_context("2022年全国科技工作会议在京召开科技强国")  # with the term, but not in the source
    result = runner.invoke(cli, ["verify-quotes", "--data", str(data)])
    assert "entry 'st-powerhouse': field 'context.zh': not found in source" in result.stderr


def test_chinese_marked_attested_must_stand_in_a_source_text(runner, real_data_dir, tmp_path):
    data = _copy_real_base(real_data_dir, tmp_path)
    path = data / "entries" / "st-powerhouse.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("zh: 世界科技强国", "zh: 世界科技超级强国"), encoding="utf-8")
    result = runner.invoke(cli, ["verify-quotes", "--data", str(data)])
    assert result.exit_code == 1
    assert (
        "entry 'st-powerhouse': field 'zh_variants[0].zh': '世界科技超级强国' is marked attested "
        "but stands in no source text"
    ) in result.stderr


def test_a_quoted_definition_is_verified(runner, real_data_dir, tmp_path):
    data = _copy_real_base(real_data_dir, tmp_path)
    path = data / "entries" / "st-powerhouse.yaml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry.update(definition="A made-up definition.", definition_source="cset-2022-st-conference")
    path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(cli, ["verify-quotes", "--data", str(data)])
    assert result.exit_code == 1
    assert "entry 'st-powerhouse': field 'definition': not found in source" in result.stderr


def test_an_altered_quote_fails_naming_file_and_entry(runner, data_dir, seeds_dir):
    path = data_dir / "entries" / "two-establishes.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("decisive significance", "decisive importance"),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["verify-quotes", str(seeds_dir), "--data", str(data_dir)])
    assert result.exit_code == 1
    assert (
        "entries/two-establishes.yaml: entry 'two-establishes': field 'renderings[0].quote': "
        "not found in source 'cset-2022-st-conference'"
    ) in result.stderr


def test_a_quote_that_does_not_show_its_rendering_fails(runner, data_dir, seeds_dir):
    path = data_dir / "entries" / "two-establishes.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("en: two establishes", "en: two affirmations"),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["verify-quotes", str(seeds_dir), "--data", str(data_dir)])
    assert result.exit_code == 1
    assert "the quote does not show the rendering 'two affirmations'" in result.stderr


def test_a_source_without_its_text_is_reported(runner, data_dir, seeds_dir, tmp_path):
    texts = tmp_path / "texts"
    shutil.copytree(seeds_dir, texts)
    (texts / "004_e260997f8c73c039.txt").unlink()
    result = runner.invoke(cli, ["verify-quotes", str(texts), "--data", str(data_dir)])
    assert result.exit_code == 1
    assert "no text for source 'digichina-2021-xi-2018-speech'" in result.stderr


def test_schema_is_the_entry_files_json_schema(runner):
    result = runner.invoke(cli, ["schema"])
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    assert {"id", "zh", "renderings", "zh_variants", "members", "notes"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"id", "zh", "category", "zh_attested", "renderings"}


def test_the_committed_schema_file_is_up_to_date(real_data_dir):
    committed = json.loads((real_data_dir / "entry.schema.json").read_text(encoding="utf-8"))
    assert committed == entry_schema(), "run: glossary schema -o data/entry.schema.json"


def test_export_json_has_every_documented_field(runner, data_dir):
    result = runner.invoke(cli, ["export", "--format", "json", "--data", str(data_dir)])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert len(entries) == 4
    for entry in entries:
        assert EXPORT_FIELDS <= set(entry)
        for rendering in entry["renderings"]:
            assert {"en", "status", "sources", "quote"} <= set(rendering)
        for note in entry["notes"]:
            assert {"text", "source", "label"} <= set(note)
    powerhouse = next(e for e in entries if e["id"] == "st-powerhouse")
    assert powerhouse["zh_variants"] == [
        {
            "zh": "世界科技强国",
            "type": "full",
            "zh_hant": "世界科技強國",
            "pinyin": "shì jiè kē jì qiáng guó",
            "attested": True,
            "note": None,
        }
    ]


def test_export_to_a_file(runner, data_dir, tmp_path):
    target = tmp_path / "out" / "glossary.json"
    result = runner.invoke(cli, ["export", "--format", "json", "--data", str(data_dir), "-o", str(target)])
    assert result.exit_code == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 4


def test_commands_on_invalid_data_exit_1_without_traceback(runner, data_dir):
    (data_dir / "entries" / "broken.yaml").write_text("id: broken\nzh: [\n", encoding="utf-8")
    result = runner.invoke(cli, ["export", "--data", str(data_dir)])
    assert result.exit_code == 1
    assert "entries/broken.yaml" in result.stderr and "Traceback" not in result.output


def test_missing_data_directory(runner, tmp_path: Path):
    result = runner.invoke(cli, ["validate", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "data directory not found" in result.stderr


def test_a_member_gloss_not_in_any_source_must_be_marked(runner, data_dir, seeds_dir):
    path = data_dir / "entries" / "four-orientations.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "en: being oriented toward the major needs of the nation", "en: facing the nation's great needs"
    )
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["verify-quotes", str(seeds_dir), "--data", str(data_dir)])
    assert result.exit_code == 1 and "field 'members[2].en'" in result.stderr
    path.write_text(
        text.replace(
            "en: facing the nation's great needs",
            "en: facing the nation's great needs\n    en_attested: false",
        ),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["verify-quotes", str(seeds_dir), "--data", str(data_dir)])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("quote", "rendering", "shown"),
    [
        ("make China a leader among innovative countries.", "innovative country", True),
        ("join the ranks of the world's S&T powerhouses.¹", "S&T powerhouse", True),
        ("the “winner-takes-all open competition”", "winner-takes-all open competition", True),
        ("the Belt and Road\u00a0Initiative", "Belt and Road Initiative", True),
        ("two establishments", "two establishes", False),
        ("powerhouses of S&T", "S&T powerhouse", False),
    ],
)
def test_a_quote_shows_its_rendering_as_the_checker_finds_it(quote, rendering, shown):
    assert shows_rendering(quote, rendering) is shown


def test_stats_counts_the_fixture_base(runner, data_dir):
    result = runner.invoke(cli, ["stats", "--json", "--data", str(data_dir)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["entries"] == 4 and figures["zh_attested"] == 4 and figures["zh_curator_supplied"] == 0
    assert figures["renderings"] == 8 and figures["variant_renderings"] == 4
    assert figures["renderings_by_status"] == {
        "preferred": 4,
        "admitted": 4,
        "deprecated": 0,
        "superseded": 0,
    }
    assert figures["notes"] == 5 and figures["members"] == 6 and figures["zh_variants"] == 2
    text = runner.invoke(cli, ["stats", "--data", str(data_dir)]).output
    assert "entries: 4" in text and "renderings by status: preferred 4, admitted 4" in text
