"""The curator's rendering (`attested: false`) and formula members that link to entries, through every layer:
model, loader, quote check, exports and their imports, the checker and the API."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from glossary import imports
from glossary.base import pinyin, quotes, stats, store
from glossary.base.model import Rendering
from glossary.check.checker import Checker
from glossary.check.report import CheckRequest
from glossary.export import render
from glossary.export import tbx as fmt
from glossary.export.tabular import CURATORS_LABEL

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "data"
CURATORS_EN = "four orientations"
MEMBER_ENTRY = """\
id: cutting-edge-of-world-st
zh: 面向世界科技前沿
category: concept
zh_attested: false
zh_note: The curator's Chinese.
renderings:
  - en: being oriented toward the cutting edge of world S&T
    status: preferred
    sources: [cset-2022-st-conference]
    quote: Persist in (1) being oriented toward the cutting edge of world S&T
"""


def curated_copy(directory: Path) -> Path:
    """The fixture base, with a curator's rendering preferred for 四个面向 and its first member an entry."""
    shutil.copytree(FIXTURE_DATA, directory)
    path = directory / "entries" / "four-orientations.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for rendering in data["renderings"]:
        rendering["status"] = "admitted"
    data["renderings"].insert(
        0,
        {"en": CURATORS_EN, "status": "preferred", "attested": False, "note": "CSET's is not English."},
    )
    data["members"][0]["entry"] = "cutting-edge-of-world-st"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (directory / "entries" / "cutting-edge-of-world-st.yaml").write_text(MEMBER_ENTRY, encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def curated_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return curated_copy(tmp_path_factory.mktemp("curators") / "data")


@pytest.fixture(scope="module")
def base(curated_dir: Path) -> store.TermBase:
    return store.load(curated_dir)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"sources": ["cset-2022-st-conference"], "note": "why"}, "has no sources, quote or quotes"),
        ({"quote": "the words", "note": "why"}, "has no sources, quote or quotes"),
        ({}, "needs a note saying why"),
        ({"note": "  "}, "needs a note saying why"),
    ],
)
def test_a_curators_rendering_has_no_evidence_and_says_why(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Rendering.model_validate({"en": "x", "status": "preferred", "attested": False, **fields})


def test_an_attested_rendering_still_needs_its_source_and_quote() -> None:
    with pytest.raises(ValidationError, match="needs at least one source"):
        Rendering.model_validate({"en": "x", "status": "preferred", "quote": "x"})
    with pytest.raises(ValidationError, match="needs the quote"):
        Rendering.model_validate({"en": "x", "status": "preferred", "sources": ["cset-2022-st-conference"]})


def test_the_loader_keeps_it_preferred_and_quotes_skip_it(base: store.TermBase, seeds_dir: Path) -> None:
    entry = base.entries["four-orientations"]
    assert (entry.preferred.en, entry.preferred.attested, entry.preferred.sources) == (CURATORS_EN, False, [])
    checked, problems = quotes.verify(base, seeds_dir)
    assert checked and not problems, problems
    assert stats.counts(base)["curator_renderings"] == 1


def test_member_entry_links_are_validated(curated_dir: Path, tmp_path: Path) -> None:
    target = shutil.copytree(curated_dir, tmp_path / "data")
    path = target / "entries" / "four-orientations.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("cutting-edge-of-world-st", "no-such-entry"))
    _, problems = store.inspect(target)
    (problem,) = problems
    assert (problem.file, problem.entry, problem.field) == (
        "entries/four-orientations.yaml",
        "four-orientations",
        "members[0].entry",
    )
    assert problem.line and "'no-such-entry' does not exist" in problem.message


def test_members_get_pinyin_derived_and_overridden(base: store.TermBase) -> None:
    exported = base.entries["four-orientations"].export()
    members = exported["members"]
    assert isinstance(members, list)
    assert members[0]["pinyin"] == "miàn xiàng shì jiè kē jì qián yán"
    assert members[0]["entry"] == "cutting-edge-of-world-st"
    assert all(m["pinyin"] for m in members)


def test_plus_is_read_jia() -> None:
    assert pinyin.derive("智能+") == "zhì néng jiā"
    assert pinyin.problems("互联网+", "hù lián wǎng jiā") == []


def test_exports_say_the_rendering_is_the_curators(base: store.TermBase) -> None:
    (entry,) = [e for e in json.loads(render(base, "json").content) if e["id"] == "four-orientations"]
    assert entry["renderings"][0] == {**entry["renderings"][0], "en": CURATORS_EN, "attested": False}
    rows = list(csv.DictReader(io.StringIO(str(render(base, "csv").content))))
    (row,) = [r for r in rows if r["en"] == CURATORS_EN]
    assert (row["attested"], row["sources"], row["quote"], row["status"]) == ("no", "", "", "preferred")
    assert all(r["attested"] == "yes" for r in rows if r["en"] != CURATORS_EN)
    assert CURATORS_LABEL in str(render(base, "multiterm-csv").content)
    tbx = render(base, "tbx").content
    assert isinstance(tbx, bytes) and fmt.CURATORS.encode() in tbx
    assert b"Member 1 entry: cutting-edge-of-world-st" in tbx


@pytest.mark.parametrize("kind", ["tbx", "csv"])
def test_imports_read_it_back(base: store.TermBase, tmp_path: Path, kind: str) -> None:
    exported = tmp_path / f"export.{kind}"
    content = render(base, kind).content
    exported.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    target = tmp_path / "empty"
    (target / "entries").mkdir(parents=True)
    shutil.copy(FIXTURE_DATA / "sources.yaml", target / "sources.yaml")  # a CSV names sources; a TBX has them
    report = imports.run(target, exported, kind)
    assert report.ok, report.problems
    back = store.load(target).entries["four-orientations"]
    assert (back.preferred.en, back.preferred.attested, back.preferred.sources) == (CURATORS_EN, False, [])
    if kind == "tbx":
        assert back.members[0].entry == "cutting-edge-of-world-st"


def test_the_checker_and_status_filters_get_the_good_one(base: store.TermBase) -> None:
    checker = Checker.for_base(base)
    segment = {"source": "坚持四个面向", "target": f"keep to the {CURATORS_EN}"}
    report = checker.check(CheckRequest.model_validate({"segments": [segment]}))
    assert not [f for f in report.findings if f.kind == "missing_rendering"]
    segment = {"source": "坚持四个面向", "target": "keep to the four goals"}
    report = checker.check(CheckRequest.model_validate({"segments": [segment]}))
    (missing,) = [f for f in report.findings if f.kind == "missing_rendering"]
    assert missing.suggestion == CURATORS_EN


def test_the_api_says_so(curated_dir: Path, tmp_path: Path) -> None:
    from service import create_app

    app = create_app({"DATA_DIR": curated_dir, "INDEX_DIR": tmp_path / "index", "REFERENCE": False})
    client = app.test_client()
    term = client.get("/api/v1/terms/four-orientations").get_json()
    assert term["renderings"][0]["attested"] is False and term["renderings"][0]["sources"] == []
    listed = client.get("/api/v1/terms?status=preferred&category=formula").get_json()
    assert CURATORS_EN in json.dumps(listed)
    found = client.get("/api/v1/search?q=four+orientations").get_json()
    assert found["results"][0]["id"] == "four-orientations"
