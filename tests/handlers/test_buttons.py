"""Buttons: stale or forged callback data gets a polite answer, never an exception."""

from __future__ import annotations

import logging
from typing import get_args

import pytest
from telegram.constants import ChatType

from bot.fake.local import LocalBot
from handlers import callbacks as cb
from handlers.catalog import tr
from handlers.context import ChatDefaults
from handlers.store import ChatRecord
from handlers.subscriptions import settings_screen, zone_screen


@pytest.mark.parametrize("data", ["r|9.9|0", "zzz|1", "r|4.2|x", "", "o|../../etc", "h|abc", "s|<b>", "q|99|x",
                                  "s|", "r||0", "c|", "c|time|25:00", "c|zone|Mars/Phobos", "c|menu|", "k|z|1",
                                  "b|x:1", "b|n:"])
async def test_stale_or_forged_data_is_answered_politely(bot: LocalBot, data: str) -> None:
    chat = bot.private()
    menu = (await chat.send("/outline")).messages[0]
    reply = await chat.press_data(menu, data)
    assert reply.answers and reply.answers[0].get("text") == "这个按钮已经过期，请重新发送命令。"
    assert not reply.errors and menu.edits == 0


@pytest.mark.parametrize("data", ["c|zones", "c|on", "s|4.2", "o|", "r|4.2|0"])
async def test_buttons_on_inline_messages_are_expired_not_errors(bot: LocalBot, data: str) -> None:
    reply = await bot.process(bot.fake.press_inline(data, bot.fake.user(1001)))
    assert [a.get("text") for a in reply.answers] == ["这个按钮已经过期，请重新发送命令。"]
    assert not reply.errors and not bot.fake.calls_to("sendMessage")


def test_every_callback_fits_in_64_bytes() -> None:
    long = cb.Another("4.2.3", "纪律" * 100)
    data = cb.encode(long)
    assert len(data.encode()) <= 64
    parsed = cb.parse(data)
    assert isinstance(parsed, cb.Another) and parsed.node_id == "4.2.3"
    assert len(parsed.keyword) >= 16 and long.keyword.startswith(parsed.keyword)  # cut at a character
    for value in (cb.Outline(), cb.Read("4.2.6", 12), cb.Step("4.3", 1, 3), cb.Send("closing"), cb.Principle(3),
                  cb.Setting("zone", "America/Los_Angeles")):
        assert cb.parse(cb.encode(value)) == value


def test_a_prev_next_button_sent_before_levels_still_parses() -> None:
    """Step gained its level at the end: ``w|4.3|1`` of an older message reads 4.3 on its own level."""
    assert cb.parse("w|4.3|1") == cb.Step("4.3", 1, 0)
    assert cb.parse("w|4.3") == cb.Step("4.3", 0, 0)


async def test_pressing_the_same_button_twice_is_harmless(bot: LocalBot) -> None:
    chat = bot.private()
    menu = (await chat.send("/outline")).messages[0]
    await chat.press(menu, "结语")
    again = await chat.press_data(menu, "r|closing|0")
    assert [c.error.description[:40] for c in again.errors] == ["Bad Request: message is not modified: sp"]
    assert not [c for c in again.calls if c.method == "sendMessage"]  # no "something went wrong"


async def test_an_edit_that_fails_otherwise_is_reported_not_swallowed(bot: LocalBot,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    """Only "message is not modified" means nothing to do; any other refusal of an edit (here
    the message is gone) is an error: logged, and the presser told something went wrong."""
    chat = bot.private()
    menu = (await chat.send("/outline")).messages[0]
    del bot.fake.sent[(menu.chat_id, menu.message_id)]  # deleted meanwhile
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        reply = await chat.press(menu, "结语")
    assert [c.error.description for c in reply.errors] == ["Bad Request: message to edit not found"]
    assert "Message to edit not found" in caplog.text
    assert tr("zh", "error") in [a.get("text") for a in reply.answers]


def test_protocol_fields_take_only_the_values_this_version_knows() -> None:
    """Setting actions and card kinds are Literals, checked where callback data is parsed: an
    unknown one is stale data (answered politely), never a value handlers must second-guess."""
    assert cb.parse("c|menu|") is None and cb.parse("k|z|1") is None
    assert cb.parse("c|on|") == cb.Setting("on") and cb.parse("k|d|2026-11-27") == cb.Card("d", "2026-11-27")
    pushed_to_a_topic = ChatRecord(chat_id=-1_000_000_000_001, kind=ChatType.SUPERGROUP, lang="zh", subscribed=True,
                                   paused=False, push_time="08:00", timezone="Asia/Shanghai", next_due_at=None,
                                   thread_id=5)
    screens = [settings_screen("zh", None, ChatDefaults("Asia/Shanghai", "08:00")), zone_screen("zh"),
               settings_screen("zh", pushed_to_a_topic, ChatDefaults("Asia/Shanghai", "08:00"), forum=True, here=9)]
    assert {"c|topic|here", "c|topic|general"} <= {str(i.callback_data) for i in screens[-1].buttons[-1]}
    parsed = [cb.parse(str(item.callback_data)) for screen in screens for row in screen.buttons for item in row]
    assert all(isinstance(data, cb.Setting) for data in parsed)  # every button of the panel parses
    assert {data.action for data in parsed if isinstance(data, cb.Setting)} <= set(get_args(cb.SettingAction))


def test_bookmark_references_are_written_and_read_in_one_place() -> None:
    assert cb.bookmark("q", 3) == "q:3" and cb.bookmark("n", "4.2") == "n:4.2"
    assert cb.bookmark_target("q:3") == ("q", "3") and cb.bookmark_target("n:4.2.1") == ("n", "4.2.1")
    for forged in ("", "q", "q:", "x:1", "n", ":4.2"):
        assert cb.bookmark_target(forged) is None, forged
