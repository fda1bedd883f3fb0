"""The library's texts (``handlers.store.Texts``): one row per text, content-addressed."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from bot.clock import Clock
from bot.storage.cache import Caches
from bot.storage.engine import Database
from bot.storage.tables import ChatRow, TextRow
from content.controls import one_line
from content.formats.blocks import Metadata
from content.library import TextInfo, TextStatus, digest, normalise
from content.model import ORIGINAL
from handlers.store import TextRecord


def _status(value: str) -> TextStatus:
    """A stored status; a value this code does not know reads as removed (never offered)."""
    try:
        return TextStatus(value)
    except ValueError:
        return TextStatus.REMOVED


def info(row: TextRow) -> TextInfo:
    """The plain view of a row."""
    status = _status(row.status)
    return TextInfo(id=row.id, title=row.title, speaker=row.speaker, date=row.spoken_on, occasion=row.occasion,
                    digest=row.digest, nodes=row.nodes, status=status, added_at=row.added_at, source=row.source)


def _cut(value: str | None, length: int) -> str | None:
    """A metadata field as stored: one line, no control characters (PostgreSQL refuses a NUL)."""
    value = " ".join(one_line(value).split()) if value else None
    return value[:length] if value else None


LIVE = "live"  # the one key of ``caches.live_texts``


class TextRepository:
    """Implements ``handlers.store.Texts``. Every change of a text's state here forgets the
    live ids (``caches.live_texts``), and a removal the chats' texts it changes (``chat_texts``)."""

    def __init__(self, db: Database, clock: Clock, caches: Caches | None = None) -> None:
        self.db = db
        self.clock = clock
        self.caches = caches or Caches(clock)

    async def texts(self, statuses: Iterable[TextStatus | str] = (TextStatus.LIVE,)) -> list[TextInfo]:
        """``handlers.store.Texts.texts``; a status may come by its name (the command line's)."""
        wanted = [TextStatus(status) for status in statuses]
        async with self.db.reads() as session:
            # Without the bodies: /texts and a search of every text list 200 texts of 10,000 characters.
            rows = await session.scalars(select(TextRow).options(defer(TextRow.body))
                                         .where(TextRow.status.in_(wanted))
                                         .order_by(TextRow.added_at.desc(), TextRow.id.desc()))
            found = [info(row) for row in rows]
        # Newest first, the original speech last: it is the library's first book, not its news.
        return [*(t for t in found if t.id != ORIGINAL), *(t for t in found if t.id == ORIGINAL)]

    async def live_ids(self) -> frozenset[int]:
        return await self.caches.live_texts.fetch(LIVE, self._read_live)

    async def _read_live(self, keys: list[str]) -> dict[str, frozenset[int]]:
        """The live texts' ids under their one key: the searches that miss together read once."""
        async with self.db.reads() as session:
            live = frozenset(await session.scalars(select(TextRow.id).where(TextRow.status == TextStatus.LIVE)))
        return {key: live for key in keys}

    async def text(self, text_id: int) -> TextRecord | None:
        async with self.db.reads() as session:
            row = await session.get(TextRow, text_id)
            return TextRecord(info(row), row.body) if row else None

    async def add(self, body: str, metadata: Metadata, source: str, nodes: int,
                  added_by: int | None = None, status: TextStatus = TextStatus.DRAFT) -> tuple[TextInfo, bool]:
        try:
            return await self._add(body, metadata, source, nodes, added_by, status)
        finally:  # committed (or not): a text published here is searched at once
            self.caches.live_texts.forget(LIVE)

    async def _add(self, body: str, metadata: Metadata, source: str, nodes: int,
                   added_by: int | None, status: TextStatus) -> tuple[TextInfo, bool]:
        body = normalise(body)
        key = digest(body)
        now = self.clock()
        for _ in range(2):  # a concurrent add of the same text wins the unique digest: read it then
            async with self.db.sessions.begin() as session:
                row = await session.scalar(select(TextRow).where(TextRow.digest == key).with_for_update())
                if row is not None:
                    published = row.status == TextStatus.DRAFT and status == TextStatus.LIVE
                    if row.status == TextStatus.REMOVED or published:
                        row.status = status
                        row.updated_at = now
                    return info(row), False
            try:
                async with self.db.sessions.begin() as session:
                    await self._reserve_original(session)
                    row = TextRow(digest=key, status=status, title=_cut(metadata.title, 200),
                                  speaker=_cut(metadata.speaker, 100), spoken_on=metadata.date,
                                  occasion=_cut(metadata.occasion, 200),
                                  source=(one_line(source) or "document")[-200:], body=body,
                                  nodes=nodes, added_by=added_by, added_at=now, updated_at=now)
                    session.add(row)
                    await session.flush()
                    return info(row), True
            except IntegrityError:
                continue
        raise RuntimeError("the text could be neither stored nor found")  # pragma: no cover

    async def ensure_original(self, body: str, title: str | None, source: str, nodes: int) -> TextInfo:
        """Text 1 is the speech file (``SPEECHBOT_SPEECH_FILE``): stored on first start, and
        brought up to date when the file changed (its ids stay unscoped whatever it says)."""
        body = normalise(body)
        key = digest(body)
        now = self.clock()
        async with self.db.sessions.begin() as session:
            await self._reserve_original(session)
            row = await session.get(TextRow, ORIGINAL, with_for_update=True)
            assert row is not None
            if row.digest != key:
                # An upload of the file's new body gives up its digest (not its id): text 1 is the file.
                twin = await session.scalar(select(TextRow).where(TextRow.digest == key))
                if twin is not None:
                    twin.digest = f"superseded:{twin.id}"
                    await session.flush()
                row.digest, row.body, row.nodes, row.status = key, body, nodes, TextStatus.LIVE
                row.title, row.source = row.title or _cut(title, 200), source[-200:]
                row.updated_at = now
            await session.flush()
            stored = info(row)
        self.caches.live_texts.forget(LIVE)
        return stored

    async def _reserve_original(self, session: AsyncSession) -> None:
        """Id 1 belongs to the speech file: a text added before the bot first started (``speechbot
        library add`` on a new database) must not take it. The row waits, hidden (removed, empty),
        until ``ensure_original`` fills it."""
        if await session.get(TextRow, ORIGINAL) is not None:
            return
        now = self.clock()
        # ON CONFLICT DO NOTHING: replicas starting together reserve it once.
        await session.execute(self.db.insert(TextRow).values(
            id=ORIGINAL, digest=f"pending:{ORIGINAL}", status=TextStatus.REMOVED.value, title=None, speaker=None,
            spoken_on=None, occasion=None, source="", body="", nodes=0, added_by=None, added_at=now, updated_at=now,
        ).on_conflict_do_nothing(index_elements=["id"]))
        if self.db.postgresql:  # an explicit id leaves the sequence behind: the next text is 2
            await session.execute(text("SELECT setval(pg_get_serial_sequence('texts', 'id'), "
                                       "(SELECT max(id) FROM texts))"))

    async def describe(self, text_id: int, metadata: Metadata) -> TextInfo | None:
        async with self.db.sessions.begin() as session:
            row = await session.get(TextRow, text_id, with_for_update=True)
            if row is None:
                return None
            row.title, row.speaker = _cut(metadata.title, 200), _cut(metadata.speaker, 100)
            row.spoken_on, row.occasion = metadata.date, _cut(metadata.occasion, 200)
            row.updated_at = self.clock()
            return info(row)

    async def set_status(self, text_id: int, status: TextStatus | str) -> TextInfo | None:
        """``handlers.store.Texts.set_status``; the status may come by its name (the command line's)."""
        status = TextStatus(status)
        if text_id == ORIGINAL and status != TextStatus.LIVE:
            return None
        async with self.db.sessions.begin() as session:
            row = await session.get(TextRow, text_id, with_for_update=True)
            if row is None:
                return None
            row.status = status
            row.updated_at = self.clock()
            if status == TextStatus.REMOVED:  # chats reading it go back to the original speech
                await session.execute(update(ChatRow).where(ChatRow.text_id == text_id).values(text_id=None))
            changed = info(row)
        self.caches.live_texts.forget(LIVE)
        if status == TextStatus.REMOVED:
            self.caches.chat_texts.clear()
        return changed

    async def discard(self, text_id: int) -> bool:
        async with self.db.sessions.begin() as session:
            result = await session.execute(delete(TextRow).where(TextRow.id == text_id,
                                                                 TextRow.status == TextStatus.DRAFT))
            return bool(getattr(result, "rowcount", 0))
