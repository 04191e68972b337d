"""The harvester: proposes draft entries for the terms of a bilingual document that the base lacks.

`glossary harvest FILE…` reads aligned Chinese–English text (TSV, XLIFF 1.2/2.0, two aligned text files, or
the `zh:`/`en:` layout of `data/texts/`), finds Chinese term candidates the base does not have (a jieba
segmenter with the base as its user dictionary, C-value termhood over word n-grams, specificity against
wordfreq's general-language frequencies, and the patterns of policy formulas), proposes each one's English
from the aligned targets (logDice association over segments, weighed by a word lexicon built from the base
itself and, when given, CC-CEDICT), and writes ranked draft entry files with their quotes into an output
folder for a curator to review. It never writes into the base.

Modules: `bitext` (reading the inputs), `chinese` (segmenting and term candidates), `english` (renderings),
`drafts` (entry files and the output folder), `harvester` (the pipeline and ranking).

It may import `glossary.base` (model, store, script, quotes, the CC-CEDICT reader) and `glossary.check` (its
draft readers, `check.drafts`); nothing from `search`, `export`, `imports`, `cli` or the service.
"""

from __future__ import annotations

from .drafts import write
from .harvester import Candidate, Harvest, HarvestError, harvest

__all__ = ["Candidate", "Harvest", "HarvestError", "harvest", "write"]
