"""The rules that turn the terms found in a draft into findings.

`Judge` decides, under one request's options, what in each unit (see `units`) is accepted, deprecated, not
preferred, missing, rendered in a way the base lacks, inconsistent, or a formula given wrongly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from ..base import english
from ..base.model import Entry, Status
from . import formulas
from .consistency import classes, inconsistencies
from .locate import (
    COMPLETE,
    DEFINED,
    HEAD,
    Located,
    aligned_sentences,
    by_definition,
    locate,
    qualifier_dropped,
)
from .matcher import Hit, Matcher
from .report import SEVERITY, Finding, Kind, Severity
from .units import Unit

_INITIAL = re.compile(r"(?<![\w&'’])[^\W\d_]")  # the first letter of a word
_DROPPED = {Status.deprecated, Status.superseded}
_SIDE_ORDER = {"text": 0, "source": 0, "target": 1}
_ORDER = {kind: i for i, kind in enumerate(Kind)}
_FINDINGS = TypeAdapter(list[Finding])


def accepted_names(rules: _Rules) -> str:
    """The accepted renderings, quoted, for a message."""
    return ", ".join(f"“{name}”" for name in rules.names)


def _inside(hit: Hit, spans: list[tuple[int, int]]) -> bool:
    return any(hit.start < b and a < hit.end for a, b in spans)  # overlapping, not only inside


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


class Judge:
    """Turns the terms found in a draft into findings, under one request's options."""

    def __init__(
        self, entries: dict[str, Entry], matcher: Matcher, sources: frozenset[str], strict: bool,
        max_findings: int | None = None,
    ):
        self.entries = entries
        self.matcher = matcher
        self.sources = sources
        self.strict = strict
        self.max_findings = max_findings
        self._rules: dict[str, _Rules] = {}
        self._named: dict[int, bool] = {}  # in_name, by id of a hit (hits live as long as the judge)
        self._uses: dict[str, list[tuple[Unit, Hit]]] = {}  # judged renderings, by entry, in draft order
        self._unit_level = 0  # unrendered terms of the unit being judged, before its sentence gaps
        # Findings are gathered as plain dicts and validated at once: much faster than a model each. Problems
        # (errors, warnings) and terms found (info) are kept apart so that, past `max_findings`, every problem
        # is kept before any term: a huge draft costs bounded memory and still shows what to fix.
        self.problems: list[dict[str, Any]] = []
        self.terms: list[dict[str, Any]] = []
        self.counts: Counter[Kind] = Counter()  # every finding, kept or not

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

    def add(
        self, kind: Kind, unit: Unit, hit: Hit, side: str, message: str, suggest: bool = True,
        places: list[tuple[Unit, Hit]] | None = None,
    ) -> None:
        """Record a finding for `hit` in `unit` (standing at each of `places`, when more than one)."""
        self.counts[kind] += 1
        kept = self.terms if SEVERITY[kind] is Severity.info else self.problems
        if self.max_findings is not None and len(kept) >= self.max_findings:
            return
        names = self.rules(hit.entry_id).names
        submitted = unit.target if side == "target" else unit.source
        kept.append(
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
                "places": [
                    {"segment": u.segment, "side": side, "start": h.start, "end": h.end,
                     "text": (u.target if side == "target" else u.source)[h.start : h.end]}
                    for u, h in places or ()
                ] if places and len(places) > 1 else [],
            }
        )

    def in_name(self, unit: Unit, hit: Hit) -> bool:
        """Whether a rendering is part of a capitalised name ("China-Russia Year of Science and Technology
        Innovation"): a name keeps its official wording, so its renderings are not judged."""
        if (named := self._named.get(id(hit))) is None:
            written = unit.target[hit.start : hit.end]
            rendering = self.entries[hit.entry_id].renderings[hit.rendering]
            named = not written.islower() and not rendering.proper_noun
            named = self._named[id(hit)] = named and _capitals(written) - _capitals(rendering.en) >= 2
        return named

    def run(self, units: list[Unit]) -> list[Finding]:
        """Every finding for the draft, in order: segment, side, offset, kind."""
        for unit in units:
            self._unit(unit)
        self._consistency()
        cap = len(self.problems) + len(self.terms) if self.max_findings is None else self.max_findings
        findings = self.problems + self.terms[: max(0, cap - len(self.problems))]
        findings.sort(
            key=lambda f: (f["segment"] or 0, _SIDE_ORDER[f["side"]], f["start"], f["end"], _ORDER[f["kind"]])
        )
        return _FINDINGS.validate_python(findings)

    def _unit(self, unit: Unit) -> None:
        for hit in unit.zh:
            self.add(Kind.term, unit, hit, unit.source_side, self.rules(hit.entry_id).zh_message)
        self._formulas(unit)
        pending: list[tuple[Hit, Located | None]] = []
        if unit.evidence and unit.target[unit.start : unit.end].strip():
            pending = self._unrendered(unit)
            # The most specific rendering that covers the words wins: an English term inside the stretch that
            # renders a term of the source ("self-reliance" in "self-reliance in science and technology",
            # for 科技自立自强) is not a term of its own, unless the source has it too.
            spans = [(found.start, found.end) for _, found in pending if found is not None]
            if spans:
                unit.en = [hit for hit in unit.en if hit.entry_id in unit.evidence or not _inside(hit, spans)]
        for hit in unit.en:
            self._english(unit, hit)
        gaps = {id(hit) for hit, _ in pending[self._unit_level :]}
        for hit, found in pending:
            self._missing(unit, hit, found, everywhere=id(hit) not in gaps)

    def _formulas(self, unit: Unit) -> None:
        """Members of a formula incomplete or out of order around its label, or all given without it."""
        labels = {hit.entry_id: hit for hit in unit.zh}
        for entry_id, found_members in unit.members.items():
            members = sorted(found_members)
            entry = self.entries[entry_id]
            label = labels.get(entry_id)
            if label is not None and not formulas.numbered(entry):
                continue  # the label is the members (教育、科技、人才): nothing more to say
            found = formulas.check_members(entry, members, label.start if label else None)
            if found is None:
                continue
            hit = Hit(found.start, found.end, entry_id)
            if found.message is None:
                message = f"{entry.zh} ({entry.id}): its members, without the label"
                self.add(Kind.term, unit, hit, unit.source_side, message)
            else:
                self.add(Kind.formula, unit, hit, unit.source_side, found.message, suggest=False)

    def _english(self, unit: Unit, hit: Hit) -> None:
        rules = self.rules(hit.entry_id)
        if hit.miscount:  # a formula's rendering with the wrong count word
            written = unit.target[hit.start : hit.end]
            message = formulas.miscount_message(rules.entry, written, hit.miscount)
            self.add(Kind.formula, unit, hit, unit.target_side, message, suggest=False)
            return
        self.add(Kind.term, unit, hit, unit.target_side, rules.en_messages[hit.rendering], suggest=False)
        rendering, zh, expected = rules.entry.renderings[hit.rendering], rules.entry.zh, rules.names[0]
        if self.in_name(unit, hit):
            return
        if hit.shared and hit.entry_id not in unit.evidence:
            return  # a rendering several concepts share is judged only where the Chinese says which
        if not rules.dropped[hit.rendering]:  # what the consistency check compares, gathered on the way
            self._uses.setdefault(hit.entry_id, []).append((unit, hit))
        if rules.dropped[hit.rendering]:
            status = rendering.status.value
            message = f"“{rendering.en}” is a {status} rendering of {zh}: use “{expected}”"
            self.add(Kind.deprecated_rendering, unit, hit, unit.target_side, message)
        elif hit.rendering not in rules.accepted:
            if hit.entry_id not in unit.evidence:  # with the Chinese at hand, it is a missing rendering
                chosen = ", ".join(sorted(self.sources))
                message = f"“{rendering.en}” is not attested by the chosen sources ({chosen}): "
                message += f"use “{expected}”"
                self.add(Kind.non_preferred_rendering, unit, hit, unit.target_side, message)
        elif self.strict and rendering.en != expected:
            message = f"“{rendering.en}” is admitted; preferred for {zh} is “{expected}”"
            self.add(Kind.non_preferred_rendering, unit, hit, unit.target_side, message)

    def _unrendered(self, unit: Unit) -> list[tuple[Hit, Located | None]]:
        """The first Chinese occurrence of each source term the target has no accepted rendering of, with
        the stretch of the target that seems to render it (None: nothing like it, or a rendering the chosen
        sources do not attest)."""
        used: dict[str, list[int]] = {}
        for hit in unit.en:
            used.setdefault(hit.entry_id, []).append(hit.rendering)
        reported: set[str] = set()
        scan: english.Scan | None = None
        pending: list[tuple[Hit, Located | None]] = []
        span = (unit.start, len(unit.target) if unit.end is None else unit.end)
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
            scan = scan or english.normalise(unit.target[span[0] : span[1]])
            if self.matcher.mentions(scan, rules.names):
                continue
            found = None
            if not indexes:
                renderings = [(i, rules.entry.renderings[i].en) for i in sorted(rules.accepted)]
                trimmed = qualifier_dropped(scan, renderings)
                if trimmed is not None:  # a listed rendering less a qualifier the source may not have
                    start, end, index = trimmed
                    pending.append((hit, Located(start + span[0], end + span[0], COMPLETE, index)))
                    continue
                if rules.entry.literal:  # a free rendering often keeps the literal words
                    renderings.append((-1, rules.entry.literal))
                found = locate(self.matcher.stems, unit.target, renderings, span)
                if found is None and rules.entry.definition:
                    found = by_definition(self.matcher.stems, unit.target, rules.entry.definition, span)
            pending.append((hit, found))
        self._unit_level = len(pending)  # what follows are sentence gaps (the term rendered elsewhere)
        return pending + self._sentence_gaps(unit, reported - {hit.entry_id for hit, _ in pending}, span)

    def _sentence_gaps(
        self, unit: Unit, rendered: set[str], span: tuple[int, int]
    ) -> list[tuple[Hit, Located | None]]:
        """A term rendered in one sentence of a segment but not in another that has it: judged where it
        stands, when the source and the target have as many sentences (so that they pair in order) and
        neither the paired target sentence nor its neighbours render it."""
        # Only a term standing more than once can be rendered in one sentence and not in another.
        counts = Counter(hit.entry_id for hit in unit.zh if hit.entry_id in rendered)
        rendered = {entry_id for entry_id, count in counts.items() if count > 1}
        source_span = (unit.start, len(unit.source) if unit.end is None else unit.end)
        pairs = aligned_sentences(unit.source, unit.target, source_span, span) if rendered else None
        if pairs is None:
            return []
        gaps: list[tuple[Hit, Located | None]] = []
        judged: set[tuple[str, int]] = set()
        for hit in unit.zh:
            if hit.entry_id not in rendered:
                continue
            n = next((i for i, (zh, _en) in enumerate(pairs) if zh[0] <= hit.start < zh[1]), None)
            if n is None or (hit.entry_id, n) in judged:
                continue
            judged.add((hit.entry_id, n))
            # The neighbours count too: a translator who splits one sentence and joins two keeps the count
            # but shifts the pairs by one.
            a, b = pairs[max(n - 1, 0)][1][0], pairs[min(n + 1, len(pairs) - 1)][1][1]
            if any(h.entry_id == hit.entry_id and a <= h.start < b for h in unit.en):
                continue
            rules = self.rules(hit.entry_id)
            if self.matcher.mentions(english.normalise(unit.target[a:b]), rules.names):
                continue
            renderings = [(i, rules.entry.renderings[i].en) for i in sorted(rules.accepted)]
            found = locate(self.matcher.stems, unit.target, renderings, (a, b))
            if found is None or found.quality != COMPLETE:
                gaps.append((hit, found))
        return gaps

    def _missing(self, unit: Unit, hit: Hit, found: Located | None, everywhere: bool = True) -> None:
        rules = self.rules(hit.entry_id)
        entry = rules.entry
        if found is not None:
            there = Hit(found.start, found.end, hit.entry_id, found.rendering)
            written = unit.target[found.start : found.end]
            if found.quality == DEFINED:
                message = (
                    f"{entry.zh} ({entry.id}): none of its renderings is here, but “{written}” (a word of its"
                    f" definition) is: a rendering the base does not list?; accepted {accepted_names(rules)}"
                )
                self.add(Kind.unlisted_rendering, unit, there, unit.target_side, message)
                return
            like = entry.renderings[found.rendering].en if found.rendering >= 0 else entry.literal
            if found.quality == COMPLETE:  # the rendering, its words in another order or form
                message = f"“{written}” renders {entry.zh} ({entry.id}), as “{like}” in another form"
                self.add(Kind.term, unit, there, unit.target_side, message, suggest=False)
                self._uses.setdefault(hit.entry_id, []).append((unit, there))
                return
            accepted = ", ".join(f"“{name}”" for name in rules.names)
            if found.quality == HEAD:
                message = (
                    f"{entry.zh} ({entry.id}): only “{written}” of “{like}” is there; accepted {accepted}"
                )
                self.add(Kind.unlisted_rendering, unit, there, unit.target_side, message)
                return
            message = (
                f"{entry.zh} ({entry.id}) seems rendered “{written}”, which the base does not list"
                f" ({'closest' if found.rendering >= 0 else 'like its literal gloss'}: “{like}”);"
                f" accepted {accepted}"
            )
            self.add(Kind.unlisted_rendering, unit, there, unit.target_side, message)
            return
        used = [h.rendering for h in unit.en if h.entry_id == hit.entry_id]
        accepted = ", ".join(f"“{name}”" for name in rules.names)
        also = ""
        if used:
            also = f" (found “{entry.renderings[used[0]].en}”, not attested by the chosen sources)"
        message = f"{entry.zh} ({hit.entry_id}) is not rendered{also}: accepted {accepted}"
        # Not rendered anywhere in the unit: one finding, at every place the source has the term.
        places = [(unit, other) for other in unit.zh if other.entry_id == hit.entry_id] if everywhere else []
        self.add(Kind.missing_rendering, unit, hit, unit.source_side, message, places=places)

    def _classes(self, entry: Entry) -> list[int]:
        cache = self.matcher.class_cache  # shared by every check of this base version; a race computes twice
        if (found := cache.get(entry.id)) is None:
            found = cache[entry.id] = classes(entry, self.matcher.equivalences)
        return found

    def _consistency(self) -> None:
        """Flag renderings of one concept that differ from the draft's usual one, outside glosses."""
        found = inconsistencies(self._uses, self.entries, self._classes)  # type: ignore[arg-type]
        for item in found:
            entry = self.entries[item.entry_id]
            here, usual = entry.renderings[item.rendering].en, entry.renderings[item.usual].en
            times = f" ({len(item.places)} times)" if len(item.places) > 1 else ""
            message = (
                f"{entry.zh} is rendered “{here}” here{times} but “{usual}”"
                f" elsewhere in this draft ({item.usual_count} time{'s' if item.usual_count > 1 else ''})"
            )
            places: list[tuple[Unit, Hit]] = item.places  # type: ignore[assignment]
            unit, hit = places[0]
            self.add(Kind.inconsistent_rendering, unit, hit, unit.target_side, message, suggest=False,
                     places=places)
