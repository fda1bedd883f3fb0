"""The groups' 学习台账 and the members' 心得 (``handlers.store.Ledgers``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import case, delete, func, select, update

from bot.clock import Clock
from bot.storage.engine import Database, affected
from bot.storage.tables import (
    AnswerRow,
    LedgerMemberRow,
    LedgerRow,
    LedgerWeeklyRow,
    PlanDayRow,
    PlanRow,
    QuizRow,
    ReadingRow,
    ReflectionRow,
)
from handlers.store import (
    LedgerActivity,
    LedgerState,
    MemberTally,
    NoteRecord,
    PlanDayRecord,
    QuizSent,
)

NAME_CHARS = 128  # a member's name as kept (Telegram's first and last name: 64 each)
TITLE_CHARS = 128  # a group's title as kept (Telegram allows 128)


NOTE_COLUMNS = (ReflectionRow.id, ReflectionRow.user_id, ReflectionRow.chat_id, ReflectionRow.text_id,
                ReflectionRow.node_id, ReflectionRow.body, ReflectionRow.written_at, ReflectionRow.edited_at)
"""A 心得's columns in ``NoteRecord``'s order: read as rows, not ORM objects (a year holds thousands)."""


def _note(row: ReflectionRow) -> NoteRecord:
    return NoteRecord(row.id, row.user_id, row.chat_id, row.text_id, row.node_id, row.body, row.written_at,
                      row.edited_at)


def _day(row: PlanDayRow) -> PlanDayRecord:
    return PlanDayRecord(row.chat_id, row.local_date, row.text_id, row.start_date, row.days, row.day, row.members)


class LedgerRepository:
    """Implements ``handlers.store.Ledgers``."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def state(self, chat_id: int) -> LedgerState | None:
        async with self.db.reads() as session:
            row = await session.get(LedgerRow, chat_id)
            if row is None:
                return None
            weekly = await session.scalars(select(LedgerWeeklyRow.user_id).where(LedgerWeeklyRow.chat_id == chat_id))
            return LedgerState(chat_id, row.enabled, row.since, row.title, frozenset(weekly))

    async def switch(self, chat_id: int, on: bool, title: str) -> LedgerState:
        now = self.clock()
        async with self.db.sessions.begin() as session:
            row = await session.get(LedgerRow, chat_id, with_for_update=True)
            if row is None:
                row = LedgerRow(chat_id=chat_id, enabled=on, since=now, title=title[:TITLE_CHARS], updated_at=now)
                session.add(row)
            elif row.enabled != on:
                row.enabled, row.since = on, now
            row.title, row.updated_at = title[:TITLE_CHARS] or row.title, now
            weekly = await session.scalars(select(LedgerWeeklyRow.user_id).where(LedgerWeeklyRow.chat_id == chat_id))
            return LedgerState(chat_id, row.enabled, row.since, row.title, frozenset(weekly))

    async def set_weekly(self, chat_id: int, user_id: int, on: bool) -> None:
        async with self.db.sessions.begin() as session:
            if on:
                await session.execute(self.db.insert(LedgerWeeklyRow).values(
                    chat_id=chat_id, user_id=user_id, since=self.clock()).on_conflict_do_nothing())
            else:
                await session.execute(delete(LedgerWeeklyRow).where(LedgerWeeklyRow.chat_id == chat_id,
                                                                    LedgerWeeklyRow.user_id == user_id))

    async def weekly(self) -> list[tuple[int, int]]:
        query = (select(LedgerWeeklyRow.chat_id, LedgerWeeklyRow.user_id)
                 .join(LedgerRow, LedgerRow.chat_id == LedgerWeeklyRow.chat_id)
                 .where(LedgerRow.enabled.is_(True)).order_by(LedgerWeeklyRow.chat_id, LedgerWeeklyRow.user_id))
        async with self.db.reads() as session:
            return [(int(chat), int(user)) for chat, user in (await session.execute(query)).all()]

    async def claim_weekly(self, chat_id: int, user_id: int, monday: date) -> bool:
        statement = (update(LedgerWeeklyRow)
                     .where(LedgerWeeklyRow.chat_id == chat_id, LedgerWeeklyRow.user_id == user_id,
                            (LedgerWeeklyRow.last_sent.is_(None)) | (LedgerWeeklyRow.last_sent < monday))
                     .values(last_sent=monday))
        async with self.db.sessions.begin() as session:
            return bool(affected(await session.execute(statement)))

    async def join(self, chat_id: int, user_id: int, name: str) -> bool:
        insert = self.db.insert(LedgerMemberRow).values(chat_id=chat_id, user_id=user_id, name=name[:NAME_CHARS],
                                                        joined_at=self.clock())
        async with self.db.sessions.begin() as session:
            return bool(affected(await session.execute(insert.on_conflict_do_nothing())))

    async def leave(self, chat_id: int, user_id: int) -> bool:
        async with self.db.sessions.begin() as session:
            return bool(affected(await session.execute(delete(LedgerMemberRow).where(
                LedgerMemberRow.chat_id == chat_id, LedgerMemberRow.user_id == user_id))))

    async def add_note(self, user_id: int, chat_id: int, text_id: int, node_id: str, body: str) -> NoteRecord:
        async with self.db.sessions.begin() as session:
            row = ReflectionRow(user_id=user_id, chat_id=chat_id, text_id=text_id, node_id=node_id[:40], body=body,
                                written_at=self.clock())
            session.add(row)
            await session.flush()
            return _note(row)

    async def notes(self, user_id: int) -> list[NoteRecord]:
        async with self.db.reads() as session:
            rows = await session.scalars(select(ReflectionRow).where(ReflectionRow.user_id == user_id)
                                         .order_by(ReflectionRow.written_at.desc(), ReflectionRow.id.desc()))
            return [_note(row) for row in rows]

    async def note(self, user_id: int, note_id: int) -> NoteRecord | None:
        async with self.db.reads() as session:
            row = await session.get(ReflectionRow, note_id)
            return _note(row) if row is not None and row.user_id == user_id else None

    async def edit_note(self, user_id: int, note_id: int, body: str) -> NoteRecord | None:
        async with self.db.sessions.begin() as session:
            row = await session.get(ReflectionRow, note_id, with_for_update=True)
            if row is None or row.user_id != user_id:
                return None
            row.body, row.edited_at = body, self.clock()
            return _note(row)

    async def delete_note(self, user_id: int, note_id: int) -> bool:
        async with self.db.sessions.begin() as session:
            return bool(affected(await session.execute(delete(ReflectionRow).where(
                ReflectionRow.id == note_id, ReflectionRow.user_id == user_id))))

    async def record_day(self, day: PlanDayRecord) -> bool:
        insert = self.db.insert(PlanDayRow).values(
            chat_id=day.chat_id, local_date=day.local_date, text_id=day.text_id, start_date=day.start_date,
            days=day.days, day=day.day, members=day.members, posted_at=self.clock())
        async with self.db.sessions.begin() as session:
            return bool(affected(await session.execute(insert.on_conflict_do_nothing())))

    async def set_members(self, chat_id: int, local_date: date, members: int) -> None:
        async with self.db.sessions.begin() as session:
            await session.execute(update(PlanDayRow).where(PlanDayRow.chat_id == chat_id,
                                                           PlanDayRow.local_date == local_date)
                                  .values(members=members))

    async def plan_days(self, chat_id: int, start: date, end: date) -> list[PlanDayRecord]:
        async with self.db.reads() as session:
            rows = await session.scalars(select(PlanDayRow).where(
                PlanDayRow.chat_id == chat_id, PlanDayRow.local_date >= start, PlanDayRow.local_date <= end)
                .order_by(PlanDayRow.local_date))
            return [_day(row) for row in rows]

    async def activity(self, chat_id: int, start: datetime, end: datetime, first: date,
                       last: date) -> LedgerActivity:
        async with self.db.reads() as session:
            joined = (await session.execute(select(LedgerMemberRow.user_id, LedgerMemberRow.name)
                                            .where(LedgerMemberRow.chat_id == chat_id)
                                            .order_by(LedgerMemberRow.joined_at, LedgerMemberRow.user_id))).all()
            right = func.sum(case((AnswerRow.correct.is_(True), 1), else_=0))
            read = (await session.execute(select(ReadingRow.user_id, func.count(ReadingRow.day.distinct())).where(
                ReadingRow.chat_id == chat_id, ReadingRow.read_on >= first, ReadingRow.read_on <= last)
                .group_by(ReadingRow.user_id))).all()
            in_period = (AnswerRow.chat_id == chat_id, AnswerRow.answered_at >= start, AnswerRow.answered_at < end)
            by_member = (await session.execute(select(AnswerRow.user_id, func.count(), right).where(*in_period)
                                               .group_by(AnswerRow.user_id))).all()
            by_poll = {str(poll): (int(count), int(correct or 0)) for poll, count, correct in (await session.execute(
                select(AnswerRow.poll_id, func.count(), right).where(*in_period).group_by(AnswerRow.poll_id))).all()}
            quizzes = (await session.execute(select(
                QuizRow.poll_id, QuizRow.question, QuizRow.sent_at, QuizRow.anonymous).where(
                QuizRow.chat_id == chat_id, QuizRow.sent_at >= start, QuizRow.sent_at < end)
                .order_by(QuizRow.sent_at))).all()
            notes = (await session.execute(select(*NOTE_COLUMNS).where(
                ReflectionRow.chat_id == chat_id, ReflectionRow.written_at >= start, ReflectionRow.written_at < end)
                .order_by(ReflectionRow.written_at, ReflectionRow.id))).all()
        tallies: dict[int, MemberTally] = {int(user): MemberTally(int(user), int(days)) for user, days in read}
        for user, count, correct in by_member:
            days = tallies[int(user)].days_read if int(user) in tallies else 0
            tallies[int(user)] = MemberTally(int(user), days, int(count), int(correct or 0))
        return LedgerActivity(
            joined=tuple((int(user), str(name)) for user, name in joined),
            tallies=tuple(tallies.values()),
            quizzes=tuple(QuizSent(str(poll), str(question), sent_at, *by_poll.get(str(poll), (0, 0)), bool(anonymous))
                          for poll, question, sent_at, anonymous in quizzes),
            notes=tuple(NoteRecord(*row) for row in notes))

    async def migrate(self, old_id: int, new_id: int) -> None:
        """Rows of ``old_id`` move to ``new_id`` where the new chat has none of its own (the
        migration message comes twice: from the old chat and the new one)."""
        async with self.db.sessions.begin() as session:
            if await session.get(LedgerRow, new_id) is None:
                await session.execute(update(LedgerRow).where(LedgerRow.chat_id == old_id).values(chat_id=new_id))
            if await session.get(PlanRow, new_id) is None:
                await session.execute(update(PlanRow).where(PlanRow.chat_id == old_id).values(chat_id=new_id))
            for table in (ReflectionRow, QuizRow, AnswerRow):
                await session.execute(update(table).where(table.chat_id == old_id).values(chat_id=new_id))
            for keyed, key in ((LedgerMemberRow, LedgerMemberRow.user_id), (LedgerWeeklyRow, LedgerWeeklyRow.user_id),
                               (PlanDayRow, PlanDayRow.local_date)):
                taken = select(key).where(keyed.chat_id == new_id).scalar_subquery()
                await session.execute(update(keyed).where(keyed.chat_id == old_id, key.not_in(taken))
                                      .values(chat_id=new_id))
                await session.execute(delete(keyed).where(keyed.chat_id == old_id))
            # ✅ already under the new id (marked there after the migration) win over the old ones.
            clashes = select(ReadingRow.user_id, ReadingRow.day).where(ReadingRow.chat_id == new_id)
            for user, day in (await session.execute(clashes)).all():
                await session.execute(delete(ReadingRow).where(ReadingRow.chat_id == old_id,
                                                               ReadingRow.user_id == user, ReadingRow.day == day))
            await session.execute(update(ReadingRow).where(ReadingRow.chat_id == old_id).values(chat_id=new_id))

    async def forget(self, user_id: int) -> int:
        gone = 0
        async with self.db.sessions.begin() as session:
            for table in (LedgerMemberRow, ReflectionRow, LedgerWeeklyRow):
                gone += affected(await session.execute(delete(table).where(table.user_id == user_id)))
        return gone
