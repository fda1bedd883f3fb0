"""The console prints where each document the bot sends is saved: the 学习台账 an administrator
asks for in a group arrives in their private chat as two files."""

from __future__ import annotations

import io
import re
from pathlib import Path

from bot.fake.console import run_console
from tests.conftest import bot_settings


async def test_the_record_the_bot_sends_prints_as_two_saved_files(tmp_path: Path) -> None:
    out = io.StringIO()
    script = "/start\n/group\n/ledger on\n/ledger\n/quit\n"
    assert await run_console(bot_settings(tmp_path), stdin=io.StringIO(script), out=out) == 0
    printed = out.getvalue()
    assert "台账已私信发送给你。" in printed, printed
    paths = re.findall(r"→ private 📄 (\S+)", printed)
    assert [Path(p).suffix for p in paths] == [".xlsx", ".docx"], printed
    assert all(re.fullmatch(r"学习台账-\d{4}-\d{2}\.(xlsx|docx)", Path(p).name) for p in paths)
    assert all(Path(p).read_bytes()[:2] == b"PK" for p in paths)  # zip packages, as Office files are


async def test_a_note_in_a_group_prints_the_bots_reaction(tmp_path: Path) -> None:
    """In a group the bot answers /note with 👍 on the message only: the console shows it."""
    out = io.StringIO()
    script = "/start\n/group\n/note 慎独是一种修养，也是一种境界。\n/quit\n"
    assert await run_console(bot_settings(tmp_path), stdin=io.StringIO(script), out=out) == 0
    assert "🤖 👍 (the bot's reaction on the message)" in out.getvalue(), out.getvalue()
