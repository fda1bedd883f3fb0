"""Daily deliveries: which chats are due, who sends to them, what happened.

The protocol, which is what "never double-sends, never loses a day" rests on:

1. ``claim_due(now)`` leases a batch of due chats (subscribed, unpaused, ``next_due_at`` come,
   no live lease) with one ``UPDATE … WHERE chat_id IN (SELECT … FOR UPDATE SKIP LOCKED)``
   (plain subquery on SQLite, which has one writer at a time): concurrent workers get
   disjoint batches. A chat whose due time is older than the catch-up window is moved to its
   next due time instead (a bot down longer than the window skips that day, by design).
2. For each leased chat it inserts the ``deliveries`` row for (chat, local date) with ``ON
   CONFLICT DO NOTHING … RETURNING``; the unique constraint is the once-a-day guarantee even if
   leases were ever wrong. A row left ``claimed`` by a dead worker is taken over once its lease
   (``LEASE``) expires; a ``failed`` row is retried, and so is a ``released`` one (a stopping
   worker gave it back unsent, see ``release``).
3. ``finish`` records the outcome. Only a final one (sent, paused, gave_up, uncertain) moves
   the chat's ``next_due_at`` to the next day; a failure holds the chat off until
   ``RETRY_DELAY`` so the next pass retries it. So a crash between claim and finish loses
   nothing: the chat stays due and is taken over after the lease. What can repeat is a send
   that reached Telegram just before the crash: at most the in-flight sends (the push
   concurrency).
4. A final outcome is never overwritten by a failure: a worker whose claim expired and was
   taken over writes its failure only while the row is still its claim (``worker``), so a late
   "failed" cannot turn a reminder another worker sent into one the next pass sends again. A
   final outcome is written whatever the row says unless it is final already: it is what
   Telegram did. (The push itself stops sending a claim before its lease can expire.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import cast

from sqlalchemy import ColumnElement, Table, Update, and_, bindparam, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.engine import Database
from bot.storage.tables import ChatRow, DeliveryRow, UTCDateTime
from content.timerules import due_on, local_date, next_due
from handlers.catalog import language
from handlers.store import ChatRecord, ReminderFormat, chat_type

LEASE = timedelta(minutes=5)
RETRY_DELAY = timedelta(seconds=60)
MAX_ATTEMPTS = 5


class DeliveryStatus(StrEnum):
    """A ``deliveries`` row's state (the value is the stored string); see the protocol above."""

    CLAIMED = "claimed"
    """A worker is sending it, until its lease expires."""
    RELEASED = "released"
    """A stopping worker gave it back unsent."""
    SENT = "sent"
    PAUSED = "paused"
    """The chat cannot be reached (blocked the bot, gone): its subscription is paused."""
    FAILED = "failed"
    """Not sent; retried after ``RETRY_DELAY``."""
    GAVE_UP = "gave_up"
    """Failed ``MAX_ATTEMPTS`` times."""
    UNCERTAIN = "uncertain"
    """No answer in time: it may have arrived, so (at most once) it is not sent again."""


FINAL = (DeliveryStatus.SENT, DeliveryStatus.PAUSED, DeliveryStatus.GAVE_UP, DeliveryStatus.UNCERTAIN)
"""Never sent again; a failed or released delivery is retried."""

_deliveries = cast(Table, DeliveryRow.__table__)
_chats = cast(Table, ChatRow.__table__)


def _record(chat: ColumnElement[int], *only: ColumnElement[bool]) -> Update:
    """``UPDATE deliveries SET status, finished_at, error`` for the row of ``chat`` on ``b_date``."""
    return (update(_deliveries).where(_deliveries.c.chat_id == chat, _deliveries.c.local_date == bindparam("b_date"),
                                      *only)
            .values(status=bindparam("b_status"), finished_at=bindparam("b_now", type_=UTCDateTime()),
                    error=bindparam("b_error")))


