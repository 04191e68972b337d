"""The concordance: every sentence of every source text in an SQLite FTS5 full-text index, built with it.

``concordance.sqlite`` sits in the curated layer's version directory, so it is built in the same temporary
directory, renamed into place and named by the same CURRENT pointer: a crash mid-build leaves the old one
live. It is a database, not a pickle: opening it runs no code from the cache directory.

The full-text index holds paragraphs (so that a rendering of two sentences, a quoted saying, is found too);
the aligned sentences of each paragraph are a table beside it. Two FTS5 columns per paragraph, one tokenizer
(``porter unicode61``):

- ``words``: the text with its Han characters blanked, for English words (stemmed, so the inflections of a
  rendering are candidates; blanked, since the English matcher reads "strength (力) is" as adjacent words);
- ``han``: one token per character, Han characters as themselves and every other character as ``x``, so a
  Chinese form of any length is a phrase query (``"科 技 强 国"``), with no segmentation and no minimum
  length (FTS5's trigram tokenizer cannot use its index below three characters, and 强国 has two).

The index only narrows the search to candidate paragraphs; each occurrence is then found in the paragraph
— Chinese as the characters stand, English as the draft checker matches a rendering (whole words,
case-insensitive unless a proper noun, plurals and possessives, hyphen and space variants) — so the counts
are exact and every occurrence's offsets slice its source file. Why FTS5 and not Whoosh: `bench/search.py
--engines` measures both (README, "Concordance").
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..base import english, store
from ..base.model import Source
from . import segments
from .segments import Side

FILE = "concordance.sqlite"
SCHEMA = 1
CONTEXT = 60  # characters of context shown on each side of an occurrence, within its paragraph

_TOKENIZER = "porter unicode61 remove_diacritics 2"
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def word_text(text: str) -> str:
    """The ``words`` column of a text: Han characters made spaces (Chinese is searched in ``han``)."""
    return _HAN.sub(" ", text)


def han_tokens(text: str) -> str:
    """The ``han`` column of a text: each Han character a token, each other character the token x."""
    return " ".join(ch if _is_han(ch) else "x" for ch in text)


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"


def _phrase(tokens: str) -> str:
    """An FTS5 phrase (a string in double quotes is tokenized like the column)."""
    return '"' + tokens.replace('"', '""') + '"'


def build(path: Path, sources: Iterable[Source], texts_dir: Path) -> int:
    """Write the concordance of every source with a text into the new database `path`; return segments."""
    db = sqlite3.connect(path)
    try:
        db.executescript(f"""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE texts (source TEXT PRIMARY KEY, file TEXT NOT NULL, text TEXT NOT NULL);
            CREATE TABLE paragraphs (id INTEGER PRIMARY KEY, source TEXT NOT NULL, side TEXT NOT NULL,
                                     start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL);
            CREATE TABLE segments (id INTEGER PRIMARY KEY, para INTEGER NOT NULL, start INTEGER NOT NULL,
                                   end INTEGER NOT NULL, pair INTEGER, text TEXT NOT NULL);
            CREATE INDEX segments_para ON segments (para, start);
            CREATE VIRTUAL TABLE fts USING fts5(words, han, content='', columnsize=0,
                                                tokenize='{_TOKENIZER}');
        """)
        count = paragraphs = 0
        for source in sources:
            if not source.file or not (texts_dir / source.file).is_file():
                continue
            try:
                text = segments.read(texts_dir / source.file)
            except UnicodeDecodeError as exc:  # a clear data problem, not a crash: the old index stays live
                line = (texts_dir / source.file).read_bytes()[: exc.start].count(b"\n") + 1
                problem = store.Problem(f"texts/{source.file}", line, None, None,
                                        f"not UTF-8 text: {exc.reason} at byte {exc.start}")
                raise store.DataError([problem]) from None
            db.execute("INSERT INTO texts VALUES (?, ?, ?)", (source.id, source.file, text))
            found = segments.split(text)
            para_ids: dict[int, int] = {}
            for s in found:
                if s.para_start not in para_ids:
                    paragraphs += 1
                    para_ids[s.para_start] = paragraphs
                    body = text[s.para_start : s.para_end]
                    db.execute("INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?)",
                               (paragraphs, source.id, s.side, s.para_start, s.para_end, body))
                    db.execute("INSERT INTO fts (rowid, words, han) VALUES (?, ?, ?)",
                               (paragraphs, word_text(body), han_tokens(body)))
            first = count + 1  # segment ids are rowids: the file's first segment is `first`
            db.executemany("INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?)",
                           [(first + i, para_ids[s.para_start], s.start, s.end,
                             None if s.pair is None else first + s.pair, text[s.start : s.end])
                            for i, s in enumerate(found)])
            count += len(found)
        db.execute("INSERT INTO fts (fts) VALUES ('optimize')")  # one b-tree per column: fewer page reads
        db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
        db.commit()
    finally:
        db.close()
    return count


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence: its source, side, span in the source file, and the sentence it stands in."""

    source: str
    side: Side
    start: int  # offsets into the source file's text: text[start:end] is the occurrence
    end: int
    left: str  # up to CONTEXT characters before it, within its paragraph
    match: str
    right: str
    segment: int  # the sentence it starts in (Concordance.sentence)
    aligned: str | None  # the aligned sentence (or paragraph) of the other language, if the source has one


