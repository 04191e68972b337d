"""The checker on the kinds of wrong finding real official text showed (issue 12), one table per kind.

Each test builds a small base of its own (entries written here, citing the fixture sources), so that what is
asserted does not move when the curators grow the real base; tests/test_corpus_check.py covers the real one.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from glossary.base import store
from glossary.check.checker import Checker
from glossary.check.report import CheckReport, CheckRequest
from glossary.check.segmenter import best_cover

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "data"
SOURCE = "cset-2022-st-conference"


def _entry(entry_id: str, zh: str, *renderings: str, **extra: Any) -> dict[str, Any]:
    statuses = ["preferred"] + ["admitted"] * (len(renderings) - 1)
    return {
        "id": entry_id, "zh": zh, "category": "concept", "zh_attested": False, "zh_note": "test entry",
        "renderings": [
            {"en": en, "status": status, "sources": [SOURCE], "quote": en}
            for en, status in zip(renderings, statuses, strict=True)
        ],
        **extra,
    }


ENTRIES = [
    _entry("powerhouse", "强国", "powerhouse", "strong country"),
    _entry("national-laboratories", "国家实验室", "national laboratories"),
    _entry("key-national-laboratories", "全国重点实验室", "key national laboratories"),
    _entry("national-innovation-system", "国家创新体系", "national innovation system"),
    _entry("st-powerhouse", "科技强国", "leading country in science and technology"),
    _entry("science-and-technology", "科技", "science and technology", "S&T"),
    _entry("st-self-reliance", "科技自立自强", "self-reliance and strength in science and technology"),
    _entry("self-reliance", "自力更生", "self-reliance"),
]


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    """A checker over the entries above (and the fixture base's)."""
    target = tmp_path_factory.mktemp("fixes") / "data"
    shutil.copytree(FIXTURE_DATA, target)
    for entry in ENTRIES:
        path = target / "entries" / f"{entry['id']}.yaml"
        path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Checker.for_base(store.load(target))


def _check(checker: Checker, **request: Any) -> CheckReport:
    return checker.check(CheckRequest.model_validate(request))


def _terms(report: CheckReport, side: str = "text") -> list[tuple[str, str]]:
    return [(f.text, f.term_id) for f in report.findings if f.kind == "term" and f.side == side]


# --- Chinese word boundaries ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("加强国家实验室建设", [("国家实验室", "national-laboratories")]),  # not 强国 across 加强|国家
        ("增强国家创新体系整体效能", [("国家创新体系", "national-innovation-system")]),
        ("分批推进全国重点实验室重组", [("全国重点实验室", "key-national-laboratories")]),
        ("建设科技强国", [("科技强国", "st-powerhouse")]),  # the longer real term, not 科技 + 强国
        ("科技自立自强", [("科技自立自强", "st-self-reliance")]),
        ("建设航天强国", [("强国", "powerhouse")]),  # 航天|强国: a real X强国
        ("富强国家", []),  # jieba: 富强|国家, so 强国 cuts two words
        ("加强国防", []),
        ("强国", [("强国", "powerhouse")]),
    ],
)
def test_chinese_boundaries(checker: Checker, text: str, expected: list[tuple[str, str]]) -> None:
    assert _terms(_check(checker, text=text, lang="zh")) == expected


@pytest.mark.parametrize(
    ("matches", "kept"),
    [
        ([(1, 3, 0), (2, 7, 1)], [(2, 7, 1)]),  # 加[强国]家实验室 against 加强[国家实验室]
        ([(0, 2, 0), (2, 4, 1), (0, 4, 2)], [(0, 4, 2)]),  # equal cover: the one longer term
        ([(0, 3, 0), (2, 5, 1), (4, 7, 2)], [(0, 3, 0), (4, 7, 2)]),
    ],
)
def test_best_cover(matches: list[tuple[int, int, int]], kept: list[tuple[int, int, int]]) -> None:
    assert best_cover(matches) == kept
