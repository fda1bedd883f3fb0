"""Extractive summaries that read as sentences, and keywords that are terms.

Units are sentences, verbatim. A sentence too long for its place is shortened once, at a clause
boundary (never inside a quotation, never leaving a bare lead-in such as "……强调："), and the
cut is marked ……. No clause appears twice, no line carries more than two ……, and every summary
starts with the node's heading:

- a leaf (a subsection without points, a point, the preface, the closing): the heading, then its
  best sentences (summed keyword weights over the square root of the length, the topic sentence
  -- the first after the heading -- weighted ``LEAD_BONUS``; a sentence naming the four 慎 before
  any other) in speech order, within a budget relative to its length (``SHARE``: 30% for short,
  40% for long);
- a node with children (a part, a subsection with points): the heading, the best sentence of
  its own introduction if it has one, then one line per child: the child's heading with its
  topic sentence (the first substantive sentence after the heading);
- the whole speech: the preface's sentence naming the four 慎, each part's heading with its
  subsections' headings, and the closing's key sentence.

Keywords are whole terms of the speech (``is_term``): the phrases it quotes and the official
terms of the domain vocabulary it uses, then TF-IDF words over jieba (the IDF jieba ships;
computed here because importing ``jieba.analyse`` leaks an open file) that are whole words of
jieba's dictionary and no filler (``is_keyword_word``: its part-of-speech tags and counts). jieba loads its
dictionary in about a second: imported on first use, warmed by the bot in a thread (``warm_up``).
``defects`` names what would make a summary read badly; tests and ``benchmarks/quality.py``
check every node with it.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from content.model import Node, Speech
from content.sentences import split_sentences

Length = Literal["short", "long"]
SHARE: dict[str, float] = {"short": 0.3, "long": 0.4}
BOUNDS: dict[str, tuple[int, int]] = {"short": (80, 600), "long": (120, 1200)}
OMITTED = "……"
LEAD_BONUS = 1.6  # fitted on the development references (1.0-1.6 tried), never the held-out ones
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
"""Words that weigh nothing in a sentence's score and are never keywords."""
_FILLER_TEXT = (
    "不能 绝不能 不会 不要 不得 必须 需要 应该 应当 要把 要以 作为 成为 进行 加以 予以 实现 有所 推进 坚持 加强 "
    "强化 提升 提高 确保 开展 完善 打造 抓好 做好 争取 造成 见到 抓紧 要紧 充满 重大"
)
FILLER = STOP_WORDS | frozenset(_FILLER_TEXT.split())
"""Words that are never keywords, though they weigh in a sentence's score: modal verbs (不能) and
the verbs and adjectives every passage of an official speech uses (推进, 加强, 重大), which name
no topic."""

FUNCTION_TAGS = frozenset({"d", "r", "c", "p", "u", "uj", "ul", "uv", "uz", "ud", "ug", "m", "mq", "q", "t", "f", "y",
                           "e", "o", "b"})
"""jieba's part-of-speech tags of words that carry no topic: adverbs (亲自, 从严), pronouns
(自我), conjunctions, prepositions, particles, numerals and measures (一年, 八项), time (下半年),
position, interjections, and distinguishing words (上级)."""
RARE_PAIR = 20
"""A two-character word jieba's dictionary counts fewer times than this is, in a speech, a piece
of a longer expression it failed to join (高质 of 高质高效, 风正 of 风正时济, 谋定 of 谋定而后动)."""


class _Jieba(NamedTuple):
    """jieba's segmenter and what keywords need of its dictionary and IDF table."""

    cut: Callable[[str], list[str]]
    idf: dict[str, float]
    median: float
    frequency: dict[str, int]
    tags: dict[str, str]
    """The part-of-speech tag of each function word (``FUNCTION_TAGS``) of the dictionary."""


def _segmenter() -> _Jieba:
    """jieba's segmenter and tables; the lock makes concurrent first callers (the warm-up
    thread and a summary) wait for one load instead of each loading (``cache`` alone would not)."""
    with _jieba_lock:
        return _load_segmenter()


@cache
def _load_segmenter() -> _Jieba:
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
    tags: dict[str, str] = {}  # the function words' only: all 350,000 would cost ~40 MB
    with jieba.dt.get_dict_file() as entries:  # word, count, part of speech
        for raw in entries:
            fields = raw.decode("utf-8").split()
            if len(fields) == 3 and fields[2] in FUNCTION_TAGS:
                tags[fields[0]] = fields[2]
    return _Jieba(jieba.lcut, idf, median, jieba.dt.FREQ, tags)


