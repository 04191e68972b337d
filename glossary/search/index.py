"""The search index: built from data/ (curated layer) or CC-CEDICT (reference layer), stored outside data/.

Layout under the index root (``$GLOSSARY_INDEX_DIR``, else ``$XDG_CACHE_HOME/glossary``, else
``~/.cache/glossary``)::

    curated/<data-dir key>/CURRENT            name of the live version, replaced atomically
    curated/<data-dir key>/<hash>-f<format>/  layer.msgpack (documents and key tables), meta.json,
                                              concordance.sqlite (the source texts' full text)
    reference/CURRENT
    reference/<hash>-f<format>/

A version is built in a temporary directory and renamed into place, then CURRENT is replaced: readers see
the old index or the new, never half of one. The curated version is the content hash of data/, so a
changed base is rebuilt on the next open.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..base import pinyin, store
from ..base.equivalences import Equivalences
from ..base.model import Entry, has_han
from . import concordance, layerfile
from .analysis import equivalent_key, exact_key, stems
from .keys import DocStore, KeyTable, TextTable, WordTable
from .spelling import Speller

if TYPE_CHECKING:
    from ..base.cedict import ReferenceEntry

#: Bump when the stored layout or key derivation changes: older builds are then ignored and rebuilt.
FORMAT = 15  # 15: msgpack, not pickle, and a manifest of checksums (14: snowballstemmer's Porter stems)
POINTER = "CURRENT"
KEYS_FILE = layerfile.FILE
META_FILE = layerfile.META_FILE
TEXTS_DIR = store.TEXTS_DIR
KEEP_VERSIONS = 2  # the live one and its predecessor, which a reader may still have open

#: The full-text field groups searched as one tier each: renderings (reference: senses); members,
#: definition and literal; notes.
TEXT_FIELDS = {"renderings": "renderings", "senses": "renderings", "members": "text", "definition": "text",
               "literal": "text", "notes": "notes"}

Progress = Callable[[int], None]


class Doc(NamedTuple):
    """One searchable entry, as the searcher shows and explains it."""

    id: str
    zh: str
    zh_hant: str
    pinyin: str
    preferred: str
    category: str | None
    forms: tuple[tuple[str, str, str], ...]  # (field, Chinese form, its pinyin with tone marks)
    texts: tuple[tuple[str, str, str], ...]  # (field, form: what the reader is shown as matched, text)


@dataclass
class LayerData:
    """Everything a layer's searches need besides Whoosh: documents, key tables, filter sets."""

    layer: str
    version: str
    docs: DocStore[Doc]
    chars: KeyTable
    toned: KeyTable
    toneless: KeyTable
    letters: KeyTable
    initials: KeyTable
    english: KeyTable
    contains: TextTable
    members: TextTable  # the Chinese of members
    notes: TextTable  # notes, for Chinese quoted in them
    words: WordTable
    speller: Speller
    filters: dict[str, dict[str, frozenset[int]]] = field(default_factory=dict)
    equivalences: Equivalences = field(default_factory=Equivalences)  # data/equivalences.yaml


def root(index_dir: Path | str | None = None) -> Path:
    """The index root: the argument, else $GLOSSARY_INDEX_DIR, else $XDG_CACHE_HOME/glossary."""
    if index_dir is not None:
        return Path(index_dir)
    if env := os.environ.get("GLOSSARY_INDEX_DIR"):
        return Path(env)
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "glossary"


def curated_home(index_root: Path, data_dir: Path) -> Path:
    """Where the curated indexes of one data directory live (several bases may share a root)."""
    key = hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:12]
    return index_root / "curated" / key


def reference_home(index_root: Path) -> Path:
    """Where the reference layer's indexes live."""
    return index_root / "reference"


def pointer(home: Path) -> Path:
    """The file naming the live version in `home`."""
    return home / POINTER


def current(home: Path) -> Path | None:
    """The live version's directory in `home`, or None when none is built by this code's index format."""
    try:
        name = pointer(home).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = home / name
    if not name or not (path / META_FILE).is_file():
        return None
    if not name.endswith(f"-f{FORMAT}"):
        # Built by another version of the code: its layout may differ, so it is never opened. The curated
        # layer rebuilds itself; a reference layer has to be imported again.
        logging.getLogger(__name__).warning(
            "ignoring %s: built with index format %s, this code reads f%s (rebuild or re-import it)",
            path, name.rpartition("-")[2], FORMAT,
        )
        return None
    return path


