"""Reading CC-CEDICT, the general Chinese–English dictionary behind the reference layer.

Its entries answer search and check when the curated base has nothing; they are never mixed into the curated
term base. The layer itself is built into the index by `glossary.search.reference`.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pypinyin.contrib.tone_convert import to_tone

# 傳統 传统 [chuan2 tong3] /tradition/traditional/
_LINE = re.compile(r"^(?P<trad>\S+) (?P<simp>\S+) \[(?P<pinyin>[^\]]*)\] /(?P<senses>.*)/\s*$")

CEDICT_SOURCE = {
    "id": "cc-cedict",
    "title": "CC-CEDICT",
    "publisher": "MDBG",
    "licence": "CC BY-SA 4.0",
    "url": "https://www.mdbg.net/chinese/dictionary?page=cedict",
}


@dataclass(frozen=True, slots=True)
class ReferenceEntry:
    """One CC-CEDICT line."""

    line: int
    trad: str
    simp: str
    pinyin_numbers: str  # as in the file: "chuan2 tong3", capitals for proper nouns, u: for ü
    senses: tuple[str, ...]

    @property
    def pinyin(self) -> str:
        """Pinyin with tone marks, lower case (``chuán tǒng``); CEDICT's ``u:`` read as ü."""
        return " ".join(_marks(token) for token in self.pinyin_numbers.split())

    @property
    def proper_noun(self) -> bool:
        """CC-CEDICT writes proper nouns' pinyin with a capital."""
        return self.pinyin_numbers[:1].isupper()


@lru_cache(maxsize=8192)
def _marks(token: str) -> str:
    syllable = token.lower().replace("u:", "v")
    if not re.fullmatch(r"[a-z]+[1-5]?", syllable):
        return token  # a letter or punctuation in the headword (3C, ·): kept as written
    if syllable[-1] == "5":
        syllable = syllable[:-1]
    return str(to_tone(syllable))


class ReferenceFormatError(ValueError):
    """A line of the dictionary file does not have the CC-CEDICT shape."""


def read_cedict(path: Path | str, *, strict: bool = False) -> Iterator[ReferenceEntry]:
    """The entries of a CC-CEDICT file (plain or .gz); malformed lines are skipped, or raise if `strict`."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip() or raw.startswith("#"):
                continue
            match = _LINE.match(raw)
            if match is None:
                if strict:
                    raise ReferenceFormatError(f"{path}:{number}: not a CC-CEDICT line: {raw.strip()[:60]!r}")
                continue
            senses = tuple(s for s in match["senses"].split("/") if s)
            yield ReferenceEntry(number, match["trad"], match["simp"], match["pinyin"], senses)


def file_version(path: Path | str) -> str:
    """A short hash of a dictionary file's bytes: the version of the reference layer built from it."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]
