"""The lookup page end to end: Playwright driving Debian's chromium against the real app on a loopback port.

The app serves the fixture term base (frozen, so what the page shows is known) with its index built into a
temporary directory. Screenshots at desktop and phone width are written to tests/screenshots/.
Without /usr/bin/chromium these tests skip: `apt-get install chromium`.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml
from werkzeug.serving import make_server

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "data"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE_NOTE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> & <b>bold</b>'
DRAFT = "我们要推行揭榜挂帅，坚持四个面向。"

if not CHROMIUM.exists():
    pytest.skip(
        f"no browser at {CHROMIUM}: the end-to-end tests need Debian's chromium (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the test extra)")
expect = sync_api.expect


def buffered(app: Any) -> Any:
    """The app with each response read whole and its iterable closed before the server sends it.

    Werkzeug's development server skips closing a response (a static file's handle) when the browser drops
    the connection mid-transfer, which pytest reports as an unclosed file. gunicorn, which serves the app in
    production, closes it; this only keeps the test server from leaking.
    """

    def wsgi(environ: Any, start_response: Any) -> list[bytes]:
        with closing(app(environ, start_response)) as body:
            return [b"".join(body)]

    return wsgi


class Server:
    """The real app on 127.0.0.1 on a free port, served from a background thread."""

    def __init__(self, data_dir: Path, index_dir: Path, reference: bool = False):
        from service import create_app

        app = create_app({"DATA_DIR": data_dir, "INDEX_DIR": index_dir, "REFERENCE": reference})
        self._server = make_server("127.0.0.1", 0, buffered(app), threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop serving and wait for the thread."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


def _serve(tmp: Path, data: Path, reference: bool = False) -> Iterator[Server]:
    server = Server(data, tmp / "index", reference)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app over the fixture term base."""
    yield from _serve(tmp_path_factory.mktemp("page"), FIXTURE_DATA)


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app over a copy of the fixture base in which a note and a rendering's note hold HTML, and with
    25 filler entries ("filler widget 0" …) for a search with more than one page of results."""
    tmp = tmp_path_factory.mktemp("hostile")
    data = tmp / "data"
    shutil.copytree(FIXTURE_DATA, data)
    path = data / "entries" / "two-establishes.yaml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    note = {"label": "Editor's note <i>x</i>", "source": "cset-2022-st-conference", "text": HOSTILE_NOTE}
    entry["notes"].insert(0, note)
    entry["renderings"][0]["note"] = HOSTILE_NOTE
    entry["renderings"].append({"en": "the <b>两个确立</b>", "status": "deprecated", "quote": "x",
                                "sources": ["cset-2022-st-conference"]})
    path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for i in range(25):
        rendering = {"en": f"filler widget {i}", "status": "preferred", "quote": f"filler widget {i}",
                     "sources": ["cset-2022-st-conference"]}
        filler = {"id": f"filler-{i:02d}", "zh": "填充" + "甲乙丙"[i // 10] + "一二三四五六七八九十"[i % 10],
                  "category": "concept", "zh_attested": True, "renderings": [rendering]}
        text = yaml.safe_dump(filler, allow_unicode=True, sort_keys=False)
        (data / "entries" / f"filler-{i:02d}.yaml").write_text(text, encoding="utf-8")
    yield from _serve(tmp, data)


@pytest.fixture(scope="module")
def curators_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app over the fixture base with a curator's rendering preferred for 四个面向, its first member an
    entry of its own, and a context sentence."""
    from test_curators import curated_copy

    tmp = tmp_path_factory.mktemp("curators")
    data = curated_copy(tmp / "data")
    path = data / "entries" / "four-orientations.yaml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry["context"] = {"zh": "坚持四个面向。", "source": "cset-2022-st-conference", "en": "keep to the four"}
    path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    yield from _serve(tmp, data)


@pytest.fixture(scope="module")
def reference_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app over the fixture base with a reference layer built from a three-line CC-CEDICT."""
    from glossary.base.cedict import file_version, read_cedict
    from glossary.search import index

    tmp = tmp_path_factory.mktemp("reference")
    cedict = tmp / "cedict_ts.u8"
    cedict.write_text(
        "# CC-CEDICT, three lines\n"
        "強國 强国 [qiang2 guo2] /powerful country/great power/\n"
        "科技 科技 [ke1 ji4] /science and technology/\n"
        "面向 面向 [mian4 xiang4] /to face/to turn towards/\n",
        encoding="utf-8",
    )
    index.build_reference(list(read_cedict(cedict)), file_version(cedict), tmp / "index")
    yield from _serve(tmp, FIXTURE_DATA, reference=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless; Playwright never downloads a browser of its own."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def errors() -> list[str]:
    """Script errors and console errors (CSP violations, failed requests) of the test's page."""
    return []


