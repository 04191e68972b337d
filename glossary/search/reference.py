"""The CC-CEDICT reference layer: built from a CC-CEDICT file into the search index, labelled apart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..base.cedict import file_version, read_cedict
from . import index


def import_cedict(
    path: Path | str, index_dir: Path | str | None = None, progress: Callable[[int], None] | None = None
) -> Path:
    """Build the reference layer from a CC-CEDICT file and make it live; return the built directory."""
    entries = list(read_cedict(path))
    return index.build_reference(entries, file_version(path), index_dir, progress)
