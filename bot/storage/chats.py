"""Chats and their subscriptions: the ``handlers.store.ChatStore`` the handlers use, plus the
pause and migration the push needs. Every change recomputes ``next_due_at``: only an active
(subscribed, unpaused) chat has one."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.constants import ChatType

from bot.clock import Clock
from bot.storage.cache import Caches
from bot.storage.deliveries import FINAL
from bot.storage.engine import Database
from bot.storage.tables import CardFileRow, ChatRow, DeliveryRow
from content.model import ORIGINAL
from content.timerules import due_on, local_date, next_due
from handlers.caches import BoundedCache
from handlers.catalog import Lang, language
from handlers.store import ChatRecord, ReminderFormat, chat_type


def record(row: ChatRow) -> ChatRecord:
    """The plain, frozen view of a row that handlers get."""
    return ChatRecord(chat_id=row.chat_id, kind=chat_type(row.kind), lang=language(row.lang), subscribed=row.subscribed,
                      paused=row.paused, push_time=row.push_time, timezone=row.timezone,
                      next_due_at=row.next_due_at, reminder_format=ReminderFormat.stored(row.reminder_format),
                      open_polls=bool(row.open_polls), quiz_daily=bool(row.quiz_daily), text_id=row.text_id,
                      thread_id=row.thread_id, topic_name=row.topic_name)


class ChatRepository:
    """Subscriptions per chat; new chats start with the configured zone and push time. A chat's
    current text, read on every update, comes through ``caches.chat_texts`` (``bot.storage.cache``:
    a switch here shows at once, one on another replica within seconds)."""

    def __init__(self, db: Database, timezone: str, push_time: str, catch_up: timedelta,
                 clock: Clock, caches: Caches | None = None) -> None:
        self.db = db
        self.clock = clock
        self.timezone = timezone
        self.push_time = push_time
        self.catch_up = catch_up
        self._texts = (caches or Caches(clock)).chat_texts

    async def chat(self, chat_id: int) -> ChatRecord | None:
        version = self._texts.version()
        async with self.db.reads() as session:
            row = await session.get(ChatRow, chat_id)
        if row is None:
            return None
        self._texts.remember(chat_id, row.text_id or ORIGINAL, version)
        return record(row)

    async def text_of(self, chat_id: int) -> int | None:
        known = await self._texts.fetch(chat_id, self._read_texts)
        return None if known == ORIGINAL else known

    async def _read_texts(self, chat_ids: list[int]) -> dict[int, int]:
        """The texts of ``chat_ids`` (the original for a chat without a row), in one statement."""
        async with self.db.reads() as session:
            rows = await session.execute(select(ChatRow.chat_id, ChatRow.text_id).where(ChatRow.chat_id.in_(chat_ids)))
            found = {chat_id: text_id or ORIGINAL for chat_id, text_id in rows}
        return {chat_id: found.get(chat_id, ORIGINAL) for chat_id in chat_ids}

    async def _upsert(self, session: AsyncSession, chat_id: int, kind: ChatType, **values: object) -> ChatRow:
        row = await session.get(ChatRow, chat_id, with_for_update=True)
        now = self.clock()
        if row is None:
            row = ChatRow(chat_id=chat_id, kind=kind, lang="zh", subscribed=False, paused=False,
                          push_time=self.push_time, timezone=self.timezone, updated_at=now,
                          reminder_format=ReminderFormat.TEXT, open_polls=False, quiz_daily=False)
            session.add(row)
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = now
        active = row.subscribed and not row.paused
        row.next_due_at = await self._next(session, row, now) if active else None
        return row

    async def _next(self, session: AsyncSession, row: ChatRow, now: datetime) -> datetime:
        """The next reminder to send: a day whose reminder already went out (the chat subscribed
        again, or changed its time, after today's send) moves on to the next day, so the time the
        chat is told is one that will really come."""
        due = next_due(row.push_time, row.timezone, now, self.catch_up)
        day = local_date(due, row.timezone)
        status = await session.scalar(select(DeliveryRow.status).where(DeliveryRow.chat_id == row.chat_id,
                                                                       DeliveryRow.local_date == day))
        return due_on(day + timedelta(days=1), row.push_time, row.timezone) if status in FINAL else due

    async def subscribe(self, chat_id: int, kind: ChatType, lang: Lang, push_time: str | None = None) -> ChatRecord:
        async with self.db.sessions.begin() as session:
            values: dict[str, object] = {"subscribed": True, "paused": False, "lang": lang}
            if push_time:
                values["push_time"] = push_time
            return record(await self._upsert(session, chat_id, kind, **values))

    async def unsubscribe(self, chat_id: int) -> bool:
        async with self.db.sessions.begin() as session:
            row = await session.get(ChatRow, chat_id, with_for_update=True)
            if row is None or not row.subscribed:
                return False
            row.subscribed = False
            row.next_due_at = None
            row.updated_at = self.clock()
            return True

    async def configure(self, chat_id: int, kind: ChatType, push_time: str | None = None,
                        zone: str | None = None, reminder_format: ReminderFormat | None = None,
                        open_polls: bool | None = None, quiz_daily: bool | None = None,
                        text_id: int | None = None) -> ChatRecord:
        async with self.db.sessions.begin() as session:
            values: dict[str, object] = {}
            if text_id is not None:
                values["text_id"] = None if text_id == ORIGINAL else text_id
            if push_time:
                values["push_time"] = push_time
            if zone:
                values["timezone"] = zone
            if reminder_format is not None:
                values["reminder_format"] = ReminderFormat(reminder_format)
            if open_polls is not None:
                values["open_polls"] = open_polls
            if quiz_daily is not None:
                values["quiz_daily"] = quiz_daily
            changed = record(await self._upsert(session, chat_id, kind, **values))
        if text_id is not None:  # committed: this replica's next update of the chat reads it
            self._texts.put(chat_id, text_id)
        return changed

    async def set_topic(self, chat_id: int, kind: ChatType, thread_id: int | None,
                        name: str | None = None) -> ChatRecord:
        async with self.db.sessions.begin() as session:
            return record(await self._upsert(session, chat_id, kind, thread_id=thread_id,
                                             topic_name=name[:128] if thread_id is not None and name else None))

    async def rename_topic(self, chat_id: int, thread_id: int, name: str) -> None:
        async with self.db.sessions.begin() as session:
            await session.execute(update(ChatRow).where(ChatRow.chat_id == chat_id, ChatRow.thread_id == thread_id)
                                  .values(topic_name=name[:128]))

    async def forget_topic(self, chat_id: int, thread_id: int) -> bool:
        """The push found topic ``thread_id`` closed or deleted: the chat's push goes to General
        from now on. True if the chat still pointed there (so it is told once)."""
        async with self.db.sessions.begin() as session:
            cleared = await session.execute(
                update(ChatRow).where(ChatRow.chat_id == chat_id, ChatRow.thread_id == thread_id)
                .values(thread_id=None, topic_name=None).returning(ChatRow.chat_id))
            return cleared.first() is not None

    async def set_member(self, chat_id: int, kind: ChatType, present: bool) -> ChatRecord:
        async with self.db.sessions.begin() as session:
            return record(await self._upsert(session, chat_id, kind, paused=not present))

    async def pause(self, chat_id: int) -> None:
        """Telegram refused the chat (blocked, kicked, gone): no reminders until it comes back."""
        await self.set_member(chat_id, ChatType.PRIVATE if chat_id > 0 else ChatType.GROUP, False)

    async def migrate(self, old_id: int, new_id: int) -> None:
        await self._migrate(old_id, new_id)
        self._texts.forget(old_id)
        self._texts.forget(new_id)

    async def _migrate(self, old_id: int, new_id: int) -> None:
        async with self.db.sessions.begin() as session:
            old = await session.get(ChatRow, old_id, with_for_update=True)
            if old is None or old.migrated_to == new_id:
                return
            existing = await session.get(ChatRow, new_id, with_for_update=True)
            if existing is None:
                session.add(ChatRow(chat_id=new_id, kind=ChatType.SUPERGROUP, lang=old.lang, subscribed=old.subscribed,
                                    paused=old.paused, push_time=old.push_time, timezone=old.timezone,
                                    next_due_at=old.next_due_at, updated_at=self.clock(),
                                    reminder_format=old.reminder_format, open_polls=old.open_polls,
                                    quiz_daily=old.quiz_daily, text_id=old.text_id))  # no topic: none chosen yet
            old.migrated_to = new_id
            old.subscribed = False
            old.next_due_at = None
            # Today's delivery, if any, now counts for the new chat too.
            sent = await session.scalars(select(DeliveryRow).where(DeliveryRow.chat_id == old_id))
            for row in sent:
                await session.execute(self.db.insert(DeliveryRow).values(
                    chat_id=new_id, local_date=row.local_date, status=row.status, worker=row.worker,
                    claimed_at=row.claimed_at, attempts=row.attempts, finished_at=row.finished_at,
                    error=row.error).on_conflict_do_nothing())


class CardFileRepository:
    """Implements ``handlers.store.CardFiles``: Telegram's file_id per card key, read through
    a per-process cache (a push of one card to 10,000 chats asks the database once), bounded:
    a new daily card every day must not grow it for ever."""

    def __init__(self, db: Database, clock: Clock, cache_size: int = 1024) -> None:
        self.db = db
        self.clock = clock
        self._known: BoundedCache[str, str] = BoundedCache(cache_size)

    async def file_id(self, key: str) -> str | None:
        known = self._known.get(key)
        if known is not None:
            return known
        async with self.db.reads() as session:
            row = await session.get(CardFileRow, key)
        if row is not None:
            self._known.put(key, row.file_id)
        return row.file_id if row else None

    async def remember(self, key: str, file_id: str) -> None:
        self._known.put(key, file_id)
        insert = self.db.insert(CardFileRow).values(key=key, file_id=file_id, created_at=self.clock())
        async with self.db.sessions.begin() as session:
            await session.execute(insert.on_conflict_do_update(index_elements=["key"], set_={"file_id": file_id}))

    async def forget(self, key: str) -> None:
        self._known.pop(key)
        async with self.db.sessions.begin() as session:
            await session.execute(delete(CardFileRow).where(CardFileRow.key == key))
