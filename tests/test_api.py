"""The `/api/v1` endpoints, driven through the real app (Flask test client) on the fixture and real bases."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from openapi_spec_validator import validate

from glossary.base import store
from glossary.base.model import Entry
from glossary.check.report import CheckReport
from glossary.export import FORMATS, render
from glossary.search.searcher import SearchResults
from service import create_app
from service.api import TermsPage

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
FIXTURE = store.load(FIXTURE_DATA)


# ---- search --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "first", "field", "kind"),
    [
        ("四个面向", "four-orientations", "zh", "characters"),
        ("四個面向", "four-orientations", "zh_hant", "characters"),
        ("sì gè miàn xiàng", "four-orientations", "pinyin", "toned"),
        ("si4 ge4 mian4 xiang4", "four-orientations", "pinyin", "toned"),
        ("si ge mian xiang", "four-orientations", "pinyin", "toneless"),
        ("sgmx", "four-orientations", "pinyin", "initials"),
        ("揭榜挂帅", "winner-takes-all-open-competition", "zh", "characters"),
        ("S&T powerhouse", "st-powerhouse", "renderings", "rendering"),
        ("powerhose", "st-powerhouse", "renderings", "fuzzy"),
    ],
)
def test_search_finds_a_term_in_any_form(client, q: str, first: str, field: str, kind: str) -> None:
    """GET /search takes characters, pinyin in any form or English, and says what matched."""
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200
    body = SearchResults.model_validate(response.get_json())
    assert body.total >= 1
    top = body.results[0]
    assert (top.id, top.match.field, top.match.kind) == (first, field, kind)
    entry = FIXTURE.entries[first]
    shown = (top.zh, top.zh_hant, top.pinyin, top.preferred)
    assert shown == (entry.zh, entry.zh_hant, entry.pinyin, entry.preferred.en)
    assert top.layer == "curated"


def test_search_result_has_the_issue_shape(client) -> None:
    """The JSON names are the contract: query, total, results with id … match {field, form}, snippet."""
    body = client.get("/api/v1/search?q=%E7%A7%91%E6%8A%80").get_json()
    assert set(body) == {"query", "total", "results"}
    for result in body["results"]:
        fields = {"id", "zh", "zh_hant", "pinyin", "preferred", "category", "layer", "match", "snippet"}
        assert fields <= set(result)
        assert {"field", "form"} <= set(result["match"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "科技"}, ["st-powerhouse", "four-orientations"]),
        ({"q": "科技", "limit": 1}, ["st-powerhouse"]),
        ({"q": "科技", "limit": 1, "offset": 1}, ["four-orientations"]),
        ({"q": "科技", "category": "formula"}, ["four-orientations"]),
        ({"q": "科技", "layer": "reference"}, []),
        ({"q": "zzzz"}, []),
    ],
)
def test_search_pages_and_filters(client, params: dict[str, object], expected: list[str]) -> None:
    """limit, offset, category and layer narrow the results; total counts all pages."""
    body = client.get("/api/v1/search", query_string=params).get_json()
    assert [r["id"] for r in body["results"]] == expected
    assert body["total"] >= len(expected)


# ---- check ---------------------------------------------------------------------------------------------


def test_check_reports_terms_in_a_draft(client) -> None:
    """POST /check with a Chinese text finds each term, with offsets into the text as sent."""
    text = "我们要建设科技强国，坚持四个面向。"
    response = client.post("/api/v1/check", json={"text": text})
    assert response.status_code == 200
    report = CheckReport.model_validate(response.get_json())
    assert [(f.term_id, text[f.start : f.end]) for f in report.findings] == [
        ("st-powerhouse", "科技强国"),
        ("four-orientations", "四个面向"),
    ]
    assert report.summary.version == FIXTURE.version
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_check_flags_an_admitted_rendering_when_strict(client) -> None:
    """Bilingual segments, strict: a rendering that is only admitted is flagged, with the preferred one."""
    entry = FIXTURE.entries["st-powerhouse"]
    admitted = next(r.en for r in entry.renderings if r.status == "admitted")
    segment = {"source": f"建设{entry.zh}。", "target": f"Build a {admitted}."}
    response = client.post("/api/v1/check", json={"segments": [segment], "strict": True})
    found = {(f["term_id"], f["kind"], f["suggestion"]) for f in response.get_json()["findings"]}
    assert (entry.id, "non_preferred_rendering", entry.preferred.en) in found


def test_check_refuses_an_unknown_source(client) -> None:
    """A request naming a source the base does not know is a 400 problem saying which."""
    response = client.post("/api/v1/check", json={"text": "四个面向", "sources": ["no-such-source"]})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "no-such-source" in response.get_json()["detail"]


# ---- picking up a rebuilt index -------------------------------------------------------------------------


def test_rebuilt_index_is_picked_up_without_restart(data_dir: Path, tmp_path: Path) -> None:
    """After data/ changes and the index is rebuilt, the running app serves the new version and ETag."""
    from glossary.search import index

    app = create_app({"DATA_DIR": data_dir, "INDEX_DIR": tmp_path / "index", "REFERENCE": False})
    client = app.test_client()
    before = client.get("/api/v1/terms/four-orientations")
    search = "/api/v1/search?q=%E5%9B%9B%E4%B8%AA%E9%9D%A2%E5%90%91"  # 四个面向: cached from now on
    assert client.get(search).get_json()["results"][0]["preferred"] == "four be oriented towards"
    entry_file = data_dir / "entries" / "four-orientations.yaml"
    entry_file.write_text(entry_file.read_text().replace("four be oriented towards", "four orientations"))
    index.build_curated(store.load(data_dir), tmp_path / "index")  # what `glossary build` does
    deadline = time.monotonic() + 30
    while client.get("/api/v1/health").get_json()["base_version"] == FIXTURE.version:
        assert time.monotonic() < deadline, "the rebuilt index was not picked up"
        time.sleep(0.1)
    after = client.get("/api/v1/terms/four-orientations", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.get_json()["renderings"][0]["en"] == "four orientations"
    assert client.get(search).get_json()["results"][0]["preferred"] == "four orientations"  # not from cache
    found = client.get("/api/v1/search?q=four+orientations").get_json()["results"]
    assert found[0]["preferred"] == "four orientations"


def test_a_new_process_loads_changed_data_not_a_cached_copy(data_dir: Path, tmp_path: Path) -> None:
    """The loaded base is cached per content version: a change to data/ is never hidden by the cache."""
    config = {"DATA_DIR": data_dir, "INDEX_DIR": tmp_path / "index", "REFERENCE": False}
    first = create_app(config).test_client().get("/api/v1/terms/four-orientations").get_json()
    assert first == FIXTURE.entries["four-orientations"].export()
    assert list((tmp_path / "index" / "bases").glob("*.json"))  # cached for the next worker
    entry_file = data_dir / "entries" / "four-orientations.yaml"
    entry_file.write_text(entry_file.read_text().replace("four be oriented towards", "four orientations"))
    second = create_app(config).test_client().get("/api/v1/terms/four-orientations").get_json()
    assert second["renderings"][0]["en"] == "four orientations"


README = Path(__file__).resolve().parent.parent / "README.md"


def readme_requests() -> list[tuple[str, str, str | None]]:
    """The README's curl examples as (method, path, JSON body), continuation lines joined."""
    text = README.read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        if not line.startswith("curl"):
            continue
        url = re.search(r"http://127\.0\.0\.1:8000(/\S*?)'?(?:\s|$)", line)
        body = re.search(r"-d '([^']*)'", line)
        # `curl -G --data-urlencode 'k=v'`: how the README sends Chinese in a URL (gunicorn refuses it raw).
        query = re.search(r"--data-urlencode '([^=']*)=([^']*)'", line)
        if url:
            path = url.group(1)
            if query:
                path += "?" + urlencode({query.group(1): query.group(2)})
            found.append(("POST" if body else "GET", path, body.group(1) if body else None))
    return found


