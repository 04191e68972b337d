"""Chinese term candidates: jieba with the base as user dictionary, C-value, specificity, formula patterns.

The segmenter is jieba (with its part-of-speech tagger) on a private `Tokenizer`, so adding the base's terms
never changes jieba's global dictionary for other users in the process. Every Chinese form in the base is
added as a word: a known term is one token, so its parts are never proposed and a candidate never cuts
through it.
"""

from __future__ import annotations

import logging
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import jieba
import jieba.posseg
from wordfreq import word_frequency

# The tag given to the base's terms, so that a candidate built of them is recognised.
BASE_TAG = "gb"
# Clause breaks: a term never crosses punctuation.
_CLAUSE = re.compile(r"[，,。．.；;：:！!？?、（）()《》〈〉【】\[\]“”\"‘’'—…·/\s]+")
_SENTENCE = re.compile(r"(?<=[。！？；!?;])")
# Parts of speech a term may end with (nouns, nominal verbs, idioms, abbreviations, the base's own terms).
_HEAD = {"n", "nz", "vn", "nt", "ng", "j", "l", "i", "an", "eng", BASE_TAG}
# ... and may contain: no verbs or adverbs (jieba's tags for them are unreliable, hence also _ACTION below).
_INSIDE = _HEAD | {"a", "b", "s"}
_NEVER_EDGE = {"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "rr", "rz", "x", "y", "e", "o", "zg"}
# Function words jieba sometimes tags as content.
_STOP = set(
    "的 了 和 与 及 并 等 在 是 为 以 对 把 将 要 从 向 于 由 中 上 下 之 其 各 每 该 本 这 那 有 好".split()
)
# The verbs and adverbs that open policy clauses (加快…, 全面提高…): jieba's dictionary tags many of them as
# nouns, so they are named here; a term does not start with one.
_ACTION = set(
    """加快 加强 推进 推动 深化 健全 完善 实施 发展 建设 提升 提高 全面 充分 大力 积极 坚持 构建 促进
    强化 优化 增强 扩大 支持 营造 培育 弘扬 着力 紧紧 面向 打好 坚决 持续 不断 进一步 切实 努力 统筹
    稳步 稳定 保持 实现 形成 开展 组织 落实 贯彻 巩固 拓展 壮大 加大 发挥 充分发挥 全面提高 大力发展
    积极探索 不断创新 深入 扎实 基本 重点 主要 全年 一批 各类 力争 突破 代表 报告 提出 围绕 依托 瞄准
    聚焦 抓住""".split()
)
# Heads too generic to end a term alone after another term (新型举国体制优势: "the strengths of" a term).
_GENERIC_HEAD = set(
    """优势 作用 工作 力度 方面 问题 过程 情况 布局 效能 比重 能力 水平 方式 基础 条件 成效 任务 成果
    历史""".split()
)
_FORMULA = [
    (
        "count",
        re.compile(r"^[两二三四五六七八九十]+个[\u4e00-\u9fff]{2,6}$"),
    ),  # 两个确立, 四个面向 (一个: "a")
    ("power", re.compile(r"^[\u4e00-\u9fff]{2,6}强国$")),  # 科技强国, 航天强国
    ("new-quality", re.compile(r"^新质[\u4e00-\u9fff]{2,6}$")),  # 新质生产力
    ("new-type", re.compile(r"^新型[\u4e00-\u9fff]{2,8}$")),  # 新型举国体制, 新型工业化
    ("plan-period", re.compile(r"^“?十[一二三四五六七八九]{1,2}五”?")),  # “十四五”
]
# A single word is a candidate only if general Chinese uses it less than this (Zipf 3: 赋权; not 育才, 韧性 or
# 调控), unless the text repeats or quotes it (“卡脖子”).
_COMMON = 1e-6
_PERIOD = re.compile(r"“十[一二三四五六七八九]{1,2}五”")
_QUOTED = re.compile(r"“([\u4e00-\u9fff]{2,10})”")


@dataclass(frozen=True)
class Word:
    """A token of the segmentation with its part of speech."""

    text: str
    tag: str


@dataclass
class ZhCandidate:
    """A Chinese term candidate: its string, words, counts and the segments it occurs in."""

    zh: str
    words: tuple[Word, ...]
    freq: int = 0
    segments: list[int] = field(default_factory=list)
    pattern: str | None = None
    quoted: bool = False
    # Occurrences (segment, clause, first word, end word), and how many are followed by a noun: a string that
    # is always followed by one is a modifier cut out of a longer noun phrase, not a whole term.
    places: list[tuple[int, int, int, int]] = field(default_factory=list)
    open_right: int = 0
    open_left: int = 0  # ... and preceded by one: the head of a longer noun phrase (地区|高校办学实力)
    cvalue: float = 0.0
    specificity: float = 0.0

    @property
    def score(self) -> float:
        """Termhood: C-value and specificity, with the evidence of a formula pattern or quotation marks."""
        bonus = (2.0 if self.pattern else 0.0) + (1.5 if self.quoted else 0.0)
        # Long strings of ordinary words are phrases, not terms: 2-3 words and up to 7 characters are usual.
        length = 0.5 * max(0, len(self.zh) - 7) + 0.5 * max(0, len(self.words) - 3)
        cut = (1.0 * self.open_right + 0.5 * self.open_left) / max(self.freq, 1)
        return math.log2(1 + self.cvalue) + self.specificity + bonus - length - cut


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, int], int]:
    """jieba's main dictionary (word frequencies and their total), loaded once per process."""
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.initialize()
    return dict(jieba.dt.FREQ), jieba.dt.total


