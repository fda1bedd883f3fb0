"""The read caches of the store (``bot.storage.cache``): a read that overlaps a write is not
remembered, entries age on the store's clock (and a clock set back does not keep them), and the
cache stays bounded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.fake.local import TravelClock
from bot.storage.cache import REPLICA_LAG, ReadCache

START = datetime(2030, 1, 1, tzinfo=UTC)


def stopped() -> TravelClock:
    clock = TravelClock()
    clock.at = START
    return clock


async def test_a_read_overlapping_a_write_is_returned_but_not_remembered() -> None:
    cache: ReadCache[int, str] = ReadCache(stopped())
    reading, written = asyncio.Event(), asyncio.Event()

    async def old_state() -> str:
        reading.set()
        await written.wait()  # the write commits while this read is under way
        return "before"

    read = asyncio.create_task(cache.load(1, old_state))
    await reading.wait()
    cache.forget(1)
    written.set()
    assert await read == "before"
    assert cache.get(1) is None

    async def new_state() -> str:
        return "after"

    assert await cache.load(1, new_state) == "after" and cache.get(1) == "after"


async def test_entries_age_on_the_clock_and_a_clock_set_back_drops_them() -> None:
    clock = stopped()
    cache: ReadCache[str, int] = ReadCache(clock)
    cache.put("chat", 2)
    clock.at = START + timedelta(seconds=REPLICA_LAG - 0.5)
    assert cache.get("chat") == 2
    clock.at = START + timedelta(seconds=REPLICA_LAG)
    assert cache.get("chat") is None
    cache.put("chat", 3)
    clock.at = START - timedelta(hours=1)  # an entry from "the future" is not trusted for an hour longer
    assert cache.get("chat") is None


async def test_the_least_recently_used_entry_goes_first() -> None:
    cache: ReadCache[int, int] = ReadCache(stopped(), size=2)
    cache.put(1, 1)
    cache.put(2, 2)
    assert cache.get(1) == 1
    cache.put(3, 3)
    assert (cache.get(1), cache.get(2), cache.get(3), len(cache)) == (1, None, 3, 2)
    cache.clear()
    assert len(cache) == 0
