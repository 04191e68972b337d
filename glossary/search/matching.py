"""Matching one analysed query against one layer: the tiers of the ranking, each with its explanation.

A tier is the documents matched one way, best first, and a `describe` function that says, for a document
on the page, which field and form matched and (for text) a highlighted snippet. Only the page's documents
are described, so explaining costs nothing for the thousands of documents a short prefix can match.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice, product
from typing import TYPE_CHECKING

from pypinyin import Style
from pypinyin import pinyin as pypinyin_readings

from ..base import pinyin
from ..base.equivalences import Equivalences
from ..base.model import has_han
from . import analysis, index
from .index import TEXT_FIELDS, Doc
from .keys import Found
from .query import Query, Syllable, u_variants
from .spelling import WORD

if TYPE_CHECKING:
    from .layer import OpenLayer

Describe = Callable[[Doc], tuple[str, str, str | None]]

_MAX_READINGS_FOR_PREFIX = 4  # prefix lookups for the best few readings are plenty; each costs bisections
_MAX_MIXED_KEYS = 16  # readings of the characters tried (heteronyms multiply)
_MAX_MIXED_CANDIDATES = 500  # prefix candidates checked character by character (the total may stop there)
_SNIPPET_CHARS = 160
_MIN_ENGLISH_PREFIX = 3  # "s" or "ji" starting a rendering says nothing; they are pinyin prefixes


@dataclass
class Tier:
    """Documents matched one way, in rank order (a document may repeat: its first place counts).

    With `head`, `docs` is every document unordered (for the total) and head(n) the first n in rank order.
    """

    kind: str
    docs: list[int]
    describe: Describe
    head: Callable[[int], list[int]] | None = None


def _prefix_tier(kind: str, found: Iterable[Found], describe: Describe) -> Tier:
    """One tier of the documents of several prefix lookups, in the order of the lookups."""
    found = list(found)
    docs = _chain(f.docs for f in found)
    if all(f.first is None for f in found):
        return Tier(kind, docs, describe)
    return Tier(kind, docs, describe, lambda n: _chain(f.head(n) for f in found))


# --- characters -----------------------------------------------------------------------------------------


def han_tiers(layer: OpenLayer, query: Query) -> list[Tier]:
    """Characters, simplified or traditional: whole forms, then prefixes, then characters inside a form."""
    data, forms = layer.data, query.han_forms
    tiers = [
        Tier("characters", _chain(data.chars.exact(f) for f in forms), _form_describe(str.__eq__, forms)),
        _prefix_tier("prefix", (data.chars.prefixed(f) for f in forms),
                     _form_describe(str.startswith, forms, snippet=True)),
        Tier("contains", _chain(data.contains.find(f) for f in forms),
             _form_describe(str.__contains__, forms, snippet=True)),
    ]
    for kind, fields, table in (("text", ("members",), data.members), ("notes", ("notes",), data.notes)):
        tiers.append(Tier(kind, _chain(table.find(f) for f in forms), _text_contains_describe(fields, forms)))
    return tiers


def _texts_containing(
    doc: Doc, fields: tuple[str, ...], needles: tuple[str, ...]
) -> list[tuple[str, str, str]]:
    return [t for t in doc.texts if t[0] in fields and any(n in t[1] or n in t[2] for n in needles)]


def _form_describe(test: Callable[[str, str], bool], needles: tuple[str, ...], *, snippet: bool = False
                   ) -> Describe:
    """Explain a character match: the first form `test(form, needle)` accepts, the query as typed first."""

    def describe(doc: Doc) -> tuple[str, str, str | None]:
        for needle in needles:
            for field, form, _ in doc.forms:
                if test(form, needle):
                    return field, form, mark_substring(form, (needle,)) if snippet else None
        return "zh", doc.zh, None

    return describe


def _text_contains_describe(fields: tuple[str, ...], needles: tuple[str, ...]) -> Describe:
    def describe(doc: Doc) -> tuple[str, str, str | None]:
        for field, form, text in _texts_containing(doc, fields, needles):
            return field, form, mark_substring(text if any(n in text for n in needles) else form, needles)
        return fields[0], doc.zh, None  # the match ran across a line break in the note

    return describe


# --- pinyin -------------------------------------------------------------------------------------------


def latin_tiers(layer: OpenLayer, query: Query) -> list[Tier]:
    """Pinyin in every form (toned, toneless, initials, prefixes), then English."""
    data, readings = layer.data, query.readings
    few = readings[:_MAX_READINGS_FOR_PREFIX]
    forms = (query.text, query.text.upper())  # a Chinese form may be all Latin letters and digits: 5G, G20
    exact = _chain(data.chars.exact(f) for f in forms)
    tiers = [Tier("characters", exact, _form_describe(str.__eq__, forms))]
    if readings and query.toned:
        keys = _keys(r.toned() for r in readings)
        tiers.append(Tier("toned", _chain(data.toned.exact(k) for k in keys), _pinyin_describe(0, keys)))
    if readings:
        keys = _keys(r.toneless() for r in readings)
        docs = _chain(data.toneless.exact(k) for k in keys)
        tiers.append(Tier("toneless", docs, _pinyin_describe(1, keys)))
    if query.initials_only:
        tiers.append(Tier("initials", data.initials.exact(query.letters),
                          _pinyin_describe(3, [query.letters])))
    prefixes = []
    if readings and query.toned:
        keys = _keys(r.toned() + " " for r in few)
        prefixes.append(_prefix_tier("prefix", (data.toned.prefixed(k, proper=False) for k in keys),
                                     _pinyin_describe(0, keys, prefix=True)))
    if readings:  # whole syllables first, so that xi'an finds xī ān … before xiān …
        keys = _keys(r.toneless() + " " for r in few)
        prefixes.append(_prefix_tier("prefix", (data.toneless.prefixed(k, proper=False) for k in keys),
                                     _pinyin_describe(1, keys, prefix=True)))
    if query.letters and query.letters.isalpha():
        keys = u_variants(query.letters)
        prefixes.append(_prefix_tier("prefix", (data.letters.prefixed(k) for k in keys),
                                     _pinyin_describe(2, keys, prefix=True)))
    if query.initials_only and not readings:
        prefixes.append(_prefix_tier("prefix", [data.initials.prefixed(query.letters)],
                                     _pinyin_describe(3, [query.letters], prefix=True)))
    if not readings and any(ch.isdigit() for ch in query.text):  # 2030 in 科技创新2030重大项目 (not tones)
        prefixes.append(Tier("contains", _chain(data.contains.find(f) for f in forms),
                             _form_describe(str.__contains__, forms, snippet=True)))
    return tiers + prefixes + english_tiers(layer, query)


def _keys(keys: Iterable[str]) -> list[str]:
    """Distinct keys in order, each followed by its readings of u as ü; the best reading's first."""
    return list(dict.fromkeys(variant for key in keys for variant in u_variants(key)))


