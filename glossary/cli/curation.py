"""Curation commands: validate, verify-quotes, schema, stats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..base import store
from ..base.model import EntryFile
from .base import cli, data_option, emit, json_option, load_base, output_option, print_json


@cli.command()
@data_option
@json_option
def validate(data_dir: Path | None, as_json: bool) -> None:
    """Validate every file under data/ and the base as a whole (exit 1 on any problem)."""
    from ..base.lock import DataLocked, locked
    from ..imports.transaction import recover

    target = data_dir or store.default_data_dir()
    try:
        # An import killed while moving its files in is rolled back first: data/ is then as it was before it.
        if restored := recover(target):
            click.echo(f"rolled back an interrupted import: {len(restored)} file(s) put back", err=True)
        with locked(target, shared=True):  # not in the middle of another process's import
            base, problems = store.inspect(data_dir)
    except DataLocked as exc:
        raise click.ClickException(str(exc)) from None
    ok = not problems and base is not None
    if as_json:
        counts = {"entries": len(base.entries), "sources": len(base.sources)} if base else {}
        print_json({"ok": ok, **counts, "version": base.version if base else None, "problems": problems})
        raise SystemExit(0 if ok else 1)
    for problem in problems:
        click.echo(str(problem), err=True)
    if not ok or base is None:
        click.echo(f"{len(problems)} problem(s)", err=True)
        raise SystemExit(1)
    click.echo(f"ok: {len(base.entries)} entries, {len(base.sources)} sources, version {base.version}")


@cli.command("verify-quotes")
@click.argument("texts_dir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@data_option
@json_option
def verify_quotes(texts_dir: Path | None, data_dir: Path | None, as_json: bool) -> None:
    """Check that every quote and note is found in the cited source's text (TEXTS_DIR, default data/texts)."""
    from ..base import quotes

    base = load_base(data_dir)
    texts_dir = texts_dir or base.data_dir / "texts"
    checked, problems = quotes.verify(base, texts_dir)
    if as_json:
        print_json({"ok": not problems, "checked": checked, "problems": problems})
        raise SystemExit(1 if problems else 0)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        # Not every problem is a quote (attested Chinese, a missing text): "2896 of 112 quotes" was nonsense.
        click.echo(f"{len(problems)} problem(s); {checked} quotes and notes checked", err=True)
        raise SystemExit(1)
    click.echo(f"ok: {checked} quotes and notes found in their sources")


@cli.command()
@output_option
@json_option
def schema(output: Path | None, as_json: bool) -> None:
    """Print the JSON Schema of an entry file (for completion and validation in editors); always JSON."""
    emit(json.dumps(entry_schema(), ensure_ascii=False, indent=2) + "\n", output)


def entry_schema() -> dict[str, Any]:
    """The JSON Schema of a curated entry file."""
    schema = EntryFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Glossary entry (data/entries/<id>.yaml)"
    return schema


@cli.command()
@data_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats(data_dir: Path | None, as_json: bool) -> None:
    """Count entries, definitions, context sentences, renderings by status and source, curator renderings …"""
    from ..base.stats import counts

    figures = counts(load_base(data_dir))
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    for name, value in figures.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        click.echo(f"{name.replace('_', ' ')}: {value}")
