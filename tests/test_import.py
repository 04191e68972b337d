"""Imports: new entries added, existing ones merged only with --merge, conflicts reported, all or nothing."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary import imports
from glossary.base import store
from glossary.base.model import EntryFile, Status, VariantType
from glossary.cli import PROGRESS_FROM, cli
from glossary.export import render
from glossary.imports import table, tbx
from glossary.imports.incoming import Options, slugify
from glossary.imports.transaction import Staging

EXCHANGE = Path(__file__).resolve().parent / "fixtures" / "exchange"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root`, by relative path: to show that nothing changed."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def export_file(data_dir: Path, tmp_path: Path, fmt: str = "tbx", name: str = "export.tbx") -> Path:
    content = render(store.load(data_dir), fmt).content
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, ["import", *args], catch_exceptions=False)


def test_import_into_empty_directory(runner: CliRunner, data_dir: Path, tmp_path: Path) -> None:
    tbx_file = export_file(data_dir, tmp_path)
    target = tmp_path / "new"
    result = run(runner, "tbx", str(tbx_file), "--data", str(target))
    assert result.exit_code == 0, result.output
    assert "4 added, 0 merged, 0 unchanged, 5 source(s) added" in result.stdout
    assert sorted(store.load(target).entries) == sorted(store.load(data_dir).entries)
    assert not list(target.glob(".import-*")), "the staging folder is removed"


def test_reimport_of_the_same_base_changes_nothing(runner: CliRunner, data_dir: Path, tmp_path: Path) -> None:
    tbx_file = export_file(data_dir, tmp_path)
    before = snapshot(data_dir)
    result = run(runner, "tbx", str(tbx_file), "--data", str(data_dir))
    assert result.exit_code == 0, result.output
    assert "0 added, 0 merged, 4 unchanged" in result.stdout
    assert snapshot(data_dir) == before


def _edited_export(data_dir: Path, tmp_path: Path) -> Path:
    """An export in which st-powerhouse has a changed note and a new rendering."""
    path = export_file(data_dir, tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace("Preferred: CSET's considered choice", "A different note", 1)
    new_term = (
        "<termSec><term>S&amp;T great power</term>"
        '<termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>'
        '<descripGrp><descrip type="context">an S&amp;T great power</descrip>'
        '<admin type="source" target="source.cgtn-2023-how-china-works">cgtn-2023-how-china-works</admin>'
        "</descripGrp></termSec>"
    )
    marker = "<term>world S&amp;T superpower</term>"
    head, tail = text.split(marker)
    text = (
        head.rsplit("<termSec>", 1)[0]
        + new_term
        + "<termSec>"
        + head.rsplit("<termSec>", 1)[1]
        + marker
        + tail
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_existing_entry_is_not_overwritten_without_merge(
    runner: CliRunner, data_dir: Path, tmp_path: Path
) -> None:
    path = _edited_export(data_dir, tmp_path)
    before = snapshot(data_dir)
    result = run(runner, "tbx", str(path), "--data", str(data_dir))
    assert result.exit_code == 1
    assert "entry 'st-powerhouse' already exists and differs from the import: use --merge" in result.stderr
    assert "nothing imported" in result.stderr
    assert snapshot(data_dir) == before


def test_merge_adds_and_keeps_curated_values(runner: CliRunner, data_dir: Path, tmp_path: Path) -> None:
    path = _edited_export(data_dir, tmp_path)
    result = run(runner, "tbx", str(path), "--data", str(data_dir), "--merge")
    assert result.exit_code == 0, result.output
    assert "0 added, 1 merged, 3 unchanged" in result.stdout
    conflicts = [line for line in result.stderr.splitlines() if line.startswith("conflict:")]
    assert conflicts == [
        "conflict: entries/st-powerhouse.yaml: entry 'st-powerhouse': "
        "field 'renderings[S&T powerhouse].note': "
        "keeps 'the curated note', import has 'a different note'"
    ]
    entry = store.load(data_dir).entries["st-powerhouse"]
    assert entry.preferred.note.startswith("Preferred: CSET's considered choice")
    added = next(r for r in entry.renderings if r.en == "S&T great power")
    assert (added.status, added.sources, added.quote) == (
        Status.admitted,
        ["cgtn-2023-how-china-works"],
        "an S&T great power",
    )


def test_bad_concept_means_nothing_is_written(runner: CliRunner, data_dir: Path, tmp_path: Path) -> None:
    """All or nothing: one bad status among good concepts, and data/ is untouched."""
    text = export_file(data_dir, tmp_path).read_text(encoding="utf-8")
    text = text.replace("four-orientations", "four-orientations-2").replace("四个面向", "四個面向新")
    text = text.replace("admittedTerm-admn-sts", "recommendedTerm-admn-sts", 1)
    path = tmp_path / "bad.tbx"
    path.write_text(
        text.replace('id="st-powerhouse"', 'id="st-powerhouse-2"').replace("科技强国", "科技强国2"), "utf-8"
    )
    before = snapshot(data_dir)
    result = run(runner, "tbx", str(path), "--data", str(data_dir))
    assert result.exit_code == 1
    assert "unknown status 'recommendedTerm-admn-sts'" in result.stderr
    assert snapshot(data_dir) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<tbx><text><body>", "bad.tbx:1: not well-formed XML"),
        ("<?xml version='1.0'?>\n<glossary/>", "bad.tbx:2: not a TBX document (root element <glossary>)"),
        ('<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body/></text></tbx>', "no conceptEntry in the file"),
        (
            '<tbx><text><body><conceptEntry id="x1"><langSec xml:lang="en"><termSec><term>a</term></termSec>'
            "</langSec></conceptEntry></body></text></tbx>",
            "a concept needs a Chinese and an English term",
        ),
        (
            '<tbx><text><body><conceptEntry id="aa"><ref type="crossReference" target="zz">x</ref>'
            '<langSec xml:lang="zh"><termSec><term>甲乙</term></termSec></langSec><langSec xml:lang="en">'
            "<termSec><term>a b</term></termSec></langSec></conceptEntry></body></text></tbx>",
            "cross-reference to 'zz', not in the file",
        ),
    ],
)
def test_unusable_tbx_is_reported(
    runner: CliRunner, data_dir: Path, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.tbx"
    path.write_text(content, encoding="utf-8")
    before = snapshot(data_dir)
    result = run(runner, "tbx", str(path), "--data", str(data_dir))
    assert result.exit_code == 1
    assert message in result.stderr
    assert snapshot(data_dir) == before


def test_conflicting_file_entries_are_reported_where_they_are(tmp_path: Path, data_dir: Path) -> None:
    """Whole-base rules (here: a Chinese form naming two entries) are checked before anything is written."""
    path = tmp_path / "dup.csv"
    path.write_text("id,zh,en\nnew-one,揭榜挂帅,open competition\n", encoding="utf-8")
    path.write_text("id,zh,en\nnew-one,全新词语,new term\nnew-two,悬赏制,bounty\n", encoding="utf-8")
    report = imports.run(data_dir, path, "csv")
    # 悬赏制 is a variant of an existing entry: that entry is matched, and it differs.
    assert [p.message for p in report.problems] == [
        "entry 'winner-takes-all-open-competition' already exists and differs from the import: "
        "use --merge to merge it"
    ]
    path.write_text("id,zh,en\nnew-one,全新词语,new term\nnew-two,全新的词,another\n", encoding="utf-8")
    path.write_text(path.read_text("utf-8") + "new-three,全新词语,third\n", encoding="utf-8")
    before = snapshot(data_dir)
    report = imports.run(data_dir, path, "csv")
    assert [(p.file, p.line, p.entry) for p in report.problems] == [
        ("dup.csv", 2, "new-one"),
        ("dup.csv", 4, "new-three"),
    ]
    assert all("duplicate zh '全新词语'" in p.message for p in report.problems)
    assert not report.written and snapshot(data_dir) == before


def test_external_tbx_basic(tmp_path: Path) -> None:
    """TBX-Basic from another tool: ids, sources, statuses, variants and notes mapped, the rest counted."""
    target = tmp_path / "data"
    report = imports.run(target, EXCHANGE / "external-basic.tbx", "tbx")
    assert report.ok, report.problems
    assert sorted(report.added) == ["national-laboratory", "science-and-technology-power"]
    assert report.sources_added == ["external-basic"]
    assert "1 langSec in de skipped" in report.warnings
    base = store.load(target)
    source = base.sources["external-basic"]
    assert (source.title, source.kind.value) == ("ACME policy glossary", "reference")
    lab = base.entries["national-laboratory"]
    assert (lab.zh, lab.zh_variants[0].zh, lab.zh_variants[0].type) == (
        "国家实验室",
        "国家实验室体系",
        VariantType.full,
    )
    assert lab.definition == "A laboratory run on behalf of the state for strategic research."
    preferred, deprecated = lab.renderings
    assert preferred.quote == "China will build national laboratories in key fields."
    assert preferred.note == "Source: Government work report 2021"
    assert (deprecated.en, deprecated.status, deprecated.quote) == (
        "state key lab",
        Status.deprecated,
        "state key lab",
    )
    assert deprecated.note == "Confuses it with 国家重点实验室."
    assert [(n.label, n.text) for n in lab.notes] == [
        ("Subject field", "Science policy"),
        ("Note", "Used in MOST documents."),
    ]
    power = base.entries["science-and-technology-power"]
    assert (power.zh, power.zh_hant) == ("科技强国", "科技強國")
    assert [(r.en, r.status) for r in power.renderings] == [
        ("science and technology power", Status.preferred),
        ("S&T power", Status.admitted),
    ]


def test_external_tbx_v2(tmp_path: Path) -> None:
    report = imports.run(tmp_path / "data", EXCHANGE / "external-v2.tbx", "tbx")
    assert report.ok, report.problems
    entry = store.load(tmp_path / "data").entries["new-whole-nation-system"]
    assert [(r.en, r.status) for r in entry.renderings] == [
        ("new whole-nation system", Status.preferred),
        ("new type of whole-nation system", Status.admitted),
    ]


def test_external_tbx_merges_through_the_chinese(runner: CliRunner, data_dir: Path) -> None:
    """科技强国 is st-powerhouse's zh: the concept is that entry, whatever the file calls it."""
    result = run(runner, "tbx", str(EXCHANGE / "external-basic.tbx"), "--data", str(data_dir))
    assert result.exit_code == 1 and "entry 'st-powerhouse' already exists" in result.stderr
    result = run(runner, "tbx", str(EXCHANGE / "external-basic.tbx"), "--data", str(data_dir), "--merge")
    assert result.exit_code == 0, result.output
    assert "1 added, 1 merged" in result.stdout
    assert (
        "field 'renderings[science and technology power].status': keeps 'admitted', import has 'preferred'"
        in (result.stderr)
    )
    entry = store.load(data_dir).entries["st-powerhouse"]
    assert entry.preferred.en == "S&T powerhouse"
    assert next(r for r in entry.renderings if r.en == "S&T power").status is Status.admitted


