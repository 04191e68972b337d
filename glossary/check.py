"""Draft checking: every glossary term in a draft, and every deprecated, missing or inconsistent rendering.

Two Aho–Corasick automata (ahocorasick-rs, leftmost-longest) are built once per term-base version: one over
every Chinese form of every entry, one over every English rendering and its inflections (see `english`).
A draft is either a text (Chinese or English) or a list of source/target segments. In an English text, the
Chinese an editor puts in parentheses — "S&T powerhouse (科技强国)" — is bilingual evidence: each paragraph
is then checked like a segment, its Chinese as the source and its English as the target.

Offsets in findings are code points into the string exactly as submitted: ``text == submitted[start:end]``.
"""

from __future__ import annotations

import gc
import re
import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from . import english
from .matcher import HAN, Hit, Matcher
from .model import Entry, Status

if TYPE_CHECKING:
    from .reference import ReferenceEntry
    from .store import TermBase

#: The largest draft (in characters: the text, or every source and target together) a check accepts.
MAX_CHARS = 5_000_000


class Kind(StrEnum):
    """What a finding reports."""

    term = "term"
    missing_rendering = "missing_rendering"
    deprecated_rendering = "deprecated_rendering"
    non_preferred_rendering = "non_preferred_rendering"
    inconsistent_rendering = "inconsistent_rendering"


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

    @model_validator(mode="after")
    def _text_or_segments(self) -> CheckRequest:
        if (self.text is None) == (self.segments is None):
            raise ValueError("give exactly one of `text` and `segments`")
        return self


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


class Summary(BaseModel):
    """Counts of findings, by kind and by severity."""

    total: int
    by_kind: dict[Kind, int]
    by_severity: dict[Severity, int]
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


_FINDINGS = TypeAdapter(list[Finding])


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


_SURROGATE = re.compile("[\ud800-\udfff]")

_LATIN = re.compile(r"[A-Za-z]")
_INITIAL = re.compile(r"(?<![\w&'’])[^\W\d_]")  # the first letter of a word
_PARENS = re.compile(r"[(（][^()（）\n]*[)）]")
_PARAGRAPH = re.compile(r"\n[ \t\xa0\u3000]*\r?\n\s*")
_DROPPED = {Status.deprecated, Status.superseded}
_SIDE_ORDER = {"text": 0, "source": 0, "target": 1}
_ORDER = {kind: i for i, kind in enumerate(Kind)}


@dataclass
class _Unit:
    """A segment, or a paragraph of a text: where a rendering is looked for when the Chinese is there."""

    segment: int | None
    source_side: Literal["text", "source"]
    target_side: Literal["text", "target"]
    source: str
    target: str
    start: int = 0  # the paragraph's span in a text
    end: int | None = None
    zh: list[Hit] = field(default_factory=list)
    en: list[Hit] = field(default_factory=list)
    evidence: set[str] = field(default_factory=set)  # entries whose Chinese asks for a rendering here


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a check runs.

    A check of 1 MB creates some 60,000 objects and no reference cycles, so the collections they trigger find
    nothing to free, yet cost a third of the time (measured: 0.22 s against 0.145 s). Reference counting
    frees everything as usual. If the collector is already off (another check, or the application), it is
    left alone; it is switched back on only by the call that switched it off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def detect_lang(text: str) -> Literal["zh", "en"]:
    """The language of a draft: Chinese when Han characters are at least a third as many as Latin letters."""
    sample = text[:200_000]
    han = len(HAN.findall(sample))
    return "zh" if han and han * 3 >= len(_LATIN.findall(sample)) else "en"


