"""Which embedded full-text engine backs the concordance: SQLite FTS5 or Whoosh (whoosh-reloaded), measured.

    pip install '.[bench]'                               # whoosh-reloaded, for the comparison
    python3 bench/concordance_engines.py                 # the texts of data/ as they stand, and ×10
    python3 bench/concordance_engines.py --scale 1 --scale 30 --rounds 5

Every engine indexes the same paragraphs (glossary.search.segments) with the same two fields: the words
(Porter-stemmed English) and one token per Han character. Queries are every Chinese form and every English
rendering of the curated base, as the concordance asks them: a Chinese form as a phrase of characters, a
rendering as an OR of the phrases of its inflections. Each query returns the ids of candidate segments
(what the engine does; finding the exact offsets in those paragraphs is the same Python for all).

Engines: ``fts5``: the chosen layout (porter unicode61, a character-token column); ``fts5-trigram``: FTS5's
trigram tokenizer for Chinese (a 1-2 character form cannot use its index: LIKE scan); ``whoosh``:
StemmingAnalyzer and a space-separated character field, phrase queries, ``docs_for_query``.
A scale of N indexes N copies of every text (as N sources): the same vocabulary, N times the postings.
Latency is wall-clock p50/p99 and this thread's CPU p99 (steadier on a shared machine); build is wall and CPU.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

try:
    from whoosh import fields, index, query
    from whoosh.analysis import SpaceSeparatedTokenizer, StemmingAnalyzer
except ImportError:  # pragma: no cover - the bench extra
    raise SystemExit("Whoosh is not installed: pip install '.[bench]' (whoosh-reloaded)") from None

from glossary.base import english, store
from glossary.search import concordance, segments

ROOT = Path(__file__).resolve().parent.parent


def corpus(data: Path) -> list[str]:
    """Every paragraph of every registered source text, in order (what the concordance indexes)."""
    base = store.load(data)
    found = []
    for source in base.sources.values():
        path = data / "texts" / (source.file or "")
        if source.file and path.is_file():
            text = segments.read(path)
            spans = dict.fromkeys((s.para_start, s.para_end) for s in segments.split(text))
            found += [text[start:end] for start, end in spans]
    return found


def queries(data: Path) -> tuple[list[str], list[list[str]]]:
    """Every Chinese form, and every rendering's inflection keys, of the curated base."""
    base = store.load(data)
    chinese = sorted({form for e in base.entries.values() for form in e.chinese_forms()})
    renderings = sorted({r.en for e in base.entries.values() for r in e.renderings})
    return chinese, [[k.strip() for k in english.inflections(en)] for en in renderings]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


class Fts5:
    """SQLite FTS5, as glossary.search.concordance builds it (index only: no stored text)."""

    name = "fts5"
    tokenizer = "porter unicode61 remove_diacritics 2"

    def build(self, texts: list[str], folder: Path) -> Path:
        path = folder / f"{self.name}.sqlite"
        db = sqlite3.connect(path)
        db.execute(f"CREATE VIRTUAL TABLE fts USING fts5(words, han, content='', columnsize=0, "
                   f"tokenize='{self.tokenizer}')")
        db.executemany("INSERT INTO fts (rowid, words, han) VALUES (?, ?, ?)",
                       ((i + 1, concordance.word_text(t), self.han(t)) for i, t in enumerate(texts)))
        db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        db.commit()
        db.close()
        self.db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
        return path

    def han(self, text: str) -> str:
        return concordance.han_tokens(text)

    def chinese(self, form: str) -> list[int]:
        q = "han : " + concordance._phrase(concordance.han_tokens(form))
        return [r for (r,) in self.db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (q,))]

    def english(self, keys: list[str]) -> list[int]:
        q = "words : (" + " OR ".join(concordance._phrase(k) for k in keys) + ")"
        return [r for (r,) in self.db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (q,))]


class Fts5Trigram(Fts5):
    """FTS5 with its trigram tokenizer over the text for Chinese; English as in `Fts5`."""

    name = "fts5-trigram"

    def build(self, texts: list[str], folder: Path) -> Path:
        path = folder / f"{self.name}.sqlite"
        db = sqlite3.connect(path)
        db.execute(f"CREATE VIRTUAL TABLE w USING fts5(words, content='', tokenize='{self.tokenizer}')")
        db.execute("CREATE VIRTUAL TABLE h USING fts5(han, tokenize='trigram')")
        rows = [(i + 1, t) for i, t in enumerate(texts)]
        db.executemany("INSERT INTO w (rowid, words) VALUES (?, ?)",
                       [(i, concordance.word_text(t)) for i, t in rows])
        db.executemany("INSERT INTO h (rowid, han) VALUES (?, ?)", rows)
        for table in ("w", "h"):
            db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        db.commit()
        db.close()
        self.db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
        return path

    def chinese(self, form: str) -> list[int]:
        if len(form) >= 3:
            sql, arg = "SELECT rowid FROM h WHERE h MATCH ?", concordance._phrase(form)
        else:  # below three characters the trigram index cannot answer: a scan with instr
            sql, arg = "SELECT rowid FROM h WHERE instr(han, ?) > 0", form
        return [r for (r,) in self.db.execute(sql, (arg,))]

    def english(self, keys: list[str]) -> list[int]:
        q = " OR ".join(concordance._phrase(k) for k in keys)
        return [r for (r,) in self.db.execute("SELECT rowid FROM w WHERE w MATCH ?", (q,))]


