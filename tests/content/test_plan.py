"""Reading plans: "the whole speech in N days" must hold at every pace, to the character."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from content import Speech
from content.parser import parse_text
from content.plan import (
    MAX_DAYS,
    MIN_DAYS,
    day_number,
    max_days,
    pace,
    passage_on,
    plan,
    reminder_passage,
    running,
    streak,
)


def _bare(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("days", range(MIN_DAYS, MAX_DAYS + 1))
def test_the_passages_joined_are_the_whole_speech(speech: Speech, days: int) -> None:
    whole = Path(speech.source).read_text(encoding="utf-8-sig")
    assert speech.title is None  # else the file's first line is not reading text
    assert _bare("".join(passage.text for passage in plan(speech, days))) == _bare(whole)


def test_a_section_lead_before_a_parts_first_points_is_kept() -> None:
    text = ("一、总体要求\n（一）加强领导。要统一思想。\n一是抓学习。多读书。\n二是抓落实。多做事。\n"
            "（二）严守纪律。要令行禁止。\n同志们，让我们一起努力！")
    speech = parse_text(text)
    assert [node.id for node in speech.nodes()][:4] == ["1", "1.1", "1.1.1", "1.1.2"]
    for days in (1, 2, 3, 10):
        assert _bare("".join(passage.text for passage in plan(speech, days))) == _bare(text)


def test_the_longest_pace_is_what_the_units_allow(speech: Speech) -> None:
    top = max_days(speech)
    assert MIN_DAYS <= top <= MAX_DAYS and len(plan(speech, top)) == top
    short = parse_text(SHORT)
    top = max_days(short)
    assert top < MAX_DAYS and len(plan(short, top + 1)) == top  # why a longer pace is refused, not shortened


def test_paces_as_typed() -> None:
    assert [pace(typed) for typed in ("30", "３０", " 7 ")] == [30, 30, 7]
    assert [pace(typed) for typed in ("", "abc", "-5", "10天", "1e3", "٣", "9999999")] == [None] * 7


def test_the_reminder_never_carries_day_one(speech: Speech) -> None:
    """Day 1 is shown when the plan starts; the reminders carry days 2 to the last, once each."""
    passages, start = plan(speech, 10), date(2026, 12, 7)
    carried = [reminder_passage(passages, start, start + timedelta(days=n)) for n in range(-1, 12)]
    assert [p.day for p in carried if p is not None] == list(range(2, 11))
    assert passage_on(passages, start, start) == passages[0]
    assert running(10, start, start + timedelta(days=9)) and not running(10, start, start + timedelta(days=10))
    assert [day_number(10, start, start + timedelta(days=n)) for n in (-3, 0, 4, 30)] == [1, 1, 5, 10]


def test_streaks_count_consecutive_days_ending_today_or_yesterday() -> None:
    day = date(2026, 12, 7)
    assert streak([day - timedelta(days=n) for n in range(5)], day) == 5
    assert streak([day - timedelta(days=n) for n in range(1, 4)], day) == 3  # yesterday still counts
    assert streak([day - timedelta(days=2)], day) == 0  # a missed day breaks it
    assert streak([day, day - timedelta(days=2), day - timedelta(days=3)], day) == 1
    assert streak([], day) == 0 and streak({day, day}, day) == 1  # any iterable, duplicates once


SHORT = ("同志们：\n今天和大家谈谈廉洁自律的几点体会，说的都是老话，却句句要紧，一件一件落到实处才算数。\n"
         "一、守住第一道关口\n（一）要慎初。党员干部要慎初，第一次伸手就是堕落的开始。思想上的防线一旦失守，就会一退再退。\n"
         "（二）要慎微。小节不保大节难保。不以恶小而为之，不以善小而不为。\n"
         "同志们，让我们共同守住廉洁底线，干干净净做事，清清白白做人。")


def _headings(speech: Speech) -> set[str]:
    """The salutation and every heading sentence: what no day may consist of alone."""
    found = {speech.salutation or ""}
    for node in speech.nodes():
        for paragraph in node.own_paragraphs():
            first = paragraph.split("。")[0]
            if node.title and node.title in first:
                found |= {first, first + "。", paragraph if node.children and len(node.own_paragraphs()) == 1 else ""}
    return {"".join(item.split()) for item in found if item}


@pytest.mark.parametrize("days", range(1, MAX_DAYS + 1))
def test_no_day_holds_only_the_salutation_or_headings(days: int) -> None:
    speech = parse_text(SHORT)
    headings = _headings(speech)
    for passage in plan(speech, days):
        lines = ["".join(line.split()) for line in passage.text.replace("。", "。\n").splitlines()]
        assert [line for line in lines if line and line not in headings], (days, passage)
    assert _bare("".join(passage.text for passage in plan(speech, days))) == _bare(SHORT)


def test_a_short_text_still_splits_as_far_as_its_sentences_allow() -> None:
    speech = parse_text(SHORT)
    assert max_days(speech) >= 6  # the preface, each section and the closing halved where they can be
    assert plan(speech, 1)[0].text.startswith("同志们：")