def _pinyin_describe(which: int, keys: list[str], *, prefix: bool = False) -> Describe:
    """Explain a pinyin match; `which` picks the key: 0 toned, 1 toneless, 2 letters, 3 initials."""

    def describe(doc: Doc) -> tuple[str, str, str | None]:
        for _, _, marks in doc.forms:
            forms = index.pinyin_keys(marks)
            key = forms[which]
            if key in keys or (prefix and key.startswith(tuple(keys))):
                shown = forms[3] if which == 3 else marks
                return "pinyin", shown, None
        return "pinyin", doc.pinyin, None

    return describe


# --- characters mixed with pinyin ---------------------------------------------------------------------


def mixed_tiers(layer: OpenLayer, query: Query) -> list[Tier]:
    """Characters mixed with toneless pinyin (科技qiangguo): whole forms, then prefixes.

    The characters are read as pinyin too (every reading pypinyin knows), so the whole query becomes toneless
    keys looked up like pinyin; the candidates are then checked character by character.
    """
    units, data = query.units, layer.data
    if not units:
        return []
    options = [u_variants(u.text) if isinstance(u, Syllable) else _readings(u) for u in units]
    keys = list(dict.fromkeys(" ".join(combo) for combo in islice(product(*options), _MAX_MIXED_KEYS)))
    # Only documents whose forms hold the longest run of characters typed can fit: a set test weeds out the
    # rest before any document is decoded.
    runs = "".join(u if isinstance(u, str) else "\n" for u in units).split("\n")
    holding = set(data.contains.find(max(runs, key=len)))
    exact_candidates = [n for n in _chain(data.toneless.exact(k) for k in keys) if n in holding]
    prefix_candidates = [n for n in _chain(data.toneless.prefix(k + " ", proper=False) for k in keys)
                         if n in holding]
    exact = [n for n in dict.fromkeys(exact_candidates) if _best_fit(units, data.docs[n]) == 0]
    prefix = [n for n in list(dict.fromkeys(prefix_candidates))[:_MAX_MIXED_CANDIDATES]
              if _best_fit(units, data.docs[n]) <= 1]

    def describe_with(wanted: int) -> Describe:
        def describe(doc: Doc) -> tuple[str, str, str | None]:
            for field, form, marks in doc.forms:
                if _mixed_fit(units, form, marks) <= wanted:
                    return field, form, None
            return "zh", doc.zh, None

        return describe

    return [Tier("mixed", exact, describe_with(0)), Tier("prefix", prefix, describe_with(1))]