@pytest.fixture
def page(browser: Any, server: Server, errors: list[str]) -> Iterator[Any]:
    """A fresh desktop-sized page (own storage and clipboard) on the fixture server."""
    context = browser.new_context(viewport=DESKTOP, base_url=server.url, locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url.rstrip("/"))
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert not errors, errors  # no script errors and no CSP violations (chromium logs both as errors)


def open_page(page: Any, path: str = "/") -> None:
    """Load `path` and wait until the page has shown what its URL says."""
    page.goto(path.lstrip("/") or "./")
    page.wait_for_selector("html[data-loaded]", state="attached")


def shoot(page: Any, name: str, at: str | None = None) -> Path:
    """Write the screen (`name.png`, scrolled to `at`) and the whole page (`name-full.png`)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if at:
        page.locator(at).evaluate("el => el.scrollIntoView({block: 'start'})")
    else:
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path))
    page.screenshot(path=str(SCREENSHOTS / f"{name}-full.png"), full_page=True)
    return path


def results(page: Any) -> Any:
    return page.locator("#results .result")


# ---- search -------------------------------------------------------------------------------------------


def test_typing_initials_shows_the_formula_first(page: Any) -> None:
    open_page(page)
    page.locator("#q").press_sequentially("sgmx", delay=40)
    first = results(page).first
    expect(first.locator(".result-zh")).to_have_text("四个面向")
    expect(first.locator(".result-zh")).to_have_attribute("lang", "zh-Hans")
    expect(first.locator(".result-alt [lang='zh-Hant']")).to_have_text("四個面向")
    expect(first.locator(".result-pinyin")).to_have_text("sì gè miàn xiàng")
    expect(first.locator(".result-en")).to_have_text("four be oriented towards")
    expect(first.locator(".badge.category")).to_have_text("formula")
    expect(first.locator(".badge.layer-curated")).to_have_text("curated")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^1 result for “sgmx”"))
    assert page.url.endswith("/?q=sgmx")  # typing keeps the URL shareable, without a history step per key


def test_one_request_per_pause_in_typing(page: Any) -> None:
    open_page(page)
    searches: list[str] = []
    page.on("request", lambda r: searches.append(r.url) if "/api/v1/search" in r.url else None)
    page.locator("#q").press_sequentially("two establishes", delay=20)
    expect(results(page).first.locator(".result-zh")).to_have_text("两个确立")
    assert len(searches) <= 2, searches


def test_deep_link_to_a_search(page: Any) -> None:
    open_page(page, "/?q=sgmx")
    expect(page.locator("#q")).to_have_value("sgmx")
    expect(results(page).first.locator(".result-zh")).to_have_text("四个面向")
    assert page.title().startswith("“sgmx”")


def test_no_results_are_announced(page: Any) -> None:
    open_page(page, "/?q=zzzzqqq")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^No results for “zzzzqqq”"))
    expect(results(page)).to_have_count(0)


def test_snippet_marks_are_elements_and_the_rest_is_text(page: Any) -> None:
    open_page(page, "/?q=bounty")
    card = results(page).first
    expect(card.locator(".result-zh")).to_have_text("揭榜挂帅")
    expect(card.locator(".result-en")).to_have_text("winner-takes-all open competition")
    expect(card.locator(".snippet")).to_have_text("rendering: bounty system")
    expect(card.locator(".snippet mark")).to_have_text("bounty")


def test_a_match_in_a_note_is_shown_with_escaped_text_unescaped(page: Any) -> None:
    open_page(page, "/?q=technology")
    note = results(page).filter(has_text="揭榜挂帅").locator(".snippet")
    expect(note).to_have_text(re.compile(r"^note: "))
    expect(note).to_contain_text('open competition" (揭榜挂帅), in the context of PRC science and')
    expect(note.locator("mark").first).to_have_text("technology")
    expect(note.locator("[lang='zh-Hans']")).to_have_text("揭榜挂帅")


def test_a_match_in_the_preferred_rendering_is_marked_there(page: Any) -> None:
    open_page(page, "/?q=four")
    card = results(page).first
    expect(card.locator(".result-en mark")).to_have_text("four")
    expect(card.locator(".snippet")).to_have_count(0)


def test_reference_results_come_after_curated_ones_and_say_so(browser: Any, reference_server: Server) -> None:
    context = browser.new_context(viewport=DESKTOP, base_url=reference_server.url)
    page = context.new_page()
    try:
        open_page(page, "/?q=qiangguo")
        cards = results(page)
        expect(cards.first.locator(".badge.layer-curated")).to_have_text("curated")
        expect(cards.first.locator(".result-zh")).to_have_text("科技强国")
        dictionary = cards.filter(has=page.locator(".badge.layer-reference"))
        expect(dictionary).to_have_count(1)
        expect(dictionary.locator(".result-zh")).to_have_text("强国")
        expect(dictionary.locator(".result-en")).to_have_text("powerful country")
        badge = dictionary.locator(".badge.layer-reference")
        expect(badge).to_have_attribute("title", re.compile("CC-CEDICT"))
        # A dictionary line has no entry page: no link, but the arrow keys still reach it.
        assert dictionary.evaluate("el => el.tagName") == "DIV"
        page.locator("#q").press("ArrowDown")
        page.keyboard.press("ArrowDown")
        expect(dictionary).to_be_focused()
        check_view(page)
    finally:
        context.close()


def test_more_results_on_request(browser: Any, hostile_server: Server) -> None:
    context = browser.new_context(viewport=DESKTOP, base_url=hostile_server.url)
    page = context.new_page()
    try:
        open_page(page, "/?q=widget")
        expect(results(page)).to_have_count(20)
        expect(page.locator("#search-status")).to_have_text("25 results for “widget”, showing 20.")
        page.get_by_role("button", name="Show more results").click()
        expect(results(page)).to_have_count(25)
        expect(results(page).nth(20)).to_be_focused()  # the first new one: the reader carries on from there
        expect(page.locator("#search-status")).to_have_text("25 results for “widget”.")
        expect(page.get_by_role("button", name="Show more results")).to_have_count(0)
    finally:
        context.close()


# ---- keyboard -----------------------------------------------------------------------------------------


def test_keyboard_slash_arrows_enter_and_back(page: Any) -> None:
    open_page(page, "/?q=four")
    expect(results(page).first).to_be_visible()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(results(page).first).to_be_focused()
    ids = results(page).evaluate_all("els => els.map(e => e.dataset.id)")
    if len(ids) > 1:
        page.keyboard.press("ArrowDown")
        expect(results(page).nth(1)).to_be_focused()
        page.keyboard.press("ArrowUp")
        expect(results(page).first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#entry-title")).to_be_focused()
    assert f"id={ids[0]}" in page.url
    page.go_back()
    expect(results(page).first).to_be_focused()  # focus returns to the result that was opened
    assert page.url.endswith("/?q=four")


def test_slash_from_the_check_panel_goes_to_the_search_box(page: Any) -> None:
    open_page(page, "/?view=check")
    draft = page.get_by_role("textbox", name="Draft", exact=True)
    draft.press_sequentially("a/b")
    expect(draft).to_have_value("a/b")  # in a text box, "/" is typed
    page.get_by_label("Strict: also flag").focus()
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    assert page.url.endswith("/")  # the lookup view, one history step later
    page.go_back()
    expect(page.locator("#check-title")).to_be_visible()


# ---- the entry ----------------------------------------------------------------------------------------


def test_opening_the_formula_shows_members_and_source(page: Any) -> None:
    open_page(page)
    page.locator("#q").press_sequentially("sgmx", delay=30)
    results(page).first.click()
    expect(page).to_have_url(re.compile(r"\?id=four-orientations&q=sgmx$"))
    expect(page.locator("#entry-title")).to_have_text("四个面向")
    expect(page.locator(".preferred-en")).to_have_text("four be oriented towards")
    members = page.locator(".members li")
    expect(members).to_have_count(4)
    expect(members.nth(0).locator(".member-zh")).to_have_text("面向世界科技前沿")
    expect(members.nth(0).locator(".member-pinyin")).to_have_text("miàn xiàng shì jiè kē jì qián yán")
    last = "being oriented toward the lives and health of the people"
    expect(members.nth(3).locator(".member-en")).to_have_text(last)
    # The source gives the members' English but not their Chinese: the page says whose Chinese it is.
    expect(members.nth(0).locator(".member-supplied")).to_have_text("(Chinese supplied by the curator)")
    source = page.locator(".rendering .attestation").first
    expect(source.locator("blockquote")).to_contain_text('focusing on the "four be oriented towards"')
    expect(source.locator("cite")).to_have_text("2022 Nationwide S&T Work Conference Convened in Beijing")
    expect(source.locator("figcaption")).to_contain_text("CSET")
    expect(source.locator("figcaption")).to_contain_text("2022-01-24")
    expect(source.locator("figcaption a")).to_have_attribute("href", "http://most.gov.cn/kjbgz/202201/t20220106_178939.html")
    note = page.locator(".note").first
    expect(note.locator(".note-label")).to_have_text("Translator's note 2")
    expect(note.locator(".note-text")).to_contain_text("Xi Jinping's ideas")
    assert page.title().startswith("四个面向")


def test_a_curators_rendering_says_so_and_members_link(browser: Any, curators_server: Server) -> None:
    context = browser.new_context(viewport=DESKTOP, base_url=curators_server.url)
    page = context.new_page()
    open_page(page, "/?id=four-orientations")
    expect(page.locator(".preferred-en")).to_have_text("four orientations")
    expect(page.locator(".preferred-curators")).to_contain_text("Not attested in a cited source.")
    expect(page.locator(".preferred-curators")).to_contain_text("CSET's is not English.")
    first = page.locator(".rendering").first
    expect(first.locator(".badge.curators")).to_have_text("curator’s rendering")
    expect(first.locator(".attestation")).to_have_count(0)
    expect(first.locator(".rendering-curators")).to_contain_text("no cited source uses it")
    expect(page.locator(".rendering").nth(1).locator(".attestation")).to_have_count(1)
    link = page.locator(".members li").first.locator("a.member-entry")
    expect(link).to_have_attribute("href", re.compile(r"id=cutting-edge-of-world-st"))
    expect(page.locator(".context-zh")).to_have_text("坚持四个面向。")
    expect(page.locator(".context-source")).to_contain_text("2022 Nationwide S&T Work Conference")
    link.click()
    expect(page.locator("#entry-title")).to_have_text("面向世界科技前沿")
    context.close()


def test_deep_link_reopens_the_entry_after_reload(page: Any) -> None:
    open_page(page, "/?id=four-orientations")
    expect(page.locator("#entry-title")).to_have_text("四个面向")
    page.reload()
    page.wait_for_selector("html[data-loaded]", state="attached")
    expect(page.locator("#entry-title")).to_have_text("四个面向")
    expect(page.locator(".members li")).to_have_count(4)


def test_every_rendering_with_its_status(page: Any) -> None:
    open_page(page, "/?id=st-powerhouse")
    renderings = page.locator(".rendering")
    expect(renderings).to_have_count(4)
    expect(renderings.nth(0).locator(".rendering-en")).to_have_text("S&T powerhouse")
    expect(renderings.nth(0).locator(".badge.status-preferred")).to_have_text("preferred")
    expect(renderings.nth(1).locator(".badge.status-admitted")).to_have_text("admitted")
    expect(renderings.nth(1).locator("cite")).to_contain_text("Strive to Become")
    expect(page.locator(".facts")).to_contain_text("世界科技强国")  # the variant, with its type
    expect(page.locator(".facts")).to_contain_text("full form")


def test_the_governments_rendering_and_who_uses_each_since_when(page: Any) -> None:
    """The official profile's choice stands beside the house's; each rendering says who uses it since when."""
    open_page(page, "/?id=st-powerhouse")
    expect(page.locator(".preferred-en")).to_have_text("S&T powerhouse")
    expect(page.locator(".official-en")).to_have_text("leading country in science and technology")
    renderings = page.locator(".rendering")
    expect(renderings.nth(0).locator(".rendering-usage")).to_have_text(
        "Used by CSET (Center for Security and Emerging Technology) since 2022-01-24."
    )
    official = renderings.filter(has_text="leading country in science and technology").first
    usage = official.locator(".rendering-usage")
    expect(usage).to_contain_text("State Council Information Office (official) since")
    open_page(page, "/?id=four-orientations")  # no official source renders it: no second row
    expect(page.locator(".preferred-en")).to_be_visible()
    expect(page.locator(".official-row")).to_have_count(0)


def test_related_entries_are_links(page: Any) -> None:
    open_page(page, "/?id=two-establishes")
    link = page.locator(".related a")
    expect(link).to_contain_text("四个面向")  # named by the related entry's Chinese, once it has loaded
    link.click()
    expect(page.locator("#entry-title")).to_have_text("四个面向")
    page.go_back()
    expect(page.locator("#entry-title")).to_have_text("两个确立")
    page.go_forward()
    expect(page.locator("#entry-title")).to_have_text("四个面向")


def test_unknown_entry_says_so(page: Any, errors: list[str]) -> None:
    open_page(page, "/?id=no-such-entry")
    expect(page.locator("#entry-title")).to_have_text("There is no entry “no-such-entry”.")
    assert len(errors) == 1 and "404" in errors[0]  # chromium logs the API's 404 answer
    errors.clear()


def test_copy_button_copies_the_rendering(page: Any) -> None:
    open_page(page, "/?id=four-orientations")
    button = page.locator(".preferred-box button.copy")
    button.click()
    expect(button).to_have_text(re.compile("Copied"))
    assert page.evaluate("navigator.clipboard.readText()") == "four be oriented towards"
    expect(page.locator("#announcer")).to_have_text("Copied “four be oriented towards” to the clipboard.")
    page.locator(".rendering button.copy").first.click()
    assert page.evaluate("navigator.clipboard.readText()") == "four be oriented towards"


def test_copy_falls_back_without_the_clipboard_api(page: Any) -> None:
    open_page(page, "/?id=st-powerhouse")
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.locator(".rendering button.copy").nth(2).click()
    expect(page.locator(".rendering button.copy").nth(2)).to_have_text(re.compile("Copied"))
    reader = page.context.new_page()  # this page's clipboard API is gone: read it back from another
    reader.goto("./")
    assert reader.evaluate("navigator.clipboard.readText()") == "leading country in science and technology"
    reader.close()


# ---- simplified / traditional -------------------------------------------------------------------------


def test_traditional_toggle_is_applied_and_remembered(page: Any) -> None:
    open_page(page, "/?id=four-orientations")
    page.get_by_label("Traditional").check()
    title = page.locator("#entry-title")
    expect(title).to_have_text("四個面向")
    expect(title).to_have_attribute("lang", "zh-Hant")
    expect(page.locator(".members li .member-zh").first).to_have_text("面向世界科技前沿")  # same in both
    expect(page.locator(".members li .member-zh").nth(1)).to_have_text("面向經濟主戰場")
    page.reload()
    page.wait_for_selector("html[data-loaded]", state="attached")
    expect(page.locator("#entry-title")).to_have_text("四個面向")
    expect(page.get_by_label("Traditional")).to_be_checked()
    page.get_by_label("Simplified").check()
    expect(page.locator("#entry-title")).to_have_text("四个面向")


# ---- the check panel ----------------------------------------------------------------------------------


def test_check_highlights_the_term_in_a_pasted_draft(page: Any) -> None:
    open_page(page)
    page.get_by_role("link", name="Check a draft").click()
    expect(page).to_have_url(re.compile(r"\?view=check$"))
    expect(page.locator("#check-title")).to_be_focused()  # a screen reader hears where it is
    page.get_by_role("textbox", name="Draft", exact=True).fill(DRAFT)
    page.get_by_role("button", name="Check", exact=True).click()
    mark = page.locator("#check-marked mark", has_text="揭榜挂帅")
    expect(mark).to_have_count(1)
    expect(page.locator("#check-marked mark")).to_have_text(["揭榜挂帅", "四个面向"])
    expect(page.locator("#check-marked")).to_have_attribute("lang", "zh-Hans")
    # The marked text is the draft, exactly, once the footnote numbers are left out.
    shown = page.locator("#check-marked").evaluate(
        "el => { const c = el.cloneNode(true); c.querySelectorAll('sup').forEach(s => s.remove());"
        " return c.textContent; }"
    )
    assert shown == DRAFT
    item = page.locator("#check-findings li").first
    expect(item).to_contain_text("揭榜挂帅")
    summary = re.compile(r"^2 findings: 0 errors, 0 warnings, 2 terms found")
    expect(page.locator("#check-status")).to_have_text(summary)
    item.get_by_role("link", name="Open the entry").click()
    expect(page.locator("#entry-title")).to_have_text("揭榜挂帅")
    page.go_back()
    expect(page.locator("#check-marked mark").first).to_have_text("揭榜挂帅")  # the check is still there


def test_check_offsets_are_code_points(page: Any) -> None:
    """A character outside the BMP before a term shifts UTF-16 offsets by one: the mark must not."""
    draft = "𠀀 and the winner-takes-all open competition 👍 mechanism"
    open_page(page, "/?view=check")
    page.get_by_role("textbox", name="Draft", exact=True).fill(draft)
    page.get_by_role("textbox", name="Draft", exact=True).press("Control+Enter")
    expect(page.locator("#check-marked mark").first).to_have_text("winner-takes-all open competition")


def test_check_source_and_target_flags_a_missing_rendering(page: Any) -> None:
    open_page(page, "/?view=check")
    page.get_by_label("A source and its translation").check()
    page.get_by_label("Source (Chinese)").fill("推行揭榜挂帅。\n坚持四个面向。")
    page.get_by_label("Translation (English)").fill(
        "Promote the reward scheme.\nAdhere to the four be oriented towards."
    )
    page.get_by_role("button", name="Check", exact=True).click()
    rows = page.locator("#check-marked .segment")
    expect(rows).to_have_count(2)
    missing = page.locator("#check-findings li[data-kind='missing_rendering']")
    expect(missing).to_have_count(1)
    expect(missing).to_contain_text("揭榜挂帅")
    expect(missing).to_contain_text("winner-takes-all open competition")  # the suggestion
    expect(rows.nth(0).locator("mark.sev-error")).to_have_text("揭榜挂帅")
    expect(rows.nth(1).locator("mark").first).to_have_text("四个面向")


def test_check_can_accept_only_one_sources_renderings(page: Any) -> None:
    """The government's English is attested, but not by CSET: working to CSET's renderings, it is missing."""
    open_page(page, "/?view=check")
    page.get_by_label("A source and its translation").check()
    page.get_by_label("Source (Chinese)").fill("建设科技强国。")
    page.get_by_label("Translation (English)").fill("Build a leading country in science and technology.")
    check = page.get_by_role("button", name="Check", exact=True)
    check.click()
    expect(page.locator("#check-status")).to_have_text(re.compile(r"^2 findings: 0 errors"))
    page.get_by_text("Accept only renderings from these sources").click()
    page.get_by_role("checkbox", name=re.compile("2022 Nationwide S&T Work Conference")).check()
    check.click()
    expect(page.locator("#check-status")).to_have_text(re.compile(r"^3 findings: 1 error"))
    missing = page.locator("#check-findings li[data-kind='missing_rendering']")
    expect(missing).to_contain_text("S&T powerhouse")


def test_the_draft_survives_a_reload(page: Any) -> None:
    open_page(page, "/?view=check")
    page.get_by_label("A source and its translation").check()
    page.get_by_label("Source (Chinese)").fill("推行揭榜挂帅。")
    page.reload()
    page.wait_for_selector("html[data-loaded]", state="attached")
    expect(page.get_by_label("A source and its translation")).to_be_checked()
    expect(page.get_by_label("Source (Chinese)")).to_have_value("推行揭榜挂帅。")


# ---- safety -------------------------------------------------------------------------------------------


def test_entry_text_is_shown_as_text_never_run(browser: Any, hostile_server: Server) -> None:
    context = browser.new_context(viewport=DESKTOP, base_url=hostile_server.url)
    page = context.new_page()
    try:
        open_page(page, "/?id=two-establishes")
        expect(page.locator(".note").first.locator(".note-text")).to_have_text(HOSTILE_NOTE)
        expect(page.locator(".note").first.locator(".note-label")).to_have_text("Editor's note <i>x</i>")
        expect(page.locator(".rendering-note").first).to_have_text(HOSTILE_NOTE)
        expect(page.locator(".rendering-en").nth(1)).to_have_text("the <b>两个确立</b>")
        assert page.evaluate(UNMARKED_CHINESE_JS) == []  # Chinese inside English data is marked as Chinese
        page.wait_for_timeout(300)
        assert page.evaluate("window.__pwned") is None
        assert page.locator("#entry img, #entry script, #entry b, #entry i").count() == 0
    finally:
        context.close()


def test_search_snippets_are_shown_as_text_never_run(browser: Any, hostile_server: Server) -> None:
    """The server escapes snippets and marks matches; the page unescapes into text nodes, never HTML."""
    context = browser.new_context(viewport=DESKTOP, base_url=hostile_server.url)
    page = context.new_page()
    try:
        open_page(page, "/?q=onerror")
        snippet = results(page).first.locator(".snippet")
        expect(snippet).to_contain_text('</script><img src=x onerror="window.__pwned = 2"> & <b>bold')
        expect(snippet.locator("mark")).to_have_text("onerror")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__pwned") is None
        assert page.locator("#results script, #results img, #results b").count() == 0
    finally:
        context.close()


# ---- layout, accessibility, screenshots ---------------------------------------------------------------

CONTRAST_JS = """
() => {
  const parse = c => {
    const m = c.match(/[\\d.]+/g).map(Number);
    return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1};
  };
  const lum = ({r, g, b}) => {
    const f = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ground = el => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.a > 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el.getClientRects().length || el.closest('.visually-hidden')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const a = lum(parse(style.color)), b = lum(ground(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const what = `${el.tagName}.${el.className} "${n.textContent.trim().slice(0, 30)}"`;
    if (ratio < need) bad.push(`${what} ${ratio.toFixed(2)}`);
  }
  return bad;
}
"""


UNMARKED_CHINESE_JS = """
() => {
  const han = /[\\u3400-\\u4dbf\\u4e00-\\u9fff]/;
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const lang = n.parentElement.closest('[lang]');
    const chinese = lang && lang.lang.startsWith('zh-Han');
    if (han.test(n.textContent) && !chinese) bad.push(n.textContent.slice(0, 40));
  }
  return bad;
}
"""


def check_view(page: Any) -> None:
    """What every view must satisfy: no sideways scrolling, AA contrast, Chinese marked as Chinese."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways"
    assert page.evaluate(CONTRAST_JS) == []
    assert page.evaluate(UNMARKED_CHINESE_JS) == []


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_views_fit_have_contrast_and_are_photographed(
    browser: Any, server: Server, name: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport, base_url=server.url, device_scale_factor=1,
                                  is_mobile=name == "phone", has_touch=name == "phone")
    page = context.new_page()
    try:
        open_page(page, "/?q=technology")
        expect(results(page).first).to_be_visible()
        check_view(page)
        shoot(page, f"search-{name}")

        open_page(page, "/?id=st-powerhouse&q=technology")
        expect(page.locator(".rendering")).to_have_count(4)
        check_view(page)
        shoot(page, f"entry-{name}")

        open_page(page, "/?view=check")
        page.get_by_label("A source and its translation").check()
        page.get_by_label("Source (Chinese)").fill("要坚持四个面向，推行揭榜挂帅，建设科技强国。")
        page.get_by_label("Translation (English)").fill(
            'We must adhere to the "four be oriented towards," promote the reward scheme, and build a'
            " technological giant."
        )
        page.get_by_role("button", name="Check", exact=True).click()
        expect(page.locator("#check-findings li")).to_have_count(6)
        expect(page.locator("#check-marked mark.sev-error")).to_have_text(["揭榜挂帅", "科技强国"])
        check_view(page)
        shoot(page, f"check-{name}", at="#check-status")
    finally:
        context.close()


def test_focus_is_visible(page: Any) -> None:
    open_page(page, "/?q=four")
    expect(results(page).first).to_be_visible()
    page.locator("#q").focus()
    page.keyboard.press("ArrowDown")
    focused = results(page).first
    style = focused.evaluate("el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]")
    assert style[0] == "solid" and float(style[1].rstrip("px")) >= 2


def test_back_and_forward_between_views(page: Any) -> None:
    open_page(page, "/?q=sgmx")
    expect(results(page)).to_have_count(1)
    results(page).first.click()
    expect(page.locator("#entry-title")).to_have_text("四个面向")
    page.get_by_role("link", name="Check a draft").click()
    expect(page.locator("#check-title")).to_be_visible()
    page.go_back()
    expect(page.locator("#entry-title")).to_have_text("四个面向")
    expect(page.locator("#check-title")).to_be_hidden()
    page.go_back()
    expect(results(page).first.locator(".result-zh")).to_have_text("四个面向")
    expect(page.locator("#entry")).to_be_hidden()
    page.go_forward()
    expect(page.locator("#entry-title")).to_have_text("四个面向")
