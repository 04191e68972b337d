"""The plain source/target layouts, read by the real tools: translate-toolkit's csv store (`pairs-csv`) and
OmegaT's CSV and tab-separated glossary readers (`omegat-csv`, `omegat`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from test_export_tbx2 import omegat_read

from glossary.base import store
from glossary.export import render
from glossary.export.tabular import pair_rows


def _write(data_dir: Path, fmt: str, path: Path) -> Path:
    content = render(store.load(data_dir), fmt).content
    assert isinstance(content, str)
    path.write_bytes(content.encode("utf-8"))
    return path


def test_translate_toolkit_reads_pairs(real_data_dir: Path, tmp_path: Path) -> None:
    """Every row is a unit with its source, target and comment (the notes column)."""
    csvl10n = pytest.importorskip("translate.storage.csvl10n")
    path = _write(real_data_dir, "pairs-csv", tmp_path / "glossary-pairs.csv")
    units = csvl10n.csvfile.parsefile(str(path)).units
    rows = pair_rows(store.load(real_data_dir))
    assert [(u.source, u.target, u.getnotes()) for u in units] == [tuple(r) for r in rows]
    assert ("科技强国", "S&T powerhouse") in {(u.source, u.target) for u in units}


def test_translate_toolkit_reads_nothing_of_the_generic_csv(real_data_dir: Path, tmp_path: Path) -> None:
    """Why `pairs-csv` exists: the generic layout's header names no column translate-toolkit knows."""
    csvl10n = pytest.importorskip("translate.storage.csvl10n")
    path = _write(real_data_dir, "csv", tmp_path / "glossary.csv")
    units = csvl10n.csvfile.parsefile(str(path)).units
    assert units and all(not u.source and not u.target for u in units)


def test_omegat_reads_the_csv_and_tsv_glossaries_alike(real_data_dir: Path, tmp_path: Path) -> None:
    """OmegaT's GlossaryReaderCSV and GlossaryReaderTSV give the same entries, with no header entry."""
    from_csv = omegat_read(_write(real_data_dir, "omegat-csv", tmp_path / "glossary-omegat.csv"))
    from_tsv = omegat_read(_write(real_data_dir, "omegat", tmp_path / "glossary.utf8"))
    rows = pair_rows(store.load(real_data_dir))
    assert from_csv == from_tsv == [list(r) for r in rows]
    assert all(source not in ("source", "# source") for source, _, _ in from_csv)


def test_omegat_reads_the_generic_csv_as_id_to_zh(real_data_dir: Path, tmp_path: Path) -> None:
    """Why `omegat-csv` exists: OmegaT takes the first three columns of any .csv."""
    read = omegat_read(_write(real_data_dir, "csv", tmp_path / "glossary.csv"))
    assert read[0] == ["id", "zh", "zh_hant"]


def test_pairs_cells_are_one_line(real_data_dir: Path) -> None:
    """A cell never holds a line break or a tab (OmegaT reads its glossaries line by line)."""
    content = render(store.load(real_data_dir), "pairs-csv").content
    assert isinstance(content, str)
    for line in io.StringIO(content, newline=""):
        assert "\t" not in line and line.endswith("\r\n") and "\n" not in line[:-2]
