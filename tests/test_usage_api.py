"""`GET /api/v1/terms/{id}/usage` and `glossary usage` on the real base: the same figures, problem details."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import cli
from glossary.search.usage import SourceUsage

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index root for the real base."""
    return tmp_path_factory.mktemp("usage-index")


@pytest.fixture(scope="module")
def real_client(real_index: Path):  # type: ignore[no-untyped-def]
    """A test client of the app over the real base."""
    from service import create_app

    app = create_app({"DATA_DIR": DATA, "INDEX_DIR": real_index, "REFERENCE": False, "TESTING": True})
    return app.test_client()


def test_usage_of_an_entry(real_client) -> None:  # type: ignore[no-untyped-def]
    response = real_client.get("/api/v1/terms/st-powerhouse/usage?limit=2")
    assert response.status_code == 200 and response.mimetype == "application/json"
    figures = SourceUsage.model_validate(response.get_json())
    assert figures.id == "st-powerhouse" and figures.limit == 2
    by_en = {r.en: r for r in figures.renderings}
    assert by_en["S&T powerhouse"].count >= 2
    assert all(len(r.lines) == min(2, r.count) for r in figures.renderings)
    assert figures.chinese[0].zh == "科技强国" and figures.chinese[0].count >= 1
    assert response.headers["ETag"]
    again = real_client.get("/api/v1/terms/st-powerhouse/usage?limit=2",
                            headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(("url", "status", "field"), [
    ("/api/v1/terms/no-such-entry/usage", 404, None),
    ("/api/v1/terms/st-powerhouse/usage?limit=-1", 400, "query.limit"),
    ("/api/v1/terms/st-powerhouse/usage?limit=1001", 400, "query.limit"),
    ("/api/v1/terms/st-powerhouse/usage?limit=many", 400, "query.limit"),
])
def test_usage_errors_are_problem_details(real_client, url: str, status: int,  # type: ignore[no-untyped-def]
                                          field: str | None) -> None:
    response = real_client.get(url)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["detail"]
    if field:
        assert [e["loc"] for e in body["errors"]] == [field]


def test_usage_is_in_the_openapi_document(real_client) -> None:  # type: ignore[no-untyped-def]
    spec = real_client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/terms/{id}/usage"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/SourceUsage")
    assert "application/problem+json" in operation["responses"]["404"]["content"]
    for name in ("SourceUsage", "RenderingInSources", "ChineseInSources", "KwicLine", "PublisherYear"):
        assert name in spec["components"]["schemas"]


def usage_cli(real_index: Path, *args: str):  # type: ignore[no-untyped-def]
    """Run `glossary usage ARGS` on the real base."""
    return CliRunner().invoke(cli, ["usage", *args, "--data", str(DATA), "--index-dir", str(real_index)])


@pytest.mark.parametrize("term", ["st-powerhouse", "科技强国", "科技強國", "S&T powerhouse",
                                  "s&t powerhouse"])
def test_cli_usage_gives_the_api_figures(real_client, real_index: Path,  # type: ignore[no-untyped-def]
                                         term: str) -> None:
    result = usage_cli(real_index, term, "--json", "--limit", "3")
    assert result.exit_code == 0, result.output
    api = real_client.get("/api/v1/terms/st-powerhouse/usage?limit=3").get_json()
    assert json.loads(result.stdout) == api


def test_cli_usage_text(real_index: Path) -> None:
    result = usage_cli(real_index, "新质生产力")
    assert result.exit_code == 0, result.output
    assert "new quality productive forces  [preferred]" in result.stdout
    assert "texts/gwr-2024.txt:" in result.stdout
    assert "[新质生产力]" in result.stdout
    assert "en (new quality productive forces):" in result.stdout


def test_cli_usage_of_nothing_is_an_error(real_index: Path) -> None:
    result = usage_cli(real_index, "qqqqxxzz")
    assert result.exit_code == 2
    assert "no entry has the id, Chinese or English" in result.output
