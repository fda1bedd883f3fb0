"""Quotes: verbatim, located, quotable on their own, stable by date."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest

from content import Speech
from content.model import cite
from content.quotes import (
    MAX_CHARS,
    MIN_CHARS,
    candidates,
    choices,
    in_quotes,
    is_quotable,
    pick,
    quotable,
    quote_of_day,
    within,
)


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


# Judged by reading the speech: sayings a reader would forward, and work orders that are not 金句.
SAYINGS = ("清正廉洁，是融入中国共产党人血脉之中的不变本色", "心有所畏、言有所戒、行有所止",
           "安全是发展的前提，发展是安全的保障",
           "不受监督的权力必然导致腐败", "越是困难挑战大，越需要", "清清白白为官，干干净净做事，老老实实做人",
           "忠诚，既是一种境界，更是一种行动", "我们不能单纯地将自身当作经济建设的引导者，更要成为",
           "绝不能建设一个工程倒下一批干部", "知敬畏、存戒惧、守底线")
ORDERS = ("要进一步清查核实、摸清家底", "要聚力推动存量房地产销售", "要全力推进安置房二期", "要坚持多措并举、追本溯源",
          "要高质高效快速推进主题街区", "要积极对上争取资金", "要重点围绕文旅产业", "结合工作实际，深入查摆梳理")


def _candidate(speech: Speech, words: str) -> str:
    return next(q.text for q in candidates(speech) if words in q.text)


def test_a_quotable_sentence_is_a_saying_not_a_work_order(speech: Speech) -> None:
    """Issue 24.13: /quote drew 「要进一步清查核实、摸清家底…」 as a 金句."""
    assert all(is_quotable(_candidate(speech, words)) for words in SAYINGS), [
        w for w in SAYINGS if not is_quotable(_candidate(speech, w))]
    assert not any(is_quotable(_candidate(speech, words)) for words in ORDERS), [
        w for w in ORDERS if is_quotable(_candidate(speech, w))]
    assert set(choices(speech)) == set(quotable(speech)) and 20 <= len(quotable(speech)) < len(candidates(speech))
    assert all(pick(speech, rng=random.Random(seed)) in quotable(speech) for seed in range(30))


def test_a_section_of_work_orders_still_has_a_quote(speech: Speech) -> None:
    assert not within(speech, "3.4", quotable(speech))
    assert choices(speech, "3.4") == within(speech, "3.4")  # every candidate there, rather than none
    assert [q.text for q in choices(speech, keyword="资产")] == [_candidate(speech, "绝不能建设一个工程倒下一批干部")]


def test_a_keyword_with_a_day_is_the_days_quote(speech: Speech) -> None:
    """Issue 24.12: with a day, the keyword's quote does not depend on the RNG."""
    day = date(2026, 12, 3)
    drawn = {pick(speech, keyword="纪律", day=day, rng=random.Random(seed)) for seed in range(10)}
    assert len(drawn) == 1 and drawn <= set(choices(speech, keyword="纪律"))
    month = {pick(speech, keyword="纪律", day=day + timedelta(days=n)) for n in range(14)}
    assert month == set(choices(speech, keyword="纪律"))  # the days spread over every match


def test_a_quote_in_quotes_nests_its_own_marks() -> None:
    """Issue 24.13: a quote ending in the speech's own ” showed 自觉。”” inside the bot's “…”."""
    assert in_quotes("强调：“纪律是“戒尺”，使全党形成高度自觉。”") == "强调：‘纪律是“戒尺”，使全党形成高度自觉。’"
    assert in_quotes("坚决不能让“在真空中运行”。") == "坚决不能让‘在真空中运行’。"
    assert in_quotes("没有引号。") == "没有引号。" and in_quotes("未闭合”的") == "未闭合”的"
