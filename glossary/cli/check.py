"""`glossary check`: drafts checked like a linter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .base import cli, data_option, load_base


@cli.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="The text's language (detected).")
@click.option("--strict", is_flag=True, help="Also flag admitted renderings where the preferred is expected.")
@click.option("--sources", default=None, metavar="ID,...", help="Accept only renderings they attest.")
@click.option(
    "--profile",
    type=click.Choice(["house", "official"]),
    default="house",
    show_default=True,
    help="Whose preferred rendering counts: the house style, or the government's own English.",
)
@click.option("--terms", is_flag=True, help="Text format: also list every term found (info).")
@data_option
def check_command(
    files: tuple[Path, ...],
    fmt: str,
    lang: str | None,
    strict: bool,
    sources: str | None,
    profile: str,
    terms: bool,
    data_dir: Path | None,
) -> None:
    """Check drafts (.txt/.md, .tsv source/target, XLIFF 1.2/2.0); exit 1 on errors, 2 if one is unreadable.

    Several files (as a pre-commit hook passes them) give one report each: in JSON, a list of them.
    """
    from ..check import drafts
    from ..check.checker import Checker
    from ..check.report import CheckError, Severity

    checker = Checker.for_base(load_base(data_dir))
    chosen = [s.strip() for s in sources.split(",") if s.strip()] if sources else None
    reports: list[dict[str, Any]] = []
    code = 0
    for file in files:
        try:
            draft = drafts.read(file)
            report = checker.check(draft.request(lang=lang, strict=strict, sources=chosen, profile=profile))
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
                if finding.places:  # one finding standing in several places: say where
                    where = ", ".join(f"{p.line}:{p.column}" for p in map(draft.locate, finding.places))
                    what += f" [at {where}]"
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
