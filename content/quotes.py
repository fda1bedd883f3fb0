"""Quotable passages: one or two whole, verbatim sentences with their location.

A candidate is a sentence of one node (its own text, not a child's) that can stand alone:
10–160 characters; not a heading (a part's heading line, a subsection's first sentence with
its （一） marker, a point's 一是/一要 sentence); not ending in ： (an introduction to what
follows). A sentence ending in ； is merged with the next one, and a sentence under 20
characters is paired with the next, so a quote ends where the thought ends.

A 金句 (``quotable``, what /quote and its card draw) is a candidate with the form of a saying
rather than of a work order: a correlative or contrast (既…又/也/更, 越是…越, 不是…而是,
不能…更要, 只有…才, 是…也是), a verdict (必然, 绝不能/决不能), a value word the speech's
sayings rest on (底线, 红线, 本色, 之本, 根本, 前提, 律己), reduplicated rhythm (清清白白, AABB),
or parallel clauses (at least two clauses of equal length, 3–8 characters, sharing a
character at the same place: 心有所畏、言有所戒、行有所止; 一分部署，九分落实). A plain
instruction (要进一步清查核实、摸清家底，建立台账清单…) has none of these. Every candidate stays
usable where a sentence is named (a section's quote, a card of a hit, the quiz).

The quote of the day is the same for everyone on a date: the month's days walk through the
whole speech in order (day 1 near the preface, the last day near the closing), starting from
an offset that changes every month, so a month covers the speech and months differ. With a
keyword and a day, the day picks among the keyword's matches, so it is the same all day.
"""

from __future__ import annotations

import calendar
import hashlib
import itertools
import random
import re
from datetime import date
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from content.model import SPEECH_CACHE, Node, Speech, cite
from content.numerals import NUMERAL_CHARS
from content.sentences import split_sentences

MIN_CHARS = 10
MAX_CHARS = 160
_POINT = re.compile(rf"^[{NUMERAL_CHARS}]+[是要]")
_SECTION_MARK = re.compile(rf"^[（(][{NUMERAL_CHARS}]+[）)]")
_ENDS = "。！？!?”"
_SAYING = re.compile(
    r"既[^。；]*?(又|也|更)|越是[^。]*?越|不是[^。]*?而是|不能[^。]*?更要|不仅[^。]*?(而且|更|还)"
    r"|只有[^。]*?才|是[^，。；]{2,}，也(将)?是|，是[^，。]+，是|必然|[绝决]不能|底线|红线|本色|之本|根本|前提|律己")
_REDUPLICATED = re.compile(r"(.)\1(.)\2")
_CLAUSE = re.compile(r"[，、；。！？“”‘’：]")
_OPENING, _CLOSING = "“‘", "”’"


class Quote(BaseModel):
    """A verbatim passage and where it stands (``label``: its node's label as a reference,
    第三部分 for a part's 三、, see ``content.model.cite``)."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    text: str

    @property
    def in_quotes(self) -> str:
        """The text as it is shown inside “…” (``in_quotes``: its own marks one level down)."""
        return in_quotes(self.text)

    def to_dict(self) -> dict[str, str]:
        """The JSON shape of ``speechbot quote --json``."""
        return {"id": self.id, "label": self.label, "text": self.text}


def _parallel(text: str) -> bool:
    """Two or more neighbouring clauses of the same length (3–8 characters) sharing a
    character at the same place (心有所畏、言有所戒、行有所止)."""
    clauses = [c for c in _CLAUSE.split(text) if c]
    return any(len(first) == len(second) and 3 <= len(first) <= 8 and any(map(str.__eq__, first, second))
               for first, second in itertools.pairwise(clauses))


def is_quotable(text: str) -> bool:
    """Whether a candidate reads as a 金句: the rule in the module docstring."""
    return bool(_SAYING.search(text) or _REDUPLICATED.search(text) or _parallel(text))


def in_quotes(text: str) -> str:
    """``text`` as it reads inside “…”: its own quotation marks one level down, double ones
    single and single ones double (the Chinese rule, GB/T 15834), so a quote that ends in the
    speech's own ” reads …自觉。’” and not …自觉。””. Unbalanced marks stay as they are."""
    out: list[str] = []
    depth = 0
    for char in text:
        if char in _OPENING:
            depth += 1
            out.append("‘" if depth % 2 else "“")
        elif char in _CLOSING and depth > 0:
            out.append("’" if depth % 2 else "”")
            depth -= 1
        else:
            out.append(char)
    return "".join(out)


def _is_heading(node: Node, sentence: str) -> bool:
    if node.kind == "part" and sentence == node.text.split("\n", 1)[0]:
        return True
    return bool(_SECTION_MARK.match(sentence) or (node.kind == "point" and _POINT.match(sentence)))


@lru_cache(maxsize=SPEECH_CACHE)
def candidates(speech: Speech) -> tuple[Quote, ...]:
    """Every quotable passage of the speech, in speech order."""
    found: list[Quote] = []
    for node in speech.nodes():
        for paragraph in node.own_paragraphs():
            usable = [s for s in (s.strip() for s in split_sentences(paragraph)) if s and not _is_heading(node, s)]
            i = 0
            while i < len(usable):
                text = usable[i]
                taken = 1
                if (text.endswith(("；", ";")) or len(text) < 20) and i + 1 < len(usable):
                    text += usable[i + 1]
                    taken = 2
                if MIN_CHARS <= len(text) <= MAX_CHARS and text[-1] in _ENDS and not text.endswith("：”"):
                    found.append(Quote(id=node.id, label=cite(node.label), text=text))
                i += taken
    return tuple(found)


