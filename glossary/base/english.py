"""English term matching: a normalised scan string with an offset map back to the submitted text.

A rendering and a draft are normalised the same way, so that an Aho–Corasick automaton over the scan string
finds a rendering whatever the draft's typography:

- case folded (proper nouns are re-checked against the submitted case by the checker);
- whitespace of every kind (NBSP, line breaks, tabs, thin spaces), hyphens and dashes become one space, so
  ``winner-takes-all`` = ``winner takes all`` = ``winner–takes–all`` and a term may wrap across lines;
- curly quotes become straight ones; soft hyphens and zero-width characters vanish;
- any other punctuation becomes a space that does *not* merge with its neighbours, so a term never matches
  across a full stop or a comma ("science. And technology" is not "science and technology");
- the scan string starts with a space and every pattern does too: a match always starts at a word start,
  and the checker tests the character after it for the end of a word.

Offsets are code points. `Scan.span` maps a match back to ``(start, end)`` in the submitted string, so that
``submitted[start:end]`` is exactly what the editor wrote, curly quotes and NBSPs included. `Scan` and
`collapse` serve the Chinese scan too (which drops line breaks inside a term).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

# Whitespace and dashes are interchangeable inside a term; "\x00" marks characters that disappear.
_SEPARATORS = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
    "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
)
_TABLE = {
    **{c: " " for c in _SEPARATORS},
    **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc\uff07`"},
    **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02"},
    **{c: "\x00" for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff"},
}
# str.translate with a dict is slow on non-ASCII text; a regex finds the few characters to replace.
_UNIFY = re.compile("[" + re.escape("".join(c for c in _TABLE if c != " ")) + "]")
# A run of separators (or vanishing characters) collapses to one space, or to nothing.
_RUN = re.compile(r"[ \x00][ \x00]+|\x00")
_SPACES = re.compile(r"  +")  # the same when nothing vanishes: a literal prefix, so a faster search
# Everything that is not part of a word becomes a space; Han characters too, since an English word may
# touch Chinese ("powerhouse（科技强国）"). An apostrophe or ampersand stays only inside a word (China's,
# R&D); a plus, hash or percent sign stays, since it tells terms apart ("intelligence +").
_HAN = r"\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_NON_WORD = re.compile(rf"[^\w&'+#% ]|[_{_HAN}]")
# The same for ASCII, as a table: str.translate is far faster than a regex on ASCII text.
_ASCII_WORDS = {i: chr(i) if chr(i).isalnum() or chr(i) in "&'+#% " else " " for i in range(128)}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# A whole run of apostrophes and ampersands (never part of one: the look-behind) that starts after a space
# or ends before one or at the end. Possessive, so a run between two letters is given up at once, not
# backtracked character by character; with the look-behind, finding every run is one linear pass.
_EDGE_MARKS = re.compile(r"(?<!['&])(?:(?<![^ ])['&]++|['&]++(?![^ ]))")
_PREPOSITIONS = frozenset("of in for on with to from at by under over into".split())
_VOWELS = frozenset("aeiou")


@dataclass(frozen=True, slots=True)
class Scan:
    """A normalised string to search, with the map from its positions back to the submitted text."""

    text: str  # starts with a space, which is not in the submitted text
    _breaks: tuple[int, ...]  # positions in the collapsed string where the shift changes …
    _shifts: tuple[int, ...]  # … and the number of submitted characters dropped before each

    def position(self, index: int) -> int:
        """The submitted-text offset of the scan string's character at `index` (index ≥ 1)."""
        collapsed = index - 1
        return collapsed + self._shifts[bisect_right(self._breaks, collapsed) - 1]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The submitted-text span of the scan string's ``[start, end)``, which must not end in a gap."""
        if len(self._breaks) == 1:  # nothing was collapsed: only the leading space to account for
            return start - 1, end - 1
        return self.position(start), self.position(end - 1) + 1

    def ends_word(self, end: int) -> bool:
        """Whether a match ending at `end` ends on a word boundary."""
        return end >= len(self.text) or self.text[end] == " "


