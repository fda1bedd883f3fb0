"""Application wiring: command menu, error handler, logging that never shows the token."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.fake.local import LocalBot
from bot.logs import RedactToken
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


def test_token_is_redacted_from_log_records() -> None:
    record = logging.LogRecord("httpx", logging.INFO, "", 0, "POST https://x/bot%s/getMe", ("123:ABCSECRET",), None)
    RedactToken("123:ABCSECRET").filter(record)
    assert record.getMessage() == "POST https://x/bot<token>/getMe"