def test_generic_csv_sample(tmp_path: Path) -> None:
    target = tmp_path / "data"
    report = imports.run(target, EXCHANGE / "generic.csv", "csv", options=Options(source_id="acme-list"))
    assert report.ok, report.problems
    base = store.load(target)
    bounty = base.entries["bounty-system"]
    assert [(r.en, r.status, r.sources, r.quote) for r in bounty.renderings] == [
        ("bounty system", Status.preferred, ["acme-list"], "bounty system"),
        ("reward system", Status.admitted, ["acme-list"], "reward system"),
    ]
    key = base.entries["key-technologies"]
    assert [(v.zh, v.type) for v in key.zh_variants] == [
        ("关键技", VariantType.short),
        ("核心技术", VariantType.alias),
    ]
    assert key.pinyin == "guān jiàn jì shù" and not key.pinyin_overridden, (
        "pinyin equal to the derived is not stored"
    )


def test_csv_round_trip(data_dir: Path, tmp_path: Path) -> None:
    """Generic CSV export → import (into a base with the same sources) → export gives the same CSV."""
    csv_file = export_file(data_dir, tmp_path, "csv", "export.csv")
    target = tmp_path / "data2"
    (target / "entries").mkdir(parents=True)
    shutil.copy(data_dir / "sources.yaml", target / "sources.yaml")
    report = imports.run(target, csv_file, "csv")
    assert report.ok, report.problems
    assert render(store.load(target), "csv").content == csv_file.read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("zh,translation\n中文,x\n", "header row lacks column(s) en"),
        ("zh,en,sources\n中文,x,nowhere\n", "unknown source(s) nowhere"),
        (
            "zh,en,sources\n中文,x,cset-2022-st-conference\n",
            "the words of source 'cset-2022-st-conference' are needed",
        ),
        ("zh,en,variants\n中文,x,brief:中\n", "'brief:中' is not type:中文"),
        (
            "zh,en,status\n中文,x,recommended\n",
            "Input should be 'preferred', 'admitted', 'deprecated' or 'superseded'",
        ),
        ("zh,en\nno chinese,x\n", "must contain Chinese characters"),
    ],
)
def test_bad_csv_is_reported(data_dir: Path, tmp_path: Path, csv_text: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(csv_text, encoding="utf-8")
    report = imports.run(data_dir, path, "csv")
    assert any(message in p.message for p in report.problems), report.problems
    assert not report.written


def test_dry_run_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "data"
    result = run(runner, "csv", str(EXCHANGE / "generic.csv"), "--data", str(target), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("dry run: 2 added")
    assert not target.exists() or snapshot(target) == {}


def test_source_option_must_be_a_slug(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["import", "csv", str(EXCHANGE / "generic.csv"), "--source", "Not A Slug"])
    assert result.exit_code == 2 and "kebab-case slug" in result.output


def test_invalid_base_is_refused(data_dir: Path, tmp_path: Path) -> None:
    (data_dir / "entries" / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    report = imports.run(data_dir, EXCHANGE / "generic.csv", "csv")
    assert report.problems[-1].message == "fix the base before importing"


def _big_tbx(path: Path, concepts: int) -> None:
    chars = "国家科技创新发展战略体制人民建设经济社会文化"
    forms = ("".join(c) for c in itertools.product(chars, repeat=3))
    body = "".join(
        f'<conceptEntry id="c{i}"><langSec xml:lang="zh"><termSec><term>{next(forms)}</term></termSec>'
        "</langSec>"
        f'<langSec xml:lang="en"><termSec><term>term {i}</term></termSec></langSec></conceptEntry>'
        for i in range(concepts)
    )
    path.write_text(
        f'<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body>{body}</body></text></tbx>', "utf-8"
    )


@pytest.mark.parametrize(("concepts", "bar"), [(PROGRESS_FROM - 1, False), (PROGRESS_FROM, True)])
def test_progress_bar_on_large_files(runner: CliRunner, tmp_path: Path, concepts: int, bar: bool) -> None:
    path = tmp_path / "big.tbx"
    _big_tbx(path, concepts)
    result = run(runner, "tbx", str(path), "--data", str(tmp_path / "data"))
    assert result.exit_code == 0, result.output
    assert (f"reading {path.name}" in result.stderr) is bar
    assert len(store.load(tmp_path / "data").entries) == concepts


def test_staging_puts_files_back_on_failure(data_dir: Path) -> None:
    """A move that fails half-way restores the files already moved: data/ is as it was."""
    before = snapshot(data_dir)
    (data_dir / "entries" / "zz-directory.yaml").mkdir()  # a file cannot replace a directory
    files = {
        "entries/st-powerhouse.yaml": "changed",
        "entries/aa-new.yaml": "new",
        "entries/zz-directory.yaml": "x",
    }
    with Staging(data_dir) as staging:
        staging.populate(files)
        with pytest.raises(OSError):
            staging.commit()
    (data_dir / "entries" / "zz-directory.yaml").rmdir()
    assert snapshot(data_dir) == before


def test_fast_yaml_matches_the_loader_writer(real_data_dir: Path) -> None:
    """The import writes entries with libyaml; the text is exactly `store.entry_yaml`'s."""
    base = store.load(real_data_dir)
    for entry_id, rel in base.files.items():
        curated = EntryFile.model_validate(store.parse_yaml((real_data_dir / rel).read_text("utf-8")).data)
        assert imports.entry_yaml(curated) == store.entry_yaml(curated), entry_id


@pytest.mark.parametrize(
    ("text", "slug"), [("S&T powerhouse", "s-and-t-powerhouse"), ("科技", ""), ("A  b!", "a-b")]
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_readers_never_raise(tmp_path: Path, text: str) -> None:
    """Any file gives entries or problems, never an exception."""
    for reader, name in ((tbx.read, "any.tbx"), (table.read, "any.csv")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        incoming = reader(path, Options(), {}, set(), lambda items: items)
        assert incoming.entries or incoming.problems


def test_memoq_sample(tmp_path: Path) -> None:
    """memoQ's layout: entries by row, Chinese synonyms as variants, Term_Example as the quote."""
    report = imports.run(tmp_path / "data", EXCHANGE / "memoq.csv", "csv")
    assert report.ok, report.problems
    base = store.load(tmp_path / "data")
    most = base.entries["ministry-of-science-and-technology"]
    assert (most.category.value, [v.zh for v in most.zh_variants]) == ("institution", ["科技部"])
    assert [(r.en, r.status, r.sources, r.quote) for r in most.renderings] == [
        (
            "Ministry of Science and Technology",
            Status.preferred,
            ["memoq"],
            "Ministry of Science and Technology of the People's Republic of China",
        ),
        (
            "MOST",
            Status.admitted,
            ["memoq"],
            "PRC Ministry of Science and Technology (MOST; 科学技术部; 科技部) website",
        ),
    ]


def test_multiterm_sample(tmp_path: Path) -> None:
    report = imports.run(tmp_path / "data", EXCHANGE / "multiterm.csv", "csv")
    assert report.ok, report.problems
    entry = store.load(tmp_path / "data").entries["st-powerhouse"]
    assert [(r.en, r.status) for r in entry.renderings] == [
        ("S&T powerhouse", Status.preferred),
        ("world S&T superpower", Status.admitted),
    ]
    assert entry.preferred.note == "Preferred: CSET's choice."


@pytest.mark.parametrize("fmt", ["memoq-csv", "multiterm-csv"])
def test_tool_layout_exports_come_back(data_dir: Path, tmp_path: Path, fmt: str) -> None:
    """Our memoQ and MultiTerm exports import again: usable renderings in order, avoided ones with status."""
    entry = data_dir / "entries" / "st-powerhouse.yaml"
    text = entry.read_text(encoding="utf-8").replace("status: admitted", "status: deprecated", 1)
    entry.write_text(text, encoding="utf-8")
    exported = export_file(data_dir, tmp_path, fmt, "tool.csv")
    report = imports.run(tmp_path / "data2", exported, "csv")
    assert report.ok, report.problems
    original = store.load(data_dir).entries["st-powerhouse"]
    (imported,) = [e for e in store.load(tmp_path / "data2").entries.values() if e.zh == "科技强国"]
    assert sorted((r.en, r.status) for r in imported.renderings) == sorted(
        (r.en, r.status) for r in original.renderings
    )
    assert [v.zh for v in imported.zh_variants] == ["世界科技强国"]


def test_official_tbx_basic_example_is_read_not_imported(tmp_path: Path) -> None:
    """The official TBX-Basic example (English-Spanish) is read through — transactions, images, groups — and
    refused concept by concept: the base is Chinese-English."""
    example = (
        Path(__file__).resolve().parent.parent.parent / "shared" / "tbx" / "Example_Astronomy_DCA_VALID.tbx"
    )
    if not example.is_file():
        pytest.skip(f"official TBX example not found at {example}")
    report = imports.run(tmp_path / "data", example, "tbx")
    messages = {p.message for p in report.problems}
    assert messages == {"a concept needs a Chinese and an English term"}
    assert len(report.problems) == example.read_text(encoding="utf-8").count("<conceptEntry ")
    assert not (tmp_path / "data").exists()


def test_two_concepts_matching_one_entry_are_reported(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text(
        "id,zh,en\nst-powerhouse,科技强国,S&T powerhouse\nother,世界科技强国,world power\n", "utf-8"
    )
    report = imports.run(data_dir, path, "csv", merge=True)
    assert [p.message for p in report.problems] == [
        "a second concept in the file matches entry 'st-powerhouse' (same id or Chinese)"
    ]


def test_a_differing_source_is_kept_and_reported(data_dir: Path, tmp_path: Path) -> None:
    text = export_file(data_dir, tmp_path).read_text(encoding="utf-8")
    path = tmp_path / "source.tbx"
    path.write_text(text.replace('<item type="publisher">CGTN</item>', '<item type="publisher">Other</item>'))
    report = imports.run(data_dir, path, "tbx")
    assert report.ok and report.unchanged
    assert report.conflicts == [
        "sources.yaml: source 'cgtn-2023-how-china-works' differs from the import: keeps it"
    ]
    assert store.load(data_dir).sources["cgtn-2023-how-china-works"].publisher == "CGTN"
