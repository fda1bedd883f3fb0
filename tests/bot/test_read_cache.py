"""The read caches of the store (``bot.storage.cache``): a read that overlaps a write is not
remembered, entries age on the store's clock (and a clock set back does not keep them), and the
cache stays bounded; misses share reads (``ReadCache.fetch``), on both backends."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.fake.local import TravelClock
from bot.storage import Store
from bot.storage.cache import AHEAD_AGE, REPLICA_LAG, ReadCache

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


class Reads:
    """A ``read_many`` that counts its trips and answers ``value`` for every key it is given."""

    def __init__(self, value: str = "text") -> None:
        self.value = value
        self.trips: list[list[int]] = []
        self.gate: asyncio.Event | None = None  # set: the read waits for it

    async def __call__(self, keys: list[int]) -> dict[int, str]:
        self.trips.append(list(keys))
        if self.gate is not None:
            await self.gate.wait()
        return {key: f"{self.value} {key}" for key in keys}


async def test_the_misses_of_one_turn_of_the_loop_share_one_read() -> None:
    cache: ReadCache[int, str] = ReadCache(stopped())
    reads = Reads()
    found = await asyncio.gather(*(cache.fetch(chat, reads) for chat in (1, 2, 3, 2)))
    assert found == ["text 1", "text 2", "text 3", "text 2"]
    assert reads.trips == [[1, 2, 3]]
    assert await cache.fetch(3, reads) == "text 3" and len(reads.trips) == 1  # remembered


async def test_a_miss_while_its_key_is_read_waits_for_that_read() -> None:
    cache: ReadCache[int, str] = ReadCache(stopped())
    reads = Reads()
    reads.gate = asyncio.Event()
    first = asyncio.create_task(cache.fetch(1, reads))
    await asyncio.sleep(0)
    await asyncio.sleep(0)  # the read of 1 is under way
    second = asyncio.create_task(cache.fetch(1, reads))
    await asyncio.sleep(0)
    reads.gate.set()
    assert (await first, await second) == ("text 1", "text 1")
    assert reads.trips == [[1]]


async def test_entries_past_a_quarter_of_their_age_are_read_again_with_a_miss() -> None:
    clock = stopped()
    cache: ReadCache[int, str] = ReadCache(clock)
    reads = Reads()
    await asyncio.gather(cache.fetch(1, reads), cache.fetch(2, reads))
    clock.at = START + timedelta(seconds=REPLICA_LAG * AHEAD_AGE)
    await cache.fetch(3, reads)  # 1 and 2 are a quarter of their life old: read again with 3
    assert reads.trips == [[1, 2], [3, 2, 1]]
    clock.at = START + timedelta(seconds=REPLICA_LAG * (1 + AHEAD_AGE / 2))
    assert (cache.get(1), cache.get(2)) == ("text 1", "text 2")  # the first read would have expired
    clock.at = START + timedelta(seconds=REPLICA_LAG * (1 + AHEAD_AGE))
    assert cache.get(1) is None  # a read ahead lives as long as any read, no longer


async def test_a_write_during_a_shared_read_is_not_undone_by_it() -> None:
    cache: ReadCache[int, str] = ReadCache(stopped())
    reads = Reads("before")
    reads.gate = asyncio.Event()
    read = asyncio.create_task(cache.fetch(1, reads))
    await asyncio.sleep(0)
    await asyncio.sleep(0)  # the read is under way
    cache.forget(1)  # a write on this replica committed meanwhile
    after = Reads("after")
    assert await cache.fetch(1, after) == "after 1"  # does not wait for the read that began before it
    reads.gate.set()
    assert await read == "before 1"
    assert cache.get(1) == "after 1"


async def test_a_failed_shared_read_fails_every_caller_and_the_next_miss_reads_again() -> None:
    cache: ReadCache[int, str] = ReadCache(stopped())

    async def broken(keys: list[int]) -> dict[int, str]:
        raise ConnectionError("the database is away")

    calls = await asyncio.gather(cache.fetch(1, broken), cache.fetch(2, broken), return_exceptions=True)
    assert [type(call) for call in calls] == [ConnectionError, ConnectionError]
    assert await cache.fetch(1, Reads()) == "text 1"


async def test_one_shared_read_answers_each_chat_and_member_its_own(store: Store, clock: TravelClock) -> None:
    """The texts of several chats and the bookmarks of several members, missed together, are
    read together (``ReadCache.fetch``), and each caller gets its own: a chat without a row reads
    the original, a member without bookmarks none, the others theirs, oldest first."""
    clock.at = START
    await store.chats.configure(-71, "group", text_id=2)
    await store.chats.subscribe(72, "private", "zh")
    for ref in ("n:4.2", "q:3", "n:1.1"):
        assert await store.study.toggle_bookmark(73, ref)
        clock.at += timedelta(seconds=1)
    assert await store.study.toggle_bookmark(74, "q:9")
    store.study.caches.clear()  # the caches every repository shares: each read below is a miss
    texts = await asyncio.gather(*(store.chats.text_of(chat) for chat in (-71, 72, 75)))
    assert texts == [2, None, None]
    marks = await asyncio.gather(*(store.study.bookmarks(member) for member in (73, 74, 75)))
    assert marks == [["n:4.2", "q:3", "n:1.1"], ["q:9"], []]