class Checker:
    """The automata for one term-base version; `check` is thread-safe (nothing is written after __init__)."""

    _cache: dict[str, Checker] = {}
    _cache_lock = threading.Lock()

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        reference: Iterable[ReferenceEntry] | None = None,
        source_ids: Iterable[str] | None = None,
        version: str | None = None,
        max_chars: int = MAX_CHARS,
    ):
        self.entries = {entry.id: entry for entry in entries}
        self.version = version
        self.max_chars = max_chars
        cited = {s for entry in self.entries.values() for r in entry.renderings for s in r.sources}
        self.source_ids = frozenset(source_ids or ()) | cited
        self.matcher = Matcher(self.entries.values(), reference)

    @classmethod
    def for_base(cls, base: TermBase) -> Checker:
        """The checker for a loaded base, built once per base version and shared (also across threads)."""
        with cls._cache_lock:
            checker = cls._cache.get(base.version)
            if checker is None:
                checker = cls(base.entries.values(), source_ids=base.sources, version=base.version)
                if len(cls._cache) >= 4:  # a long-running service sees few versions; keep the latest
                    cls._cache.pop(next(iter(cls._cache)))
                cls._cache[base.version] = checker
            return checker

    def check(self, request: CheckRequest) -> CheckReport:
        """Check a draft; raise `CheckError` when it is too large or names an unknown source."""
        if request.text is not None:
            size = len(request.text)
        else:
            size = sum(len(s.source) + len(s.target) for s in request.segments or ())
        if size > self.max_chars:
            raise DraftTooLarge(f"the draft has {size:,} characters; the limit is {self.max_chars:,}")
        sources = frozenset(request.sources or ())
        if unknown := sorted(sources - self.source_ids):
            raise UnknownSource(f"unknown source id(s): {', '.join(unknown)}")
        strings = [request.text] if request.text is not None else [
            part for s in request.segments or () for part in (s.source, s.target)
        ]
        if any(_SURROGATE.search(string) for string in strings):
            raise NotText("the draft holds a lone surrogate (U+D800-U+DFFF), which is not a character")
        lang: Literal["zh", "en"] | None = None
        with _collector_paused():
            if request.text is not None:
                lang = request.lang or detect_lang(request.text)
                units = self._text_units(request.text, lang)
            else:
                units = [self._segment_unit(i, s) for i, s in enumerate(request.segments or ())]
            findings = _Judge(self.entries, self.matcher, sources, request.strict).run(units)
        by_kind = Counter(f.kind for f in findings)
        by_severity = Counter(f.severity for f in findings)
        summary = Summary(
            total=len(findings),
            by_kind={kind: by_kind[kind] for kind in Kind},
            by_severity={severity: by_severity[severity] for severity in Severity},
            lang=lang,
            segments=None if request.segments is None else len(request.segments),
            version=self.version,
        )
        return CheckReport(summary=summary, findings=findings)

    def _text_units(self, text: str, lang: Literal["zh", "en"]) -> list[_Unit]:
        starts = [0] + [m.end() for m in _PARAGRAPH.finditer(text)]
        ends = starts[1:] + [len(text)]
        units = [_Unit(None, "text", "text", text, text, a, b) for a, b in zip(starts, ends, strict=True)]
        # In an English text, Chinese in parentheses is the source of the English before it; Chinese quoted
        # on its own ("力,刑之所以奮也。From Mozi") asks for nothing.
        parens = [m.span() for m in _PARENS.finditer(text)] if lang == "en" else []
        for hit in self.matcher.find_chinese(text):
            unit = units[bisect_right(starts, hit.start) - 1]
            unit.zh.append(hit)
            around = parens[bisect_right(parens, (hit.start, len(text))) - 1] if parens else (0, 0)
            if around[0] < hit.start and hit.end < around[1]:
                unit.evidence.add(hit.entry_id)
        if lang == "en":
            evidence = lambda pos: units[bisect_right(starts, pos) - 1].evidence  # noqa: E731
            for hit in self.matcher.find_english(text, evidence):
                units[bisect_right(starts, hit.start) - 1].en.append(hit)
        return units

    def _segment_unit(self, index: int, segment: Segment) -> _Unit:
        unit = _Unit(index, "source", "target", segment.source, segment.target)
        unit.zh = self.matcher.find_chinese(segment.source)
        unit.evidence = {hit.entry_id for hit in unit.zh}
        unit.en = self.matcher.find_english(segment.target, lambda _pos: unit.evidence)
        return unit

def _nested(one: str, other: str) -> bool:
    """Whether one rendering is the other with words left out at either end ("core technologies")."""
    one, other = english.key(one) + " ", english.key(other) + " "
    return one in other or other in one


