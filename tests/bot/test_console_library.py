"""The console as an owner adds a text: ``/file`` uploads it, and the ✏️ prompt (a ForceReply)
is answered by the next line typed, as a Telegram client makes the next message a reply; what
it publishes is there in the next session, and no line ends a session."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from bot.fake.console import run_console
from bot.fake.local import Chat, Reply
from bot.settings import Settings
from handlers.catalog import tr
from tests.conftest import CACHE_DIR, bot_settings
from tests.library_texts import FITTING


async def test_the_owner_fixes_an_uploaded_texts_title_by_answering_the_prompt(tmp_path: Path) -> None:
    upload = tmp_path / "体会.txt"
    upload.write_text(FITTING, "utf-8")
    # #2 on the preview is ✏️ 修改信息; the line after the prompt answers it; #1 then publishes.
    script = f"/file {upload}\n#2\n标题=守住底线 讲话人=张三\n#1\n/texts\n/quit\n"
    out = io.StringIO()
    assert await run_console(bot_settings(tmp_path), stdin=io.StringIO(script), out=out) == 0
    printed = out.getvalue()
    assert "🤖 ✏️ #2 修改信息" in printed
    assert "(a reply is asked for: the next line you type answers it)" in printed
    after = printed.split("标题=守住底线", 1)[1] if "标题=守住底线" in printed else printed.split("✏️ #2", 1)[1]
    assert "标题：守住底线\n讲话人：张三" in after, printed  # the reply reached /describe's parser
    assert "2. 《守住底线》" in printed.split("📚", 1)[1]  # published under the fixed title


async def test_an_empty_inline_query_after_a_card_lists_the_card(tmp_path: Path) -> None:
    out = io.StringIO()
    assert await run_console(bot_settings(tmp_path), stdin=io.StringIO("/card\n@\n/start\n/quit\n"), out=out) == 0
    printed = out.getvalue()
    listed = printed.split("\n  1. ", 1)[1]
    assert listed.startswith("🖼 🗓 "), printed  # the card (a cached photo: no title) by its caption
    assert "  2. 今日一慎：" in listed and "👋" in listed  # the session went on


async def test_a_line_the_console_fails_on_is_one_line_and_the_session_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sent = Chat.send

    async def failing(self: Chat, text: str, user: dict[str, Any] | None = None) -> Reply:
        if text == "/boom":
            raise RuntimeError("the fake went away\n(background on this error at: https://sqlalche.me/e/20/gkpj)")
        return await sent(self, text, user)

    monkeypatch.setattr(Chat, "send", failing)
    out = io.StringIO()
    assert await run_console(bot_settings(tmp_path), stdin=io.StringIO("/boom\n/start\n/quit\n"), out=out) == 0
    printed = out.getvalue()
    assert "\n(the console could not handle that line: RuntimeError: the fake went away)\n" in printed
    assert "👋" in printed.split("went away", 1)[1]


async def test_what_the_console_publishes_is_there_after_quit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No SPEECHBOT_DATABASE_URL: the console keeps its data in data/console.sqlite3; quizzes of
    a new session do not collide with the last one's."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SPEECHBOT_DATABASE_URL", raising=False)
    settings = Settings(token=None, push_enabled=False, rate_limit=False, cache_dir=CACHE_DIR)
    upload = tmp_path / "体会.txt"
    upload.write_text(FITTING, "utf-8")
    first = io.StringIO()
    script = f"/file {upload}\n#1\n/quote 纪律\n#4\n/group\n/quiz\n/quit\n"
    assert await run_console(settings, stdin=io.StringIO(script), out=first) == 0
    assert "kept in data/console.sqlite3" in first.getvalue()
    assert (tmp_path / "data" / "console.sqlite3").is_file()
    second = io.StringIO()
    assert await run_console(settings, stdin=io.StringIO("/texts\n/saved\n/group\n/quiz\n/quit\n"), out=second) == 0
    printed = second.getvalue()
    assert "2. 《坚守廉洁底线的几点体会》" in printed.split("📚", 1)[1], printed
    assert "☆ 我的收藏\n1. 一（三）" in printed
    assert printed.count("❓ ") == 1 and tr("zh", "error") not in printed
