"""English renderings for Chinese candidates: n-grams of the targets, scored by association and lexicon.

For a candidate, every n-gram of the English of the segments it occurs in is a possible rendering. Two kinds
of evidence score it:

- association over segments (logDice, Rychlý 2008: 14 + log2(2·f(c,g) / (f(c) + f(g))), f counted in
  segments): an n-gram that also stands in segments without the candidate is less likely its rendering;
- a word lexicon: how well the candidate's words and the n-gram's content words translate each other (an F1 of
  the two coverages). The lexicon is learnt from the base itself (each Chinese word of a term against the
  words of its renderings, Dice over entries; each whole term against its renderings) and, when given,
  CC-CEDICT.

In a document of a few dozen segments most candidates occur once, and then logDice cannot tell the n-grams of
that one sentence apart: the lexicon does, and association breaks its ties. A word aligner (eflomal,
fast_align) needs thousands of sentence pairs to estimate its translation tables; a document's few hundred are
not enough, and the base plus a dictionary carry more than they could learn.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[A-Za-z]+&[A-Za-z]+|[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d+(?:\.\d+)?")
_CHUNK = re.compile(r"[,;:.!?()\[\]\"“”‘’—–…]|\s'|'\s")
_STOP = set(
    """a an the of and or in on at to for from by with as into over under than that this these those which who
    whom whose it its we our us they their them he she his her is are was were be been being will would shall
    should can could may might must do does did have has had not no such so also more most other all each
    every both any some own very well further across through about between within while per""".split()
)
# Words that open a clause of official English and never start a rendering.
_OPENERS = set("we will must should continue work strive ensure make made take efforts step".split())
_STEMMER = snowballstemmer.stemmer("english")
_SUFFIXES = set("性 化 型 式 度 率 者 家 员 界")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's key for the lexicon: the first five letters of its Porter2 stem, lower case.

    Porter2 leaves derivations apart (scienc/scientif, financ/financi, technolog/technolog); their first five
    letters meet, at the price of joining a few unrelated words (nation/nationwide), which the lexicon's
    weights then tell apart.
    """
    return str(_STEMMER.stemWord(word.lower().replace("’", "'").removesuffix("'s")))[:5]


def content_stems(text: str) -> list[str]:
    """The stems of the content words of a text (stop words left out)."""
    return [stem(w) for w in _WORD.findall(text) if w.lower() not in _STOP]


@dataclass(frozen=True)
class Gram:
    """An English n-gram as it stands in a target: its exact text and the stems of its content words."""

    text: str
    stems: tuple[str, ...]
    # Ends on a modifier with the noun it modifies right after it ("core technologies in key | fields",
    # "policy-backed financial | support"): a cut noun phrase, unlikely to be a whole rendering.
    cut: bool = False


# Endings of English adjectives (and "key", the commonest modifier of official English).
_MODIFIER = re.compile(r"(?:al|ic|ive|ary|ous|ial|based|backed|level|wide|key)$", re.IGNORECASE)


def grams(text: str, max_words: int = 8) -> list[Gram]:
    """The n-grams of a text that could be a term: inside punctuation, no stop word or opener at an edge."""
    found: list[Gram] = []
    for chunk in _CHUNK.split(text):
        tokens = list(_WORD.finditer(chunk))
        for i in range(len(tokens)):
            first = tokens[i].group(0).lower()
            if first in _STOP or first in _OPENERS or first[0].isdigit():
                continue
            if tokens[i].group(0).isupper() and len(tokens[i].group(0)) > 3:
                continue  # a title in capitals (REPORT ON THE …): its words, not a rendering's form
            for j in range(i, min(i + max_words, len(tokens))):
                last = tokens[j].group(0).lower()
                if last in _STOP:
                    continue
                surface = chunk[tokens[i].start() : tokens[j].end()]
                words = [t.group(0) for t in tokens[i : j + 1]]
                stems = tuple(stem(w) for w in words if w.lower() not in _STOP)
                after = tokens[j + 1].group(0).lower() if j + 1 < len(tokens) else ""
                cut = bool(after) and after not in _STOP and _MODIFIER.search(last) is not None
                found.append(Gram(surface, stems, cut))
    return found


