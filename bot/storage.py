"""Storage: SQLAlchemy 2 (async) over SQLite (default) or PostgreSQL, migrated by Alembic.

The delivery protocol, which is what "never double-sends, never loses a day" rests on:

1. ``claim_due(now)`` leases a batch of due chats (subscribed, unpaused, ``next_due_at`` come,
   no live lease) with one ``UPDATE … WHERE chat_id IN (SELECT … FOR UPDATE SKIP LOCKED)``
   (plain subquery on SQLite, which has one writer at a time): concurrent workers get
   disjoint batches. A chat whose due time is older than the catch-up window is moved to its
   next due time instead (a bot down longer than the window skips that day, by design).
2. For each leased chat it inserts the ``deliveries`` row for (chat, local date) with ``ON
   CONFLICT DO NOTHING … RETURNING``; the unique constraint is the once-a-day guarantee even if
   leases were ever wrong. A row left ``claimed`` by a dead worker is taken over once its lease
   (``LEASE``) expires; a ``failed`` row is retried.
3. ``finish`` records the outcome. Only a final one (sent, paused, gave_up) moves the chat's
   ``next_due_at`` to the next day; a failure holds the chat off until ``RETRY_DELAY`` so the
   next pass retries it. So a crash between claim and finish loses nothing: the chat stays
   due and is taken over after the lease. What can repeat is a send that reached Telegram just
   before the crash: at most the in-flight sends (the push concurrency).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, case, event, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.models import ChatRow, DeliveryRow, UTCDateTime

LEASE = timedelta(minutes=5)
RETRY_DELAY = timedelta(seconds=60)
MAX_ATTEMPTS = 5
FINAL = ("sent", "paused", "gave_up")
MIGRATIONS = Path(__file__).with_name("migrations")


_deliveries = DeliveryRow.__table__
_chats = ChatRow.__table__
_RECORD = (
    update(_deliveries)
    .where(_deliveries.c.chat_id == bindparam("b_chat"), _deliveries.c.local_date == bindparam("b_date"))
    .values(status=bindparam("b_status"), finished_at=bindparam("b_now", type_=UTCDateTime()),
            error=bindparam("b_error"))
)
_NEXT = bindparam("b_next", type_=UTCDateTime())
_ADVANCE = (
    update(_chats).where(_chats.c.chat_id == bindparam("b_chat"))
    .values(lease_until=None, lease_owner=None, next_due_at=case(
        (and_(_chats.c.subscribed.is_(True), _chats.c.paused.is_(False),
              or_(_chats.c.next_due_at.is_(None), _chats.c.next_due_at < _NEXT)), _NEXT),
        else_=_chats.c.next_due_at))
)
_HOLD = update(_chats).where(_chats.c.chat_id == bindparam("b_chat")).values(
    lease_until=bindparam("b_until", type_=UTCDateTime()))


def parse_time(value: str) -> time | None:
    """``HH:MM`` (also H:MM, HH.MM, full-width digits) → time, or None."""
    cleaned = unicodedata.normalize("NFKC", value).strip().replace("：", ":").replace(".", ":")
    hours, _, minutes = cleaned.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(hours) <= 2 and len(minutes) == 2):
        return None
    h, m = int(hours), int(minutes)
    return time(h, m) if h < 24 and m < 60 else None


def due_on(day: date, push_time: str, zone: str) -> datetime:
    """The UTC instant of ``push_time`` on local ``day`` in ``zone``.

    DST: a time that does not exist that day (spring forward) falls after the gap (02:30 →
    03:30); an ambiguous one (fall back) is its first occurrence.
    """
    at = parse_time(push_time) or time(8, 0)
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def next_due(push_time: str, zone: str, now: datetime, catch_up: timedelta) -> datetime:
    """The reminder to send next: the latest one still inside the catch-up window, else the next."""
    today = now.astimezone(ZoneInfo(zone)).date()
    for day in (today - timedelta(days=1), today, today + timedelta(days=1), today + timedelta(days=2)):
        instant = due_on(day, push_time, zone)
        if instant + catch_up >= now:
            return instant
    raise AssertionError("unreachable: some day within two days is due")


def local_date(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()


@dataclass(frozen=True)
class Due:
    """A reminder to send: to ``chat_id`` for its ``local_date``."""

    chat_id: int
    local_date: date
    lang: str
    kind: str
    zone: str
    push_time: str = "08:00"


@dataclass(frozen=True)
class Outcome:
    """What happened to one due reminder; ``chat_id`` is where it went (after a migration)."""

    due: Due
    status: str  # sent, paused, failed
    error: str | None = None
    chat_id: int | None = None


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply Alembic migrations (one replica at a time on PostgreSQL)."""

    def run(connection: Connection) -> None:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(727365)"))
        await connection.run_sync(run)


