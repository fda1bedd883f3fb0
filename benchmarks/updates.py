"""Updates through the whole stack: our bot vs a bare python-telegram-bot echo bot.

Both run as real Applications polling the fake Bot API over HTTP on 127.0.0.1 (``bot.local``),
with the same transport and concurrency settings, so the difference is what our handlers cost.
Workload: N updates over 50 private chats, mixed: /search (a rotating set of queries), /quote,
/show ID, and outline button presses (Read callbacks that edit a message in place). The echo
bot echoes text and answers callback queries. All updates are queued at once; throughput is N
over the time until the last is handled, latency is queue-to-handled per update. CPU is the
process's CPU time per update while they are handled (the fake's share included, as it runs in
the same process): steadier than throughput when other work shares the cores.
Run: ``.venv/bin/python -m benchmarks.updates --updates 2000 [--json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from benchmarks._report import percentile, report
from bot.app import App
from bot.fake.local import LocalBot
from bot.settings import Settings
from bot.transport import AiohttpRequest

QUERIES = ["慎独", "抓铁有恨", "yi gang shuang ze", "纪律 戒尺", "不受监督的权力", "招商引资", "shendu", "蝇贪蚁腐"]
IDS = ["1.1", "2.2", "3.5", "4.2", "4.2.3", "四（三）", "closing", "preface"]
CHATS = 50


def echo_factory(settings: Settings, token: str) -> App:
    """The baseline: PTB's echo bot, with our transport and concurrency settings."""

    async def echo(update: Update, context: Any) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "")

    async def answer(update: Update, context: Any) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()

    app = (Application.builder().token(token).base_url(settings.api_base_url)
           .request(AiohttpRequest(256)).get_updates_request(AiohttpRequest(1))
           .concurrent_updates(settings.concurrent_updates).build())
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(answer))
    return app  # type: ignore[return-value]



def make(bot: LocalBot, chats: list[Any], outlines: list[Any], n: int) -> dict[str, Any]:
    """Queue the n-th update of the mix (building an update queues it in the fake)."""
    fake = bot.fake
    chat = chats[n % CHATS]
    kind = n % 4
    if kind == 0:
        return fake.message(chat.chat_id, chat.user, f"/search {QUERIES[n % len(QUERIES)]}")
    if kind == 1:
        return fake.message(chat.chat_id, chat.user, "/quote")
    if kind == 2:
        return fake.message(chat.chat_id, chat.user, f"/show {IDS[n % len(IDS)]}")
    return fake.press(outlines[n % CHATS], f"r|{IDS[n % 5]}|0", chat.user)


async def measure(bot: LocalBot, updates: int, latency_updates: int = 200) -> dict[str, float]:
    fake = bot.fake
    chats = [bot.private(user_id=10_000 + i) for i in range(CHATS)]
    outlines = [(await chat.send("/outline")).messages[0] for chat in chats]  # messages to press on
    await chats[0].send("/summary 1.1")  # warm-up: lazy caches, jieba
    queued = [make(bot, chats, outlines, n) for n in range(updates)]
    started, cpu = time.perf_counter(), time.process_time()
    for update in queued:
        await bot.process(update, timeout=120)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    latencies = []
    for n in range(latency_updates):  # one at a time: latency without queueing
        before = time.perf_counter()
        await bot.process(make(bot, chats, outlines, n), timeout=30)
        latencies.append((time.perf_counter() - before) * 1000)
    errors = [c for c in fake.calls if c.error is not None and "not modified" not in c.error.description]
    return {"updates_per_s": updates / elapsed, "cpu_ms": cpu / updates * 1000, "p50_ms": percentile(latencies, 50),
            "p99_ms": percentile(latencies, 99), "errors": len(errors)}


async def run(updates: int, latency_updates: int = 200) -> dict[str, float | int]:
    results = {}
    with tempfile.TemporaryDirectory(prefix="speechbot-updates-") as folder:
        settings = Settings(token=None, database_url=f"sqlite+aiosqlite:///{folder}/u.sqlite3", push_enabled=False,
                            rate_limit=False)
        for name, factory in (("echo", echo_factory), ("ours", None)):
            async with LocalBot(settings, app_factory=factory) as bot:
                results[name] = await measure(bot, updates, latency_updates)
    return {
        "updates": updates,
        "ours_updates_per_s": round(results["ours"]["updates_per_s"], 1),
        "echo_updates_per_s": round(results["echo"]["updates_per_s"], 1),
        "ratio": round(results["ours"]["updates_per_s"] / results["echo"]["updates_per_s"], 3),
        "ours_p50_ms": round(results["ours"]["p50_ms"], 1),
        "ours_p99_ms": round(results["ours"]["p99_ms"], 1),
        "echo_p50_ms": round(results["echo"]["p50_ms"], 1),
        "echo_p99_ms": round(results["echo"]["p99_ms"], 1),
        "ours_cpu_ms": round(results["ours"]["cpu_ms"], 2),
        "echo_cpu_ms": round(results["echo"]["cpu_ms"], 2),
        "ours_errors": int(results["ours"]["errors"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--latency-updates", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(run(args.updates, args.latency_updates))
    report(result, args.json)


if __name__ == "__main__":
    main()
