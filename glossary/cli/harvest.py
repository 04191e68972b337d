"""`glossary harvest`: draft entries for the terms of a bilingual document that the base lacks."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .base import cli, data_option, load_base


@cli.command("harvest")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("harvest-drafts"),
    show_default=True,
    help="Folder for the drafts (laid out like data/; never the base itself).",
)
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=50, show_default=True, help="Candidates to keep."
)
@click.option(
    "--dictionary",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    envvar="GLOSSARY_CEDICT",
    default=None,
    help="CC-CEDICT (plain or .gz) for better English proposals [$GLOSSARY_CEDICT].",
)
@click.option("--overwrite", is_flag=True, help="Replace the drafts an earlier harvest wrote in the folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as JSON.")
@data_option
def harvest_command(
    files: tuple[Path, ...],
    out_dir: Path,
    limit: int,
    dictionary: Path | None,
    overwrite: bool,
    as_json: bool,
    data_dir: Path | None,
) -> None:
    """Propose draft entries for the terms of bilingual FILES that the base lacks, ranked, into a folder.

    FILES: one or more of source<TAB>target .tsv, XLIFF 1.2/2.0, the zh:/en: layout of data/texts, or two
    aligned plain-text files (Chinese, then English). Exit 2 if an input cannot be read.
    """
    from ..harvest import HarvestError, harvest, write
    from ..harvest.harvester import read

    base = load_base(data_dir)
    try:
        bitexts = read(list(files))
        segments = sum(len(b.pairs) for b in bitexts)
        with click.progressbar(
            length=segments, label="Harvesting", file=click.get_text_stream("stderr")
        ) as bar:
            result = harvest(bitexts, base, limit=limit, dictionary=dictionary, progress=bar.update)
        written = write(result, out_dir, base, overwrite=overwrite)
    except HarvestError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
    if as_json:
        report = {
            "segments": result.segments,
            "out": str(out_dir),
            "drafts": [str(p) for p in written],
            "candidates": [c.as_json() for c in result.candidates],
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for c in result.candidates:
        en = c.en if c.en is not None else "-"
        click.echo(f"{c.rank:>3}  {c.zh}\t{c.score:5.2f}  ×{c.freq}  {en}\t{Path(c.file).name}:{c.line}")
    click.echo(
        f"{len(result.candidates)} candidate(s) from {result.segments} segment(s); {len(written)} draft "
        f"entr{'y' if len(written) == 1 else 'ies'} in {out_dir} (check: glossary validate --data {out_dir})"
    )
