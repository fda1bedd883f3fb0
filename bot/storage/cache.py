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
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from bot.clock import Clock

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

REPLICA_LAG = 5.0
"""Seconds a change made by another process may take to show here."""
CACHE_SIZE = 10_000
"""Chats (or members) remembered at most per cache, the least recently used forgotten first."""


class ReadCache(Generic[K, V]):
    """A bounded read-through cache whose entries live ``ttl`` seconds by ``clock`` (the store's
    clock: a test moves it to let an entry age). An entry whose time lies ahead of the clock
    (the clock was set back) counts as expired."""

    def __init__(self, clock: Clock, ttl: float = REPLICA_LAG, size: int = CACHE_SIZE) -> None:
        if size < 1:
            raise ValueError("a cache holds at least one entry")
        self.clock = clock
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._writes = 0  # changes so far: a read that saw a change happen meanwhile is not kept

    def _now(self) -> float:
        return self.clock().timestamp()

    def get(self, key: K) -> V | None:
        """The value if it is fresh, else None."""
        item = self._items.get(key)
        if item is None:
            return None
        read_at, value = item
        if not read_at <= self._now() < read_at + self.ttl:
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return value

    def version(self) -> int:
        """Taken before a read, given back to ``remember`` after it."""
        return self._writes

    def remember(self, key: K, value: V, version: int, read_at: float | None = None) -> None:
        """Keep what a read found, unless something changed since ``version`` was taken."""
        if version == self._writes:
            self._store(key, value, self._now() if read_at is None else read_at)

    async def load(self, key: K, read: Callable[[], Awaitable[V]]) -> V:
        """The fresh value of ``key``, or what ``read`` finds (then remembered)."""
        known = self.get(key)
        if known is not None:
            return known
        version, read_at = self._writes, self._now()
        value = await read()
        self.remember(key, value, version, read_at)
        return value

    def put(self, key: K, value: V) -> None:
        """A committed write that knows the new value."""
        self._writes += 1
        self._store(key, value, self._now())

    def forget(self, key: K) -> None:
        """A committed write changed ``key``: the next read goes to the database."""
        self._writes += 1
        self._items.pop(key, None)

    pop = forget

    def clear(self) -> None:
        """A committed write changed keys it cannot name."""
        self._writes += 1
        self._items.clear()

    def _store(self, key: K, value: V, read_at: float) -> None:
        self._items[key] = (read_at, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


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
