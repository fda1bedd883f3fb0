"""Database helpers for tests and benchmarks: bulk-seed subscribed chats, read deliveries, reset."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import delete, select
from telegram.constants import ChatType

from bot.storage import Store
from bot.storage.tables import (
    AnswerRow,
    BookmarkRow,
    CardFileRow,
    ChatRow,
    DeliveryRow,
    LedgerMemberRow,
    LedgerRow,
    LedgerWeeklyRow,
    MemberRow,
    PlanDayRow,
    PlanRow,
    PositionRow,
    QuizRow,
    ReadingRow,
    ReflectionRow,
    SearchMissRow,
    TextRow,
)
from handlers.catalog import Lang


async def seed_chats(store: Store, chat_ids: Iterable[int], due_at: datetime, lang: Lang = "zh") -> None:
    """Insert subscribed chats due at ``due_at`` with the store's default time and zone, in one
    transaction (``subscribe`` one by one is slow)."""
    now = datetime.now(UTC)
    push_time, zone = store.chats.push_time, store.chats.timezone
    async with store.db.sessions.begin() as session:
        session.add_all(ChatRow(chat_id=chat_id, kind=ChatType.PRIVATE if chat_id > 0 else ChatType.GROUP, lang=lang,
                                subscribed=True, paused=False, push_time=push_time, timezone=zone,
                                next_due_at=due_at, updated_at=now) for chat_id in chat_ids)


async def deliveries(store: Store, chat_id: int | None = None) -> list[DeliveryRow]:
    """Delivery rows in the order they were claimed, all or of one chat."""
    async with store.db.sessions() as session:
        query = select(DeliveryRow).order_by(DeliveryRow.id)
        if chat_id is not None:
            query = query.where(DeliveryRow.chat_id == chat_id)
        return list((await session.scalars(query)).all())


async def reset(store: Store) -> None:
    """Delete every row of every table."""
    async with store.db.sessions.begin() as session:
        for table in (AnswerRow, QuizRow, ReadingRow, PlanRow, BookmarkRow, MemberRow, CardFileRow, PositionRow):
            await session.execute(delete(table))
        for ledger_table in (LedgerRow, LedgerWeeklyRow, LedgerMemberRow, ReflectionRow, PlanDayRow):
            await session.execute(delete(ledger_table))
        await session.execute(delete(SearchMissRow))
        await session.execute(delete(DeliveryRow))
        await session.execute(delete(ChatRow))
        await session.execute(delete(TextRow))
    store.study.caches.clear()
