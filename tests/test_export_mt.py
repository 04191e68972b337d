"""Glossaries for machine translation: DeepL (checked by the `deepl` client's own parser), Google, Amazon and
a prompt block; each engine's documented limits (a test per limit); `--for DRAFT`; and the check that
closes the loop."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.base import store
from glossary.base.model import Entry, Status
from glossary.check.checker import Checker
from glossary.check.report import CheckRequest
from glossary.cli import cli
from glossary.export import mt, render

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def base() -> store.TermBase:
    """The real curated base."""
    return store.load(DATA)


def test_deepl_export_parses_with_deepls_own_client(base: store.TermBase) -> None:
    deepl_util = pytest.importorskip("deepl.util", reason="the deepl client (pip install deepl) parses it")
    content = render(base, "deepl").content
    assert isinstance(content, str)
    entries = deepl_util.convert_tsv_to_dict(content)  # raises on a duplicate source or a bad character
    rows = mt.table(base, "deepl").rows
    assert entries == {form: target for form, target, _ in rows}
    assert entries["科技强国"] == base.entries["st-powerhouse"].preferred.en
    assert len(entries) > 500


def test_every_usable_chinese_form_is_in_the_glossary(base: store.TermBase) -> None:
    glossary = mt.table(base, "deepl")
    listed = {form for form, _, _ in glossary.rows} | {form for form, _, _ in glossary.skipped}
    for entry in base.entries.values():
        for form in [entry.zh, *(v.zh for v in entry.zh_variants)]:
            assert form in listed, form
    for form, target, entry in glossary.rows:
        assert len(form) >= 2 and target == entry.preferred.en


def test_google_export_is_a_two_column_csv_without_header(base: store.TermBase) -> None:
    content = render(base, "google").content
    assert isinstance(content, str)
    rows = list(csv.reader(io.StringIO(content)))
    assert all(len(row) == 2 for row in rows)
    assert rows[0] == list(mt.table(base, "google").rows[0][:2])  # the first row is data, not column names


def test_amazon_export_names_its_languages_in_the_header(base: store.TermBase) -> None:
    content = render(base, "amazon").content
    assert isinstance(content, str)
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == ["zh", "en"]
    assert all(len(row) == 2 for row in rows[1:])
    assert max(len(cell.encode()) for row in rows for cell in row) <= 200


def test_prompt_block_lists_renderings_to_avoid(base: store.TermBase) -> None:
    content = render(base, "prompt").content
    assert isinstance(content, str)
    deprecated = next(e for e in base.entries.values()
                      if any(r.status is Status.deprecated for r in e.renderings) and len(e.zh) > 1)
    line = next(line for line in content.splitlines() if line.startswith(f"- {deprecated.zh} ("))
    assert f"→ {deprecated.preferred.en}" in line
    assert all(r.en in line for r in deprecated.renderings if r.status is Status.deprecated)


# --- the documented limits, one test each ---------------------------------------------------------------


def _entries(template: Entry, count: int, target: str) -> dict[str, Entry]:
    """`count` distinct entries (two-character-or-longer Chinese) whose preferred rendering is `target`."""
    preferred = template.preferred.model_copy(update={"en": target})
    made = {}
    for n in range(count):
        zh = "".join(chr(0x4E00 + int(d) * 50 + i) for i, d in enumerate(f"{n:06d}"))
        made[f"t{n}"] = template.model_copy(update={"id": f"t{n}", "zh": zh, "zh_variants": [],
                                                    "renderings": [preferred]})
    return made


def _base_of(base: store.TermBase, entries: dict[str, Entry]) -> store.TermBase:
    return store.TermBase(base.data_dir, entries, base.sources, "test")


@pytest.mark.parametrize(("engine", "limit"), [("deepl", 1024), ("google", 1024), ("amazon", 200)])
def test_a_term_over_the_engines_size_is_left_out(base: store.TermBase, engine: str, limit: int) -> None:
    assert mt.LIMITS[engine] is not None and mt.LIMITS[engine].term_bytes == limit
    template = base.entries["st-powerhouse"]
    fits = _base_of(base, _entries(template, 1, "x" * limit))
    assert len(mt.table(fits, engine).rows) == 1
    over = mt.table(_base_of(base, _entries(template, 1, "é" * (limit // 2) + "x")), engine)
    assert over.rows == [] and f"over the engine's {limit} per term" in over.skipped[0][2]
    # The Chinese side counts in UTF-8 bytes too: three per character.
    long_zh = template.model_copy(update={"id": "long", "zh": "科" * (limit // 3 + 1), "zh_variants": []})
    assert mt.table(_base_of(base, {"long": long_zh}), engine).rows == []


@pytest.mark.parametrize(("engine", "limit"), [("deepl", 10_485_760), ("google", 10_485_760),
                                               ("amazon", 10_485_760)])
def test_the_file_stays_within_the_engines_size(base: store.TermBase, engine: str, limit: int) -> None:
    limits = mt.LIMITS[engine]
    assert limits is not None and limits.file_bytes == limit
    target = "y" * (limits.term_bytes - 10)
    row = len(target) + 18 + 2  # six Chinese characters, a separator, a line break
    grown = _base_of(base, _entries(base.entries["st-powerhouse"], limit // row + 50, target))
    glossary = mt.table(grown, engine)
    size = len(mt.text(glossary).encode("utf-8"))
    assert limit - row < size <= limit
    assert glossary.skipped and all("would pass" in why for _, _, why in glossary.skipped)


def test_deepl_terms_with_forbidden_characters_are_left_out(base: store.TermBase) -> None:
    template = base.entries["st-powerhouse"]
    broken = _base_of(base, _entries(template, 1, "line\u2028break"))
    assert mt.table(broken, "deepl").rows == []


# --- --for DRAFT and closing the loop ------------------------------------------------------------------


DRAFT = "我们要加快建设科技强国，因地制宜发展新质生产力。科技强国是目标。"


def export_for(tmp_path: Path, fmt: str, draft: str = DRAFT, suffix: str = ".txt"):  # type: ignore[no-untyped-def]
    """Run `glossary export --format FMT --for DRAFT` on the real base."""
    path = tmp_path / f"draft{suffix}"
    path.write_text(draft, encoding="utf-8")
    return CliRunner().invoke(cli, ["export", "--format", fmt, "--for", str(path), "--data", str(DATA)])


def test_for_draft_lists_exactly_the_concepts_the_checker_finds(tmp_path: Path, base: store.TermBase) -> None:
    result = export_for(tmp_path, "deepl")
    assert result.exit_code == 0, result.output
    report = Checker.for_base(base).check(CheckRequest(text=DRAFT))
    found = {f.term_id for f in report.findings}
    listed = dict(line.split("\t") for line in result.stdout.splitlines())
    assert {e.id for e in base.entries.values() if e.preferred.en in listed.values()} >= found
    assert set(listed) == {f.text for f in report.findings}  # the forms as the draft has them
    assert listed["科技强国"] == "S&T powerhouse"
    first = result.stdout.splitlines()[0]
    assert first.startswith("科技强国\t")  # found twice: listed first
    assert f"{len(found)} concepts found" in result.stderr


@pytest.mark.parametrize("fmt", ["deepl", "google", "amazon", "prompt"])
def test_for_draft_in_every_engine_format(tmp_path: Path, fmt: str) -> None:
    result = export_for(tmp_path, fmt)
    assert result.exit_code == 0, result.output
    assert "新质生产力" in result.stdout and "new quality productive forces" in result.stdout
    assert "四个面向" not in result.stdout


def test_for_an_unreadable_draft_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlf"
    path.write_text("<xliff", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "--format", "deepl", "--for", str(path), "--data", str(DATA)])
    assert result.exit_code == 2 and "--for" in result.output


def test_check_on_the_machine_output_closes_the_loop(tmp_path: Path, base: store.TermBase) -> None:
    """The engine's output, checked against the same base: renderings from the glossary pass, others fail."""
    glossary = dict(line.split("\t") for line in export_for(tmp_path, "deepl").stdout.splitlines())
    followed = ". ".join(glossary.values()) + "."  # an engine that used every target of the glossary
    ignored = "We will build it faster and grow what is new where it fits. It is the goal."
    assert {"科技强国", "新质生产力"} <= set(glossary)
    for target, errors in ((followed, set()), (ignored, set(glossary))):
        pair = tmp_path / "mt.tsv"
        pair.write_text(f"{DRAFT}\t{target}\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["check", str(pair), "--format", "json", "--data", str(DATA)])
        report = json.loads(result.stdout)
        missing = [f for f in report["findings"] if f["kind"] == "missing_rendering"]
        assert {base.entries[f["term_id"]].zh for f in missing} == errors
        for finding in missing:  # the fix suggested is the glossary's target
            assert finding["suggestion"] == glossary[base.entries[finding["term_id"]].zh]
