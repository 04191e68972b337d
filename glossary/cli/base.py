"""The `glossary` group and the flags and helpers its commands share."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from ..base import store
from ..base.profiles import Profile

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
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write to FILE (atomically) instead of standard output.",
    )(func)


def profile_option(func: F) -> F:
    """The shared `--profile house|official` flag: whose preferred rendering counts (see base.profiles)."""
    return click.option(
        "--profile",
        type=click.Choice([profile.value for profile in Profile]),
        default=Profile.house.value,
        show_default=True,
        help="Whose rendering is preferred: the house style's, or the government's own English.",
    )(func)


def json_option(func: F) -> F:
    """The shared `--json` flag: print what the command prints as JSON, for scripts."""
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(func)


def print_json(value: Any) -> None:
    """Print a JSON document (dataclasses and pydantic models as objects) on standard output."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=_jsonable))


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def emit(text: str, output: Path | None) -> None:
    """Write `text` to `output`, or to standard output."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        store.write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)


@contextmanager
def exit_on_data_problems() -> Iterator[None]:
    """Turn a `DataError` into every problem on standard error, one per line, and exit 1."""
    try:
        yield
    except store.DataError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None


def load_base(data_dir: Path | None) -> store.TermBase:
    """Load the base or exit 1 with every problem, one per line."""
    with exit_on_data_problems():
        return store.load(data_dir)


class _Group(click.Group):
    """The top group: a damaged index or a busy data/ is a one-line error and exit 1, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, turning the index's and data/'s expected failures into clear errors."""
        try:
            return super().invoke(ctx)
        except store.DataError as exc:  # e.g. an index to rebuild from a data/ that has problems
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            raise SystemExit(1) from None
        except ValueError as exc:
            from ..search.layerfile import Damaged

            if isinstance(exc, Damaged):
                raise click.ClickException(f"damaged search index: {exc}") from None
            raise
        except RuntimeError as exc:
            from ..base.lock import DataLocked

            if isinstance(exc, DataLocked):
                raise click.ClickException(str(exc)) from None
            raise


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="glossary-zh-en")
def cli() -> None:
    """Chinese–English glossary of policy terms: validate, search, check drafts, export, serve."""


@cli.group("import")
def import_group() -> None:
    """Bring outside data in: a reference dictionary (cedict), or a glossary (tbx, csv)."""


def index_option(func: F) -> F:
    """The shared `--index-dir DIR` flag: where search indexes live."""
    return click.option(
        "--index-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        envvar="GLOSSARY_INDEX_DIR",
        help=(
            "The index root [default: $GLOSSARY_INDEX_DIR, else $XDG_CACHE_HOME/glossary,"
            " else ~/.cache/glossary]."
        ),
    )(func)