def versions(home: Path) -> list[Path]:
    """The versions built in `home` by this code's index format, newest first."""
    return layerfile.versions(home, f"-f{FORMAT}")


def version_name(version: str) -> str:
    """The directory name of a version built by this code."""
    return f"{version}-f{FORMAT}"


# --- building -------------------------------------------------------------------------------------------


def curated_doc(entry: Entry) -> Doc:
    """The searchable form of a curated entry."""
    forms = [("zh", entry.zh, entry.pinyin), ("zh_hant", entry.zh_hant, entry.pinyin)]
    for variant, hant, py in zip(entry.zh_variants, entry.variants_hant, entry.variants_pinyin, strict=True):
        forms += [("zh_variants", variant.zh, py), ("zh_variants", hant, py)]
    texts = [("renderings", r.en, r.en) for r in entry.renderings]
    texts += [("members", m.zh, m.en) for m in entry.members]
    if entry.definition:
        texts.append(("definition", "definition", entry.definition))
    if entry.literal:
        texts.append(("literal", "literal", entry.literal))
    texts += [("notes", n.label, n.text) for n in entry.notes]
    texts += [("notes", f"note on {r.en}", r.note) for r in entry.renderings if r.note]
    return Doc(entry.id, entry.zh, entry.zh_hant, entry.pinyin, entry.preferred.en, entry.category.value,
               tuple(dict.fromkeys(forms)), tuple(texts))


def reference_doc(entry: ReferenceEntry) -> Doc:
    """The searchable form of a CC-CEDICT entry; its id is stable for a given CC-CEDICT release."""
    marks = entry.pinyin
    forms = tuple(dict.fromkeys([("zh", entry.simp, marks), ("zh_hant", entry.trad, marks)]))
    texts = tuple(("senses", sense, sense) for sense in entry.senses)
    return Doc(f"cedict-{entry.line}", entry.simp, entry.trad, marks, entry.senses[0] if entry.senses else "",
               None, forms, texts)


def pinyin_keys(marks: str) -> tuple[str, str, str, str]:
    """The keys of stored pinyin: numbered, toneless, letters (no spaces) and initials; ü written v."""
    # CC-CEDICT writes punctuation of the headword as tokens ("ya1 ya1 - xue2 yu3"): no reader types them.
    pairs = [_token_keys(t) for t in pinyin.split(marks.lower()) if any(c.isalnum() for c in t)]
    toneless = [plain for _, plain in pairs]
    initials = "".join(t[0] for t in toneless if t[:1].isalpha())
    return " ".join(numbered for numbered, _ in pairs), " ".join(toneless), "".join(toneless), initials


@lru_cache(maxsize=8192)
def _token_keys(token: str) -> tuple[str, str]:
    # A few thousand distinct syllables make up every reading: convert each once (pypinyin is not fast).
    return pinyin.numbered(token), pinyin.toneless(token)




def layer_data(layer: str, version: str, docs: Sequence[Doc], progress: Progress | None = None,
               equivalences: Equivalences | None = None) -> LayerData:
    """Compute a layer's key tables and filter sets (renderings also under their equivalence key)."""
    equivalences = equivalences or Equivalences()
    chars, toned, toneless, letters, initials, english, contains = ([] for _ in range(7))
    key_cache: dict[str, tuple[str, str, str, str]] = {}  # CC-CEDICT repeats readings: derive each once
    for number, doc in enumerate(docs):
        for _, form, marks in doc.forms:
            chars.append((form, number))
            contains.append((form, number))
            if marks not in key_cache:
                key_cache[marks] = pinyin_keys(marks)
            numbered_key, toneless_key, letters_key, initials_key = key_cache[marks]
            toned.append((numbered_key, number))
            toneless.append((toneless_key, number))
            letters.append((letters_key, number))
            initials.append((initials_key, number))
        for field_name, _, text in doc.texts:
            if field_name in ("renderings", "senses"):
                english.append((exact_key(text), number))
                if field_name == "renderings" and equivalences.phrases:
                    english.append((equivalent_key(text, equivalences), number))
        if progress:
            progress(1)
    return LayerData(layer, version, DocStore(docs, Doc), KeyTable(chars, prefixes=True),
                     KeyTable(toned, prefixes=True), KeyTable(toneless, prefixes=True),
                     KeyTable(letters, prefixes=True), KeyTable(initials, prefixes=True),
                     KeyTable(english, prefixes=True),
                     TextTable(contains),
                     TextTable((form, n) for n, doc in enumerate(docs)
                               for f, form, _ in doc.texts if f == "members"),
                     TextTable((text.replace("\n", " "), n) for n, doc in enumerate(docs)
                               for f, _, text in doc.texts if f == "notes" and has_han(text)),
                     word_table(docs),
                     Speller(text for doc in docs for _, _, text in doc.texts),
                     equivalences=equivalences)


