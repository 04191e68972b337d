"""Pinyin: derivation with pypinyin, the other written forms, and the syllable table.

Stored pinyin has tone marks, one syllable per Han character, separated by spaces (``sì gè miàn xiàng``).
Every other form — tone numbers, toneless, initials — is derived from it here and nowhere else.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.contrib.tone_convert import to_normal, to_tone3
from pypinyin.pinyin_dict import pinyin_dict

from .model import has_han

# Interjection-only readings in Unihan (hm, hng, ng, m, n, ê): never part of a policy term, and keeping
# them would let the segmenter read initials like "mn" as syllables.
_INTERJECTIONS = {"hm", "hng", "ng", "m", "n", "ê"}


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """The standard Mandarin syllable table, toneless with ü written v (lve), from pypinyin's Unihan data."""
    table = {to_normal(reading) for value in pinyin_dict.values() for reading in value.split(",")}
    return frozenset(table - _INTERJECTIONS)


_TONE_MARKS = "\u0304\u0301\u030c\u0300"  # combining macron, acute, caron, grave: tones 1-4
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LITERAL = re.compile(r"[A-Za-z0-9]+")


# Signs read aloud as a syllable: "+" in 互联网+ and 智能+ is read 加 (jiā).
_SPOKEN_SIGNS = str.maketrans({"+": "加", "＋": "加"})


def spoken(text: str) -> str:
    """The text with the signs that are read as a syllable written as that syllable's character."""
    return text.translate(_SPOKEN_SIGNS) if has_han(text) else text


def derive(text: str) -> str:
    """Pinyin with tone marks: a syllable per Han character or spoken sign (+ is jiā); digits, Latin kept."""
    text = spoken(text)
    # pypinyin documents that an `errors` callback may return a list (here: the runs of digits and Latin
    # letters, punctuation dropped); its type stubs only allow a string.
    tokens = lazy_pinyin(text, style=Style.TONE, errors=_LITERAL.findall)  # type: ignore[arg-type]
    return " ".join(t for t in tokens if t.strip())


def split(pinyin: str) -> list[str]:
    """The tokens of a stored pinyin string."""
    return unicodedata.normalize("NFC", pinyin).split()


def is_syllable_token(token: str) -> bool:
    """True for a pinyin syllable (with or without tone), False for a literal such as 2030."""
    return not token.isdigit()


def numbered(token: str) -> str:
    """A syllable with a tone number (``xiang4``; neutral tone without a digit: ``ge``)."""
    return to_tone3(token, v_to_u=False) if is_syllable_token(token) else token


def toneless(token: str) -> str:
    """A syllable without tone, ü as v (``lve``)."""
    return to_normal(token) if is_syllable_token(token) else token


def forms(pinyin: str) -> dict[str, str]:
    """Every written form of a stored pinyin string: marks, numbers, toneless, initials."""
    tokens = split(pinyin)
    return {
        "marks": " ".join(tokens),
        "numbers": " ".join(numbered(t) for t in tokens),
        "toneless": " ".join(toneless(t) for t in tokens),
        "initials": "".join(toneless(t)[0] for t in tokens if is_syllable_token(t)),
    }


def problems(zh: str, pinyin: str) -> list[str]:
    """What is wrong with a curated pinyin override for `zh` (empty when it is valid)."""
    found: list[str] = []
    tokens = split(pinyin)
    syllable_tokens = [t for t in tokens if is_syllable_token(t)]
    han = len(_HAN_CHAR.findall(spoken(zh)))
    if len(syllable_tokens) != han:
        found.append(f"has {len(syllable_tokens)} syllables for {han} Han characters")
    table = syllables()
    for token in syllable_tokens:
        marks = [c for c in unicodedata.normalize("NFD", token) if c in _TONE_MARKS]
        base = toneless(token.lower())
        if base not in table or len(marks) > 1 or any(ch.isdigit() for ch in token):
            found.append(f"{token!r} is not a pinyin syllable with tone marks")
    return found


def of(text: str, override: str | None = None) -> str:
    """The stored pinyin of `text`: the override when given, else derived."""
    if override:
        return " ".join(split(override))
    return derive(text) if has_han(text) else ""


def fold(syllable: str) -> str:
    """A toneless syllable with ü folded into u (``lve`` → ``lue``): how search compares toneless pinyin."""
    return syllable.replace("v", "u")


@lru_cache(maxsize=1)
def _segment_table() -> frozenset[str]:
    # Readers type ü as v, u: or plain u (lve, lu:e, lue): accept the folded spellings as syllables too.
    table = syllables()
    return table | {fold(s) for s in table}


_LONGEST_SYLLABLE = 6  # zhuang, shuang, chuang
#: The longest run of letters `segment` splits: far beyond any query (at most 200 characters) and well inside
#: the recursion limit (one level per syllable).
MAX_LETTERS = 400


def segment(letters: str, limit: int = 32) -> list[tuple[str, ...]]:
    """Every way to split toneless pinyin letters into table syllables, fewest first (at most `limit`).

    ``sigemianxiang`` → ``[("si", "ge", "mian", "xiang"), ("si", "ge", "mi", "an", "xiang"), …]``;
    ``xian`` → ``[("xian",), ("xi", "an")]``; an empty list when the letters are not pinyin; ValueError for
    more than MAX_LETTERS letters.
    """
    if len(letters) > MAX_LETTERS:
        raise ValueError(f"{len(letters)} letters: too many to split into syllables (limit {MAX_LETTERS})")
    table = _segment_table()
    letters = letters.lower()
    memo: dict[int, list[tuple[str, ...]]] = {len(letters): [()]}

    def tails(start: int) -> list[tuple[str, ...]]:
        if start in memo:
            return memo[start]
        found: list[tuple[str, ...]] = []
        # Longest syllable first, so that among equally short splittings the greedy reading leads.
        for end in range(min(len(letters), start + _LONGEST_SYLLABLE), start, -1):
            head = letters[start:end]
            if head in table:
                found += [(head, *tail) for tail in tails(end)]
        memo[start] = found[: limit * 4]
        return memo[start]

    return sorted(tails(0), key=len)[:limit]
