"""Extractive summaries and keywords.

Keywords: TF-IDF over jieba's segmentation: term frequency in the node's text times the IDF
jieba ships (``jieba/analyse/idf.txt``; unknown words get the median IDF), for words of two or
more characters that are not stop words and occur verbatim in the text. (We compute it
ourselves: importing ``jieba.analyse`` leaks an open file, which our warnings-as-errors catch.)
Between 5 and 10 are returned (fewer only if the text has fewer
distinct words).

Summary: sentences are scored by the summed TF-IDF weight of the keywords they contain,
divided by the square root of their length (so long sentences do not win by size alone).
A node with children always includes each child's heading sentence first (a part's summary
names its subsections: （一）坚持对党绝对忠诚。…), then the best-scoring remaining sentences
while they fit the budget (short ≤ 300, long ≤ 1,200 characters). The chosen sentences are
printed verbatim, in speech order; nothing is rewritten or added.

jieba loads its dictionary in about a second, so it is imported on first use, never at start;
the bot warms it in a background thread after start-up (``warm_up``).
"""

from __future__ import annotations

import logging
import math
import threading
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from content.model import Node, Speech
from content.sentences import split_sentences

Length = Literal["short", "long"]
BUDGET: dict[str, int] = {"short": 300, "long": 1200}
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
    """Load jieba's dictionary now (call from a worker thread)."""
    _segmenter()


_STOP_WORDS_TEXT = (
    "我们 你们 他们 一个 一些 这些 那些 这个 那个 就是 可以 已经 以及 通过 没有 自己 进一步 不断 能够 "
    "做到 还是 但是 而且 并且 因此 所以 如果 只有 才能 一定 方面 之间 其中 有关 更加 同时 当前 今年"
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


def keywords(text: str, limit: int = 10) -> list[str]:
    """5–10 TF-IDF keywords of ``text`` (each occurs in it)."""
    return [word for word, _ in _weighted_keywords(text)[: max(5, min(limit, 10))]]


MIN_FILLER = 15


def _render(chosen: list[tuple[int, str]]) -> str:
    """Sentences of one paragraph run on; a new paragraph starts a new line."""
    out: list[str] = []
    previous = None
    for paragraph, sentence in chosen:
        if previous is not None and paragraph != previous:
            out.append("\n")
        out.append(sentence)
        previous = paragraph
    return "".join(out)


def _heading(node: Node) -> str:
    first = node.sentences[0].strip()
    return first.split("\n", 1)[0]


def summarize(speech: Speech, node: Node | None = None, length: Length = "short") -> Summary:
    """Summarise ``node`` (or the whole speech) extractively within the length budget."""
    budget = BUDGET[length]
    if node is None:
        node_id, label = "speech", speech.title or "全文"
        text = "\n".join(top.text for top in speech.top)
        children = speech.parts
    else:
        node_id, label, text, children = node.id, node.label, node.text, list(node.children)
    located = [
        (p, s.strip()) for p, para in enumerate(text.split("\n")) for s in split_sentences(para) if s.strip()
    ]
    ordered = [sentence for _, sentence in located]
    weights = dict(_weighted_keywords(text))
    chosen: set[int] = set()
    used = 0

    def take(index: int) -> bool:
        nonlocal used
        cost = len(ordered[index]) + 1
        if index in chosen or used + cost > budget:
            return False
        chosen.add(index)
        used += cost
        return True

    position = {sentence: i for i, sentence in reversed(list(enumerate(ordered)))}
    for child in children:
        take(position[_heading(child)])

    def score(index: int) -> float:
        sentence = ordered[index]
        return sum(w for word, w in weights.items() if word in sentence) / math.sqrt(len(sentence))

    for index in sorted(range(len(ordered)), key=lambda i: (-score(i), i)):
        if len(ordered[index]) >= MIN_FILLER:
            take(index)
    selected = [located[i] for i in sorted(chosen)]
    return Summary(
        id=node_id, label=label, summary=_render(selected), sentences=tuple(s for _, s in selected),
        keywords=tuple(keywords(text)),
    )
