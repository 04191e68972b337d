"""The `/api/v1` endpoints: thin views over the library, with pydantic models for every body.

flask-openapi3 validates the query strings and bodies against these models and generates the OpenAPI
document from them; a failed validation becomes a 400 problem (see `service.problems`).
"""

from __future__ import annotations

import copy
import hashlib
import json
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any, Literal

from flask import Response, current_app
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from glossary import export
from glossary.base import pinyin, script
from glossary.base.model import Category, Entry, Source, Status
from glossary.check.checker import Checker
from glossary.check.report import CheckError, CheckReport, CheckRequest
from glossary.search import query
from glossary.search.query import validate as _validate_query
from glossary.search.searcher import QueryError, SearchResults

from . import openapi
from .headers import conditional
from .problems import Problem, problem_response
from .resources import Resources, Snapshot

#: Longest accepted pinyin text, in characters (search queries: the library's own `query.MAX_LENGTH`).
MAX_TEXT_LENGTH = 1000
#: Largest page; deeper than MAX_OFFSET nobody pages, and the search cost grows with it.
MAX_LIMIT = 100
MAX_OFFSET = 10_000

api = APIBlueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    abp_tags=[Tag(name="glossary")],
    abp_responses={400: Problem, 500: Problem},  # every endpoint validates input and may fail
)


def resources() -> Resources:
    """The app's resources, opened once by `create_app`."""
    return current_app.extensions["glossary"]


def snapshot() -> Snapshot:
    """The data version this request is served from."""
    return resources().snapshot()


def max_age() -> int:
    """Seconds a client or proxy may reuse a data response without asking again."""
    return int(current_app.config["CACHE_MAX_AGE"])


def json_response(body: str | bytes, status: int = 200) -> Response:
    """A JSON response from already-serialised JSON."""
    return Response(body, status=status, mimetype="application/json")


@cache
def _code_version() -> str:
    try:
        return version("glossary-zh-en")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0"


def _digits(value: object) -> object:
    # pydantic reads "+100", " 7", "1_0" and "1e2"-like strings as numbers; a query-string count is digits.
    if isinstance(value, str) and not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise ValueError("must be a valid integer written in digits (0-9) only")
    return value


#: A count in a query string (limit, offset): digits only.
Count = Annotated[int, BeforeValidator(_digits)]


class QueryModel(BaseModel):
    """A query-string model whose JSON Schema is generated once, not on every request."""

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The model's JSON Schema, from a per-class cache."""
        # flask-openapi3 asks for the schema on every request, without arguments, only to read the field
        # types; pydantic regenerates it each time (~0.5 ms, four times a whole trivial request). That call
        # gets the cached schema itself (read, never changed); calls with arguments (building the OpenAPI
        # document, once) get a copy they may change.
        key = (cls, args, tuple(sorted(kwargs.items())))
        if key not in _SCHEMAS:
            _SCHEMAS[key] = super().model_json_schema(*args, **kwargs)
        return _SCHEMAS[key] if not (args or kwargs) else copy.deepcopy(_SCHEMAS[key])


_SCHEMAS: dict[tuple[Any, ...], dict[str, Any]] = {}


# ---- search --------------------------------------------------------------------------------------------


#: The queries the library accepts (see glossary.query.validate): no control character (Unicode Cc) anywhere,
#: and at least one character that is neither a control character nor white space (str.isspace).
_CC = r"\x00-\x1f\x7f-\x9f"
_SPACE = r"\x20\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
QUERY_PATTERN = f"^[^{_CC}]*[^{_CC}{_SPACE}][^{_CC}]*$"


class SearchQuery(QueryModel):
    """A search: the query in any form (characters, pinyin with or without tones, initials, English)."""

    q: str = Field(
        min_length=1,
        max_length=query.MAX_LENGTH,
        description="What to look for, in any form: no control characters, not only spaces.",
        # Documents what the library refuses with a QueryError (a 400 with its own clear detail), so that
        # clients and schema-driven fuzzers know which queries are valid; the library stays the enforcer.
        json_schema_extra={"pattern": QUERY_PATTERN},
    )
    limit: Count = Field(20, ge=1, le=MAX_LIMIT, description=f"Results per page (at most {MAX_LIMIT}).")
    offset: Count = Field(0, ge=0, le=MAX_OFFSET, description="Results to skip.")
    category: Category | None = Field(None, description="Only entries of this category.")
    status: Status | None = Field(None, description="Only entries with a rendering of this status.")
    source: str | None = Field(None, max_length=80, description="Only entries attested by this source id.")
    layer: Literal["curated", "reference"] | None = Field(None, description="Only this layer.")


