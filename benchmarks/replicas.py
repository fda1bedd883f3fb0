"""Telegram's per-bot limit across replicas: several push processes share one bot.

Each replica is a process running one push pass (the real Pusher, rate limiter on) over one
database, against a fake Bot API that enforces Telegram's flood limits for the bot as a whole
(30 messages in any second, 20 a minute per group) and answers 429 beyond them. Two setups:
- redis: every replica at the bot's rate (``--rate``, 25/s), sharing it through Redis;
- local: each replica with its own limiter at ``--local-rate`` (12/s: 36/s together, over
  Telegram's 30/s).
Printed per setup: the aggregate rate (average, and the busiest one-second window), 429s, and
chats that got more than one message. PostgreSQL when SPEECHBOT_TEST_DATABASE_URL is set (as
in production), else SQLite. Run: ``.venv/bin/python -m benchmarks.replicas --chats 3000``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks._report import report
from bot.fake.data import reset, seed_chats
from bot.fake.faults import FloodLimits
from bot.fake.server import FakeBotAPI
from bot.settings import Settings
from bot.storage import Store

REDIS_URL = os.environ.get("SPEECHBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


async def worker(url: str, base_url: str, token: str, limiter: str, rate: float, prefix: str, name: str) -> None:
    """Child process: one push pass as replica ``name``; prints its report as JSON."""
    import logging

    import bot.app
    from content import load_speech

    # The local limiters' 429s are counted by the fake; PTB logs each give-up with a traceback.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    bot.app.rate_limit_prefix = lambda _token: prefix  # type: ignore[assignment]  # a run of its own
    settings = Settings(token=None, database_url=url, rate_limiter=limiter, redis_url=REDIS_URL, rate_per_second=rate,
                        push_concurrency=16, push_batch=50)
    store = await Store.open(settings)
    pusher_bot = bot.app.push_bot(settings, token, base_url)
    async with pusher_bot:
        pusher = bot.app.make_pusher(pusher_bot, store, load_speech(), settings)
        pusher.worker = name
        result = await pusher.run_due()
    await store.close()
    print(json.dumps(result.to_dict()))


def busiest_second(times: list[float]) -> int:
    """The most messages in any one-second window (what Telegram counts)."""
    times = sorted(times)
    best, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


async def run(url: str, chats: int, replicas: int, limiter: str, rate: float) -> dict[str, object]:
    store = await Store.open(Settings(token=None, database_url=url))
    await reset(store)
    await seed_chats(store, range(100_000, 100_000 + chats), datetime.now(UTC) - timedelta(minutes=1))
    await store.close()
    fake = FakeBotAPI(flood=FloodLimits())
    await fake.start()
    prefix = f"speechbot-bench:{uuid.uuid4().hex}"
    children = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "benchmarks.replicas", "--worker", url, fake.base_url, fake.token, limiter, str(rate),
        prefix, f"replica-{n}", stdout=asyncio.subprocess.PIPE) for n in range(replicas)]
    reports = [json.loads((await child.communicate())[0]) for child in children]
    await fake.stop()
    sends = [c for c in fake.calls_to("sendMessage") if c.error is None]
    times = [c.at for c in sends]
    counts = Counter(int(c.params["chat_id"]) for c in sends)
    seconds = max(times) - min(times) if len(times) > 1 else 0.0
    return {
        "limiter": f"{limiter}, {rate:g}/s per replica" if limiter == "local" else f"redis, {rate:g}/s for the bot",
        "sent": sum(r["sent"] for r in reports),
        "msgs_per_s": round(len(sends) / seconds, 2) if seconds else 0.0,
        "busiest_second": busiest_second(times),
        "http_429": fake.http_429,
        "chats_sent_twice": sum(1 for n in counts.values() if n > 1),
        "unsent": chats - len(counts),
    }


async def main_async(args: argparse.Namespace) -> dict[str, object]:
    url = os.environ.get("SPEECHBOT_TEST_DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="speechbot-replicas-") as tmp:
        url = url or f"sqlite+aiosqlite:///{Path(tmp)}/replicas.sqlite3"
        result: dict[str, object] = {"chats": args.chats, "replicas": args.replicas,
                                     "database": url.split("+", 1)[0], "telegram_limit": "30/s for the bot"}
        started = time.perf_counter()
        for mode in args.modes.split(","):
            rate = args.rate if mode == "redis" else args.local_rate
            for key, value in (await run(url, args.chats, args.replicas, mode, rate)).items():
                result[f"{mode}.{key}"] = value
        result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _, _, url, base_url, token, limiter, rate, prefix, name = sys.argv
        asyncio.run(worker(url, base_url, token, limiter, float(rate), prefix, name))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=3_000)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--rate", type=float, default=25.0, help="the bot's rate with the shared limiter")
    parser.add_argument("--local-rate", type=float, default=12.0, help="each replica's rate with local limiters")
    parser.add_argument("--modes", default="redis,local")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report(asyncio.run(main_async(args)), args.json)


if __name__ == "__main__":
    main()
