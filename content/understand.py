"""Query understanding for the second search tier: what a member's question is about.

A question such as 领导干部能不能收礼 becomes weighted terms: question and filler words are
dropped (能不能), vocabulary phrases carry the official terms they stand for (收礼 → 廉洁, 腐败,
…), the rest is cut into words the speech uses (forward maximum matching against the speech's
own substrings, so no dictionary has to be loaded), and runs of Latin letters are read as
pinyin (dangfeng lianzheng) or as English vocabulary (discipline). A term's weight is its
inverse document frequency in the speech; everyday subjects (干部, 政府, 我们) weigh less, so
that "what about cadres and X" is decided by X.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from dataclasses import dataclass

from content.folding import fold, pinyin, pinyin_query, to_simplified
from content.vocabulary import expansions

# Question words, particles and the words people use to point at the speech. Words of two or
# more characters are removed wherever they stand; single characters only where they stand
# alone after the query is cut into the speech's words (so 有 goes, 心有所畏 stays).
FILLERS = frozenset([
    "怎么办", "怎么做", "怎么样", "怎么", "怎样", "如何", "什么样", "什么", "为什么", "为何", "能不能", "可不可以",
    "可以", "能否", "是否", "是不是", "要不要", "应不应该", "应该", "该怎么", "哪些", "哪个", "哪里", "哪儿", "多少",
    "有没有", "有哪些", "请问", "一下", "讲话", "里面", "中的", "提到", "讲了", "说了", "谈到", "关于", "有关", "对于",
    "对待", "以及", "我们", "你们", "他们", "咱们", "大家", "这个", "那个", "这些", "那些", "一个", "一些", "时候",
    "请", "里", "中", "讲", "说", "对", "和", "与", "及", "跟", "的", "地", "得", "了", "吗", "呢", "吧", "啊", "呀",
    "么", "是", "有", "要", "都", "也", "还", "就", "又", "在", "把", "被", "让", "给", "我", "你", "这", "那", "能",
    "意思", "含义", "指的", "指", "才算", "算是", "才", "算", "遇到", "碰到", "面对", "处理", "解决", "应对",
    "做哪些事", "哪些事", "做什么", "干什么", "做好",
    # Question frames: how members point at a subject without being the subject (怎么理解慎微).
    "怎么理解", "如何理解", "理解", "怎么看待", "如何看待", "看待", "怎么看", "什么是", "是什么", "啥是", "是啥",
    "有什么要求", "什么要求", "有何要求", "有啥要求", "有没有讲", "有没有说", "讲没讲", "提没提", "提到没", "提了没",
    "怎么说", "怎么讲", "说什么", "讲什么", "说的", "讲的", "咋说", "咋讲", "咋办", "咋整", "咋样", "咋", "啥",
    "什么意思", "啥意思", "具体", "到底", "究竟", "说说", "讲讲", "谈谈", "解释", "介绍", "整治", "治理", "对此",
    "规定", "怎么要求", "如何要求", "怎么做到", "如何做到", "做到",
    # Personal context around a long question: who asks and why, not what is asked.
    "我在", "我是", "本人", "作为", "我们单位", "我单位", "我们这", "我们村", "最近", "近期", "前段时间", "现在",
    "经常", "总是", "反映", "听说", "有人", "想问", "想知道", "请教", "这种", "这类", "这样", "那种", "这方面",
    "这块", "类似", "情况", "事情", "一直", "负责", "分管", "工作中", "平时", "做", "管", "当", "搞",
    "事儿", "这事", "那事", "咱县", "咱", "呀", "嘛", "呗", "会不会", "行不行", "老是", "得多",
])
# The office a member names when introducing themselves (教育局, 住建局): its field stays (教育).
_OFFICE = re.compile(r"(?<=[\u4e00-\u9fff]{2})(局|厅|委员会|委|办公室|办|所|站)(?=[做管当负责分从工的里，,。\s]|$)")
_ENGLISH_FILLER_WORDS = """
what whats which who whom whose when where why how does did doing done the and for are was were has have had
can could should would will shall may might must about say says said speech speak talk tell tells there their
they them this that these those with from into onto than then any some such our your its his her you not
"""
ENGLISH_FILLERS = frozenset(_ENGLISH_FILLER_WORDS.split())
GENERIC = frozenset([
    "领导", "干部", "领导干部", "党员", "党员干部", "政府", "工作", "我们", "同志", "单位", "部门", "组织", "要求",
    "坚持", "加强", "推进", "进一步", "全面", "问题",
])
_FILLER = re.compile("|".join(map(re.escape, sorted((f for f in FILLERS if len(f) > 1), key=len, reverse=True))))
_RUNS = re.compile(r"[a-z][a-z' ]*[a-z]|[a-z]|[\u3400-\u9fff]+")
MAX_WORD = 6
# A clause in which a member introduces themselves before a long question.
_INTRODUCTION = re.compile(r"^(我在|我是|我们|本人|作为|我负责|我分管|我管|咱们|我单位|我们单位)")
INTRODUCTION_WEIGHT = 0.4
_PUNCTUATION = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Term:
    """One thing the query asks about, as it may appear in a passage."""

    text: str  # folded
    weight: float
    alternatives: tuple[str, ...] = ()  # official terms that also cover it (vocabulary)
    spelled: str | None = None  # pinyin syllable codes: a homophone also covers it
    joined: bool = False  # typed right after the previous term, as one compound (教育改革)

    def covered_by(self, folded: str, spelled: str) -> bool:
        """Does a passage (folded, and as syllable codes) cover this term?"""
        if self.text and self.text in folded:
            return True
        if any(alternative in folded for alternative in self.alternatives):
            return True
        return bool(self.spelled and self.spelled in spelled)


class Lexicon:
    """The speech's words: every substring up to ``MAX_WORD`` characters, with document
    frequencies over its sentences (for weights)."""

    def __init__(self, folded_units: list[str], texts: list[str] | None = None) -> None:
        self.size = len(folded_units)
        counts: dict[str, int] = {}
        # Words never cross punctuation: 形式主义、官僚主义 holds 官僚主义, not 形式主义官僚.
        chunked = ([[fold(chunk) for chunk in _PUNCTUATION.split(text)] for text in texts] if texts is not None
                   else [[text] for text in folded_units])
        for chunks in chunked:
            seen = {text[i:j] for text in chunks
                    for i in range(len(text)) for j in range(i + 1, min(len(text), i + MAX_WORD) + 1)}
            for word in seen:
                counts[word] = counts.get(word, 0) + 1
        self.df = counts
        self.unseen = math.log(1 + self.size)  # the weight of a word the speech never uses

    def idf(self, word: str) -> float:
        df = self.df.get(word, 0)
        return math.log(1 + self.size / df) if df else self.unseen

    def segment(self, chunk: str) -> list[str]:
        """Forward maximum matching: the longest word (2+ characters) of the speech at each
        position, else one character. Single-character fillers go; neighbouring single
        characters that remain stay together (慎读: a typo of 慎独 looks like that)."""
        words: list[str] = []
        i = 0
        while i < len(chunk):
            j = next((j for j in range(min(len(chunk), i + MAX_WORD), i + 1, -1) if chunk[i:j] in self.df), i + 1)
            word = chunk[i:j]
            if len(word) == 1 and word in FILLERS:
                words.append(" ")
            elif len(word) == 1 and words and len(words[-1]) >= 1 and words[-1] != " " and _single(words[-1], self):
                words[-1] += word
            else:
                words.append(word)
            i = j
        return [word for word in words if word != " "]


def _single(word: str, lexicon: Lexicon) -> bool:
    """A run of single characters the speech does not use as one word (a candidate typo)."""
    return len(word) == 1 or word not in lexicon.df


def _weight(word: str, lexicon: Lexicon) -> float:
    weight = lexicon.idf(word)
    if word in GENERIC:
        weight *= 0.3
    if len(word) == 1:
        weight *= 0.5
    return weight


def understand(query: str, lexicon: Lexicon) -> list[Term]:
    """The weighted terms of ``query`` (see the module docstring); [] for nothing to look for."""
    text = unicodedata.normalize("NFKC", to_simplified(query)).lower()
    terms: list[Term] = []
    runs = _RUNS.findall(text)
    for run in runs:
        found = _latin(run, lexicon) if run[0].isascii() else _chinese(run, lexicon)
        if len(runs) > 1 and _INTRODUCTION.match(run):  # who asks (我在教育局做纪检), not what is asked
            found = [Term(t.text, t.weight * INTRODUCTION_WEIGHT, t.alternatives, t.spelled, t.joined) for t in found]
        terms += found
    return terms


def _latin(run: str, lexicon: Lexicon) -> list[Term]:
    codes = pinyin_query(run)
    if codes:
        return [Term("", lexicon.unseen, spelled=codes)]
    folded = fold(run)
    found = expansions(folded)
    terms = [Term(phrase, 2.0, official) for phrase, official in found]
    rest = " ".join(run.split())
    for phrase, _ in found:
        rest = rest.replace(phrase, " ")
    # Unknown English words, one term each: what the English vocabulary does not cover.
    terms += [Term(word, lexicon.unseen) for word in re.findall(r"[a-z]{3,}", rest) if word not in ENGLISH_FILLERS]
    return terms


def _chinese(run: str, lexicon: Lexicon) -> list[Term]:
    """Vocabulary phrases first (they may hold filler: 身边的朋友), then the rest without
    filler, cut into words; a term typed right after the previous one is ``joined`` to it."""
    spans: list[tuple[int, int, Term]] = []
    taken = [False] * len(run)
    for phrase, official in expansions(run):
        start = run.find(phrase)
        while start >= 0 and any(taken[start:start + len(phrase)]):
            start = run.find(phrase, start + 1)
        if start < 0:
            continue
        taken[start:start + len(phrase)] = [True] * len(phrase)
        # A phrase the speech itself uses counts as itself too; the official terms widen it.
        term = Term(phrase, max(_weight(phrase, lexicon), 1.0), official, pinyin(phrase) or None)
        spans.append((start, start + len(phrase), term))
    rest = "".join(" " if taken[i] else c for i, c in enumerate(run))
    rest = _FILLER.sub(lambda m: " " * len(m.group()), _OFFICE.sub(lambda m: " " * len(m.group()), rest))
    for match in re.finditer(r"\S+", rest):
        position = match.start()
        for word in lexicon.segment(match.group()):
            # Homophones only for words the speech does not use: what a typo looks like.
            spelled = pinyin(word) if len(word) >= 2 and word not in lexicon.df else None
            spans.append((position, position + len(word), Term(word, _weight(word, lexicon), (), spelled or None)))
            position += len(word)
    spans.sort(key=lambda span: span[0])
    terms = []
    for index, (start, _, term) in enumerate(spans):
        joined = index > 0 and spans[index - 1][1] == start
        terms.append(Term(term.text, term.weight, term.alternatives, term.spelled, joined))
    return terms


JOIN_DISTANCE = 3


def _apart(first: str, second: str, folded: str) -> bool:
    """Are two words both in ``folded`` but never within ``JOIN_DISTANCE`` characters?"""
    starts = [m.start() for m in re.finditer(re.escape(first), folded)]
    others = [m.start() for m in re.finditer(re.escape(second), folded)]
    if not starts or not others:
        return False
    return all(abs(b - (a + len(first))) > JOIN_DISTANCE and abs(a - (b + len(second))) > JOIN_DISTANCE
               for a in starts for b in others)


def cleaned(query: str) -> str:
    """``query`` without its question words (those of two or more characters), for the exact
    tier: 为什么要全面从严治党 → 要全面从严治党. The query itself if nothing would be left."""
    text = _FILLER.sub(" ", unicodedata.normalize("NFKC", query))
    return " ".join(text.split()) or query


def coverage(terms: list[Term], folded: str, spelled: str) -> float:
    """The share of the query's weight a passage covers: 0 (nothing) to 1 (everything). A share,
    so a longer question does not make a weak passage look stronger."""
    total = sum(term.weight for term in terms)
    if not total:
        return 0.0
    covered = sum(term.weight for term in terms if term.covered_by(folded, spelled))
    # A compound of short words typed as one (教育改革) is not answered by its parts far apart
    # in a sentence; longer phrases (行有所止, 心有所畏) stand on their own in any order.
    for previous, term in itertools.pairwise(terms):
        short = len(previous.text) <= 2 and len(term.text) <= 2
        if term.joined and short and _apart(previous.text, term.text, folded):
            covered -= (previous.weight + term.weight) / 2  # each part answers only half of it
    return max(0.0, covered) / total
