"""Bounded in-process caches. Every cache the bot keeps for the life of the process has a
maximum size (the least recently used entry goes first), and entries that go stale an age
limit, so memory stays flat however many chats, users or cards a long-running bot meets."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """At most ``size`` entries, LRU; with ``ttl``, an entry is forgotten ``ttl`` seconds after
    it was put (measured on ``clock``, monotonic by default: an age, not a time of day). An entry
    put at a time still ahead of the clock (a clock set back) counts as expired too."""

    def __init__(self, size: int, ttl: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        if size < 1:
            raise ValueError("a cache holds at least one entry")
        self.size = size
        self.ttl = ttl
        self._clock = clock
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()  # key → (when put, value)

    def get(self, key: K) -> V | None:
        """The value, or None when it is absent or expired."""
        item = self._items.get(key)
        if item is None:
            return None
        put_at, value = item
        if self.ttl is not None and not put_at <= self._clock() < put_at + self.ttl:
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V, at: float | None = None) -> None:
        """Keep ``value``, aged from ``at`` (a time on the clock; now by default)."""
        self._items[key] = (self._clock() if at is None else at, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def pop(self, key: K) -> None:
        self._items.pop(key, None)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
