"""Response headers set on every response: CORS for the API, security headers, and HTTP caching.

CORS is written out here rather than taken from flask-cors: the policy is one fixed rule (any origin, no
credentials, GET and the check POST), which is a handful of headers; flask-cors earns its keep with
per-origin lists and credentials, which this API must not have.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

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


#: Added to every response of the API and of the page respectively (unless a view set one itself).
_API_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", API_CSP),
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", _CORS_EXPOSE),
]
#: The same, for responses the app never sees (gunicorn's own errors: service.server.write_problem).
API_HEADERS = tuple(_API_HEADERS)
_PREFLIGHT_HEADERS = [
    ("Access-Control-Allow-Methods", _CORS_METHODS),
    ("Access-Control-Allow-Headers", _CORS_HEADERS),
    ("Access-Control-Max-Age", "86400"),
]
_PAGE_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", PAGE_CSP),
    ("Cross-Origin-Opener-Policy", "same-origin"),
]


def _add_headers(response: Response) -> Response:
    headers = response.headers
    api = request.path.startswith(API_PREFIX)
    ours = _API_HEADERS if api else _PAGE_HEADERS
    # One `extend` appends them all; `set`/`setdefault` scan the header list once per name, a measurable
    # share of a cached request. Views never set these, except perhaps a page's own policy: then theirs stays.
    if "Content-Security-Policy" in headers:
        ours = [item for item in ours if item[0] not in headers]
    headers.extend(ours)
    if "Location" in headers:
        headers["Location"] = _relative(headers["Location"])
    if api and request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        headers.extend(_PREFLIGHT_HEADERS)
    return response


def _relative(location: str) -> str:
    """A redirect target as a path on this server: werkzeug builds absolute URLs from the client's Host
    header, which would send a client wherever a forged Host says; "//x" would leave the site too."""
    parts = urlsplit(location)
    path = "/" + parts.path.lstrip("/")
    return path + (f"?{parts.query}" if parts.query else "")


def register(app: Flask) -> None:
    """Add CORS and security headers to every response of `app`, errors included."""
    app.after_request(_add_headers)


#: Media types worth compressing (flask-compress's COMPRESS_MIMETYPES): the API's and the exports'.
COMPRESSED_TYPES = [
    "application/json",
    "application/problem+json",
    "application/schema+json",
    "application/x-tbx+xml",
    "application/xml",
    "text/csv",
    "text/tab-separated-values",
    "text/html",
    "text/css",
    "text/javascript",
    "text/plain",
    "image/svg+xml",
]
#: The content codings flask-compress may apply; it marks a compressed body's strong ETag "<tag>:<coding>".
CODINGS = ("gzip",)


def etag_for(version: str) -> str:
    """The entity tag of a data-derived representation: the data version (quoted by werkzeug)."""
    return f"v1-{version}"


def conditional(version: str, build: Callable[[], Response], *, max_age: int) -> Response:
    """`build()`'s response with ETag and Cache-Control, or 304 when the client's copy is current.

    A gzip-compressed 200 carries the ETag `"v1-<version>:gzip"` (flask-compress: a compressed body is a
    different representation, so a strong ETag must differ, RFC 9110 8.8.3). A client revalidates with the
    tag it got, whichever it is, and its 304 carries that same tag.
    """
    etag = etag_for(version)
    held = next(
        (
            tag
            for tag in (etag, *(f"{etag}:{coding}" for coding in CODINGS))
            if request.if_none_match.contains_weak(tag)  # RFC 9110: If-None-Match compares weakly
        ),
        None,
    )
    if held is not None:
        response = Response(status=304)
        etag = held
    else:
        response = build()
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={max_age}" if max_age else "no-cache"
    return response
