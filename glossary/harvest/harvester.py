"""The harvest pipeline: read the bitexts, find the Chinese candidates, rank them, propose their English."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..base import cedict, quotes, store
from . import bitext, chinese, english

# A proposed rendering must translate the candidate at least this well (lexical F1, see english.coverages) and
# translate at least this share of its Chinese: below either the harvester says it found no rendering rather
# than guess. Tuned on the dev documents only.
MIN_LEXICAL = 0.5
MIN_ZH_COVERAGE = 0.7


@dataclass
class Candidate:
    """A ranked term candidate with its proposed English (or None) and the sentences that show both."""

    rank: int
    zh: str
    score: float
    freq: int
    pattern: str | None
    zh_sentence: str
    file: str
    line: int
    en: str | None = None
    en_score: float | None = None
    en_sentence: str | None = None
    en_segment: str | None = None  # the whole English of the segment, when its Chinese is one sentence
    source: int = 0  # which input it came from (index into Harvest.bitexts)
    # An entry of the base whose rendering is this English: the candidate may be another Chinese form of it.
    en_known_as: str | None = None

    def as_json(self) -> dict[str, object]:
        """The candidate as `glossary harvest --json` prints it."""
        return {
            "rank": self.rank,
            "zh": self.zh,
            "score": round(self.score, 3),
            "freq": self.freq,
            "pattern": self.pattern,
            "en": self.en,
            "en_score": None if self.en_score is None else round(self.en_score, 3),
            "zh_sentence": self.zh_sentence,
            "en_sentence": self.en_sentence,
            "en_known_as": self.en_known_as,
            "file": self.file,
            "line": self.line,
        }


@dataclass
class Harvest:
    """What a harvest found: the inputs read and the ranked candidates."""

    bitexts: list[bitext.Bitext]
    candidates: list[Candidate] = field(default_factory=list)
    segments: int = 0


class HarvestError(ValueError):
    """A harvest that cannot run (unreadable input, an output folder inside the base): one line to act on."""


def lexicon_for(
    base: store.TermBase, dictionary: Path | None = None, text: str | None = None
) -> english.Lexicon:
    """The word lexicon: the base's terms against their renderings, and CC-CEDICT's senses when given
    (only the headwords that stand in `text`, when given: a document needs a few thousand of 120,000)."""
    triples: list[tuple[list[str], list[str], list[str]]] = []
    for entry in base.entries.values():
        words = chinese.plain_cut(entry.zh)
        for rendering in entry.renderings:
            triples.append((entry.chinese_forms(), words, english.content_stems(rendering.en)))
        for member in entry.members:
            triples.append(([member.zh], chinese.plain_cut(member.zh), english.content_stems(member.en)))
    lexicon = english.Lexicon.learn(triples)
    if dictionary is not None:
        # Only the headwords that stand in the text: every substring of up to 8 characters, in a set (a
        # substring test per headword would scan the text 120,000 times).
        present = None
        if text is not None:
            present = {text[i : i + n] for i in range(len(text)) for n in range(1, 9)}
        for simp, senses in _glosses(dictionary.resolve(), dictionary.stat().st_mtime_ns):
            if present is None or simp in present:
                # Later senses of a word are rarer ones: they count for less.
                for rank, stems in enumerate(senses):
                    lexicon.add(simp, stems, 0.9 - 0.1 * rank)
    return lexicon


@lru_cache(maxsize=2)
def _verbs(path: Path, mtime: int) -> frozenset[str]:
    """The headwords CC-CEDICT glosses only as verbs: every sense starts with "to " (利用, 钻研, 减负)."""
    verbs = set()
    for item in cedict.read_cedict(path):
        glosses = [g.strip() for s in item.senses if not s.startswith("CL:") for g in s.split(";")]
        if glosses and all(g.startswith("to ") for g in glosses):
            verbs.add(item.simp)
    return frozenset(verbs)


@lru_cache(maxsize=2)
def _glosses(path: Path, mtime: int) -> list[tuple[str, tuple[tuple[str, ...], ...]]]:
    """CC-CEDICT's headwords with the stems of their first six glosses, read once per file and process."""
    entries = []
    for item in cedict.read_cedict(path):
        senses = [re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", s) for s in item.senses if not s.startswith("CL:")]
        glosses = [g for s in senses for g in s.split(";")][:6]
        entries.append((item.simp, tuple(tuple(english.content_stems(g)) for g in glosses)))
    return entries


def read(paths: list[Path]) -> list[bitext.Bitext]:
    """The inputs as bitexts (`HarvestError` naming the file when one cannot be read)."""
    try:
        return bitext.read(paths)
    except bitext.BitextError as exc:
        raise HarvestError(str(exc)) from None


def harvest(
    inputs: list[Path] | list[bitext.Bitext],
    base: store.TermBase,
    *,
    limit: int = 50,
    dictionary: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> Harvest:
    """Propose up to `limit` ranked candidates the base lacks, with their English, from files or bitexts.

    `progress` is called with 1 for each segment read (a progress bar's `update`).
    """
    bitexts = [b for b in inputs if isinstance(b, bitext.Bitext)]
    if not bitexts:
        bitexts = read([Path(p) for p in inputs if isinstance(p, Path | str)])
    pairs = [(i, p) for i, b in enumerate(bitexts) for p in b.pairs]
    result = Harvest(bitexts, segments=len(pairs))
    if not pairs:
        return result
    known = {form for entry in base.entries.values() for form in entry.chinese_forms()}
    segmenter = chinese.Segmenter(known)
    lexicon = lexicon_for(base, dictionary, "\n".join(p.zh for _, p in pairs))
    texts = [p.zh for _, p in pairs]
    targets = [p.en for _, p in pairs]
    verbs = _verbs(dictionary.resolve(), dictionary.stat().st_mtime_ns) if dictionary else frozenset()
    found = chinese.extract(texts, segmenter, known, progress=progress, verbs=verbs)
    chosen = chinese.best_cover(found, limit)
    counts = english.count_grams(targets)
    renderings = {r.en.casefold(): e.id for e in base.entries.values() for r in e.renderings}
    for rank, cand in enumerate(chosen, start=1):
        first = cand.segments[0]
        source, pair = pairs[first]
        zh_sentence = next((s for s in chinese.sentences(pair.zh) if cand.zh in s), pair.zh)
        item = Candidate(
            rank, cand.zh, cand.score, cand.freq, cand.pattern, zh_sentence, pair.file, pair.line
        )
        item.source = source
        words = [w.text for w in cand.words]
        proposal = english.propose(
            words, cand.segments, targets, lexicon, counts, MIN_LEXICAL, MIN_ZH_COVERAGE
        )
        if proposal is not None and english.accepted(proposal, MIN_LEXICAL, MIN_ZH_COVERAGE):
            _, at = pairs[proposal.segment]
            item.en, item.en_score = proposal.en, proposal.score
            item.en_known_as = renderings.get(proposal.en.casefold())
            item.en_sentence = next(
                (
                    s
                    for s in english_sentences(at.en)
                    if proposal.en in s and quotes.shows_rendering(s, proposal.en)
                ),
                at.en,
            )
            item.source, item.file, item.line = pairs[proposal.segment][0], at.file, at.line
            item.zh_sentence = next((s for s in chinese.sentences(at.zh) if cand.zh in s), at.zh)
            if len(chinese.sentences(at.zh)) == 1:
                item.en_segment = at.en
        result.candidates.append(item)
    return result


_EN_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z“\"(])")


def english_sentences(text: str) -> list[str]:
    """The sentences of an English paragraph."""
    return [s.strip() for s in _EN_SENTENCE.split(text) if s.strip()]
