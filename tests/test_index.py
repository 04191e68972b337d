"""The index: where it lives, atomic swaps, automatic rebuilds, the reference layer, and its key tables."""

from __future__ import annotations

import gzip
import itertools
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary.base import store
from glossary.base.cedict import read_cedict
from glossary.search import analysis, concordance, index, keys, layerfile
from glossary.search.keys import KeyTable, TextTable
from glossary.search.reference import import_cedict
from glossary.search.searcher import Searcher
from glossary.search.spelling import Speller, distance

# --- location -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "env", "expected"),
    [
        ("/explicit", {"GLOSSARY_INDEX_DIR": "/env", "XDG_CACHE_HOME": "/xdg"}, "/explicit"),
        (None, {"GLOSSARY_INDEX_DIR": "/env", "XDG_CACHE_HOME": "/xdg"}, "/env"),
        (None, {"XDG_CACHE_HOME": "/xdg"}, "/xdg/glossary"),
        (None, {"HOME": "/home/reader"}, "/home/reader/.cache/glossary"),
    ],
)
def test_index_root(
    monkeypatch: pytest.MonkeyPatch, argument: str | None, env: dict[str, str], expected: str
) -> None:
    for name in ("GLOSSARY_INDEX_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert index.root(argument) == Path(expected)


def test_build_writes_a_version_and_points_at_it(data_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    built = index.build_curated(store.load(data_dir), root)
    home = index.curated_home(root, data_dir)
    assert built.parent == home and index.current(home) == built
    name = f"{store.content_hash(data_dir)}-f{index.FORMAT}"
    assert (home / index.POINTER).read_text().strip() == built.name == name
    assert {p.name for p in built.iterdir()} == {index.KEYS_FILE, index.META_FILE, concordance.FILE}
    assert not list(home.glob(".tmp-*"))
    data = index.load_layer(built)
    assert len(data.docs) == len(list((data_dir / "entries").glob("*.yaml")))


def test_ensure_reuses_an_index_of_unchanged_data(data_dir: Path, tmp_path: Path) -> None:
    first = index.ensure_curated(data_dir, tmp_path)
    stamp = (first / index.META_FILE).stat().st_mtime_ns
    assert index.ensure_curated(data_dir, tmp_path) == first
    assert (first / index.META_FILE).stat().st_mtime_ns == stamp


def _rename(data_dir: Path, old: str, new: str) -> None:
    path = data_dir / "entries" / "st-powerhouse.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def _eager(searcher: Searcher) -> Searcher:
    searcher.check_interval = searcher.data_check_interval = 0.0
    return searcher


def test_changed_data_is_rebuilt_and_picked_up(data_dir: Path, tmp_path: Path) -> None:
    searcher = _eager(Searcher.open(data_dir, tmp_path, reference=False))
    before = searcher.version
    assert searcher.check_data() is False
    assert searcher.reload_if_changed() is False
    assert searcher.search("hub of science").total == 0
    _rename(data_dir, "en: S&T powerhouse", "en: hub of science")
    assert searcher.check_data() is True  # what the watcher thread does every data_check_interval
    assert searcher.reload_if_changed() is True
    assert searcher.version != before
    assert searcher.search("hub of science").results[0].id == "st-powerhouse"
    assert searcher.reload_if_changed() is False
    # A second process opening the same data sees the same, already built, version.
    assert Searcher.open(data_dir, tmp_path, reference=False).version == searcher.version


def test_the_watcher_thread_rebuilds_after_an_edit(data_dir: Path, tmp_path: Path) -> None:
    searcher = Searcher.open(data_dir, tmp_path, reference=False)
    searcher.check_interval, searcher.data_check_interval = 0.0, 0.05
    searcher.reload_if_changed()  # starts the watcher
    _rename(data_dir, "en: S&T powerhouse", "en: hub of science")
    deadline = time.monotonic() + 30
    while not searcher.reload_if_changed():
        assert time.monotonic() < deadline, "the watcher did not rebuild the index"
        time.sleep(0.05)
    assert searcher.search("hub of science").results[0].id == "st-powerhouse"


def test_a_swap_does_not_disturb_an_open_searcher(data_dir: Path, tmp_path: Path) -> None:
    old = Searcher.open(data_dir, tmp_path, reference=False)  # never reloads: check_interval stays
    old.check_interval = 3600.0
    _rename(data_dir, "en: S&T powerhouse", "en: hub of science")
    new = Searcher.open(data_dir, tmp_path, reference=False)
    assert new.version != old.version
    assert old.search("S&T powerhouse").results[0].match.kind == "rendering"
    assert new.search("hub of science").results[0].match.kind == "rendering"


def test_concurrent_builds_of_one_base_make_one_version(data_dir: Path, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        built = list(pool.map(lambda _: index.ensure_curated(data_dir, tmp_path), range(4)))
    home = index.curated_home(tmp_path, data_dir)
    assert len(set(built)) == 1 and index.current(home) == built[0]
    assert [p.name for p in home.iterdir() if p.is_dir()] == [built[0].name]


def test_old_versions_are_pruned(data_dir: Path, tmp_path: Path) -> None:
    for name in ("hub one", "hub two", "hub three", "hub four"):
        _rename(data_dir, "en: S&T powerhouse", f"en: {name}")
        index.ensure_curated(data_dir, tmp_path)
        _rename(data_dir, f"en: {name}", "en: S&T powerhouse")
    home = index.curated_home(tmp_path, data_dir)
    versions = [p for p in home.iterdir() if p.is_dir()]
    assert len(versions) == index.KEEP_VERSIONS
    assert index.current(home) in versions


def test_invalid_data_keeps_the_last_good_index(
    data_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    searcher = _eager(Searcher.open(data_dir, tmp_path, reference=False))
    before = searcher.version
    (data_dir / "entries" / "broken.yaml").write_text("id: broken\nzh: [", encoding="utf-8")
    assert searcher.check_data() is False
    assert searcher.reload_if_changed() is False
    assert searcher.version == before and searcher.search("sgmx").total == 1
    assert "last good index" in caplog.text


# --- the reference layer --------------------------------------------------------------------------------

SAMPLE = "科技 科技 [ke1 ji4] /science and technology/\n西安 西安 [Xi1 an1] /Xi'an/\n"


def test_a_layer_built_by_another_index_format_is_never_opened(
    data_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sample = tmp_path / "sample.u8"
    sample.write_text(SAMPLE, encoding="utf-8")
    built = import_cedict(sample, tmp_path / "index")
    home = built.parent
    old = built.with_name(built.name.replace(f"-f{index.FORMAT}", f"-f{index.FORMAT - 1}"))
    built.rename(old)
    (home / index.POINTER).write_text(old.name, encoding="utf-8")
    assert index.current(home) is None
    assert "built with index format" in caplog.text
    searcher = _eager(Searcher.open(data_dir, tmp_path / "index"))
    assert [layer.name for layer in searcher.layers] == ["curated"]
    assert searcher.search("西安").total == 0


def test_reference_layer_can_be_switched_off(data_dir: Path, tmp_path: Path) -> None:
    sample = tmp_path / "sample.u8"
    sample.write_text(SAMPLE, encoding="utf-8")
    import_cedict(sample, tmp_path / "index")
    searcher = _eager(Searcher.open(data_dir, tmp_path / "index"))
    assert [layer.name for layer in searcher.layers] == ["curated", "reference"]
    assert searcher.search("西安").results[0].layer == "reference"
    assert [layer.name for layer in Searcher.open(data_dir, tmp_path / "index", reference=False).layers] == [
        "curated"
    ]
    assert index.remove_reference(tmp_path / "index") is True
    assert searcher.reload_if_changed() is True
    assert searcher.search("西安").total == 0
    assert index.remove_reference(tmp_path / "index") is False


def test_cli_build_import_and_remove(data_dir: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from glossary.cli import cli

    runner, root = CliRunner(), str(tmp_path / "index")
    result = runner.invoke(cli, ["build", "--data", str(data_dir), "--index-dir", root])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("built 4 entries into ")
    sample = tmp_path / "sample.u8"
    sample.write_text(SAMPLE, encoding="utf-8")
    result = runner.invoke(cli, ["import", "cedict", str(sample), "--index-dir", root])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("reference layer: 2 entries into ")
    search = ["search", "西安", "--data", str(data_dir), "--index-dir", root]
    assert "[reference; characters: zh 西安]" in runner.invoke(cli, search).stdout
    result = runner.invoke(cli, ["import", "remove-cedict", "--index-dir", root])
    assert result.stdout == "reference layer removed\n"
    assert runner.invoke(cli, search).stdout == ""
    result = runner.invoke(cli, [*search, "--layer", "reference"])
    assert "no reference layer: build it with `glossary import cedict FILE`" in result.stderr


def test_real_cedict_entries_are_found_by_characters_and_pinyin(
    cedict_path: Path, tmp_path: Path, data_dir: Path
) -> None:
    sample = tmp_path / "cedict_head.u8"
    with gzip.open(cedict_path, "rt", encoding="utf-8") as handle:
        sample.write_text("".join(itertools.islice(handle, 20000, 23000)), encoding="utf-8")
    entries = list(read_cedict(sample))
    import_cedict(sample, tmp_path / "index")
    searcher = Searcher.open(data_dir, tmp_path / "index")
    for entry in entries[::13]:
        wanted = f"cedict-{entry.line}"
        by_chars = searcher.search(entry.trad, layer="reference", limit=200)
        assert wanted in {r.id for r in by_chars.results if r.match.kind == "characters"}, entry
        by_pinyin = searcher.search(entry.pinyin_numbers, layer="reference", limit=200)
        assert wanted in {r.id for r in by_pinyin.results}, entry


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S&T powerhouse", ["powerhous"]),  # one-letter words out
        ("Powerhouses of the world", ["powerhous", "world"]),  # stop words out
        ("being oriented toward the cutting edge of world S&T",
         ["be", "orient", "toward", "cut", "edg", "world"]),
        ('The "two establishes" (“两个确立”) are: (1) Establish',
         ["two", "establish", "两个确立", "establish"]),
        ("v1.2 e.g. U.S. 2030", ["v1.2", "e.g", "u.", "2030"]),
    ],
)
def test_stems_are_the_analysers(text: str, expected: list[str]) -> None:
    """The tokens and stop words of Whoosh's StemmingAnalyzer, with the reference Porter stems."""
    assert analysis.stems(text) == expected


@pytest.mark.parametrize(("word", "other"), [("powerhouses", "powerhouse"), ("dropped", "drop"),
                                             ("modernized", "modernize"), ("countries", "country")])
def test_inflections_share_a_stem(word: str, other: str) -> None:
    assert analysis.stem_of(word) == analysis.stem_of(other)


# --- key tables and spelling ----------------------------------------------------------------------------

PAIRS = [("si ge", 1), ("si ge mian xiang", 2), ("si", 3), ("sige", 4), ("si ge", 5), ("shi", 6)]


@pytest.mark.parametrize(
    ("key", "exact", "prefix"),
    [
        ("si ge", [1, 5], [2]),
        ("si", [3], [4, 1, 5, 2]),  # shortest key first
        ("s", [], [3, 6, 4, 1, 5, 2]),
        ("x", [], []),
    ],
)
@pytest.mark.parametrize("prefixes", [False, True])
def test_key_table(key: str, exact: list[int], prefix: list[int], prefixes: bool) -> None:
    table = KeyTable(PAIRS, prefixes=prefixes)
    assert table.exact(key) == exact
    assert table.prefix(key) == prefix
    assert table.prefix(key, proper=False) == sorted(
        exact + prefix, key=lambda d: prefix.index(d) if d in prefix else -1
    )


def test_a_long_prefix_range_is_ordered_only_as_far_as_asked() -> None:
    pairs = [(f"s{'a' * (i % 7)}{i:05d}", i) for i in range(5000)] + [("s", 9999), ("x", 1)]
    table = KeyTable(pairs, prefixes=True)
    found = table.prefixed("s")
    assert found.first is not None  # 5,000 keys: over the range sorted whole
    ordered = [d for _, _, d in sorted((len(k), k, d) for k, d in pairs if k.startswith("s") and k != "s")]
    assert sorted(found.docs) == sorted(ordered)
    assert found.head(10)[:10] == ordered[:10]
    assert table.prefix("s") == ordered
    assert table.prefix("s", proper=False) == [9999, *ordered]


KEYS = st.lists(st.tuples(st.text("abcé ", max_size=5), st.integers(0, 20)), max_size=40)


@given(KEYS, st.text("abcé ", max_size=3), st.booleans())
def test_key_table_agrees_with_a_scan(pairs: list[tuple[str, int]], probe: str, prefixes: bool) -> None:
    table = KeyTable(pairs, prefixes=prefixes)
    unique = sorted({(len(k), k, d) for k, d in pairs if k})
    assert table.exact(probe) == [d for n, k, d in unique if k == probe]
    assert table.prefix(probe) == [d for n, k, d in unique if k.startswith(probe) and n > len(probe)]
    assert table.prefix(probe, proper=False) == [d for n, k, d in unique if k.startswith(probe)]


@given(KEYS, st.text("abcé ", max_size=5))
def test_exact_by_hash_and_by_bisection_agree(pairs: list[tuple[str, int]], probe: str) -> None:
    hashed, bisected = KeyTable(pairs), KeyTable(pairs)
    bisected.__dict__["_hashes"] = {length: None for length in bisected.keys}  # as for a large bucket
    assert hashed.exact(probe) == bisected.exact(probe)


def test_the_hash_index_is_built_for_small_buckets_only_and_never_stored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = KeyTable(PAIRS)
    assert table.exact("si ge") == [1, 5] and table.__dict__["_hashes"][5] is not None
    assert set(layerfile._encode(table)["key_table"]) == {"lengths", "keys", "docs", "run"}  # no _hashes
    monkeypatch.setattr(keys, "_HASHED_UP_TO", 1)
    large = KeyTable(PAIRS)
    assert large.exact("si ge") == [1, 5] and large.__dict__["_hashes"][5] is None


@given(
    st.lists(st.tuples(st.text("科技强国世界", min_size=1, max_size=6), st.integers(0, 9)), max_size=30),
    st.text("科技强国", min_size=1, max_size=2),
)
def test_text_table_agrees_with_a_scan(items: list[tuple[str, int]], needle: str) -> None:
    expected = [d for n, t, d in sorted({(len(t), t, d) for t, d in items}) if needle in t]
    assert TextTable(items).find(needle) == expected


SPELLER = Speller(["S&T powerhouse", "tradition and traditions", "the strength of a nation", "strength"])


@pytest.mark.parametrize(
    ("word", "correction"),
    [
        ("powerhose", "powerhouse"),
        ("powrehouse", "powerhouse"),
        ("tradtion", "tradition"),
        ("strenght", "strength"),
        ("nattion", "nation"),
        ("powerhouse", None),  # known
        ("xyzzy", None),  # nothing near
        ("thr", None),  # too short to guess
    ],
)
def test_speller(word: str, correction: str | None) -> None:
    assert SPELLER.correct(word) == correction


@pytest.mark.parametrize(
    ("a", "b", "edits"),
    [("abc", "abc", 0), ("abc", "acb", 1), ("abc", "ab", 1), ("kitten", "sitting", 3), ("", "ab", 2)],
)
def test_distance(a: str, b: str, edits: int) -> None:
    assert distance(a, b) == edits == distance(b, a)