class Lexicon:
    """Chinese word → its English senses (sets of stems), each with a weight in [0, 1]."""

    def __init__(self) -> None:
        self._senses: dict[str, list[tuple[frozenset[str], float]]] = defaultdict(list)
        self._best: dict[str, dict[str, float]] = defaultdict(dict)

    def add(self, zh: str, stems: Iterable[str], weight: float) -> None:
        """Record a sense of `zh`: the stems of an English gloss or rendering, with a weight."""
        sense = frozenset(stems)
        if not sense:
            return
        self._senses[zh].append((sense, weight))
        best = self._best[zh]
        for s in sense:
            if best.get(s, 0.0) < weight:
                best[s] = weight

    def weight(self, zh: str, en_stem: str) -> float:
        """How well an English stem translates some sense of a Chinese word (0: no evidence)."""
        return self._best.get(zh, {}).get(en_stem, 0.0)

    def cover(self, zh: str, stems: frozenset[str]) -> float:
        """How much of its best sense the stems give a Chinese word: 核电 "nuclear power" is half covered by
        "power technology" and whole by "nuclear power technology"."""
        return max(
            (w * len(sense & stems) / len(sense) for sense, w in self._senses.get(zh, ())), default=0.0
        )

    def expand(self, words: list[str]) -> list[str]:
        """The words, each one the lexicon lacks replaced by its parts (心理健康 → 心理, 健康; 政策性 →
        政策)."""
        expanded: list[str] = []
        for word in words:
            parts = self.parts(word) if word not in self._senses else ()
            # Suffixes that make adjectives and abstract nouns (政策性, 专业化, 应用型) carry no word of their
            # own.
            expanded += [p for p in parts if p not in _SUFFIXES] if parts else [word]
        return expanded

    @lru_cache(maxsize=65536)  # noqa: B019 - one lexicon per harvest; the cache dies with it
    def parts(self, zh: str) -> tuple[str, ...]:
        """A word the lexicon lacks, split into known parts greedily from the left."""
        found: list[str] = []
        i = 0
        while i < len(zh):
            for j in range(len(zh), i, -1):
                if zh[i:j] in self._senses or j == i + 1:
                    found.append(zh[i:j])
                    i = j
                    break
        return tuple(found) if len(found) > 1 else ()

    def __contains__(self, zh: object) -> bool:
        return zh in self._senses

    @classmethod
    def learn(cls, pairs: Iterable[tuple[list[str], list[str], list[str]]]) -> Lexicon:
        """From (whole terms, Chinese words, English stems) triples, e.g. the base's entries and renderings.

        Each whole term maps to its renderings' stems with weight 1; each word to each stem by Dice over the
        triples, kept when the pair co-occurs at least twice (once is any word of the rendering).
        """
        lexicon = cls()
        n_zh: Counter[str] = Counter()
        n_en: Counter[str] = Counter()
        both: Counter[tuple[str, str]] = Counter()
        for terms, words, stems in pairs:
            for term in terms:
                lexicon.add(term, stems, 1.0)
            unique_w, unique_s = set(words), set(stems)
            n_zh.update(unique_w)
            n_en.update(unique_s)
            both.update((w, s) for w in unique_w for s in unique_s)
        for (w, s), n in both.items():
            if n >= 2:
                lexicon.add(w, [s], 2 * n / (n_zh[w] + n_en[s]))
        return lexicon


@dataclass(frozen=True)
class Proposal:
    """A proposed rendering: the n-gram, its score, and the index of the segment it was taken from."""

    en: str
    score: float
    lexical: float
    log_dice: float
    segment: int
    zh_coverage: float = 0.0


