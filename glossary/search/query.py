"""Query analysis: what a reader typed — characters, pinyin in any written form, both mixed, or English.

The searcher never guesses from the raw string: it asks this module for the Chinese forms, the pinyin
readings (syllables with or without tones, from the standard syllable table) and the English text of a query.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import product
from math import prod

from ..base import pinyin, script
from ..base.model import has_han

#: Longer queries are refused: nobody types a term that long, and it bounds the work per query.
MAX_LENGTH = 200

_TONE_OF_MARK = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
_DIAERESIS = "\u0308"
_APOSTROPHES = "'’‘`"
_SEPARATORS = set(" -_·.,;，；、" + _APOSTROPHES)
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_MAX_READINGS = 32
_MAX_COMBINATIONS = 1024  # readings considered before the fewest-syllable ones are kept


class QueryError(ValueError):
    """A query that cannot be searched: empty, too long, or holding control characters."""


@dataclass(frozen=True, slots=True)
class Syllable:
    """One pinyin syllable of a query: toneless letters (ü as v) and the tone typed, if any."""

    text: str
    tone: int | None = None  # 1-4, 5 for the neutral tone, None when the query gave no tone at all

    def numbered(self) -> str:
        """As in stored pinyin's numbered form: ``xiang4``; neutral tone without a digit."""
        return f"{self.text}{self.tone}" if self.tone in (1, 2, 3, 4) else self.text


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a query as a sequence of pinyin syllables."""

    syllables: tuple[Syllable, ...]

    def toned(self) -> str:
        """The key compared with stored numbered pinyin (ü as v): ``si4 ge4 mian4 xiang4``."""
        return " ".join(s.numbered() for s in self.syllables)

    def toneless(self) -> str:
        """The key compared with stored toneless pinyin (ü as v): ``si ge mian xiang``."""
        return " ".join(s.text for s in self.syllables)

    def initials(self) -> str:
        """The first letter of each syllable: ``sgmx``."""
        return "".join(s.text[0] for s in self.syllables)


@dataclass(frozen=True)
class Query:
    """An analysed query."""

    text: str  # as typed: NFC, surrounding space stripped
    kind: str  # "han" (characters), "mixed" (characters and pinyin) or "latin" (pinyin and/or English)
    han_forms: tuple[str, ...] = ()  # han: the query, its simplified and its traditional form
    readings: tuple[Reading, ...] = ()  # latin: pinyin readings, fewest syllables first
    toned: bool = False  # latin: did the reader type any tone (marks or numbers)?
    letters: str = ""  # latin: the letters alone (ü as v), for prefixes and initials
    units: tuple[str | Syllable, ...] = field(default=())  # mixed: Han characters and syllables in order

    @property
    def initials_only(self) -> bool:
        """Could the query be a string of initials (sgmx) rather than syllables?"""
        return len(self.letters) >= 2 and self.letters.isalpha() and self.letters == self.text.lower()


def validate(text: str) -> str:
    """The query normalised (NFC, stripped), or QueryError saying why it cannot be searched."""
    if not isinstance(text, str):
        raise QueryError("the query must be a string")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
        raise QueryError("the query contains control characters")
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise QueryError("the query is empty")
    if len(text) > MAX_LENGTH:
        raise QueryError(f"the query is longer than {MAX_LENGTH} characters")
    return text


def analyse(text: str) -> Query:
    """Analyse a query; raise QueryError when it cannot be searched."""
    text = validate(text)
    if has_han(text):
        latin = [ch for ch in text if ch.isascii() and ch.isalpha() or ch in "üÜ"]
        if not latin:
            forms = (text, script.to_simplified(text), script.to_traditional(text))
            return Query(text, "han", han_forms=tuple(dict.fromkeys(forms)))
        return Query(text, "mixed", units=_mixed_units(text))
    readings, toned = read_pinyin(text)
    letters = "".join(ch for ch in _letters_and_tones(text)[0] if ch.isalpha())
    return Query(text, "latin", readings=tuple(readings), toned=toned, letters=letters)


def _letters_and_tones(text: str) -> tuple[str, dict[int, int]]:
    """Lower-case letters and separators with ü as v, and the tone marked on each letter (by position)."""
    out: list[str] = []
    tones: dict[int, int] = {}
    decomposed = unicodedata.normalize("NFD", text.lower().replace("u:", "v"))
    for ch in decomposed:
        if ch in _TONE_OF_MARK and out:
            tones[len(out) - 1] = _TONE_OF_MARK[ch]
        elif ch == _DIAERESIS and out and out[-1] == "u":
            out[-1] = "v"
        else:
            out.append(ch)
    return "".join(out), tones


def read_pinyin(text: str) -> tuple[list[Reading], bool]:
    """Every reading of `text` as pinyin (best first) and whether it carries tones; no readings if not pinyin.

    Spaces, apostrophes and hyphens separate syllables; a tone digit (1-5) ends one; tone marks sit on any
    letter of their syllable; ü may be typed ü, v, u: or u. Concatenated syllables are split with the
    standard syllable table (pinyin.segment), trying every splitting. QueryError for text longer than a query.
    """
    if len(text) > MAX_LENGTH:  # the readings of every run multiply: bound the work as analyse does
        raise QueryError(f"the query is longer than {MAX_LENGTH} characters")
    letters, marks = _letters_and_tones(text)
    groups: list[tuple[int, int, int | None]] = []  # (start, end, tone digit) of each run of letters
    start: int | None = None
    for i, ch in enumerate(letters + " "):
        if "a" <= ch <= "z":
            if start is None:
                start = i
            continue
        if ch in "12345" and start is not None:
            groups.append((start, i, int(ch)))
            start = None
        elif ch in _SEPARATORS:
            if start is not None:
                groups.append((start, i, None))
            start = None
        else:
            return [], False  # a digit out of place, punctuation, a non-pinyin letter: not pinyin
    if not groups:
        return [], False
    toned = bool(marks) or any(digit is not None for _, _, digit in groups)
    choices: list[list[tuple[Syllable, ...]]] = []
    for begin, end, digit in groups:
        options = []
        splits = pinyin.segment(letters[begin:end])
        if len(groups) > 1 and splits and len(splits[0]) == 1:
            # The reader delimited this syllable: si ge mian xiang is not si ge mi an xi ang.
            splits = splits[:1]
        for split in splits:
            syllables = _toned(split, begin, marks, digit, toned)
            if syllables is not None:
                options.append(syllables)
        whole = (Syllable(letters[begin:end], digit),)
        if digit is not None and end - begin <= 6 and whole not in options:
            # A tone digit marks one syllable even when the table lacks it (CC-CEDICT's bia1): read it so too.
            options.append(whole)
        if not options:
            return [], toned
        choices.append(options)
    _bound(choices)
    readings = [Reading(tuple(s for part in combo for s in part)) for combo in product(*choices)]
    readings.sort(key=lambda r: len(r.syllables))
    return readings[:_MAX_READINGS], toned


def _bound(choices: list[list[tuple[Syllable, ...]]]) -> None:
    """Drop the splittings with most syllables from the most ambiguous runs until few combinations remain."""
    # Every run's splittings multiply: ten runs like "xianxian" have a million readings and twenty would
    # never finish. Only the _MAX_READINGS with fewest syllables are kept, so the longest splittings of the
    # runs with the most choices are the ones to give up first.
    while prod(len(options) for options in choices) > _MAX_COMBINATIONS:
        options = max(choices, key=len)
        options.pop(max(range(len(options)), key=lambda i: (len(options[i]), i)))


def _toned(
    split: tuple[str, ...], begin: int, marks: dict[int, int], digit: int | None, toned: bool
) -> tuple[Syllable, ...] | None:
    """Attach tones to one splitting of a run of letters; None when a syllable would carry two marks."""
    out: list[Syllable] = []
    position = begin
    for index, text in enumerate(split):
        found = {marks[p] for p in range(position, position + len(text)) if p in marks}
        if len(found) > 1:
            return None
        tone = found.pop() if found else None
        if index == len(split) - 1 and digit is not None:
            if tone is not None and tone != digit:
                return None
            tone = digit
        if toned and tone is None:
            tone = 5  # in a query that gives tones, a syllable without one is neutral (ge = ge5)
        out.append(Syllable(text, tone))
        position += len(text)
    return tuple(out)


_AMBIGUOUS_U = re.compile(r"(?<=[ln])u")


def u_variants(key: str) -> list[str]:
    """A pinyin key as typed, then with u after l or n read as ü (lue → lve, lu → lv): ü may be typed u."""
    positions = [m.start() for m in _AMBIGUOUS_U.finditer(key)][:3]
    variants = []
    for mask in range(1 << len(positions)):
        chars = list(key)
        for bit, position in enumerate(positions):
            if mask >> bit & 1:
                chars[position] = "v"
        variants.append("".join(chars))
    return variants


def _mixed_units(text: str) -> tuple[str | Syllable, ...]:
    """Characters (simplified) and toneless syllables in order: 科技qiangguo → 科, 技, qiang, guo."""
    units: list[str | Syllable] = []
    position = 0
    for run in [*_HAN_RUN.finditer(text), None]:
        gap = text[position : run.start() if run else len(text)]
        if gap.strip():
            readings, _ = read_pinyin(gap)
            if not readings:
                return ()
            units += [Syllable(s.text) for s in readings[0].syllables]
        if run is not None:
            units += list(script.to_simplified(run.group()))
            position = run.end()
    return tuple(units)
