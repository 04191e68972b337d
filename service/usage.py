"""``GET /api/v1/terms/{id}/usage``: an entry's every occurrence in the source texts, from the concordance."""

from __future__ import annotations

from flask import Response
from pydantic import Field

from glossary.search.usage import DEFAULT_LIMIT, MAX_LIMIT, SourceUsage

from .api import Count, QueryModel, TermPath, api, json_response, max_age, snapshot
from .headers import conditional
from .problems import Problem, problem_response


class UsageQuery(QueryModel):
    """How many keyword-in-context lines to list per rendering and per Chinese form."""

    limit: Count = Field(DEFAULT_LIMIT, ge=0, le=MAX_LIMIT,
                       description=f"Lines per rendering or form (at most {MAX_LIMIT}); counts count all.")


@api.get("/terms/<id>/usage", summary="An entry's usage in the sources", operation_id="get_usage",
         responses={200: SourceUsage, 404: Problem})
def get_usage(path: TermPath, query: UsageQuery) -> Response:
    """Every occurrence of each rendering and of the Chinese in the source texts, in context, counted by
    publisher and year, with the English the aligned text gives for each Chinese occurrence."""
    snap = snapshot()
    if path.id not in snap.base.entries:
        return problem_response(404, f"No entry with id {path.id!r}.")
    return conditional(snap.version, lambda: json_response(snap.usage_json(path.id, query.limit) or ""),
                       max_age=max_age())
