"""Application wiring: command menu, error handler, logging that never shows the token."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from telegram.error import InvalidToken

from bot.fake.local import LocalBot
from bot.logs import MASK, Redact, Redactor
from content import Speech
from tests.conftest import bot_settings


async def test_command_menu_is_registered_in_chinese_and_english(bot: LocalBot) -> None:
    keys = set(bot.fake.commands)
    assert any(k.startswith('{"type": "all_private_chats"}|') and k.endswith("|") for k in keys)
    assert any(k.startswith('{"type": "all_group_chats"}|en') for k in keys)
    zh = bot.fake.commands['{"type": "all_private_chats"}|']
    assert zh[0] == {"command": "today", "description": "今日一慎与每日金句"}


async def test_errors_are_logged_and_the_user_is_told(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    def broken(self: Speech, query: str, limit: int = 5) -> list[object]:
        raise RuntimeError("index exploded")

    monkeypatch.setattr(Speech, "search", broken)
    async with LocalBot(bot_settings(tmp_path)) as bot:
        with caplog.at_level(logging.ERROR):
            reply = await bot.private().send("/search 慎独")
    assert reply.text == "抱歉，出了点问题。请稍后再试。"
    assert "index exploded" in caplog.text


async def test_without_a_database_the_bot_runs_on_one_in_memory(tmp_path: Path) -> None:
    """``SPEECHBOT_DATABASE_URL`` empty: the repositories are real (SQLite in memory, migrated at
    start), so subscriptions, plans and the owner's report work; nothing reaches the disk, and a
    restart starts empty."""
    settings = bot_settings(tmp_path, database_url="", admin_ids=frozenset({1001}))
    async with LocalBot(settings) as bot:
        chat = bot.private()
        assert (await chat.send("/subscribe 07:30")).text.startswith("✅ 已订阅：每天 07:30（Asia/Shanghai）")
        assert "07:30" in (await chat.send("/settings")).text
        assert "21" in (await chat.send("/plan")).text
        await chat.send("/search 足球足球足球")
        assert "足球足球足球" in (await chat.send("/stats")).text
        row = await bot.store.chats.chat(chat.chat_id)
        assert row is not None and row.subscribed and row.push_time == "07:30"
    assert list(tmp_path.iterdir()) == []
    async with LocalBot(settings) as bot:
        assert await bot.store.chats.chat(chat.chat_id) is None


def test_secrets_are_redacted_from_every_part_of_a_log_record() -> None:
    token, secret = "123:ABCSECRETTOKEN", "webhook-s3cret"
    try:
        raise InvalidToken(f"The token `{token}` was rejected by the server.")
    except InvalidToken:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord("telegram", logging.ERROR, "", 0, "POST https://x/bot%s/getMe secret=%s",
                               (token, secret), exc_info)
    record.stack_info = f"Stack: bot{token}"
    Redact(Redactor([token, secret])).filter(record)
    shown = logging.Formatter().format(record)
    assert token not in shown and secret not in shown
    assert f"POST https://x/bot{MASK}/getMe secret={MASK}" in shown
    assert "InvalidToken" in shown and "Traceback" in shown  # the traceback is kept, masked


async def test_the_start_up_heap_is_frozen_once_after_the_warm_ups(tmp_path: Path) -> None:
    """With ``freeze_heap`` the collector's full passes skip what start-up built (the speech, its
    indexes, the encoder): once both warm-ups are done, ``gc.freeze()`` holds them."""
    import asyncio
    import gc

    from bot import app as composition

    gc.unfreeze()
    composition._frozen.clear()
    try:
        async with LocalBot(bot_settings(tmp_path, freeze_heap=True)) as bot:
            await bot.private().send("/start")
            for _ in range(600):  # the warm-ups load the encoder and the summaries: seconds
                if gc.get_freeze_count():
                    break
                await asyncio.sleep(0.1)
            assert gc.get_freeze_count() > 10_000 and composition._frozen.is_set()
    finally:
        gc.unfreeze()
        composition._frozen.clear()
