"""Draft checking: every term in a draft with exact offsets, and every missing, deprecated, non-preferred,
unlisted or inconsistent rendering and wrongly given formula.

`report` holds the request and report models (the API's bodies); `matcher` the Aho–Corasick automata over the
base's Chinese forms and English renderings, with `segmenter` (Chinese word boundaries: best cover, jieba);
`units` the segments and paragraphs with their terms; `rules` the judgement of what they find, with `locate`
(what the target has where no listed rendering stands), `consistency` and `formulas`; `checker` the `Checker`
that runs them; `drafts` reads drafts from files (TXT/Markdown, TSV, XLIFF) and locates findings in them.
It may import `glossary.base`; nothing from `search`, `export`, `imports`, `cli` or the service.
"""

from .checker import Checker, detect_lang
from .report import (
    CheckError,
    CheckReport,
    CheckRequest,
    DraftTooLarge,
    Finding,
    Kind,
    NotText,
    Segment,
    Severity,
    Summary,
    UnknownSource,
)

__all__ = [
    "CheckError",
    "CheckReport",
    "CheckRequest",
    "Checker",
    "DraftTooLarge",
    "Finding",
    "Kind",
    "NotText",
    "Segment",
    "Severity",
    "Summary",
    "UnknownSource",
    "detect_lang",
]
