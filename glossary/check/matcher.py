"""Finding terms in a string: Aho–Corasick automata over every Chinese form and every English rendering.

Both automata use ahocorasick-rs (Rust, leftmost-longest): measured on 1 MB of dense Chinese with 195k
patterns it scans about ten times faster than pyahocorasick (see bench/check.py). Chinese is matched on the
text with quotes and full-width forms unified and wrapped lines joined; English on the scan string of
`english.normalise`. Offsets in a `Hit` are code points into the string as submitted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import ahocorasick_rs
import opencc

from ..base import english
from ..base.equivalences import Equivalences
from ..base.model import Entry
from . import formulas
from .locate import Stems
from .segmenter import Segmenter, resolve

if TYPE_CHECKING:
    from ..base.cedict import ReferenceEntry

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Full-width ASCII and every kind of quotation mark are the same to a Chinese term.
_ZH_TABLE = {
    **{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)},
    **{c: '"' for c in "“”„‟「」『』〝〞"},
    **{c: "'" for c in "‘’"},
}
_ZH_UNIFY = re.compile("[\uff01-\uff5e“”„‟「」『』〝〞‘’]")
_INDENT = " \t\r\u3000\xa0"
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_NOT_LETTERS = re.compile(r"[\W_]+")
_MARGIN = 40  # characters scanned either side of Chinese in an English text
_CUT_LENGTH = 2  # forms this long or shorter are asked whether they cut words (强国 in 富强国家)
_WINDOW = 4  # characters either side of a match the segmenter sees
# A hyphenated noun made of a verb and its particle; written open and followed by the start of an object,
# it is the verb.
_PHRASAL = re.compile(r"\w-(?:up|out|off|down|over|in|on|back)\b")
_OBJECT_STARTS = frozenset("a an the new more its their our this that these those his her your some".split())
_CONVERTERS = ("s2tw", "s2hk")  # regional traditional forms beyond the entry's own (臺/台, 着/著)
Evidence = Callable[[int], set[str]]  # the entries whose Chinese is at hand, by position in the target
Members = dict[str, list[tuple[int, int]]]  # formula id → (offset, member number) of each member found


@dataclass(frozen=True, slots=True)
class Use:
    """What an English key stands for: one rendering of one entry."""

    entry_id: str
    index: int
    generic: bool
    cased: str | None  # for a proper noun, its letters and digits in their written case
    phrasal: bool = False  # a noun from a phrasal verb ("opening-up"), which its verb may be mistaken for
    count: int = 0  # a formula's rendering with another count word: the count it says


class Hit(NamedTuple):
    """A term found in a submitted string: a Chinese form (rendering -1) or a rendering, by its index."""

    # A named tuple, not a frozen dataclass: a check makes one per term found, and this is four times cheaper.
    start: int
    end: int
    entry_id: str
    rendering: int = -1
    shared: bool = False  # the English matched is a rendering of several entries
    miscount: int = 0  # a formula's rendering with the count word changed to this


def _zh_unify(text: str) -> str:
    return _ZH_UNIFY.sub(lambda m: _ZH_TABLE[m.group()], text)


def _wrapped_lines(text: str) -> Iterator[tuple[int, int]]:
    """The line breaks (with their indentation) between two Han characters: wrapped lines, not boundaries."""
    at = text.find("\n")
    while at >= 0:
        start, end = at, at + 1
        while start and text[start - 1] in _INDENT:
            start -= 1
        while end < len(text) and text[end] in _INDENT:
            end += 1
        if start and end < len(text) and HAN.match(text, start - 1) and HAN.match(text, end):
            yield start, end
        at = text.find("\n", end)


def reference_keys(entry: ReferenceEntry) -> tuple[list[str], list[str]]:
    """The Chinese forms and English keys a CC-CEDICT entry adds to the automata (the scale benchmark)."""
    english_keys = []
    for sense in entry.senses:
        sense = re.sub(r"\([^)]*\)", "", sense).strip()
        if not sense or sense.startswith(("CL:", "variant of", "see ", "old variant", "surname ", "abbr.")):
            continue
        if sense.startswith("to "):
            sense = sense[3:]
        if 0 < len(sense.split()) <= 6:
            english_keys.append(english.key(sense))
    return [entry.simp, entry.trad], english_keys


class Matcher:
    """The two automata for a set of entries; read-only after __init__, so safe to share between threads."""

    def __init__(
        self, entries: Iterable[Entry], reference: Iterable[ReferenceEntry] | None = None,
        equivalences: Equivalences | None = None,
    ):
        self.equivalences = equivalences or Equivalences()
        self.stems = Stems(self.equivalences)
        # Which renderings of an entry are one (see `consistency.classes`), filled by the checks that ask.
        self.class_cache: dict[str, list[int]] = {}
        zh: dict[str, list[str]] = {}
        en: dict[str, list[Use]] = {}
        converters = [opencc.OpenCC(f"{name}.json") for name in _CONVERTERS]
        entries_list = list(entries)
        for entry in entries_list:
            forms = entry.chinese_forms()
            forms += [str(c.convert(form)) for c in converters for form in forms]
            for form in dict.fromkeys(_zh_unify(f) for f in forms):
                zh.setdefault(form, []).append(entry.id)
            for index, rendering in enumerate(entry.renderings):
                phrasal = bool(_PHRASAL.search(rendering.en))
                for cased in english.inflections(rendering.en, folded=False):
                    letters = _NOT_LETTERS.sub("", cased) if rendering.proper_noun else None
                    use = Use(entry.id, index, rendering.generic, letters, phrasal)
                    if len(cased) > 2:
                        en.setdefault(english.fold(cased), []).append(use)
                # The same words in another form (S&T, British spelling, the modifier after its head); a
                # proper noun keeps its one written form.
                if rendering.proper_noun:
                    continue
                variant_use = Use(entry.id, index, rendering.generic, None, phrasal)
                for variant in self.equivalences.variants(rendering.en)[1:]:
                    for key in english.inflections(variant):
                        if len(key) > 2 and all(u.entry_id != entry.id for u in en.get(key, ())):
                            en.setdefault(key, []).append(variant_use)
                for variant, count in formulas.count_variants(entry, rendering.en):
                    miscount = Use(entry.id, index, rendering.generic, None, phrasal, count)
                    for key in english.inflections(variant):
                        if all(u.entry_id != entry.id for u in en.get(key, ())):
                            en.setdefault(key, []).append(miscount)
        # A short form of one or two characters (减负 for 科研人员减负, 帽子 for 人才帽子) is too common to
        # ask for the entry's rendering on its own, as a generic rendering is in English.
        self._weak: dict[str, set[str]] = {}
        for entry in entries_list:
            for short, hant in zip(entry.zh_variants, entry.variants_hant, strict=True):
                if short.type.value == "short" and len(short.zh) <= 2:
                    for form in (short.zh, hant):
                        self._weak.setdefault(_zh_unify(form), set()).add(entry.id)
        # Formulas' members, found in one scan: which are given, in which order (see `formulas`).
        self.formulas = {e.id: e for e in entries_list if len(e.members) >= 2}
        members: dict[str, list[tuple[str, int]]] = {}
        for entry in self.formulas.values():
            for n, member in enumerate(entry.members):
                members.setdefault(_zh_unify(member.zh), []).append((entry.id, n))
        self._member_owners = list(members.values())
        self._members = _automaton(list(members), overlapping=True)
        self._zh_owners = [owners for owners in zh.values()]
        self._en_uses = [uses for uses in en.values()]
        self._plain = frozenset(
            i for i, uses in enumerate(self._en_uses)
            if len(uses) == 1 and uses[0].cased is None and not uses[0].generic and not uses[0].phrasal
            and not uses[0].count
        )
        zh_patterns, en_patterns = list(zh), list(en)
        self._zh_firsts = frozenset(key[0] for key in zh_patterns)
        self._zh_index = {key: i for i, key in enumerate(zh_patterns)}
        self._en_index = {key: i for i, key in enumerate(en_patterns)}
        # Reference patterns come after the curated ones: a match with a larger index is a dictionary word,
        # which takes part in longest-match segmentation but is never reported.
        if reference is not None:
            zh_extra: dict[str, None] = {}
            en_extra: dict[str, None] = {}
            for ref in reference:
                forms, keys = reference_keys(ref)
                zh_extra.update(dict.fromkeys(_zh_unify(f) for f in forms if _zh_unify(f) not in zh))
                en_extra.update(dict.fromkeys(k for k in keys if len(k) > 2 and k not in en))
            zh_patterns += list(zh_extra)
            en_patterns += list(en_extra)
        # Dictionary words are dropped in bulk after a scan, except those that begin with a curated term,
        # which may hide it (科技强国家 would hide 科技强国): those are looked at one by one.
        self._zh_keep = frozenset(
            i for i in range(len(zh), len(zh_patterns))
            if any(zh_patterns[i][:e] in zh for e in range(1, len(zh_patterns[i])))
        )
        self._en_keep = frozenset(
            i for i in range(len(en), len(en_patterns))
            if any(en_patterns[i][:e].rstrip(" ") in en for e in _word_ends(en_patterns[i]))
        )
        self.zh_patterns, self.en_patterns = zh_patterns, en_patterns
        self.zh_automaton = _automaton(zh_patterns)
        # Without a reference layer, every curated form is found, overlapping, and the best cover of each
        # cluster kept, with jieba as the evidence on word boundaries (see `segmenter`). With one (the scale
        # benchmark), the dictionary's words are that evidence: leftmost-longest over both.
        self.reference = reference is not None
        self.segmenter = Segmenter(zh)
        # The formulas' members are found in the same scan (see `formulas`), after the curated forms.
        overlap = list(zh) + [m for m in members if m not in zh]
        self._overlap_members = [members.get(pattern, []) for pattern in overlap]
        self._zh_overlap = None if self.reference or not zh else ahocorasick_rs.AhoCorasick(
            overlap, matchkind=ahocorasick_rs.MatchKind.Standard
        )
        self.en_automaton = _automaton(en_patterns)

    def find_chinese(self, text: str, members: Members | None = None) -> list[Hit]:
        """Every entry named in `text` by a Chinese form, the best cover of overlapping ones, left to right;
        with `members`, also the formulas' members found, by formula: (offset, member number)."""
        members = {} if members is None else members
        if self.zh_automaton is None or not HAN.search(text):
            return []
        runs = [m.span() for m in _HAN_RUN.finditer(text)]
        if sum(b - a for a, b in runs) * 10 > len(text):
            return self._find_chinese(text, members, 0)
        # Chinese quoted in English: scan only around it, which is all a form (Han with a few digits or
        # quotes between) can span.
        windows: list[list[int]] = []
        for start, end in runs:
            if windows and start - _MARGIN <= windows[-1][1]:
                windows[-1][1] = min(end + _MARGIN, len(text))
            else:
                windows.append([max(start - _MARGIN, 0), min(end + _MARGIN, len(text))])
        return [
            Hit(hit.start + a, hit.end + a, hit.entry_id)
            for a, b in windows
            for hit in self._find_chinese(text[a:b], members, a)
        ]

    def _find_chinese(self, text: str, members: Members, offset: int) -> list[Hit]:
        if self.zh_automaton is None:
            return []
        unified = _zh_unify(text)
        scan = english.collapse(unified, _wrapped_lines(unified), keep="")
        hits: list[Hit] = []
        if self._zh_overlap is not None:
            found: Members = {}
            for index, start, end in self._resolved(scan.text, found):
                first, last = scan.span(start, end)
                hits += [Hit(first, last, owner) for owner in self._zh_owners[index]]
            for entry_id, places in found.items():
                members.setdefault(entry_id, []).extend((scan.position(at) + offset, n) for at, n in places)
            return hits
        for entry_id, places in self.find_members(text, 0, len(text)).items():
            members.setdefault(entry_id, []).extend((at + offset, n) for at, n in places)
        limit, keep = len(self._zh_owners), self._zh_keep
        matches = self.zh_automaton.find_matches_as_indexes(scan.text)
        for index, start, end in [m for m in matches if m[0] < limit or m[0] in keep]:
            accepted = self._zh_accept(scan.text, index, start, end, limit)
            if accepted is None:
                continue
            index, end = accepted
            first, last = scan.span(start, end)
            hits += [Hit(first, last, owner) for owner in self._zh_owners[index]]
        return hits

    def _resolved(self, text: str, members: Members) -> list[tuple[int, int, int]]:
        """The curated forms in `text` as (index, start, end): the best cover of overlapping matches, less
        the matches that cut a word; the formulas' members found go to `members`."""
        assert self._zh_overlap is not None
        found = []
        limit, owners = len(self._zh_owners), self._overlap_members
        for index, start, end in self._zh_overlap.find_matches_as_indexes(text, overlapping=True):
            if owners[index]:
                for entry_id, n in owners[index]:
                    members.setdefault(entry_id, []).append((start, n))
            if index >= limit:
                continue
            # A one-character form (力) inside a run of Han characters is part of another word.
            if end - start > 1 or not (HAN.match(text, start - 1) or HAN.match(text, end)):
                found.append((start, end, index))
        resolved = []
        cuts = self.segmenter.cuts
        for start, end, index in resolve(found):
            # Only two-character forms cut words in practice; the Han run around the match, as far as the
            # segmenter looks, bounds the question.
            if end - start <= _CUT_LENGTH:
                left, right = start, end
                while left > start - _WINDOW and HAN.match(text, left - 1):
                    left -= 1
                while right < end + _WINDOW and HAN.match(text, right):
                    right += 1
                if cuts(text, start, end, (left, right)):
                    continue
            resolved.append((index, start, end))
        return resolved

    def _zh_accept(self, scan: str, index: int, start: int, end: int, limit: int) -> tuple[int, int] | None:
        """The curated form matched at `start` (the longest, or a shorter one a dictionary word hides)."""
        while scan[start] in self._zh_firsts:
            # A one-character form (力) inside a run of Han characters is part of another word.
            alone = end - start > 1 or not (HAN.match(scan, start - 1) or HAN.match(scan, end))
            if index < limit and alone:
                return index, end
            end = next((e for e in range(end - 1, start, -1) if scan[start:e] in self._zh_index), start)
            if end == start:
                return None
            index = self._zh_index[scan[start:end]]
        return None

    def find_english(self, text: str, evidence: Evidence) -> list[Hit]:
        """Every rendering used in `text`: whole words; generic ones only if `evidence(start)` holds it."""
        if self.en_automaton is None:
            return []
        scan = english.normalise(text)
        hits: list[Hit] = []
        limit, keep = len(self._en_uses), self._en_keep
        matches = self.en_automaton.find_matches_as_indexes(scan.text)
        for index, start, end in [m for m in matches if m[0] < limit or m[0] in keep]:
            found = self._en_accept(text, scan, index, start, end, evidence)
            # Rejected (not a whole word, wrong case, generic, a dictionary phrase): a shorter rendering
            # at the same start must not be hidden by it.
            while not found:
                end = _previous_word_end(scan.text, start, end)
                if end < 0:
                    break
                if (shorter := self._en_index.get(scan.text[start:end])) is not None:
                    found = self._en_accept(text, scan, shorter, start, end, evidence)
            hits += found
        return hits

    def _en_accept(
        self, text: str, scan: english.Scan, index: int, start: int, end: int, evidence: Evidence
    ) -> list[Hit]:
        if index >= len(self._en_uses) or not scan.ends_word(end):
            return []
        first, last = scan.span(start + 1, end)
        if index in self._plain:  # one entry, no case, evidence or verb to look at: the common case
            use = self._en_uses[index][0]
            return [Hit(first, last, use.entry_id, use.index)]
        hits: list[Hit] = []
        for use in self._en_uses[index]:
            # The folded match already has the rendering's words: only their case is left to compare.
            # A proper noun in another case is another word ("party") unless the Chinese says it is the name.
            if use.cased is not None and _NOT_LETTERS.sub("", text[first:last]) != use.cased:
                if use.entry_id not in evidence(first):
                    continue
            if use.generic and use.entry_id not in evidence(first):
                continue
            if use.phrasal and _is_verb(text, scan, first, last, end):
                continue
            if all(hit.entry_id != use.entry_id for hit in hits):
                hits.append(Hit(first, last, use.entry_id, use.index, miscount=use.count))
        if len(hits) > 1:
            hits = [hit._replace(shared=True) for hit in hits]
        return hits


    def find_members(self, text: str, start: int, end: int) -> dict[str, list[tuple[int, int]]]:
        """The formulas' members in `text[start:end]`: by formula, (offset, member number) in text order."""
        found: dict[str, list[tuple[int, int]]] = {}
        if self._members is None or not self.formulas:
            return found
        scan = _zh_unify(text[start:end])
        for index, a, _b in self._members.find_matches_as_indexes(scan, overlapping=True):
            for entry_id, n in self._member_owners[index]:
                found.setdefault(entry_id, []).append((a + start, n))
        for places in found.values():
            places.sort()
        return found

    def weak(self, text: str, hit: Hit) -> bool:
        """Whether a Chinese hit is a short form of one or two characters, which asks for no rendering."""
        return hit.entry_id in self._weak.get(_zh_unify(text[hit.start : hit.end]), ())

    def mentions(self, scan: english.Scan, renderings: Iterable[str]) -> bool:
        """Whether a scanned text holds one of `renderings` (inflected, whole words), even inside a term."""
        for rendering in renderings:
            for key in english.inflections(rendering):
                at = scan.text.find(key)
                while at >= 0:
                    if scan.ends_word(at + len(key)):
                        return True
                    at = scan.text.find(key, at + 1)
        return False