def test_readme_curl_examples_work(client) -> None:
    """Every curl example of the README's HTTP API section answers 200 (here on the fixture base)."""
    examples = readme_requests()
    assert len(examples) >= 8
    for method, path, body in examples:
        content_type = "application/json" if body else None
        response = client.open(path, method=method, data=body, content_type=content_type)
        assert response.status_code == 200, (method, path, response.get_data(as_text=True)[:300])


def has_status(entry: Entry, status: str) -> bool:
    """Does the entry have a rendering of this status?"""
    return any(r.status == status for r in entry.renderings)


# ---- terms ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry_id", sorted(FIXTURE.entries))
def test_term_is_the_entry_as_exported(client, entry_id: str) -> None:
    """GET /terms/<id> is exactly the entry of `glossary export --format json`."""
    response = client.get(f"/api/v1/terms/{entry_id}")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == FIXTURE.entries[entry_id].export()
    Entry.model_validate(response.get_json())  # and it is the schema the OpenAPI document names


def test_term_keeps_chinese_readable(client) -> None:
    """Chinese is sent as UTF-8, not as \\u escapes."""
    response = client.get("/api/v1/terms/four-orientations")
    assert "四个面向" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", sorted(FIXTURE.entries)),
        ("?limit=2", sorted(FIXTURE.entries)[:2]),
        ("?limit=2&offset=2", sorted(FIXTURE.entries)[2:4]),
        ("?offset=100", []),
        ("?category=formula", sorted(i for i, e in FIXTURE.entries.items() if e.category == "formula")),
        ("?category=place", []),
        ("?status=deprecated", sorted(i for i, e in FIXTURE.entries.items() if has_status(e, "deprecated"))),
    ],
)
def test_terms_pages_and_filters(client, query: str, expected: list[str]) -> None:
    """GET /terms lists entries in id order, filtered by category and rendering status, a page at a time."""
    response = client.get(f"/api/v1/terms{query}")
    assert response.status_code == 200
    page = TermsPage.model_validate(response.get_json())
    assert [entry.id for entry in page.entries] == expected


