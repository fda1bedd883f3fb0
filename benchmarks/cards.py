"""Quote cards: render time per card, and the daily push with cards vs text through the fake
Bot API (rate limiter off), counting uploads: a card pushed to N chats should be uploaded once.
Run: ``.venv/bin/python -m benchmarks.cards [--chats 2000] [--json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update

from benchmarks._report import percentile, report
from bot.app import make_pusher, push_bot, reminder_ranking
from bot.fake.data import seed_chats
from bot.fake.server import FakeBotAPI
from bot.settings import Settings
from bot.storage import Store
from bot.storage.tables import ChatRow
from content import load_speech
from content.cards import quote_card, render
from content.quotes import candidates
from content.shen import reminder
from handlers import sharing


def render_times() -> dict[str, Any]:
    speech = load_speech()
    specs = [quote_card(q.text, q.label) for q in candidates(speech)]
    ranking = reminder_ranking(speech, Settings(token=None))
    for offset in range(31):
        specs.append(sharing.today_spec(reminder(speech, date(2026, 12, 1) + timedelta(days=offset), ranking)))
    render(specs[0])  # fonts loaded outside the timings
    times, sizes = [], []
    for spec in specs:
        started = time.perf_counter()
        sizes.append(len(render(spec)))
        times.append(time.perf_counter() - started)
    return {"cards": len(specs), "render_p50_ms": round(percentile(times, 50) * 1000, 1),
            "render_p99_ms": round(percentile(times, 99) * 1000, 1),
            "png_kb_median": round(sorted(sizes)[len(sizes) // 2] / 1024)}


async def push(folder: Path, chats: int, form: str) -> dict[str, Any]:
    fake = FakeBotAPI(record=False)
    await fake.start()
    settings = Settings(token=None, rate_limit=False, database_url=f"sqlite+aiosqlite:///{folder}/{form}.db",
                        push_concurrency=32)
    store = await Store.open(settings)
    await seed_chats(store, range(500_000, 500_000 + chats), datetime.now(UTC) - timedelta(minutes=1))
    async with store.db.sessions.begin() as session:
        await session.execute(update(ChatRow).values(reminder_format=form))
    bot = push_bot(settings, fake.token, fake.base_url)
    async with bot:
        started = time.perf_counter()
        result = await make_pusher(bot, store, load_speech(), settings).run_due()
        seconds = time.perf_counter() - started
    await store.close()
    await fake.stop()
    return {f"{form}_sent": result.sent, f"{form}_msgs_per_s": round(result.sent / seconds, 1),
            f"{form}_uploads": fake.uploads}


async def main_async(chats: int) -> dict[str, Any]:
    figures = render_times()
    with tempfile.TemporaryDirectory(prefix="speechbot-cards-") as folder:
        for form in ("text", "card"):
            figures.update(await push(Path(folder), chats, form))
    figures["chats"] = chats
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report(asyncio.run(main_async(args.chats)), args.json)


if __name__ == "__main__":
    main()
