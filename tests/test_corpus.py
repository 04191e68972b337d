"""The real-text corpus (tests/corpus/) is well formed: enough passages, each document with provenance."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpus_data import CORPUS_DIR, CorpusError, load_corpus, parse_file

README = CORPUS_DIR / "README.md"
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_corpus_has_enough_documents_and_passages() -> None:
    docs = load_corpus()
    passages = [p for d in docs for p in d.passages]
    assert len(docs) >= 6
    assert len(passages) >= 40
    held_out = load_corpus("held-out")
    # At least half the passages come from documents the curators never see.
    assert sum(len(d.passages) for d in held_out) * 2 >= len(passages)
    assert {d.id for d in held_out} >= {"gwr-2021", "gwr-2022"}


@pytest.mark.parametrize("doc", load_corpus(), ids=lambda d: d.id)
def test_every_document_has_provenance(doc) -> None:
    assert doc.title and doc.header["publisher"][0]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.header["date"][0])
    assert all(u.startswith(("http://", "https://")) for u in doc.urls)
    # The README's table names every document with its publisher and date.
    rows = README.read_text(encoding="utf-8").splitlines()
    row = next((line for line in rows if f"`{doc.id}`" in line), "")
    assert doc.header["date"][0] in row and doc.split in row, f"README has no row for {doc.id}"


@pytest.mark.parametrize("doc", load_corpus(), ids=lambda d: d.id)
def test_passages_are_chinese_with_english(doc) -> None:
    for p in doc.passages:
        assert HAN.search(p.zh), f"{doc.id}:{p.line}: zh has no Chinese"
        assert not HAN.search(p.en), f"{doc.id}:{p.line}: en has Chinese in it"
        assert re.search(r"[A-Za-z]{2}", p.en)
    assert len({p.zh for p in doc.passages}) == len(doc.passages), "a passage is repeated"


HEAD = "# T\n# publisher: P\n# date: 2020-01-01\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEAD + "# split: dev\n# url: https://x\n\nzh: 中\n\n", "has no 'en:'"),
        (HEAD + "# split: test\n# url: https://x\n\nzh: 中\nen: e\n", "split"),
        ("# T\n# date: 2020-01-01\n# split: dev\n# url: https://x\n\nzh: 中\nen: e\n", "publisher"),
        (HEAD + "# split: dev\n\nzh: 中\nen: e\n", "url"),
        (HEAD + "# split: dev\n# url: https://x\n\nen: e\n", "without a 'zh:'"),
        (HEAD + "# split: dev\n# url: https://x\n\nzh: 中\nzh: 文\nen: e\n", "a second 'zh:'"),
    ],
)
def test_malformed_files_are_named_with_their_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=message) as caught:
        parse_file(path)
    assert str(caught.value).startswith("bad.txt")