@lru_cache(maxsize=4096)
def _readings(char: str) -> list[str]:
    """Every toneless reading of a Han character (ü as v)."""
    readings = pypinyin_readings(char, style=Style.NORMAL, heteronym=True)
    return list(dict.fromkeys(readings[0])) if readings else []


def _best_fit(units: tuple[str | Syllable, ...], doc: Doc) -> int:
    return min((_mixed_fit(units, form, marks) for _, form, marks in doc.forms), default=2)


def _mixed_fit(units: tuple[str | Syllable, ...], form: str, marks: str) -> int:
    """0 when the form matches the units whole, 1 when it starts with them, 2 otherwise."""
    chars = [ch for ch in form if has_han(ch)]
    syllables = index.pinyin_keys(marks)[1].split()
    if len(chars) != len(syllables) or len(units) > len(chars):
        return 2
    for unit, char, syllable in zip(units, chars, syllables, strict=False):
        if isinstance(unit, str):
            if unit != char:
                return 2
        elif pinyin.fold(unit.text) != pinyin.fold(syllable):
            return 2
    return 0 if len(units) == len(chars) else 1


# --- English --------------------------------------------------------------------------------------------


def english_tiers(layer: OpenLayer, query: Query) -> list[Tier]:
    """The exact rendering, then words in renderings, then members / definition / literal, then notes."""
    data = layer.data
    key = analysis.exact_key(query.text)
    exact = data.english.exact(key) if key else []
    # The same rendering up to the curated equivalences: "S&T advances", "scientific and technological …".
    equivalences = getattr(data, "equivalences", None)
    if key and equivalences is not None and equivalences.phrases:
        same = analysis.equivalent_key(query.text, equivalences)
        exact += [n for n in data.english.exact(same) if n not in exact]
    tiers = [Tier("rendering", exact, _exact_describe(key, equivalences))]
    stems = analysis.stems(query.text)
    prefix = [_prefix_tier("prefix", [data.english.prefixed(key)], _english_prefix_describe(key))]
    if len(key) < _MIN_ENGLISH_PREFIX:
        prefix = []
    if not stems:
        return tiers + prefix
    for kind, group in (("words", "renderings"), ("text", "text"), ("notes", "notes")):
        fields = tuple(f for f, g in TEXT_FIELDS.items() if g == group)
        tiers.append(Tier(kind, data.words.docs(group, stems), _words_describe(fields, set(stems))))
        if kind == "words":
            # Renderings starting with what was typed: "S&T" (no word long enough to index), "ministry of sc";
            # then renderings with the words and one starting with the last word typed so far ("S&T powerh").
            tiers += prefix + _word_prefix_tier(layer, query.text)
    return tiers


def _word_prefix_tier(layer: OpenLayer, text: str) -> list[Tier]:
    words = list(analysis.word_spans(text))
    if not words or words[-1].end() != len(text.rstrip()) or len(words[-1].group()) < _MIN_ENGLISH_PREFIX:
        return []  # a query ending in a space or punctuation has no word being typed
    started = words[-1].group().lower()
    stems = [s for w in words[:-1] if (s := analysis.stem_of(w.group()))]
    docs = layer.data.words.docs("renderings", stems, started)
    return [Tier("prefix", docs, _words_describe(("renderings", "senses"), set(stems), started))]


