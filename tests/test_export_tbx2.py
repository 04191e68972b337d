"""TBX v2 (`martif`) export, read back by the real tools that take only v2: translate-toolkit (what Weblate,
Pootle and Virtaal build on) and OmegaT's own glossary reader (Debian's `omegat` package), and by our
import."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_export_tbx import export_tbx, extended_dir, same_entries  # noqa: F401  (extended_dir: a fixture)

from glossary import imports
from glossary.base import store
from glossary.export import render

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
OMEGAT_READER = Path(__file__).resolve().parent / "tools" / "OmegaTGlossary.java"


def export_tbx2(data_dir: Path) -> bytes:
    content = render(store.load(data_dir), "tbx2").content
    assert isinstance(content, bytes)
    return content


def omegat_read(path: Path) -> list[list[str]]:
    """The entries OmegaT's glossary reader (chosen by extension) makes of a file: source, target, comment."""
    if not OMEGAT_JAR.is_file() or shutil.which("java") is None:
        pytest.skip(f"OmegaT not installed ({OMEGAT_JAR}; `apt-get install omegat`): cannot run its reader")
    done = subprocess.run(
        ["java", "-cp", str(OMEGAT_JAR), str(OMEGAT_READER), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return [line.split("\t") for line in done.stdout.splitlines()]


def test_translate_toolkit_reads_every_entry(real_data_dir: Path, tmp_path: Path) -> None:
    """translate-toolkit's tbx store: a unit per entry; source the Chinese, target the preferred English."""
    tbx = pytest.importorskip("translate.storage.tbx")
    path = tmp_path / "glossary-v2.tbx"
    path.write_bytes(export_tbx2(real_data_dir))
    units = tbx.tbxfile.parsefile(str(path)).units
    base = store.load(real_data_dir)
    assert [(u.source, u.target) for u in units] == [(e.zh, e.preferred.en) for e in base.entries.values()]
    note = units[0].getnotes()
    assert "Pinyin: " in note and "Category: " in note


def test_translate_toolkit_rejects_v3(real_data_dir: Path, tmp_path: Path) -> None:
    """Why the v2 export exists: the same tool cannot read the v3 default (if this ever passes, say so in the
    README)."""
    tbx = pytest.importorskip("translate.storage.tbx")
    path = tmp_path / "glossary.tbx"
    path.write_bytes(export_tbx(real_data_dir))
    with pytest.raises(AssertionError):
        tbx.tbxfile.parsefile(str(path))


def test_omegat_reads_every_rendering(extended_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    """OmegaT's GlossaryReaderTBX: an entry per Chinese form (simplified, traditional, variants) and English
    rendering, the status and notes in its comment."""
    path = tmp_path / "glossary-v2.tbx"
    path.write_bytes(export_tbx2(extended_dir))
    read = omegat_read(path)
    base = store.load(extended_dir)
    pairs = {(source, target) for source, target, _ in read}
    for entry in base.entries.values():
        for rendering in entry.renderings:
            assert (entry.zh, rendering.en) in pairs
            assert (entry.zh_hant, rendering.en) in pairs
            for variant in entry.zh_variants:
                assert (variant.zh, rendering.en) in pairs
    comments = {(s, t): c for s, t, c in read}
    assert "deprecatedTerm-admn-sts" in comments[("十四五规划", "14th Five-Year Program")]
    assert "Pinyin: shí sì wǔ guī huà" in comments[("十四五规划", "14th Five-Year Plan")]


def test_omegat_rejects_v3(extended_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    """OmegaT 3.6 stops at the v3 root element (the reason for `tbx2`)."""
    if not OMEGAT_JAR.is_file() or shutil.which("java") is None:
        pytest.skip(f"OmegaT not installed ({OMEGAT_JAR}; `apt-get install omegat`): cannot run its reader")
    path = tmp_path / "glossary.tbx"
    path.write_bytes(export_tbx(extended_dir))
    command = ["java", "-cp", str(OMEGAT_JAR), str(OMEGAT_READER), str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0 and "unexpected element" in done.stderr


def _imported(tbx_bytes: bytes, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.tbx"
    path.write_bytes(tbx_bytes)
    target = tmp_path / name
    report = imports.run(target, path, "tbx")
    assert report.ok and report.written, report.problems
    return target


def _preferred_first(data_dir: Path) -> list[tuple[str, list[str]]]:
    """Each entry's renderings as the v2 export orders them: the preferred one first, the rest in order."""
    out = []
    for entry in store.load(data_dir).entries.values():
        ordered = [entry.preferred] + [r for r in entry.renderings if r is not entry.preferred]
        out.append((entry.id, [r.en for r in ordered]))
    return out


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_v2_import_gives_the_same_base(
    which: str,
    extended_dir: Path,  # noqa: F811
    real_data_dir: Path,
    tmp_path: Path,
) -> None:
    """`glossary import tbx` of the v2 export rebuilds the base, preferred rendering first: exporting that
    again gives the same v2 document, byte for byte."""
    source_dir = extended_dir if which == "fixture" else real_data_dir
    first = export_tbx2(source_dir)
    target = _imported(first, tmp_path, "v2")
    assert export_tbx2(target) == first
    assert _preferred_first(target) == _preferred_first(source_dir)
    if which == "fixture":  # there the preferred rendering comes first already: the very same entries
        assert same_entries(target, source_dir)


def test_v3_stays_the_default(real_data_dir: Path) -> None:
    """`tbx` stays TBX v3; `tbx2` is the martif document."""
    assert b"<martif" in export_tbx2(real_data_dir) and b"<martif" not in export_tbx(real_data_dir)
    assert b'xmlns="urn:iso:std:iso:30042:ed-2"' in export_tbx(real_data_dir)
