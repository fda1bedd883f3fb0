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

from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

from bot.clock import Clock
from handlers.caches import BoundedCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

REPLICA_LAG = 5.0
"""Seconds a change made by another process may take to show here."""
CACHE_SIZE = 10_000
"""Chats (or members) remembered at most per cache, the least recently used forgotten first."""


class ReadCache(BoundedCache[K, V]):
    """A bounded read-through cache (``handlers.caches.BoundedCache``) whose entries live ``ttl``
    seconds by ``clock`` (the store's clock: a test moves it to let an entry age; an entry read
    at a time ahead of the clock, which was set back, counts as expired), and which counts the
    writes it hears of, so that a read overlapping one is not kept."""

    def __init__(self, clock: Clock, ttl: float = REPLICA_LAG, size: int = CACHE_SIZE) -> None:
        super().__init__(size, ttl, lambda: clock().timestamp())
        self.clock = clock
        self._writes = 0  # changes so far: a read that saw a change happen meanwhile is not kept

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

    def put(self, key: K, value: V, at: float | None = None) -> None:
        """A committed write that knows the new value."""
        self._writes += 1
        super().put(key, value, at)

    def forget(self, key: K) -> None:
        """A committed write changed ``key``: the next read goes to the database."""
        self._writes += 1
        super().pop(key)

    pop = forget

    def clear(self) -> None:
        """A committed write changed keys it cannot name."""
        self._writes += 1
        super().clear()


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
