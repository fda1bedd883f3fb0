"""The daily push at scale, through the real Pusher, SQLite and the fake Bot API over HTTP.

Three runs, each in a fresh worker process (so its peak RSS is its own) against the fake Bot
API in this process:
- unlimited: ``--chats`` chats (default 10,000), rate limiter off — is the bot ever the
  bottleneck?
- limited: ``--limited-chats`` chats (default 600, ~25 s at 25/s) with the rate limiter on and
  the fake enforcing Telegram's flood limits (30/s per bot, 20/min per group): the achieved
  rate against the configured one, and how many 429s.
- memory: peak RSS of the worker for ``--small`` (1,000) vs ``--chats`` chats.
Duplicates are counted by the fake (chats that received more than one message).
Run: ``.venv/bin/python -m benchmarks.push --chats 10000 [--json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks._report import report
from bot.fake.data import reset, seed_chats
from bot.fake.faults import FloodLimits
from bot.fake.server import FakeBotAPI
from bot.settings import Settings
from bot.storage import Store


async def seed(url: str, chats: int) -> None:
    store = await Store.open(Settings(token=None, database_url=url))
    await reset(store)
    due = datetime.now(UTC) - timedelta(minutes=1)
    await seed_chats(store, range(100_000, 100_000 + chats), due)
    await store.close()


async def worker(url: str, base_url: str, token: str, limited: bool, concurrency: int) -> None:
    """Child process: one push pass; prints sent, seconds and peak RSS as JSON."""
    import resource

    from bot.app import make_pusher, push_bot
    from content import load_speech

    settings = Settings(token=None, rate_limit=limited, push_concurrency=concurrency, database_url=url)
    store = await Store.open(settings)
    bot = push_bot(settings, token, base_url)
    started = time.perf_counter()
    async with bot:
        report = await make_pusher(bot, store, load_speech(), settings).run_due()
    seconds = time.perf_counter() - started
    await store.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"sent": report.sent, "seconds": seconds, "failed": report.failed,
                      "rss_mb": usage.ru_maxrss / 1024, "cpu_s": usage.ru_utime + usage.ru_stime,
                      "configured_rate": settings.rate_per_second}))


async def run(fake: FakeBotAPI, folder: Path, name: str, chats: int, limited: bool, concurrency: int) -> dict:
    url = f"sqlite+aiosqlite:///{folder}/{name}.sqlite3"
    await seed(url, chats)
    before = len(fake.calls)
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "benchmarks.push", "--worker", url, fake.base_url, fake.token,
        "limited" if limited else "unlimited", str(concurrency), stdout=asyncio.subprocess.PIPE)
    out, _ = await child.communicate()
    result = json.loads(out)
    counts = Counter(c.params.get("chat_id") for c in fake.calls[before:] if c.method == "sendMessage" and
                     c.error is None)
    result["duplicates"] = sum(n - 1 for n in counts.values())
    result["chats"] = chats
    return result


async def main_async(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="speechbot-push-bench-") as tmp:
        folder = Path(tmp)
        fake = FakeBotAPI()
        await fake.start()
        large = await run(fake, folder, "large", args.chats, False, args.concurrency)
        small = await run(fake, folder, "small", args.small, False, args.concurrency)
        await fake.stop()
        flood = FakeBotAPI(flood=FloodLimits())
        await flood.start()
        limited = await run(flood, folder, "limited", args.limited_chats, True, args.concurrency)
        await flood.stop()
    return {
        "chats": args.chats,
        "sent": large["sent"],
        "duplicates": large["duplicates"] + small["duplicates"] + limited["duplicates"],
        "unlimited_msgs_per_s": round(large["sent"] / large["seconds"], 1),
        "limited_chats": args.limited_chats,
        "limited_msgs_per_s": round(limited["sent"] / limited["seconds"], 2),
        "configured_rate": limited["configured_rate"],
        "limited_ratio": round(limited["sent"] / limited["seconds"] / limited["configured_rate"], 3),
        "http_429": flood.http_429,
        "small_chats": args.small,
        "peak_rss_mb_small": round(small["rss_mb"], 1),
        "peak_rss_mb_large": round(large["rss_mb"], 1),
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _, _, url, base_url, token, mode, concurrency = sys.argv
        asyncio.run(worker(url, base_url, token, mode == "limited", int(concurrency)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--limited-chats", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    report(result, args.json)


if __name__ == "__main__":
    main()
