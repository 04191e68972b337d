"""API fuzzing: schemathesis drives every operation of the app's own OpenAPI document through the real app.

Schemathesis generates requests from `/api/v1/openapi.json` — valid ones ("positive": they must be served)
and invalid ones ("negative": they must be refused with a 4xx) — and checks every response against the
document: no 5xx, a documented status, the declared media type (errors are `application/problem+json`)
and a body that validates against the declared schema. On top of its checks, every response here must be a
problem details object when it is an error, and carry the security headers.

About 2,600 requests in all (POSITIVE/NEGATIVE examples per operation and mode, below); set
GLOSSARY_FUZZ_SCALE=4 for a deeper run.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from glossary.base import store

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
REAL_DATA = Path(__file__).resolve().parent.parent / "data"
SCALE = float(os.environ.get("GLOSSARY_FUZZ_SCALE", "1"))
POSITIVE = int(250 * SCALE)
NEGATIVE = int(200 * SCALE)

#: Every operation of the document; test_every_operation_is_fuzzed fails when one is added and not here.
WITH_PARAMETERS = [
    "GET /api/v1/search",
    "GET /api/v1/terms/{id}",
    "GET /api/v1/terms/{id}/usage",
    "GET /api/v1/terms",
    "POST /api/v1/check",
    "GET /api/v1/pinyin",
    "GET /api/v1/export",
    "GET /api/v1/terms/{id}/usage",
]
WITHOUT_PARAMETERS = ["GET /api/v1/sources", "GET /api/v1/health"]

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")

#: Requests sent per test id, checked at the end so that a run that generated nothing cannot pass.
SENT: Counter[str] = Counter()


@pytest.fixture(scope="module")
def schema(app):  # type: ignore[no-untyped-def]
    """The app's OpenAPI document, loaded by schemathesis from the app itself (in-process WSGI)."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def assert_our_contract(response: Any) -> None:
    """What every response owes a client beyond the document: security headers; errors as problems."""
    headers = {name.lower(): values[0] for name, values in response.headers.items()}  # lists, lower case
    for header in SECURITY_HEADERS:
        assert headers.get(header.lower()), f"{header} missing on a {response.status_code}"
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400:
        assert headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == response.status_code
        assert problem["title"] and problem.get("detail")
        assert "Traceback" not in response.text


def run_operation(
    schema: Any, label: str, mode: GenerationMode, examples: int, strategy: Any = None, tag: str = ""
) -> None:
    """Send `examples` generated requests to one operation and validate every response."""
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label
    excluded = []
    if label == "POST /api/v1/check" and mode is GenerationMode.POSITIVE:
        # Source ids are data, not schema: a well-formed request naming an unknown source is a 400, which
        # schemathesis would call "valid data rejected". That 400 is asserted precisely instead.
        excluded.append(positive_data_acceptance)
    key = f"{label} {mode.value}{tag}"

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(case=strategy if strategy is not None else operation.as_strategy(generation_mode=mode))
    def fuzz(case: Any) -> None:
        SENT[key] += 1
        # identity: schemathesis's WSGI transport sends Accept-Encoding: gzip but hands the body on undecoded.
        response = case.call(headers={"Accept-Encoding": "identity"})
        case.validate_response(response, excluded_checks=excluded)
        assert_our_contract(response)
        if excluded and response.status_code == 400:
            assert "unknown source" in response.json()["detail"], response.text

    fuzz()


@pytest.mark.parametrize("label", WITH_PARAMETERS)
def test_valid_requests_are_served_as_documented(schema, label: str) -> None:  # type: ignore[no-untyped-def]
    """Schema-valid requests: a documented 2xx (or 404 for an unknown id), the declared body, never a 5xx."""
    run_operation(schema, label, GenerationMode.POSITIVE, POSITIVE)
    assert SENT[f"{label} positive"] >= POSITIVE // 2


