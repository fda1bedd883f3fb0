"""Reading plans: the speech cut into one passage a day, in speech order.

The units are the smallest nodes that carry text: the preface (after the salutation), a part's
own introduction (part 三 has one), each section without points, each point, the closing. A
heading that stands alone (a part's heading line, a section's heading and lead before its
points) goes with the unit after it, so no text is left out and no day ends on a heading. For
a plan of more days than units, the longest units are halved at a sentence boundary ("a
coherent part of a long subsection"), never so that a day holds only the salutation (同志们：)
or a heading: every day has a passage to read. A text too short for the days asked gets fewer,
and the bot says so. A plan of ``days`` days groups consecutive units into
that many passages of about equal length (a linear partition: the longest day is as short as
it can be), so no day ends in the middle of a point and the whole speech takes ``days`` days.
The default, 21 days, is about three weeks.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from content.model import SPEECH_CACHE, Speech
from content.sentences import split_sentences

DEFAULT_DAYS = 21
MIN_DAYS, MAX_DAYS = 5, 60


@dataclass(frozen=True)
class Passage:
    """One day's reading: the units' ids, their labels, and their verbatim text."""

    day: int  # 1-based
    ids: tuple[str, ...]
    labels: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class _Unit:
    """A unit of reading: ``head`` is how many of the first characters of ``text`` are headings
    (the salutation, a heading carried forward, the node's own heading sentence): no day may
    hold only those."""

    id: str
    label: str
    text: str
    head: int = 0


def _own_heading(node_title: str | None, own: str) -> int:
    """How long the heading sentence that opens ``own`` is (（一）要慎初。), 0 when it opens with
    reading text."""
    first = split_sentences(own)[0] if own else ""
    return len(first) if node_title and node_title in first else 0


def _units(speech: Speech) -> list[_Unit]:
    found: list[_Unit] = []
    heading = speech.salutation + "\n" if speech.salutation else ""
    for node in speech.nodes():
        own = "\n".join(node.own_paragraphs()).strip()
        if not own:
            continue
        if node.children and "\n" not in own:  # a heading (and lead) introducing its children
            heading += own + "\n"
            continue
        found.append(_Unit(node.id, node.label, heading + own, len(heading) + _own_heading(node.title, own)))
        heading = ""
    return found


def units(speech: Speech) -> list[tuple[str, str, str]]:
    """``(id, label, own text)`` of every unit, in speech order; together they are the whole
    speech, since the plan promises it."""
    return [(unit.id, unit.label, unit.text) for unit in _units(speech)]


def _cut(unit: _Unit) -> int | None:
    """Where ``unit`` is halved: the sentence boundary nearest its middle that leaves reading text
    on both sides (never 同志们： or a heading alone); None if there is none."""
    sentences = split_sentences(unit.text)
    ends = list(itertools.accumulate(len(sentence) for sentence in sentences))[:-1]
    cuts = [end for end in ends if end > unit.head and unit.text[end:].strip()]
    return min(cuts, key=lambda end: abs(end - len(unit.text) / 2)) if cuts else None


def _split(found: list[_Unit], count: int) -> list[_Unit]:
    """Halve the longest units that can be halved (``_cut``) until there are ``count`` of them."""
    found = list(found)
    while len(found) < count:
        cuttable = [(len(unit.text), index, cut) for index, unit in enumerate(found)
                    if (cut := _cut(unit)) is not None]
        if not cuttable:
            break
        _, index, cut = max(cuttable, key=lambda item: (item[0], -item[1]))
        unit = found[index]
        found[index:index + 1] = [_Unit(unit.id, unit.label, unit.text[:cut].strip(), unit.head),
                                  _Unit(unit.id, unit.label + "（续）", unit.text[cut:].strip())]
    return found


def _partition(sizes: list[int], parts: int) -> list[int]:
    """Cut points splitting ``sizes`` into ``parts`` consecutive groups, minimising the largest."""
    low, high = max(sizes), sum(sizes)
    while low < high:  # binary search on the largest group's size
        middle = (low + high) // 2
        groups, current = 1, 0
        for size in sizes:
            if current + size > middle:
                groups, current = groups + 1, 0
            current += size
        if groups <= parts:
            high = middle
        else:
            low = middle + 1
    cuts: list[int] = []
    current = 0
    for index, size in enumerate(sizes):
        remaining_units, remaining_groups = len(sizes) - index, parts - len(cuts) - 1
        if current and (current + size > low or remaining_units <= remaining_groups):
            cuts.append(index)
            current = 0
        current += size
    return cuts


@lru_cache(maxsize=SPEECH_CACHE * 2)  # the default plan and a chosen pace
def plan(speech: Speech, days: int = DEFAULT_DAYS) -> tuple[Passage, ...]:
    """The speech as ``days`` passages (fewer if it has fewer units than days)."""
    found = _split(_units(speech), days)
    days = max(1, min(days, len(found)))
    cuts = [0, *_partition([len(unit.text) for unit in found], days), len(found)]
    passages = []
    for number, (start, end) in enumerate(itertools.pairwise(cuts), start=1):
        chunk = found[start:end]
        passages.append(Passage(number, tuple(u.id for u in chunk), tuple(u.label for u in chunk),
                                "\n".join(u.text for u in chunk)))
    return tuple(passages)


def max_days(speech: Speech) -> int:
    """The most days a plan of ``speech`` can have (at most ``MAX_DAYS``): a day holds at least a
    unit or half of one, and a one-sentence unit is not halved. A longer pace is refused, not
    silently shortened."""
    return len(plan(speech, MAX_DAYS))


def pace(typed: str) -> int | None:
    """The number of days in what was typed after /plan (``30``, full-width ``３０``), or None."""
    value = unicodedata.normalize("NFKC", typed).strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 6 else None


def running(days: int, start: date, today: date) -> bool:
    """Is a plan of ``days`` days from ``start`` still under way on ``today``? Then changing its
    pace restarts it, which the chat is asked about first."""
    return today < start + timedelta(days=days)


def day_number(days: int, start: date, today: date) -> int:
    """Which day of a ``days``-day plan from ``start`` it is on ``today`` (1 before it, ``days`` after)."""
    return min(max((today - start).days + 1, 1), days)


_EPOCH = date(2020, 1, 1).toordinal()


def reading_key(start: date, days: int, day: int) -> int:
    """How a member's reading of day ``day`` of the ``days``-day plan started on ``start`` is
    stored: a day of *this* plan, so that a plan restarted (another day, or another pace the
    same day) counts its readers afresh. Days and paces are under 64, and the key fits a 32-bit
    column for any start within centuries of 2020."""
    return (start.toordinal() - _EPOCH) * 4096 + days * 64 + day


def passage_on(passages: tuple[Passage, ...], start: date, today: date) -> Passage | None:
    """The passage of local day ``today`` (day 1 is ``start``), or None before or after the plan."""
    number = (today - start).days
    return passages[number] if 0 <= number < len(passages) else None


def streak(days: Iterable[date], today: date) -> int:
    """How many consecutive local days a member read, ending ``today`` or (not yet read today)
    yesterday: a day not read yet does not break a streak before it is over."""
    marked = set(days)
    last = today if today in marked else today - timedelta(days=1)
    count = 0
    while last - timedelta(days=count) in marked:
        count += 1
    return count


def reminder_passage(passages: tuple[Passage, ...], start: date, today: date) -> Passage | None:
    """The passage the daily reminder of ``today`` carries. Never day 1: the plan's start shows it
    in the chat at once, so each day reaches the chat exactly once, whenever the reminder comes."""
    return passage_on(passages, start, today) if today > start else None
