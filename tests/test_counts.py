"""Claims in notes that can be recounted, and the rule that a preferred rendering's own note does not call it
wrong: both checked on the real base against its source texts (data/texts)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glossary.base import quotes, stats, store
from glossary.base.model import Entry

NUMBERS = {"once": 1, "twice": 2, "thrice": 3, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
NUMBERS |= {"eight": 8, "nine": 9, "ten": 10}
_NUMBER = r"\d+|" + "|".join(NUMBERS)
# "used 18 times in the briefing", "(SCIO, 16 times; …)", "uses it twice in one paragraph"
CLAIM = re.compile(
    rf"\b(?P<n>{_NUMBER}) times\b(?P<rest>[^.;)]*)|\b(?:uses|used|appears|occurs)(?: it)? (?P<m>once|twice)\b"
    r"(?P<rest2>[^.;)]*)",
    re.IGNORECASE,
)
# Quoted words are the source's, not the curator's claim ("though I die nine times").
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")


def claims(note: str) -> list[tuple[int, bool]]:
    """Every count a note claims: (the number, whether it is a count within one paragraph)."""
    found = []
    for match in CLAIM.finditer(QUOTED.sub("", note)):
        word = (match["n"] or match["m"]).lower()
        rest = (match["rest"] or match["rest2"] or "").lower()
        found.append((int(word) if word.isdigit() else NUMBERS[word], "paragraph" in rest))
    return found


def test_claims_are_read_as_a_curator_writes_them() -> None:
    assert claims("Preferred: the official English (SCIO), used 18 times in the briefing.") == [(18, False)]
    assert claims("The same briefing's short form (17 times).") == [(17, False)]
    assert claims("DigiChina uses it twice in one paragraph.") == [(2, True)]
    assert claims('The line "though I die nine times" is Qu Yuan\'s; a title awarded once.') == []


@pytest.fixture(scope="module")
def base(real_data_dir: Path) -> store.TermBase:
    return store.load(real_data_dir)


def _occurrences(base: store.TermBase, seeds_dir: Path, entry: Entry, index: int) -> tuple[int, int]:
    """How often rendering `index` stands in its first source: in all, and at most in one paragraph."""
    rendering = entry.renderings[index]
    source = base.sources[rendering.sources[0]]
    assert source.file, f"{source.id} has no text to count in"
    raw = (seeds_dir / source.file).read_text(encoding="utf-8")
    needle = quotes.normalise(rendering.en).casefold()
    paragraphs = [quotes.normalise(p).casefold() for p in re.split(r"\n\s*\n", raw)]
    return sum(p.count(needle) for p in paragraphs), max(p.count(needle) for p in paragraphs)


def test_every_count_in_a_note_is_right(base: store.TermBase, seeds_dir: Path) -> None:
    """A note's "used N times" is recounted: the rendering, case-insensitively, in its first source's text."""
    checked, wrong = 0, []
    for entry in base.entries.values():
        for i, rendering in enumerate(entry.renderings):
            for number, in_paragraph in claims(rendering.note or ""):
                if not rendering.attested:
                    wrong.append(f"{entry.id}: the curator's rendering {rendering.en!r} cannot be counted")
                    continue
                total, most = _occurrences(base, seeds_dir, entry, i)
                found = most if in_paragraph else total
                checked += 1
                if found != number:
                    where = "in one paragraph" if in_paragraph else "in all"
                    wrong.append(f"{entry.id}: {rendering.en!r} claimed {number}, found {found} {where}")
    assert checked >= 3, "the base's count claims were not found"
    assert not wrong, "\n".join(wrong)


def test_no_preferred_rendering_is_called_wrong_by_its_own_note(base: store.TermBase) -> None:
    """Where every attested rendering is flawed, the curator's rendering is preferred instead."""
    flawed = stats.flawed_preferred(list(base.entries.values()))
    listing = "\n".join(f"{eid}: {en!r}: its note says {', '.join(found)}" for eid, en, found in flawed)
    words = ", ".join(stats.FLAW_WORDS)
    assert not flawed, f"preferred renderings whose note calls them wrong (words: {words}):\n{listing}"
    assert stats.counts(base)["preferred_called_wrong_by_own_note"] == 0


@pytest.mark.parametrize(
    ("note", "words"),
    [
        ("Literal and awkward in running English.", ["awkward"]),
        ("It misreads the line; 穷 is not poverty.", ["misreads"]),
        ("Preferred over the SCIO transcript's \"paradigm\" (see its note).", []),
        ("A wrong word; the WRONG one.", ["wrong", "wrong"]),
        ("The standard rendering, and not misleading; never wrong, but awkward.", ["awkward"]),
        (None, []),
    ],
)
def test_flaw_words(note: str | None, words: list[str]) -> None:
    assert stats.flaw_words(note) == words
