"""What an update reads from the database: nothing this process already knows (the chat's text,
the member's bookmarks), and never a stale ☆ or chat text after a write, wherever it was made
(``bot.storage.cache``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from sqlalchemy import event

from bot.fake.local import Chat, LocalBot
from bot.fake.server import Sent
from bot.storage.cache import REPLICA_LAG
from bot.storage.chats import ChatRepository
from bot.storage.study import StudyRepository
from handlers import callbacks as cb
from handlers.caches import BoundedCache
from tests.bot.test_webapp import Reader
from tests.handlers.test_study import bookmark_buttons, press_to
from tests.handlers.test_texts import TITLE, add_text

SECTION = "n:4.2.3"


@pytest.fixture
async def frozen(bot: LocalBot) -> LocalBot:
    """The bot with its clock standing still (the store's caches age on it) and its texts'
    30-second check remembered until a test moves on, so only a write makes it read again."""
    bot.clock.at = datetime.now(UTC)
    bot.app.bot_data.shelf.checks = BoundedCache(16)  # type: ignore[union-attr]
    return bot


class Trips:
    """The connections checked out of the pool and the statements run while it listens."""

    def __init__(self, bot: LocalBot) -> None:
        self.connections = 0
        self.statements: list[str] = []
        engine = bot.store.db.engine.sync_engine
        event.listen(engine, "checkout", self._checkout)
        event.listen(engine, "before_cursor_execute", self._execute)

    def _checkout(self, *_: Any) -> None:
        self.connections += 1

    def _execute(self, _connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.statements.append(" ".join(statement.split())[:80])

    def reset(self) -> None:
        self.connections, self.statements = 0, []


async def show_section(chat: Chat) -> dict[str, str]:
    """``/show 4.2.3`` in ``chat``: its bookmark buttons (ref → label)."""
    return bookmark_buttons((await chat.send("/show 4.2.3")).messages[-1])


async def test_an_update_reads_nothing_the_process_already_knows(frozen: LocalBot) -> None:
    """Reading, quoting, searching and paging the outline again: no connection, no statement
    (the chat's text, the member's ☆ and the live texts' ids are remembered)."""
    chat = frozen.private(5101)
    outline = (await chat.send("/outline")).messages[0]
    await press_to(chat, outline, cb.Outline("4"))
    await chat.send("/quote 纪律")
    await show_section(chat)
    await chat.send("/search 慎独")
    trips = Trips(frozen)
    updates = {
        "/show": lambda: chat.send("/show 4.2.3"),
        "/quote": lambda: chat.send("/quote 纪律"),
        "/outline": lambda: chat.send("/outline"),
        "outline press": lambda: press_to(chat, outline, cb.Outline("4.2")),
        "read press": lambda: press_to(chat, outline, cb.Read("4.2.3")),
        "/search": lambda: chat.send("/search 慎独"),
    }
    for name, send in updates.items():
        trips.reset()
        reply = await send()
        assert not reply.errors and (reply.messages or reply.edited), name
        assert (trips.statements, trips.connections) == ([], 0), name


async def test_a_star_pressed_shows_on_the_next_screens_at_once(frozen: LocalBot) -> None:
    chat = frozen.private(5201)
    section = (await chat.send("/show 4.2.3")).messages[-1]
    assert bookmark_buttons(section) == {SECTION: "☆ 收藏"}
    await chat.press(section, "收藏")
    assert await show_section(chat) == {SECTION: "★ 已收藏"}
    menu = (await chat.send("/outline")).messages[0]
    for step in (cb.Outline("4"), cb.Outline("4.2"), cb.Read("4.2.3")):
        await press_to(chat, menu, step)
    assert bookmark_buttons(menu) == {SECTION: "★ 已收藏"}
    await chat.press(menu, "收藏")  # taken back from another message
    assert await show_section(chat) == {SECTION: "☆ 收藏"}
    hits = (await chat.send("/search 绝不能建设一个工程倒下一批干部")).messages[0]
    assert set(bookmark_buttons(hits).values()) == {"☆ 收藏"}  # a hit's ☆ names its sentence, none saved


def offers_every_text(message: Sent) -> bool:
    return any(isinstance(cb.parse(item.get("callback_data")), cb.SearchAll) for item in message.buttons)


async def test_a_text_published_or_removed_here_changes_the_search_at_once(frozen: LocalBot) -> None:
    chat = frozen.private(5251)
    assert not offers_every_text((await chat.send("/search 抓铁有痕")).messages[0])  # the original alone
    second = await add_text(frozen)
    assert offers_every_text((await chat.send("/search 抓铁有痕")).messages[0])
    await frozen.store.texts.set_status(second.id, "removed")
    assert not offers_every_text((await chat.send("/search 抓铁有痕")).messages[0])


@pytest.fixture
async def reader(frozen: LocalBot) -> AsyncIterator[Reader]:
    base = await frozen.serve_reader()
    async with aiohttp.ClientSession() as http:
        yield Reader(frozen, base, http)


async def test_a_star_saved_in_the_reader_shows_in_the_chat_at_once(reader: Reader) -> None:
    chat = reader.bot.private(5301)
    assert await show_section(chat) == {SECTION: "☆ 收藏"}
    assert (await reader.call("PUT", f"/bookmarks/{SECTION}", 5301))[0] == 200
    assert await show_section(chat) == {SECTION: "★ 已收藏"}
    assert (await reader.call("DELETE", f"/bookmarks/{SECTION}", 5301))[0] == 200
    assert await show_section(chat) == {SECTION: "☆ 收藏"}


async def test_a_star_saved_on_another_replica_shows_within_the_replica_lag(frozen: LocalBot) -> None:
    chat = frozen.private(5401)
    assert await show_section(chat) == {SECTION: "☆ 收藏"}
    elsewhere = StudyRepository(frozen.store.db, "Asia/Shanghai", frozen.store.clock)  # its own memory
    assert await elsewhere.toggle_bookmark(5401, SECTION)
    assert frozen.clock.at is not None
    frozen.clock.at += timedelta(seconds=REPLICA_LAG)
    assert await show_section(chat) == {SECTION: "★ 已收藏"}


async def test_forget_sends_the_private_chat_back_to_the_original_at_once(frozen: LocalBot) -> None:
    second = await add_text(frozen)
    chat = frozen.private(5501)
    await chat.send(f"/use {second.id}")
    assert TITLE in (await chat.send("/use")).text
    ask = (await chat.send("/forget")).messages[0]
    await chat.press(ask, "确认删除")
    now = (await chat.send("/use")).text
    assert TITLE not in now and "本聊天正在学习" in now
    assert (await chat.send("/show 4.2")).text.startswith("【四（二）】")  # the original's part 四


async def test_a_switch_on_another_replica_shows_within_the_replica_lag(frozen: LocalBot) -> None:
    second = await add_text(frozen)
    chat = frozen.private(5601)
    assert TITLE not in (await chat.send("/use")).text
    store = frozen.store
    elsewhere = ChatRepository(store.db, "Asia/Shanghai", "08:00", timedelta(hours=2), store.clock)
    await elsewhere.configure(5601, "private", text_id=second.id)
    assert frozen.clock.at is not None
    frozen.clock.at += timedelta(seconds=REPLICA_LAG)
    assert TITLE in (await chat.send("/use")).text


async def test_a_burst_of_updates_after_the_replica_lag_reads_each_cache_once(frozen: LocalBot) -> None:
    """Six chats that went quiet for the replica lag write at once: one statement reads their
    texts, one their members' ☆, however many updates missed them."""
    chats = [frozen.private(5701 + n) for n in range(6)]
    for chat in chats:
        assert await show_section(chat) == {SECTION: "☆ 收藏"}
    assert frozen.clock.at is not None
    frozen.clock.at += timedelta(seconds=REPLICA_LAG)
    trips, calls = Trips(frozen), len(frozen.fake.calls)
    queued = [frozen.fake.message(chat.chat_id, chat.user, "/show 4.2.3") for chat in chats]
    for update in queued:
        await frozen.process(update)
    answers = [call for call in frozen.fake.calls[calls:] if call.method == "sendMessage"]
    assert len(answers) == len(chats) and not [call for call in answers if call.error]
    assert [s.split(" FROM ")[1].split()[0] for s in trips.statements] == ["chats", "bookmarks"]
    assert trips.connections == 2


async def test_a_chat_in_use_is_read_again_ahead_of_its_expiry(frozen: LocalBot) -> None:
    """A miss of one chat reads again the chats in use past a quarter of their lag, so that a
    steady stream of updates meets a miss once a lag, not once per chat."""
    first, second = frozen.private(5801), frozen.private(5802)
    await show_section(first)
    assert frozen.clock.at is not None
    frozen.clock.at += timedelta(seconds=REPLICA_LAG / 2)
    await show_section(second)  # a miss: reads the first chat's text and ☆ again too
    frozen.clock.at += timedelta(seconds=REPLICA_LAG * 3 / 4)  # past the first read's lag
    trips = Trips(frozen)
    assert await show_section(first) == {SECTION: "☆ 收藏"}
    assert (trips.statements, trips.connections) == ([], 0)
