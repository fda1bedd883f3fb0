"""Extractive summaries and keywords.

Keywords: TF-IDF over jieba's segmentation: term frequency in the node's text times the IDF
jieba ships (``jieba/analyse/idf.txt``; unknown words get the median IDF), for words of two or
more characters that are not stop words and occur verbatim in the text. (We compute it
ourselves: importing ``jieba.analyse`` leaks an open file, which our warnings-as-errors catch.)
Between 5 and 10 are returned (fewer only if the text has fewer
distinct words).

Keywords prefer the speech's own key phrases - the terms it puts in quotation marks (“四风”,
“两个维护”) and the official terms of the domain vocabulary it uses (八项规定, 亲清) - over
words a dictionary finds frequent; generic words (决不能, 始终, 三年) are stop words.

Summary: a budget relative to the node (a quarter of its length for short, two fifths for long,
within fixed bounds), so every summary compresses. The unit is the clause (a sentence cut at
，；：). The node's heading comes first. A node with children (a part's sections, a section's
points, the speech's parts) gives each child an even share: its heading and its key clause(s);
a leaf takes its best clauses: summed keyword weights over the square root of the length.
Clauses are shown verbatim and in speech order; where a sentence is cut, …… marks the
omission, so a shortened list never reads as complete. Nothing is rewritten or added.

jieba loads its dictionary in about a second, so it is imported on first use, never at start;
the bot warms it in a background thread after start-up (``warm_up``).
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from content.model import Node, Speech
from content.sentences import split_sentences

Length = Literal["short", "long"]
SHARE: dict[str, float] = {"short": 0.25, "long": 0.4}
BOUNDS: dict[str, tuple[int, int]] = {"short": (60, 400), "long": (120, 1000)}
OMITTED = "……"
KEY_CLAUSE = 30  # room per child for its key clause, beyond its heading
_jieba_lock = threading.Lock()


class Summary(BaseModel):
    """A summary of one node (or of the whole speech, id ``speech``)."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    summary: str
    sentences: tuple[str, ...]
    keywords: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``speechbot summary --json``."""
        return {"id": self.id, "label": self.label, "summary": self.summary, "keywords": list(self.keywords)}


def warm_up() -> None:
    """Load jieba's dictionary now (call from a worker thread). A failure here is harmless
    (jieba's cache file raced by another process, say): the first summary loads it again."""
    try:
        _segmenter()
    except Exception:  # a warm-up must never take a thread down
        logging.getLogger(__name__).warning("warming up jieba failed; summaries will load it", exc_info=True)


_STOP_WORDS_TEXT = (
    "我们 你们 他们 一个 一些 这些 那些 这个 那个 就是 可以 已经 以及 通过 没有 自己 进一步 不断 能够 "
    "做到 还是 但是 而且 并且 因此 所以 如果 只有 才能 一定 方面 之间 其中 有关 更加 同时 当前 今年 "
    "决不能 始终 三年 坚决 全力 推动 要求 持续 各项 重要 充分 深入 切实 真正 一切 全县 我县 上述"
)
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def _segmenter() -> tuple[Callable[[str], list[str]], dict[str, float], float]:
    """jieba's segmenter and IDF table; the lock makes concurrent first callers (the warm-up
    thread and a summary) wait for one load instead of each loading (``cache`` alone would not)."""
    with _jieba_lock:
        return _load_segmenter()


@cache
def _load_segmenter() -> tuple[Callable[[str], list[str]], dict[str, float], float]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    idf_path = Path(jieba.__file__).parent / "analyse" / "idf.txt"
    idf: dict[str, float] = {}
    with idf_path.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, value = line.strip().partition(" ")
            if value:
                idf[word] = float(value)
    median = sorted(idf.values())[len(idf) // 2]
    return jieba.lcut, idf, median


@cache
def _weighted_keywords(text: str) -> tuple[tuple[str, float], ...]:
    cut, idf, median = _segmenter()
    counts = Counter(w for w in cut(text) if len(w) >= 2 and w not in STOP_WORDS and not w.isascii())
    total = sum(counts.values()) or 1
    weights = {word: count / total * idf.get(word, median) for word, count in counts.items()}
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return tuple((word, weight) for word, weight in ranked[:30] if word in text)


def budget(characters: int, length: Length) -> int:
    """How long a summary of a text of ``characters`` may be."""
    low, high = BOUNDS[length]
    return max(low, min(high, round(characters * SHARE[length])))


_QUOTED = re.compile(r"“([^“”]{2,10})”")


@cache
def key_phrases(text: str) -> tuple[str, ...]:
    """The text's own key phrases: what it quotes, then official vocabulary terms it uses."""
    from content.vocabulary import entries

    quoted = [m.group(1).strip("，、。") for m in _QUOTED.finditer(text)]
    official = sorted({term for entry in entries() for term in entry.official
                       if len(term) >= 3 and term in text}, key=text.find)
    return tuple(dict.fromkeys(p for p in quoted + official if len(p) >= 2 and p in text))


def keywords(text: str, limit: int = 10) -> list[str]:
    """5–10 keywords of ``text``, each occurring in it: its key phrases first, then TF-IDF words
    that no key phrase already contains."""
    phrases = list(key_phrases(text))[: limit // 2]
    words = [w for w, _ in _weighted_keywords(text) if not any(w in p for p in phrases)]
    return (phrases + words)[: max(5, min(limit, 10))]


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    sentence: tuple[int, int]  # the span of its sentence
    paragraph: int


_ATTRIBUTION = ("强调，", "指出，", "表示，", "强调：", "指出：")
_CLAUSE = re.compile(r"[^，；：]+[，；：]?|[，；：]")


def _clauses(text: str) -> list[_Clause]:
    """Every clause of ``text`` with its offsets, its sentence and its paragraph."""
    found: list[_Clause] = []
    offset = 0
    for number, paragraph in enumerate(text.split("\n")):
        position = offset
        for sentence in split_sentences(paragraph):
            span = (position, position + len(sentence))
            start = None
            for match in _CLAUSE.finditer(sentence):
                start = match.start() if start is None else start
                piece = sentence[start:match.end()]
                if piece.count("“") > piece.count("”"):
                    continue  # never cut inside a quotation: “一分部署，九分落实” stays whole
                if piece.strip():
                    found.append(_Clause(position + start, position + match.end(), span, number))
                start = None
            if start is not None and sentence[start:].strip():
                found.append(_Clause(position + start, position + len(sentence), span, number))
            position += len(sentence)
        offset += len(paragraph) + 1
    return found


def _render(text: str, chosen: list[_Clause]) -> tuple[str, tuple[str, ...]]:
    """The summary and its verbatim pieces: adjacent clauses run on, a cut sentence gets ……,
    a new paragraph a new line."""
    pieces: list[tuple[int, int, _Clause, _Clause]] = []
    for clause in sorted(chosen, key=lambda c: c.start):
        if pieces and pieces[-1][1] == clause.start and pieces[-1][3].paragraph == clause.paragraph:
            start, _, first, _ = pieces[-1]
            pieces[-1] = (start, clause.end, first, clause)
        else:
            pieces.append((clause.start, clause.end, clause, clause))
    out: list[str] = []
    previous: _Clause | None = None
    for start, end, first, last in pieces:
        if previous is not None:
            out.append("\n" if first.paragraph != previous.paragraph else "")
        cut_before = start > first.sentence[0] and not (out and out[-1] == OMITTED)
        if cut_before and (previous is None or previous.end < start):
            out.append(OMITTED)
        out.append(text[start:end].strip("\n"))
        if end < last.sentence[1]:
            out.append(OMITTED)
        previous = last
    summary = "".join(out).replace(OMITTED + OMITTED, OMITTED)
    return summary, tuple(text[s:e].strip("\n") for s, e, _, _ in pieces)


def summarize(speech: Speech, node: Node | None = None, length: Length = "short") -> Summary:
    """Summarise ``node`` (or the whole speech) within its budget; see the module docstring."""
    if node is None:
        node_id, label = "speech", speech.title or "全文"
        text = "\n".join(top.text for top in speech.top)
        children: list[Node] = list(speech.top)
    else:
        node_id, label, text, children = node.id, node.label, node.text, list(node.children)
    limit = budget(len(text.replace("\n", "")), length)
    clauses = _clauses(text)
    weights = dict(_weighted_keywords(text))
    phrases = key_phrases(text)

    def score(clause: _Clause) -> float:
        words = text[clause.start:clause.end]
        if len(words) < 4 or (len(words) <= 12 and words.endswith(_ATTRIBUTION)):
            return 0.0  # too short, or only "习近平总书记强调，": who said it, not what
        gained = sum(w for word, w in weights.items() if word in words) + sum(0.5 for p in phrases if p in words)
        return gained / math.sqrt(len(words))

    chosen: list[_Clause] = []
    used = 0

    def take(clause: _Clause, cap: int) -> bool:
        nonlocal used
        cost = clause.end - clause.start
        if clause in chosen or used + cost > cap:
            return False
        chosen.append(clause)
        used += cost
        return True

    def heading(group: list[_Clause]) -> list[_Clause]:
        """A group's heading: its first sentence if short (a title line), else its first clause."""
        first = [c for c in group if c.sentence == group[0].sentence]
        return first if sum(c.end - c.start for c in first) <= 40 else first[:1]

    own = clauses
    if node is not None or not children:
        for clause in heading(clauses):
            take(clause, limit)
    if children:
        spans = [(text.find(child.text), text.find(child.text) + len(child.text)) for child in children]
        groups = [[c for c in clauses if start <= c.start < end] for start, end in spans]
        own = [c for c in clauses if not any(start <= c.start < end for start, end in spans)]
        if [c for c in own if c not in chosen]:
            groups.insert(0, [c for c in own if c not in chosen])  # a part's own introduction counts as one
        # Every child gets its heading and room for a key clause, even under a tight budget.
        headings = sum(c.end - c.start for group in groups if group for c in heading(group))
        limit = max(limit, min(BOUNDS[length][1], used + headings + KEY_CLAUSE * len(groups)))
        share = max(0, limit - used) // max(1, len(groups))
        for group in groups:
            if not group:
                continue
            cap = used + share
            for clause in heading(group):
                take(clause, limit)
            for clause in sorted(group, key=lambda c: (-score(c), c.start)):
                if score(clause) > 0:
                    take(clause, cap)  # the best that still fits: short key clauses pack in
    else:
        for clause in sorted(clauses, key=lambda c: (-score(c), c.start)):
            if score(clause) > 0:
                take(clause, limit)
    summary, pieces = _render(text, chosen)
    return Summary(id=node_id, label=label, summary=summary, sentences=pieces, keywords=tuple(keywords(text)))
