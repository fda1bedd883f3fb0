"""Group study: reading plans, readings, quiz polls and answers, bookmarks (``handlers.store.Study``)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, delete, func, select

from bot.clock import Clock
from bot.storage.cache import Caches
from bot.storage.engine import Database, affected
from bot.storage.tables import (
    AnswerRow,
    BookmarkRow,
    ChatRow,
    DeliveryRow,
    MemberRow,
    PlanRow,
    PositionRow,
    QuizRow,
    ReadingRow,
)
from content.model import ORIGINAL
from content.timerules import iso_week
from handlers.store import PlanRecord, Standing


def _plan(row: PlanRow) -> PlanRecord:
    return PlanRecord(row.chat_id, row.days, row.start_date, row.text_id or ORIGINAL)


def _covers(stored: str, passage: str) -> bool:
    """Does a stored reading (node ids, comma-separated) hold every node of ``passage``?"""
    return set(passage.split(",")) - {""} <= set(stored.split(","))


def _joined(ids: list[str], limit: int = 200) -> str:
    """``ids`` once each, comma-separated, as many whole ones as fit the column's ``limit``."""
    joined = ""
    for node in dict.fromkeys(node for node in ids if node):
        candidate = f"{joined},{node}" if joined else node
        if len(candidate) > limit:
            break
        joined = candidate
    return joined


