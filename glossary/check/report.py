"""The check's request and report: the models the API takes and returns, and the errors a check raises.

Offsets in findings are code points into the string exactly as submitted: ``text == submitted[start:end]``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: The largest draft (in characters: the text, or every source and target together) a check accepts.
MAX_CHARS = 5_000_000
#: Findings a report lists at most; the summary still counts them all, and problems are listed before terms.
MAX_FINDINGS = 20_000


class Kind(StrEnum):
    """What a finding reports."""

    term = "term"
    missing_rendering = "missing_rendering"
    deprecated_rendering = "deprecated_rendering"
    non_preferred_rendering = "non_preferred_rendering"
    inconsistent_rendering = "inconsistent_rendering"
    unlisted_rendering = "unlisted_rendering"
    formula = "formula"


class Severity(StrEnum):
    """How much a finding matters: errors fail a check (exit code 1)."""

    info = "info"
    warning = "warning"
    error = "error"


SEVERITY = {
    Kind.term: Severity.info,
    Kind.missing_rendering: Severity.error,
    Kind.deprecated_rendering: Severity.error,
    Kind.non_preferred_rendering: Severity.warning,
    Kind.inconsistent_rendering: Severity.warning,
    Kind.unlisted_rendering: Severity.warning,
    Kind.formula: Severity.warning,
}


class Segment(BaseModel):
    """One bilingual segment: Chinese source, English target."""

    model_config = ConfigDict(extra="forbid")

    source: str
    target: str


class CheckRequest(BaseModel):
    """A draft to check: a text or bilingual segments (exactly one), and options."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="A Chinese or English draft.")
    segments: list[Segment] | None = Field(None, description="A bilingual draft: Chinese in, English out.")
    lang: Literal["zh", "en"] | None = Field(None, description="The text's language (detected when absent).")
    strict: bool = Field(False, description="Also flag admitted renderings where the preferred is expected.")
    sources: list[str] | None = Field(None, description="Accept only renderings attested by these sources.")
    profile: Literal["house", "official"] = Field(
        "house",
        description="Whose preferred rendering counts: `house` (the curated status) or `official` (the "
        "government's own English, most recent first).",
    )

    @model_validator(mode="after")
    def _text_or_segments(self) -> CheckRequest:
        if (self.text is None) == (self.segments is None):
            raise ValueError("give exactly one of `text` and `segments`")
        return self


class Occurrence(BaseModel):
    """One place in the draft where a finding's text stands (a finding repeated is one finding)."""

    segment: int | None
    side: Literal["text", "source", "target"]
    start: int
    end: int
    text: str


class Finding(BaseModel):
    """One thing found in a draft."""

    kind: Kind
    severity: Severity
    term_id: str
    segment: int | None = Field(description="Index of the segment; null for a text.")
    side: Literal["text", "source", "target"] = Field(description="Which string `start` and `end` index.")
    start: int
    end: int
    text: str = Field(description="The submitted string's [start:end].")
    accepted: list[str] = Field(description="The renderings accepted for this term (under `sources`).")
    suggestion: str | None = Field(description="The rendering to use, when there is something to fix.")
    message: str
    places: list[Occurrence] = Field(
        default_factory=list,
        description="Every place of a finding that stands more than once (an inconsistent rendering used N "
        "times is one finding); the first is the finding's own start and end. Empty when it stands once.",
    )


class Summary(BaseModel):
    """Counts of findings, by kind and by severity."""

    total: int
    by_kind: dict[Kind, int]
    by_severity: dict[Severity, int]
    truncated: bool = Field(
        False, description=f"True when `findings` lists fewer than `total` (at most {MAX_FINDINGS:,}; every "
        "error and warning is listed before any term found)."
    )
    lang: Literal["zh", "en"] | None = Field(description="The text's language, given or detected.")
    segments: int | None = Field(description="How many segments were checked.")
    version: str | None = Field(description="The term-base version checked against.")


class CheckReport(BaseModel):
    """The result of a check."""

    summary: Summary
    findings: list[Finding]

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return self.summary.by_severity[Severity.error]


class CheckError(ValueError):
    """A request the checker cannot serve; `status` is the HTTP status an API should answer with."""

    status = 400


class DraftTooLarge(CheckError):
    """The draft is larger than the checker accepts."""

    status = 413


class UnknownSource(CheckError):
    """`sources` names a source the term base does not know."""


class NotText(CheckError):
    """The draft holds a lone surrogate (\\ud800-\\udfff): not a character, and not encodable as UTF-8."""
