"""Every error path of the app answers with one shape: RFC 9457 problem details, never HTML or a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service import create_app
from service.problems import Problem

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"

PROBLEM = "application/problem+json"
TWO_MB = 2 * 1024 * 1024

# (method, url, request options, status, a word the detail must contain)
CASES = [
    ("GET", "/nope", {}, 404, "not found"),
    ("GET", "/api/v1/nope", {}, 404, "not found"),
    ("GET", "/api/v2/terms", {}, 404, "not found"),
    ("GET", "/api/v1/terms/no-such-term", {}, 404, "no-such-term"),
    ("GET", "/api/v1/terms/..%2F..%2Fetc%2Fpasswd", {}, 404, "not found"),
    ("GET", "/api/v1/terms/%2E%2E", {}, 404, ".."),
    ("GET", "/api/v1/terms/" + "a" * 300, {}, 404, "no entry"),
    ("GET", "/static/../app.py", {}, 404, "not found"),
    ("DELETE", "/api/v1/terms", {}, 405, "not allowed"),
    ("POST", "/api/v1/terms/four-orientations", {"json": {}}, 405, "not allowed"),
    ("PUT", "/api/v1/health", {}, 405, "not allowed"),
    ("POST", "/", {}, 405, "not allowed"),
    ("POST", "/api/v1/search?q=x", {"json": {}}, 405, "not allowed"),
    ("GET", "/api/v1/check", {}, 405, "not allowed"),
    ("GET", "/api/v1/search", {}, 400, "query.q"),
    ("GET", "/api/v1/search?q=", {}, 400, "query.q"),
    ("GET", "/api/v1/search?q=" + "x" * 201, {}, 400, "at most 200"),
    ("GET", "/api/v1/search?q=x&limit=101", {}, 400, "query.limit"),
    ("GET", "/api/v1/search?q=x&layer=cedict", {}, 400, "query.layer"),
    ("GET", "/api/v1/search?q=x&category=nope", {}, 400, "query.category"),
    ("GET", "/api/v1/search?q=%01%02", {}, 400, "control characters"),
    ("GET", "/api/v1/terms?limit=0", {}, 400, "query.limit"),
    ("GET", "/api/v1/terms?limit=101", {}, 400, "less than or equal to 100"),
    ("GET", "/api/v1/terms?limit=ten", {}, 400, "valid integer"),
    ("GET", "/api/v1/terms?offset=-1", {}, 400, "query.offset"),
    ("GET", "/api/v1/terms?offset=10001", {}, 400, "query.offset"),
    ("GET", "/api/v1/terms?category=slogans", {}, 400, "query.category"),
    ("GET", "/api/v1/terms?status=official", {}, 400, "query.status"),
    ("GET", "/api/v1/pinyin", {}, 400, "query.text"),
    ("GET", "/api/v1/pinyin?text=", {}, 400, "query.text"),
    ("GET", "/api/v1/pinyin?text=" + "中" * 1001, {}, 400, "at most 1000"),
    ("GET", "/api/v1/export?format=docx", {}, 400, "query.format"),
]


def assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    """The response is a problem-details document for `status`, and returns it."""
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    Problem.model_validate(body)  # the shape the OpenAPI document promises
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"]
    assert body["detail"]
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "<html" not in text.lower()
    # Errors are API responses too: the same security and CORS headers apply.
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    return body


@pytest.mark.parametrize(("method", "url", "options", "status", "word"), CASES)
def test_error_paths_return_problem_details(client, method, url, options, status, word) -> None:
    """Routing errors, wrong methods, bad query strings: each is a problem with a useful detail."""
    body = assert_problem(client.open(url, method=method, **options), status)
    assert word.lower() in body["detail"].lower()
    assert body["instance"].startswith("/")


@pytest.mark.parametrize("url", ["/api/v1/terms?limit=0&offset=-1&category=x", "/api/v1/pinyin?text="])
def test_validation_errors_list_every_field(client, url: str) -> None:
    """A 400 for invalid input names each offending field, with pydantic's error type, and not the input."""
    body = assert_problem(client.get(url), 400)
    errors = body["errors"]
    assert errors and all(set(e) == {"loc", "msg", "type"} for e in errors)
    expected = {part.split("=")[0] for part in url.split("?")[1].split("&")}
    assert {e["loc"].removeprefix("query.") for e in errors} == expected


