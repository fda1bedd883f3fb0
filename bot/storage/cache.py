"""What this process remembers of the database between updates, and when it forgets it.

Nearly every update reads the same things: the chat's current text (which text the update works
on), the member's bookmarks (the ☆/★ on every screen with a bookmark button), and on a search the
ids of the live texts (whether to offer searching them all). Read from the database each time
they are most of an update's cost (a session, a query, a rollback, a close), so the repositories
read them through a ``ReadCache``:

- A write through this process forgets (or replaces) what it changed once it has committed: the
  member who just pressed ☆, or the chat that just switched texts with ``/use``, sees the change
  on the next screen, exactly.
- A write elsewhere (another replica taking webhook updates, the reader on a push-only replica,
  the shell) shows here within ``REPLICA_LAG`` seconds, the bound a chat's text switch already
  had. Telegram allows one ``getUpdates`` consumer, so with polling every chat screen is drawn
  by one replica and this bound only concerns the reader's ☆ and webhook deployments.
- A read that overlaps a write is returned to its caller but not remembered: it may hold the
  state from before the write.

What one update needs costs no trip to the database while it is remembered, and a trip when it
is not is shared (``ReadCache.fetch``): the keys missed by every update of one turn of the event
loop are read with one statement, and with them the recently used entries past a quarter of their
age, read again ahead of their expiry. A burst of updates after a quiet spell, or the steady traffic
of many chats, then makes one read where it made one per chat and per member, and holds about
one connection per cache where it held one per update.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Hashable, Mapping
from itertools import islice
from typing import Generic, TypeVar

from bot.clock import Clock
from handlers.caches import BoundedCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

REPLICA_LAG = 5.0
"""Seconds a change made by another process may take to show here."""
CACHE_SIZE = 10_000
"""Chats (or members) remembered at most per cache, the least recently used forgotten first."""
AHEAD = 200
"""The most recently used entries a shared read looks at to read again ahead of their expiry."""
AHEAD_AGE = 0.25
"""The part of its life an entry has lived when a shared read reads it again: so that the entries
of every chat in use age together, and expire (and are read) together, once per ``REPLICA_LAG``."""
BATCH = 500
"""Keys one shared read asks for at most (misses first); more misses start another read."""

ReadMany = Callable[[list[K]], Awaitable[Mapping[K, V]]]
"""Reads the values of the keys it is given, one for each, in one trip to the database."""


class _Batch(Generic[K, V]):
    """The keys missed during one turn of the event loop, and the read that will fetch them."""

    def __init__(self) -> None:
        self.keys: dict[K, None] = {}  # in the order missed
        self.read: asyncio.Future[Mapping[K, V]] | None = None


class ReadCache(BoundedCache[K, V]):
    """A bounded read-through cache (``handlers.caches.BoundedCache``) whose entries live ``ttl``
    seconds by ``clock`` (the store's clock: a test moves it to let an entry age; an entry read
    at a time ahead of the clock, which was set back, counts as expired), and which counts the
    writes it hears of, so that a read overlapping one is not kept."""

    def __init__(self, clock: Clock, ttl: float = REPLICA_LAG, size: int = CACHE_SIZE) -> None:
        super().__init__(size, ttl, lambda: clock().timestamp())
        self.clock = clock
        self._writes = 0  # changes so far: a read that saw a change happen meanwhile is not kept
        self._batch: _Batch[K, V] | None = None  # the misses of this turn of the loop, not read yet
        self._reading: dict[K, asyncio.Future[Mapping[K, V]]] = {}  # key → the read under way that reads it

    def version(self) -> int:
        """Taken before a read, given back to ``remember`` after it."""
        return self._writes

    def remember(self, key: K, value: V, version: int, read_at: float | None = None) -> None:
        """Keep what a read found, unless something changed since ``version`` was taken."""
        if version == self._writes:
            super().put(key, value, read_at)

    async def load(self, key: K, read: Callable[[], Awaitable[V]]) -> V:
        """The fresh value of ``key``, or what ``read`` finds (then remembered)."""
        known = self.get(key)
        if known is not None:
            return known
        version, read_at = self._writes, self._clock()
        value = await read()
        self.remember(key, value, version, read_at)
        return value

    async def fetch(self, key: K, read_many: ReadMany[K, V]) -> V:
        """The fresh value of ``key``, or, on a miss, the value one shared ``read_many`` finds: it
        reads every key missed during this turn of the event loop, and the recently used entries
        past ``AHEAD_AGE`` of their age (so that they stay fresh), and remembers what it found."""
        known = self.get(key)
        if known is not None:
            return known
        reading = self._reading.get(key)
        if reading is not None:  # read ahead, or missed a moment ago: the read under way answers
            return (await asyncio.shield(reading))[key]
        batch = self._batch
        if batch is None or batch.read is None or batch.read.done() or len(batch.keys) >= BATCH:
            batch = self._batch = _Batch()
            batch.read = asyncio.ensure_future(self._read(batch, read_many))
            batch.read.add_done_callback(_retrieved)
        batch.keys[key] = None
        assert batch.read is not None  # for mypy: set above
        found = await asyncio.shield(batch.read)  # a caller cancelled leaves the read to the others
        return found[key]

    async def _read(self, batch: _Batch[K, V], read_many: ReadMany[K, V]) -> Mapping[K, V]:
        """Started at the next turn of the loop, once this turn's misses have joined ``batch``."""
        if self._batch is batch:
            self._batch = None  # a miss from now on waits for a read of its own
        keys = [*batch.keys, *islice(self._ageing(batch.keys), max(0, BATCH - len(batch.keys)))]
        assert batch.read is not None
        for key in keys:
            self._reading[key] = batch.read
        version, read_at = self._writes, self._clock()
        try:
            found = await read_many(keys)
        finally:
            for key in keys:
                if self._reading.get(key) is batch.read:
                    del self._reading[key]
        for key in keys:
            self.remember(key, found[key], version, read_at)
        return found

    def _ageing(self, skip: Collection[K]) -> list[K]:
        """Of the ``AHEAD`` most recently used entries, those past ``AHEAD_AGE`` of their age (or
        expired) that no read under way reads already."""
        assert self.ttl is not None
        since = self._clock() - self.ttl * AHEAD_AGE
        return [key for key in islice(reversed(self._items), AHEAD)
                if key not in skip and key not in self._reading and self._items[key][0] <= since]

    def put(self, key: K, value: V, at: float | None = None) -> None:
        """A committed write that knows the new value."""
        self._writes += 1
        self._reading.pop(key, None)
        super().put(key, value, at)

    def forget(self, key: K) -> None:
        """A committed write changed ``key``: the next read goes to the database (a read under way
        may have seen the state before the write: the next miss does not wait for it)."""
        self._writes += 1
        self._reading.pop(key, None)
        super().pop(key)

    pop = forget

    def clear(self) -> None:
        """A committed write changed keys it cannot name."""
        self._writes += 1
        self._reading.clear()
        super().clear()


def _retrieved(read: asyncio.Future[Mapping[K, V]]) -> None:
    """A shared read whose every caller was cancelled fails unheard, not as an unretrieved error."""
    if not read.cancelled():
        read.exception()


class Caches:
    """The caches the repositories share, so that a write in one forgets what another reads
    (``/forget`` and a removed text change chats' texts; ``/forget`` the member's bookmarks).
    ``live_texts`` tells a search whether other texts are there to search too; /texts and /use
    read the database, so that a text published on another replica is listed at once."""

    def __init__(self, clock: Clock) -> None:
        self.chat_texts: ReadCache[int, int] = ReadCache(clock)  # chat id → its text (1: the original)
        self.bookmarks: ReadCache[int, tuple[str, ...]] = ReadCache(clock)  # member → refs, oldest first
        self.live_texts: ReadCache[str, frozenset[int]] = ReadCache(clock, size=1)  # the live texts' ids

    def clear(self) -> None:
        """Every table was emptied (``bot.fake.data.reset``)."""
        for cache in (self.chat_texts, self.bookmarks, self.live_texts):
            cache.clear()
