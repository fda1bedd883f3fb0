"""Trying the reader locally: `speechbot reader` serves it alone, `speechbot console` next to the
bot; both print a URL whose initData is signed for a local user."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import signal
import sys
import urllib.request
from pathlib import Path
from urllib.parse import unquote

import pytest

from bot.fake.console import run_console
from bot.reader.routes import INIT_HEADER
from tests.conftest import CACHE_DIR, bot_settings


def _call(url: str) -> tuple[str, str]:
    """The page's URL as the page reads it: the server's base and the initData of its fragment."""
    base, fragment = url.split("/app/", 1)
    data = unquote(fragment.split("tgWebAppData=", 1)[1])
    return base, data


def _request(base: str, data: str, path: str, method: str = "GET") -> object:
    request = urllib.request.Request(f"{base}/api/texts/default{path}", method=method, headers={INIT_HEADER: data})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


class Scripted(io.StringIO):
    """The console's input: a bookmark made in the reader (through its printed URL) between two
    lines typed at the console."""

    def __init__(self, out: io.StringIO) -> None:
        super().__init__()
        self.out = out
        self.lines = iter(["/start\n", "READER", "/saved\n", "/quit\n"])
        self.saved: object = None

    def readline(self, size: int = -1) -> str:  # called in a thread: the bot's loop is free
        line = next(self.lines)
        if line != "READER":
            return line
        url = re.search(r"The reader \(Telegram Mini App\) for you, in a browser: (\S+)", self.out.getvalue())
        assert url, self.out.getvalue()[:500]
        base, data = _call(url.group(1))
        self.saved = _request(base, data, "/bookmarks/n:4.2", "PUT")
        return "\n"


async def test_the_console_prints_a_reader_url_on_the_same_bot_and_database(tmp_path: Path) -> None:
    out = io.StringIO()
    stdin = Scripted(out)
    assert await run_console(bot_settings(tmp_path), stdin=stdin, out=out) == 0
    assert stdin.saved == {"saved": [{"ref": "n:4.2", "node": "4.2", "label": "四（二）",
                                      "text": "四（二） 聚焦关键环节，坚定不移抓好政府系统党风廉政建设重点工作",
                                      "at": stdin.saved["saved"][0]["at"]}]}  # type: ignore[index]
    assert "☆ 我的收藏" in out.getvalue() and "[1] 1. 四（二）" in out.getvalue()  # /saved in the console


@pytest.mark.slow
async def test_speechbot_reader_serves_the_reader_alone_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SPEECHBOT_", "TELEGRAM_"))}
    env.update(SPEECHBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/reader.sqlite3",
               SPEECHBOT_CACHE_DIR=str(CACHE_DIR))
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "reader", "--port", "0",
                                                   "--lang", "en", cwd=tmp_path, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        assert process.stdout is not None
        notice = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
        assert "TELEGRAM_BOT_TOKEN is unset" in notice and "local development token" in notice
        line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
        assert line.startswith("reader: http://127.0.0.1:")
        base, data = _call(line.split(" ", 1)[1].strip())
        first = await asyncio.to_thread(_request, base, data, "/start")
        assert first["lang"] == "en" and len(first["outline"]) == 6  # type: ignore[index]
        forged = data.replace("1001", "1002")
        status = await asyncio.to_thread(_status, base, forged)
        assert status == 401
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 30)
    assert code == 0, (await process.stderr.read()).decode()[-2000:]  # type: ignore[union-attr]


def _status(base: str, data: str) -> int:
    try:
        _request(base, data, "/start")
    except urllib.error.HTTPError as error:
        return error.code
    return 200