def fuzzy_tiers(layer: OpenLayer, query: Query) -> list[Tier]:
    """English again with each unknown word corrected to the nearest common word of the layer (typos)."""
    words = WORD.findall(query.text)
    corrected = [layer.data.speller.correct(w) or w for w in words]
    if corrected == [w.lower() for w in words] or corrected == words:
        return []
    text = " ".join(corrected)
    return [Tier("fuzzy", t.docs, t.describe) for t in english_tiers(layer, Query(text, "latin"))]


def _words_describe(fields: tuple[str, ...], stems: set[str], started: str = "") -> Describe:
    def describe(doc: Doc) -> tuple[str, str, str | None]:
        best: int = 0
        shown: tuple[str, str, str | None] = ("renderings", doc.preferred, None)
        for field, form, text in doc.texts:  # the text holding most of the words (the first of equals)
            if field in fields:
                text_stems = set(analysis.stems(text))
                found = len(stems & text_stems) + any(s.startswith(started) for s in text_stems if started)
                if found > best:
                    best, shown = found, (field, form, highlight_terms(text, stems, started))
        return shown

    return describe


def _english_prefix_describe(key: str) -> Describe:
    words = len(key.split())

    def describe(doc: Doc) -> tuple[str, str, str | None]:
        for field, form, text in doc.texts:
            if field in ("renderings", "senses") and analysis.exact_key(text).startswith(key):
                spans = [m.span() for m in analysis.word_spans(text)][:words]
                start, end = spans[0][0], spans[-1][1]
                marked = f"<mark>{html.escape(text[start:end])}</mark>"
                return field, form, html.escape(text[:start]) + marked + html.escape(text[end:])
        return "renderings", doc.preferred, None

    return describe


def _exact_describe(key: str, equivalences: Equivalences | None = None) -> Describe:
    def describe(doc: Doc) -> tuple[str, str, str | None]:
        for field, form, text in doc.texts:
            if field in ("renderings", "senses") and analysis.exact_key(text) == key:
                return field, form, f"<mark>{html.escape(text)}</mark>"
        if equivalences is not None:
            same = analysis.equivalent_key(key, equivalences)
            for field, form, text in doc.texts:
                if field == "renderings" and analysis.equivalent_key(text, equivalences) == same:
                    return field, form, f"<mark>{html.escape(text)}</mark>"
        return "renderings", doc.preferred, None

    return describe


# --- snippets -------------------------------------------------------------------------------------------


def highlight_terms(text: str, terms: set[str], started: str = "") -> str:
    """The passage of `text` around its first matched word, every word whose stem is in `terms` (or that
    starts with `started`) marked."""
    spans = [(m.start(), m.end()) for m in analysis.word_spans(text)
             if analysis.stem_of(m.group()) in terms or (started and m.group().lower().startswith(started))]
    if not spans:
        return html.escape(text[:_SNIPPET_CHARS])
    start = max(0, spans[0][0] - 60)
    if start:  # begin at a word
        start = text.rfind(" ", 0, start) + 1
    end = min(len(text), start + _SNIPPET_CHARS)
    if end < len(text):
        end = max(text.rfind(" ", spans[0][1], end), spans[0][1])
    out = ["…" if start else ""]
    position = start
    for begin, finish in spans:
        if begin < position or finish > end:
            continue
        out += [html.escape(text[position:begin]), f"<mark>{html.escape(text[begin:finish])}</mark>"]
        position = finish
    out += [html.escape(text[position:end]), "…" if end < len(text) else ""]
    return "".join(out)


def mark_substring(text: str, needles: tuple[str, ...]) -> str:
    """`text` (shortened around the match when long) with the first needle found marked."""
    for needle in needles:
        at = text.find(needle)
        if at >= 0:
            start = max(0, at - 60)
            end = min(len(text), at + len(needle) + 60)
            before = ("…" if start else "") + text[start:at]
            after = text[at + len(needle):end] + ("…" if end < len(text) else "")
            return f"{html.escape(before)}<mark>{html.escape(needle)}</mark>{html.escape(after)}"
    return html.escape(text[:_SNIPPET_CHARS])


def _chain(lists: Iterable[list[int]]) -> list[int]:
    return list(chain.from_iterable(lists))