def make_engine(url: str) -> AsyncEngine:
    """An engine for ``url``; SQLite gets its folder created, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: no fsync per commit; a crashed process loses nothing, a power cut can
            # lose the last commits but never corrupts the file.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_async_engine(url, pool_size=10, max_overflow=10)


class Store:
    """Chats, subscriptions and deliveries."""

    def __init__(self, engine: AsyncEngine, catch_up: timedelta = timedelta(hours=6)) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.catch_up = catch_up
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    @classmethod
    async def open(cls, url: str, catch_up: timedelta = timedelta(hours=6)) -> Store:
        """Connect and migrate."""
        engine = make_engine(url)
        await upgrade(engine)
        return cls(engine, catch_up)

    async def close(self) -> None:
        await self.engine.dispose()

    # --- chats -------------------------------------------------------------------------------

    async def chat(self, chat_id: int) -> ChatRow | None:
        async with self.sessions() as session:
            return await session.get(ChatRow, chat_id)

    async def zone_of(self, chat_id: int, default: ZoneInfo) -> ZoneInfo:
        row = await self.chat(chat_id)
        return ZoneInfo(row.timezone) if row else default

    async def _upsert(self, session: AsyncSession, chat_id: int, kind: str, **values: object) -> ChatRow:
        row = await session.get(ChatRow, chat_id, with_for_update=True)
        if row is None:
            row = ChatRow(chat_id=chat_id, kind=kind, lang="zh", subscribed=False, paused=False, push_time="08:00",
                          timezone="Asia/Shanghai", updated_at=datetime.now(UTC))
            session.add(row)
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = datetime.now(UTC)
        # Only an active subscription is due; a paused or unsubscribed chat has no due time.
        active = row.subscribed and not row.paused
        row.next_due_at = next_due(row.push_time, row.timezone, datetime.now(UTC), self.catch_up) if active else None
        return row

    async def subscribe(self, chat_id: int, kind: str, lang: str, push_time: str | None = None,
                        zone: str | None = None) -> ChatRow:
        """Subscribe (or update); resumes a paused chat."""
        async with self.sessions.begin() as session:
            values: dict[str, object] = {"subscribed": True, "paused": False, "lang": lang}
            if push_time:
                values["push_time"] = push_time
            if zone:
                values["timezone"] = zone
            return await self._upsert(session, chat_id, kind, **values)

    async def unsubscribe(self, chat_id: int) -> bool:
        """Stop the daily reminder; True if the chat was subscribed."""
        async with self.sessions.begin() as session:
            row = await session.get(ChatRow, chat_id, with_for_update=True)
            if row is None or not row.subscribed:
                return False
            row.subscribed = False
            row.next_due_at = None
            row.updated_at = datetime.now(UTC)
            return True

    async def configure(self, chat_id: int, kind: str, push_time: str | None = None,
                        zone: str | None = None) -> ChatRow:
        """Change time or zone (works before subscribing too)."""
        async with self.sessions.begin() as session:
            values: dict[str, object] = {}
            if push_time:
                values["push_time"] = push_time
            if zone:
                values["timezone"] = zone
            return await self._upsert(session, chat_id, kind, **values)

    async def set_member(self, chat_id: int, kind: str, present: bool) -> ChatRow:
        """The bot was added (resume) or removed/blocked (pause) in ``chat_id``; returns the chat."""
        async with self.sessions.begin() as session:
            return await self._upsert(session, chat_id, kind, paused=not present)

    async def pause(self, chat_id: int) -> None:
        await self.set_member(chat_id, "private" if chat_id > 0 else "group", False)

    async def migrate(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: move its settings to the new id (idempotent)."""
        async with self.sessions.begin() as session:
            old = await session.get(ChatRow, old_id, with_for_update=True)
            if old is None or old.migrated_to == new_id:
                return
            existing = await session.get(ChatRow, new_id, with_for_update=True)
            if existing is None:
                session.add(ChatRow(chat_id=new_id, kind="supergroup", lang=old.lang, subscribed=old.subscribed,
                                    paused=old.paused, push_time=old.push_time, timezone=old.timezone,
                                    next_due_at=old.next_due_at, updated_at=datetime.now(UTC)))
            old.migrated_to = new_id
            old.subscribed = False
            old.next_due_at = None
            # Today's delivery, if any, now counts for the new chat too.
            sent = await session.scalars(select(DeliveryRow).where(DeliveryRow.chat_id == old_id))
            for row in sent:
                await session.execute(self._insert(DeliveryRow).values(
                    chat_id=new_id, local_date=row.local_date, status=row.status, worker=row.worker,
                    claimed_at=row.claimed_at, attempts=row.attempts, finished_at=row.finished_at,
                    error=row.error).on_conflict_do_nothing())

    # --- deliveries ----------------------------------------------------------------------------

    async def claim_due(self, now: datetime, worker: str, limit: int) -> list[Due]:
        """Lease up to ``limit`` due chats and claim today's delivery for each; returns ours."""
        due_now = and_(ChatRow.subscribed.is_(True), ChatRow.paused.is_(False), ChatRow.next_due_at <= now,
                       or_(ChatRow.lease_until.is_(None), ChatRow.lease_until < now))
        candidates = select(ChatRow.chat_id).where(due_now).order_by(ChatRow.next_due_at).limit(limit)
        if self.engine.dialect.name == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        async with self.sessions.begin() as session:
            leased = (await session.execute(
                update(ChatRow).where(ChatRow.chat_id.in_(candidates.scalar_subquery()), due_now)
                .values(lease_until=now + LEASE, lease_owner=worker)
                .returning(ChatRow.chat_id, ChatRow.lang, ChatRow.kind, ChatRow.timezone, ChatRow.push_time,
                           ChatRow.next_due_at)
                .execution_options(synchronize_session=False)
            )).all()
            dues: list[Due] = []
            for chat_id, lang, kind, zone, push_time, due_at in leased:
                if now - due_at > self.catch_up:
                    await session.execute(update(ChatRow).where(ChatRow.chat_id == chat_id).values(
                        next_due_at=next_due(push_time, zone, now, self.catch_up), lease_until=None))
                    continue
                dues.append(Due(chat_id, local_date(due_at, zone), lang, kind, zone, push_time))
            return await self._claim_deliveries(session, dues, worker, now)

    async def _claim_deliveries(self, session: AsyncSession, dues: list[Due], worker: str,
                                now: datetime) -> list[Due]:
        wanted = {(d.chat_id, d.local_date): d for d in dues}
        if not wanted:
            return []
        ours: list[Due] = []
        rows = [{"chat_id": c, "local_date": day, "status": "claimed", "worker": worker, "claimed_at": now,
                 "attempts": 1} for c, day in wanted]
        inserted = await session.execute(
            self._insert(DeliveryRow).values(rows).on_conflict_do_nothing()
            .returning(DeliveryRow.chat_id, DeliveryRow.local_date)
        )
        for chat_id, day in inserted.all():
            ours.append(wanted.pop((chat_id, day)))
        for (chat_id, day), due in wanted.items():
            taken = await session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.chat_id == chat_id, DeliveryRow.local_date == day,
                       or_(DeliveryRow.status == "failed",
                           and_(DeliveryRow.status == "claimed", DeliveryRow.claimed_at < now - LEASE)))
                .values(status="claimed", worker=worker, claimed_at=now, attempts=DeliveryRow.attempts + 1)
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

    async def finish(self, due: Due, status: str, now: datetime, error: str | None = None,
                     chat_id: int | None = None) -> str:
        """Record one outcome; see ``finish_many``."""
        return (await self.finish_many([Outcome(due, status, error, chat_id)], now))[0]

    async def finish_many(self, outcomes: list[Outcome], now: datetime) -> list[str]:
        """Record outcomes in one transaction (group commit); a final one schedules the next day,
        a failure holds the chat off for ``RETRY_DELAY``. Returns the stored statuses.

        The common case (sent/paused in the same chat) is two executemany statements; failures
        (which may become gave_up) and migrations are rare and handled row by row."""
        statuses = [o.status for o in outcomes]
        async with self.sessions.begin() as session:
            failed = [(i, o) for i, o in enumerate(outcomes) if o.status == "failed"]
            for i, outcome in failed:
                attempts = await session.scalar(select(DeliveryRow.attempts).where(
                    DeliveryRow.chat_id == outcome.due.chat_id, DeliveryRow.local_date == outcome.due.local_date))
                if attempts is not None and attempts >= MAX_ATTEMPTS:
                    statuses[i] = "gave_up"
            await session.execute(_RECORD, [
                {"b_chat": o.due.chat_id, "b_date": o.due.local_date, "b_status": status, "b_now": now,
                 "b_error": (o.error or "")[:200] or None} for o, status in zip(outcomes, statuses, strict=True)])
            advance, retry = [], []
            for outcome, status in zip(outcomes, statuses, strict=True):
                target = outcome.chat_id or outcome.due.chat_id
                if status not in FINAL:
                    retry.append({"b_chat": target, "b_until": now + RETRY_DELAY})
                elif target == outcome.due.chat_id:
                    due = outcome.due
                    advance.append({"b_chat": target, "b_next": due_on(due.local_date + timedelta(days=1),
                                                                       due.push_time, due.zone)})
                else:  # migrated: the new chat's own settings decide its next day
                    await self._advance(session, target, outcome.due.local_date)
            if advance:
                await session.execute(_ADVANCE, advance)
            if retry:
                await session.execute(_HOLD, retry)
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

    async def deliveries(self, chat_id: int | None = None) -> list[DeliveryRow]:
        """Delivery rows (for tests, benchmarks and the CLI)."""
        async with self.sessions() as session:
            query = select(DeliveryRow).order_by(DeliveryRow.id)
            if chat_id is not None:
                query = query.where(DeliveryRow.chat_id == chat_id)
            return list((await session.scalars(query)).all())

    async def reset(self) -> None:
        """Delete everything (tests and benchmarks only)."""
        async with self.sessions.begin() as session:
            await session.execute(DeliveryRow.__table__.delete())
            await session.execute(ChatRow.__table__.delete())
