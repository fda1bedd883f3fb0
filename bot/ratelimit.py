"""Telegram's flood limits are the bot's, not a process's: a rate limiter the replicas share
through Redis (``SPEECHBOT_RATE_LIMITER=redis``).

Why Redis and not PostgreSQL: every message asks for a slot, 30 times a second at full speed.
In Redis that is one Lua script of a few microseconds, atomic, timed by the server's own clock
for every replica. In PostgreSQL it would be a row lock and a transaction per message on the
database the push already keeps busy (or a budget the replicas split among themselves, which
needs to know who is alive and leaves a dead replica's share unused until it is noticed).

How: reservations, as in GCRA. A key holds the earliest instant the next message may go. The
script takes the next slot, ``max(that instant, now, the bot's pause)``, moves the key one
interval on, and answers how long to wait; the caller sleeps that long and sends (or, woken
more than an interval late, takes a fresh slot: late sends would bunch up). The bot's key
is spaced ``1/per_second`` (one message at a time, no bursts: no one-second window ever holds
more, as the local limiter paces it); a group's key ``60/group_per_minute``, taken first so a
busy group delays only itself. A 429 (RetryAfter) sets the bot's pause, which every replica's
next slot respects: Telegram's wait is for the whole bot. If Redis cannot be reached, each
process paces itself at ``fallback_share`` of the rates (a warning once a minute) and tries
Redis again a few seconds later: slower, and still within the limits for that many replicas.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.commands.core import AsyncScript

log = logging.getLogger(__name__)

ApiResult = bool | dict[str, object] | list[dict[str, object]]
"""What a Bot API request answers (PTB's ``bool | JSONDict | list[JSONDict]``)."""

# KEYS[1]: the bucket; KEYS[2]: the bot's pause. ARGV[1]: the interval in microseconds.
# Returns the wait in microseconds. Times are integers printed with %.0f (Lua's tostring would
# round 1.7e15 to six digits).
RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[2]) or '0'))
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX',
           string.format('%.0f', (slot - now + interval) / 1000 + 1000))
return slot - now
"""
# KEYS[1]: the bot's pause. ARGV[1]: microseconds from now during which nobody sends.
PAUSE = """
local t = redis.call('TIME')
local untl = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[1])
if untl > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], string.format('%.0f', untl), 'PX', string.format('%.0f', tonumber(ARGV[1]) / 1000 + 1000))
end
return 1
"""
LATE_RETRIES = 3  # slots taken again after waking up late, before sending anyway
MIN_LATENESS = 0.02  # seconds late a wake-up may be and still use its slot (or one interval, if longer)
RETRY_REDIS_AFTER = 5.0  # seconds of local pacing after a Redis error, before trying it again
WARN_EVERY = 60.0


def _group(chat_id: object) -> int | str | None:
    """Where a request goes when that is a group, whose messages share the group's limit: a
    negative chat id (a number or its digits) or a channel's @username; None otherwise."""
    if isinstance(chat_id, str):
        try:
            chat_id = int(chat_id)
        except ValueError:
            return chat_id
    return chat_id if isinstance(chat_id, int) and chat_id < 0 else None


def retry_after_seconds(error: RetryAfter) -> float:
    """Telegram's wait, in seconds, whatever type this PTB version gives it."""
    value = error.retry_after
    return float(value.total_seconds() if isinstance(value, timedelta) else value)


