"""The term base itself: the entry model, loading and validating `data/`, pinyin, simplified/traditional
script, English forms of a rendering, quote verification, counts, and the CC-CEDICT reader.

Everything else in `glossary` builds on this package. It imports nothing from the rest of `glossary`
(only third-party libraries and its own modules): the search index, the checker, the exports and imports, the
CLI and the service all depend on it, never the other way.
"""