def _is_verb(text: str, scan: english.Scan, first: int, last: int, end: int) -> bool:
    """Whether a phrasal noun written open is the verb: "opening up new space", not "the opening-up of"."""
    if "-" in text[first:last] or "‐" in text[first:last]:
        return False
    following = scan.text[end:].lstrip(" ").split(" ", 1)[0] if end < len(scan.text) else ""
    return following in _OBJECT_STARTS


def _word_ends(key: str) -> list[int]:
    """Where the words of a key end, but for the last."""
    return [i for i in range(2, len(key)) if key[i] == " " and key[i - 1] != " "]


def _previous_word_end(scan: str, start: int, end: int) -> int:
    """Where the word before the one ending at `end` ends, for a match starting at `start` (-1: none)."""
    space = scan.rfind(" ", start + 1, end)
    while space > start + 1 and scan[space - 1] == " ":  # punctuation leaves more than one space
        space -= 1
    return space if space > start + 1 else -1


def _automaton(patterns: Sequence[str], overlapping: bool = False) -> ahocorasick_rs.AhoCorasick | None:
    if not patterns:
        return None
    kind = ahocorasick_rs.MatchKind.Standard if overlapping else ahocorasick_rs.MatchKind.LeftmostLongest
    return ahocorasick_rs.AhoCorasick(patterns, matchkind=kind)