def test_method_not_allowed_says_what_is_allowed(client) -> None:
    """A 405 problem keeps the Allow header."""
    response = client.delete("/api/v1/terms")
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


# ---- bodies: the check endpoint is the API's one POST ---------------------------------------------------



def test_malformed_json_is_a_400_naming_the_parse_error(client) -> None:
    """A body that is not valid JSON is refused before validation, saying where it broke."""
    response = client.post("/api/v1/check", data=b'{"text": "oops",', content_type="application/json")
    body = assert_problem(response, 400)
    assert "malformed json" in body["detail"].lower()


def test_body_that_is_not_json_is_a_415(client) -> None:
    """A body declared as something other than JSON is an unsupported media type."""
    response = client.post("/api/v1/check", data="四个面向", content_type="text/plain")
    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]


def test_body_over_two_megabytes_is_a_413(client) -> None:
    """The body limit is enforced with a problem, whatever the body holds."""
    response = client.post("/api/v1/check", data=b"x" * (TWO_MB + 1), content_type="application/json")
    body = assert_problem(response, 413)
    assert "large" in body["detail"].lower()


@pytest.mark.parametrize(
    ("body", "word"),
    [
        ('{"text": "\\ud800四个面向"}', "lone surrogate"),
        ('{"segments": [{"source": "\\udfff", "target": "x"}]}', "lone surrogate"),
        ('{"\\ud800": 1}', "lone surrogate"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"text": "x"', "malformed json"),
        ("", "malformed json"),
    ],
)
def test_hostile_json_is_a_400_not_a_crash(client, body: str, word: str) -> None:
    """JSON that parses into something no text can hold, or that would exhaust the parser, is refused."""
    response = client.post("/api/v1/check", data=body, content_type="application/json")
    assert word in assert_problem(response, 400)["detail"].lower()


def test_surrogate_pairs_are_characters(client) -> None:
    """An escaped surrogate pair is a character (an emoji) like any other, and is checked."""
    body = '{"text": "\\ud83d\\ude00 四个面向"}'
    response = client.post("/api/v1/check", data=body, content_type="application/json")
    assert response.status_code == 200
    assert [f["term_id"] for f in response.get_json()["findings"]] == ["four-orientations"]


@pytest.mark.parametrize(
    ("payload", "locations"),
    [
        ({"txt": 1}, {"body.txt"}),
        ({"text": 1}, {"body.text"}),
        ({"text": "x", "segments": []}, {"body"}),
        ({"segments": [{"source": "中"}]}, {"body.segments[0].target"}),
        ({"text": "x", "lang": "fr"}, {"body.lang"}),
        ({"text": "x", "strict": 0.0}, {"body.strict"}),  # JSON types as documented, no lax coercion
        ({"text": "x", "strict": "true"}, {"body.strict"}),
        ({"text": "x", "sources": "cset"}, {"body.sources"}),
        ([], {"body"}),
        ("四个面向", {"body"}),
        (None, {"body"}),
    ],
)
def test_json_of_the_wrong_shape_is_a_400_with_field_errors(client, payload: object, locations: set) -> None:
    """Valid JSON that is not a check request lists what is wrong with it, field by field."""
    response = client.post("/api/v1/check", data=json.dumps(payload), content_type="application/json")
    body = assert_problem(response, 400)
    assert {e["loc"] for e in body["errors"]} == locations


# ---- the unexpected ----------------------------------------------------------------------------------


def test_unexpected_exception_is_a_500_without_a_stack_trace(index_root) -> None:
    """A bug in a view is logged for the operator and answered with a bare 500 problem."""
    app = create_app({"DATA_DIR": FIXTURE_DATA, "INDEX_DIR": index_root, "REFERENCE": False})

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    body = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert body["title"] == "Internal Server Error"
