"""The source texts the project carries in data/texts: the seeds unchanged, every further text registered."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.base import store

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "data" / "texts"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


def test_the_seed_copies_are_the_seeds_unchanged() -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"../shared/seeds not found at {SHARED_SEEDS}: nothing to compare the copies with")
    seeds = sorted(SHARED_SEEDS.glob("0*.txt"))
    assert seeds
    for seed in seeds:
        assert (TEXTS / seed.name).read_bytes() == seed.read_bytes(), seed.name


def test_every_text_belongs_to_a_registered_source_and_every_source_has_its_text() -> None:
    base = store.load(ROOT / "data")
    named = {source.file for source in base.sources.values() if source.file}
    present = {path.name for path in TEXTS.glob("*.txt")}
    assert sorted(named - present) == []
    assert sorted(present - named) == []
