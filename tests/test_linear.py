"""Every text path is linear: doubling the input at most about doubles its CPU time, for each character kind.

A path whose cost grows with the square of its input is a denial of service however fast it is on a page: a
~100 KB draft of apostrophes kept a worker busy for 30 s (English normalisation rescanned the text once per
apostrophe). Each path gets inputs of 8,000 to 64,000 characters of one character class (or a random unit
repeated); the CPU time of this process (best of two, so that other work on the shared cores does not count)
may grow at most GROWTH times faster than the input. Linear code grows 8x over the three doublings; quadratic
code 64x, and the bound is 3x linear: generous for a loaded machine, far below what a quadratic path needs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.base import english, store
from glossary.check.checker import Checker
from glossary.check.report import CheckError, CheckRequest, Segment

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"

SIZES = (8_000, 16_000, 32_000, 64_000)  # characters: three doublings
GROWTH = 3.0  # allowed slack over linear growth
FLOOR = 0.002  # CPU seconds: below this the smallest size's time is noise, so the bound starts here
REPEATS = 2

#: One unit per character class the text paths treat specially (repeated to each size).
CLASSES = {
    "apostrophe": "'",
    "curly apostrophe": "\u2019",
    "backtick": "`",
    "ampersand": "&",
    "marks mixed": "'&\u2019`",
    "apostrophe after a letter": "a'",
    "apostrophe before a letter": "'a",
    "ampersand in words": "R&D ",
    "possessive": "China's ",
    "space": " ",
    "nbsp": "\xa0",
    "newline": "\n",
    "crlf": "\r\n",
    "tab": "\t",
    "hyphen": "-",
    "dash": "\u2014",
    "letters": "a",
    "words": "science and technology ",
    "digits": "7",
    "full stop": ".",
    "comma": ",",
    "double quote": '"',
    "curly quotes": "\u201c\u201d",
    "plus hash percent": "+#%",
    "underscore": "_",
    "soft hyphen": "\u00ad",
    "zero width": "\u200b\u200d",
    "nul": "\x00",
    "han": "科",
    "han term": "科技强国",
    "han particle": "的",
    "han punctuation": "\u3002\uff0c",
    "ideographic space": "\u3000",
    "emoji": "\U0001f600",
    "combining mark": "e\u0301",
    "rtl": "\u05e9",
    "replacement": "\ufffd",
    "parentheses": "(",
    "mixed draft": "Build 科技强国 (a leading country in science & technology); the nation's R&D — ",
}


@pytest.fixture(scope="module")
def checker() -> Checker:
    """The checker over the fixture base."""
    return Checker.for_base(store.load(FIXTURE_DATA))


def _paths(checker: Checker) -> dict[str, Callable[[str], object]]:
    def check_text(text: str) -> object:
        try:
            return checker.check(CheckRequest(text=text))
        except CheckError:  # a documented refusal is an answer too (it must come quickly as well)
            return None

    def check_segments(text: str) -> object:
        half = len(text) // 2
        try:
            return checker.check(CheckRequest(segments=[Segment(source=text[:half], target=text[half:])]))
        except CheckError:
            return None

    return {"normalise": english.normalise, "check text": check_text, "check segments": check_segments}


def _cpu(path: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        started = time.process_time()
        path(text)
        best = min(best, time.process_time() - started)
    return best


def assert_linear(path: Callable[[str], object], unit: str, label: str) -> None:
    """Fail when the CPU time of `path` over `unit` repeated grows faster than GROWTH x linear."""
    times: list[float] = []
    for size in SIZES:
        text = (unit * (size // len(unit) + 1))[:size]
        times.append(_cpu(path, text))
        allowed = GROWTH * size / SIZES[0] * max(times[0], FLOOR)
        # Checked as it goes: a quadratic path fails at the second or third size instead of running minutes.
        assert times[-1] <= allowed, (
            f"{label}: {size:,} characters of {unit!r} took {times[-1]:.3f} CPU-s, over {allowed:.3f} "
            f"(times so far {[round(t, 4) for t in times]}, sizes {SIZES[: len(times)]})"
        )


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_every_text_path_is_linear_in_every_character_class(checker: Checker, kind: str) -> None:
    """Doubling a run of one character class at most about doubles each path's CPU time."""
    for name, path in _paths(checker).items():
        assert_linear(path, CLASSES[kind], f"{name} / {kind}")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(unit=st.text(st.sampled_from("".join(CLASSES.values()) + "bcxyz 0"), min_size=1, max_size=6))
def test_text_paths_are_linear_in_any_repeated_unit(checker: Checker, unit: str) -> None:
    """The same for a random short unit of those characters, repeated."""
    for name, path in _paths(checker).items():
        assert_linear(path, unit, name)
