"""Profiles: which rendering counts as preferred for whom, and which publishers use each rendering since when.

The curated statuses are the **house** profile: the careful translator's choice, with the reason in the note.
The **official** profile follows the government's own English, for a draft whose client is the government:
the house's preferred rendering when an `official` source (a Government Work Report, a white paper, a
ministry's or the SCIO's English) uses it too, else the rendering an official source attests most recently —
deprecated and superseded renderings never, since the curators deprecate an official rendering only when it is
a slip. An entry no official source renders keeps the house's choice. Both answers are derived from the
renderings' sources and their dates, never curated twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from .model import Attestation, Entry, Rendering, RenderingUsage, Source, SourceKind, Status

_DROPPED = (Status.deprecated, Status.superseded)
_RANK = {Status.preferred: 2, Status.admitted: 1}


class Profile(StrEnum):
    """Whose choice of rendering a draft or an export follows."""

    house = "house"  # the curated statuses: the house style
    official = "official"  # the government's own English, most recent first


def usage(rendering: Rendering, sources: Mapping[str, Source]) -> RenderingUsage:
    """Who attests a rendering and since when, oldest source first."""
    attested = sorted(
        (
            Attestation(source=s, publisher=sources[s].publisher, date=sources[s].date, kind=sources[s].kind)
            for s in rendering.sources
            if s in sources
        ),
        key=lambda a: a.date,
    )
    return RenderingUsage(
        publishers=list(dict.fromkeys(a.publisher for a in attested)),
        since=attested[0].date if attested else None,
        latest=attested[-1].date if attested else None,
        official_since=next((a.date for a in attested if a.kind is SourceKind.official), None),
        attested_by=attested,
    )


def official_choice(entry: Entry, uses: list[RenderingUsage]) -> int:
    """The index of the rendering the official profile prefers (the house's if no official source renders)."""
    best: tuple[str, int, int] | None = None
    house = next(i for i, r in enumerate(entry.renderings) if r.status is Status.preferred)
    if any(a.kind is SourceKind.official for a in uses[house].attested_by):
        return house
    for i, (rendering, use) in enumerate(zip(entry.renderings, uses, strict=True)):
        if rendering.status in _DROPPED:
            continue
        dates = [a.date for a in use.attested_by if a.kind is SourceKind.official]
        if dates:
            key = (max(dates), _RANK[rendering.status], -i)
            best = key if best is None or key > best else best
    return house if best is None else -best[2]


def annotate(entry: Entry, sources: Mapping[str, Source]) -> Entry:
    """The entry with its usage per rendering and the preferred rendering of each profile filled in."""
    uses = [usage(rendering, sources) for rendering in entry.renderings]
    official = entry.renderings[official_choice(entry, uses)].en
    chosen = {Profile.house.value: entry.preferred.en, Profile.official.value: official}
    return entry.model_copy(update={"usage": uses, "profiles": chosen})


def view(entry: Entry, profile: Profile | str) -> Entry:
    """The entry as the profile sees it: its choice preferred, the house's preferred admitted.

    Both notes say so first, so that an export under the profile never tells a reader that the admitted
    rendering is the preferred one (the house's reasons follow, for the translator who wants them).
    """
    chosen = entry.profiles.get(Profile(profile).value, entry.preferred.en)
    house = entry.preferred.en
    if chosen == house:
        return entry
    use = next((u for r, u in zip(entry.renderings, entry.usage, strict=False) if r.en == chosen), None)
    since = f" since {use.official_since}" if use and use.official_since else ""
    promoted = f"Preferred with the official profile: the government's own English{since}. "
    demoted = f"The house style's preferred rendering; the official profile prefers “{chosen}”. "

    def noted(rendering: Rendering, status: Status, prefix: str) -> Rendering:
        note = prefix + (f"House note: {rendering.note}" if rendering.note else "")
        return rendering.model_copy(update={"status": status, "note": note.strip()})

    renderings = [
        noted(r, Status.preferred, promoted)
        if r.en == chosen
        else noted(r, Status.admitted, demoted)
        if r.en == house
        else r
        for r in entry.renderings
    ]
    return entry.model_copy(update={"renderings": renderings})
