"""The on-disk form of an index layer: plain data in one msgpack file, and a manifest of checksums.

The layer used to be a pickle, and unpickling runs whatever code the file names: anyone who could write to
the cache directory could run code in every worker. msgpack holds only strings, numbers, bytes, lists and
maps, so reading a file can at worst fail. The tables are already strings and integer arrays; an array is
stored as its raw bytes (with the byte order) and comes back with one `frombytes`, so the file loads as a
few dozen objects, as fast as the pickle did (figures in docs/reliability.md). Each document is a small
msgpack record decoded when a result shows it.

Every file of a version is listed in meta.json with its size and SHA-256 (`manifest`), and `check` compares
them when the version is opened: a truncated, missing or altered file is `Damaged`, and the caller rebuilds
the version or falls back to the previous one instead of serving (or crashing on) a broken index.
"""

from __future__ import annotations

import hashlib
import json
import sys
from array import array
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import msgpack

from ..base.equivalences import Equivalences
from .keys import DocStore, KeyTable, TextTable, WordTable
from .spelling import Speller

FILE = "layer.msgpack"
META_FILE = "meta.json"  # the version's metadata and manifest
MAGIC = "glossary-layer"
_CHUNK = 1 << 20


class Damaged(ValueError):
    """A built index version whose files are missing, truncated or not what was built."""


# --- encoding -------------------------------------------------------------------------------------------


def _array(values: array[int]) -> dict[str, Any]:
    return {"type": values.typecode, "bytes": values.tobytes()}


def _key_table(table: KeyTable) -> dict[str, Any]:
    run = None if table.run is None else [table.run[0], _array(table.run[1]), _array(table.run[2])]
    return {"lengths": table.lengths, "keys": [[n, table.keys[n]] for n in table.lengths],
            "docs": [[n, _array(table.docs[n])] for n in table.lengths], "run": run}


def _text_table(table: TextTable) -> dict[str, Any]:
    return {"docs": _array(table.docs), "starts": _array(table.starts), "text": table.text,
            "grams": _key_table(table.grams)}


def equivalences_data(equivalences: Equivalences) -> dict[str, Any]:
    """The equivalences as plain data (lists and maps)."""
    return {"phrases": equivalences.phrases, "spellings": equivalences.spellings,
            "suffixes": equivalences.suffixes, "prepositions": sorted(equivalences.prepositions)}


def equivalences_from(data: dict[str, Any]) -> Equivalences:
    """The equivalences back from `equivalences_data`."""
    return Equivalences(
        phrases=[[tuple(p) for p in group] for group in data["phrases"]], spellings=dict(data["spellings"]),
        suffixes=[(a, b) for a, b in data["suffixes"]], prepositions=frozenset(data["prepositions"]),
    )


def _encode(value: Any) -> Any:
    if isinstance(value, Equivalences):
        return {"equivalences": equivalences_data(value)}
    if isinstance(value, KeyTable):
        return {"key_table": _key_table(value)}
    if isinstance(value, TextTable):
        return {"text_table": _text_table(value)}
    if isinstance(value, WordTable):
        return {"word_table": {"text_doc": _array(value.text_doc), "keys": _key_table(value.keys)}}
    if isinstance(value, Speller):
        return {"speller": {"words": value.words, "counts": _array(value.counts),
                            "deletes": _key_table(value.deletes)}}
    if isinstance(value, DocStore):
        return {"docs": {"starts": _array(value.starts), "blob": value.blob}}
    if isinstance(value, str):
        return value
    if isinstance(value, dict):  # the filters: name -> value -> documents
        return {"filters": {name: {v: _array(array("i", sorted(docs))) for v, docs in table.items()}
                            for name, table in value.items()}}
    raise TypeError(f"cannot store {type(value).__name__} in an index layer")


def encode(fields: Mapping[str, Any]) -> bytes:
    """The file contents of a layer given as its fields (LayerData's, by name)."""
    body = {name: _encode(value) for name, value in fields.items()}
    return msgpack.packb({"magic": MAGIC, "byteorder": sys.byteorder, "fields": body}, use_bin_type=True)


# --- decoding -------------------------------------------------------------------------------------------