class SharedRateLimiter(BaseRateLimiter[int]):
    """PTB's rate limiter interface over Redis: one budget for every process of the bot.

    ``prefix`` names the bot's keys (``speechbot:<bot id>``), so several bots may share a Redis.
    Like PTB's ``AIORateLimiter``: requests without a ``chat_id`` are not limited, a negative
    or string ``chat_id`` is a group, and a RetryAfter is retried ``max_retries`` times."""

    def __init__(self, url: str, per_second: float, group_per_minute: float, prefix: str = "speechbot",
                 max_retries: int = 2, fallback_share: float = 0.25, client: Redis | None = None) -> None:
        self.url = url
        self.interval = 1.0 / per_second
        self.group_interval = 60.0 / group_per_minute if group_per_minute else 0.0
        self.prefix = prefix
        self.max_retries = max_retries
        self.fallback_share = fallback_share
        self._client: Redis | None = client
        self._owns_client = client is None
        self._reserve: AsyncScript | None = None
        self._pause: AsyncScript | None = None
        self._local: dict[str, float] = {}  # the fallback's own reservations (event-loop time)
        self._local_pause = 0.0
        self._redis_again = 0.0  # event-loop time before which Redis is not tried (it just failed)
        self._warned = -WARN_EVERY

    async def initialize(self) -> None:
        if self._client is None:
            from redis.asyncio import Redis  # only a bot configured for Redis imports it

            self._client = Redis.from_url(self.url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self._reserve = self._client.register_script(RESERVE)
        self._pause = self._client.register_script(PAUSE)
        with contextlib.suppress(Exception):  # unreachable now: the first reservation says so and falls back
            pong = self._client.ping()  # typed for redis's sync and async clients alike
            if isinstance(pong, Awaitable):
                await pong

    async def shutdown(self) -> None:
        if self._client is not None and self._owns_client:
            await self._client.aclose()
            self._client = None

    async def process_request(
        self,
        callback: Callable[..., Awaitable[ApiResult]],
        args: Sequence[object],
        kwargs: Mapping[str, object],
        endpoint: str,
        data: Mapping[str, object],
        rate_limit_args: int | None,
    ) -> ApiResult:
        """Wait for the group's slot (if any), then the bot's, then send; on a 429, pause the
        whole bot as Telegram says and try again (``rate_limit_args`` or ``max_retries`` times)."""
        retries = rate_limit_args or self.max_retries
        chat_id = data.get("chat_id")
        group = _group(chat_id)
        for attempt in range(retries + 1):
            if group is not None and self.group_interval:
                await self.take(f"group:{group}", self.group_interval)
            if chat_id is not None:
                await self.take("all", self.interval)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                seconds = retry_after_seconds(exc) + 0.1
                log.info("Telegram asked the bot to wait %.1f s: every replica waits", seconds)
                await self.pause(seconds)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def take(self, bucket: str, interval: float) -> None:
        """Reserve a slot and wait for it. A process that wakes up late (a busy CPU, a long
        garbage collection) takes a new slot instead of sending on the old one: sends of slots
        already past would go out together, a burst Telegram counts against the bot."""
        loop = asyncio.get_running_loop()
        for _ in range(LATE_RETRIES):
            wait = await self.reserve(bucket, interval)
            due = loop.time() + wait
            await asyncio.sleep(wait)
            if loop.time() - due <= max(interval, MIN_LATENESS):
                return

    async def reserve(self, bucket: str, interval: float) -> float:
        """Take the next slot of ``bucket``; return the seconds to wait for it."""
        loop = asyncio.get_running_loop()
        if loop.time() >= self._redis_again:
            try:
                assert self._reserve is not None, "initialize() registers the scripts"
                waited = await self._reserve(keys=[self._key(bucket), self._key("pause")],
                                             args=[round(interval * 1_000_000)])
                return max(int(waited), 0) / 1_000_000
            except Exception as exc:  # Redis down or slow: never stop sending, pace locally
                self._failed(exc)
        now = loop.time()
        slot = max(now, self._local.get(bucket, 0.0), self._local_pause)
        self._local[bucket] = slot + interval / self.fallback_share
        if len(self._local) > 10_000:  # groups come and go: keep only reservations still ahead
            self._local = {key: at for key, at in self._local.items() if at > now}
        return slot - now

    async def pause(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` (this process, and every replica through Redis)."""
        loop = asyncio.get_running_loop()
        self._local_pause = max(self._local_pause, loop.time() + seconds)
        if loop.time() >= self._redis_again:
            try:
                assert self._pause is not None, "initialize() registers the scripts"
                await self._pause(keys=[self._key("pause")], args=[round(seconds * 1_000_000)])
            except Exception as exc:
                self._failed(exc)

    def _key(self, bucket: str) -> str:
        return f"{self.prefix}:rate:{bucket}"

    def _failed(self, exc: Exception) -> None:
        now = asyncio.get_running_loop().time()
        self._redis_again = now + RETRY_REDIS_AFTER
        if now - self._warned >= WARN_EVERY:
            self._warned = now
            log.warning("rate limiter: Redis unreachable (%s); pacing this process at %d%% of the rates",
                        type(exc).__name__, round(self.fallback_share * 100))
