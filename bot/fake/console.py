"""``speechbot console``: talk to the real bot in a terminal, with no token and no network.

It runs the same Application as production against the local fake Bot API (``bot.fake.server``)
and a throw-away SQLite database, so /subscribe and the daily push work too. You type as a
user in a private chat; the bot's messages are printed, inline keyboards as numbered buttons.
``#2`` presses button 2 of the last message with buttons, ``@words`` runs an inline query,
``/quit`` (or Ctrl-D) leaves.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot.fake.local import LocalBot
from bot.fake.server import Call, Sent
from bot.settings import Settings
from bot.terminal import terminal_text
from content import Speech

USER_ID = 1001
BANNER = (
    "speechbot console — you are chatting with the real bot through a local fake Telegram.\n"
    "Type /start or /help. #N presses button N; @words is an inline query; /quit leaves.\n"
)


class Console:
    """Prints what the bot sends to the console user's chat and keeps the last keyboard."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.keyboard: Sent | None = None
        self.bot: LocalBot | None = None

    def show(self, call: Call) -> None:
        if call.method not in ("sendMessage", "editMessageText", "sendPhoto", "sendPoll") or not call.response:
            return
        if int(call.response["chat"]["id"]) != USER_ID or self.bot is None:
            return
        if call.method == "sendPoll":  # a quiz: the question and numbered options (answer in Telegram)
            poll = call.response["poll"]
            options = "   ".join(f"({n}) {o['text']}" for n, o in enumerate(poll["options"], start=1))
            self.out.write(f"\n🤖 ❓ {poll['question']}\n   {options}\n")
            self.out.flush()
            return
        sent = self.bot.fake.sent[(USER_ID, call.response["message_id"])]
        edited = " (edited)" if call.method == "editMessageText" else ""
        picture = ""
        if sent.photo:  # a card: where to look at it, then its caption
            path = Path(tempfile.gettempdir()) / f"speechbot-card-{sent.message_id}.png"
            path.write_bytes(self.bot.fake.files[sent.photo])
            picture = f"🖼 {path}\n"
        self.out.write(f"\n🤖{edited} {picture}{terminal_text(sent.html, self.out.isatty())}\n")
        if sent.buttons:
            self.keyboard = sent
            rows = sent.reply_markup["inline_keyboard"] if sent.reply_markup else []
            number = 0
            for row in rows:
                labels = []
                for item in row:
                    number += 1
                    labels.append(f"[{number}] {item['text']}")
                self.out.write("   " + "   ".join(labels) + "\n")
        self.out.flush()


async def run_console(settings: Settings | None = None, speech: Speech | None = None, stdin: TextIO | None = None,
                      out: TextIO | None = None, language_code: str = "zh-hans") -> int:
    """Run the console until EOF or /quit (standard input and output unless given); returns the exit code."""
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    with tempfile.TemporaryDirectory(prefix="speechbot-console-") as folder:
        base = settings or Settings(token=None)
        local_settings = base.model_copy(update={
            "database_url": f"sqlite+aiosqlite:///{folder}/console.sqlite3", "push_interval_seconds": 5.0,
            "rate_limit": False, "webhook_url": None})
        console = Console(out)
        async with LocalBot(local_settings, speech) as bot:
            console.bot = bot
            bot.fake.listen(console.show)
            chat = bot.private(USER_ID, "同学" if not language_code.startswith("en") else "there", language_code)
            out.write(BANNER)
            out.flush()
            while True:
                if stdin.isatty():
                    out.write("\n> ")
                    out.flush()
                line = await asyncio.to_thread(stdin.readline)
                if not line or line.strip() in ("/quit", "/exit"):
                    return 0
                line = line.strip()
                if not line:
                    continue
                if re.fullmatch(r"#\d+", line):
                    await press(console, chat, int(line[1:]))
                elif line.startswith("@"):
                    reply = await chat.inline(line[1:])
                    for i, result in enumerate(reply.answers[0]["results"] if reply.answers else [], start=1):
                        out.write(f"  {i}. {result['title']}\n")
                else:
                    await chat.send(line)


async def press(console: Console, chat: object, number: int) -> None:
    message = console.keyboard
    if message is None or not 1 <= number <= len(message.buttons):
        console.out.write("(no such button)\n")
        return
    item = message.buttons[number - 1]
    if "url" in item:
        console.out.write(f"(link: {item['url']})\n")
        return
    await chat.press_data(message, item["callback_data"])  # type: ignore[attr-defined]
