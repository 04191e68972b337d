"""The checker measured on the real-text corpus against the hand judgements in tests/corpus/judgements.yaml.

Each corpus document is checked three ways, as an editor would: as a bilingual draft (its passages as
segments, Chinese source and the publisher's English target), as an English text and as a Chinese text (its
passages as paragraphs). Every error and warning is looked up in the judgements (true or false, with a
reason); every term the checker finds in a passage is looked up in the passage's judged term sets. What is not
judged yet is listed, so that a new finding (after the base grew) is never counted silently.

Figures: precision of errors+warnings (true / judged), Chinese term recall (judged Chinese terms found /
judged Chinese terms) and English term recall (judged rendered terms found in the English / judged rendered
terms), for the held-out and the dev documents apart. `python3 bench/corpus.py` prints them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from corpus_data import CORPUS_DIR, Document, load_corpus

from glossary.base.store import TermBase
from glossary.check.checker import Checker
from glossary.check.report import CheckRequest, Finding, Segment, Severity

JUDGEMENTS = CORPUS_DIR / "judgements.yaml"
MODES = ("segment", "en", "zh")
_FINDING_KEYS = ("doc", "passage", "mode", "kind", "term", "text")
_PASSAGE_KEYS = {"zh_start", "zh", "en", "en_other", "en_only", "false_zh", "false_en", "note"}


@dataclass(frozen=True)
class Problem:
    """An error or warning the checker gave, placed by document, passage and how the document was checked."""

    doc: str
    passage: int  # 1-based, in the document's order
    mode: str
    kind: str
    term: str
    text: str
    message: str

    @property
    def key(self) -> tuple[str, int, str, str, str, str]:
        """What a judgement is looked up by (no offsets: they shift when a passage is edited)."""
        return (self.doc, self.passage, self.mode, self.kind, self.term, self.text)


@dataclass
class Run:
    """Everything the checker found in the corpus."""

    problems: list[Problem] = field(default_factory=list)
    zh_terms: dict[str, set[str]] = field(default_factory=dict)  # by passage key "doc#n"
    en_terms: dict[str, set[str]] = field(default_factory=dict)
    split: dict[str, str] = field(default_factory=dict)  # doc id → held-out | dev


def passage_key(doc: str, number: int) -> str:
    """The stable key of a passage: the document id and its 1-based number."""
    return f"{doc}#{number}"


def _passage_of(doc: Document, finding: Finding, mode: str, starts: list[int]) -> int:
    if mode == "segment":
        return (finding.segment or 0) + 1
    return sum(1 for s in starts if s <= finding.start)


def run_corpus(checker: Checker, docs: list[Document] | None = None) -> Run:
    """Check every corpus document as segments, as an English text and as a Chinese text."""
    run = Run()
    for doc in docs if docs is not None else load_corpus():
        run.split[doc.id] = doc.split
        segments = [Segment(source=p.zh, target=p.en) for p in doc.passages]
        for n in range(1, len(doc.passages) + 1):
            run.zh_terms[passage_key(doc.id, n)] = set()
            run.en_terms[passage_key(doc.id, n)] = set()
        reports = {"segment": (checker.check(CheckRequest(segments=segments)), [])}
        for lang in ("en", "zh"):
            paragraphs = [getattr(p, lang) for p in doc.passages]
            starts = [sum(len(t) + 2 for t in paragraphs[:i]) for i in range(len(paragraphs))]
            text = "\n\n".join(paragraphs)
            reports[lang] = (checker.check(CheckRequest(text=text, lang=lang)), starts)
        for mode, (report, starts) in reports.items():
            for finding in report.findings:
                number = _passage_of(doc, finding, mode, starts)
                if finding.severity is Severity.info:
                    if mode == "segment":
                        side = run.zh_terms if finding.side == "source" else run.en_terms
                        side[passage_key(doc.id, number)].add(finding.term_id)
                    continue
                run.problems.append(
                    Problem(doc.id, number, mode, finding.kind.value, finding.term_id, finding.text,
                            finding.message)
                )
    return run


class JudgementError(ValueError):
    """A malformed judgements file: the message names the entry."""


@dataclass
class Judgements:
    """The hand judgements: one verdict per finding, and the true term sets of each passage."""

    findings: dict[tuple[str, int, str, str, str, str], tuple[bool, str]]
    passages: dict[str, dict[str, Any]]


def load_judgements(path: Path = JUDGEMENTS) -> Judgements:
    """Read the judgements file; raise JudgementError for an entry out of shape."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    findings: dict[tuple[str, int, str, str, str, str], tuple[bool, str]] = {}
    for number, item in enumerate(raw.get("findings") or [], start=1):
        missing = [k for k in (*_FINDING_KEYS, "verdict", "reason") if k not in item]
        if missing or not isinstance(item["verdict"], bool) or not str(item["reason"]).strip():
            needs = ", ".join(missing) or "a bool verdict and a reason"
            raise JudgementError(f"{path.name}: finding #{number} needs {needs}")
        key = tuple(item[k] for k in _FINDING_KEYS)
        if key in findings:
            raise JudgementError(f"{path.name}: finding #{number} is judged twice: {key}")
        findings[key] = (item["verdict"], item["reason"])  # type: ignore[index]
    passages = raw.get("passages") or {}
    for key, item in passages.items():
        if stray := set(item) - _PASSAGE_KEYS:
            raise JudgementError(f"{path.name}: passage {key} has unknown fields {sorted(stray)}")
    return Judgements(findings, passages)