@cache
def _weighted_keywords(text: str) -> tuple[tuple[str, float], ...]:
    cut, idf, median, _, _ = _segmenter()
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
                       if len(term) >= 3 and term in text}, key=lambda term: (text.find(term), -len(term), term))
    return tuple(dict.fromkeys(p for p in quoted + official if len(p) >= 2 and p in text))


_NUMERALS = "一二三四五六七八九十两百千万"
_MARKER = re.compile(rf"^[{_NUMERALS}]+[是要]")
_PUNCTUATION = re.compile(r"[\W_]")


def is_term(word: str) -> bool:
    """A keyword must be a term: 2-8 characters of words only (no punctuation: a slogan such as
    一分部署，九分落实 is a sentence), not an enumeration marker (六是), not a stop word."""
    return (2 <= len(word) <= 8 and not _PUNCTUATION.search(word) and not _MARKER.match(word)
            and word not in STOP_WORDS)


def _official() -> frozenset[str]:
    from content.vocabulary import entries

    return frozenset(term for entry in entries() for term in entry.official)


def _broken(text: str, word: str, frequency: dict[str, int]) -> bool:
    """True when every occurrence of ``word`` in ``text`` is cut out of a longer expression: a
    dictionary word more common than ``word`` straddles its start or its end there (代代传 of
    代代传承, where 传承 straddles its end)."""
    own, start = frequency.get(word, 0), text.find(word)
    while start >= 0:
        end = start + len(word)
        if not any(frequency.get(text[left:right], 0) > own
                   for left in range(max(0, start - 4), end) for right in range(max(left + 2, start + 1), end + 5)
                   if left < start < right <= end or start <= left < end < right):
            return False  # a whole word here
        start = text.find(word, start + 1)
    return True


PHRASE_COUNT = 3
"""The count jieba's dictionary gives most of its multi-word entries (想尽一切办法's 一切办法)."""


FILLER_TAGS = frozenset({"r", "c", "p", "u", "uj", "ul", "m", "mq", "q"})
"""Tags of the words that pad a phrase without narrowing it: pronouns (一切, 每), conjunctions,
prepositions, particles, numerals, measures. Not adverbs: 从严治党 is a term."""


def _padded(word: str, jieba: _Jieba) -> bool:
    """A dictionary phrase that is a filler word or a lone character joined to a word: 一切办法
    (一切 + 办法), 每季度, 坚决贯彻, 协作办 (协作 + 办); 施工进度 and 忧患意识 are not."""
    if len(word) < 3 or jieba.frequency.get(word, 0) > PHRASE_COUNT:
        return False
    for cut in range(1, len(word)):
        parts = (word[:cut], word[cut:])
        if all(len(p) == 1 or jieba.frequency.get(p, 0) for p in parts) and any(
                (len(p) == 1 and len(word) == 3) or p in FILLER or jieba.tags.get(p) in FILLER_TAGS
                for p in parts):
            return True
    return False


def is_keyword_word(text: str, word: str) -> bool:
    """A word jieba cut from ``text`` may be a keyword: a term (``is_term``) that is a whole word of
    jieba's dictionary (not a guess of its HMM such as 常怀 or 该办, not a rare two-character
    piece such as 高质, not cut out of a longer word at every occurrence such as 代代传, not a
    phrase padded with filler such as 一切办法), and not a function word (an adverb, a pronoun, a
    numeral, a time: ``FUNCTION_TAGS``)."""
    jieba = _segmenter()
    count = jieba.frequency.get(word, 0)
    return (is_term(word) and word not in FILLER and word in jieba.idf and count > 0
            and jieba.tags.get(word) not in FUNCTION_TAGS
            and (len(word) > 2 or count >= RARE_PAIR) and not _padded(word, jieba)
            and not _broken(text, word, jieba.frequency))


