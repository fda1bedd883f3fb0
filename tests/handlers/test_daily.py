"""One daily reminder everywhere: /today, the push, the daily card, inline's "today" and
``speechbot reminder`` give the same principle with the same fitting quote; and "today" is the
chat's own day (its time zone), not the bot's default one."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.app import make_pusher
from bot.cli import main
from bot.fake.data import seed_chats
from bot.fake.local import LocalBot
from bot.push import push_screen
from content import Speech
from content.shen import fitting, reminder
from tests.conftest import CACHE_DIR

SHANGHAI_MORNING = timedelta(hours=0, minutes=1)  # 08:01 in Shanghai, in UTC from midnight
BERLIN_EVENING = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)  # 22:00 in Berlin, 05:00 on the 28th in Shanghai


def _principle_and_quote(shown: str) -> tuple[str, str]:
    """The principle's name and the quote in a reminder's plain text."""
    name = shown.split("今日一慎：", 1)[1][:2]
    quote = shown.split("\n“", 1)[1].rsplit("”\n", 1)[0]
    return name, quote


async def test_one_reminder_everywhere_for_a_year(bot: LocalBot, speech: Speech, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """For every day of a year, /today, the push (the text the bot's pusher sends; a real pass
    once a week) and ``speechbot reminder --date D --json`` agree; each quote is verbatim and
    fits its principle (before, /today and the push walked through the speech in order: 慎初
    with "四个500强", while ``speechbot reminder`` quoted the principle's passages)."""
    for name in ("SPEECHBOT_SPEECH_FILE", "SPEECHBOT_ENCODER", "SPEECHBOT_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SPEECHBOT_CACHE_DIR", str(CACHE_DIR))  # the CLI configured as the bot is
    assert bot.app is not None and bot.app.bot_data.ranking is not None  # the bot ranks with its encoder
    ranking = bot.app.bot_data.ranking
    chat = bot.private()
    pusher = make_pusher(bot.app.bot, bot.store, speech, bot.settings)
    await seed_chats(bot.store, [9101], datetime(2025, 12, 31, 23, 59, tzinfo=UTC))
    start = date(2026, 1, 1)
    for offset in range(365):
        day = start + timedelta(days=offset)
        morning = datetime(day.year, day.month, day.day, tzinfo=UTC) + SHANGHAI_MORNING
        bot.travel(morning)
        today = _principle_and_quote((await chat.send("/today")).text)
        pushed = push_screen(speech, "zh", day, pusher.ranking).text
        if offset % 7 == 0:  # a pass sends exactly that text
            assert (await pusher.run_due(morning)).chats == [9101]
            assert bot.fake.by_chat[9101][-1].html == pushed
        assert main(["reminder", "--date", day.isoformat(), "--json"]) == 0
        cli = json.loads(capsys.readouterr().out)
        assert today == _principle_and_quote(_plain(pushed)) == (cli["principle"], cli["quote"]["text"]), day
        expected = reminder(speech, day, ranking)
        assert cli["quote"] == expected.quote.to_dict() and cli["principle"] == expected.principle.name
        assert expected.quote in fitting(speech, expected.principle, ranking)
        assert expected.quote.text in speech.node(expected.quote.id).text


def _plain(shown: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", shown))


async def test_the_daily_card_inline_today_and_push_preview_carry_the_same_reminder(
        bot: LocalBot, speech: Speech, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHBOT_CACHE_DIR", str(CACHE_DIR))
    moment = datetime(2026, 11, 28, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai
    bot.travel(moment)
    assert bot.app is not None
    expected = reminder(speech, date(2026, 11, 28), bot.app.bot_data.ranking)
    chat = bot.private()
    today = (await chat.send("/today")).messages[0]
    card = (await chat.send("/card")).photos[0]
    pressed = (await chat.press(today, "图片")).photos[0]
    for shown in (today.text, card.text, pressed.text):
        assert _principle_and_quote(shown) == (expected.principle.name, expected.quote.text)
    inline = (await chat.inline("")).answers[0]["results"]
    bodies = [r["input_message_content"]["message_text"] for r in inline if r["type"] == "article"]
    assert any(expected.quote.text in body and expected.principle.name in body for body in bodies)
    assert main(["push", "preview", "--date", "2026-11-28"]) == 0
    preview = capsys.readouterr().out
    assert f"今日一慎：{expected.principle.name}" in preview and expected.quote.text in preview


async def test_today_and_card_follow_the_chats_time_zone(bot: LocalBot, speech: Speech) -> None:
    """An evening in Berlin is the 27th there and already the 28th in Shanghai, the bot's
    default zone: /card without an argument once gave tomorrow's card while /today gave today's."""
    bot.travel(BERLIN_EVENING)
    chat = bot.private()
    await chat.send("/timezone Europe/Berlin")
    assert bot.app is not None
    berlin_day = reminder(speech, date(2026, 11, 27), bot.app.bot_data.ranking)
    today = (await chat.send("/today")).text
    card = (await chat.send("/card")).photos[0].text
    for shown in (today, card):
        assert "2026-11-27" in shown and "2026-11-28" not in shown
        assert _principle_and_quote(shown) == (berlin_day.principle.name, berlin_day.quote.text)
    other = bot.private(user_id=1102)  # a chat that kept the default zone: the 28th already
    assert "2026-11-28" in (await other.send("/card")).photos[0].text
