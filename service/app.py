"""The application factory: `create_app(config)` builds the Flask app and opens the data once per process."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from flask import Response, current_app, request
from flask_compress import Compress
from flask_openapi3 import Info, OpenAPI
from werkzeug.routing import Map

from . import headers, openapi, problems
from . import usage as _usage  # noqa: F401  (adds /terms/{id}/usage to the api blueprint, before it is registered)
from .api import api
from .page import page
from .problems import Problem, validation_problem
from .resources import Resources

DEFAULTS: dict[str, Any] = {
    "DATA_DIR": None,  # the curated base: None is $GLOSSARY_DATA, else the packaged base
    "INDEX_DIR": None,  # the index root: None is $GLOSSARY_INDEX_DIR, else ~/.cache/glossary
    "REFERENCE": True,  # load the reference layer (CC-CEDICT) when it has been imported
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,  # request bodies over 2 MB are refused with 413
    "CACHE_MAX_AGE": 60,  # seconds a data response may be reused before revalidating with its ETag
    "SEARCH_CACHE_SIZE": 4096,  # recent search responses kept per process (per data version); 0: none
    "JSON_SORT_KEYS": False,
    # Compression (flask-compress): gzip only — what every HTTP client and, over plain http, every browser
    # offers (browsers send br and zstd over https only); bodies under COMPRESS_MIN_SIZE bytes go as they are.
    "COMPRESS_ALGORITHM": ["gzip"],
    "COMPRESS_MIN_SIZE": 1024,
    "COMPRESS_LEVEL": 3,  # bench/compression.py: a third of level 6's time for 10% more bytes
    "COMPRESS_MIMETYPES": headers.COMPRESSED_TYPES,
    # Streamed responses (the page's static files) go as they are: flask-compress's streaming path never
    # closes the file it reads (a ResourceWarning per file), and it would use deflate, not gzip.
    "COMPRESS_STREAMS": False,
    # Our views answer If-None-Match themselves (headers.conditional, which knows the compressed ETags).
    "COMPRESS_EVALUATE_CONDITIONAL_REQUEST": False,
}


class _Map(Map):
    """URL rules that do not merge slashes: "//host/x" was redirected to "/host/x" by an absolute URL built
    from the client's Host header; it is a 404 now."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("merge_slashes", False)
        super().__init__(*args, **kwargs)


class GlossaryOpenAPI(OpenAPI):
    """flask-openapi3's app, declaring error responses with the media type they are sent with."""

    url_map_class = _Map

    def generate_spec_json(self) -> None:
        """Generate the OpenAPI document, then mark 4xx/5xx bodies as `application/problem+json`."""
        super().generate_spec_json()
        problems.openapi_problem_media_types(self.spec_json)
        openapi.complete(self.spec_json)
        # flask-openapi3 writes `securitySchemes: null` when there are none, which OpenAPI does not allow.
        components = self.spec_json.get("components", {})
        if components.get("securitySchemes") is None:
            components.pop("securitySchemes", None)


def create_app(config: dict[str, Any] | None = None) -> GlossaryOpenAPI:
    """Build the app; `config` overrides `DEFAULTS` (tests pass DATA_DIR, INDEX_DIR, REFERENCE)."""
    app = GlossaryOpenAPI(
        __name__,
        info=Info(
            title="Glossary API",
            version="1",
            description="Chinese–English terminology for Chinese policy texts: search, entries, pinyin, "
            "draft checking and exports. Every error is an RFC 9457 problem (application/problem+json).",
        ),
        validation_error_status=400,
        validation_error_model=Problem,
        validation_error_callback=validation_problem,
        doc_ui=False,  # the document is served at /api/v1/openapi.json by the API itself
    )
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(config or {})
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.before_request(_bounded_body)  # first: before anything reads the body
    problems.register(app)
    headers.register(app)
    Compress(app)  # also sets `Vary: Accept-Encoding` on every response, compressed or not
    app.extensions["glossary"] = Resources(
        _path(app.config["DATA_DIR"]),
        _path(app.config["INDEX_DIR"]),
        bool(app.config["REFERENCE"]),
        int(app.config["SEARCH_CACHE_SIZE"]),
    )
    app.register_api(api)
    app.register_blueprint(page)
    return app


def _bounded_body() -> Response | None:
    """A body without Content-Length (chunked) is read here, up to the limit: over it, 413.

    Werkzeug stops reading such a body at MAX_CONTENT_LENGTH and hands the view what it read, as if it
    were all: a 3 MB draft was checked as its first 2 MB (or refused as broken JSON), never refused as
    too large. Read whole (at most the limit and one byte), it is then given to the view as a sized body.
    """
    environ = request.environ
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if environ.get("CONTENT_LENGTH") or not limit or request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    stream = environ["wsgi.input"]
    pieces, size = [], 0
    while size <= limit and (piece := stream.read(min(65536, limit + 1 - size))):
        pieces.append(piece)
        size += len(piece)
    if size > limit:
        return problems.problem_response(413, f"the request body is over {limit:,} bytes")
    body = b"".join(pieces)
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
    environ.pop("wsgi.input_terminated", None)
    return None


def _path(value: str | Path | None) -> Path | None:
    return Path(value) if value else None