class Concordance:
    """An opened concordance database: read-only, one connection per thread (sqlite3's own rule)."""

    def __init__(self, path: Path):
        self.path = path
        # immutable: the file never changes once published (a rebuild writes a new version directory), so
        # SQLite takes no locks and trusts its cache.
        self._uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        self._local = threading.local()
        db = self._db()
        self.texts: dict[str, str] = dict(db.execute("SELECT source, text FROM texts"))
        self.files: dict[str, str] = dict(db.execute("SELECT source, file FROM texts"))
        self._scans: dict[tuple[int, bool], english.Scan] = {}  # (paragraph, folded) -> its scan string

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
        return db

    def segments(self) -> int:
        """How many segments the concordance holds."""
        return int(self._db().execute("SELECT count(*) FROM segments").fetchone()[0])

    def sentence(self, segment: int) -> str | None:
        """The text of one segment, by id."""
        row = self._db().execute("SELECT text FROM segments WHERE id = ?", (segment,)).fetchone()
        return None if row is None else str(row[0])

    def _candidates(self, query: str) -> Iterator[tuple[int, str, Side, int, int, str]]:
        sql = ("SELECT p.id, p.source, p.side, p.start, p.end, p.text FROM fts JOIN paragraphs p "
               "ON p.id = fts.rowid WHERE fts MATCH ? ORDER BY p.id")
        yield from self._db().execute(sql, (query,))

    def chinese(self, form: str) -> list[Occurrence]:
        """Every occurrence of a Chinese form, as the characters stand (non-overlapping, left to right)."""
        if not form or not any(_is_han(ch) for ch in form):
            return []
        found = []
        for para, source, side, start, end, text in self._candidates("han : " + _phrase(han_tokens(form))):
            at = text.find(form)
            while at >= 0:
                stop = start + at + len(form)
                found.append(self._occurrence(para, source, side, start + at, stop, start, end))
                at = text.find(form, at + len(form))
        return found

    def english(self, rendering: str, *, proper_noun: bool = False) -> list[Occurrence]:
        """Every occurrence of an English rendering, matched as the draft checker matches it."""
        keys = english.inflections(rendering, folded=not proper_noun)
        if not keys or not keys[0].strip():
            return []
        query = "words : (" + " OR ".join(_phrase(k.strip()) for k in keys if k.strip()) + ")"
        found = []
        for para, source, side, start, end, text in self._candidates(query):
            # A paragraph's normalised scan is kept: frequent renderings hit the same paragraphs again and
            # again, and normalising is most of a lookup's time.
            scan = self._scans.get((para, not proper_noun))
            if scan is None:
                scan = self._scans[(para, not proper_noun)] = english.normalise(text, folded=not proper_noun)
            for s, e in spans(text, keys, folded=not proper_noun, scan=scan):
                found.append(self._occurrence(para, source, side, start + s, start + e, start, end))
        return found

    def _occurrence(self, para: int, source: str, side: Side, start: int, end: int, para_start: int,
                    para_end: int) -> Occurrence:
        # The sentence the occurrence starts in, and the sentence aligned with it.
        segment, aligned = self._db().execute(
            "SELECT s.id, p.text FROM segments s LEFT JOIN segments p ON p.id = s.pair "
            "WHERE s.para = ? AND s.start <= ? ORDER BY s.start DESC LIMIT 1", (para, start)).fetchone()
        text = self.texts[source]
        left = text[max(para_start, start - CONTEXT) : start]
        right = text[end : min(para_end, end + CONTEXT)]
        return Occurrence(source, side, start, end, left, text[start:end], right, segment, aligned)


def spans(text: str, keys: list[str], *, folded: bool = True,
          scan: english.Scan | None = None) -> list[tuple[int, int]]:
    """The spans of `text` where one of a rendering's keys (`english.inflections`) stands as whole words.

    Where keys overlap (a plural and its singular), the longest at a position wins; matches never overlap.
    `scan` is `english.normalise(text, folded=folded)` when the caller has it already.
    """
    if scan is None:
        scan = english.normalise(text, folded=folded)
    hits: list[tuple[int, int]] = []
    for key in keys:
        at = scan.text.find(key)
        while at >= 0:
            end = at + len(key)
            if scan.ends_word(end):
                hits.append((at, end))
            at = scan.text.find(key, at + 1)
    chosen: list[tuple[int, int]] = []
    for at, end in sorted(hits, key=lambda h: (h[0], -h[1])):
        if not chosen or at >= chosen[-1][1]:
            chosen.append((at, end))
    # The key starts with a space that stands for the word boundary before it: the match starts after it.
    return [scan.span(at + 1, end) for at, end in chosen]
