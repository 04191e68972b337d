"""English text for search: words, stems and whole-rendering keys, cut the same way everywhere.

The analysis is the one Whoosh's StemmingAnalyzer made — words, lower case, its stop words out, Porter stems
(powerhouses → powerhous) — with the reference Porter stemmer of `glossary.base.stemming`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..base.equivalences import Equivalences
from ..base.stemming import STOP_WORDS
from ..base.stemming import stem as porter_stem

_TOKEN = re.compile(r"\w+(?:\.?\w+)*")  # StemmingAnalyzer's tokenizer, less its wildcard characters


def stems(text: str) -> list[str]:
    """The stems of a text: its words in lower case, less stop words and one-letter words, stemmed."""
    return [_stem(word) for word in _TOKEN.findall(text.lower()) if len(word) > 1 and word not in STOP_WORDS]


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return str(porter_stem(word))


def word_spans(text: str) -> Iterator[re.Match[str]]:
    """The words of a text, as the analyser cuts them, with their positions (for snippets)."""
    return _TOKEN.finditer(text)


def stem_of(word: str) -> str | None:
    """A word's stem as the analyser indexes it, or None for a stop word or a one-letter word."""
    word = word.lower()
    return _stem(word) if len(word) > 1 and word not in STOP_WORDS else None


def exact_key(text: str) -> str:
    """The key of a whole English rendering: its words in lower case, unstemmed (power ≠ powerful)."""
    return " ".join(_TOKEN.findall(text.lower()))


#: Equivalence keys share the exact-key table; the mark keeps them apart from anything a user types.
EQUIVALENT = "≈"


def equivalent_key(text: str, equivalences: Equivalences) -> str:
    """The key of a rendering or query up to the curated equivalences (data/equivalences.yaml): the same
    canonical form the draft checker compares renderings by, so "S&T advances" finds "advances in science
    and technology"."""
    return EQUIVALENT + equivalences.canonical(text).strip()
