"""The database: an async SQLAlchemy engine for SQLite (default) or PostgreSQL, migrated by
Alembic at open (under an advisory lock on PostgreSQL, so replicas may start together)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

from sqlalchemy import Table, event, make_url, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, CursorResult, Result
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry

from bot.storage.tables import Base

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK = 727365
MEMORY = "sqlite+aiosqlite://"
"""An SQLite database in memory: gone with the process (``SPEECHBOT_DATABASE_URL`` empty)."""


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
            await connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        await connection.run_sync(run)


def affected(result: Result[tuple[object, ...]]) -> int:
    """How many rows an INSERT, UPDATE or DELETE touched (0 when the driver cannot tell)."""
    return cast(CursorResult[tuple[object, ...]], result).rowcount or 0


def in_memory(url: str) -> bool:
    """Is ``url`` an SQLite database in memory (``MEMORY``, or ``:memory:``)?"""
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")


def make_engine(url: str) -> AsyncEngine:
    """An engine for ``url``; SQLite gets its folder created, WAL and a busy timeout. A database
    in memory lives in its one connection, kept for the engine's life, so every session sees the
    same one: a pool of one, where sessions take turns (``StaticPool`` would hand the connection
    to concurrent sessions, whose closing rollbacks then undo each other's writes)."""
    if not url.startswith("sqlite"):
        return create_async_engine(url, pool_size=10, max_overflow=10)
    if in_memory(url):
        engine = create_async_engine(url, poolclass=AsyncAdaptedQueuePool, pool_size=1, max_overflow=0)
    else:
        path = url.split("///", 1)[-1]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: no fsync per commit; a crashed process loses nothing, a power cut can
        # lose the last commits but never corrupts the file.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


class Database:
    """The engine, its session factories and the dialect's ``INSERT … ON CONFLICT``.

    ``sessions`` is for work that writes (``sessions.begin()``: one transaction). ``reads`` is
    for a read that needs no transaction: on PostgreSQL its connections run in autocommit, so a
    read is one round trip instead of BEGIN, the query and ROLLBACK; SQLite's driver begins no
    transaction for a SELECT, and setting autocommit there would cost a call per checkout, so
    there ``reads`` opens plain sessions. A read of several statements in ``reads`` sees each statement's
    own snapshot (as READ COMMITTED gives inside a transaction too)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.postgresql = engine.dialect.name == "postgresql"
        reading = engine.execution_options(isolation_level="AUTOCOMMIT") if self.postgresql else engine
        self.reads = async_sessionmaker(reading, expire_on_commit=False)
        self.insert: Callable[[Table | type[Base]], postgresql.Insert | sqlite.Insert] = (
            postgresql.insert if self.postgresql else sqlite.insert)

    @classmethod
    def of(cls, url: str) -> Database:
        """The database at ``url``, not yet connected (the engine connects on first use)."""
        return cls(make_engine(url))

    @classmethod
    async def open(cls, url: str) -> Database:
        """Connect and migrate to the latest revision."""
        database = cls.of(url)
        await database.migrate()
        return database

    async def migrate(self) -> None:
        """Migrate to the latest revision (``upgrade``)."""
        await upgrade(self.engine)

    async def close(self) -> None:
        await self.engine.dispose()
