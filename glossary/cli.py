"""The `glossary` command line: a thin layer over the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import export as exports
from . import store
from .model import Category, EntryFile

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
    from .imports.transaction import recover

    # An import killed while moving its files in is rolled back first: data/ is then as it was before it.
    if restored := recover(data_dir or store.default_data_dir()):
        click.echo(f"rolled back an interrupted import: {len(restored)} file(s) put back", err=True)
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
@click.option(
    "--format", "fmt", type=click.Choice([*exports.FORMATS, *exports.DIRECTORY_FORMATS]), default="json",
    show_default=True, help="See the README's \"Exports and imports\"; vale writes a folder (-o DIR).",
)
@data_option
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=None,
    help="Write to FILE (atomically) instead of standard output; for vale, the style folder DIR.",
)
def export(fmt: str, data_dir: Path | None, output: Path | None) -> None:
    """Export the whole base (to standard output unless -o FILE is given)."""
    base = load_base(data_dir)
    if fmt in exports.DIRECTORY_FORMATS:
        if output is None:
            raise click.UsageError(f"--format {fmt} writes a folder: give -o DIR")
        for path in exports.DIRECTORY_FORMATS[fmt](base, output):
            click.echo(f"wrote {path}", err=True)
        return
    content = exports.render(base, fmt).content
    emit(content.decode("utf-8") if isinstance(content, bytes) else content, output)


@cli.command()
@data_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def stats(data_dir: Path | None, as_json: bool) -> None:
    """Count entries, attested and curator-supplied Chinese, renderings by status, notes and overrides."""
    from .stats import counts

    figures = counts(load_base(data_dir))
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    for name, value in figures.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        click.echo(f"{name.replace('_', ' ')}: {value}")


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

    try:  # data problems are reported here, once, rather than by every worker failing to boot
        server.prepare(data_dir, index_dir)
    except store.DataError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None
    config = {"DATA_DIR": data_dir, "INDEX_DIR": index_dir, "REFERENCE": reference}
    click.echo(f"glossary: serving on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    server.serve(config, host, port, workers or server.default_workers())


# --- glossary import tbx|csv (issue 8: exchange) ---------------------------------------------------------

PROGRESS_FROM = 200  # concepts: below this an import is quick enough to need no progress bar


def _progress(label: str) -> Callable[[Any], Any]:
    """Wrap the concepts of a large file in a click progress bar (on standard error)."""

    def wrap(items: Any) -> Any:
        if len(items) < PROGRESS_FROM:
            yield from items
            return
        with click.progressbar(items, label=label, file=sys.stderr) as bar:
            yield from bar

    return wrap


def _slug(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from .imports.incoming import is_slug

    if value is not None and not is_slug(value):
        raise click.BadParameter("a source id is a lower-case kebab-case slug, e.g. acme-glossary-2024")
    return value


def import_options(func: F) -> F:
    """The shared flags of `glossary import tbx` and `glossary import csv`."""
    for option in reversed([
        data_option,
        click.option("--merge", is_flag=True, help="Merge into existing entries (never overwrites them)."),
        click.option("--dry-run", is_flag=True, help="Read and check everything, write nothing."),
        click.option("--source", "source_id", callback=_slug, help="Id of the source standing for FILE "
                     "(cited where FILE names none) [default: from the file name]."),
        click.option("--publisher", default="unknown (imported glossary)", show_default=True,
                     help="Publisher recorded for that source."),
        click.option("--category", default="concept", show_default=True, type=click.Choice([*Category]),
                     help="Category of entries FILE does not categorise."),
    ]):
        func = option(func)
    return func


def _import(fmt: str, file: Path, data_dir: Path | None, merge: bool, dry_run: bool, source_id: str | None,
            publisher: str, category: str) -> None:
    from . import imports

    target = data_dir or store.default_data_dir()
    options = imports.Options(source_id=source_id, publisher=publisher, category=category)
    wrap = _progress(f"reading {file.name}")
    report = imports.run(target, file, fmt, merge=merge, options=options, wrap=wrap, dry_run=dry_run)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for conflict in report.conflicts:
        click.echo(f"conflict: {conflict}", err=True)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    counts = (
        f"{len(report.added)} added, {len(report.merged)} merged, {len(report.unchanged)} unchanged, "
        f"{len(report.sources_added)} source(s) added, {len(report.conflicts)} conflict(s) kept as curated"
    )
    if not report.ok:
        click.echo(f"nothing imported: {len(report.problems)} problem(s); would have been {counts}", err=True)
        raise SystemExit(1)
    click.echo(f"{'dry run: ' if dry_run else ''}{counts}")


@import_group.command("tbx")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@import_options
def import_tbx(file: Path, **options: Any) -> None:
    """Import a TBX file (TBX v3 / TBX-Basic, or TBX v2) into data/: all or nothing."""
    _import("tbx", file, **options)


@import_group.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@import_options
def import_csv(file: Path, **options: Any) -> None:
    """Import CSV/TSV (generic, memoQ or MultiTerm layout) into data/: all or nothing."""
    _import("csv", file, **options)


@cli.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="The text's language (detected).")
@click.option("--strict", is_flag=True, help="Also flag admitted renderings where the preferred is expected.")
@click.option("--sources", default=None, metavar="ID,...", help="Accept only renderings they attest.")
@click.option("--terms", is_flag=True, help="Text format: also list every term found (info).")
@data_option
def check_command(
    files: tuple[Path, ...], fmt: str, lang: str | None, strict: bool, sources: str | None, terms: bool,
    data_dir: Path | None,
) -> None:
    """Check drafts (.txt/.md, .tsv source/target, XLIFF 1.2/2.0); exit 1 on errors, 2 if one is unreadable.

    Several files (as a pre-commit hook passes them) give one report each: in JSON, a list of them.
    """
    from . import drafts
    from .check import Checker, CheckError, Severity

    checker = Checker.for_base(load_base(data_dir))
    chosen = [s.strip() for s in sources.split(",") if s.strip()] if sources else None
    reports: list[dict[str, Any]] = []
    code = 0
    for file in files:
        try:
            draft = drafts.read(file)
            report = checker.check(draft.request(lang=lang, strict=strict, sources=chosen))
        except (drafts.DraftError, CheckError) as exc:
            click.echo(f"{file}: {exc}", err=True)
            code = 2
            continue
        code = max(code, 1 if report.errors else 0)
        if fmt == "json":
            findings = [
                {**f.model_dump(mode="json"), "line": (at := draft.locate(f)).line, "column": at.column}
                for f in report.findings
            ]
            summary = report.summary.model_dump(mode="json")
            reports.append({"file": str(file), "format": draft.format, "summary": summary})
            reports[-1]["findings"] = findings
            continue
        for finding in report.findings:
            if finding.severity is not Severity.info or terms:
                at = draft.locate(finding)
                what = f"{finding.severity} {finding.kind} {finding.message}"
                click.echo(f"{file}:{at.line}:{at.column}: {what}")
        counts = report.summary.by_severity
        where = f" in {file}" if len(files) > 1 else ""
        click.echo(
            f"{counts[Severity.error]} error(s), {counts[Severity.warning]} warning(s), "
            f"{counts[Severity.info]} term(s) found{where}"
        )
    if fmt == "json" and reports:
        click.echo(json.dumps(reports[0] if len(files) == 1 else reports, ensure_ascii=False, indent=2))
    raise SystemExit(code)


# --- glossary build | search | import cedict (issue 4: search) ---------------------------------------------


def index_option(func: F) -> F:
    """The shared `--index-dir DIR` flag: where search indexes live."""
    return click.option(
        "--index-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
        envvar="GLOSSARY_INDEX_DIR",
        help="The index root [default: $GLOSSARY_INDEX_DIR, else ~/.cache/glossary].",
    )(func)


@cli.command()
@data_option
@index_option
def build(data_dir: Path | None, index_dir: Path | None) -> None:
    """Build the search index of the curated base (it is also rebuilt automatically when data/ changes)."""
    from . import index

    base = load_base(data_dir)
    with click.progressbar(length=len(base.entries), label="indexing entries", file=sys.stderr) as bar:
        path = index.build_curated(base, index_dir, progress=bar.update)
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
def search(query: str, as_json: bool, limit: int, offset: int, category: str | None, status: str | None,
           source: str | None, layer: str | None, data_dir: Path | None, index_dir: Path | None) -> None:
    """Search by characters, pinyin in any form (sgmx, jiebang, si4ge4mian4xiang4) or English."""
    from .search import QueryError, Searcher

    searcher = Searcher.open(data_dir, index_dir, reference=layer != "curated")
    if layer == "reference" and len(searcher.layers) == 1:
        click.echo("no reference layer: build it with `glossary import cedict FILE`", err=True)
    try:
        found = searcher.search(query, limit=limit, offset=offset, category=category, status=status,
                                source=source, layer=layer)  # type: ignore[arg-type]
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
def import_cedict(file: Path, index_dir: Path | None) -> None:
    """Build the CC-CEDICT reference layer from FILE (cedict_ts.u8 or .gz), labelled and kept apart."""
    from . import index, reference

    entries = list(reference.read_cedict(file))
    with click.progressbar(length=len(entries), label="indexing CC-CEDICT", file=sys.stderr) as bar:
        path = index.build_reference(entries, reference.file_version(file), index_dir, progress=bar.update)
    click.echo(f"reference layer: {len(entries)} entries into {path} ({index.size(path) / 1e6:.1f} MB)")


@import_group.command("remove-cedict")
@index_option
def remove_cedict(index_dir: Path | None) -> None:
    """Switch the reference layer off by removing it (import it again to switch it back on)."""
    from . import index

    click.echo("reference layer removed" if index.remove_reference(index_dir) else "no reference layer")


def main() -> None:  # pragma: no cover - console entry point
    """Run the CLI."""
    cli(sys.argv[1:])

