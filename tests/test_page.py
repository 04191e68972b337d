"""The lookup page by structure: what `/` serves, and what the HTML, CSS and script may and may not contain.

The page is also driven end to end in a real browser (tests/test_browser.py); these tests run everywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html

STATIC = Path(__file__).resolve().parent.parent / "service" / "static"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@pytest.fixture(scope="module")
def page(app):  # type: ignore[no-untyped-def]
    """The page as the app serves it, parsed."""
    response = get(app.test_client(), "/")
    assert response.status_code == 200
    return html.fromstring(response.get_data(as_text=True))


def get(client, path: str):  # type: ignore[no-untyped-def]
    """GET `path`, body read and file closed (static files are streamed from open files)."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


def one(tree: html.HtmlElement, xpath: str) -> html.HtmlElement:
    """The single element `xpath` selects."""
    found = tree.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} elements"
    return found[0]


# ---- what / serves ------------------------------------------------------------------------------------


def test_page_is_html_with_a_policy_that_forbids_inline_script(client) -> None:  # type: ignore[no-untyped-def]
    response = get(client, "/")
    assert response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [
        ("/static/js/main.js", "text/javascript"),
        ("/static/style.css", "text/css"),
        ("/static/favicon.svg", "image/svg+xml"),
    ],
)
def test_assets_are_served(client, path: str, mimetype: str) -> None:  # type: ignore[no-untyped-def]
    response = get(client, path)
    assert response.status_code == 200
    assert response.mimetype == mimetype


def test_every_asset_the_page_names_is_served_from_the_app(client, page) -> None:  # type: ignore[no-untyped-def]
    refs = page.xpath("//script/@src | //link/@href | //img/@src")
    assert refs
    for ref in refs:
        assert not re.match(r"^([a-z]+:)?//", ref), f"{ref} is loaded from outside"
        assert get(client, "/" + ref.lstrip("./")).status_code == 200, ref


def test_sources_endpoint_gives_what_the_page_cites(client) -> None:  # type: ignore[no-untyped-def]
    """Entries cite sources by id; the page shows title, publisher, date and link from /api/v1/sources."""
    response = get(client, "/api/v1/sources")
    assert response.status_code == 200
    sources = {s["id"]: s for s in response.get_json()["sources"]}
    cset = sources["cset-2022-st-conference"]
    assert cset["title"] == "2022 Nationwide S&T Work Conference Convened in Beijing"
    assert cset["publisher"].startswith("CSET")
    assert cset["date"] == "2022-01-24"
    assert cset["url"].startswith("http://most.gov.cn/")
    assert "digichina-2021-xi-2018-speech" in sources
    again = client.get("/api/v1/sources", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


# ---- nothing inline, nothing from outside -------------------------------------------------------------


def test_no_inline_script_style_or_handlers(page) -> None:  # type: ignore[no-untyped-def]
    for script in page.xpath("//script"):
        assert script.get("src"), "inline <script> is blocked by the Content-Security-Policy"
        assert not (script.text or "").strip()
    assert not page.xpath("//style"), "inline <style> is blocked by the Content-Security-Policy"
    assert not page.xpath("//*[@style]")
    handlers = [(el.tag, name) for el in page.iter() for name in el.attrib if name.lower().startswith("on")]
    assert not handlers


SCRIPTS = sorted(p.relative_to(STATIC).as_posix() for p in (STATIC / "js").glob("*.js"))


def test_every_module_the_scripts_import_is_served(client) -> None:  # type: ignore[no-untyped-def]
    assert "js/main.js" in SCRIPTS
    for name in SCRIPTS:
        for imported in re.findall(r'^import .* from "(\./[\w.-]+)";', (STATIC / name).read_text(), re.M):
            path = f"/static/js/{imported[2:]}"
            response = get(client, path)
            assert response.status_code == 200 and response.mimetype == "text/javascript", (name, imported)


@pytest.mark.parametrize("name", ["index.html", "style.css", *SCRIPTS])
def test_nothing_is_loaded_from_outside(name: str) -> None:
    text = (STATIC / name).read_text(encoding="utf-8")
    assert "@import" not in text
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_never_parses_text_as_html(name: str) -> None:
    """Entry and draft text reach the page as text nodes: none of the HTML-parsing sinks is used."""
    script = (STATIC / name).read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "DOMParser", "createContextualFragment"):
        assert sink not in script, sink


# ---- structure and accessibility ----------------------------------------------------------------------