def plain_cut(text: str) -> list[str]:
    """The text's tokens by jieba's own dictionary (no user words)."""
    _dictionary()
    return [w for w in jieba.dt.cut(text) if w.strip()]


class Segmenter:
    """jieba with the base's Chinese forms as its user dictionary."""

    def __init__(self, terms: Iterable[str] = ()):
        freq, total = _dictionary()
        # A private tokenizer, so the base's words never enter jieba's global one; it starts from a copy of
        # the loaded dictionary and tag table (initialising and tagging from the files take seconds each).
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.FREQ, self._tokenizer.total, self._tokenizer.initialized = dict(freq), total, True
        for term in terms:
            # A high frequency makes jieba keep the term whole wherever it stands.
            self._tokenizer.add_word(term, freq=max(self._tokenizer.FREQ.get(term, 0), 5000), tag=BASE_TAG)
        self._tagger = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
        self._tagger.tokenizer = self._tokenizer
        self._tagger.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)
        self._terms = set(terms)

    def words(self, text: str) -> list[Word]:
        """The text's tokens with their parts of speech; the base's terms tagged as such."""
        return [Word(w, BASE_TAG if w in self._terms else f) for w, f in self._tagger.cut(text) if w.strip()]

    def cut(self, text: str) -> list[str]:
        """The text's tokens (no tags)."""
        return [w for w in self._tokenizer.cut(text) if w.strip()]


def clauses(text: str) -> list[str]:
    """The runs of text between punctuation marks."""
    return [c for c in _CLAUSE.split(text) if c]


def sentences(text: str) -> list[str]:
    """Sentences, split after 。！？； (kept with the sentence)."""
    return [s for s in (p.strip() for p in _SENTENCE.split(text)) if s]


@lru_cache(maxsize=65536)
def general_frequency(word: str) -> float:
    """wordfreq's general-language frequency of a word in Chinese (1e-9 when unknown)."""
    return max(word_frequency(word, "zh"), 1e-9)


