"""Profiles: the house's choice and the government's own English, and who uses each rendering since when."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from glossary import Glossary
from glossary.base import profiles, store
from glossary.base.profiles import Profile
from glossary.cli import cli

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "data"


@pytest.fixture(scope="module")
def base() -> store.TermBase:
    return store.load(FIXTURE_DATA)


def _with_renderings(data_dir: Path, entry_id: str, renderings: list[dict[str, object]]) -> store.TermBase:
    path = data_dir / "entries" / f"{entry_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["renderings"] = renderings
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return store.load(data_dir)


def test_usage_says_which_publishers_use_a_rendering_since_when(base: store.TermBase) -> None:
    entry = base.entries["st-powerhouse"]
    usage = dict(zip((r.en for r in entry.renderings), entry.usage, strict=True))
    cset = usage["S&T powerhouse"]
    assert cset.publishers == ["CSET (Center for Security and Emerging Technology)"]
    assert (cset.since, cset.official_since) == ("2022-01-24", None)
    scio = usage["leading country in science and technology"]
    assert scio.publishers == ["State Council Information Office"]
    assert scio.official_since == "2023-02-24"
    assert [a.kind.value for a in scio.attested_by] == ["official"]


def test_the_official_profile_prefers_the_governments_english(base: store.TermBase) -> None:
    entry = base.entries["st-powerhouse"]
    assert entry.profiles == {
        "house": "S&T powerhouse",
        "official": "leading country in science and technology",
    }
    seen = profiles.view(entry, Profile.official)
    assert seen.preferred.en == "leading country in science and technology"
    assert {r.en: r.status.value for r in seen.renderings}["S&T powerhouse"] == "admitted"
    notes = {r.en: r.note or "" for r in seen.renderings}
    assert notes["leading country in science and technology"].startswith(
        "Preferred with the official profile: the government's own English since 2023-02-24."
    )
    assert notes["S&T powerhouse"].startswith(
        "The house style's preferred rendering; the official profile prefers “leading country in science and "
        "technology”. House note: Preferred: CSET's considered choice"
    )
    assert profiles.view(entry, Profile.house) is entry


@pytest.mark.parametrize(
    ("renderings", "official"),
    [
        # The house's choice stands when an official source uses it too, however old.
        (
            [
                {"en": "alpha", "status": "preferred", "sources": ["most-newsletter-2019-22"], "quote": "q"},
                {
                    "en": "beta",
                    "status": "admitted",
                    "sources": ["scio-2023-innovation-briefing"],
                    "quote": "q",
                },
            ],
            "alpha",
        ),
        # Otherwise the most recent official rendering.
        (
            [
                {"en": "alpha", "status": "preferred", "sources": ["cset-2022-st-conference"], "quote": "q"},
                {"en": "beta", "status": "admitted", "sources": ["most-newsletter-2019-22"], "quote": "q"},
                {
                    "en": "gamma",
                    "status": "admitted",
                    "sources": ["scio-2023-innovation-briefing"],
                    "quote": "q",
                },
            ],
            "gamma",
        ),
        # A deprecated or superseded rendering is never chosen, even if official and recent (a slip).
        (
            [
                {"en": "alpha", "status": "preferred", "sources": ["cset-2022-st-conference"], "quote": "q"},
                {"en": "beta", "status": "admitted", "sources": ["most-newsletter-2019-22"], "quote": "q"},
                {
                    "en": "gamma",
                    "status": "deprecated",
                    "sources": ["scio-2023-innovation-briefing"],
                    "quote": "q",
                },
            ],
            "beta",
        ),
        # No official source at all: the house's choice.
        (
            [
                {"en": "alpha", "status": "preferred", "sources": ["cset-2022-st-conference"], "quote": "q"},
                {"en": "beta", "status": "admitted", "sources": ["cgtn-2023-how-china-works"], "quote": "q"},
            ],
            "alpha",
        ),
    ],
)
def test_which_rendering_the_official_profile_chooses(
    data_dir: Path, renderings: list[dict[str, object]], official: str
) -> None:
    base = _with_renderings(data_dir, "st-powerhouse", renderings)
    assert base.entries["st-powerhouse"].profiles["official"] == official


def test_a_check_follows_the_profile(base: store.TermBase) -> None:
    glossary = Glossary.open(FIXTURE_DATA)
    segment = [("建设科技强国", "build an S&T powerhouse")]
    assert (
        glossary.check(segments=segment, strict=True).summary.total
        == glossary.check(segments=segment).summary.total
    )
    report = glossary.check(segments=segment, strict=True, profile="official")
    flagged = [f for f in report.findings if f.kind == "non_preferred_rendering"]
    assert len(flagged) == 1
    assert flagged[0].suggestion == "leading country in science and technology"
    official = glossary.check(
        segments=[("建设科技强国", "build a leading country in science and technology")],
        strict=True,
        profile="official",
    )
    assert official.summary.by_severity["error"] == official.summary.by_severity["warning"] == 0


def test_an_export_follows_the_profile(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for profile, expected in (
        ("house", "S&T powerhouse"),
        ("official", "leading country in science and technology"),
    ):
        out = tmp_path / f"{profile}.json"
        result = runner.invoke(
            cli, ["export", "--data", str(FIXTURE_DATA), "--profile", profile, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        entry = next(e for e in json.loads(out.read_text(encoding="utf-8")) if e["id"] == "st-powerhouse")
        assert next(r["en"] for r in entry["renderings"] if r["status"] == "preferred") == expected
        assert entry["profiles"]["official"] == "leading country in science and technology"


def test_the_api_takes_a_profile(client) -> None:  # type: ignore[no-untyped-def]
    body = {"segments": [{"source": "建设科技强国", "target": "build an S&T powerhouse"}], "strict": True}
    house = client.post("/api/v1/check", json=body).get_json()
    official = client.post("/api/v1/check", json={**body, "profile": "official"}).get_json()
    assert house["summary"]["by_kind"]["non_preferred_rendering"] == 0
    assert official["summary"]["by_kind"]["non_preferred_rendering"] == 1
    wrong = client.post("/api/v1/check", json={**body, "profile": "government"})
    assert wrong.status_code == 400 and wrong.content_type.startswith("application/problem+json")
    exported = client.get("/api/v1/export?format=json&profile=official")
    assert exported.status_code == 200
    entry = next(e for e in exported.get_json() if e["id"] == "st-powerhouse")
    assert next(r["en"] for r in entry["renderings"] if r["status"] == "preferred").startswith(
        "leading country"
    )
    assert exported.headers["ETag"] != client.get("/api/v1/export?format=json").headers["ETag"]
    assert client.get("/api/v1/export?format=json&profile=x").status_code == 400
    term = client.get("/api/v1/terms/st-powerhouse").get_json()
    assert term["profiles"]["official"] == "leading country in science and technology"
    assert term["usage"][0]["publishers"] == ["CSET (Center for Security and Emerging Technology)"]


def test_stats_count_the_profiles(base: store.TermBase) -> None:
    from glossary.base.stats import counts

    figures = counts(base)
    assert figures["profiles"]["official_differs"] == sum(
        e.profiles["official"] != e.profiles["house"] for e in base.entries.values()
    )
    assert figures["profiles"]["official_differs"] >= 1
    assert figures["sources_by_kind"]["official"] == 2
