"""`glossary check`: drafts checked like a linter (text, JSON or SARIF output)."""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import click

from .base import cli, data_option, load_base, print_json, profile_option

STDIN = "-"


def _code_version() -> str:
    try:
        return version("glossary-zh-en")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0"


@cli.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="text: `file:line:col: severity: message [kind]`; json: the reports; sarif: SARIF 2.1.0.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (same as --format json).")
@click.option(
    "--stdin-filename",
    default=None,
    metavar="NAME",
    help="With FILE `-` (standard input): the name to report, whose suffix says the format (.po, .xlf …).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="The text's language (detected).")
@click.option("--strict", is_flag=True, help="Also flag admitted renderings where the preferred is expected.")
@click.option("--sources", default=None, metavar="ID,...", help="Accept only renderings they attest.")
@profile_option
@click.option("--terms", is_flag=True, help="Text and SARIF: also list every term found (info).")
@data_option
def check_command(
    files: tuple[Path, ...],
    fmt: str,
    as_json: bool,
    stdin_filename: str | None,
    lang: str | None,
    strict: bool,
    sources: str | None,
    profile: str,
    terms: bool,
    data_dir: Path | None,
) -> None:
    """Check drafts (.txt/.md, .tsv source/target, XLIFF 1.2/2.0, gettext .po; `-` reads standard input);
    exit 1 on errors, 2 if one is unreadable.

    Several files (as a pre-commit hook passes them) give one report each: in JSON, a list of them.
    """
    from ..check import drafts, sarif
    from ..check.checker import Checker
    from ..check.report import CheckError

    fmt = "json" if as_json else fmt
    checker = Checker.for_base(load_base(data_dir))
    chosen = [s.strip() for s in sources.split(",") if s.strip()] if sources else None
    checked: list[tuple[str, Any, Any]] = []
    code = 0
    for file in files:
        name = (stdin_filename or STDIN) if str(file) == STDIN else str(file)
        try:
            if str(file) == STDIN:
                draft = drafts.parse(sys.stdin.buffer.read(), Path(name))
            else:
                draft = drafts.read(file)
            report = checker.check(draft.request(lang=lang, strict=strict, sources=chosen, profile=profile))
        except (drafts.DraftError, CheckError) as exc:
            click.echo(f"{name}: {exc}", err=True)
            code = 2
            continue
        code = max(code, 1 if report.errors else 0)
        checked.append((name, draft, report))
        if fmt == "text":
            _print_text(name, draft, report, terms, several=len(files) > 1)
    if fmt == "json" and checked:
        reports = [_json_report(name, draft, report) for name, draft, report in checked]
        print_json(reports[0] if len(files) == 1 else reports)
    elif fmt == "sarif":
        print_json(sarif.document(checked, _code_version(), terms=terms))
    raise SystemExit(code)


def _print_text(name: str, draft: Any, report: Any, terms: bool, *, several: bool) -> None:
    """One line per finding, as compilers write them (editors' problem matchers read them), then counts."""
    from ..check.report import Severity

    for finding in report.findings:
        if finding.severity is not Severity.info or terms:
            at = draft.locate(finding)
            line = f"{name}:{at.line}:{at.column}: {finding.severity}: {finding.message} [{finding.kind}]"
            if finding.places:  # one finding standing in several places: say where
                places = ", ".join(f"{p.line}:{p.column}" for p in map(draft.locate, finding.places))
                line += f" (at {places})"
            click.echo(line)
    counts = report.summary.by_severity
    where = f" in {name}" if several else ""
    click.echo(
        f"{counts[Severity.error]} error(s), {counts[Severity.warning]} warning(s), "
        f"{counts[Severity.info]} term(s) found{where}"
    )


def _json_report(name: str, draft: Any, report: Any) -> dict[str, Any]:
    findings = [
        {**f.model_dump(mode="json"), "line": (at := draft.locate(f)).line, "column": at.column}
        for f in report.findings
    ]
    summary = report.summary.model_dump(mode="json")
    return {"file": name, "format": draft.format, "summary": summary, "findings": findings}
