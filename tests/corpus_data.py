"""The real-text corpus in tests/corpus/: official documents' Chinese paragraphs and the publisher's English.

Each `tests/corpus/<doc-id>.txt` is in the aligned layout of `data/texts/README.md` (a `#` header, then
blocks of one `zh:` and one `en:` line) with a `# split: held-out|dev` header line.
Held-out documents (listed in /work/team/HELDOUT.md) are never used to grow or tune the term base;
dev documents may be.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
SPLITS = ("held-out", "dev")
# Header keys a document must have: the provenance the README promises for each.
REQUIRED = ("publisher", "date", "split")


@dataclass(frozen=True)
class Passage:
    """One aligned pair: a Chinese paragraph (or sentence, as the page aligns it) and its English."""

    doc_id: str
    line: int
    zh: str
    en: str


@dataclass
class Document:
    """One source document: its provenance header and its passages in order."""

    id: str
    title: str
    header: dict[str, list[str]] = field(default_factory=dict)
    passages: list[Passage] = field(default_factory=list)

    @property
    def split(self) -> str:
        """`held-out` or `dev`."""
        return self.header["split"][0]

    @property
    def urls(self) -> list[str]:
        """Every page the text was copied from (`url`, `url-zh`, `url-en` lines)."""
        return [u for key in ("url", "url-zh", "url-en") for u in self.header.get(key, [])]


class CorpusError(ValueError):
    """A malformed corpus file: the message names the file and line."""


def parse_file(path: Path) -> Document:
    """Read one aligned file; raise CorpusError naming file:line for anything out of layout."""
    lines = path.read_text(encoding="utf-8").splitlines()
    doc = Document(id=path.stem, title="")
    zh: tuple[int, str] | None = None
    in_header = True
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        where = f"{path.name}:{number}"
        if in_header and line.startswith("#"):
            text = line[1:].strip()
            key, sep, value = text.partition(":")
            # The first header line is the title; later ones are `key: value` (a URL's own colon is in value).
            if not doc.title:
                doc.title = text
            elif sep and " " not in key.strip():
                doc.header.setdefault(key.strip(), []).append(value.strip())
            else:
                raise CorpusError(f"{where}: header line is not '# key: value'")
            continue
        in_header = False
        if not line:
            if zh is not None:
                raise CorpusError(f"{where}: 'zh:' on line {zh[0]} has no 'en:'")
            continue
        if line.startswith("zh:"):
            if zh is not None:
                raise CorpusError(f"{where}: a second 'zh:' before the 'en:' of line {zh[0]}")
            zh = (number, line[3:].strip())
        elif line.startswith("en:"):
            if zh is None:
                raise CorpusError(f"{where}: 'en:' without a 'zh:' before it")
            en = line[3:].strip()
            if not zh[1] or not en:
                raise CorpusError(f"{where}: empty 'zh:' or 'en:'")
            doc.passages.append(Passage(doc.id, zh[0], zh[1], en))
            zh = None
        else:
            raise CorpusError(f"{where}: expected 'zh:', 'en:' or a blank line")
    if zh is not None:
        raise CorpusError(f"{path.name}:{zh[0]}: 'zh:' has no 'en:'")
    for key in REQUIRED:
        if not doc.header.get(key):
            raise CorpusError(f"{path.name}: header has no '# {key}:' line")
    if doc.split not in SPLITS:
        raise CorpusError(f"{path.name}: split must be one of {', '.join(SPLITS)}, not {doc.split!r}")
    if not doc.urls:
        raise CorpusError(f"{path.name}: header has no '# url:' (or url-zh/url-en) line")
    return doc


def load_corpus(split: str | None = None, directory: Path = CORPUS_DIR) -> list[Document]:
    """Every corpus document (or those of one split), sorted by id."""
    docs = [parse_file(path) for path in sorted(directory.glob("*.txt"))]
    return [d for d in docs if split is None or d.split == split]


def passages(split: str | None = None) -> list[Passage]:
    """Every passage of the corpus (or of one split), document by document."""
    return [p for doc in load_corpus(split) for p in doc.passages]