def log_dice(both: int, first: int, second: int) -> float:
    """logDice association: 14 at most, lower the more either occurs without the other."""
    return 14 + math.log2(2 * both / (first + second)) if both else 0.0


def coverage(words: list[str], stems: tuple[str, ...], lexicon: Lexicon) -> float:
    """F1 of how much of the Chinese words the stems translate, and of the stems the words translate."""
    return coverages(words, stems, lexicon)[2]


def coverages(words: list[str], stems: tuple[str, ...], lexicon: Lexicon) -> tuple[float, float, float]:
    """How much of the Chinese the stems translate, how much of the stems the Chinese does, and their F1."""
    if not words or not stems:
        return 0.0, 0.0, 0.0
    # Each Chinese word counts by its length: 心理健康 weighs more than 的-like short words.
    words = lexicon.expand(words)
    sizes = [len(w) for w in words]
    present = frozenset(stems)
    zh = sum(lexicon.cover(w, present) * n for w, n in zip(words, sizes, strict=True)) / sum(sizes)
    en = sum(max(lexicon.weight(w, s) for w in words) for s in stems) / len(stems)
    return zh, en, (2 * zh * en / (zh + en) if zh + en else 0.0)


def propose(
    words: list[str],
    segments: list[int],
    targets: list[str],
    lexicon: Lexicon,
    gram_counts: Counter[str],
    min_lexical: float = 0.0,
    min_zh: float = 0.0,
) -> Proposal | None:
    """The best rendering of a candidate (its words, the segments it occurs in) among its targets' n-grams.

    The best by lexicon among those that translate at least `min_zh` of the Chinese with an F1 of at least
    `min_lexical`, association breaking ties. When the lexicon translates none of its words (a name, an
    abbreviation, no dictionary), a candidate met in three segments or more gets the longest n-gram that
    stands in all of them and hardly anywhere else (logDice ≥ 13.5), with `lexical` 0: association alone.
    """
    seen: dict[str, tuple[Gram, set[int]]] = {}
    for index in segments:
        for gram in grams(targets[index]):
            if gram.stems:
                seen.setdefault(gram.text.lower(), (gram, set()))[1].add(index)
    spread = len(set(segments))
    best: Proposal | None = None
    fallback: Proposal | None = None
    fallback_rank = (False, 0)
    known = False  # does the lexicon translate any word of the candidate in any n-gram?
    for key, (gram, where) in seen.items():
        association = log_dice(len(where), spread, gram_counts[key])
        zh_share, _, lexical = coverages(words, gram.stems, lexicon)
        first = min(where)
        known = known or lexical > 0.0
        if lexical > 0.0 and lexical >= min_lexical and zh_share >= min_zh:
            score = lexical + 0.25 * association / 14 - (0.2 if gram.cut else 0.0)
            if best is None or score > best.score or (score == best.score and len(gram.text) < len(best.en)):
                best = Proposal(gram.text, score, lexical, association, first, zh_share)
        if spread >= 3 and len(where) == spread and association >= 13.5:
            rank = (not gram.cut, len(gram.stems))
            if fallback is None or rank > fallback_rank:
                fallback, fallback_rank = Proposal(gram.text, association / 14, 0.0, association, first), rank
    return best if best is not None else (fallback if not known else None)


def accepted(proposal: Proposal | None, min_lexical: float, min_zh: float) -> bool:
    """Whether a proposal is good enough to write: it translates the Chinese, or its association is strong."""
    if proposal is None:
        return False
    if proposal.lexical == 0.0:
        return proposal.log_dice >= 13.5
    return proposal.lexical >= min_lexical and proposal.zh_coverage >= min_zh


def count_grams(targets: list[str]) -> Counter[str]:
    """In how many targets each n-gram (lower case) stands."""
    counts: Counter[str] = Counter()
    for target in targets:
        counts.update({g.text.lower() for g in grams(target)})
    return counts
