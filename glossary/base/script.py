"""Simplified and traditional Chinese, through OpenCC."""

from __future__ import annotations

from functools import cache

import opencc


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_traditional(text: str) -> str:
    """The traditional form of simplified text (OpenCC s2t: characters only, no regional vocabulary)."""
    return str(_converter("s2t").convert(text))


def to_simplified(text: str) -> str:
    """The simplified form of traditional (or mixed) text (OpenCC t2s)."""
    return str(_converter("t2s").convert(text))
