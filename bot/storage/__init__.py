"""Storage: SQLAlchemy 2 (async) over SQLite (default) or PostgreSQL, migrated by Alembic.

``Store`` bundles the one database with its repositories: ``chats`` (subscriptions, the
``ChatStore`` handlers use), ``deliveries`` (the push protocol, see ``deliveries``) and
``insights`` (the owner's report, metrics queries, retention), ``ledger`` (the groups' 学习台账).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock, system_clock
from bot.settings import Settings
from bot.storage.cache import Caches
from bot.storage.chats import CardFileRepository, ChatRepository
from bot.storage.deliveries import LEASE, MAX_ATTEMPTS, RETRY_DELAY, DeliveryQueue, DeliveryStatus, Due, Outcome
from bot.storage.engine import MEMORY, Database
from bot.storage.insights import InsightRepository
from bot.storage.ledger import LedgerRepository
from bot.storage.reader import PositionRepository
from bot.storage.study import StudyRepository
from bot.storage.texts import TextRepository

__all__ = [
    "LEASE",
    "MAX_ATTEMPTS",
    "RETRY_DELAY",
    "ChatRepository",
    "Database",
    "DeliveryQueue",
    "DeliveryStatus",
    "Due",
    "InsightRepository",
    "Outcome",
    "Store",
    "TextRepository",
]


@dataclass
class Store:
    """The database and its repositories, opened from the settings; ``clock`` is the one clock
    the repositories (and the push, which reads it here) take "now" from."""

    db: Database
    chats: ChatRepository
    deliveries: DeliveryQueue
    insights: InsightRepository
    cards: CardFileRepository
    study: StudyRepository
    positions: PositionRepository  # the reader's (Mini App) place in each text
    texts: TextRepository  # the library
    ledger: LedgerRepository  # the groups' 学习台账 and members' 心得
    clock: Clock = system_clock

    @classmethod
    async def open(cls, settings: Settings, clock: Clock = system_clock) -> Store:
        """Connect to ``settings.database_url`` and migrate; new chats get the settings' defaults."""
        store = cls.of(settings, clock)
        await store.db.migrate()
        return store

    @classmethod
    def of(cls, settings: Settings, clock: Clock = system_clock) -> Store:
        """The repositories over ``settings.database_url`` (empty: a database in memory, ``MEMORY``),
        not yet connected nor migrated (``db.migrate``, as ``open`` does)."""
        db = Database.of(settings.database_url or MEMORY)
        catch_up = timedelta(hours=settings.catch_up_hours)
        caches = Caches(clock)  # shared: a write in one repository forgets what another reads
        return cls(db, ChatRepository(db, settings.timezone, settings.push_time, catch_up, clock, caches),
                   DeliveryQueue(db, catch_up), InsightRepository(db, timedelta(days=settings.retention_days), clock),
                   CardFileRepository(db, clock), StudyRepository(db, settings.timezone, clock, caches),
                   PositionRepository(db, clock), TextRepository(db, clock, caches),
                   LedgerRepository(db, clock), clock)

    async def close(self) -> None:
        await self.db.close()
