"""Run the real bot against the local fake Bot API, and play users talking to it.

``LocalBot`` is what the end-to-end tests, ``speechbot console`` and ``benchmarks/updates.py``
use: the same ``Application`` as production, over real HTTP on 127.0.0.1. A test-only
handler in the last group marks each update as processed, so a conversation can wait for the
bot's complete answer instead of sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from aiohttp import web
from telegram import Update
from telegram.ext import TypeHandler

from bot.app import App, Services
from bot.clock import system_clock
from bot.fake import wire
from bot.fake.records import Call, Sent
from bot.fake.server import FakeBotAPI
from bot.reader.initdata import local_init_data
from bot.settings import Settings
from bot.storage import Store
from content import Speech
from handlers.context import BotContext

DONE_GROUP = 10_000


@dataclass
class Reply:
    """Everything the bot did in answer to one update."""

    calls: list[Call]
    fake: FakeBotAPI

    def _messages(self, method: str) -> list[Sent]:
        return [self.fake.sent[(m["chat"]["id"], m["message_id"])]
                for c in self.calls if c.method == method and (m := c.message) is not None]

    @property
    def messages(self) -> list[Sent]:
        """New messages, in order (as they stand now)."""
        return self._messages("sendMessage")

    @property
    def polls(self) -> list[wire.Poll]:
        """Polls sent, as the fake answered them."""
        return [m["poll"] for c in self.calls if c.method == "sendPoll" and (m := c.message) is not None]

    @property
    def photos(self) -> list[Sent]:
        """New photo messages (cards), in order."""
        return self._messages("sendPhoto")

    @property
    def documents(self) -> list[Sent]:
        """New document messages (files the bot sent), in order."""
        return self._messages("sendDocument")

    @property
    def reactions(self) -> list[wire.Params]:
        """setMessageReaction parameters, in order."""
        return [c.params for c in self.calls if c.method == "setMessageReaction" and c.error is None]

    @property
    def edited(self) -> list[Sent]:
        """Messages edited in place, in order."""
        return self._messages("editMessageText")

    @property
    def text(self) -> str:
        """The plain text of all new messages (or edits), joined."""
        return "\n".join(m.text for m in (self.messages or self.edited))

    @property
    def html(self) -> str:
        return "\n".join(m.html for m in (self.messages or self.edited))

    @property
    def answers(self) -> list[wire.Params]:
        """answerCallbackQuery / answerInlineQuery parameters."""
        return [c.params for c in self.calls if c.method in ("answerCallbackQuery", "answerInlineQuery")]

    @property
    def errors(self) -> list[Call]:
        return [c for c in self.calls if c.error is not None]


@dataclass
class Chat:
    """A chat with the bot, seen from one user's side; in a forum, from one of its topics
    (``thread``; None: General)."""

    bot: LocalBot
    chat_id: int
    user: wire.User
    last: Reply | None = field(default=None)
    thread: int | None = None

    async def send(self, text: str, user: wire.User | None = None) -> Reply:
        """The user sends ``text``; returns the bot's complete answer."""
        self.last = await self.bot.process(self.bot.fake.message(self.chat_id, user or self.user, text,
                                                                 thread=self.thread))
        return self.last

    async def reply(self, message: Sent, text: str, user: wire.User | None = None) -> Reply:
        """The user answers the bot's ``message`` (a ForceReply) with ``text``."""
        self.last = await self.bot.process(self.bot.fake.message(self.chat_id, user or self.user, text, message,
                                                                 thread=self.thread))
        return self.last

    def in_topic(self, thread: int | None) -> Chat:
        """The same member in topic ``thread`` of this forum (None: General)."""
        return Chat(self.bot, self.chat_id, self.user, thread=thread)

    async def open_topic(self, name: str) -> Chat:
        """The member opens a topic ``name`` (the bot sees its service message); the member in it."""
        topic, update = self.bot.fake.open_topic(self.chat_id, self.user, name)
        await self.bot.process(update)
        return self.in_topic(topic.thread)

    async def close_topic(self) -> Reply:
        """The member (an administrator) closes this topic."""
        assert self.thread is not None, "General is closed by other means"
        return await self.bot.process(self.bot.fake.close_topic(self.chat_id, self.user, self.thread))

    async def send_document(self, content: bytes, file_name: str | None, mime_type: str | None = None,
                            caption: str | None = None, user: wire.User | None = None) -> Reply:
        """The user sends a file: the fake keeps its bytes for getFile and the download, as
        Telegram does, and delivers the document message; returns the bot's complete answer."""
        update = self.bot.fake.document(self.chat_id, user or self.user, content, file_name, mime_type, caption)
        self.last = await self.bot.process(update)
        return self.last

    async def press(self, message: Sent, label: str | int, user: wire.User | None = None) -> Reply:
        """Press the button whose text contains ``label`` (or the index) on ``message``."""
        buttons = message.buttons
        chosen = buttons[label] if isinstance(label, int) else next(b for b in buttons if label in b["text"])
        return await self.press_data(message, chosen["callback_data"], user)

    async def press_data(self, message: Sent, data: str, user: wire.User | None = None) -> Reply:
        """Press a button with arbitrary (possibly forged) callback data."""
        self.last = await self.bot.process(self.bot.fake.press(message, data, user or self.user))
        return self.last

    async def inline(self, query: str) -> Reply:
        return await self.bot.process(self.bot.fake.inline_query(query, self.user))

    async def vote(self, poll_id: str, options: list[int]) -> Reply:
        """The user answers a (non-anonymous) poll: a poll_answer, which carries no chat."""
        return await self.bot.process(self.bot.fake.poll_answer(poll_id, self.user, options))


