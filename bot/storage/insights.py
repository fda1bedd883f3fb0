"""The owner's view of the bot: counts of chats, schedules, deliveries, failures and search
texts that found nothing; and retention, which keeps the tables proportional to subscribers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select

from bot.clock import Clock
from bot.storage.deliveries import DeliveryStatus
from bot.storage.engine import Database, affected
from bot.storage.tables import ChatRow, DeliveryRow, QuizRow, SearchMissRow
from content.controls import one_line
from handlers.store import StatsReport

MISS_CHARS = 100
TOP_MISSES = 15
PROBLEMS = (DeliveryStatus.FAILED, DeliveryStatus.GAVE_UP, DeliveryStatus.UNCERTAIN)
ACTIVE = ChatRow.subscribed.is_(True) & ChatRow.paused.is_(False)  # a subscription that is sent


def miss_key(query: str) -> str:
    """How a no-hit query is stored: control characters out (PostgreSQL refuses a NUL), whitespace
    folded, cut to ``MISS_CHARS``."""
    return " ".join(one_line(query).split())[:MISS_CHARS]


class InsightRepository:
    """Implements ``handlers.store.Insights`` plus the operator's queries (metrics, pruning)."""

    def __init__(self, db: Database, retention: timedelta, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.retention = retention

    async def record_miss(self, query: str) -> None:
        key = miss_key(query)
        if not key:
            return
        now = self.clock()
        insert = self.db.insert(SearchMissRow).values(query=key, count=1, last_at=now)
        upsert = insert.on_conflict_do_update(index_elements=["query"], set_={
            "count": SearchMissRow.count + 1, "last_at": now})
        async with self.db.sessions.begin() as session:
            await session.execute(upsert)

    async def report(self) -> StatsReport:
        since = (self.clock() - timedelta(days=7)).date()
        async with self.db.reads() as session:
            chats = (await session.execute(
                select(ChatRow.kind, func.count(), func.count().filter(ACTIVE))
                .group_by(ChatRow.kind).order_by(ChatRow.kind))).all()
            schedule = (await session.execute(
                select(ChatRow.timezone, ChatRow.push_time, func.count()).where(ACTIVE)
                .group_by(ChatRow.timezone, ChatRow.push_time))).all()
            deliveries = (await session.execute(
                select(DeliveryRow.status, func.count()).where(DeliveryRow.local_date >= since)
                .group_by(DeliveryRow.status).order_by(func.count().desc()))).all()
            failures = (await session.execute(
                select(DeliveryRow.status, func.coalesce(DeliveryRow.error, ""), func.count())
                .where(DeliveryRow.local_date >= since, DeliveryRow.status.in_(PROBLEMS))
                .group_by(DeliveryRow.status, DeliveryRow.error).order_by(func.count().desc()).limit(10))).all()
            misses = (await session.execute(
                select(SearchMissRow.query, SearchMissRow.count)
                .order_by(SearchMissRow.count.desc(), SearchMissRow.last_at.desc()).limit(TOP_MISSES))).all()
        hours: dict[tuple[str, int], int] = {}
        for zone, push_time, count in schedule:
            key = (zone, int(push_time[:2]))
            hours[key] = hours.get(key, 0) + count
        return StatsReport(
            chats=tuple((k, n, a) for k, n, a in chats),
            schedule=tuple((z, h, n) for (z, h), n in sorted(hours.items(), key=lambda i: (-i[1], i[0]))),
            deliveries=tuple((s, n) for s, n in deliveries),
            failures=tuple((s, e, n) for s, e, n in failures),
            misses=tuple((q, n) for q, n in misses),
        )

    async def subscribed_by_kind(self) -> dict[str, int]:
        """Active subscriptions per chat kind (a metrics gauge)."""
        async with self.db.reads() as session:
            rows = (await session.execute(select(ChatRow.kind, func.count()).where(ACTIVE)
                                          .group_by(ChatRow.kind))).all()
        return {kind: count for kind, count in rows}

    async def oldest_due_lag(self, now: datetime) -> float:
        """Seconds since the oldest reminder that is due and not sent became due (0 if none)."""
        async with self.db.reads() as session:
            oldest = await session.scalar(select(func.min(ChatRow.next_due_at)).where(
                ACTIVE, ChatRow.next_due_at <= now))
        if oldest is None:
            return 0.0
        oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
        return max(0.0, (now - oldest).total_seconds())

    async def prune(self, now: datetime, batch: int = 1000) -> int:
        """Delete up to ``batch`` delivery rows and as many quiz polls older than the retention
        (and stale search misses); returns how many rows went. Small batches keep each
        transaction short."""
        cutoff = (now - self.retention).date()
        async with self.db.sessions.begin() as session:
            old = select(DeliveryRow.id).where(DeliveryRow.local_date < cutoff).limit(batch).scalar_subquery()
            gone = affected(await session.execute(delete(DeliveryRow).where(DeliveryRow.id.in_(old))))
            misses = affected(await session.execute(delete(SearchMissRow).where(
                SearchMissRow.last_at < now - self.retention)))
            polls = select(QuizRow.poll_id).where(QuizRow.sent_at < now - self.retention).limit(batch)
            quizzes = affected(await session.execute(delete(QuizRow).where(
                QuizRow.poll_id.in_(polls.scalar_subquery()))))
        return int(gone) + int(misses) + int(quizzes)
