"""The library's texts in the database (``bot.storage.texts``), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from bot.storage import Store
from bot.storage.engine import make_engine, upgrade
from bot.storage.tables import PositionRow
from content import Speech
from content.formats import Metadata
from content.library import body_of, digest, node_count
from tests.bot.conftest import BACKENDS, database_url, open_store

SHORT = "一、第一部分\n（一）第一节\n第一节的第一句话。第二句话。\n二、第二部分\n第二部分的内容。"


async def original(store: Store, speech: Speech) -> None:
    await store.texts.ensure_original(body_of(speech), speech.title, "speech.txt", node_count(speech))


async def test_the_original_is_text_one_and_uploads_follow(store: Store, speech: Speech) -> None:
    await original(store, speech)
    await original(store, speech)  # every start: no second row
    info, new = await store.texts.add(SHORT, Metadata(title="另一篇讲话", speaker="某同志"), "b.docx", 4, 42, "live")
    assert new and info.id > 1 and info.title == "另一篇讲话" and info.status == "live"
    listed = await store.texts.texts()
    assert [t.id for t in listed] == [info.id, 1]  # newest first, the original last
    record = await store.texts.text(1)
    assert record is not None and record.info.digest == digest(body_of(speech))


async def test_the_same_body_is_one_text_whatever_its_line_ends(store: Store, speech: Speech) -> None:
    await original(store, speech)
    first, new = await store.texts.add(SHORT, Metadata(title="甲"), "a.txt", 4)
    again, new_again = await store.texts.add(SHORT.replace("\n", "\r\n") + "\n\n", Metadata(title="乙"), "a.docx", 4)
    assert new and not new_again and again.id == first.id and again.title == "甲"
    assert first.status == "draft" and await store.texts.texts() == [(await store.texts.texts())[0]]
    published, _ = await store.texts.add(SHORT, Metadata(), "a.txt", 4, status="live")  # publishing a draft
    assert published.id == first.id and published.status == "live"


async def test_concurrent_adds_of_one_text_make_one_row(store: Store) -> None:
    results = await asyncio.gather(*(store.texts.add(SHORT, Metadata(title="同"), f"{i}.txt", 4, status="live")
                                      for i in range(5)))
    assert len({info.id for info, _ in results}) == 1
    assert sum(new for _, new in results) == 1


async def test_removing_sends_its_chats_back_and_the_original_stays(store: Store, speech: Speech) -> None:
    await original(store, speech)
    info, _ = await store.texts.add(SHORT, Metadata(title="甲"), "a.txt", 4, status="live")
    chat = await store.chats.configure(-100, "group", text_id=info.id)
    assert chat.text_id == info.id
    assert (await store.chats.configure(-100, "group", text_id=1)).text_id is None  # 1 is stored as "the original"
    await store.chats.configure(-100, "group", text_id=info.id)
    removed = await store.texts.set_status(info.id, "removed")
    assert removed is not None and removed.status == "removed"
    assert (await store.chats.chat(-100)).text_id is None  # type: ignore[union-attr]
    assert [t.id for t in await store.texts.texts()] == [1]
    assert (await store.texts.text(info.id)) is not None  # still readable through old buttons and bookmarks
    assert await store.texts.set_status(1, "removed") is None
    again, new = await store.texts.add(SHORT, Metadata(), "a.txt", 4, status="live")  # uploaded again: back
    assert not new and again.id == info.id and again.status == "live"


async def test_metadata_can_be_fixed_and_drafts_discarded(store: Store) -> None:
    info, _ = await store.texts.add(SHORT, Metadata(title="草稿"), "a.txt", 4)
    fixed = await store.texts.describe(info.id, Metadata(title=" 新  标题 ", speaker="张三", date=date(2026, 11, 28),
                                                         occasion="x" * 500))
    assert fixed is not None and fixed.title == "新 标题" and fixed.date == date(2026, 11, 28)
    assert fixed.occasion is not None and len(fixed.occasion) == 200
    assert await store.texts.discard(info.id) and await store.texts.text(info.id) is None
    live, _ = await store.texts.add(SHORT, Metadata(), "a.txt", 4, status="live")
    assert not await store.texts.discard(live.id)  # only a draft is discarded


async def test_a_changed_speech_file_updates_text_one(store: Store, speech: Speech) -> None:
    upload, _ = await store.texts.add(SHORT, Metadata(title="上传"), "a.txt", 4, status="live")
    assert upload.id == 2 and [t.id for t in await store.texts.texts()] == [2]  # 1 waits for the speech file
    await original(store, speech)
    changed = await store.texts.ensure_original(SHORT, "新讲话", "speech.txt", 4)  # the file now says SHORT
    assert changed.id == 1 and changed.digest == digest(SHORT)
    moved = await store.texts.text(upload.id)
    assert moved is not None and moved.info.digest != digest(SHORT)  # the upload gave up its address
    later, new = await store.texts.add(SHORT + "\n三、第三部分\n内容。", Metadata(), "c.txt", 5)
    assert new and later.id > upload.id  # ids keep counting after an explicit id 1 (PostgreSQL's sequence)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_migration_keeps_the_readers_old_positions(backend: str, tmp_path: Path) -> None:
    """A position stored before the library ("default") is text 1's after migration 0008."""
    if backend == "postgresql":
        pytest.skip("the data migration is one UPDATE, the same SQL on both; SQLite shows it")
    url = database_url(backend, tmp_path)
    engine = make_engine(url)
    await upgrade(engine, "0007")
    async with engine.begin() as connection:
        await connection.execute(sql("INSERT INTO reader_positions VALUES (7, 'default', '4.2', 10, '2026-01-01')"))
    await engine.dispose()
    store = await open_store(url)
    try:
        async with store.db.sessions() as session:
            row = await session.get(PositionRow, (7, "1"))
        assert row is not None and row.node_id == "4.2"
    finally:
        await store.close()


async def test_a_chats_text_is_known_at_once_here_and_read_again_later(store: Store) -> None:
    info, _ = await store.texts.add(SHORT, Metadata(title="甲"), "a.txt", 4, status="live")
    assert await store.chats.text_of(-5) is None  # an unknown chat reads the original
    await store.chats.configure(-5, "group", text_id=info.id)
    assert await store.chats.text_of(-5) == info.id  # this replica's /use: at once
    await store.texts.set_status(info.id, "removed")  # another replica's change: after the TTL
    store.chats._texts.pop(-5)  # (the TTL passing)
    assert await store.chats.text_of(-5) is None
