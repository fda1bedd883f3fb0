"""The daily push at scale on PostgreSQL: does a pass stay as fast and as small with a million
subscribed chats as with ten thousand?

For each size, the chats table is filled with that many due subscriptions (one INSERT … SELECT
FROM generate_series), then a fresh worker process runs the real Pusher against the fake Bot
API (rate limiter off) until it has sent ``--sends`` reminders, and reports the latency of each
``claim_due`` batch (p50, p99), messages per second, and its peak RSS. Flat figures across
sizes mean the pass costs what it sends, not what is stored.

Uses the database at ``--db-url`` (default: SPEECHBOT_TEST_DATABASE_URL, else the local
``test`` database) and empties its chats and deliveries.
Run: ``.venv/bin/python -m benchmarks.scale --sizes 10000,100000,1000000 [--sends 20000] [--json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from typing import Any

from sqlalchemy import text

from benchmarks._report import percentile, report
from bot.fake.server import FakeBotAPI
from bot.settings import Settings
from bot.storage import Store

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
SEED = """
INSERT INTO chats (chat_id, kind, lang, subscribed, paused, push_time, timezone, next_due_at, updated_at)
SELECT 1000000 + g, 'private', 'zh', true, false, '08:00', 'Asia/Shanghai',
       now() - interval '1 minute' - (g % 600) * interval '1 second', now()
FROM generate_series(1, :n) AS g
"""


async def seed(url: str, chats: int) -> float:
    store = await Store.open(Settings(token=None, database_url=url))
    started = time.perf_counter()
    async with store.db.engine.begin() as connection:
        await connection.execute(text("TRUNCATE chats, deliveries"))
        await connection.execute(text(SEED), {"n": chats})
        await connection.execute(text("ANALYZE chats"))
    await store.close()
    return time.perf_counter() - started


async def worker(url: str, base_url: str, token: str, sends: int, concurrency: int) -> None:
    """Child process: one pass until ``sends`` reminders went out; prints its figures as JSON."""
    import resource

    from bot.app import make_pusher, push_bot
    from content import load_speech

    settings = Settings(token=None, rate_limit=False, push_concurrency=concurrency, database_url=url)
    store = await Store.open(settings)
    bot = push_bot(settings, token, base_url)
    claims: list[float] = []
    finishes: list[float] = []

    def timed(method: Any, into: list[float]) -> Any:
        async def call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await method(*args, **kwargs)
            finally:
                into.append(time.perf_counter() - started)
        return call

    store.deliveries.claim_due = timed(store.deliveries.claim_due, claims)  # type: ignore[method-assign]
    store.deliveries.finish_many = timed(store.deliveries.finish_many, finishes)  # type: ignore[method-assign]
    async with bot:

        class Counting:
            """The bot as the pusher sees it, stopping the pass after ``sends`` messages."""

            count = 0

            async def send_message(self, *args: Any, **kwargs: Any) -> Any:
                result = await bot.send_message(*args, **kwargs)
                self.count += 1
                if self.count >= sends:
                    pusher.stop()
                return result

        pusher = make_pusher(Counting(), store, load_speech(), settings)
        started = time.perf_counter()
        result = await pusher.run_due()
        seconds = time.perf_counter() - started
    await store.close()
    if os.environ.get("SCALE_TRACEMALLOC"):
        import tracemalloc

        for stat in tracemalloc.take_snapshot().statistics("lineno")[:8]:
            print(stat, file=sys.stderr)
    print(json.dumps({"sent": result.sent, "released": result.released, "seconds": seconds,
                      "claim_ms": [c * 1000 for c in claims], "finish_ms": [f * 1000 for f in finishes],
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


async def run_size(url: str, fake: FakeBotAPI, chats: int, sends: int, concurrency: int) -> dict[str, Any]:
    seed_s = await seed(url, chats)
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "benchmarks.scale", "--worker", url, fake.base_url, fake.token, str(sends),
        str(concurrency), stdout=asyncio.subprocess.PIPE)
    out, _ = await child.communicate()
    figures = json.loads(out)
    return {"chats": chats, "seed_s": round(seed_s, 1), "sent": figures["sent"],
            "claim_p50_ms": round(percentile(figures["claim_ms"], 50), 1),
            "claim_p99_ms": round(percentile(figures["claim_ms"], 99), 1),
            "finish_p50_ms": round(percentile(figures["finish_ms"], 50), 1),
            "finish_p99_ms": round(percentile(figures["finish_ms"], 99), 1),
            "finish_first_last_ms": [round(sum(part) / len(part), 1) for part in _halves(figures["finish_ms"])],
            "msgs_per_s": round(figures["sent"] / figures["seconds"], 1), "peak_rss_mb": round(figures["rss_mb"], 1)}


def _halves(values: list[float]) -> list[list[float]]:
    middle = max(1, len(values) // 2)
    return [values[:middle], values[middle:] or values[:middle]]


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    fake = FakeBotAPI(record=False)  # a million calls of history would slow the fake, not the bot
    await fake.start()
    try:
        return [await run_size(args.db_url, fake, size, min(args.sends, size), args.concurrency)
                for size in args.sizes]
    finally:
        await fake.stop()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _, _, url, base_url, token, sends, concurrency = sys.argv
        if os.environ.get("SCALE_TRACEMALLOC"):
            import tracemalloc

            tracemalloc.start()
        asyncio.run(worker(url, base_url, token, int(sends), int(concurrency)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=lambda v: [int(x) for x in v.split(",")], default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--sends", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--db-url", default=os.environ.get("SPEECHBOT_TEST_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = asyncio.run(main_async(args))
    if args.json:
        print(json.dumps(rows))
        return
    for row in rows:
        report(row, False)
        print()


if __name__ == "__main__":
    main()