@api.get("/search", summary="Search", operation_id="search", responses={200: SearchResults})
def get_search(query: SearchQuery) -> Response:
    """Entries matching the query, curated ones first, each with what matched and a snippet."""
    snap = snapshot()
    # A query the library refuses is a 400 whatever the client's If-None-Match (`*` matches every ETag, and a
    # 304 would tell it that its cached answer to an invalid request is current).
    try:
        _validate_query(query.q)
    except QueryError as exc:
        return problem_response(400, f"Cannot search for this query: {exc}")

    def build() -> Response:
        def compute() -> str:
            return snap.searcher.search(
                query.q,
                limit=query.limit,
                offset=query.offset,
                category=query.category,
                status=query.status,
                source=query.source,
                layer=query.layer,
            ).model_dump_json()

        try:
            return json_response(snap.search_json(tuple(query.model_dump().values()), compute))
        except QueryError as exc:
            return problem_response(400, f"Cannot search for this query: {exc}")

    return conditional(snap.version, build, max_age=max_age())


# ---- terms ---------------------------------------------------------------------------------------------


class TermPath(BaseModel):
    """The id of an entry."""

    # No length or pattern here: an id that cannot exist is simply not found (404), like any unknown one.
    id: str = Field(description="The entry's stable id, e.g. `four-orientations`.")


class TermsQuery(QueryModel):
    """Which page of entries to list."""

    category: Category | None = Field(None, description="Only entries of this category.")
    status: Status | None = Field(None, description="Only entries with a rendering of this status.")
    limit: Count = Field(50, ge=1, le=MAX_LIMIT, description=f"Entries per page (at most {MAX_LIMIT}).")
    offset: Count = Field(0, ge=0, le=MAX_OFFSET, description="Entries to skip.")


class TermsPage(BaseModel):
    """A page of entries, in id order."""

    total: int = Field(description="Entries matching the filters, on all pages.")
    limit: int
    offset: int
    entries: list[Entry] = Field(description="Each entry as in `glossary export --format json`.")


@api.get("/terms/<id>", summary="One entry", operation_id="get_term", responses={200: Entry, 404: Problem})
def get_term(path: TermPath) -> Response:
    """The whole entry, as in `glossary export --format json`."""
    snap = snapshot()
    # Ids are only ever dictionary keys: nothing here touches the file system (no path traversal).
    if path.id not in snap.base.entries:
        return problem_response(404, f"No entry with id {path.id!r}.")
    return conditional(snap.version, lambda: json_response(snap.entry_json(path.id) or ""), max_age=max_age())


@api.get("/terms", summary="A page of entries", operation_id="list_terms", responses={200: TermsPage})
def list_terms(query: TermsQuery) -> Response:
    """A page of entries, filtered by category and rendering status."""
    snap = snapshot()

    def build() -> Response:
        entries = [
            entry
            for entry in snap.base.entries.values()
            if (query.category is None or entry.category is query.category)
            and (query.status is None or any(r.status is query.status for r in entry.renderings))
        ]
        page = entries[query.offset : query.offset + query.limit]
        items = ",".join(snap.entry_json(entry.id) or "" for entry in page)
        head = json.dumps({"total": len(entries), "limit": query.limit, "offset": query.offset})
        return json_response(f'{head[:-1]},"entries":[{items}]}}')

    return conditional(snap.version, build, max_age=max_age())


# ---- sources -------------------------------------------------------------------------------------------


class SourceList(BaseModel):
    """The source registry: every document that renderings and notes cite by id."""

    sources: list[Source]


@api.get("/sources", summary="The source registry", operation_id="list_sources", responses={200: SourceList})
def list_sources() -> Response:
    """Every source with its title, publisher, date and link (an entry cites its sources by id only)."""
    snap = snapshot()

    def build() -> Response:
        return json_response(SourceList(sources=list(snap.base.sources.values())).model_dump_json())

    return conditional(snap.version, build, max_age=max_age())


# ---- check ---------------------------------------------------------------------------------------------


#: The two shapes of a check request: (schema name, its required field, the other one, description).
CHECK_VARIANTS = [
    ("CheckText", "text", "segments", "A draft as one text, Chinese or English."),
    ("CheckSegments", "segments", "text", "A bilingual draft: source and target segments."),
]


class CheckBody(CheckRequest):
    """A draft to check: exactly one of `text` and `segments`, with options."""

    # Strict: JSON types exactly as documented; lax mode would take 0.0 for false, which the document forbids.
    model_config = ConfigDict(strict=True, title="CheckRequest")

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """A `oneOf` of two closed object schemas, `CheckText` and `CheckSegments`, each requiring its field.

        pydantic's model validator enforces "exactly one of text and segments"; the document says it as a
        union of two named schemas, which client generators turn into two request types (a `oneOf` of bare
        `required` lists, as before, they could not) and schema-driven fuzzers still read exactly.
        """
        template = kwargs.get("ref_template", "#/$defs/{model}")
        return openapi.exactly_one(super().model_json_schema(*args, **kwargs), template, CHECK_VARIANTS)


