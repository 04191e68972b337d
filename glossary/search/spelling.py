"""Typo correction for English queries, over the words of a layer (symmetric-delete spelling correction).

Every vocabulary word is indexed under itself with one letter deleted; a typed word is looked up the same
way, so the candidates within two edits come from a dozen key lookups instead of a scan of the vocabulary
(Whoosh's FuzzyTerm expansion took 70 ms over CC-CEDICT's words; this takes microseconds). Candidates are
then checked with a real edit distance and the commonest of the nearest wins.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable

from .keys import KeyTable

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")  # letters, with an inner apostrophe (China's)
MIN_LENGTH = 4  # shorter words have too many neighbours one edit away to guess from


class Speller:
    """Corrects a word to the nearest common word of a vocabulary."""

    def __init__(self, texts: Iterable[str]):
        counts = Counter(w for text in texts for w in WORD.findall(text.lower()) if len(w) >= MIN_LENGTH)
        words = sorted(counts)
        self.words = "\n".join(words)
        self.counts = array("i", (counts[w] for w in words))
        self.deletes = KeyTable((variant, i) for i, w in enumerate(words) for variant in _deletions(w))
        self._vocabulary: tuple[list[str], dict[str, int]] | None = None

    def vocabulary(self) -> tuple[list[str], dict[str, int]]:
        """The words, and each word's number (split from the stored string on first use)."""
        if self._vocabulary is None:
            words = self.words.split("\n") if self.words else []
            self._vocabulary = words, {w: i for i, w in enumerate(words)}
        return self._vocabulary

    def correct(self, word: str) -> str | None:
        """The nearest common vocabulary word to `word` (one edit, two for long words), or None."""
        word = word.lower()
        words, numbers = self.vocabulary()
        if len(word) < MIN_LENGTH or word in numbers:
            return None
        candidates = set(self.deletes.exact(word))  # the word lacks a letter
        for variant in _deletions(word):
            candidates.update(self.deletes.exact(variant))  # one letter changed or swapped
            if variant in numbers:
                candidates.add(numbers[variant])  # the word has a letter too many
        if not candidates:
            return None
        limit = 1 if len(word) < 7 else 2
        best = min((distance(word, words[i]), -self.counts[i], words[i]) for i in candidates)
        return best[2] if best[0] <= limit else None


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def distance(a: str, b: str) -> int:
    """Damerau–Levenshtein distance (optimal string alignment): a swap of neighbours is one edit."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
