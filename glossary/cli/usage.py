"""The usage command: an entry's every occurrence in the source texts, from the concordance."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .base import cli, data_option, index_option, load_base

if TYPE_CHECKING:
    from ..search.concordance import Concordance
    from ..search.usage import ChineseInSources, RenderingInSources


def _where(text: str, file: str, start: int) -> str:
    """`file:line:col` (1-based) of an offset, as editors and terminals link it."""
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return f"{file}:{line}:{column}"


@cli.command()
@click.argument("term")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON (as the API gives them).")
@click.option("--limit", type=click.IntRange(0, 1000), default=10, show_default=True,
              help="Lines shown per rendering and per Chinese form (the counts count all).")
@data_option
@index_option
def usage(term: str, as_json: bool, limit: int, data_dir: Path | None, index_dir: Path | None) -> None:
    """Every occurrence of an entry's renderings and Chinese in the sources (TERM: id, Chinese or English).

    Each occurrence is a line in context with its place in data/texts, counted by publisher and year; each
    Chinese occurrence shows the English the aligned text gives and which of the entry's renderings stand
    in it ("none recorded": a rendering the base may not have yet).
    """
    from ..search import concordance, usage
    from ..search.searcher import QueryError, Searcher

    searcher = Searcher.open(data_dir, index_dir, reference=False)
    base = load_base(data_dir)
    entry = usage.resolve(base, term)
    if entry is None:
        try:
            found = searcher.search(term, limit=1, layer="curated")
        except QueryError as exc:
            raise click.BadParameter(str(exc), param_hint="TERM") from None
        if not found.results:
            raise click.BadParameter(f"no entry has the id, Chinese or English {term!r}", param_hint="TERM")
        entry = base.entries[found.results[0].id]
        click.echo(f"no entry is exactly {term!r}; the first search result is {entry.id}", err=True)
    conc = concordance.Concordance(searcher.layers[0].path / concordance.FILE)
    figures = usage.usage(entry, conc, base.sources, limit)
    if as_json:
        click.echo(figures.model_dump_json(indent=2))
        return
    click.echo(f"{entry.zh}  {entry.id}: {figures.sources} source texts, {figures.segments} sentences")
    texts_dir = Path("texts")
    for rendering in figures.renderings:
        click.echo(f"\n{rendering.en}  [{rendering.status}]  {rendering.count} occurrences")
        _lines(rendering, conc, texts_dir)
    for form in figures.chinese:
        click.echo(f"\n{form.zh}  {form.count} occurrences, {form.aligned} with English, "
                   f"{form.unrecorded} with none of the entry's renderings in it")
        _lines(form, conc, texts_dir)


def _lines(figures: RenderingInSources | ChineseInSources, conc: Concordance, texts_dir: Path) -> None:
    for tally in figures.by_publisher:
        click.echo(f"  {tally.count:>4}  {tally.publisher} {tally.year}  ({', '.join(tally.sources)})")
    for line in figures.lines:
        where = _where(conc.texts[line.source], (texts_dir / conc.files[line.source]).as_posix(), line.start)
        mark = click.style(f"[{line.match}]", bold=True)
        click.echo(f"    {where}  …{line.left}{mark}{line.right}…".replace("\n", " "))
        if hasattr(figures, "unrecorded") and line.english is not None:  # a Chinese form's line
            shown = ", ".join(line.renderings) if line.renderings else "none recorded"
            english = textwrap.shorten(line.english, 160, placeholder=" …")
            click.echo(f"        en ({shown}): {english}")
    if len(figures.lines) < figures.count:
        click.echo(f"    … {figures.count - len(figures.lines)} more (--limit)")
