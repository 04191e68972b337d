"""Compression (flask-compress): gzip for large responses, `Vary: Accept-Encoding`, and ETags that stay right
when the body is compressed."""

from __future__ import annotations

import gzip

import pytest
from test_serve import get, server  # noqa: F401  (server: a fixture, `glossary serve` under gunicorn)

GZIP = {"Accept-Encoding": "gzip"}
LARGE = ["/api/v1/export?format=json", "/api/v1/export?format=tbx", "/api/v1/terms?limit=100"]


@pytest.mark.parametrize("url", LARGE)
def test_large_responses_are_gzipped(client, url: str) -> None:  # type: ignore[no-untyped-def]
    plain = client.get(url)
    packed = client.get(url, headers=GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    for response in (plain, packed):
        assert "Accept-Encoding" in response.headers["Vary"]


def test_small_responses_go_as_they_are(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/terms/no-such-term", headers=GZIP)
    assert response.status_code == 404 and len(response.data) < 1024
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]


@pytest.mark.parametrize("url", LARGE)
def test_etag_names_the_representation_and_revalidates(client, url: str) -> None:  # type: ignore[no-untyped-def]
    """The gzipped body's strong ETag differs from the plain body's (RFC 9110 8.8.3); each revalidates to a
    304 carrying the tag the client holds, and a tag of another version gets the whole body again."""
    plain = client.get(url)
    packed = client.get(url, headers=GZIP)
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + ':gzip"'
    for response, request_headers in ((plain, {}), (packed, GZIP)):
        again = client.get(url, headers={**request_headers, "If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == response.headers["ETag"]
        assert "Accept-Encoding" in again.headers["Vary"]
    stale = client.get(url, headers={**GZIP, "If-None-Match": '"v1-0000000000000000:gzip"'})
    assert stale.status_code == 200 and stale.headers["Content-Encoding"] == "gzip"


def test_gunicorn_serves_gzip(server: str) -> None:  # noqa: F811
    """The real server: `glossary serve` compresses too (urllib does not decompress: the bytes are gzip)."""
    status, headers, body = get(f"{server}/api/v1/export?format=json", GZIP)
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"[")
    url = f"{server}/api/v1/export?format=json"
    status, again, _ = get(url, {**GZIP, "If-None-Match": headers["ETag"]})
    assert status == 304 and again["ETag"] == headers["ETag"]
