"""The entry page's usage section end to end, in Debian's chromium: counts by publisher and year, keyword-in-
context lines with the term marked, and the English the sources give for the Chinese.

The app serves the fixture base with the real texts of its five sources (copied from data/texts), so the
figures are the real ones and are compared with the API's.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_browser import (  # noqa: F401
    DESKTOP,
    FIXTURE_DATA,
    PHONE,
    Server,
    _serve,
    browser,
    expect,
    open_page,
    shoot,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def texts_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app over the fixture base and the real texts of its sources."""
    tmp = tmp_path_factory.mktemp("usage")
    data = tmp / "data"
    shutil.copytree(FIXTURE_DATA, data)
    (data / "texts").mkdir()
    for path in (ROOT / "data" / "texts").glob("00[0-4]_*.txt"):
        shutil.copy(path, data / "texts" / path.name)
    yield from _serve(tmp, data)


@pytest.fixture
def usage_page(browser: Any, texts_server: Server) -> Iterator[Any]:  # noqa: F811
    """A desktop page on the server with texts; fails the test on any script or console error."""
    errors: list[str] = []
    context = browser.new_context(viewport=DESKTOP, base_url=texts_server.url, locale="en-GB")
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not errors, errors


def api_usage(page: Any, entry_id: str) -> dict[str, Any]:
    """The API's figures, fetched by the page itself."""
    text = page.evaluate(f"fetch('api/v1/terms/{entry_id}/usage?limit=8').then(r => r.text())")
    return json.loads(text)


def test_usage_section_shows_counts_lines_and_marks(usage_page: Any) -> None:
    page = usage_page
    open_page(page, "/?id=st-powerhouse")
    section = page.locator("#usage")
    section.locator(".usage-group").first.wait_for()
    assert section.get_attribute("aria-busy") == "false"
    figures = api_usage(page, "st-powerhouse")
    renderings = section.locator(".usage-rendering")
    assert renderings.count() == len(figures["renderings"])
    first = figures["renderings"][0]
    group = renderings.first
    assert first["en"] in group.locator("h4").inner_text()
    assert f"{first['count']} use" in group.locator(".usage-count").inner_text()
    tally = group.locator(".usage-tally li").first.inner_text()
    top = first["by_publisher"][0]
    assert tally == f"{top['publisher']} {top['year']}: {top['count']}"
    marks = group.locator(".kwic mark")
    assert marks.count() == len(first["lines"])
    for mark, line in zip(marks.all(), first["lines"], strict=True):
        assert mark.inner_text() == line["match"]
    # The Chinese, with the English its source gives.
    chinese = section.locator(".usage-chinese").first
    assert figures["chinese"][0]["zh"] in chinese.locator("h4").inner_text()
    english = chinese.locator(".kwic-en").first.inner_text()
    assert english.startswith("English (") and "S&T powerhouse" in english
    shoot(page, "entry-usage-desktop", at="#usage")


def test_usage_section_on_a_phone_fits(browser: Any, texts_server: Server) -> None:  # noqa: F811
    context = browser.new_context(viewport=PHONE, base_url=texts_server.url, locale="en-GB")
    page = context.new_page()
    try:
        open_page(page, "/?id=st-powerhouse")
        page.locator("#usage .kwic-line").first.wait_for()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], "the usage lines wrap instead of widening the page"
        shoot(page, "entry-usage-phone", at="#usage")
    finally:
        context.close()


def test_an_entry_never_used_says_so(usage_page: Any) -> None:
    page = usage_page
    open_page(page, "/?id=two-establishes")
    page.locator("#usage .usage-group").first.wait_for()
    figures = api_usage(page, "two-establishes")
    counts = page.locator("#usage .usage-count").all_inner_texts()
    expected = [r["count"] for r in figures["renderings"]] + [c["count"] for c in figures["chinese"]]
    assert [int(text.split()[0].replace(",", "")) for text in counts] == expected


def test_show_all_lists_every_use(usage_page: Any) -> None:
    page = usage_page
    open_page(page, "/?id=st-powerhouse")
    groups = page.locator("#usage .usage-rendering")
    groups.first.wait_for()
    figures = api_usage(page, "st-powerhouse")
    busy = next(i for i, r in enumerate(figures["renderings"]) if r["count"] > len(r["lines"]))
    group = groups.nth(busy)
    assert group.locator(".kwic mark").count() == 8
    group.get_by_role("button", name=f"Show all {figures['renderings'][busy]['count']}").click()
    expect(page.locator("#usage .usage-rendering").nth(busy).locator(".kwic mark")).to_have_count(
        figures["renderings"][busy]["count"])
    assert page.locator("#usage .usage-all").count() == 0
