"""The reader's place in each text per member (``handlers.store.Positions``)."""

from __future__ import annotations

from bot.clock import Clock
from bot.storage.engine import Database
from bot.storage.tables import PositionRow
from handlers.store import Position


class PositionRepository:
    """Implements ``handlers.store.Positions``: one row per (member, text), overwritten."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def position(self, user_id: int, text_id: str) -> Position | None:
        async with self.db.reads() as session:
            row = await session.get(PositionRow, (user_id, text_id))
            return Position(row.node_id, row.char_at) if row else None

    async def set_position(self, user_id: int, text_id: str, position: Position) -> None:
        values = {"node_id": position.node_id[:40], "char_at": position.char_at, "updated_at": self.clock()}
        insert = self.db.insert(PositionRow).values(user_id=user_id, text_id=text_id[:40], **values)
        async with self.db.sessions.begin() as session:
            await session.execute(insert.on_conflict_do_update(index_elements=["user_id", "text_id"], set_=values))