class StudyRepository:
    """Implements ``handlers.store.Study``; ``timezone`` is the default for chats without one.
    A member's bookmarks, read for every screen with a ☆, come through ``caches.bookmarks``
    (``bot.storage.cache``): exact after a ☆ pressed on this replica, within seconds after one
    pressed on another (the reader on a push-only replica, a webhook's other replicas)."""

    def __init__(self, db: Database, timezone: str, clock: Clock, caches: Caches | None = None) -> None:
        self.db = db
        self.clock = clock
        self.timezone = timezone
        self.caches = caches or Caches(clock)

    async def plan(self, chat_id: int) -> PlanRecord | None:
        async with self.db.reads() as session:
            row = await session.get(PlanRow, chat_id)
            return _plan(row) if row else None

    async def plans(self, chat_ids: list[int]) -> dict[int, PlanRecord]:
        if not chat_ids:
            return {}
        async with self.db.reads() as session:
            rows = await session.scalars(select(PlanRow).where(PlanRow.chat_id.in_(chat_ids)))
            return {row.chat_id: _plan(row) for row in rows}

    async def start_plan(self, chat_id: int, days: int, start_date: date, text_id: int = ORIGINAL) -> PlanRecord:
        async with self.db.sessions.begin() as session:
            row, now = await session.get(PlanRow, chat_id, with_for_update=True), self.clock()
            if row is None:
                row = PlanRow(chat_id=chat_id, days=days, start_date=start_date, updated_at=now, text_id=text_id)
                session.add(row)
            row.days, row.start_date, row.updated_at, row.text_id = days, start_date, now, text_id
            return PlanRecord(chat_id, days, start_date, text_id)

    async def stop_plan(self, chat_id: int) -> bool:
        async with self.db.sessions.begin() as session:
            return bool(affected(await session.execute(delete(PlanRow).where(PlanRow.chat_id == chat_id))))

    async def mark_read(self, user_id: int, chat_id: int, day: int, passage: str, read_on: date) -> bool:
        insert = self.db.insert(ReadingRow).values(user_id=user_id, chat_id=chat_id, day=day, passage=passage[:200],
                                                   read_on=read_on)
        async with self.db.sessions.begin() as session:
            if affected(await session.execute(insert.on_conflict_do_nothing())):
                return True
            row = await session.get(ReadingRow, (user_id, chat_id, day), with_for_update=True)
            if row is None or _covers(row.passage, passage):
                return False
            # the same day of a plan restarted the same day at another pace: its passage too
            row.passage = _joined([*row.passage.split(","), *passage.split(",")])
            return True

    async def reading_dates(self, user_id: int) -> list[date]:
        async with self.db.reads() as session:
            rows = await session.scalars(select(ReadingRow.read_on).where(ReadingRow.user_id == user_id)
                                         .distinct().order_by(ReadingRow.read_on))
            return list(rows)

    async def passages_read(self, user_id: int) -> set[str]:
        async with self.db.reads() as session:
            rows = await session.scalars(select(ReadingRow.passage).where(ReadingRow.user_id == user_id))
            return {node for passage in rows for node in passage.split(",") if node}

    async def readers(self, chat_id: int, day: int, passage: str = "") -> int:
        return (await self.readers_by_day(chat_id, {day: passage}))[day]

    async def readers_by_day(self, chat_id: int, passages: dict[int, str]) -> dict[int, int]:
        counts = dict.fromkeys(passages, 0)
        if not passages:
            return counts
        # One range scan of the chat's index, counted in the database per (day, passage): members
        # who read the same passage on a day are one row, so a year is hundreds of rows, not a
        # row per ✅; whether a stored passage covers the day's is decided here (``_covers``).
        query = select(ReadingRow.day, ReadingRow.passage, func.count()).where(
            ReadingRow.chat_id == chat_id, ReadingRow.day >= min(passages), ReadingRow.day <= max(passages),
        ).group_by(ReadingRow.day, ReadingRow.passage)
        async with self.db.reads() as session:
            for day, stored, readers in (await session.execute(query)).all():
                if day in counts and _covers(stored, passages[day]):
                    counts[day] += readers
        return counts

    async def remember_poll(self, poll_id: str, chat_id: int, question: str, correct: int, anonymous: bool) -> None:
        async with self.db.sessions.begin() as session:
            session.add(QuizRow(poll_id=poll_id, chat_id=chat_id, question=question[:100], correct=correct,
                                anonymous=anonymous, sent_at=self.clock()))

    async def asked_since(self, chat_id: int, since: datetime) -> set[str]:
        async with self.db.reads() as session:
            return set(await session.scalars(select(QuizRow.question).where(QuizRow.chat_id == chat_id,
                                                                            QuizRow.sent_at >= since)))

    async def record_answer(self, poll_id: str, user_id: int, name: str, options: tuple[int, ...],
                            now: datetime) -> bool | None:
        async with self.db.sessions.begin() as session:
            quiz = await session.get(QuizRow, poll_id)
            if quiz is None:
                return None
            if not options:  # the answer was retracted (not possible in quizzes, but the API allows it)
                await session.execute(delete(AnswerRow).where(AnswerRow.poll_id == poll_id,
                                                              AnswerRow.user_id == user_id))
                return False
            chat = await session.get(ChatRow, quiz.chat_id)
            right = options == (quiz.correct,)
            insert = self.db.insert(AnswerRow).values(
                poll_id=poll_id, user_id=user_id, chat_id=quiz.chat_id, name=name[:64], correct=right,
                week=iso_week(now, ZoneInfo(chat.timezone if chat else self.timezone)), answered_at=now)
            await session.execute(insert.on_conflict_do_nothing())
            return right

    async def rank(self, chat_id: int, week: str, limit: int = 10) -> list[Standing]:
        right = func.sum(case((AnswerRow.correct.is_(True), 1), else_=0))
        query = (select(AnswerRow.user_id, func.max(AnswerRow.name), right, func.count())
                 .where(AnswerRow.chat_id == chat_id, AnswerRow.week == week)
                 .group_by(AnswerRow.user_id).order_by(right.desc(), func.count().desc(), AnswerRow.user_id)
                 .limit(limit))
        async with self.db.reads() as session:
            return [Standing(name, int(correct or 0), int(count)) for _, name, correct, count in
                    (await session.execute(query)).all()]

    async def quiz_score(self, user_id: int) -> tuple[int, int]:
        right = func.sum(case((AnswerRow.correct.is_(True), 1), else_=0))
        async with self.db.reads() as session:
            correct, count = (await session.execute(select(right, func.count()).where(
                AnswerRow.user_id == user_id))).one()
            return int(correct or 0), int(count)

    async def bookmarks(self, user_id: int) -> list[str]:
        return list(await self.caches.bookmarks.fetch(user_id, self._read_bookmarks))

    async def _read_bookmarks(self, user_ids: list[int]) -> dict[int, tuple[str, ...]]:
        """The bookmarks of ``user_ids``, each member's oldest first, in one statement."""
        found: dict[int, list[str]] = {user_id: [] for user_id in user_ids}
        async with self.db.reads() as session:
            rows = await session.execute(select(BookmarkRow.user_id, BookmarkRow.ref)
                                         .where(BookmarkRow.user_id.in_(user_ids))
                                         .order_by(BookmarkRow.created_at, BookmarkRow.ref))
            for user_id, ref in rows:
                found[user_id].append(ref)
        return {user_id: tuple(refs) for user_id, refs in found.items()}

    async def toggle_bookmark(self, user_id: int, ref: str) -> bool:
        try:
            async with self.db.sessions.begin() as session:
                existing = await session.get(BookmarkRow, (user_id, ref))
                if existing is not None:
                    await session.delete(existing)
                    return False
                session.add(BookmarkRow(user_id=user_id, ref=ref[:40], created_at=self.clock()))
                return True
        finally:  # committed (or not): the next screen reads the member's bookmarks again
            self.caches.bookmarks.forget(user_id)

    async def saved_as_daily(self, user_id: int) -> bool:
        async with self.db.reads() as session:
            row = await session.get(MemberRow, user_id)
            return bool(row and row.saved_as_daily)

    async def set_saved_as_daily(self, user_id: int, on: bool) -> None:
        insert = self.db.insert(MemberRow).values(user_id=user_id, saved_as_daily=on)
        async with self.db.sessions.begin() as session:
            await session.execute(insert.on_conflict_do_update(index_elements=["user_id"],
                                                               set_={"saved_as_daily": on}))

    async def forget(self, user_id: int) -> int:
        """The member's rows everywhere (the reader's places too), and their private chat's (its id
        is the user's): its settings and subscription, plan, quiz polls and delivery log. Groups'
        own rows stay."""
        gone = 0
        async with self.db.sessions.begin() as session:
            for table in (AnswerRow, ReadingRow, BookmarkRow, MemberRow, PositionRow):
                gone += affected(await session.execute(delete(table).where(table.user_id == user_id)))
            for chat_table in (ChatRow, PlanRow, QuizRow, DeliveryRow):
                statement = delete(chat_table).where(chat_table.chat_id == user_id)
                gone += affected(await session.execute(statement))
        self.caches.bookmarks.forget(user_id)
        self.caches.chat_texts.forget(user_id)  # their private chat's text: the original again
        return gone
