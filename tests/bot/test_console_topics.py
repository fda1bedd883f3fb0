"""The console plays a group with topics: ``/topic NAME`` talks in a topic, and the bot's
messages there print with the topic's name first."""

from __future__ import annotations

import io
from pathlib import Path

from bot.fake.console import run_console
from tests.conftest import bot_settings


async def test_the_console_talks_in_a_topic_and_shows_where_answers_went(tmp_path: Path) -> None:
    script = "/topic 学习\n/subscribe\n/settings\n/topic\n/today\n/quit\n"
    out = io.StringIO()
    assert await run_console(bot_settings(tmp_path), stdin=io.StringIO(script), out=out) == 0
    printed = out.getvalue()
    in_topic, in_general = printed.split("(in topic 学习)", 1)[1].split("(you are 同学, id 1001, in group", 1)
    assert "🤖 [#学习] ✅" in in_topic and "🤖 [#学习] ⚙️" in in_topic  # /subscribe and /settings answered there
    assert "推送到话题：学习" in in_topic and "📌 推送到综合(General)" in in_topic
    assert "🤖 🗓" in in_general and "[#" not in in_general  # General: no prefix
