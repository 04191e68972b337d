"""SARIF 2.1.0 (OASIS) output of draft checks, for code scanning in CI (GitHub, GitLab, Azure DevOps).

One run of the tool `glossary`, one rule per finding kind, one result per finding with the file, line and
column span it stands at (columns in Unicode code points, as the run says), its severity as the SARIF level
(`error`, `warning`, `note`) and the entry and suggestion as properties.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .drafts import Draft
from .report import CheckReport, Finding, Kind, Severity

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
RULES = {
    Kind.term: "A glossary term found in the draft.",
    Kind.missing_rendering: "The source has the term; the target has none of its accepted renderings.",
    Kind.deprecated_rendering: "A deprecated or superseded rendering is used.",
    Kind.non_preferred_rendering: "An admitted rendering where the preferred one is expected.",
    Kind.inconsistent_rendering: "One concept rendered two ways in the draft.",
    Kind.unlisted_rendering: "The target renders the term in words the glossary does not list.",
    Kind.formula: "A formula's members given incompletely or out of order, or its count word wrong.",
}


def _region(draft: Draft, finding: Finding) -> dict[str, int]:
    start = draft.locate(finding)
    end = draft.locate(finding.model_copy(update={"start": finding.end}))
    return {
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    }


def _result(uri: str, draft: Draft, finding: Finding) -> dict[str, Any]:
    properties: dict[str, Any] = {"term_id": finding.term_id}
    if finding.suggestion:
        properties["suggestion"] = finding.suggestion
    return {
        "ruleId": finding.kind.value,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": _region(draft, finding)}}
        ],
        "properties": properties,
    }


def document(
    checked: Iterable[tuple[str, Draft, CheckReport]], version: str, *, terms: bool = False
) -> dict[str, Any]:
    """The SARIF log of checks of several files: (file as given, its draft, its report); `terms` keeps the
    `term` (info) findings, which are left out by default as they are not problems."""
    results = [
        _result(uri.replace("\\", "/"), draft, finding)
        for uri, draft, report in checked
        for finding in report.findings
        if terms or finding.severity is not Severity.info
    ]
    driver = {
        "name": "glossary",
        "version": version,
        "informationUri": "https://pypi.org/project/glossary-zh-en/",
        "rules": [
            {"id": kind.value, "shortDescription": {"text": text}} for kind, text in RULES.items()
        ],
    }
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}],
    }
