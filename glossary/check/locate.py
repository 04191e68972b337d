"""Where a term stands in a target that has none of the base's renderings word for word.

When the source has a term and the target none of its accepted renderings, the target may still render it:
with the words in another order or form ("innovations in science and technology" for "science and
technology innovation", "stabilizing employment" for "stabilize employment"), or in a way the base lacks
("the principal position of enterprises in innovation" for "principal role of enterprises"). `locate` finds
the shortest stretch of the target holding most of a rendering's words, compared as Porter stems (as search
indexes them, `glossary.base.stemming`) after the curated equivalences (S&T = science and technology). The
checker then says what it found instead of claiming that nothing is there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..base import english
from ..base.equivalences import Equivalences
from ..base.stemming import STOP_WORDS
from ..base.stemming import stem as porter_stem

_TOKEN = re.compile(r"\w+(?:[&'’]\w+)*")
_STOP = STOP_WORDS | {"s", "will", "our", "its", "their", "we"}
COMPLETE = "complete"  # every word of a rendering (one more in a long one): the rendering in another form
PARTIAL = "partial"  # most of its words: a rendering the base does not list
HEAD = "head"  # its head noun only ("major advances" for "scientific and technological advances")
DEFINED = "defined"  # none of its words, but a rare word of its definition ("Covid-19" for 疫情防控)
_RARE = 4.0  # Zipf frequency under which a word of a definition is specific enough to point at the term
_ENOUGH = 0.6  # the share of a rendering's words that makes a stretch a partial rendering
_COMMON = 5.0  # Zipf frequency from which a word is too common to stand for a term by itself
_JOINERS = frozenset("and or of in for on to with the a an".split())  # a rendering never starts with these
_PREPOSITIONS = frozenset("of in for on with to from at by under over into".split())
_SENTENCE = re.compile(r"[^.!?;。！？；]+")  # a rendering never runs across the end of a sentence


@dataclass(frozen=True)
class Located:
    """A stretch of the target that renders a term: its span, how completely, and the rendering it is like."""

    start: int
    end: int
    quality: str  # COMPLETE or PARTIAL
    rendering: int  # index of the rendering it is closest to


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return str(porter_stem(word))


class Stems:
    """Content-word stems, with every phrase of an equivalence group counted as its canonical form's words."""

    def __init__(self, equivalences: Equivalences):
        self._equivalences = equivalences
        self._single: dict[str, tuple[str, ...]] = {}  # a one-word member (S&T) → the canonical stems
        for group in equivalences.phrases:
            canonical = self.of(" ".join(group[0]))
            for member in group[1:]:
                words = self.of(" ".join(member))
                if len(member) == 1:
                    self._single[member[0]] = canonical
                elif len(words) == len(canonical):
                    for word, target in zip(words, canonical, strict=True):
                        self._single.setdefault(word, (target,))

    def of(self, text: str) -> tuple[str, ...]:
        """The content stems of a text, in order."""
        return tuple(s for _, s in self.tokens(text))

    def tokens(self, text: str) -> list[tuple[tuple[int, int], str]]:
        """Each content word's span and stem (an acronym standing for a phrase gives the phrase's stems)."""
        found: list[tuple[tuple[int, int], str]] = []
        for match in _TOKEN.finditer(text):
            word = english.fold(match.group()).replace("’", "'")
            if word in _STOP or (len(word) < 2 and not word.isdigit()):
                continue
            if (mapped := self._single.get(word)) is not None:
                found += [(match.span(), s) for s in mapped]
                continue
            word = self._equivalences.spelling(word)[0]
            stemmed = _stem(word.removesuffix("'s"))
            found.append((match.span(), (self._single.get(stemmed) or (stemmed,))[0]))
        return found


def locate(
    stems: Stems, target: str, renderings: Iterable[tuple[int, str]], span: tuple[int, int]
) -> Located | None:
    """The stretch of `target[span[0]:span[1]]` most like one of `renderings` (index, text), if any is
    complete or partial; offsets are into `target`. Index -1 is a gloss (the literal translation), which
    is at best partial: it is not an accepted rendering."""
    wanted = [(index, stems.of(text)) for index, text in renderings]
    best: tuple[tuple[float, float, int], Located] | None = None
    for sentence in _SENTENCE.finditer(target, span[0], span[1]):
        at = sentence.start()
        tokens = [((a + at, b + at), s) for (a, b), s in stems.tokens(sentence.group())]
        for index, words in wanted:
            if len(set(words)) < 2:
                continue  # one word is found word for word, or not at all: "power" is everywhere
            found = _best_stretch(tokens, set(words), len(words) * 2 + 2, index)
            if found is not None and (best is None or found[0] > best[0]):
                best = found
    if best is None:
        return _head(stems, target, renderings, span)
    return best[1]