def test_terms_total_counts_every_page(client) -> None:
    """`total` is the count over all pages, `limit` and `offset` echo the request."""
    body = client.get("/api/v1/terms?limit=1&offset=1").get_json()
    assert (body["total"], body["limit"], body["offset"]) == (len(FIXTURE.entries), 1, 1)
    assert len(body["entries"]) == 1


# ---- pinyin --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "marks", "numbers", "toneless", "initials", "traditional"),
    [
        ("四个面向", "sì gè miàn xiàng", "si4 ge4 mian4 xiang4", "si ge mian xiang", "sgmx", "四個面向"),
        ("四個面向", "sì gè miàn xiàng", "si4 ge4 mian4 xiang4", "si ge mian xiang", "sgmx", "四個面向"),
        ("绿色", "lǜ sè", "lv4 se4", "lv se", "ls", "綠色"),
        ("2030年", "2030 nián", "2030 nian2", "2030 nian", "n", "2030年"),
        ("hello", "", "", "", "", "hello"),
    ],
)
def test_pinyin_in_every_form(client, text, marks, numbers, toneless, initials, traditional) -> None:
    """GET /pinyin reads any Chinese text, simplified or traditional, in every written form."""
    response = client.get("/api/v1/pinyin", query_string={"text": text})
    assert response.status_code == 200
    body = response.get_json()
    assert body["pinyin"] == {"marks": marks, "numbers": numbers, "toneless": toneless, "initials": initials}
    assert body["traditional"] == traditional
    assert body["text"] == text


# ---- export --------------------------------------------------------------------------------------------


def test_export_json_is_a_download_of_the_whole_base(client) -> None:
    """GET /export?format=json is the whole base as `glossary export` writes it, as an attachment."""
    response = client.get("/api/v1/export?format=json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    exported = json.loads(response.get_data(as_text=True))
    assert [e["id"] for e in exported] == list(FIXTURE.entries)


def test_export_offers_every_library_format(client) -> None:
    """Every format the library renders is downloadable, with its own media type and file name."""
    names = set()
    for fmt, spec in FORMATS.items():
        response = client.get(f"/api/v1/export?format={fmt}")
        assert response.status_code == 200, fmt
        assert response.content_type == spec.media_type
        content = render(FIXTURE, fmt).content
        assert response.get_data() == (content if isinstance(content, bytes) else content.encode()), fmt
        names.add(response.headers["Content-Disposition"])
    assert len(names) == len(FORMATS)


# ---- health and the OpenAPI document -------------------------------------------------------------------


def test_health_reports_versions_and_counts(client) -> None:
    """GET /health says which data version is served and how much it holds; it is never cached stale."""
    response = client.get("/api/v1/health")
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["entries"] == len(FIXTURE.entries)
    assert body["sources"] == len(FIXTURE.sources)
    assert body["base_version"] == FIXTURE.version
    assert response.headers["Cache-Control"] == "no-cache"


def test_openapi_document_is_valid_and_names_every_endpoint(client) -> None:
    """GET /openapi.json is a valid OpenAPI 3.1 document generated from the models."""
    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc)
    assert doc["openapi"].startswith("3.1")
    endpoints = ["/api/v1/search", "/api/v1/terms/{id}", "/api/v1/terms", "/api/v1/check", "/api/v1/pinyin"]
    endpoints += ["/api/v1/export", "/api/v1/health"]
    assert set(endpoints) <= set(doc["paths"])
    # Every documented error is a problem, declared with the media type it is sent with.
    for path_item in doc["paths"].values():
        for operation in path_item.values():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert list(response["content"]) == ["application/problem+json"], (status, operation)


