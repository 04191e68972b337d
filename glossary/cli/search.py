"""Search commands: build, search, import cedict, remove-cedict."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .base import cli, data_option, import_group, index_option, json_option, load_base, print_json


@cli.command()
@data_option
@index_option
@json_option
def build(data_dir: Path | None, index_dir: Path | None, as_json: bool) -> None:
    """Build the search index of the curated base (it is also rebuilt automatically when data/ changes)."""
    from ..search import index

    base = load_base(data_dir)
    with click.progressbar(length=len(base.entries), label="indexing entries", file=sys.stderr) as bar:
        path = index.build_curated(base, index_dir, progress=bar.update)
    if as_json:
        print_json({"entries": len(base.entries), "path": path, "bytes": index.size(path)})
        return
    click.echo(f"built {len(base.entries)} entries into {path} ({index.size(path) / 1e6:.1f} MB)")


@cli.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--limit", type=click.IntRange(0, 200), default=10, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
@click.option("--category", default=None, help="Only entries of this category.")
@click.option("--status", default=None, help="Only entries with a rendering of this status.")
@click.option("--source", default=None, help="Only entries citing this source (cc-cedict: reference).")
@click.option("--layer", type=click.Choice(["curated", "reference"]), help="Search one layer only.")
@data_option
@index_option
def search(
    query: str,
    as_json: bool,
    limit: int,
    offset: int,
    category: str | None,
    status: str | None,
    source: str | None,
    layer: str | None,
    data_dir: Path | None,
    index_dir: Path | None,
) -> None:
    """Search by characters, pinyin in any form (sgmx, jiebang, si4ge4mian4xiang4) or English."""
    from ..search.searcher import QueryError, Searcher

    searcher = Searcher.open(data_dir, index_dir, reference=layer != "curated")
    if layer == "reference" and len(searcher.layers) == 1:
        click.echo("no reference layer: build it with `glossary import cedict FILE`", err=True)
    try:
        found = searcher.search(
            query,
            limit=limit,
            offset=offset,
            category=category,
            status=status,
            source=source,
            layer=layer,  # type: ignore[arg-type]  # click.Choice has checked it is a layer name
        )
    except QueryError as exc:
        raise click.BadParameter(str(exc), param_hint="QUERY") from None
    if as_json:
        click.echo(found.model_dump_json(indent=2))
        return
    for number, result in enumerate(found.results, start=offset + 1):
        how = f"{result.match.kind}: {result.match.field} {result.match.form}"
        label = result.category or "reference"
        click.echo(f"{number:>3}. {result.zh}  {result.pinyin}  {result.preferred}  [{label}; {how}]")
    click.echo(f"{found.total} found", err=True)


@import_group.command("cedict")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@index_option
@json_option
def import_cedict(file: Path, index_dir: Path | None, as_json: bool) -> None:
    """Build the CC-CEDICT reference layer from FILE (cedict_ts.u8 or .gz), labelled and kept apart."""
    from ..base import cedict
    from ..search import index

    entries = list(cedict.read_cedict(file))
    with click.progressbar(length=len(entries), label="indexing CC-CEDICT", file=sys.stderr) as bar:
        path = index.build_reference(entries, cedict.file_version(file), index_dir, progress=bar.update)
    if as_json:
        print_json({"entries": len(entries), "path": path, "bytes": index.size(path)})
        return
    click.echo(f"reference layer: {len(entries)} entries into {path} ({index.size(path) / 1e6:.1f} MB)")


@import_group.command("remove-cedict")
@index_option
@json_option
def remove_cedict(index_dir: Path | None, as_json: bool) -> None:
    """Switch the reference layer off by removing it (import it again to switch it back on)."""
    from ..search import index

    removed = index.remove_reference(index_dir)
    if as_json:
        print_json({"removed": removed})
        return
    click.echo("reference layer removed" if removed else "no reference layer")