def collapse(unified: str, runs: Iterable[tuple[int, int]], keep: str = " ") -> Scan:
    """Replace each span in `runs` (in order, not overlapping) by `keep` if it holds that character, else
    drop it; return the result, with a leading space, as a `Scan` whose offsets map back to `unified`."""
    pieces: list[str] = []
    breaks, shifts = [0], [0]
    last = removed = 0
    for start, end in runs:
        kept = keep if keep and keep in unified[start:end] else ""
        pieces += [unified[last:start], kept]
        # From just after the kept character on, positions are shifted by everything dropped so far.
        breaks.append(start - removed + len(kept))
        removed += end - start - len(kept)
        shifts.append(removed)
        last = end
    if not breaks[1:]:
        return Scan(" " + unified, (0,), (0,))
    pieces.append(unified[last:])
    return Scan(" " + "".join(pieces), tuple(breaks), tuple(shifts))


def fold(text: str) -> str:
    """Lower-case `text` without changing its length (the rare characters that would grow keep their case)."""
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _edges(text: str) -> str:
    """`text` (after `_words`: starting with a space, every other character not in a word a space) with
    every apostrophe or ampersand that is not between two letters made a space."""
    if "'" not in text and "&" not in text:
        return text
    # One pass over the runs of marks: a run stays only when a word character touches it on both sides.
    # (Clearing marks next to a space until nothing changed rescanned the text once per mark: quadratic.)
    return _EDGE_MARKS.sub(_blank, text)


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _words(text: str) -> str:
    """`text` with every character that is not part of a word made a space."""
    if text.isascii():
        return text.translate(_ASCII_WORDS)
    pieces: list[str] = []
    last = 0
    for run in _NON_ASCII.finditer(text):
        pieces += [text[last : run.start()].translate(_ASCII_WORDS), _NON_WORD.sub(" ", run.group())]
        last = run.end()
    pieces.append(text[last:].translate(_ASCII_WORDS))
    return "".join(pieces)


def normalise(text: str, *, folded: bool = True) -> Scan:
    """The scan string of `text` (case-folded unless `folded` is false) and its offset map."""
    unified = _UNIFY.sub(lambda m: _TABLE[m.group()], text)
    if folded:
        unified = fold(unified)
    runs = _RUN if "\x00" in unified else _SPACES
    scan = collapse(unified, (m.span() for m in runs.finditer(unified)))
    # After _NON_WORD, a neighbour that is not a letter is a space (or the end).
    return Scan(_edges(_words(scan.text)), scan._breaks, scan._shifts)


def key(text: str, *, folded: bool = True) -> str:
    """A rendering as the automaton holds it: normalised, with one leading space and no trailing one."""
    return " " + normalise(text, folded=folded).text.strip(" ")


def _plural(word: str) -> str | None:
    low = word.lower()
    if not low.isalpha() or len(low) < 2:
        return None
    if low.endswith("man"):
        return word[:-3] + ("MEN" if word.isupper() else "men")
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if low.endswith("y") and low[-2] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def _singular(word: str) -> str | None:
    low = word.lower()
    if not low.isalpha() or len(low) < 4 or low.endswith(("ss", "us", "is")):
        return None
    if low.endswith("ies"):
        return word[:-3] + "y"
    if low.endswith(("ses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if low.endswith("s"):
        return word[:-1]
    return None


def word_forms(word: str, *, possessive: bool = True) -> list[str]:
    """A word and its inflections that a term checker should accept: plural, singular, possessive."""
    forms = [word]
    for form in (_plural(word), _singular(word)):
        if form:
            forms.append(form)
    if possessive and word[-1:].isalnum():
        forms.append(word + "'s")
    return forms


def inflections(rendering: str, *, folded: bool = True) -> list[str]:
    """Every key under which a rendering is found: as written, with its last word or its head noun inflected.

    The head noun is the word before the first preposition ("leading countries in science and technology").
    Verbs are not conjugated: renderings are noun phrases, and conjugating them would invite false positives.
    """
    base = key(rendering, folded=folded)
    words = base.split(" ")  # base starts with a space, so words[0] == ""
    slots = [max(i for i, w in enumerate(words) if w)]
    preposition = next((i for i, w in enumerate(words) if i > 1 and w.lower() in _PREPOSITIONS), None)
    if preposition is not None and words[preposition - 1]:
        slots.append(preposition - 1)
    found = [base]
    for slot in slots:
        for form in word_forms(words[slot], possessive=slot == slots[0])[1:]:
            found.append(" ".join(words[:slot] + [fold(form) if folded else form] + words[slot + 1 :]))
    return list(dict.fromkeys(found))
