"""Quotable passages: one or two whole, verbatim sentences with their location.

A candidate is a sentence of one node (its own text, not a child's) that can stand alone:
10–160 characters; not a heading (a part's heading line, a subsection's first sentence with
its （一） marker, a point's 一是/一要 sentence); not ending in ： (an introduction to what
follows). A sentence ending in ； is merged with the next one, and a sentence under 20
characters is paired with the next, so a quote ends where the thought ends.

The quote of the day is the same for everyone on a date: the month's days walk through the
whole speech in order (day 1 near the preface, the last day near the closing), starting from
an offset that changes every month, so a month covers the speech and months differ.
"""

from __future__ import annotations

import calendar
import hashlib
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


class Quote(BaseModel):
    """A verbatim passage and where it stands (``label``: its node's label as a reference,
    第三部分 for a part's 三、, see ``content.model.cite``)."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    text: str

    def to_dict(self) -> dict[str, str]:
        """The JSON shape of ``speechbot quote --json``."""
        return {"id": self.id, "label": self.label, "text": self.text}


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


def quote_with_keyword(
    speech: Speech, keyword: str, rng: random.Random | None = None, pool: tuple[Quote, ...] | None = None
) -> Quote | None:
    """A random quote among the best matches for ``keyword``; None if nothing matches."""
    matches = keyword_matches(speech, keyword, pool)
    return (rng or random).choice(matches) if matches else None


def within(speech: Speech, node_id: str) -> tuple[Quote, ...]:
    """The quotes of a node and its descendants."""
    return tuple(q for q in candidates(speech) if q.id == node_id or q.id.startswith(node_id + "."))


def choices(speech: Speech, node_id: str | None = None, keyword: str | None = None) -> tuple[Quote, ...]:
    """Every quote ``pick`` may return for ``node_id`` and ``keyword`` (without a day)."""
    pool = within(speech, node_id) if node_id else candidates(speech)
    if not pool:
        return ()
    return keyword_matches(speech, keyword, pool) if keyword else pool


def pick(
    speech: Speech,
    node_id: str | None = None,
    keyword: str | None = None,
    day: date | None = None,
    rng: random.Random | None = None,
) -> Quote | None:
    """One quote: among ``keyword`` matches, else the quote of ``day``, else random; all
    optionally limited to ``node_id``'s subtree. None when nothing qualifies."""
    pool = within(speech, node_id) if node_id else candidates(speech)
    if not pool:
        return None
    if keyword:
        return quote_with_keyword(speech, keyword, rng, pool)
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
