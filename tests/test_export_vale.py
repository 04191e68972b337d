"""The Vale style matches Chinese (and English that ends in punctuation) in running text.

No Vale can be installed here (the `vale` PyPI package and npm's `@vvago/vale` download a binary from GitHub
when run, Debian has none, and the Go module proxy is out of reach), so the exported patterns are tested for
what Vale does with them: with ``nonword: false`` Vale wraps a rule's patterns in ``\\b(?:…)\\b``; Python's
``re`` has the same Unicode ``\\b`` as Vale's regular expressions (Han characters are word characters), and
``re.ASCII`` gives RE2's ASCII ``\\b``: the exported patterns must match under both.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from glossary.base import store
from glossary.base.model import Status, Variant, VariantType
from glossary.export import vale

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "data"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def chinese_base() -> store.TermBase:
    """The fixture base with, made up for this test, a former name (曾称) for 科技强国 (科技大国) and an entry
    with a deprecated rendering ending in punctuation and a deprecated proper noun."""
    base = store.load(FIXTURE)
    entry = base.entries["st-powerhouse"]
    former = Variant(zh="科技大国", type=VariantType.former, attested=False)
    changed = entry.model_copy(update={"zh_variants": [*entry.zh_variants, former]})
    preferred = entry.preferred
    most = entry.model_copy(update={"id": "most", "zh": "科学技术部", "zh_variants": [], "renderings": [
        preferred.model_copy(update={"en": "Ministry of Science and Technology"}),
        preferred.model_copy(update={"en": "S&T ministry (PRC)", "status": Status.deprecated}),
        preferred.model_copy(update={"en": "MST", "status": Status.deprecated, "proper_noun": True}),
    ]})
    entries = {**base.entries, entry.id: changed, "most": most}
    return store.TermBase(base.data_dir, entries, base.sources, "vale-test")


def vale_regex(rule: dict[str, object], flags: int = 0) -> re.Pattern[str]:
    """The expression Vale builds from a substitution rule: its patterns, \\b-wrapped unless nonword."""
    swap = rule["swap"]
    assert isinstance(swap, dict)
    body = "|".join(f"(?:{pattern})" for pattern in swap)
    wrapped = body if rule.get("nonword") else rf"\b(?:{body})\b"
    return re.compile(wrapped, flags | (re.IGNORECASE if rule["ignorecase"] else 0))


RUNNING_CHINESE = "我们要加快建设科技大国，这是目标。"


@pytest.mark.parametrize("flags", [0, re.ASCII], ids=["unicode-boundaries", "ascii-boundaries"])
def test_the_chinese_rule_matches_in_running_text(chinese_base: store.TermBase, flags: int) -> None:
    rule = vale.rules(chinese_base)["Chinese"]
    assert rule["nonword"] is True and rule["swap"] == {"科技大国": "科技强国"}
    found = vale_regex(rule, flags).findall(RUNNING_CHINESE)
    assert found == ["科技大国"]


def test_without_nonword_vale_would_miss_it(chinese_base: store.TermBase) -> None:
    """The bug this guards against: the same patterns wrapped in \\b…\\b find nothing in Chinese prose."""
    rule = {**vale.rules(chinese_base)["Chinese"], "nonword": False}
    assert vale_regex(rule).findall(RUNNING_CHINESE) == []


@pytest.mark.parametrize("flags", [0, re.ASCII], ids=["unicode-boundaries", "ascii-boundaries"])
def test_english_rules_keep_their_word_boundaries(chinese_base: store.TermBase, flags: int) -> None:
    rules = vale.rules(chinese_base)
    renderings, nouns = vale_regex(rules["Renderings"], flags), vale_regex(rules["ProperNouns"], flags)
    assert renderings.findall("As the S&T ministry (PRC) said, …") == ["S&T ministry (PRC)"]
    assert nouns.findall("The MST said so.") == ["MST"]
    assert nouns.findall("AMSTERDAM, MSTs") == []  # no match inside a word
    wrapped = {**rules["Renderings"], "nonword": False}  # what Vale did with the old style
    assert vale_regex(wrapped, flags).findall("As the S&T ministry (PRC) said, …") == []


def test_the_exported_style_on_disk(chinese_base: store.TermBase, tmp_path: Path) -> None:
    written = vale.write(chinese_base, tmp_path / "Glossary")
    assert {p.name for p in written} == {"Renderings.yml", "ProperNouns.yml", "Chinese.yml"}
    chinese = yaml.safe_load((tmp_path / "Glossary" / "Chinese.yml").read_text(encoding="utf-8"))
    assert chinese["extends"] == "substitution" and chinese["nonword"] is True
    assert vale_regex(chinese).search(RUNNING_CHINESE)


def test_the_real_base_style_compiles_and_says_nonword(tmp_path: Path) -> None:
    base = store.load(ROOT / "data")
    for rule in vale.rules(base).values():
        assert rule["nonword"] is True
        for pattern in rule["swap"]:  # type: ignore[attr-defined]
            assert "\\ " not in pattern  # RE2 rejects an escaped space
            re.compile(pattern)
    assert not any(ch for ch in "".join(vale.rules(base)["Renderings"]["swap"]) if "\u4e00" <= ch <= "\u9fff")