@api.post(
    "/check",
    summary="Check a draft",
    operation_id="check",
    responses={200: CheckReport, 413: Problem, 415: Problem},
)
def post_check(body: CheckBody) -> Response:
    """Every glossary term in a draft, and every deprecated, missing or inconsistent rendering."""
    snap = snapshot()
    try:
        report = Checker.for_base(snap.base).check(body)
    except CheckError as exc:
        return problem_response(exc.status, str(exc))
    response = json_response(report.model_dump_json())
    response.headers["Cache-Control"] = "no-store"
    return response


# ---- pinyin --------------------------------------------------------------------------------------------


class PinyinQuery(QueryModel):
    """The Chinese text to read."""

    text: str = Field(min_length=1, max_length=MAX_TEXT_LENGTH, description="Any Chinese text.")


class PinyinForms(BaseModel):
    """Pinyin in every written form."""

    marks: str = Field(description="Tone marks: `sì gè miàn xiàng`.")
    numbers: str = Field(description="Tone numbers: `si4 ge4 mian4 xiang4`.")
    toneless: str = Field(description="No tones: `si ge mian xiang`.")
    initials: str = Field(description="First letters: `sgmx`.")


class PinyinResult(BaseModel):
    """The reading of a text: its pinyin and its simplified and traditional forms."""

    text: str
    simplified: str
    traditional: str
    pinyin: PinyinForms


@api.get(
    "/pinyin", summary="Pinyin of any Chinese text", operation_id="pinyin", responses={200: PinyinResult}
)
def get_pinyin(query: PinyinQuery) -> Response:
    """The pinyin of any Chinese text in every form, and its simplified and traditional forms."""

    def build() -> Response:
        simplified = script.to_simplified(query.text)
        result = PinyinResult(
            text=query.text,
            simplified=simplified,
            traditional=script.to_traditional(simplified),
            pinyin=PinyinForms(**pinyin.forms(pinyin.of(simplified))),
        )
        return json_response(result.model_dump_json())

    # The reading depends on the code (pypinyin, OpenCC), not on the data.
    return conditional(f"code-{_code_version()}", build, max_age=86400)


# ---- export --------------------------------------------------------------------------------------------

FORMATS = tuple(export.FORMATS)


class ExportQuery(QueryModel):
    """Which exchange format to download."""

    format: Literal[FORMATS] = Field("json", description="The file format.")  # type: ignore[valid-type]
    profile: Literal["house", "official"] = Field(
        "house", description="Whose preferred rendering is marked preferred: the house's or the government's."
    )


@api.get(
    "/export",
    summary="Download the whole base",
    operation_id="export",
    responses={
        200: {
            "description": "The whole curated base as a file.",
            "content": openapi.export_content(export.FORMATS),
        }
    },
)
def get_export(query: ExportQuery) -> Response:
    """The whole curated base as a download in one of the exchange formats."""
    snap = snapshot()

    def build() -> Response:
        rendered = snap.export(query.format, query.profile)
        response = Response(rendered.content, content_type=rendered.media_type)
        # The filename is ours, never the client's: a fixed ASCII name per format.
        response.headers["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
        return response

    return conditional(f"{snap.version}-{query.format}-{query.profile}", build, max_age=max_age())


# ---- health and the OpenAPI document ------------------------------------------------------------------


class Health(BaseModel):
    """The state of this server process."""

    status: Literal["ok"] = "ok"
    version: str = Field(description="The version of the data served (the ETag of data responses).")
    base_version: str = Field(description="The content hash of the curated files.")
    entries: int = Field(description="Curated entries.")
    sources: int = Field(description="Sources in the registry.")
    reference_entries: int | None = Field(None, description="Entries of the reference layer, when loaded.")
    code_version: str = Field(description="The version of the glossary package.")


@api.get("/health", summary="Health and versions", operation_id="health",
         responses={200: Health, 503: Problem})
def get_health() -> Response:
    """Whether the server is up, which data version it serves and how much data it holds; 503 while data/
    has problems (the last good version is still served)."""
    snap = snapshot()
    if problem := resources().data_problem():
        detail = f"data/ has problems; serving the last good version {snap.version}: {problem}"
        return problem_response(503, detail, headers={"Cache-Control": "no-store"})
    health = Health(
        version=snap.version,
        base_version=snap.base.version,
        entries=len(snap.base.entries),
        sources=len(snap.base.sources),
        reference_entries=snap.reference_entries,
        code_version=_code_version(),
    )
    return conditional(snap.version, lambda: json_response(health.model_dump_json()), max_age=0)


@api.get("/openapi.json", doc_ui=False)
def get_openapi() -> Response:
    """The OpenAPI 3.1 document, generated from the models above."""
    body = json.dumps(current_app.api_doc, ensure_ascii=False)  # type: ignore[attr-defined]
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    return conditional(digest, lambda: json_response(body), max_age=3600)