class TravelClock:
    """The clock a ``LocalBot`` runs on: the real time until ``travel`` sets another instant.
    It is the bot's one clock, so the handlers, the store and the push all see the same time."""

    def __init__(self) -> None:
        self.at: datetime | None = None

    def __call__(self) -> datetime:
        return self.at if self.at is not None else system_clock()


class LocalBot:
    """The real Application on a fake Bot API; an async context manager."""

    def __init__(self, settings: Settings | None = None, speech: Speech | None = None,
                 fake: FakeBotAPI | None = None, app_factory: Callable[[Settings, str], App] | None = None) -> None:
        self.settings = settings or Settings(token=None, push_enabled=False)
        self.speech = speech
        self.fake = fake or FakeBotAPI()
        self.app: App | None = None
        self.services: Services | None = None
        self._factory = app_factory
        self._processed: dict[int, asyncio.Event] = {}
        self.clock = TravelClock()
        self._web: list[web.AppRunner] = []

    async def __aenter__(self) -> LocalBot:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        base = await self.fake.start()
        settings = self.settings.model_copy(update={"api_base_url": base})
        if self._factory:
            self.app = self._factory(settings, self.fake.token)
        else:
            self.services = Services(settings, self.speech, self.clock)
            self.app = self.services.build(self.fake.token)
        self.app.add_handler(TypeHandler(Update, self._mark_done), group=DONE_GROUP)
        await self.app.initialize()
        if self.app.post_init:
            await self.app.post_init(self.app)
        await self.app.start()
        assert self.app.updater is not None
        await self.app.updater.start_polling(poll_interval=0.0, timeout=1)

    async def stop(self) -> None:
        for runner in self._web:
            await runner.cleanup()
        self._web.clear()
        if self.app is not None:
            assert self.app.updater is not None
            if self.app.updater.running:
                await self.app.updater.stop()
            if self.app.running:
                await self.app.stop()
            if self.app.post_shutdown:
                await self.app.post_shutdown(self.app)
            await self.app.shutdown()
            self.app = None
        await self.fake.stop()

    async def serve_reader(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve this bot's reader (the Mini App, on the bot's services and database) on
        ``host:port`` (0: a free port) until ``stop``; returns its base URL."""
        from bot.http import make_web_app
        from bot.http import runner as web_runner

        assert self.services is not None and self.app is not None, "start the bot first"
        runner = web_runner(make_web_app(reader=self.services.reader(self.app)))
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._web.append(runner)
        bound = runner.addresses[0][1]
        return f"http://{host}:{bound}"

    def reader_url(self, base: str, user_id: int = 1001, first_name: str = "李明", language_code: str = "zh-hans",
                   query: str = "", **extra: str) -> str:
        """The reader's page for a user, as Telegram would open it in their private chat: initData
        signed with this bot's token in the fragment."""
        data = local_init_data(self.fake.token, user_id, first_name, language_code,
                               now=self.clock().timestamp(), **extra)
        return f"{base}/app/{query}#tgWebAppData={quote(data, safe='')}"

    def travel(self, moment: datetime) -> None:
        """From now on the bot (handlers, store, push) believes it is ``moment`` (aware)."""
        assert moment.tzinfo is not None, "the clock is aware"
        self.clock.at = moment

    @property
    def store(self) -> Store:
        """The running bot's database (after start; in memory when none is configured)."""
        assert self.services is not None, "start the bot first"
        return self.services.store

    async def _mark_done(self, update: Update, context: BotContext) -> None:
        self._processed.setdefault(update.update_id, asyncio.Event()).set()

    async def process(self, update: wire.Update, timeout: float = 15.0) -> Reply:
        """Wait until the bot has fully handled ``update``; return what it did."""
        start = len(self.fake.calls)
        event = self._processed.setdefault(update["update_id"], asyncio.Event())
        await asyncio.wait_for(event.wait(), timeout)
        del self._processed[update["update_id"]]
        chat_id = _chat_of(update)
        calls = [c for c in self.fake.calls[start:] if chat_id is None or _call_chat(c) in (chat_id, None)]
        return Reply(calls, self.fake)

    def private(self, user_id: int = 1001, first_name: str = "李明", language_code: str = "zh-hans") -> Chat:
        """A private chat with a user."""
        user = self.fake.user(user_id, first_name, language_code)
        return Chat(self, user_id, user)

    def group(self, chat_id: int = -4001, user_id: int = 2001, first_name: str = "王芳",
              language_code: str = "zh-hans") -> Chat:
        """A group chat, seen from one member."""
        return Chat(self, chat_id, self.fake.user(user_id, first_name, language_code))

    def forum(self, chat_id: int = -1_000_000_004_001, user_id: int = 2001, first_name: str = "王芳",
              language_code: str = "zh-hans") -> Chat:
        """A supergroup with topics, seen from one member in its General topic."""
        self.fake.forum(chat_id)
        return self.group(chat_id, user_id, first_name, language_code)


def _chat_of(update: wire.Update) -> int | None:
    about = update.get("message") or update.get("my_chat_member")
    if about is not None:
        return about["chat"]["id"]
    message = update.get("callback_query", {}).get("message")
    return message["chat"]["id"] if message is not None else None


def _call_chat(call: Call) -> int | None:
    value = call.params.get("chat_id")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
