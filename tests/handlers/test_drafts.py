"""An unpublished draft is the owners' alone (issue 24, item 20): forged buttons of every kind,
bookmarks, inline queries, links, the search of every text, the reader and the daily push never
show it to anyone else, end to end against the fake Bot API; the owner still reads it."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, get_args, get_origin, get_type_hints

import aiohttp
import pytest

from bot.fake.local import LocalBot, Reply
from bot.fake.server import Sent
from bot.push import Pusher
from bot.reader.initdata import local_init_data
from bot.reader.routes import INIT_HEADER
from content.formats.blocks import Metadata
from handlers import callbacks as cb
from handlers.caches import BoundedCache
from handlers.catalog import tr
from tests.conftest import bot_settings
from tests.handlers.test_texts import SECOND, add_text

OWNER = 1001
MEMBER = 1002
SECRET = "秘研"
"""A word only the draft holds (in every heading and most paragraphs)."""
DRAFT = SECOND.replace("学习", SECRET)
TITLE = f"{SECRET}草稿"
LEAKS = (TITLE, f"认识{SECRET}", f"{SECRET}是", f"推动{SECRET}", f"把{SECRET}")
"""What the draft's heading, title and text show (a query of the word alone is echoed, not leaked)."""


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[LocalBot]:
    async with LocalBot(bot_settings(tmp_path, admin_ids=frozenset({OWNER}))) as running:
        yield running


def _values(hint: object, draft: int) -> list[object]:
    """Every value a field of type ``hint`` is forged with: each choice of a ``Literal``; for a
    number, the draft's id and 0; for a string, each way a reference names the draft (a node,
    its top, a quote number, a bookmark, a day's card) and the draft's own word."""
    if get_origin(hint) is Literal:
        return list(get_args(hint))
    if hint is int:
        return [draft, 0]
    return [f"{draft}:1", f"{draft}:", f"{draft}:0", f"n:{draft}:1", f"q:{draft}:0", f"{draft}:2026-12-07", SECRET]


def forged(draft: int) -> Iterator[tuple[type[cb.Callback], str]]:
    """Every button kind ``handlers.callbacks`` knows, with every combination of forged values
    (a new kind is pressed here without a change to this test)."""
    for kind in get_args(cb.Callback):
        hints = get_type_hints(kind)
        names = [field.name for field in dataclasses.fields(kind)]
        for values in itertools.product(*(_values(hints[name], draft) for name in names)):
            try:
                data = cb.encode(kind(**dict(zip(names, values, strict=True))))
            except ValueError:  # over 64 bytes: no button carries it
                continue
            if cb.parse(data) is not None:
                yield kind, data


def names_draft(data: str, draft: int) -> bool:
    parsed = cb.parse(data)
    assert parsed is not None
    return cb.scope_of(parsed) == draft or getattr(parsed, "text_id", None) == draft


def shown(reply: Reply) -> str:
    """Everything the bot sent or answered, as one string."""
    return "\n".join(str(call.params) for call in reply.calls)


def leaked(reply: Reply) -> bool:
    everything = shown(reply)
    return any(leak in everything for leak in LEAKS)


async def test_no_button_shows_a_draft_to_anyone_but_the_owners(bot: LocalBot) -> None:
    draft = await add_text(bot, DRAFT, title=TITLE, status="draft")
    member = bot.private(MEMBER)
    await bot.store.study.toggle_bookmark(MEMBER, f"n:{draft.id}:1")  # saved while it was live, say
    message: Sent = (await member.send("/start")).messages[0]
    stale = tr("zh", "stale_button")
    named = set()
    for kind, data in forged(draft.id):
        reply = await member.press_data(message, data)
        assert not leaked(reply), data
        assert tr("zh", "error") not in shown(reply), data  # never the apology of a failure
        if names_draft(data, draft.id):
            named.add(kind)
            assert [answer.get("text") for answer in reply.answers] == [stale], data
            assert not reply.messages and not reply.edited and not reply.photos, data
    # Every kind that can name a text was pressed naming the draft: the test cannot pass vacuously.
    assert named >= {cb.Outline, cb.Read, cb.Step, cb.Send, cb.Another, cb.Card, cb.SentenceCard, cb.Save,
                     cb.UseText, cb.TextAction}, named
    for command in ("/saved", f"/search 全部 {SECRET}", f"/start s-t{draft.id}-1", f"/start q-t{draft.id}-1",
                    f"/use {draft.id}", "/texts"):
        assert not leaked(await member.send(command)), command
    assert not leaked(await member.inline(SECRET))
    assert await bot.store.study.bookmarks(MEMBER) == [f"n:{draft.id}:1"]  # nothing new was saved