# ---- HTTP caching ---------------------------------------------------------------------------------------

CACHED = [
    "/api/v1/search?q=%E7%A7%91%E6%8A%80",
    "/api/v1/terms/four-orientations",
    "/api/v1/terms?limit=2",
    "/api/v1/pinyin?text=%E4%B8%AD",
    "/api/v1/export",
    "/api/v1/openapi.json",
]


@pytest.mark.parametrize("tag", ["*", "current"])
def test_an_invalid_search_is_a_400_whatever_the_if_none_match(client, tag: str) -> None:
    """Schemathesis found `If-None-Match: *` turning a query with a control character into a 304."""
    etag = client.get("/api/v1/search?q=sgmx").headers["ETag"]
    response = client.get("/api/v1/search?q=a%16b", headers={"If-None-Match": "*" if tag == "*" else etag})
    assert response.status_code == 400
    assert response.content_type.startswith("application/problem+json")
    assert "control characters" in response.get_json()["detail"]


@pytest.mark.parametrize("url", CACHED)
def test_get_carries_etag_and_if_none_match_gives_304(client, url: str) -> None:
    """Data responses carry an ETag and Cache-Control; asking again with the ETag gives an empty 304."""
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag
    assert "max-age" in first.headers["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    weak = client.get(url, headers={"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304
    stale = client.get(url, headers={"If-None-Match": '"v1-0000000000000000"'})
    assert stale.status_code == 200


def test_etag_is_the_data_version(client) -> None:
    """The ETag of data responses changes exactly when the data does."""
    version = client.get("/api/v1/health").get_json()["version"]
    assert client.get("/api/v1/terms/four-orientations").headers["ETag"] == f'"v1-{version}"'


# ---- CORS and security headers --------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/terms/four-orientations", "/api/v1/health", "/api/v1/terms/nope"])
def test_cors_allows_any_origin_without_credentials(client, url: str) -> None:
    """Browser plug-ins on any origin may read the API; no credentials are ever allowed."""
    response = client.get(url, headers={"Origin": "https://editor.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize("url", ["/api/v1/check", "/api/v1/terms", "/api/v1/search"])
def test_cors_preflight(client, url: str) -> None:
    """A preflight for a JSON POST (the check) or a conditional GET is answered with what is allowed."""
    response = client.options(
        url,
        headers={
            "Origin": "https://editor.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()
    assert int(response.headers["Access-Control-Max-Age"]) > 0


def test_security_headers_on_the_api(client) -> None:
    """API responses may not be sniffed, framed or leak the referrer."""
    headers = client.get("/api/v1/health").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_page_is_served_with_a_content_security_policy(client) -> None:
    """The page at / is HTML, with a policy that allows its own resources only."""
    with client.get("/") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/html"
        headers = response.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Access-Control-Allow-Origin" not in headers


# ---- the real curated base -----------------------------------------------------------------------------


def test_real_base_serves_every_entry(real_data_dir: Path, index_root: Path) -> None:
    """Over the curated base in data/, every entry is served as exported and listed once."""
    base = store.load(real_data_dir)
    app = create_app({"DATA_DIR": real_data_dir, "INDEX_DIR": index_root, "REFERENCE": False})
    client = app.test_client()
    for entry_id, entry in base.entries.items():
        assert client.get(f"/api/v1/terms/{entry_id}").get_json() == entry.export()
    listed = [e["id"] for e in client.get("/api/v1/terms?limit=100").get_json()["entries"]]
    assert listed == list(base.entries)[:100]
    assert client.get("/api/v1/health").get_json()["entries"] == len(base.entries)
