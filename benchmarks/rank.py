"""/rank at scale on PostgreSQL: one group with ``--members`` members who answered
``--per-week`` quizzes a week for ``--weeks`` weeks; the latency of the weekly ranking.
Uses the database at ``--db-url`` (default: SPEECHBOT_TEST_DATABASE_URL, else the local
``test`` database) and empties its answers table.
Run: ``.venv/bin/python -m benchmarks.rank [--members 10000] [--weeks 52] [--per-week 2] [--json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from typing import Any

from sqlalchemy import text

from benchmarks._report import percentile, report
from bot.settings import Settings
from bot.storage import Store

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
CHAT = -100777
SEED = """
INSERT INTO answers (poll_id, user_id, chat_id, name, correct, week, answered_at)
SELECT 'p' || w || '-' || q, 2000000 + m, :chat, 'member ' || m, (m + w + q) % 3 <> 0,
       to_char(date '2025-01-06' + (w * 7), 'IYYY') || '-W' || to_char(date '2025-01-06' + (w * 7), 'IW'), now()
FROM generate_series(0, :weeks - 1) AS w, generate_series(1, :per_week) AS q, generate_series(1, :members) AS m
"""


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    store = await Store.open(Settings(token=None, database_url=args.db_url))
    started = time.perf_counter()
    async with store.db.engine.begin() as connection:
        await connection.execute(text("TRUNCATE answers"))
        await connection.execute(text(SEED), {"chat": CHAT, "weeks": args.weeks, "per_week": args.per_week,
                                              "members": args.members})
        await connection.execute(text("ANALYZE answers"))
        weeks = [row[0] for row in await connection.execute(text("SELECT DISTINCT week FROM answers"))]
        rows = await connection.scalar(text("SELECT count(*) FROM answers"))
    seeded = time.perf_counter() - started
    timings = []
    for _ in range(args.queries):
        week = random.choice(weeks)
        begin = time.perf_counter()
        standings = await store.study.rank(CHAT, week)
        timings.append(time.perf_counter() - begin)
        assert standings
    async with store.db.engine.begin() as connection:
        await connection.execute(text("TRUNCATE answers"))
    await store.close()
    return {"members": args.members, "weeks": args.weeks, "answers": rows, "seed_s": round(seeded, 1),
            "rank_p50_ms": round(percentile(timings, 50) * 1000, 2),
            "rank_p99_ms": round(percentile(timings, 99) * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--per-week", type=int, default=2)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--db-url", default=os.environ.get("SPEECHBOT_TEST_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report(asyncio.run(main_async(args)), args.json)


if __name__ == "__main__":
    main()