def _termlike(words: tuple[Word, ...], verbs: frozenset[str] = frozenset()) -> bool:
    first, last = words[0], words[-1]
    # A verb opening a longer string makes a verb phrase (利用|外层空间, 突破|瓶颈制约): `verbs` are the words
    # a dictionary glosses only as verbs ("to …"), since jieba tags many of them as nouns.
    if len(words) > 1 and first.text in verbs and first.tag != BASE_TAG:
        return False
    if first.tag in _NEVER_EDGE or last.tag in _NEVER_EDGE or first.text in _STOP or last.text in _STOP:
        return False
    if last.tag not in _HEAD or first.tag in {"v", "vd", "d", "ad", "m", "q", "f"}:
        return False
    if any(first.text.startswith(a) for a in _ACTION):  # jieba's dictionary has 紧紧抓住, 贯彻落实 as words
        return False
    if len(words) > 1 and last.text in _ACTION:  # 空间站建设|全面: a clause's adverb, not a term's head
        return False
    if last.text in _GENERIC_HEAD or any(
        last.text.endswith(g) and len(last.text) > len(g) for g in _GENERIC_HEAD
    ):
        if len(words) > 1 or last.tag != BASE_TAG:
            return False
    # A one-character word is a fragment jieba cut badly (原创性/引领/性, 厚/植), unless it opens the term as
    # a modifier (新赛道, 大飞机, 全链条).
    if any(
        len(w.text) == 1 and w.tag != BASE_TAG and not (i == 0 and w.tag in {"a", "b"})
        for i, w in enumerate(words)
    ):
        return False
    # Idioms and set phrases (复杂多变, 成果不断涌现) describe; a policy idiom is a term when the text quotes
    # it. Words in 性 (战略性, 基础性) are adjectives whatever jieba's tag: they modify a term, they do not
    # end one.
    if last.tag in {"i", "l"} or (last.text.endswith("性") and last.tag != BASE_TAG):
        return False
    if any(w.tag not in _INSIDE or w.text in _STOP for w in words):
        return False
    return True


def _pattern(words: tuple[Word, ...], verbs: frozenset[str] = frozenset()) -> str | None:
    """The formula pattern the words make, if any: a count formula's head is its count word (两个/m)."""
    zh = "".join(w.text for w in words)
    name = next((name for name, regex in _FORMULA if regex.match(zh)), None)
    if name == "count":
        rest = words[1:] if words[0].text.endswith("个") else ()
        return name if 1 <= len(rest) <= 2 and all(w.text not in _STOP for w in rest) else None
    return name if name and _termlike(words, verbs) else None


def extract(
    texts: list[str],
    segmenter: Segmenter,
    known: set[str],
    max_words: int = 4,
    progress: Callable[[int], None] | None = None,
    verbs: frozenset[str] = frozenset(),
) -> list[ZhCandidate]:
    """Term candidates of the texts (one per segment), ranked by termhood; the base's forms excluded.

    `verbs`: words a dictionary glosses only as verbs (see `_termlike`); empty without a dictionary.
    """
    found: dict[str, ZhCandidate] = {}
    total = 0
    for index, text in enumerate(texts):
        if progress is not None:
            progress(1)
        quoted = {m.group(1) for m in _QUOTED.finditer(text)}
        spans = [(m.group(0), "plan-period") for m in _PERIOD.finditer(text)]
        for number, clause in enumerate(clauses(text)):
            words = segmenter.words(clause)
            total += len(words)
            for start in range(len(words)):
                for end in range(start + 1, min(start + max_words, len(words)) + 1):
                    gram = tuple(words[start:end])
                    zh = "".join(w.text for w in gram)
                    pattern = _pattern(gram, verbs)
                    if len(zh) < 2 or len(zh) > 10:
                        continue
                    if len(gram) == 1 and gram[0].tag == BASE_TAG:
                        continue
                    if not pattern and not _termlike(gram, verbs) and zh not in quoted:
                        continue
                    candidate = found.setdefault(zh, ZhCandidate(zh, gram, pattern=pattern))
                    candidate.freq += 1
                    candidate.places.append((index, number, start, end))
                    if end < len(words) and words[end].tag in _HEAD and len(words[end].text) > 1:
                        candidate.open_right += 1
                    if start > 0 and (words[start - 1].tag in _HEAD or words[start - 1].tag in {"a", "b"}):
                        candidate.open_left += 1
                    candidate.quoted |= zh in quoted
                    if not candidate.segments or candidate.segments[-1] != index:
                        candidate.segments.append(index)
        for zh, pattern in spans:  # “十四五” keeps its quotation marks, which the clause split drops
            candidate = found.setdefault(zh, ZhCandidate(zh, (Word(zh, "nz"),), pattern=pattern))
            candidate.freq += 1
            if not candidate.segments or candidate.segments[-1] != index:
                candidate.segments.append(index)
    candidates = [
        c
        for z, c in found.items()
        if z not in known
        and z.strip("“”") not in known
        and (len(c.words) > 1 or c.pattern or c.quoted or c.freq > 1 or general_frequency(z) <= _COMMON)
    ]
    _score(candidates)
    return sorted(candidates, key=lambda c: (-c.score, -c.freq, c.zh))