def word_table(docs: Sequence[Doc]) -> WordTable:
    """The stems of every full-text field of every document."""
    texts = []
    for number, doc in enumerate(docs):
        for position, (field_name, _, text) in enumerate(doc.texts):
            texts.append((TEXT_FIELDS[field_name], number, position, stems(text)))
    return WordTable(texts)


def curated_filters(entries: Iterable[Entry]) -> dict[str, dict[str, frozenset[int]]]:
    """Documents by category, rendering status and cited source, for the search filters."""
    found: dict[str, dict[str, set[int]]] = {"category": defaultdict(set), "status": defaultdict(set),
                                             "source": defaultdict(set)}
    for number, entry in enumerate(entries):
        found["category"][entry.category.value].add(number)
        for rendering in entry.renderings:
            found["status"][rendering.status.value].add(number)
            for source in rendering.sources:
                found["source"][source].add(number)
        for note in entry.notes:
            found["source"][note.source].add(number)
    return {name: {value: frozenset(docs) for value, docs in table.items()} for name, table in found.items()}


def write_layer(data: LayerData, home: Path, extra: Callable[[Path], object] | None = None) -> Path:
    """Write a layer into a temporary directory, rename it into place and point CURRENT at it.

    `extra` writes further files of the version (the concordance) into the temporary directory first, so
    they go live with the layer, atomically, or not at all.
    """
    home.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=home))
    try:
        if extra is not None:
            extra(tmp)
        fields = {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}
        (tmp / KEYS_FILE).write_bytes(layerfile.encode(fields))
        meta = {"layer": data.layer, "version": data.version, "format": FORMAT, "docs": len(data.docs),
                "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "files": layerfile.manifest(tmp, skip=META_FILE)}
        (tmp / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        return publish(home, tmp, version_name(data.version))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def publish(home: Path, tmp: Path, name: str) -> Path:
    """Rename a built version into place (unless an identical one won the race), then swap CURRENT."""
    target = home / name
    if target.exists() and not layerfile.intact(target):
        _remove(home, target)  # a damaged copy of this version: replaced, never kept as "built"
    try:
        os.replace(tmp, target)
    except OSError:  # another process renamed the same version into place first: theirs is as good
        if not layerfile.intact(target):
            raise
    store.write_atomic(pointer(home), name + "\n")
    _prune(home, keep=name)
    return target


def _prune(home: Path, keep: str) -> None:
    """Remove old versions, keeping the newest few (a reader may still be using the previous one)."""
    versions = sorted((p for p in home.iterdir() if p.is_dir() and not p.name.startswith(".")),
                      key=lambda p: p.stat().st_mtime, reverse=True)
    for path in [p for p in versions if p.name != keep][KEEP_VERSIONS - 1:]:
        # Out of sight first (one atomic rename), then deleted: a process killed while deleting leaves a
        # hidden .tmp- folder (removed later, below), never a visible version with files missing that
        # ensure_curated would trust again if data/ came back to that content.
        _remove(home, path)
    for path in home.glob(".tmp-*"):
        if time.time() - path.stat().st_mtime > 3600:  # left by a crashed build
            shutil.rmtree(path, ignore_errors=True)


def _remove(home: Path, path: Path) -> None:
    doomed = home / f".tmp-old-{path.name}-{os.getpid()}"
    try:
        os.replace(path, doomed)
    except OSError:  # another process removed it first
        return
    shutil.rmtree(doomed, ignore_errors=True)


def build_curated(base: store.TermBase, index_dir: Path | str | None = None,
                  progress: Progress | None = None) -> Path:
    """Build the curated layer of a loaded base and make it live; return its directory."""
    entries = list(base.entries.values())
    data = layer_data("curated", base.version, [curated_doc(e) for e in entries], progress, base.equivalences)
    data.filters = curated_filters(entries)
    texts = base.data_dir / TEXTS_DIR
    return write_layer(data, curated_home(root(index_dir), base.data_dir),
                       lambda tmp: concordance.build(tmp / concordance.FILE, base.sources.values(), texts))


def ensure_curated(data_dir: Path | str | None = None, index_dir: Path | str | None = None) -> Path:
    """The live curated index of `data_dir`, built first when data/ has changed since the last build."""
    data_path = Path(data_dir) if data_dir is not None else store.default_data_dir()
    home = curated_home(root(index_dir), data_path)
    built = home / version_name(store.content_hash(data_path))
    # Already live and whole: nothing to write, so a read-only index (a container image's) serves as it is.
    if current(home) == built and layerfile.intact(built):
        return built
    home.mkdir(parents=True, exist_ok=True)
    # One build at a time per base: server workers that all see data/ change wait for the first one's build.
    with open(home / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if layerfile.intact(built):  # a damaged build of the same data is rebuilt (publish replaces it)
            if current(home) != built:
                store.write_atomic(pointer(home), built.name + "\n")
            return built
        return build_curated(store.load(data_path), index_dir)


def build_reference(entries: Sequence[ReferenceEntry], version: str, index_dir: Path | str | None = None,
                    progress: Progress | None = None) -> Path:
    """Build the reference layer from CC-CEDICT entries and make it live; return its directory."""
    # Document order breaks ties within a tier: ordinary words before rare characters and variant spellings,
    # and among those the more productive first (是 before 乭 for shi).
    usable = [e for e in entries if has_han(e.simp)]
    uses = _productivity(usable)
    ordered = sorted(usable, key=lambda e: (_obscurity(e), -uses[e.simp], e.line))
    docs = [reference_doc(e) for e in ordered]
    data = layer_data("reference", version, docs, progress)
    data.filters = {"source": {"cc-cedict": frozenset(range(len(docs)))}}
    return write_layer(data, reference_home(root(index_dir)))


_VARIANT_SENSES = ("variant of", "old variant of", "archaic variant of", "Japanese variant of", "surname ")


def _obscurity(entry: ReferenceEntry) -> int:
    """0 for an ordinary entry; more for rare characters, variant spellings, surnames and proper nouns."""
    rare = any(not "\u4e00" <= ch <= "\u9fff" for ch in entry.simp)
    sense = entry.senses[0] if entry.senses else ""
    return 4 * rare + 2 * sense.startswith(_VARIANT_SENSES) + entry.proper_noun


def _productivity(entries: Sequence[ReferenceEntry]) -> dict[str, int]:
    """How many headwords contain each headword: CC-CEDICT has no frequencies, and this tracks them well."""
    table = TextTable((e.simp, 0) for e in entries)
    found: dict[str, int] = {}
    for entry in entries:
        word = entry.simp
        if word not in found:
            if len(word) <= 2:
                found[word] = len(table.grams.exact(word))
            else:
                rarest = min((table.grams.exact(word[i : i + 2]) for i in range(len(word) - 1)), key=len)
                found[word] = sum(word in table.item(n) for n in rarest)
    return found


def remove_reference(index_dir: Path | str | None = None) -> bool:
    """Switch the reference layer off by removing it; True if there was one."""
    home = reference_home(root(index_dir))
    if not home.exists():
        return False
    # Out of sight first (one rename), then deleted: killed halfway, it leaves a hidden folder, never a
    # CURRENT naming a version with files missing, which no searcher could open.
    doomed = home.with_name(f".removed-{home.name}-{os.getpid()}")
    os.replace(home, doomed)
    shutil.rmtree(doomed)
    return True


def load_layer(path: Path) -> LayerData:
    """Open a built version: its documents and key tables, read once into memory, checksums verified.

    Raises `layerfile.Damaged` (a ValueError) for a version with a file missing, truncated or altered.
    """
    fields = layerfile.read(path / KEYS_FILE, layerfile.meta(path)["files"], Doc)
    try:
        return LayerData(**fields)
    except TypeError as exc:  # fields missing or unknown: checksums match, so built by other code
        raise layerfile.Damaged(f"{path / KEYS_FILE}: not a layer of this code: {exc}") from None


def size(path: Path) -> int:
    """Bytes on disk under `path`."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