#: Any string is a well-formed id (an unknown one is a 404), so there is no invalid request to generate for
#: /terms/{id}: test_security sends overlong and hostile ids.
NEGATABLE = [label for label in WITH_PARAMETERS if label != "GET /api/v1/terms/{id}"]


@pytest.mark.parametrize("label", NEGATABLE)
def test_invalid_requests_are_refused_with_problems(schema, label: str) -> None:  # type: ignore[no-untyped-def]
    """Schema-invalid requests (wrong types, out of range, too long, missing): a 4xx problem, never a 5xx."""
    run_operation(schema, label, GenerationMode.NEGATIVE, NEGATIVE)
    assert SENT[f"{label} negative"] >= NEGATIVE // 2


@pytest.mark.parametrize("label", WITHOUT_PARAMETERS)
def test_operations_without_parameters(schema, label: str) -> None:  # type: ignore[no-untyped-def]
    """Operations that take nothing: the one possible request is served as documented."""
    run_operation(schema, label, GenerationMode.POSITIVE, 5)
    assert SENT[f"{label} positive"] >= 1


def test_existing_terms_are_served_as_documented(schema) -> None:  # type: ignore[no-untyped-def]
    """Every real id (random ones are almost never entries): each whole entry validates against `Entry`."""
    operation = schema.find_operation_by_label("GET /api/v1/terms/{id}")
    ids = sorted(store.load(FIXTURE_DATA).entries)
    strategy = st.sampled_from(ids).flatmap(lambda i: operation.as_strategy(path_parameters={"id": i}))
    run_operation(schema, "GET /api/v1/terms/{id}", GenerationMode.POSITIVE, 5 * len(ids), strategy)


@pytest.fixture(scope="module")
def real_schema(index_root: Path):  # type: ignore[no-untyped-def]
    """The same document, loaded from an app over the real curated base."""
    from service import create_app

    app = create_app({"DATA_DIR": REAL_DATA, "INDEX_DIR": index_root, "REFERENCE": False, "TESTING": True})
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize(
    ("label", "values"),
    [("GET /api/v1/terms/{id}", "ids"), ("GET /api/v1/search", "queries"), ("POST /api/v1/check", "drafts")],
)
def test_the_real_base_is_served_as_documented(real_schema, label: str, values: str) -> None:  # type: ignore[no-untyped-def]
    """Every real entry, and searches and checks of every real term, validate against the document."""
    base = store.load(REAL_DATA)
    operation = real_schema.find_operation_by_label(label)
    if values == "ids":
        ids = sorted(base.entries)
        strategy = st.sampled_from(ids).flatmap(lambda i: operation.as_strategy(path_parameters={"id": i}))
    elif values == "queries":
        every = {f for e in base.entries.values() for f in (e.zh, e.pinyin, e.preferred.en)}
        # (a few quoted renderings are longer than a query: not valid requests)
        forms = sorted(f for f in every if 0 < len(f) <= 200)
        strategy = st.sampled_from(forms).flatmap(
            lambda q: operation.as_strategy(query={"q": q, "limit": 100})
        )
    else:
        terms = sorted({e.zh for e in base.entries.values()})
        strategy = st.lists(st.sampled_from(terms), min_size=1, max_size=8).flatmap(
            lambda found: operation.as_strategy(body={"text": "，".join(found)})
        )
    run_operation(real_schema, label, GenerationMode.POSITIVE, len(base.entries), strategy, " (real base)")


def test_every_operation_is_fuzzed(schema) -> None:  # type: ignore[no-untyped-def]
    """The lists above name every operation of the document, so a new endpoint cannot escape fuzzing."""
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert labels == set(WITH_PARAMETERS) | set(WITHOUT_PARAMETERS)
    # Run after the tests above (file order), `pytest -rP` shows how many requests each one sent.
    print(f"requests sent: {sum(SENT.values())}", dict(sorted(SENT.items())))
