"""The `glossary` command line: a thin layer over the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import store
from .model import EntryFile

F = TypeVar("F", bound=Callable[..., Any])


def data_option(func: F) -> F:
    """The shared `--data DIR` flag: which curated base to use."""
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        envvar="GLOSSARY_DATA",
        help="The curated base (default: the packaged base, or $GLOSSARY_DATA).",
    )(func)


def output_option(func: F) -> F:
    """The shared `-o FILE` flag: write to a file instead of standard output."""
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="Write to FILE (atomically) instead of standard output.",
    )(func)


def emit(text: str, output: Path | None) -> None:
    """Write `text` to `output`, or to standard output."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        store.write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)


def load_base(data_dir: Path | None) -> store.TermBase:
    """Load the base or exit 1 with every problem, one per line."""
    try:
        return store.load(data_dir)
    except store.DataError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="glossary")
def cli() -> None:
    """Chinese–English glossary of policy terms: validate, search, check drafts, export, serve."""


@cli.command()
@data_option
def validate(data_dir: Path | None) -> None:
    """Validate every file under data/ and the base as a whole (exit 1 on any problem)."""
    base, problems = store.inspect(data_dir)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems or base is None:
        click.echo(f"{len(problems)} problem(s)", err=True)
        raise SystemExit(1)
    click.echo(f"ok: {len(base.entries)} entries, {len(base.sources)} sources, version {base.version}")


@cli.command("verify-quotes")
@click.argument("texts_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@data_option
def verify_quotes(texts_dir: Path, data_dir: Path | None) -> None:
    """Check that every quote and note is found in the cited source's text in TEXTS_DIR."""
    from . import quotes

    base = load_base(data_dir)
    checked, problems = quotes.verify(base, texts_dir)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} of {checked} quotes not verified", err=True)
        raise SystemExit(1)
    click.echo(f"ok: {checked} quotes and notes found in their sources")


@cli.command()
@output_option
def schema(output: Path | None) -> None:
    """Print the JSON Schema of an entry file (for completion and validation in editors)."""
    emit(json.dumps(entry_schema(), ensure_ascii=False, indent=2) + "\n", output)


def entry_schema() -> dict[str, Any]:
    """The JSON Schema of a curated entry file."""
    schema = EntryFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Glossary entry (data/entries/<id>.yaml)"
    return schema


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@data_option
@output_option
def export(fmt: str, data_dir: Path | None, output: Path | None) -> None:
    """Export the whole base (to standard output unless -o FILE is given)."""
    base = load_base(data_dir)
    entries = [entry.export() for entry in base.entries.values()]
    emit(json.dumps(entries, ensure_ascii=False, indent=2) + "\n", output)


@cli.group("import")
def import_group() -> None:
    """Bring outside data in: a reference dictionary (cedict), or a glossary (tbx, csv)."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (0.0.0.0: all).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to bind.")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Processes [default: cores + 1].")
@click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="GLOSSARY_INDEX_DIR",
    help="The index root (default: $GLOSSARY_INDEX_DIR, else ~/.cache/glossary).",
)
@click.option("--reference/--no-reference", default=True, show_default=True, help="Serve CC-CEDICT too.")
@data_option
def serve(
    host: str, port: int, workers: int | None, index_dir: Path | None, reference: bool, data_dir: Path | None
) -> None:
    """Serve the HTTP API and the lookup page with gunicorn (a production server)."""
    from service import server

    load_base(data_dir)  # data problems are reported here, once, rather than by every worker failing to boot
    server.prepare_index(data_dir, index_dir)
    config = {"DATA_DIR": data_dir, "INDEX_DIR": index_dir, "REFERENCE": reference}
    click.echo(f"glossary: serving on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    server.serve(config, host, port, workers or server.default_workers())


def main() -> None:  # pragma: no cover - console entry point
    """Run the CLI."""
    cli(sys.argv[1:])

