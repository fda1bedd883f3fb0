"""The console as an owner adds a text: ``/file`` uploads it, and the ✏️ prompt (a ForceReply)
is answered by the next line typed, as a Telegram client makes the next message a reply."""

from __future__ import annotations

import io
from pathlib import Path

from bot.fake.console import run_console
from tests.conftest import bot_settings
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
