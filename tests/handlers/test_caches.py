"""Bounded caches: what the bot keeps in memory for the life of the process has a maximum size
(LRU) and, where it goes stale, an age; a cache keyed by a speech's id never serves another
speech's screens; the per-card upload locks last only while an upload is in flight."""

from __future__ import annotations

import gc
from pathlib import Path

from bot.fake.local import LocalBot
from content import Speech
from content.parser import parse_text
from handlers import render, sharing
from handlers.caches import BoundedCache
from handlers.context import ADMIN_CACHE_SIZE, ADMIN_TTL, BotData


class Ticks:
    """A monotonic clock a test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == (1, None, 3, 2)
    for n in range(1000):
        cache.put(str(n), n)
    assert len(cache) == 2


def test_an_entry_expires_after_its_ttl() -> None:
    ticks = Ticks()
    cache: BoundedCache[str, bool] = BoundedCache(10, ttl=60, clock=ticks)
    cache.put("admin", False)
    ticks.now = 59.9
    assert cache.get("admin") is False  # False is a value, not a miss
    ticks.now = 60.0
    assert cache.get("admin") is None and len(cache) == 0


def test_the_admin_cache_is_bounded_and_ages() -> None:
    cache = BotData().admin_cache
    assert isinstance(cache, BoundedCache) and (cache.size, cache.ttl) == (ADMIN_CACHE_SIZE, ADMIN_TTL)


async def test_admin_checks_are_cached_for_a_while_and_never_pile_up(bot: LocalBot) -> None:
    assert bot.app is not None
    ticks = Ticks()
    bot.app.bot_data.admin_cache = BoundedCache(2, ADMIN_TTL, clock=ticks)
    bot.fake.admins[-4700].add(4701)
    admin = bot.group(-4700, 4701)
    await admin.send("/settime 07:00")
    await admin.send("/settime 07:30")
    assert len(bot.fake.calls_to("getChatMember", -4700)) == 1  # asked once
    ticks.now = ADMIN_TTL + 1  # an admin may have been demoted since: ask again
    await admin.send("/settime 08:00")
    assert len(bot.fake.calls_to("getChatMember", -4700)) == 2
    for user_id in range(4702, 4712):  # ten members try a setting
        await bot.group(-4700, user_id).send("/settime 09:00")
    assert len(bot.app.bot_data.admin_cache) == 2


def test_screens_cached_by_speech_id_are_never_another_speechs(speech: Speech) -> None:
    """A speech that is gone can leave its id to a new one (CPython reuses the memory): the
    outline of the new speech must be its own, not the old one's from the cache."""
    raw = Path(speech.source).read_text("utf-8-sig")
    wrong = []
    gc.freeze()  # what the run made before is not this test's garbage: each collect sees only the speeches
    try:
        for n in range(30):
            changed = parse_text(raw.replace("一、", f"一、第{n}版", 1), f"v{n}.txt")
            labels = " ".join(button.text for row in render.outline(changed, "zh").buttons for button in row)
            if f"第{n}版" not in labels:
                wrong.append(n)
            del changed
            gc.collect()
    finally:
        gc.unfreeze()
    assert wrong == []


async def test_upload_locks_last_only_while_an_upload_is_in_flight(bot: LocalBot) -> None:
    chat = bot.private()
    for node_id in ("1.1", "2.1", "3.1", "4.1", "4.2"):
        assert (await chat.send(f"/card {node_id}")).photos
    assert bot.fake.uploads >= 5 and len(sharing._LOCKS) == 0
