"""English stems and stop words, one definition for search and the checker: the Porter algorithm as the
Snowball project maintains it (snowballstemmer, which runs PyStemmer's C build when it is installed).

This replaced whoosh-reloaded, which says of itself that it is no longer maintained and was used only for
these two things (README, "Usage in the sources": the concordance's full text went to SQLite FTS5 on the
figures of bench/concordance_engines.py). The stop words are the 34 that Whoosh's StemmingAnalyzer drops, so
that what a query ignores did not change; the stems are the reference Porter stems, which conflate forms that
Whoosh's variant kept apart (dropped/drop, getting/get, modernized/modern: 131 of the base's 6,170 words).
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

#: Whoosh's STOP_WORDS, as its StemmingAnalyzer used them.
STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may not of on or tbd that the this to us we when "
    "will with yet you your".split()
)

_STEMMER = snowballstemmer.stemmer("porter")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Porter stem of a lower-case word (powerhouses → powerhous)."""
    return str(_STEMMER.stemWord(word))
