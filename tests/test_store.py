"""The loader: every validation rule, reported as one line naming file, line, entry and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from glossary import Glossary
from glossary.base import store
from glossary.cli import cli

INVALID = Path(__file__).parent / "fixtures" / "invalid"

# fixture file → (file, line, entry, field, message fragment) of the problem it must produce
CASES = [
    ("unknown-field", "entries/unknown-field.yaml", 5, "unknown-field", "colour", "unknown field"),
    ("duplicate-zh", "entries/duplicate-zh.yaml", 2, "duplicate-zh", "zh", "duplicate zh '四个面向'"),
    (
        "unresolved-related",
        "entries/unresolved-related.yaml",
        11,
        "unresolved-related",
        "related[0].id",
        "related entry 'no-such-entry' does not exist",
    ),
    (
        "unknown-source",
        "entries/unknown-source.yaml",
        8,
        "unknown-source",
        "renderings[0].sources[0]",
        "unknown source 'no-such-source'",
    ),
    (
        "two-preferred",
        "entries/two-preferred.yaml",
        5,
        "two-preferred",
        "renderings",
        "needs exactly one preferred rendering, has 2",
    ),
    (
        "no-preferred",
        "entries/no-preferred.yaml",
        5,
        "no-preferred",
        "renderings",
        "needs exactly one preferred rendering, has 0",
    ),
    ("empty-quote", "entries/empty-quote.yaml", 9, "empty-quote", "renderings[0].quote", "must not be empty"),
    (
        "bad-pinyin",
        "entries/bad-pinyin.yaml",
        3,
        "bad-pinyin",
        "pinyin",
        "has 2 syllables for 3 Han characters",
    ),
    ("bad-pinyin", "entries/bad-pinyin.yaml", 3, "bad-pinyin", "pinyin", "'shìx' is not a pinyin syllable"),
    (
        "bad-status",
        "entries/bad-status.yaml",
        7,
        "bad-status",
        "renderings[0].status",
        "Input should be 'preferred'",
    ),
    ("duplicate-key", "entries/duplicate-key.yaml", 3, "duplicate-key", "zh", "duplicate key"),
    ("malformed", "entries/malformed.yaml", 7, None, None, "not valid YAML"),
    (
        "wrong-file-name",
        "entries/wrong-file-name.yaml",
        1,
        "four-orientations",
        "id",
        "must match the file name",
    ),
    ("wrong-file-name", "entries/wrong-file-name.yaml", 1, "four-orientations", "id", "duplicate id"),
    ("bad-id", "entries/bad-id.yaml", 1, "Bad_Id", "id", "should match pattern"),
    ("no-chinese", "entries/no-chinese.yaml", 2, "no-chinese", "zh", "must contain Chinese characters"),
    (
        "control-character",
        "entries/control-character.yaml",
        6,
        "control-character",
        "renderings[0].en",
        "contains the control character U+0007",
    ),
    (
        "related-twice",
        "entries/related-twice.yaml",
        10,
        "related-twice",
        "related",
        "related entry listed twice: two-establishes",
    ),
]


def with_file(data_dir: Path, name: str) -> Path:
    """The fixture base with one invalid entry file added."""
    shutil.copy(INVALID / f"{name}.yaml", data_dir / "entries" / f"{name}.yaml")
    return data_dir


@pytest.mark.parametrize(("name", "file", "line", "entry", "field", "fragment"), CASES)
def test_each_validation_error_is_located(data_dir, name, file, line, entry, field, fragment):
    _, problems = store.inspect(with_file(data_dir, name))
    matching = [p for p in problems if fragment in p.message]
    assert matching, f"no problem mentions {fragment!r}: {[str(p) for p in problems]}"
    problem = matching[0]
    assert (problem.file, problem.line, problem.entry, problem.field) == (file, line, entry, field)


@pytest.mark.parametrize("name", sorted({case[0] for case in CASES}))
def test_validate_command_fails_with_one_line_per_problem(runner, data_dir, name):
    result = runner.invoke(cli, ["validate", "--data", str(with_file(data_dir, name))])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].endswith("problem(s)")
    assert all(line.startswith("entries/") for line in lines[:-1])
    assert "Traceback" not in result.output


def test_all_problems_are_reported_in_one_run(data_dir):
    for name in ("unknown-field", "unknown-source", "empty-quote", "bad-status"):
        with_file(data_dir, name)
    _, problems = store.inspect(data_dir)
    assert {p.entry for p in problems} >= {"unknown-field", "unknown-source", "empty-quote", "bad-status"}


def test_duplicate_zh_is_reported_in_both_files(data_dir):
    _, problems = store.inspect(with_file(data_dir, "duplicate-zh"))
    assert {p.file for p in problems if "duplicate zh" in p.message} == {
        "entries/duplicate-zh.yaml",
        "entries/four-orientations.yaml",
    }


def test_a_retired_id_may_not_be_reused(data_dir):
    (data_dir / "retired.yaml").write_text("- two-establishes\n", encoding="utf-8")
    _, problems = store.inspect(data_dir)
    assert [p.message for p in problems] == ["id is retired and may not be reused"]


def test_source_registry_problems_name_the_line(data_dir):
    path = data_dir / "sources.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: media", "kind: blog"), encoding="utf-8")
    _, problems = store.inspect(data_dir)
    source_problems = [p for p in problems if p.file == "sources.yaml"]
    assert len(source_problems) == 1 and source_problems[0].field == "[3].kind"
    assert source_problems[0].line is not None and source_problems[0].line > 1


def test_a_missing_data_directory_is_one_clear_problem(tmp_path):
    _, problems = store.inspect(tmp_path / "nowhere")
    assert [p.message for p in problems] == ["data directory not found"]


def test_a_non_yaml_file_in_entries_is_reported(data_dir):
    (data_dir / "entries" / "notes.txt").write_text("scratch", encoding="utf-8")
    _, problems = store.inspect(data_dir)
    assert problems and problems[0].file == "entries/notes.txt"


def test_derived_fields_are_filled(data_dir):
    base = store.load(data_dir)
    entry = base.entries["st-powerhouse"]
    assert entry.zh_hant == "科技強國"
    assert entry.pinyin == "kē jì qiáng guó"
    assert entry.variants_hant == ["世界科技強國"]
    assert entry.chinese_forms() == ["科技强国", "科技強國", "世界科技强国", "世界科技強國"]
    assert entry.preferred.en == "S&T powerhouse"


def test_a_pinyin_override_wins_over_pypinyin(data_dir):
    path = data_dir / "entries" / "two-establishes.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "zh: 两个确立\n", "zh: 两个确立\npinyin: liǎng gè què lì\n"
    )
    path.write_text(text, encoding="utf-8")
    entry = store.load(data_dir).entries["two-establishes"]
    assert entry.pinyin_overridden and entry.pinyin == "liǎng gè què lì"


def test_content_hash_changes_with_any_file(data_dir):
    before = store.content_hash(data_dir)
    path = data_dir / "entries" / "two-establishes.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert store.content_hash(data_dir) != before


def test_the_real_base_validates(real_data_dir):
    base, problems = store.inspect(real_data_dir)
    assert problems == [], "\n".join(map(str, problems))
    assert base is not None and len(base.entries) >= 4


def test_public_api(data_dir):
    glossary = Glossary.open(data_dir)
    assert len(glossary) == 4 and "four-orientations" in glossary
    assert glossary["four-orientations"].members[0].zh == "面向世界科技前沿"
    assert {entry.id for entry in glossary} == {
        "four-orientations",
        "st-powerhouse",
        "two-establishes",
        "winner-takes-all-open-competition",
    }
    assert glossary.get("nope") is None
    assert glossary.sources["cset-2022-st-conference"].kind == "translation"


def test_entry_yaml_round_trips(data_dir):
    base = store.load(data_dir)
    for entry_id, entry in base.entries.items():
        text = store.entry_yaml(entry)
        reparsed = store.parse_yaml(text).data
        assert reparsed["id"] == entry_id
        assert store.EntryFile.model_validate(reparsed).renderings == entry.renderings
