"""A layer of the index opened for searching: its documents, key tables and filters in memory."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from . import index
from .index import LayerData

Layer = Literal["curated", "reference"]


class OpenLayer:
    """A loaded layer: its documents and key tables in memory."""

    def __init__(self, path: Path):
        self.path = path
        self.data: LayerData = index.load_layer(path)  # read-only from here on: threads share it freely
        self.name: Layer = "curated" if self.data.layer == "curated" else "reference"

    def allowed(
        self, category: str | None, status: str | None, source: str | None
    ) -> frozenset[int] | None:
        """The documents the filters let through (None: all of them)."""
        allowed: frozenset[int] | None = None
        for name, value in (("category", category), ("status", status), ("source", source)):
            if value is None:
                continue
            docs = self.data.filters.get(name, {}).get(value, frozenset())
            allowed = docs if allowed is None else allowed & docs
        if allowed is not None and len(allowed) == len(self.data.docs):
            return None
        return allowed