class Whoosh:
    """whoosh-reloaded: StemmingAnalyzer for the words, one token per character for the Chinese."""

    name = "whoosh"

    def build(self, texts: list[str], folder: Path) -> Path:
        path = folder / "whoosh"
        path.mkdir()
        self.analyzer = StemmingAnalyzer(stoplist=None, minsize=1)
        schema = fields.Schema(words=fields.TEXT(analyzer=self.analyzer),
                               han=fields.TEXT(analyzer=SpaceSeparatedTokenizer()))
        ix = index.create_in(str(path), schema)
        writer = ix.writer()
        for text in texts:
            writer.add_document(words=concordance.word_text(text), han=concordance.han_tokens(text))
        writer.commit(optimize=True)
        self.searcher = ix.searcher()
        return path

    def _phrase(self, name: str, terms: list[str]) -> query.Query:
        if len(terms) == 1:
            return query.Term(name, terms[0])
        return query.Phrase(name, terms)

    def chinese(self, form: str) -> list[int]:
        q = self._phrase("han", concordance.han_tokens(form).split())
        return [n + 1 for n in self.searcher.docs_for_query(q)]

    def english(self, keys: list[str]) -> list[int]:
        phrases = [self._phrase("words", [t.text for t in self.analyzer(k)]) for k in keys]
        return [n + 1 for n in self.searcher.docs_for_query(query.Or(phrases))]


def run(engine: Fts5 | Whoosh, texts: list[str], chinese: list[str], english_keys: list[list[str]],
        rounds: int) -> dict[str, float]:
    """Build, then time every query `rounds` times; figures in seconds, bytes and milliseconds."""
    folder = Path(tempfile.mkdtemp(prefix=f"concordance-{engine.name}-"))
    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        path = engine.build(texts, folder)
        figures = {"build": time.perf_counter() - started, "build cpu": time.process_time() - cpu_started,
                   "size": _size(path)}
        for label, items, ask in (("zh", chinese, engine.chinese), ("en", english_keys, engine.english)):
            timings: list[float] = []
            cpu: list[float] = []
            hits = 0
            do: Callable[[object], list[int]] = ask  # type: ignore[assignment]
            for _ in range(rounds):
                for item in items:
                    t, c = time.perf_counter(), time.thread_time()
                    hits += len(do(item))
                    cpu.append((time.thread_time() - c) * 1000)
                    timings.append((time.perf_counter() - t) * 1000)
            figures[f"{label} p50"] = percentile(timings, 0.5)
            figures[f"{label} p99"] = percentile(timings, 0.99)
            figures[f"{label} cpu p99"] = percentile(cpu, 0.99)
            figures[f"{label} hits"] = hits / rounds
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    """Measure each engine at each scale and print one table."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--scale", type=int, action="append",
                        help="Copies of the corpus (default: 1 and 10).")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts, (chinese, english_keys) = corpus(args.data), queries(args.data)
    chars = sum(map(len, texts))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {len(texts)} paragraphs, "
          f"{chars / 1e3:.0f}k characters; {len(chinese)} Chinese forms, {len(english_keys)} renderings")
    print(f"{'scale':>5} {'engine':<13}{'build':>8}{'(cpu)':>7}{'size':>9}   {'zh p50':>8}{'p99':>8}"
          f"{'cpu':>8}   {'en p50':>8}{'p99':>8}{'cpu':>8}   {'zh hits':>8}{'en hits':>8}")
    for scale in args.scale or [1, 10]:
        grown = texts * scale
        for engine in (Fts5(), Fts5Trigram(), Whoosh()):
            f = run(engine, grown, chinese, english_keys, args.rounds)
            print(f"{scale:>5} {engine.name:<13}{f['build']:>7.2f}s{f['build cpu']:>6.2f}s"
                  f"{f['size'] / 1e6:>7.2f}MB   {f['zh p50']:>6.3f}ms{f['zh p99']:>6.2f}ms"
                  f"{f['zh cpu p99']:>6.2f}ms"
                  f"   {f['en p50']:>6.3f}ms{f['en p99']:>6.2f}ms{f['en cpu p99']:>6.2f}ms"
                  f"   {f['zh hits']:>8.0f}{f['en hits']:>8.0f}")


if __name__ == "__main__":
    main()
