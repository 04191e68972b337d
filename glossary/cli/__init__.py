"""The `glossary` command line: a thin layer over the library.

The group and its shared flags are in `base`; the commands, by concern, in the modules beside it:
`curation` (validate, verify-quotes, schema, stats), `exchange` (export, import tbx|csv), `check`,
`search` (build, search, import cedict), `harvest`, `usage` and `serving` (serve).
"""

from __future__ import annotations

import sys

# Importing the command modules registers their commands on `cli`.
from . import check, curation, exchange, harvest, search, serving, usage  # noqa: F401
from .base import cli
from .curation import entry_schema
from .exchange import PROGRESS_FROM
from .serving import serve

__all__ = ["PROGRESS_FROM", "cli", "entry_schema", "serve"]


def main() -> None:  # pragma: no cover - console entry point
    """Run the CLI."""
    cli(sys.argv[1:])