def _score(candidates: list[ZhCandidate]) -> None:
    """C-value (Frantzi et al. 2000) over word n-grams, and specificity against general Chinese."""
    by_zh = {c.zh: c for c in candidates}
    nests: dict[str, list[ZhCandidate]] = defaultdict(list)
    for longer in candidates:
        n = len(longer.words)
        for start in range(n):
            for end in range(start + 1, n + 1):
                if end - start < n:
                    inner = "".join(w.text for w in longer.words[start:end])
                    if inner in by_zh:
                        nests[inner].append(longer)
    for c in candidates:
        # C-value's log2 of the length in words; a single word weighs half a two-word term.
        length = math.log2(len(c.words)) if len(c.words) > 1 else 0.5
        # Only repeated longer candidates take a nested one's occurrences (C-value's correction): in a short
        # document every n-gram occurs once, and the longest string of once-seen words is seldom the term.
        containing = [o for o in nests.get(c.zh, []) if o.freq > 1]
        nested = sum(o.freq for o in containing) / len(containing) if containing else 0.0
        c.cvalue = max(length * (c.freq - nested), 0.0)
        # Specificity: how seldom general Chinese uses the candidate's rarest word (wordfreq's Zipf scale, 7
        # for 的, 3 for a word met once in a million words): a term has at least one word general language
        # seldom uses. (A ratio to the document's own frequency would make every word of a short document look
        # specific.)
        rarest = min(
            (general_frequency(w.text) for w in c.words if w.tag != BASE_TAG), default=general_frequency(c.zh)
        )
        zipf = math.log10(rarest) + 9
        c.specificity = min(max((6.0 - zipf) / 1.5, 0.0), 2.0)


def best_cover(candidates: list[ZhCandidate], limit: int) -> list[ZhCandidate]:
    """The best `limit` candidates, skipping one whose every occurrence overlaps a better one's.

    Overlapping n-grams of one phrase (创投基金差异化, 基金差异化监管, 差异化监管制度) would otherwise fill
    the list
    with one place of the text; the best-scored of them stands for it, and the others only where they occur
    apart.
    """
    taken: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    chosen: list[ZhCandidate] = []
    for cand in candidates:
        if len(chosen) >= limit:
            break
        # A place is taken when it crosses or lies inside a chosen candidate's; one that contains a chosen
        # candidate whole is a longer term built on it (区间调控 on 调控) and stays free.
        free = [
            p
            for p in cand.places
            if not any(
                p[2] < end and start < p[3] and not (p[2] <= start and end <= p[3])
                for start, end in taken[(p[0], p[1])]
            )
        ]
        if cand.places and not free:
            continue
        # A longer string around a chosen term (学生|心理健康教育) adds nothing unless it recurs or is a
        # formula.
        around = [p for p in free if any(p[2] <= s and e <= p[3] for s, e in taken[(p[0], p[1])])]
        if around and len(around) == len(free) and cand.freq < 2 and not cand.pattern:
            continue
        for p in cand.places:
            taken[(p[0], p[1])].append((p[2], p[3]))
        chosen.append(cand)
    return chosen