def _head(
    stems: Stems, target: str, renderings: Iterable[tuple[int, str]], span: tuple[int, int]
) -> Located | None:
    """The first place the head noun of a rendering stands (the word before its first preposition, or its
    last word): a translator leaves out modifiers the context gives."""
    tokens = stems.tokens(target[span[0] : span[1]])
    renderings = [(index, text) for index, text in renderings if index >= 0 and len(stems.of(text)) >= 2]
    for index, text in renderings:
        words = english.key(text).split()
        preposition = next((i for i, w in enumerate(words) if i and w in _PREPOSITIONS), len(words))
        head = stems.of(" ".join(words[:preposition]))
        if not head:
            continue
        for (a, b), stem in tokens:
            if _same(stem, {head[-1]}) is not None:
                return Located(a + span[0], b + span[0], HEAD, index)
    # Half of a two-word rendering, when that word is uncommon in English (wordfreq): "the fight against
    # poverty" for "poverty eradication"; not "strong" or "national", which stand anywhere.
    for index, text in renderings:
        pair = set(stems.of(text))
        if len(pair) != 2:
            continue
        for (a, b), stem in tokens:
            written = target[a + span[0] : b + span[0]]
            if _same(stem, pair) is not None and _uncommon(written):
                return Located(a + span[0], b + span[0], HEAD, index)
    return None


def by_definition(stems: Stems, target: str, definition: str, span: tuple[int, int]) -> Located | None:
    """The first word of `target[span]` that is a rare word of the term's definition (index -2): what the
    target says of the concept, when it has none of the rendering's words."""
    # Names (Xi Jinping in 总书记's definition) say who, not what: only lower-case words and acronyms.
    rare = {
        s for (a, b), s in stems.tokens(definition)
        if not definition[a:b].istitle() and _uncommon(definition[a:b], _RARE)
    }
    for (a, b), stem in stems.tokens(target[span[0] : span[1]]):
        if stem in rare:
            return Located(a + span[0], b + span[0], DEFINED, -2)
    return None


def _uncommon(word: str, below: float = _COMMON) -> bool:
    from wordfreq import zipf_frequency  # imported here: its word list loads in a third of a second

    return zipf_frequency(word, "en") < below


def _same(stem: str, wanted: set[str]) -> str | None:
    """The wanted stem a token's stem stands for: itself, or one it extends or shortens (Porter leaves
    "stabiliz" from "stabilizing" but "stabil" from "stabilize")."""
    if stem in wanted:
        return stem
    for word in wanted:
        if min(len(word), len(stem)) >= 5 and (stem.startswith(word) or word.startswith(stem)):
            return word
    return None


def _best_stretch(
    tokens: list[tuple[tuple[int, int], str]], wanted: set[str], width: int, index: int
) -> tuple[tuple[float, float, int], Located] | None:
    """The stretch of tokens holding most of `wanted` with fewest other words, if complete or partial."""
    best: tuple[tuple[float, float, int], Located] | None = None
    matched = [_same(s, wanted) for _, s in tokens]
    places = [i for i, m in enumerate(matched) if m is not None]
    for n, left in enumerate(places):
        covered: set[str] = set()
        for right in places[n:]:
            if right - left >= width:
                break
            covered.add(matched[right])  # type: ignore[arg-type]
            share = len(covered) / len(wanted)
            extra = sum(1 for m in matched[left : right + 1] if m is None)
            # Every word, and at most one more for a rendering of three words or more ("comprehensive
            # higher-education reform"); a word more in two is another thing ("bounty hunter system").
            if share == 1 and extra <= (len(wanted) > 2) and index >= 0:
                quality = COMPLETE
            elif share >= _ENOUGH and len(covered) >= 2:
                quality = PARTIAL
            else:
                continue
            # Most of the rendering's words, less half a point for each word that is not one of them.
            rank = (len(covered) - extra / 2, share, -(right - left))
            if best is None or rank > best[0]:
                best = (rank, Located(tokens[left][0][0], tokens[right][0][1], quality, index))
    return best


_ZH_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")
_EN_SENTENCE = re.compile(r".+?(?:[.!?;](?=\s|$)|$)", re.S)


def aligned_sentences(
    source: str, target: str, source_span: tuple[int, int], target_span: tuple[int, int]
) -> list[tuple[tuple[int, int], tuple[int, int]]] | None:
    """The sentences of a source and its target, paired in order, when both have the same number (more
    than one); None otherwise (then the two cannot be told apart sentence by sentence)."""
    zh = [m.span() for m in _ZH_SENTENCE.finditer(source, *source_span) if m.group().strip()]
    en = [m.span() for m in _EN_SENTENCE.finditer(target, *target_span) if m.group().strip()]
    if len(zh) < 2 or len(zh) != len(en):
        return None
    return list(zip(zh, en, strict=True))


def qualifier_dropped(
    scan: english.Scan, renderings: Iterable[tuple[int, str]]
) -> tuple[int, int, int] | None:
    """Where a scanned text holds one of `renderings` (index, text) with its first words left out — a
    qualifier the source does not say ("self-reliance in science and technology" for "high-level
    self-reliance in science and technology"): one or two words, not a coordinated part ("the entire
    Party and"), keeping three words or more and two thirds of them: the (start, end) in the submitted
    text and the rendering's index."""
    for index, rendering in renderings:
        words = english.key(rendering).split()
        for drop in (1, 2):
            rest = words[drop:]
            if len(rest) < 3 or len(rest) * 3 < len(words) * 2 or rest[0] in _JOINERS:
                continue
            if any(w in _JOINERS for w in words[:drop]):
                continue
            for key in english.inflections(" ".join(rest)):
                at = scan.text.find(key)
                while at >= 0:
                    if scan.ends_word(at + len(key)):  # (a key starts with a space: a word start)
                        start, end = scan.span(at + 1, at + len(key))
                        return start, end, index
                    at = scan.text.find(key, at + 1)
    return None