# (IN would be an "expanding" parameter, which executemany cannot take: one comparison each.)
_RECORD_FINAL = _record(bindparam("b_chat"), and_(*(_deliveries.c.status != s for s in FINAL)))  # what Telegram did
_CLAIMED = _deliveries.c.status == DeliveryStatus.CLAIMED
_RECORD_FAILED = _record(bindparam("b_chat"), _CLAIMED)  # only over a live claim
_RECORD_FAILED_BY = _record(bindparam("b_chat"), _CLAIMED,
                            _deliveries.c.worker == bindparam("b_worker"))  # and only the claimant's
_NEXT = bindparam("b_next", type_=UTCDateTime())
_ADVANCE = (
    update(_chats).where(_chats.c.chat_id == bindparam("b_chat"))
    .values(lease_until=None, lease_owner=None, next_due_at=case(
        (and_(_chats.c.subscribed.is_(True), _chats.c.paused.is_(False),
              or_(_chats.c.next_due_at.is_(None), _chats.c.next_due_at < _NEXT)), _NEXT),
        else_=_chats.c.next_due_at))
)
# A group that migrated while its delivery was claimed has a copy of the claimed row under
# the new id (``ChatRepository.migrate``): the outcome goes to that copy too, and to the row of
# the chat the message actually went to.
# Both are equality lookups on (chat_id, local_date), the unique index: an OR of the two made
# PostgreSQL scan the whole day's deliveries instead, 20k rows per statement at 20k sends.
_MIGRATED_TO = select(_chats.c.migrated_to).where(_chats.c.chat_id == bindparam("b_chat")).scalar_subquery()
_PROPAGATE = _record(_MIGRATED_TO, _CLAIMED)
_RECORD_TARGET = _record(bindparam("b_target"), _CLAIMED)
_RELEASE_ROW = update(_deliveries).where(
    _deliveries.c.chat_id == bindparam("b_chat"), _deliveries.c.local_date == bindparam("b_date"),
    _CLAIMED, _deliveries.c.worker == bindparam("b_worker")).values(status=DeliveryStatus.RELEASED.value)
_RELEASE_CHAT = update(_chats).where(_chats.c.chat_id == bindparam("b_chat"),
                                     _chats.c.lease_owner == bindparam("b_worker")).values(lease_until=None,
                                                                                           lease_owner=None)
_HOLD = update(_chats).where(_chats.c.chat_id == bindparam("b_chat")).values(
    lease_until=bindparam("b_until", type_=UTCDateTime()))


@dataclass(frozen=True)
class Due:
    """A reminder to send for its ``local_date``: to ``chat``, whose settings (language, format,
    quiz, current text) are as they were when it was leased."""

    chat: ChatRecord
    local_date: date

    @property
    def chat_id(self) -> int:
        return self.chat.chat_id


@dataclass(frozen=True)
class Outcome:
    """What happened to one due reminder; ``chat_id`` is where it went (after a migration)."""

    due: Due
    status: DeliveryStatus  # what the push saw: sent, paused, failed or uncertain
    error: str | None = None
    chat_id: int | None = None




