"""Quotes: verbatim, located, quotable on their own, stable by date."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest

from content import Speech
from content.model import cite
from content.quotes import MAX_CHARS, MIN_CHARS, candidates, choices, pick, quote_of_day, within


def test_every_candidate_is_verbatim_and_quotable(speech: Speech) -> None:
    pool = candidates(speech)
    assert len(pool) >= 40
    for quote in pool:
        node = speech.node(quote.id)
        assert quote.text in node.text and quote.label == cite(node.label)  # 第三部分 for a part's 三、
        assert MIN_CHARS <= len(quote.text) <= MAX_CHARS
        assert not re.match(r"^[（(][一二三四五六七八九十]+[）)]", quote.text)  # no heading marker
        assert not re.match(r"^[一二三四五六七八九十]+[是要]", quote.text)  # no dangling 一是/一要
        assert quote.text[-1] in "。！？”" and "\n" not in quote.text


def test_quote_of_the_day_is_stable_and_spreads_over_the_month(speech: Speech) -> None:
    day = date(2026, 11, 1)
    month = [quote_of_day(speech, day + timedelta(days=i)) for i in range(30)]
    assert month == [quote_of_day(speech, day + timedelta(days=i)) for i in range(30)]
    assert len(set(month)) == 30
    parts = {q.id.split(".")[0] for q in month}
    assert {"preface", "1", "2", "3", "4"} <= parts
    assert quote_of_day(speech, date(2026, 12, 1)) != quote_of_day(speech, date(2026, 11, 1))


@pytest.mark.parametrize("days", range(0, 400, 7))
def test_many_dates_give_verbatim_quotes(speech: Speech, days: int) -> None:
    quote = quote_of_day(speech, date(2026, 1, 1) + timedelta(days=days))
    assert quote.text in speech.node(quote.id).text


def test_keyword_picks_among_matching_sentences(speech: Speech) -> None:
    rng = random.Random(1)
    for _ in range(10):
        quote = pick(speech, keyword="腐败", rng=rng)
        assert quote is not None and "腐败" in quote.text
    assert pick(speech, keyword="足球比赛") is None


def test_limited_to_a_section(speech: Speech) -> None:
    assert all(q.id.startswith("4.2") for q in within(speech, "4.2"))
    quote = pick(speech, node_id="4.2", day=date(2026, 11, 27))
    assert quote is not None and quote.id.startswith("4.2")


def test_choices_are_what_pick_draws_from(speech: Speech) -> None:
    for node_id, keyword in (("4.2", None), (None, "腐败"), ("4", "腐败"), ("1", "纪律"), ("4.2.3", None)):
        pool = choices(speech, node_id, keyword)
        assert pool, (node_id, keyword)
        assert all(pick(speech, node_id, keyword, rng=random.Random(seed)) in pool for seed in range(20))
    assert len(choices(speech, "4.2.3")) == 1 and choices(speech, keyword="足球比赛") == ()
