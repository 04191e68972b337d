"""RFC 9457 problem details: the one error shape of the API, on every path and every status.

Every error leaves the app as ``application/problem+json`` — routing errors (404, 405), body limits (413),
content types (415), malformed JSON and pydantic validation errors (400, with field-level ``errors``),
and unexpected exceptions (500, logged, never a stack trace in the response).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, Request, Response, current_app, request
from pydantic import BaseModel, Field, ValidationError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, UnsupportedMediaType
from werkzeug.http import HTTP_STATUS_CODES

MEDIA_TYPE = "application/problem+json"

#: Headers an error response keeps from the werkzeug exception (405 must say what is allowed).
_KEPT_HEADERS = ("Allow", "Retry-After")


class FieldError(BaseModel):
    """One field-level problem in a request: where, what, and pydantic's error type."""

    loc: str = Field(description="Where the problem is: `query.limit`, `body.text`, `path.id`.")
    msg: str = Field(description="What is wrong, in a sentence.")
    type: str = Field(description="A stable machine-readable code, e.g. `less_than_equal`, `missing`.")


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    type: str = Field(default="about:blank", description="A URI reference identifying the problem type.")
    title: str = Field(description="A short summary of the problem type (the HTTP reason phrase).")
    status: int = Field(description="The HTTP status code.", ge=400, le=599)
    detail: str | None = Field(default=None, description="What went wrong with this request, for a human.")
    instance: str | None = Field(default=None, description="The request path.")
    errors: list[FieldError] | None = Field(default=None, description="Field-level problems (400 only).")


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    errors: Iterable[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem-details response for `status`."""
    problem = Problem(
        title=HTTP_STATUS_CODES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=request.path if request else None,
        errors=list(errors) if errors is not None else None,
    )
    response = Response(problem.model_dump_json(exclude_none=True), status=status, mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def _location(part: str, loc: tuple[int | str, ...]) -> str:
    out = part
    for item in loc:
        out += f"[{item}]" if isinstance(item, int) else f".{item}"
    return out


def field_errors(error: ValidationError, part: str) -> list[FieldError]:
    """Pydantic's errors as field errors; the offending input is left out (it may be huge or hostile)."""
    return [
        FieldError(loc=_location(part, tuple(e["loc"])), msg=e["msg"], type=e["type"])
        for e in error.errors(include_url=False, include_input=False, include_context=False)
    ]


def validation_problem(error: ValidationError) -> Response:
    """flask-openapi3's validation-error callback: a 400 with one field error per pydantic error."""
    # flask-openapi3 does not say which part of the request failed; each endpoint here has one model
    # that can fail besides the path (GET: the query string; POST: the JSON body).
    part = "body" if request.method in ("POST", "PUT", "PATCH") else "query"
    errors = field_errors(error, part)
    shown = "; ".join(f"{e.loc}: {e.msg}" for e in errors[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return problem_response(400, f"Invalid request: {shown}{more}", errors=errors)


class ProblemRequest(Request):
    """A request whose JSON errors say what is wrong (Flask hides the reason outside debug mode)."""

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        """Raise 415 for a body that is not declared JSON, 400 naming the parse error for malformed JSON."""
        if e is None:
            got = self.mimetype or "no Content-Type"
            raise UnsupportedMediaType(f"Expected a JSON body (Content-Type: application/json), got {got}.")
        raise BadRequest(f"Malformed JSON body: {e}")


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if status >= 500:
        return _unexpected(error)
    kept = {name: value for name, value in error.get_headers() if name in _KEPT_HEADERS}
    detail = error.description
    if status == 413 and (limit := current_app.config.get("MAX_CONTENT_LENGTH")):
        detail = f"The request body is too large: the limit is {limit:,} bytes."
    return problem_response(status, detail, headers=kept)


def _unexpected(error: Exception) -> Response:
    # Logged in full for the operator; the client only learns that it was our fault.
    current_app.logger.error("unhandled error on %s %s", request.method, request.path, exc_info=error)
    return problem_response(500, InternalServerError.description)


def _parse_json_body() -> None:
    # Read and parse a request body before the view runs, so that an oversized body (413), a body that is
    # not JSON (415) and malformed JSON (400) are refused with their own status and a clear detail;
    # flask-openapi3 would read it silently and report a bare "Input should be a valid dictionary".
    if request.method not in ("POST", "PUT", "PATCH") or request.routing_exception is not None:
        return
    try:
        body = request.get_json()
    except RecursionError:
        raise BadRequest("Malformed JSON body: nested too deeply.") from None
    if any(_LONE_SURROGATE.search(text) for text in _strings(body)):
        # JSON may escape half of a surrogate pair (\ud800) on its own; that is no character, and no UTF-8
        # encoder downstream would accept it.
        raise BadRequest("The JSON body holds a lone surrogate escape (\\ud800-\\udfff): not a character.")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _strings(value: object) -> Iterator[str]:
    """Every string in parsed JSON, keys included (iteratively: JSON may nest deeper than Python recurses)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def register(app: Flask) -> None:
    """Make every error of `app` a problem-details response."""
    app.request_class = ProblemRequest
    app.before_request(_parse_json_body)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def openapi_problem_media_types(spec: dict[str, Any]) -> dict[str, Any]:
    """Declare error responses in an OpenAPI document as `application/problem+json`, as they are sent."""
    for path_item in spec.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in (operation.get("responses") or {}).items():
                content = response.get("content") or {}
                if status[:1] in ("4", "5") and "application/json" in content:
                    content[MEDIA_TYPE] = content.pop("application/json")
    return spec
