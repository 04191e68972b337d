"""Search: query analysis, the index built outside `data/` (precomputed key tables, swapped atomically), the
ranking tiers, English words and stems, typo correction, and the CC-CEDICT reference layer.

Data flows `glossary.base` (validated entries) -> `index` (built layers) -> `layer` (opened) -> `matching`
(tiers per query form, from `query`'s analysis) -> `searcher` (ranked, filtered, paged results).
It may import `glossary.base`; nothing from `check`, `export`, `imports`, `cli` or the service.
"""

from .searcher import Match, Result, Searcher, SearchResults

__all__ = ["Match", "Result", "SearchResults", "Searcher"]
