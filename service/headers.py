"""Response headers set on every response: CORS for the API, security headers, and HTTP caching.

CORS is written out here rather than taken from flask-cors: the policy is one fixed rule (any origin, no
credentials, GET and the check POST), which is a handful of headers; flask-cors earns its keep with
per-origin lists and credentials, which this API must not have.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, request

API_PREFIX = "/api/"

#: The API is read by programs, never rendered: it may load nothing and be framed by nobody.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
#: The page loads its own script, style and images only; entry text is inserted as text, never as HTML.
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

_CORS_METHODS = "GET, HEAD, POST, OPTIONS"
_CORS_HEADERS = "Content-Type, If-None-Match"
_CORS_EXPOSE = "ETag, Content-Disposition"


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if request.path.startswith(API_PREFIX):
        headers.setdefault("Content-Security-Policy", API_CSP)
        headers["Access-Control-Allow-Origin"] = "*"
        headers["Access-Control-Expose-Headers"] = _CORS_EXPOSE
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            headers["Access-Control-Allow-Methods"] = _CORS_METHODS
            headers["Access-Control-Allow-Headers"] = _CORS_HEADERS
            headers["Access-Control-Max-Age"] = "86400"
    else:
        headers.setdefault("Content-Security-Policy", PAGE_CSP)
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def register(app: Flask) -> None:
    """Add CORS and security headers to every response of `app`, errors included."""
    app.after_request(_add_headers)


def etag_for(version: str) -> str:
    """The entity tag of a data-derived representation: the data version (quoted by werkzeug)."""
    return f"v1-{version}"


def conditional(version: str, build: Callable[[], Response], *, max_age: int) -> Response:
    """`build()`'s response with ETag and Cache-Control, or 304 when the client's copy is current."""
    etag = etag_for(version)
    if request.if_none_match.contains_weak(etag):  # RFC 9110: If-None-Match compares weakly
        response = Response(status=304)
    else:
        response = build()
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={max_age}" if max_age else "no-cache"
    return response