def _capitals(text: str) -> int:
    return sum(letter.isupper() for letter in _INITIAL.findall(text))


@dataclass(slots=True)
class _Rules:
    """One entry under one request's options: what is accepted, expected, and what each finding says."""

    entry: Entry
    accepted: frozenset[int]  # indexes of the accepted renderings
    names: list[str]  # the accepted renderings, the expected one first
    zh_message: str
    en_messages: list[str]  # the `term` message for each rendering
    dropped: list[bool]  # deprecated or superseded, by rendering


class _Judge:
    """Turns the terms found in a draft into findings, under one request's options."""

    def __init__(self, entries: dict[str, Entry], matcher: Matcher, sources: frozenset[str], strict: bool):
        self.entries = entries
        self.matcher = matcher
        self.sources = sources
        self.strict = strict
        self._rules: dict[str, _Rules] = {}
        self._named: dict[int, bool] = {}  # in_name, by id of a hit (hits live as long as the judge)
        # Findings are gathered as plain dicts and validated at once: much faster than a model each.
        self.findings: list[dict[str, Any]] = []

    def rules(self, entry_id: str) -> _Rules:
        """The rules for an entry (built on first use)."""
        if (rules := self._rules.get(entry_id)) is None:
            entry = self.entries[entry_id]
            valid = [i for i, r in enumerate(entry.renderings) if r.status not in _DROPPED]
            valid.sort(key=lambda i: entry.renderings[i].status is not Status.preferred)
            chosen = [i for i in valid if self.sources & set(entry.renderings[i].sources)]
            accepted = chosen or valid  # an entry the chosen sources do not render keeps all valid ones
            names = [entry.renderings[i].en for i in accepted]
            rules = self._rules[entry_id] = _Rules(
                entry,
                frozenset(accepted),
                names,
                f"{entry.zh} ({entry.id}): render as “{names[0]}”",
                [f"“{r.en}” ({r.status.value}) renders {entry.zh} ({entry.id})" for r in entry.renderings],
                [r.status in _DROPPED for r in entry.renderings],
            )
        return rules

    def add(self, kind: Kind, unit: _Unit, hit: Hit, side: str, message: str, suggest: bool = True) -> None:
        """Record a finding for `hit` in `unit`."""
        names = self.rules(hit.entry_id).names
        submitted = unit.target if side == "target" else unit.source
        self.findings.append(
            {
                "kind": kind,
                "severity": SEVERITY[kind],
                "term_id": hit.entry_id,
                "segment": unit.segment,
                "side": side,
                "start": hit.start,
                "end": hit.end,
                "text": submitted[hit.start : hit.end],
                "accepted": names,
                "suggestion": names[0] if suggest else None,
                "message": message,
            }
        )

    def in_name(self, unit: _Unit, hit: Hit) -> bool:
        """Whether a rendering is part of a capitalised name ("China-Russia Year of Science and Technology
        Innovation"): a name keeps its official wording, so its renderings are not judged."""
        written = unit.target[hit.start : hit.end]
        if written.islower():
            return False
        rendering = self.entries[hit.entry_id].renderings[hit.index]
        if rendering.proper_noun:
            return False
        if (named := self._named.get(id(hit))) is None:
            named = self._named[id(hit)] = _capitals(written) - _capitals(rendering.en) >= 2
        return named

    def run(self, units: list[_Unit]) -> list[Finding]:
        """Every finding for the draft, in order: segment, side, offset, kind."""
        for unit in units:
            self._unit(unit)
        self._consistency(units)
        self.findings.sort(
            key=lambda f: (f["segment"] or 0, _SIDE_ORDER[f["side"]], f["start"], f["end"], _ORDER[f["kind"]])
        )
        return _FINDINGS.validate_python(self.findings)

    def _unit(self, unit: _Unit) -> None:
        for hit in unit.zh:
            self.add(Kind.term, unit, hit, unit.source_side, self.rules(hit.entry_id).zh_message)
        for hit in unit.en:
            rules = self.rules(hit.entry_id)
            self.add(Kind.term, unit, hit, unit.target_side, rules.en_messages[hit.index], suggest=False)
            rendering, zh, expected = rules.entry.renderings[hit.index], rules.entry.zh, rules.names[0]
            if self.in_name(unit, hit):
                continue
            if rules.dropped[hit.index]:
                status = rendering.status.value
                message = f"“{rendering.en}” is a {status} rendering of {zh}: use “{expected}”"
                self.add(Kind.deprecated_rendering, unit, hit, unit.target_side, message)
            elif hit.index not in rules.accepted:
                if hit.entry_id not in unit.evidence:  # with the Chinese at hand, it is a missing rendering
                    chosen = ", ".join(sorted(self.sources))
                    message = f"“{rendering.en}” is not attested by the chosen sources ({chosen}): "
                    message += f"use “{expected}”"
                    self.add(Kind.non_preferred_rendering, unit, hit, unit.target_side, message)
            elif self.strict and rendering.en != expected:
                message = f"“{rendering.en}” is admitted; preferred for {zh} is “{expected}”"
                self.add(Kind.non_preferred_rendering, unit, hit, unit.target_side, message)
        if unit.evidence and unit.target[unit.start : unit.end].strip():
            self._missing(unit)

    def _missing(self, unit: _Unit) -> None:
        used: dict[str, list[int]] = {}
        for hit in unit.en:
            used.setdefault(hit.entry_id, []).append(hit.index)
        reported: set[str] = set()
        scan: english.Scan | None = None
        for hit in unit.zh:
            if hit.entry_id in reported or hit.entry_id not in unit.evidence:
                continue
            reported.add(hit.entry_id)
            rules = self.rules(hit.entry_id)
            indexes = used.get(hit.entry_id, [])
            if any(i in rules.accepted for i in indexes):
                continue
            if any(rules.dropped[i] for i in indexes):
                continue  # already reported as deprecated, with the suggestion
            # A rendering inside a longer term ("strength" in the quotation "strength (力) is that by
            # which …") is not a finding of its own, but it is there.
            scan = scan or english.normalise(unit.target[unit.start : unit.end])
            if self.matcher.mentions(scan, rules.names):
                continue
            accepted = ", ".join(f"“{name}”" for name in rules.names)
            found = ""
            if indexes:
                used_en = rules.entry.renderings[indexes[0]].en
                found = f" (found “{used_en}”, not attested by the chosen sources)"
            message = f"{rules.entry.zh} ({hit.entry_id}) is not rendered{found}: accepted {accepted}"
            self.add(Kind.missing_rendering, unit, hit, unit.source_side, message)

    def _consistency(self, units: list[_Unit]) -> None:
        """Flag renderings of one concept that differ from the draft's usual one, outside glosses."""
        uses: dict[str, list[tuple[_Unit, Hit]]] = {}
        for unit in units:
            for hit in unit.en:
                if not self.rules(hit.entry_id).dropped[hit.index] and not self.in_name(unit, hit):
                    uses.setdefault(hit.entry_id, []).append((unit, hit))
        for entry_id, occurrences in uses.items():
            counts = Counter(hit.index for _unit, hit in occurrences)
            if len(counts) < 2:
                continue
            entry = self.entries[entry_id]
            first_seen = {hit.index: n for n, (_unit, hit) in reversed(list(enumerate(occurrences)))}
            main = max(counts, key=lambda i: (counts[i], -first_seen[i]))
            usual = entry.renderings[main].en
            nested = {i: _nested(entry.renderings[i].en, usual) for i in counts}
            for unit, hit in occurrences:
                # "X, also known as Y" in one paragraph is a gloss, not an inconsistency; nor is a short form
                # of the usual rendering, or the full form of it ("core technologies" after "key and core
                # technologies").
                if hit.index == main or any(o.entry_id == entry_id and o.index == main for o in unit.en):
                    continue
                if nested[hit.index]:
                    continue
                message = (
                    f"{entry.zh} is rendered “{entry.renderings[hit.index].en}” here but “{usual}” elsewhere"
                    f" in this draft ({counts[main]} time{'s' if counts[main] > 1 else ''})"
                )
                self.add(Kind.inconsistent_rendering, unit, hit, unit.target_side, message, suggest=False)