class _Decoder:
    def __init__(self, byteorder: str, factory: Callable[..., Any]):
        self.swap = byteorder != sys.byteorder
        self.factory = factory

    def array(self, stored: dict[str, Any]) -> array[int]:
        values = array(stored["type"])
        values.frombytes(stored.pop("bytes"))  # popped: each copy is freed as soon as it is converted
        if self.swap:
            values.byteswap()
        return values

    def key_table(self, stored: dict[str, Any]) -> KeyTable:
        table = KeyTable.__new__(KeyTable)
        table.lengths = list(stored["lengths"])
        table.keys = {n: keys for n, keys in stored["keys"]}
        table.docs = {n: self.array(docs) for n, docs in stored["docs"]}
        run = stored["run"]
        table.run = None if run is None else (run[0], self.array(run[1]), self.array(run[2]))
        return table

    def text_table(self, stored: dict[str, Any]) -> TextTable:
        table = TextTable.__new__(TextTable)
        table.docs, table.starts = self.array(stored["docs"]), self.array(stored["starts"])
        table.text, table.grams = stored["text"], self.key_table(stored["grams"])
        return table

    def value(self, stored: Any) -> Any:
        if isinstance(stored, str):
            return stored
        (kind, body), = stored.items()
        if kind == "key_table":
            return self.key_table(body)
        if kind == "text_table":
            return self.text_table(body)
        if kind == "word_table":
            words = WordTable.__new__(WordTable)
            words.text_doc, words.keys = self.array(body["text_doc"]), self.key_table(body["keys"])
            return words
        if kind == "speller":
            speller = Speller.__new__(Speller)
            speller.words, speller.counts = body["words"], self.array(body["counts"])
            speller.deletes, speller._vocabulary = self.key_table(body["deletes"]), None
            return speller
        if kind == "docs":
            return DocStore.stored(self.array(body["starts"]), body["blob"], self.factory)
        if kind == "equivalences":
            return equivalences_from(body)
        if kind == "filters":
            return {name: {v: frozenset(self.array(docs)) for v, docs in table.items()}
                    for name, table in body.items()}
        raise ValueError(f"unknown part {kind!r}")


def read(path: Path, files: Mapping[str, Any], factory: Callable[..., Any]) -> dict[str, Any]:
    """A layer's fields from its file, checked against the manifest `files` first (Damaged otherwise)."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise Damaged(f"{path}: {exc.strerror or exc}") from None
    check(path.parent, files, content)
    return decode([content], factory)


def decode(content: list[bytes], factory: Callable[..., Any]) -> dict[str, Any]:
    """A layer's fields from its file contents (the one item of `content`, which is emptied as soon as it
    is unpacked, to free it); `factory` makes a document from its stored fields."""
    try:
        stored = msgpack.unpackb(content.pop(), raw=False)
        if not isinstance(stored, dict) or stored.get("magic") != MAGIC:
            raise ValueError("not a glossary index layer")
        decoder = _Decoder(stored["byteorder"], factory)
        return {name: decoder.value(value) for name, value in stored["fields"].items()}
    except (ValueError, KeyError, TypeError, AttributeError, msgpack.UnpackException) as exc:
        raise Damaged(f"cannot read the index layer: {exc}") from None


# --- the manifest -----------------------------------------------------------------------------------------


def digest(path: Path) -> dict[str, Any]:
    """Size and SHA-256 of a file."""
    sha = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return {"bytes": size, "sha256": sha.hexdigest()}


def manifest(folder: Path, skip: str) -> dict[str, dict[str, Any]]:
    """Size and checksum of every file in a version's folder but `skip` (the metadata that holds them)."""
    return {p.name: digest(p) for p in sorted(folder.iterdir()) if p.is_file() and p.name != skip}


def check(folder: Path, files: Mapping[str, Any], content: bytes | None = None) -> None:
    """Raise Damaged unless every file of the manifest is there with its size and checksum.

    `content`, when given, is the layer file's bytes as already read (hashed here instead of read again).
    """
    if FILE not in files:
        raise Damaged(f"{folder}: the manifest does not list {FILE}")
    for name, expected in files.items():
        path = folder / name
        if name == FILE and content is not None:
            found = {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        else:
            try:
                found = digest(path)
            except OSError as exc:
                raise Damaged(f"{path}: {exc.strerror or exc}") from None
        if found != {"bytes": expected.get("bytes"), "sha256": expected.get("sha256")}:
            raise Damaged(f"{path}: {found['bytes']} bytes, not the {expected.get('bytes')} built, "
                          "or altered (checksum differs)")


def meta(path: Path) -> dict[str, Any]:
    """A version's metadata, with its manifest ("files"); Damaged when it cannot be read."""
    try:
        found = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Damaged(f"{path / META_FILE}: {exc}") from None
    if not isinstance(found, dict) or not isinstance(found.get("files"), dict):
        raise Damaged(f"{path / META_FILE}: no manifest of the version's files")
    return found


def intact(path: Path) -> bool:
    """Whether a built version is there whole: every file of its manifest, with its size and checksum."""
    try:
        check(path, meta(path)["files"])
    except Damaged:
        return False
    return True


def versions(home: Path, suffix: str) -> list[Path]:
    """The version folders in `home` whose names end in `suffix` (the index format), newest first."""
    try:
        found = [p for p in home.iterdir()
                 if p.is_dir() and not p.name.startswith(".") and p.name.endswith(suffix)]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)
