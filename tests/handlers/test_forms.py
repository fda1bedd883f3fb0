"""Forms people type (issue 17, item 11): ids, time zones, quotes by id, Chinese command aliases,
and the texts that must fit the chat they are shown in."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.fake.local import LocalBot
from content import Speech
from content.quotes import in_quotes
from content.shen import principle, principles, reminder
from handlers.catalog import tr
from handlers.finding import COMMAND_ALIASES
from handlers.render import week_span


@pytest.mark.parametrize(("typed", "header"), [
    ("/show 4。2", "【四（二）】"), ("/show 4．2", "【四（二）】"), ("/show 第四部分第二节", "【四（二）】"),
    ("/show 第四部分", "【第四部分】"), ("第四部分第二节第三点", "【四（二）3】"), ("4。2", "【四（二）】"),
])
async def test_show_opens_the_node_however_its_place_is_written(bot: LocalBot, typed: str, header: str) -> None:
    reply = await bot.private().send(typed)
    assert reply.text.startswith(header + "\n"), reply.text[:40]


@pytest.mark.parametrize(("typed", "zone"), [
    ("北京", "Asia/Shanghai"), ("Beijing", "Asia/Shanghai"), ("上海", "Asia/Shanghai"), ("Berlin", "Europe/Berlin"),
    ("柏林", "Europe/Berlin"), ("纽约", "America/New_York"),
])
async def test_timezone_by_city_name(bot: LocalBot, typed: str, zone: str) -> None:
    reply = await bot.private().send(f"/timezone {typed}")
    assert reply.text.startswith(f"🌏 时区改为 {zone}，"), reply.text


async def test_quote_takes_an_id_and_another_stays_in_that_node(bot: LocalBot, speech: Speech) -> None:
    chat = bot.private()
    reply = await chat.send("/quote 4.2")
    text, label = reply.text.rsplit("\n出自 ", 1)
    # A quote is one sentence or a run of consecutive ones (a short sentence with the next).
    runs = [in_quotes("".join(s.strip() for s in node.sentences)) for node in speech.node("4.2").walk()]
    assert label.startswith("四（二）") and text[0] + text[-1] == "“”"
    assert any(text[1:-1] in run for run in runs)  # verbatim, its own quotation marks one level down
    message = reply.messages[0]
    for _ in range(3):
        await chat.press(message, "换一条")
        assert message.text.rsplit("\n出自 ", 1)[1].startswith("四（二）")
    assert (await chat.send("/quote 第四部分第二节")).text.rsplit("\n出自 ", 1)[1].startswith("四（二）")


async def test_another_quote_says_when_there_is_no_other(bot: LocalBot) -> None:
    chat = bot.private()
    reply = await chat.send("/quote 4.2.3")  # 四（二）3 has one quotable passage
    message = reply.messages[0]
    before = message.text
    pressed = await chat.press(message, "换一条")
    assert pressed.answers[0]["text"] == tr("zh", "quote_only_one") and message.text == before
    assert not pressed.edited


async def test_chinese_aliases_for_study_commands(bot: LocalBot) -> None:
    chat = bot.private(4701)
    assert (await chat.send("/计划 10")).text.startswith("✅ 学习计划已开始：10 天")
    assert (await chat.send("/答题")).polls
    assert (await chat.send("/收藏")).text == tr("zh", "saved_none")
    assert (await chat.send("/进度")).text.startswith("📊 我的学习")
    assert (await chat.send("/榜单")).text.startswith("🏆")
    assert (await chat.send("/图片 纪律")).photos


async def test_help_lists_every_chinese_alias(bot: LocalBot) -> None:
    for language in ("zh-hans", "en"):
        shown = (await bot.private(language_code=language).send("/help")).text
        assert all(f"/{alias}" in shown for alias in COMMAND_ALIASES), language


@pytest.mark.parametrize(("week", "zh", "en"), [
    ("2026-W49", "11月30日–12月6日", "Nov 30 – Dec 6"), ("2026-W50", "12月7日–13日", "Dec 7 – 13"),
    ("2026-W53", "2026年12月28日–2027年1月3日", "Dec 28, 2026 – Jan 3, 2027"), ("garbage", "garbage", "garbage"),
])
def test_weeks_read_as_the_days_they_span(week: str, zh: str, en: str) -> None:
    assert (week_span("zh", week), week_span("en", week)) == (zh, en)


async def test_rank_in_private_speaks_of_this_week_not_of_a_group(bot: LocalBot) -> None:
    bot.travel(datetime(2026, 12, 1, 4, tzinfo=UTC))  # a Tuesday in week 49
    shown = (await bot.private(4801).send("/rank")).text
    assert "11月30日–12月6日" in shown and "W49" not in shown and "本群" not in shown
    english = (await bot.private(4802, language_code="en").send("/rank")).text
    assert "Nov 30 – Dec 6" in english and "group" not in english and " here" not in english


async def test_english_readers_get_the_principles_in_english(bot: LocalBot, speech: Speech) -> None:
    chat = bot.private(4901, language_code="en")
    item = principle("慎独")
    assert item is not None
    detail = (await chat.send("/shen 慎独")).text
    assert "慎独 (shèn dú)" in detail and item.english in detail and item.english_explanation in detail
    assert item.explanation not in detail and item.meaning not in detail
    listing = (await chat.send("/shen")).text
    assert all(p.english in listing for p in principles())
    assert (await bot.private(4902).send("/shen 慎独")).text.startswith("慎独（shèn dú）\n" + item.meaning)
    bot.travel(datetime(2026, 12, 1, 4, tzinfo=UTC))
    today = reminder(speech, date(2026, 12, 1)).principle
    shown = (await chat.send("/today")).text
    assert today.english_explanation in shown and today.explanation not in shown