@dataclass
class Score:
    """Counts for one split."""

    true: int = 0
    false: int = 0
    zh_expected: int = 0
    zh_found: int = 0
    en_expected: int = 0
    en_found: int = 0
    en_other: int = 0  # rendered in a way the base lacks: no rendering to find, so outside the recall

    @property
    def precision(self) -> float:
        """True errors and warnings over all judged ones (1.0 when there are none)."""
        return self.true / (self.true + self.false) if self.true + self.false else 1.0

    @property
    def zh_recall(self) -> float:
        """Judged Chinese terms the checker found."""
        return self.zh_found / self.zh_expected if self.zh_expected else 1.0

    @property
    def en_recall(self) -> float:
        """Judged English renderings the checker found."""
        return self.en_found / self.en_expected if self.en_expected else 1.0


@dataclass
class Evaluation:
    """Scores by split, with what is not judged, what is judged false and what was missed."""

    scores: dict[str, Score]
    unjudged: list[str]
    false_findings: list[tuple[Problem, str]]
    misses: list[str]
    stale: list[str]


def evaluate(
    run: Run, judgements: Judgements, base: TermBase, docs: list[Document] | None = None
) -> Evaluation:
    """Score a run against the judgements."""
    docs = docs if docs is not None else load_corpus()
    scores = {"held-out": Score(), "dev": Score()}
    unjudged: list[str] = []
    false_findings: list[tuple[Problem, str]] = []
    misses: list[str] = []
    stale: list[str] = []
    seen: set[tuple[str, int, str, str, str, str]] = set()
    for problem in run.problems:
        score = scores[run.split[problem.doc]]
        verdict = judgements.findings.get(problem.key)
        if problem.key in seen:
            continue  # the same finding twice in one passage (a term in two sentences) is judged once
        seen.add(problem.key)
        if verdict is None:
            unjudged.append(f"finding {_finding_yaml(problem)}  # {problem.message}")
            continue
        if verdict[0]:
            score.true += 1
        else:
            score.false += 1
            false_findings.append((problem, verdict[1]))
    for key in judgements.findings:
        if key not in seen:
            stale.append(f"judged finding no longer given: {key}")
    for doc in docs:
        score = scores[doc.split]
        for n, passage in enumerate(doc.passages, start=1):
            key = passage_key(doc.id, n)
            judged = judgements.passages.get(key)
            if judged is None:
                unjudged.append(f"passage {key} has no term judgement ({passage.zh[:20]}…)")
                continue
            if not passage.zh.startswith(str(judged.get("zh_start", ""))):
                unjudged.append(f"passage {key} changed: judged zh_start {judged.get('zh_start')!r}")
                continue
            zh, en = set(judged.get("zh") or []), set(judged.get("en") or [])
            other = set(judged.get("en_other") or {})
            named = zh | en | other | set(judged.get("en_only") or []) | set(judged.get("false_zh") or {})
            for term in named | set(judged.get("false_en") or {}):
                if term not in base.entries:
                    unjudged.append(f"passage {key}: judged term {term} is not in the base")
            if stray := en - zh:
                unjudged.append(f"passage {key}: en terms {sorted(stray)} are not in its zh terms")
            found_zh, found_en = run.zh_terms.get(key, set()), run.en_terms.get(key, set())
            for term in sorted(found_zh - zh - set(judged.get("false_zh") or {})):
                unjudged.append(f"passage {key}: Chinese term {term} found: judge it (zh or false_zh)")
            known_en = en | other | set(judged.get("en_only") or []) | set(judged.get("false_en") or {})
            for term in sorted(found_en - known_en):
                unjudged.append(f"passage {key}: English term {term} found: judge it (en/en_only/false_en)")
            score.zh_expected += len(zh)
            score.zh_found += len(zh & found_zh)
            score.en_expected += len(en)
            score.en_found += len(en & found_en)
            score.en_other += len(other)
            misses += [f"{key} zh {t}" for t in sorted(zh - found_zh)]
            misses += [f"{key} en {t}" for t in sorted(en - found_en)]
    return Evaluation(scores, unjudged, false_findings, misses, stale)


def _finding_yaml(problem: Problem) -> str:
    return (
        f"{{doc: {problem.doc}, passage: {problem.passage}, mode: {problem.mode}, kind: {problem.kind}, "
        f"term: {problem.term}, text: {json.dumps(problem.text, ensure_ascii=False)}}}"
    )


def lines(evaluation: Evaluation) -> Iterator[str]:
    """The figures as printed by bench/corpus.py."""
    for split, s in evaluation.scores.items():
        yield (
            f"{split:8}: precision of errors+warnings {s.precision:6.1%} ({s.true} true, {s.false} false)"
            f" | Chinese term recall {s.zh_recall:6.1%} ({s.zh_found}/{s.zh_expected})"
            f" | English term recall {s.en_recall:6.1%} ({s.en_found}/{s.en_expected};"
            f" {s.en_other} more rendered in ways the base lacks)"
        )
