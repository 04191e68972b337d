"""`glossary serve`: the API and the page under gunicorn."""

from __future__ import annotations

from pathlib import Path

import click

from .base import cli, data_option, exit_on_data_problems, index_option


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (0.0.0.0: all).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to bind.")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Processes [default: cores + 1].")
@index_option
@click.option("--reference/--no-reference", default=True, show_default=True, help="Serve CC-CEDICT too.")
@data_option
def serve(
    host: str, port: int, workers: int | None, index_dir: Path | None, reference: bool, data_dir: Path | None
) -> None:
    """Serve the HTTP API and the lookup page with gunicorn (a production server)."""
    from service import server

    with exit_on_data_problems():  # reported here, once, rather than by every worker failing to boot
        server.prepare(data_dir, index_dir)
    config = {"DATA_DIR": data_dir, "INDEX_DIR": index_dir, "REFERENCE": reference}
    click.echo(f"glossary: serving on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    server.serve(config, host, port, workers or server.default_workers())