class DeliveryQueue:
    """Claims and outcomes of daily reminders (the protocol above)."""

    def __init__(self, db: Database, catch_up: timedelta) -> None:
        self.db = db
        self.catch_up = catch_up
        # One statement, executed with a row of parameters per claim (SQLAlchemy batches them into
        # multi-row INSERTs itself and caches the compiled form): a .values(rows) statement was
        # compiled anew for every batch, 200 rows of bound values each time, ~0.3 ms a reminder.
        self._claim = (db.insert(_deliveries).on_conflict_do_nothing()
                       .returning(_deliveries.c.chat_id, _deliveries.c.local_date))

    async def claim_due(self, now: datetime, worker: str, limit: int) -> list[Due]:
        """Lease up to ``limit`` due chats and claim the delivery of each; returns ours, and []
        only when no chat is due: leased chats that yield nothing to send (stale reminders rolled
        forward, deliveries done or claimed elsewhere) make it lease the next ones."""
        due_now = and_(ChatRow.subscribed.is_(True), ChatRow.paused.is_(False), ChatRow.next_due_at <= now,
                       or_(ChatRow.lease_until.is_(None), ChatRow.lease_until < now))
        candidates = select(ChatRow.chat_id).where(due_now).order_by(ChatRow.next_due_at).limit(limit)
        if self.db.postgresql:
            candidates = candidates.with_for_update(skip_locked=True)
        lease = (
            update(ChatRow).where(ChatRow.chat_id.in_(candidates.scalar_subquery()), due_now)
            .values(lease_until=now + LEASE, lease_owner=worker)
            .returning(ChatRow.chat_id, ChatRow.lang, ChatRow.kind, ChatRow.timezone, ChatRow.push_time,
                       ChatRow.next_due_at, ChatRow.reminder_format, ChatRow.quiz_daily, ChatRow.open_polls,
                       ChatRow.text_id, ChatRow.thread_id)
            .execution_options(synchronize_session=False)
        )
        async with self.db.sessions.begin() as session:
            while leased := (await session.execute(lease)).all():
                dues: list[Due] = []
                for (chat_id, lang, kind, zone, push_time, due_at, form, quiz_daily, open_polls, text_id,
                     thread_id) in leased:
                    assert due_at is not None, "a leased chat is due: next_due_at <= now"
                    if now - due_at > self.catch_up:  # roll on to the next reminder, which may be due now
                        await session.execute(update(ChatRow).where(ChatRow.chat_id == chat_id).values(
                            next_due_at=next_due(push_time, zone, now, self.catch_up), lease_until=None))
                        continue
                    chat = ChatRecord(chat_id=chat_id, kind=chat_type(kind), lang=language(lang), subscribed=True,
                                      paused=False, push_time=push_time, timezone=zone, next_due_at=due_at,
                                      reminder_format=ReminderFormat.stored(form), open_polls=bool(open_polls),
                                      quiz_daily=bool(quiz_daily), text_id=text_id, thread_id=thread_id)
                    dues.append(Due(chat, local_date(due_at, zone)))
                ours = await self._claim_deliveries(session, dues, worker, now)
                if ours:
                    return ours
            return []

    async def _claim_deliveries(self, session: AsyncSession, dues: list[Due], worker: str,
                                now: datetime) -> list[Due]:
        wanted = {(d.chat_id, d.local_date): d for d in dues}
        if not wanted:
            return []
        ours: list[Due] = []
        rows = [{"chat_id": c, "local_date": day, "status": DeliveryStatus.CLAIMED.value, "worker": worker,
                 "claimed_at": now, "attempts": 1} for c, day in sorted(wanted)]  # in chat order, as finish_many locks
        inserted = await session.execute(self._claim, rows)
        for chat_id, day in inserted.all():
            ours.append(wanted.pop((chat_id, day)))
        for (chat_id, day), due in wanted.items():
            taken = await session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.chat_id == chat_id, DeliveryRow.local_date == day,
                       or_(DeliveryRow.status.in_((DeliveryStatus.FAILED, DeliveryStatus.RELEASED)),
                           and_(DeliveryRow.status == DeliveryStatus.CLAIMED, DeliveryRow.claimed_at < now - LEASE)))
                .values(status=DeliveryStatus.CLAIMED.value, worker=worker, claimed_at=now,
                        attempts=DeliveryRow.attempts + 1)
                .returning(DeliveryRow.chat_id)
            )
            if taken.first() is not None:
                ours.append(due)
                continue
            status = await session.scalar(select(DeliveryRow.status).where(
                DeliveryRow.chat_id == chat_id, DeliveryRow.local_date == day))
            if status in FINAL:  # done earlier (e.g. the time was changed after today's send)
                await self._advance(session, chat_id, day)
        return ours

    async def release(self, dues: list[Due], worker: str) -> None:
        """Give back reminders this worker claimed but will not send (it is stopping): the chats
        lose its lease and the rows become ``released``, so any worker's next pass sends them
        instead of waiting for the lease to expire."""
        if not dues:
            return
        rows = [{"b_chat": d.chat_id, "b_date": d.local_date, "b_worker": worker} for d in dues]
        rows.sort(key=lambda r: cast(int, r["b_chat"]))
        async with self.db.sessions.begin() as session:  # chats, then deliveries: see finish_many
            await session.execute(_RELEASE_CHAT, [{k: r[k] for k in ("b_chat", "b_worker")} for r in rows])
            await session.execute(_RELEASE_ROW, rows)

    async def finish(self, due: Due, status: DeliveryStatus, now: datetime, error: str | None = None,
                     chat_id: int | None = None, worker: str | None = None) -> DeliveryStatus:
        """Record one outcome; see ``finish_many``."""
        return (await self.finish_many([Outcome(due, status, error, chat_id)], now, worker))[0]

    async def finish_many(self, outcomes: list[Outcome], now: datetime,
                          worker: str | None = None) -> list[DeliveryStatus]:
        """Record outcomes in one transaction (group commit); a final one schedules the next day,
        a failure holds the chat off for ``RETRY_DELAY``. Returns the statuses as sent to the
        database. A failure is written only over a claim (``worker``'s, when given), a final
        outcome over anything not final (point 4 of the protocol).

        The common case (sent/paused in the same chat) is three executemany statements; failures
        (which may become gave_up) and migrations are rare and handled row by row."""
        statuses = [DeliveryStatus(o.status) for o in outcomes]
        async with self.db.sessions.begin() as session:
            failed = [(i, o) for i, o in enumerate(outcomes) if o.status == DeliveryStatus.FAILED]
            for i, outcome in failed:
                attempts = await session.scalar(select(DeliveryRow.attempts).where(
                    DeliveryRow.chat_id == outcome.due.chat_id, DeliveryRow.local_date == outcome.due.local_date))
                if attempts is not None and attempts >= MAX_ATTEMPTS:
                    statuses[i] = DeliveryStatus.GAVE_UP
            records = [{"b_chat": o.due.chat_id, "b_target": o.chat_id or o.due.chat_id, "b_date": o.due.local_date,
                        "b_status": status.value, "b_now": now, "b_error": (o.error or "")[:200] or None}
                       for o, status in zip(outcomes, statuses, strict=True)]
            # Chats first, then deliveries, each in chat order: the order claim_due locks them in
            # (it leases chats, then inserts deliveries). In the other order, a late outcome for a
            # chat whose lease expired deadlocked with the claim of the worker taking it over.
            advance, retry = [], []
            for outcome, status in sorted(zip(outcomes, statuses, strict=True), key=lambda o: o[0].due.chat_id):
                target = outcome.chat_id or outcome.due.chat_id
                if status not in FINAL:
                    retry.append({"b_chat": target, "b_until": now + RETRY_DELAY})
                elif target == outcome.due.chat_id:
                    due = outcome.due
                    advance.append({"b_chat": target, "b_next": due_on(due.local_date + timedelta(days=1),
                                                                       due.chat.push_time, due.chat.timezone)})
                else:  # migrated: the new chat's own settings decide its next day
                    await self._advance(session, target, outcome.due.local_date)
            if advance:
                await session.execute(_ADVANCE, advance)
            if retry:
                await session.execute(_HOLD, retry)
            records.sort(key=lambda r: cast(int, r["b_chat"]))
            own = [{k: v for k, v in r.items() if k != "b_target"} for r in records]
            final = [r for r in own if r["b_status"] in FINAL]
            failures = [r for r in own if r["b_status"] not in FINAL]
            if final:
                await session.execute(_RECORD_FINAL, final)
            if failures and worker is None:
                await session.execute(_RECORD_FAILED, failures)
            elif failures:
                await session.execute(_RECORD_FAILED_BY, [{**r, "b_worker": worker} for r in failures])
            await session.execute(_PROPAGATE, [{k: v for k, v in r.items() if k != "b_target"} for r in records])
            moved = [{k: v for k, v in r.items() if k != "b_chat"} for r in records if r["b_target"] != r["b_chat"]]
            if moved:  # sent to where the group migrated: that row too
                await session.execute(_RECORD_TARGET, moved)
        return statuses

    async def _advance(self, session: AsyncSession, chat_id: int, day: date) -> None:
        row = await session.get(ChatRow, chat_id, with_for_update=True)
        if row is None:
            return
        row.lease_until = row.lease_owner = None
        if not row.subscribed or row.paused:
            return
        following = due_on(day + timedelta(days=1), row.push_time, row.timezone)
        if row.next_due_at is None or row.next_due_at < following:
            row.next_due_at = following
