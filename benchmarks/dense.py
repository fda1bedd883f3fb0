"""The dense search tier's costs: query latency, start-up, memory, and what a burst does to others.

1. ``speechbot search --json -`` as a process: time to its first answer (imports, the encoder,
   the embeddings from a warm cache), then per query (written one at a time, each answer read
   before the next is written) over every query of the evaluation sets (their text only).
2. The bot's peak RSS: ``python -m bot run`` polling the fake Bot API, after it has answered
   searches (the encoder and its embeddings loaded), read from ``/proc/PID/status`` (VmHWM).
3. Fairness: the real Application; one chat sends a burst of searches (all queued at once) and,
   in the same instant, other chats send /today. Their /today latency with and without the burst.
4. The embeddings of the speech: encoding them cold vs reading them from the cache.

Run: ``.venv/bin/python -m benchmarks.dense [--queries N] [--burst N] [--json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._report import percentile, report
from benchmarks.quality import load_cases

ROOT = Path(__file__).resolve().parents[1]


def queries(limit: int) -> list[str]:
    found = [item["q"] for name in ("dev", "heldout") for items in load_cases(name).values() for item in items]
    return (found * (limit // len(found) + 1))[:limit]


def cli_latency(texts: list[str], cache: Path) -> dict[str, float]:
    env = {**os.environ, "SPEECHBOT_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "bot", "search", "-", "--json"]
    subprocess.run(command, input="慎独\n", text=True, env=env, cwd=ROOT, capture_output=True, check=True)  # warm cache
    started = time.perf_counter()
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert child.stdin is not None and child.stdout is not None
    timings: list[float] = []
    first = 0.0
    for number, text in enumerate(texts):
        before = time.perf_counter()
        child.stdin.write(text.replace("\n", " ") + "\n")
        child.stdin.flush()
        child.stdout.readline()
        if number == 0:
            first = time.perf_counter() - started
        else:
            timings.append(time.perf_counter() - before)
    child.stdin.close()
    child.wait(30)
    return {"first_answer_s": round(first, 2), "p50_ms": round(percentile(timings, 50) * 1000, 2),
            "p99_ms": round(percentile(timings, 99) * 1000, 2), "max_ms": round(max(timings) * 1000, 1),
            "queries": len(timings)}


async def bot_rss(texts: list[str], cache: Path, folder: str) -> dict[str, float]:
    from bot.fake.server import FakeBotAPI

    fake = FakeBotAPI()
    base = await fake.start()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": base,
           "SPEECHBOT_CACHE_DIR": str(cache), "SPEECHBOT_DATABASE_URL": f"sqlite+aiosqlite:///{folder}/rss.sqlite3",
           "SPEECHBOT_HTTP_PORT": "0", "SPEECHBOT_PUSH_ENABLED": "false"}
    child = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", env=env, cwd=folder,
                                                 stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    try:
        user = fake.user(5001, "测", "zh-hans")
        for text in texts:
            fake.message(5001, user, f"/search {text}")
        deadline = time.monotonic() + 120
        while len(fake.calls_to("sendMessage", 5001)) < len(texts) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        answered = len(fake.calls_to("sendMessage", 5001))
        status = Path(f"/proc/{child.pid}/status").read_text()
        peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        return {"searches_answered": answered, "peak_rss_mb": round(peak / 1024, 1)}
    finally:
        child.terminate()
        await child.wait()
        await fake.stop()


async def fairness(texts: list[str], burst: int, cache: Path, folder: str) -> dict[str, float]:
    from bot.fake.local import LocalBot
    from bot.settings import Settings

    settings = Settings(token=None, database_url=f"sqlite+aiosqlite:///{folder}/fair.sqlite3", push_enabled=False,
                        rate_limit=False, cache_dir=cache)
    async with LocalBot(settings) as bot:
        readers = [bot.private(user_id=7000 + i) for i in range(10)]
        searcher = bot.private(user_id=6000)
        await searcher.send("/search 慎独")  # the encoder and the embeddings are loaded

        async def todays() -> list[float]:
            async def one(chat: Any) -> float:
                started = time.perf_counter()
                await chat.send("/today")
                return time.perf_counter() - started
            return list(await asyncio.gather(*(one(chat) for chat in readers)))

        alone = [t for _ in range(3) for t in await todays()]
        updates = [bot.fake.message(6000, searcher.user, f"/search {text}") for text in texts[:burst]]
        started = time.perf_counter()
        during = await todays()
        for update in updates:
            await bot.process(update, timeout=120)
        burst_s = time.perf_counter() - started
    return {"today_alone_p50_ms": round(percentile(alone, 50) * 1000, 1),
            "today_alone_max_ms": round(max(alone) * 1000, 1),
            "today_during_burst_p50_ms": round(percentile(during, 50) * 1000, 1),
            "today_during_burst_max_ms": round(max(during) * 1000, 1),
            "burst_searches": burst, "burst_s": round(burst_s, 2)}


def embeddings(cache: Path) -> dict[str, float]:
    from content import load_speech
    from content.dense import DenseIndex
    from content.encoder import load_encoder
    from content.glosses import glosses_for

    speech = load_speech()
    encoder = load_encoder("use")
    assert encoder is not None
    encoder.encode(["warm"])
    with tempfile.TemporaryDirectory() as empty:
        started = time.perf_counter()
        index = DenseIndex.build(speech, encoder, Path(empty), glosses_for(speech))
        cold = time.perf_counter() - started
        started = time.perf_counter()
        DenseIndex.build(speech, encoder, Path(empty), glosses_for(speech))
        warm = time.perf_counter() - started
    return {"rows": len(index.rows), "encode_s": round(cold, 3), "from_cache_ms": round(warm * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--burst", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    texts = queries(args.queries)
    with tempfile.TemporaryDirectory(prefix="speechbot-dense-") as folder:
        cache = Path(folder) / "cache"
        result: dict[str, Any] = {}
        result.update({f"cli_{k}": v for k, v in cli_latency(texts, cache).items()})
        result.update(embeddings(cache))
        result.update(asyncio.run(bot_rss(texts[: min(50, len(texts))], cache, folder)))
        result.update(asyncio.run(fairness(texts, args.burst, cache, folder)))
    report(result, args.json)


if __name__ == "__main__":
    main()