def keywords(text: str, limit: int = 10) -> list[str]:
    """5-10 terms of ``text``, each occurring in it: its key phrases that are terms (a quoted
    two-character phrase only when it is an official term or holds a numeral: 四风 yes, the
    metaphor 长牙 no), then TF-IDF words that are whole words and no filler (``is_keyword_word``)
    and that no chosen phrase already contains."""
    official = _official()
    phrases = [p for p in key_phrases(text) if is_term(p)
               and (len(p) >= 3 or p in official or any(ch in _NUMERALS for ch in p))][: limit // 2]
    words = [w for w, _ in _weighted_keywords(text) if not any(w in p for p in phrases) and is_keyword_word(text, w)]
    return (phrases + words)[: max(5, min(limit, 10))]


_LEAD_IN = re.compile(r"(强调|指出|表示|要求|提出)[，：:]?$|[：:]$")
_SETTING = re.compile(r"^[在从于][^，；、]*[上中时下里]$")
"""A clause that only sets the scene (在……会议上): cut after it, a sentence says nothing."""
_CLAUSE_END = "，；"
_SENTENCE_END = "。！？!?…"


def _heading(node: Node) -> str | None:
    """The node's heading as it stands: a part's first line, a section's or point's first sentence."""
    if node.kind == "part":
        return node.text.split("\n", 1)[0].strip()
    if node.kind in ("section", "point"):
        return node.sentences[0].strip()
    return None


def _own_sentences(node: Node) -> list[str]:
    """The node's own sentences (not its children's), without its heading."""
    heading = _heading(node)
    found = [s.strip() for p in node.own_paragraphs() for s in split_sentences(p) if s.strip()]
    if heading is not None and found and found[0].startswith(heading):
        rest = found[0][len(heading):].strip()
        found = ([rest] if rest else []) + found[1:]
    return found


def _unquoted_cuts(sentence: str) -> list[int]:
    """Offsets just after a clause mark (，；) that stands outside any quotation."""
    cuts, depth = [], 0
    for i, ch in enumerate(sentence):
        depth += (ch in "“「") - (ch in "”」")
        if ch in _CLAUSE_END and depth <= 0:
            cuts.append(i + 1)
    return cuts


def shorten(sentence: str, room: int) -> str | None:
    """``sentence`` whole if it fits ``room``, else cut once at the last clause boundary that
    fits, marked ……; None when no honest cut fits (too short a first clause, or only a lead-in)."""
    if len(sentence) <= room:
        return sentence
    for cut in reversed(_unquoted_cuts(sentence)):
        kept = sentence[:cut].rstrip(_CLAUSE_END)
        honest = not _LEAD_IN.search(kept) and not _SETTING.match(kept)
        if len(kept) + len(OMITTED) <= room and len(kept) >= 8 and honest:
            return kept + OMITTED
    return None


def _clauses_of(line: str) -> list[str]:
    return [c for c in re.split(rf"[{_CLAUSE_END}{_SENTENCE_END}：:\n]+", line.replace(OMITTED, "。")) if len(c) >= 4]


class _Builder:
    """Lines of verbatim pieces, refusing a piece that repeats a clause already shown."""

    def __init__(self) -> None:
        self.lines: list[list[str]] = []
        self.seen: set[str] = set()

    def size(self) -> int:
        return sum(len(piece) for line in self.lines for piece in line)

    def add(self, piece: str | None, new_line: bool = False) -> bool:
        if not piece:
            return False
        clauses = _clauses_of(piece)
        if any(c in self.seen for c in clauses):
            return False
        crowded = bool(self.lines) and sum(p.count(OMITTED) for p in self.lines[-1]) + piece.count(OMITTED) > 2
        if new_line or not self.lines or crowded:  # at most two …… a line
            self.lines.append([])
        self.lines[-1].append(piece)
        self.seen.update(clauses)
        return True

    def text(self) -> str:
        return "\n".join("".join(line) for line in self.lines if line)

    def pieces(self) -> tuple[str, ...]:
        return tuple(piece.removesuffix(OMITTED) for line in self.lines for piece in line)


def _score(weights: dict[str, float], phrases: tuple[str, ...], sentence: str) -> float:
    if _LEAD_IN.search(sentence.rstrip(_SENTENCE_END)) or len(sentence) < 6:
        return 0.0
    gained = sum(w for word, w in weights.items() if word in sentence) + sum(0.5 for p in phrases if p in sentence)
    return gained / math.sqrt(len(sentence))


def _topic(node: Node, room: int, weights: dict[str, float], phrases: tuple[str, ...]) -> str | None:
    """The child's topic sentence: the first substantive one of its first four that can be
    shortened to fit without breaking a quotation."""
    for sentence in _own_sentences(node)[:4]:
        piece = shorten(sentence, room) if _score(weights, phrases, sentence) > 0 else None
        if piece is not None and piece.count("“") == piece.count("”"):
            return piece
    return None


def summarize(speech: Speech, node: Node | None = None, length: Length = "short") -> Summary:
    """Summarise ``node`` (or the whole speech); see the module docstring."""
    if node is None:
        text = "\n".join(top.text for top in speech.top)
        builder = _speech_summary(speech, text, length)
        return Summary(id="speech", label=speech.title or "全文", summary=builder.text(),
                       sentences=builder.pieces(), keywords=tuple(keywords(text)))
    text = node.text
    weights = dict(_weighted_keywords(text))
    phrases = key_phrases(text)
    builder = _Builder()
    heading = _heading(node)
    builder.add(heading, new_line=True)
    own = _own_sentences(node)
    topic_room = 40 if length == "short" else 60
    if node.children:
        intro = sorted(own, key=lambda s: -_score(weights, phrases, s))[:1]
        for sentence in intro:
            if _score(weights, phrases, sentence) > 0:
                builder.add(shorten(sentence, topic_room + 20), new_line=True)
        for child in node.children:
            builder.add(_heading(child) or shorten(child.sentences[0].strip(), topic_room), new_line=True)
            builder.add(_topic(child, topic_room, weights, phrases))
    else:
        limit = budget(len(text.replace("\n", "")), length)
        def rank(i: int) -> float:  # the topic sentence (the first after the heading) weighs more
            return _score(weights, phrases, own[i]) * (LEAD_BONUS if i == 0 else 1.0)

        ranked = sorted(range(len(own)), key=lambda i: (not names_the_principles(own[i]), -rank(i), i))
        chosen: dict[int, str] = {}
        used = len(heading or "")
        seen = set(_clauses_of(heading or ""))
        for i in ranked:
            if _score(weights, phrases, own[i]) <= 0:
                break
            piece = shorten(own[i], max(0, min(limit - used, 120 if length == "short" else 200)))
            if piece is not None and used + len(piece) <= limit and not seen & set(_clauses_of(piece)):
                chosen[i] = piece
                used += len(piece)
                seen.update(_clauses_of(piece))
        if not chosen and own:  # a short node: its first sentence, whole or shortened once
            first = shorten(own[0], max(limit - used, 40))
            chosen = {0: first} if first else {}
        new_line = heading is not None
        for i in sorted(chosen):
            builder.add(chosen[i], new_line=new_line)
            new_line = False
    return Summary(id=node.id, label=node.label, summary=builder.text(), sentences=builder.pieces(),
                   keywords=tuple(keywords(text)))


def names_the_principles(sentence: str) -> bool:
    """The sentence names all four 慎 (慎初、慎微、慎独、慎友): the speech's own principles, which
    the bot is about; a summary of its node keeps it first of all."""
    from content.shen import NAMES

    return all(name in sentence for name in NAMES)


def _speech_summary(speech: Speech, text: str, length: Length) -> _Builder:
    """The preface's sentence naming the four 慎, each part's heading with its subsections'
    headings, the closing's key sentence."""
    from content.shen import NAMES

    builder = _Builder()
    weights = dict(_weighted_keywords(text))
    phrases = key_phrases(text)
    for top in speech.top:
        own = _own_sentences(top)
        if top.kind == "preface":
            naming = max(own, key=lambda s: (sum(name in s for name in NAMES), -own.index(s)), default=None)
            builder.add(naming, new_line=True)
        elif top.kind == "part":
            builder.add(_heading(top), new_line=True)
            for number, child in enumerate(top.children):  # short: the headings on one line
                builder.add(_heading(child), new_line=length == "long" or number == 0)
                if length == "long":
                    builder.add(_topic(child, 60, weights, phrases))
        elif top.kind == "closing" and own:
            best = max(own, key=lambda s: _score(weights, phrases, s))
            builder.add(shorten(best, 80), new_line=True)
    return builder


def defects(result: Summary, node: Node | None = None) -> list[str]:
    """What makes ``result`` read badly: a bare lead-in, a clause twice, more than two …… in a
    line, a keyword that is not a term, and (given its node) a missing heading first or a child
    left out."""
    found: list[str] = []
    for line in result.summary.split("\n"):
        if line.count(OMITTED) > 2:
            found.append(f"{line.count(OMITTED)} …… in one line")
        for piece in line.split(OMITTED)[:-1]:
            if _LEAD_IN.search(piece.rstrip(_CLAUSE_END)) or _SETTING.match(piece.strip()) or not piece.strip():
                found.append(f"empty lead-in: {piece[-12:]}……")
    clauses = _clauses_of(result.summary)
    repeated = {c for c in clauses if clauses.count(c) > 1}
    found += [f"clause twice: {c}" for c in sorted(repeated)]
    found += [f"not a term: {word}" for word in result.keywords if not is_term(word)]
    if node is not None:
        heading = _heading(node)
        if heading is not None and not result.summary.startswith(heading):
            found.append("the heading is not first")
        found += [f"child left out: {child.label}" for child in node.children
                  if (_heading(child) or "") not in result.summary]
    return found
