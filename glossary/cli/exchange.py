"""Exchange commands: export in every format, import tbx|csv."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .. import export as exports
from ..base import store
from ..base.model import Category
from .base import F, cli, data_option, emit, import_group, json_option, load_base, print_json, profile_option


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*exports.FORMATS, *exports.DIRECTORY_FORMATS]),
    default="json",
    show_default=True,
    help='See the README\'s "Exports and imports"; vale writes a folder (-o DIR).',
)
@data_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to FILE (atomically) instead of standard output; for vale, the style folder DIR.",
)
@profile_option
@click.option(
    "--for",
    "draft",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Only the concepts the draft checker finds in DRAFT (.txt/.md, .tsv, .xlf), most frequent first.",
)
@click.option("--json", "as_json", is_flag=True, help="The JSON export (same as --format json).")
def export(
    fmt: str, data_dir: Path | None, output: Path | None, profile: str, draft: Path | None, as_json: bool
) -> None:
    """Export the whole base (to standard output unless -o FILE is given), or its concepts in a draft."""
    fmt = "json" if as_json else fmt
    base = load_base(data_dir).for_profile(profile)
    order, forms = None, None
    if draft is not None:
        forms = concepts_in(base, draft, profile)
        order = list(forms)
        base = dataclasses.replace(base, entries={i: base.entries[i] for i in order})
        click.echo(f"{len(order)} concepts found in {draft}", err=True)
    if fmt in exports.mt.LIMITS:
        glossary = exports.mt.table(base, fmt, order, forms)
        for form, target, why in glossary.skipped:
            click.echo(f"left out: {form} → {target}: {why}", err=True)
        emit(exports.mt.text(glossary, base.version), output)
        return
    if fmt in exports.DIRECTORY_FORMATS:
        if output is None:
            raise click.UsageError(f"--format {fmt} writes a folder: give -o DIR")
        for path in exports.DIRECTORY_FORMATS[fmt](base, output):
            click.echo(f"wrote {path}", err=True)
        return
    content = exports.render(base, fmt).content
    emit(content.decode("utf-8") if isinstance(content, bytes) else content, output)


def concepts_in(base: store.TermBase, path: Path, profile: str = "house") -> dict[str, list[str]]:
    """The concepts the draft checker finds in a draft, most often found first, each with the Chinese forms
    of it that the draft holds (none when only its English is found)."""
    from collections import Counter

    from ..base.model import has_han
    from ..check import drafts
    from ..check.checker import Checker
    from ..check.report import CheckError

    try:
        request = drafts.read(path).request(profile=profile)
        report = Checker.for_base(base).check(request)
    except (drafts.DraftError, CheckError) as exc:
        raise click.BadParameter(str(exc), param_hint="--for") from None
    found = [f for f in report.findings if f.term_id in base.entries]
    forms: dict[str, list[str]] = {}
    for finding in found:
        if has_han(finding.text) and finding.text in base.entries[finding.term_id].chinese_forms():
            forms.setdefault(finding.term_id, []).append(finding.text)
    counts = Counter(f.term_id for f in found)
    return {term: list(dict.fromkeys(forms.get(term, []))) for term, _ in counts.most_common()}


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
    from ..imports.incoming import is_slug

    if value is not None and not is_slug(value):
        raise click.BadParameter("a source id is a lower-case kebab-case slug, e.g. acme-glossary-2024")
    return value


def import_options(func: F) -> F:
    """The shared flags of `glossary import tbx` and `glossary import csv`."""
    for option in reversed(
        [
            data_option,
            click.option(
                "--merge", is_flag=True, help="Merge into existing entries (never overwrites them)."
            ),
            click.option("--dry-run", is_flag=True, help="Read and check everything, write nothing."),
            json_option,
            click.option(
                "--source",
                "source_id",
                callback=_slug,
                help="Id of the source standing for FILE "
                "(cited where FILE names none) [default: from the file name].",
            ),
            click.option(
                "--publisher",
                default="unknown (imported glossary)",
                show_default=True,
                help="Publisher recorded for that source.",
            ),
            click.option(
                "--category",
                default="concept",
                show_default=True,
                type=click.Choice([*Category]),
                help="Category of entries FILE does not categorise.",
            ),
        ]
    ):
        func = option(func)
    return func


def _import(
    fmt: str,
    file: Path,
    data_dir: Path | None,
    merge: bool,
    dry_run: bool,
    source_id: str | None,
    publisher: str,
    category: str,
    as_json: bool = False,
) -> None:
    from .. import imports

    target = data_dir or store.default_data_dir()
    options = imports.Options(source_id=source_id, publisher=publisher, category=category)
    wrap = _progress(f"reading {file.name}")
    from ..base.lock import DataLocked

    def waiting() -> None:
        click.echo(f"waiting for another import or recovery in {target} to finish…", err=True)

    try:
        report = imports.run(
            target, file, fmt, merge=merge, options=options, wrap=wrap, dry_run=dry_run, waiting=waiting
        )
    except DataLocked as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        print_json({"ok": report.ok, "dry_run": dry_run, **dataclasses.asdict(report)})
        raise SystemExit(0 if report.ok else 1)
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
