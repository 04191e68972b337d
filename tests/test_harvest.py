"""`glossary harvest` on real official text: candidates the base lacks, their English, valid drafts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from glossary.base import quotes, store
from glossary.cli import cli
from glossary.harvest import HarvestError, harvest, write
from glossary.harvest.bitext import read_layout

CORPUS = Path(__file__).resolve().parent / "corpus"
# Dev documents of the corpus (never the held-out ones, on which the harvester's precision is measured).
GWR_2025 = CORPUS / "gwr-2025.txt"
CONGRESS = CORPUS / "cpc-20th-congress-report.txt"
GWR_2023 = CORPUS / "gwr-2023.txt"


def _forms(base: store.TermBase) -> set[str]:
    return {form for entry in base.entries.values() for form in entry.chinese_forms()}


def test_drafts_from_real_text_validate_and_their_quotes_verify(real_data_dir: Path, tmp_path: Path) -> None:
    base = store.load(real_data_dir)
    result = harvest([GWR_2025, GWR_2023], base, limit=30)
    written = write(result, tmp_path / "out", base)
    assert written, "no draft written"
    drafts = store.load(tmp_path / "out")  # the loader accepts the folder as a base of its own
    checked, problems = quotes.verify(drafts, tmp_path / "out" / "texts")
    assert problems == [] and checked >= len(written)
    source_text = GWR_2025.read_text(encoding="utf-8") + GWR_2023.read_text(encoding="utf-8")
    for entry in drafts.entries.values():
        assert entry.zh_attested and entry.zh in source_text
        assert entry.renderings[0].en in entry.renderings[0].quote
        assert entry.context is not None and entry.zh in entry.context.zh
    # The real base's own terms are never proposed.
    assert not {c.zh for c in result.candidates} & _forms(base)


def test_a_term_in_the_base_is_not_proposed_nor_its_fragments(data_dir: Path) -> None:
    before = harvest([GWR_2025], store.load(data_dir), limit=50)
    assert "差异化监管制度" in [c.zh for c in before.candidates]
    entry = {
        "id": "differentiated-oversight-system",
        "zh": "差异化监管制度",
        "category": "mechanism",
        "zh_attested": False,
        "renderings": [
            {
                "en": "differentiated oversight system",
                "status": "preferred",
                "sources": ["cset-2022-st-conference"],
                "quote": "differentiated oversight system",
            }
        ],
    }
    (data_dir / "entries" / "differentiated-oversight-system.yaml").write_text(
        yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8"
    )
    after = [c.zh for c in harvest([GWR_2025], store.load(data_dir), limit=50).candidates]
    assert not [zh for zh in after if zh in "差异化监管制度" or "差异化监管制度" in zh]


def test_policy_formula_patterns_rank_first(data_dir: Path) -> None:
    # On a base without them, the X强国 terms of the 20th Congress report are the top candidates.
    result = harvest([CONGRESS], store.load(data_dir), limit=10)
    top = {c.zh: c for c in result.candidates[:3]}
    assert {"人才强国", "教育强国"} <= set(top)
    assert top["人才强国"].pattern == "power"


def test_english_with_the_dictionary(data_dir: Path, cedict_path: Path) -> None:
    result = harvest([GWR_2023], store.load(data_dir), limit=30, dictionary=cedict_path)
    proposed = {c.zh: c for c in result.candidates}
    assert proposed["核电技术"].en == "nuclear power technology"
    # "range-based, targeted, well-timed, and precision regulation": no n-gram renders 区间调控 alone, and the
    # harvester says so rather than propose a fragment.
    assert proposed["区间调控"].en is None
    for c in result.candidates:
        assert c.en is None or (
            c.en in (c.en_sentence or "") and c.en_sentence in GWR_2023.read_text("utf-8")
        )


def _pairs() -> list[tuple[str, str]]:
    doc = read_layout(GWR_2025.read_text(encoding="utf-8"), GWR_2025)
    return [(p.zh, p.en) for p in doc.pairs]


def _xliff(pairs: list[tuple[str, str]], version: str) -> bytes:
    if version == "1.2":
        root = etree.Element("xliff", version="1.2", nsmap={None: "urn:oasis:names:tc:xliff:document:1.2"})
        body = etree.SubElement(etree.SubElement(root, "file", original="x", datatype="plaintext"), "body")
        for n, (zh, en) in enumerate(pairs, start=1):
            unit = etree.SubElement(body, "trans-unit", id=str(n))
            etree.SubElement(unit, "source").text = zh
            etree.SubElement(unit, "target").text = en
    else:
        root = etree.Element("xliff", version="2.0", nsmap={None: "urn:oasis:names:tc:xliff:document:2.0"})
        root.set("srcLang", "zh")
        file = etree.SubElement(root, "file", id="f")
        for n, (zh, en) in enumerate(pairs, start=1):
            segment = etree.SubElement(etree.SubElement(file, "unit", id=str(n)), "segment")
            etree.SubElement(segment, "source").text = zh
            etree.SubElement(segment, "target").text = en
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_every_input_format_gives_the_same_candidates(data_dir: Path, tmp_path: Path) -> None:
    base = store.load(data_dir)
    pairs = _pairs()
    expected = [c.zh for c in harvest([GWR_2025], base).candidates]
    tsv = tmp_path / "draft.tsv"
    tsv.write_text("source\ttarget\n" + "".join(f"{zh}\t{en}\n" for zh, en in pairs), encoding="utf-8")
    x12, x20 = tmp_path / "draft.xlf", tmp_path / "draft2.xliff"
    x12.write_bytes(_xliff(pairs, "1.2"))
    x20.write_bytes(_xliff(pairs, "2.0"))
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("\n\n".join(z for z, _ in pairs), encoding="utf-8")
    en.write_text("\n\n".join(e for _, e in pairs), encoding="utf-8")
    for inputs in ([tsv], [x12], [x20], [zh, en]):
        assert [c.zh for c in harvest(inputs, base).candidates] == expected, inputs


def test_the_output_folder_is_never_the_base(data_dir: Path) -> None:
    base = store.load(data_dir)
    result = harvest([GWR_2025], base)
    for out in (data_dir, data_dir / "entries", data_dir.parent):
        with pytest.raises(HarvestError, match="may not be the base"):
            write(result, out, base)
    assert sorted(p.name for p in (data_dir / "entries").iterdir()) == sorted(
        p.name for p in (Path(__file__).parent / "fixtures" / "data" / "entries").iterdir()
    )


def test_cli_prints_a_ranked_table_or_json(data_dir: Path, tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "drafts"
    args = ["harvest", str(GWR_2025), "-o", str(out), "--data", str(data_dir), "--limit", "5"]
    table = runner.invoke(cli, args)
    assert table.exit_code == 0, table.output
    assert "差异化监管制度" in table.output and "draft entr" in table.output
    again = runner.invoke(cli, args)
    assert again.exit_code == 2 and "already holds drafts" in again.stderr
    (out / "entries" / "stale-draft.yaml").write_text("id: stale-draft\n", encoding="utf-8")
    result = runner.invoke(cli, [*args, "--json", "--overwrite"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["segments"] == 3 and len(report["candidates"]) == 5
    assert [c["rank"] for c in report["candidates"]] == [1, 2, 3, 4, 5]
    assert all(Path(p).is_file() for p in report["drafts"])
    assert not (out / "entries" / "stale-draft.yaml").exists()
    assert runner.invoke(cli, ["validate", "--data", str(out)]).exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("只有中文，没有英文。\n", "not bilingual"),
        ("# T\n\nen: English without Chinese\n", "1 English-only paragraph(s) and no 'zh:'/'en:' pairs"),
        ("# T\n\nzh: 中文\nzh: 又一段\nen: English\n", "a second 'zh:'"),
        ("source\ttarget\textra\n", "columns"),
    ],
)
def test_unreadable_input_exits_2_naming_the_file(
    data_dir: Path, tmp_path: Path, runner: CliRunner, content: str, message: str
) -> None:
    path = tmp_path / ("bad.tsv" if "\t" in content else "bad.txt")
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["harvest", str(path), "-o", str(tmp_path / "o"), "--data", str(data_dir)])
    assert result.exit_code == 2
    assert message in result.stderr and str(path) in result.stderr
    assert not (tmp_path / "o").exists()