def test_document_language_viewport_and_title(page) -> None:  # type: ignore[no-untyped-def]
    assert page.get("lang") == "en"
    viewport = one(page, "//meta[@name='viewport']").get("content")
    assert "width=device-width" in viewport
    assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport
    assert page.findtext(".//title").strip()


def test_ids_are_unique(page) -> None:  # type: ignore[no-untyped-def]
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_every_control_has_a_label(page) -> None:  # type: ignore[no-untyped-def]
    controls = page.xpath("//input[not(@type='hidden')] | //textarea | //select")
    assert len(controls) >= 8
    for control in controls:
        cid = control.get("id")
        labelled = (
            (cid and page.xpath(f"//label[@for='{cid}']"))
            or control.xpath("ancestor::label")
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        assert labelled, f"unlabelled {control.tag} {cid or control.get('name')}"


def test_every_button_has_a_name(page) -> None:  # type: ignore[no-untyped-def]
    for button in page.xpath("//button"):
        assert button.text_content().strip() or button.get("aria-label")


def test_search_box_and_results(page) -> None:  # type: ignore[no-untyped-def]
    form = one(page, "//form[@role='search']")
    box = one(form, ".//input[@id='q']")
    assert box.get("type") == "search"
    assert box.get("name") == "q"  # without script the form still makes a shareable ?q= link
    assert box.get("aria-controls") == "results"
    assert one(page, "//*[@id='results']").tag == "ol"
    assert "/" in one(page, f"//*[@id='{box.get('aria-describedby')}']").text_content()


@pytest.mark.parametrize("region", ["search-status", "check-status", "announcer"])
def test_live_regions_announce_politely(page, region: str) -> None:  # type: ignore[no-untyped-def]
    el = one(page, f"//*[@id='{region}']")
    assert el.get("role") == "status"
    assert el.get("aria-live") == "polite"


def test_views_and_navigation(page) -> None:  # type: ignore[no-untyped-def]
    for view in ("lookup", "entry", "check"):
        one(page, f"//main//*[@id='{view}']")
    assert one(page, "//nav//a[@id='nav-check']").get("href") == "./?view=check"
    one(page, "//a[@class='skip-link'][@href='#main']")
    one(page, "//main[@id='main']")


def test_script_toggle_offers_both_scripts(page) -> None:  # type: ignore[no-untyped-def]
    radios = page.xpath("//fieldset[legend]//input[@type='radio'][@name='script']")
    assert [r.get("value") for r in radios] == ["hans", "hant"]


def test_check_panel_takes_one_text_or_source_and_target(page) -> None:  # type: ignore[no-untyped-def]
    form = one(page, "//form[@id='check-form']")
    assert [r.get("value") for r in form.xpath(".//input[@name='mode']")] == ["text", "segments"]
    assert one(form, ".//textarea[@id='check-source']").get("lang") == "zh-Hans"
    assert one(form, ".//textarea[@id='check-target']").get("lang") == "en"
    one(form, ".//textarea[@id='check-text']")
    one(form, ".//button[@type='submit']")


def test_chinese_text_is_marked_as_chinese(page) -> None:  # type: ignore[no-untyped-def]
    """Screen readers and fonts need lang on Chinese: every Han character sits inside a lang="zh-…"."""
    for el in page.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "title", "meta"):
            continue
        texts = [el.text or ""] + [child.tail or "" for child in el]
        if any(HAN.search(t) for t in texts):
            langs = [a.get("lang") for a in [el, *el.iterancestors()] if a.get("lang")]
            assert langs and langs[0].startswith("zh-Han"), f"<{el.tag}> {''.join(texts).strip()!r}"


# ---- colours ------------------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(
    ("ink", "ground"),
    [
        ("--ink", "--paper"), ("--muted", "--paper"), ("--muted", "--wash"), ("--link", "--paper"),
        ("--link", "--wash"), ("--accent", "--paper"), ("--accent", "--wash"), ("--ok-ink", "--ok-bg"),
        ("--info-ink", "--info-bg"), ("--warn-ink", "--warn-bg"), ("--err-ink", "--err-bg"),
        ("--ref-ink", "--ref-bg"), ("--ink", "--err-bg"), ("--ink", "--warn-bg"), ("--ink", "--info-bg"),
    ],
)
def test_palette_meets_wcag_aa(ink: str, ground: str) -> None:
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    palette = dict(re.findall(r"(--[a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    assert contrast(palette[ink], palette[ground]) >= 4.5, (ink, ground)
