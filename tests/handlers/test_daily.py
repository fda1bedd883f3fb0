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
from bot.push import Pusher, push_screen
from content import Speech
from content.quotes import in_quotes
from content.shen import fitting, reminder
from tests.conftest import CACHE_DIR

SHANGHAI_MORNING = timedelta(hours=0, minutes=1)  # 08:01 in Shanghai, in UTC from midnight
BERLIN_EVENING = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)  # 22:00 in Berlin, 05:00 on the 28th in Shanghai


def _principle_and_quote(shown: str) -> tuple[str, str]:
    """The principle's name and the quote in a reminder's plain text."""
    name = shown.split("今日一慎：", 1)[1][:2]
    quote = shown.split("\n“", 1)[1].rsplit("”\n", 1)[0]
    return name, quote


@pytest.mark.slow
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
        assert today == _principle_and_quote(_plain(pushed)) == (cli["principle"], in_quotes(cli["quote"]["text"])), day
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
        assert _principle_and_quote(shown) == (expected.principle.name, expected.quote.in_quotes)
    inline = (await chat.inline("")).answers[0]["results"]
    bodies = [r["input_message_content"]["message_text"] for r in inline if r["type"] == "article"]
    assert any(expected.quote.in_quotes in body and expected.principle.name in body for body in bodies)
    assert main(["push", "preview", "--date", "2026-11-28"]) == 0
    preview = capsys.readouterr().out
    assert f"今日一慎：{expected.principle.name}" in preview and expected.quote.in_quotes in preview


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
        assert _principle_and_quote(shown) == (berlin_day.principle.name, berlin_day.quote.in_quotes)
    other = bot.private(user_id=1102)  # a chat that kept the default zone: the 28th already
    assert "2026-11-28" in (await other.send("/card")).photos[0].text


async def test_each_chat_gets_the_reminder_of_its_own_text_in_one_push_pass(bot: LocalBot, speech: Speech) -> None:
    """A group reading a text whose quotes fit the day's principle is reminded with one of them;
    a group reading a text none of whose quotes fits gets the original's, with the line that says
    so; a group on the original, the original's: all three in one pass, as /today and the 🖼
    button say in each group. Card chats get their own text's card, built once per text."""
    from content.library import reminder_of
    from handlers.catalog import tr
    from tests.library_texts import FITTING, UNRELATED, add_text

    assert bot.app is not None and bot.app.bot_data.library is not None
    library = bot.app.bot_data.library
    fitting_id = await add_text(bot.store, FITTING, "坚守廉洁底线")
    unrelated_id = await add_text(bot.store, UNRELATED, "春天的天气")
    moment = datetime(2026, 11, 28, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai: the 28th, 慎初
    day = date(2026, 11, 28)
    chats = {-9101: fitting_id, -9102: unrelated_id, -9103: 1, -9104: fitting_id, -9105: unrelated_id}
    bot.travel(moment)
    await seed_chats(bot.store, list(chats), moment - timedelta(minutes=5))
    for chat_id, text_id in chats.items():
        await bot.store.chats.configure(chat_id, "group", text_id=text_id,
                                        reminder_format="card" if chat_id in (-9104, -9105) else None)
    pusher = Pusher(bot.app.bot, bot.store, library)  # type: ignore[arg-type]  # the bot's push, over its library
    report = await pusher.run_due(moment)
    assert sorted(report.chats) == sorted(chats) and report.sent == 5, report

    original = reminder(speech, day, bot.app.bot_data.ranking)
    fitting_book = library.get(fitting_id)
    assert fitting_book is not None
    own, fell_back = reminder_of(fitting_book, library.original, day)
    assert not fell_back and own.quote.id.startswith(f"{fitting_id}:") and own.quote.text in FITTING
    note = tr("zh", "today_fallback", principle=original.principle.name)
    pushed = {chat_id: bot.fake.by_chat[chat_id][-1] for chat_id in chats}
    assert _principle_and_quote(pushed[-9101].text) == (own.principle.name, own.quote.in_quotes)
    assert note not in pushed[-9101].text
    assert _principle_and_quote(pushed[-9102].text) == (original.principle.name, original.quote.in_quotes)
    assert note in pushed[-9102].text  # said so: the quote is the original speech's
    assert _principle_and_quote(pushed[-9103].text) == (original.principle.name, original.quote.in_quotes)
    assert note not in pushed[-9103].text
    assert own.quote.in_quotes in pushed[-9104].text and pushed[-9104].photo  # the card of its own text
    assert original.quote.in_quotes in pushed[-9105].text and note in pushed[-9105].text
    for chat_id in (-9104, -9105):  # a card needs no 🖼 button (issue 24.14); the text message keeps it
        assert pushed[chat_id].buttons and not any("图片" in b["text"] for b in pushed[chat_id].buttons)
    assert any("图片" in b["text"] for b in pushed[-9101].buttons)
    assert len({key for key in pusher._cards if key[2] == day}) == 2  # one card per text and day

    bot.fake.admins[-9101].add(9111)
    group = bot.group(-9101, 9111)
    today = (await group.send("/today")).messages[0]
    assert today.text == pushed[-9101].text  # /today says what the push said
    card = (await group.press(today, "图片")).photos[0]
    assert own.quote.in_quotes in card.text
    await bot.store.chats.configure(-9101, "group", text_id=unrelated_id)  # the old 🖼 keeps its text
    assert own.quote.in_quotes in (await group.press(today, "图片")).photos[0].text
    fallen = (await bot.group(-9102, 9112).send("/today")).messages[0]
    assert note in fallen.text and original.quote.in_quotes in fallen.text
    read = await bot.group(-9102, 9112).press(fallen, 0)  # 📖 opens the original's passage, not text 3's
    assert original.quote.text in read.text