async def test_the_owner_still_reads_a_draft_through_its_buttons(bot: LocalBot) -> None:
    draft = await add_text(bot, DRAFT, title=TITLE, status="draft")
    owner = bot.private(OWNER)
    message = (await owner.send("/start")).messages[0]
    sent = await owner.press_data(message, cb.encode(cb.Send(f"{draft.id}:1")))
    assert sent.text.startswith(f"【第一部分】\n一、深刻认识{SECRET}的重要意义"), sent.text
    outline = await owner.press_data(message, cb.encode(cb.Outline(cb.top(draft.id))))
    assert SECRET in outline.edited[0].text
    card = await owner.press_data(message, cb.encode(cb.SentenceCard(f"{draft.id}:1", 0)))
    assert card.photos
    in_group = bot.group(chat_id=-4903, user_id=OWNER)  # the owner's press in a group: every member would see it
    shown_there = await in_group.press_data((await in_group.send("/start")).messages[0],
                                            cb.encode(cb.Send(f"{draft.id}:1")))
    assert [answer.get("text") for answer in shown_there.answers] == [tr("zh", "stale_button")]
    assert not leaked(await in_group.send(f"/search 全部 {SECRET}"))
    # A member's press of the same button, once the owner's put the draft in memory: still stale.
    member = bot.private(MEMBER)
    pressed = await member.press_data((await member.send("/start")).messages[0], cb.encode(cb.Send(f"{draft.id}:1")))
    assert [answer.get("text") for answer in pressed.answers] == [tr("zh", "stale_button")]


async def test_a_plans_text_back_to_a_draft_is_not_pushed(bot: LocalBot) -> None:
    """A text removed and then uploaded again is a draft (``Texts.add``): the group whose plan
    reads it, and whose current text it was, gets neither its passage nor its quote."""
    second = await add_text(bot, DRAFT, title=TITLE)
    start = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    bot.travel(start)
    group = bot.group(chat_id=-4902, user_id=2001)
    bot.fake.admins[-4902].add(2001)
    await group.send(f"/use {second.id}")
    assert TITLE in (await group.send("/plan")).text  # live: the plan reads it
    await bot.store.texts.set_status(second.id, "removed")
    record = await bot.store.texts.text(second.id)
    assert record is not None
    again, new = await bot.store.texts.add(DRAFT, Metadata(title=TITLE), "second.txt", record.info.nodes)
    assert (again.id, again.status, new) == (second.id, "draft", False)
    assert bot.app is not None
    bot.app.bot_data.shelf.checks = BoundedCache(16)  # (the check's age passing)
    bot.store.chats._texts.pop(-4902)  # (the chat's text cache's too)
    for command in ("/plan", "/today", "/outline", "/quote"):
        assert not leaked(await group.send(command)), command
    moment = start + timedelta(days=1)
    bot.travel(moment)
    pusher = Pusher(bot.app.bot, bot.store, bot.app.bot_data.library)  # type: ignore[arg-type]
    report = await pusher.run_due(moment)
    assert report.chats == [-4902], report
    pushed = bot.fake.by_chat[-4902][-1]
    assert not any(leak in pushed.text for leak in LEAKS), pushed.text


async def test_the_reader_does_not_open_a_text_that_went_back_to_a_draft(bot: LocalBot) -> None:
    """The reader holds texts in memory as the chat does: a text removed and uploaded again is a
    draft there too, at once for the reader as within ``TEXT_CHECK_SECONDS`` for the chat."""
    second = await add_text(bot, DRAFT, title=TITLE)
    base = await bot.serve_reader()
    headers = {INIT_HEADER: local_init_data(bot.fake.token, MEMBER, "M", "zh-hans", bot.clock().timestamp())}
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/api/texts/{second.id}/start", headers=headers) as response:
            assert response.status == 200  # live: read, and held in memory
        await bot.store.texts.set_status(second.id, "removed")
        record = await bot.store.texts.text(second.id)
        assert record is not None
        await bot.store.texts.add(DRAFT, Metadata(title=TITLE), "second.txt", record.info.nodes)
        for path in ("start", "outline", "nodes/1", f"search?q={SECRET}"):
            async with http.get(f"{base}/api/texts/{second.id}/{path}", headers=headers) as response:
                answer = await response.text()
                assert response.status == 404, path
                assert not any(leak in answer for leak in LEAKS), path
