"""Chinese word boundaries for the checker: which of the overlapping terms in a run of Han characters stand.

A scan finds every form of every term, overlapping: in 加强国家实验室 both 强国 and 国家实验室. `best_cover`
keeps, in each cluster of overlapping matches, the set that covers most characters, and of equal cover the
fewest matches (the longer real term): 国家实验室, not 强国. `Segmenter` is the evidence against a match that
cuts a word: jieba, with the term base's forms as its user dictionary, segments the few characters around a
match, and a match whose ends fall inside jieba's words (强国 in 富强国家 = 富强/国家) is not the term.

jieba was chosen over the CC-CEDICT reference layer because it ships with its own dictionary and model (the
reference layer lives in ../shared and is not shipped), and over pkuseg / LAC because it is pure Python and
well kept; it is only asked about the few matches a cheaper test cannot clear (see `Segmenter.cuts`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence

Match = tuple[int, int, int]  # start, end, pattern index

_WINDOW = 4  # characters of context either side of a match that jieba sees


def best_cover(cluster: Sequence[Match]) -> list[Match]:
    """Of overlapping matches, the non-overlapping set covering most characters (fewest matches on a tie)."""
    ordered = sorted(cluster, key=lambda m: (m[1], m[0]))
    # Weighted interval scheduling: best[k] is the best choice among the first k matches.
    best: list[tuple[tuple[int, int], list[Match]]] = [((0, 0), [])]
    for k, match in enumerate(ordered):
        start, end, _ = match
        previous = max((i for i in range(k) if ordered[i][1] <= start), default=-1) + 1
        (cover, count), chosen = best[previous]
        take = ((cover + end - start, count - 1), [*chosen, match])
        best.append(max(best[k], take, key=lambda choice: choice[0]))
    return sorted(best[-1][1])


def resolve(matches: Iterable[Match]) -> list[Match]:
    """Every cluster of overlapping matches reduced to its best cover, in text order."""
    kept: list[Match] = []
    cluster: list[Match] = []
    reach = -1
    for match in sorted(matches):
        if match[0] < reach:
            cluster.append(match)
            if match[1] > reach:
                reach = match[1]
            continue
        if cluster:
            kept += _cover(cluster, reach)
        cluster, reach = [match], match[1]
    if cluster:
        kept += _cover(cluster, reach)
    return kept


def _cover(cluster: list[Match], reach: int) -> list[Match]:
    if len(cluster) == 1:
        return cluster
    # One match spanning the whole cluster (科技自立自强 over 科技) is its best cover: no search.
    start = cluster[0][0]
    whole = next((m for m in cluster if m[0] == start and m[1] == reach), None)
    return [whole] if whole is not None else best_cover(cluster)


class Segmenter:
    """jieba over the base's Chinese forms: built on first use (about a second), then shared by threads."""

    def __init__(self, forms: Iterable[str]):
        self._forms = [form for form in forms if len(form) > 1]
        self._tokenizer: object | None = None
        self._frequencies: dict[str, int] | None = None
        self._lock = threading.Lock()

    def _jieba(self) -> object:
        if self._tokenizer is not None:
            return self._tokenizer
        with self._lock:
            if self._tokenizer is None:
                import jieba  # imported here: loading its dictionary costs a second, needed only for Chinese

                jieba.setLogLevel(logging.WARNING)  # it logs its loading time at INFO on every start
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for form in self._forms:
                    tokenizer.add_word(form)  # jieba's own suggested frequency: a word, not a certainty
                self._tokenizer = tokenizer
            return self._tokenizer

    def cuts(self, text: str, start: int, end: int, run: tuple[int, int]) -> bool:
        """Whether `text[start:end]` (inside the Han run `run`) cuts a word at both ends: then it is not the
        term but parts of its neighbours (强国 in 富强|国家). One end inside a word is a compound the term
        heads or begins (政协 in 人民政协), which is the term."""
        if run == (start, end):
            return False
        freq = self._freq()
        # No dictionary word straddling both ends: nothing to ask jieba.
        if not (_crossed(text, start, run, freq) and _crossed(text, end, run, freq)):
            return False
        left, right = max(run[0], start - _WINDOW), min(run[1], end + _WINDOW)
        bounds = {left, right}
        for _word, a, b in self._jieba().tokenize(text[left:right], HMM=False):  # type: ignore[attr-defined]
            bounds.update((a + left, b + left))
        return start not in bounds and end not in bounds

    def _freq(self) -> dict[str, int]:
        if self._frequencies is None:
            self._frequencies = self._jieba().FREQ  # type: ignore[attr-defined]
        return self._frequencies


def _crossed(text: str, at: int, run: tuple[int, int], freq: dict[str, int]) -> bool:
    """Whether a dictionary word of two or three characters straddles position `at` of the run."""
    if at <= run[0] or at >= run[1]:
        return False
    for a in range(max(run[0], at - 2), at):
        for b in range(at + 1, min(run[1], at + 2) + 1):
            if b - a <= 3 and freq.get(text[a:b]):
                return True
    return False