@lru_cache(maxsize=SPEECH_CACHE)
def quotable(speech: Speech) -> tuple[Quote, ...]:
    """The candidates that read as 金句 (``is_quotable``), in speech order."""
    return tuple(q for q in candidates(speech) if is_quotable(q.text))


def quote_of_day(speech: Speech, day: date, pool: tuple[Quote, ...] | None = None) -> Quote:
    """The same quote for everyone on ``day``; a month walks through the whole speech (or ``pool``)."""
    pool = pool or candidates(speech)
    days = calendar.monthrange(day.year, day.month)[1]
    seed = hashlib.sha256(f"{day.year}-{day.month}".encode()).digest()
    offset = int.from_bytes(seed[:4], "big") % len(pool)
    step = len(pool) / days
    return pool[(offset + int((day.day - 1) * step)) % len(pool)]


def keyword_matches(speech: Speech, keyword: str, pool: tuple[Quote, ...] | None = None) -> tuple[Quote, ...]:
    """The quotes of ``pool`` (default: all) among the best matches for ``keyword``, in order;
    empty if nothing matches."""
    pool = pool or candidates(speech)
    hits = speech.search(keyword, limit=50) or speech.related(keyword, limit=10)  # exact words, else the meaning
    if not hits:
        return ()
    top = hits[0].score
    return tuple(dict.fromkeys(q for hit in hits if hit.score >= top - 5 for q in pool
                               if q.id == hit.id and hit.text in q.text))


def day_choice(pool: tuple[Quote, ...], day: date, salt: str = "") -> Quote:
    """One of ``pool`` for ``day``, the same in every process (a hash of the date and ``salt``,
    never Python's randomised ``hash``)."""
    seed = hashlib.sha256(f"{day.isoformat()}|{salt}".encode()).digest()
    return pool[int.from_bytes(seed[:4], "big") % len(pool)]


def within(speech: Speech, node_id: str, pool: tuple[Quote, ...] | None = None) -> tuple[Quote, ...]:
    """The quotes of a node and its descendants (among ``pool``, default: every candidate)."""
    return tuple(q for q in pool or candidates(speech) if q.id == node_id or q.id.startswith(node_id + "."))


def _pool(speech: Speech, node_id: str | None) -> tuple[Quote, ...]:
    """What /quote draws from: the 金句 (``quotable``) of the node or the speech, or every
    candidate there when none of them is one (a section of work orders still has a quote)."""
    if node_id:
        return within(speech, node_id, quotable(speech)) or within(speech, node_id)
    return quotable(speech) or candidates(speech)


def _keyword_pool(speech: Speech, keyword: str, node_id: str | None) -> tuple[Quote, ...]:
    """The keyword's matches among the 金句 of the scope, else among all its candidates."""
    pool = _pool(speech, node_id)
    every = within(speech, node_id) if node_id else candidates(speech)
    matches = keyword_matches(speech, keyword, pool) if pool else ()
    return matches or (keyword_matches(speech, keyword, every) if every and every != pool else ())


def choices(speech: Speech, node_id: str | None = None, keyword: str | None = None) -> tuple[Quote, ...]:
    """Every quote ``pick`` may return for ``node_id`` and ``keyword``."""
    if keyword:
        return _keyword_pool(speech, keyword, node_id)
    return _pool(speech, node_id)


def pick(
    speech: Speech,
    node_id: str | None = None,
    keyword: str | None = None,
    day: date | None = None,
    rng: random.Random | None = None,
) -> Quote | None:
    """One quote of ``choices``: among ``keyword`` matches (the day's with a ``day``, else
    random), else the quote of ``day``, else random; all optionally limited to ``node_id``'s
    subtree. None when nothing qualifies."""
    pool = choices(speech, node_id, keyword)
    if not pool:
        return None
    if keyword:
        return day_choice(pool, day, keyword) if day is not None else (rng or random).choice(pool)
    if day is not None:
        return quote_of_day(speech, day, pool)
    return (rng or random).choice(pool)


@lru_cache(maxsize=SPEECH_CACHE)
def _units(speech: Speech) -> dict[str, tuple[str, ...]]:
    """Each node's sentence units (``Speech.sentence_units``: what search hits show), in order."""
    found: dict[str, list[str]] = {}
    for node_id, sentence in speech.sentence_units():
        found.setdefault(node_id, []).append(sentence)
    return {node_id: tuple(sentences) for node_id, sentences in found.items()}


def sentence_index(speech: Speech, node_id: str, sentence: str) -> int | None:
    """Where ``sentence`` stands among ``node_id``'s sentence units; None if it is not one of
    them. With the node id it names the sentence in a few bytes (a card button under a hit)."""
    units = _units(speech).get(node_id, ())
    return units.index(sentence) if sentence in units else None


def sentence_quote(speech: Speech, node_id: str, index: int) -> Quote | None:
    """The ``index``-th sentence unit of ``node_id`` as a quote with its location; None when
    there is no such sentence (a button from another version of the speech)."""
    node = speech.find(node_id)
    units = _units(speech).get(node.id, ()) if node is not None else ()
    if node is None or not 0 <= index < len(units):
        return None
    return Quote(id=node.id, label=cite(node.label), text=units[index])
