"""The reader (Mini App): page weight, time to first render in headless Chromium, and the API's
latency under many concurrent readers.

- Page weight: the page, its CSS and its JS module as served (no compression), and gzipped;
  the first screen's one API answer (``/start``: the outline, the whole text, the member's own).
- First render: Debian's headless Chromium (Selenium, chromium-driver) at 390×844 loads the page
  from the real bot's reader on 127.0.0.1 ``--loads`` times; the median time from navigation start
  to the first contentful paint, and to the text on screen (the page's ``reader-ready`` mark,
  after its one API call). Skipped with a note when Chromium is not installed.
- API under load: ``--readers`` concurrent readers (each its own user and initData) each make
  ``--rounds`` rounds of what a reader does: the first screen, a search (a rotating set of
  queries, the bot's own search service), the place, a bookmark (on, then off the next round),
  one node. Bounded (readers × rounds × 5 requests) on loopback, from a process of their own, the rate limit raised
  out of the way; p50/p99 per kind of call and overall, with requests per second. The server is
  the bot's own (with the fake Bot API in the same process) on SQLite.

Run: ``.venv/bin/python -m benchmarks.reader [--readers 50] [--rounds 10] [--loads 5] [--database-url URL]
[--json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks._report import percentile, report
from bot.fake.local import LocalBot
from bot.reader.initdata import local_init_data
from bot.reader.routes import INIT_HEADER, PAGES, STATIC
from bot.settings import Settings

QUERIES = ["慎独", "抓铁有痕", "纪律", "当官的能不能收礼", "招商引资", "how to prevent corruption", "shendu", "蝇贪"]
NODES = ["1.1", "2.2", "3.5", "4.2", "4.2.3", "closing", "preface", "4.3.1"]
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


def page_weight() -> dict[str, int]:
    raw = {name: (STATIC / name).read_bytes() for name in PAGES}
    return {"page_bytes": sum(map(len, raw.values())),
            "page_gzip_bytes": sum(len(gzip.compress(body)) for body in raw.values())}


def first_render(url_of: Any, loads: int) -> dict[str, Any]:
    """Median ms to first contentful paint and to the text on screen, over ``loads`` cold loads."""
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        return {"first_render": "skipped: chromium and chromium-driver are not installed"}
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    paints, readies = [], []
    for n in range(loads):
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     f"--user-data-dir={tempfile.mkdtemp(prefix='speechbot-bench-')}", "--window-size=390,844"):
            options.add_argument(flag)
        options.binary_location = str(CHROMIUM)
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
        try:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
            driver.get(url_of(n))
            deadline = time.monotonic() + 30
            ready = None
            while ready is None and time.monotonic() < deadline:
                ready = driver.execute_script(
                    "const m = performance.getEntriesByName('reader-ready'); return m.length ? m[0].startTime : null")
                if ready is None:
                    time.sleep(0.02)
            paint = driver.execute_script("const p = performance.getEntriesByName('first-contentful-paint');"
                                          "return p.length ? p[0].startTime : null")
            if ready is not None:
                readies.append(float(ready))
            if paint is not None:
                paints.append(float(paint))
        finally:
            driver.quit()
    return {"first_contentful_paint_ms": round(statistics.median(paints), 1) if paints else None,
            "text_on_screen_ms": round(statistics.median(readies), 1) if readies else None, "loads": loads}


async def load(base: str, token: str, readers: int, rounds: int) -> dict[str, Any]:
    """Concurrent readers, each making ``rounds`` rounds of five calls; latencies per kind."""
    times: dict[str, list[float]] = defaultdict(list)
    errors = 0
    api = f"{base}/api/texts/default"

    async def reader(number: int, http: aiohttp.ClientSession) -> None:
        nonlocal errors
        headers = {INIT_HEADER: local_init_data(token, 900_000 + number, f"R{number}", "zh-hans", time.time())}
        for n in range(rounds):
            calls = [("start", "GET", "/start", None),
                     ("search", "GET", f"/search?q={QUERIES[(number + n) % len(QUERIES)]}", None),
                     ("position", "PUT", "/position", {"at": (number * 97 + n * 389) % 5000}),
                     ("bookmark", "DELETE" if n % 2 else "PUT", f"/bookmarks/n:{NODES[n // 2 % len(NODES)]}", None),
                     ("node", "GET", f"/nodes/{NODES[(number + n) % len(NODES)]}", None)]
            for kind, method, path, body in calls:
                started = time.perf_counter()
                async with http.request(method, api + path, headers=headers, json=body) as response:
                    await response.read()
                    errors += response.status != 200
                times[kind].append((time.perf_counter() - started) * 1000)

    connector = aiohttp.TCPConnector(limit=readers)
    async with aiohttp.ClientSession(connector=connector) as http:
        warm_up = {INIT_HEADER: local_init_data(token, 1, "w", "zh-hans", time.time())}
        async with http.get(f"{api}/search?q=warm", headers=warm_up) as warm:
            await warm.read()  # the encoder and the indexes, as the bot warms them at start
        started = time.perf_counter()
        await asyncio.gather(*(reader(number, http) for number in range(readers)))
        elapsed = time.perf_counter() - started
    every = [t for values in times.values() for t in values]
    result: dict[str, Any] = {"readers": readers, "requests": len(every), "errors": errors,
                              "requests_per_second": round(len(every) / elapsed, 1),
                              "api_p50_ms": round(percentile(every, 50), 2),
                              "api_p99_ms": round(percentile(every, 99), 2)}
    for kind, values in times.items():
        result[f"{kind}_p50_p99_ms"] = f"{percentile(values, 50):.2f} / {percentile(values, 99):.2f}"
    return result


async def main(args: argparse.Namespace) -> dict[str, Any]:
    folder = tempfile.mkdtemp(prefix="speechbot-reader-bench-")
    settings = Settings(token=None, push_enabled=False, rate_limit=False, webapp_rate_per_minute=10000,
                        database_url=args.database_url or f"sqlite+aiosqlite:///{folder}/bench.sqlite3",
                        cache_dir=Path(tempfile.gettempdir()) / "speechbot-test-cache")
    result: dict[str, Any] = page_weight()
    async with LocalBot(settings) as bot:
        assert bot.services is not None  # the warm-ups the bot starts in threads: done before timing
        await asyncio.to_thread(bot.services.searcher.warm)
        await asyncio.to_thread(bot.services.summaries.warm)
        base = await bot.serve_reader()
        api = f"{base}/api/texts/default/start"
        first = {INIT_HEADER: local_init_data(bot.fake.token, 1, "w", "zh-hans", time.time())}
        async with aiohttp.ClientSession() as http, http.get(api, headers=first) as response:
            body = await response.read()
        result.update(first_screen_api_bytes=len(body), first_screen_api_gzip_bytes=len(gzip.compress(body)))
        if args.loads:
            result.update(await asyncio.to_thread(
                first_render, lambda n: bot.reader_url(base, 800_000 + n, "B"), args.loads))
        # The readers in a process of their own: the server is measured, not the client sharing its CPU.
        client = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "benchmarks.reader", "--client", base, "--readers", str(args.readers),
            "--rounds", str(args.rounds), env={**os.environ, "READER_BENCH_TOKEN": bot.fake.token},
            stdout=asyncio.subprocess.PIPE)
        cpu = time.process_time()
        out, _ = await client.communicate()
        assert client.returncode == 0, "the load client failed"
        result.update(json.loads(out))
        # The server's own CPU per request (the bot, the fake Bot API and the reader share the process).
        result["server_cpu_ms_per_request"] = round((time.process_time() - cpu) * 1000 / result["requests"], 2)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=50, help="concurrent readers (default 50)")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of five calls per reader (default 10)")
    parser.add_argument("--loads", type=int, default=5, help="cold page loads in Chromium (0: none; default 5)")
    parser.add_argument("--database-url", help="default: a new SQLite file (postgresql+asyncpg://… works)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--client", metavar="BASE", help=argparse.SUPPRESS)  # the load, run by main()
    arguments = parser.parse_args()
    if arguments.client:
        token = os.environ["READER_BENCH_TOKEN"]
        print(json.dumps(asyncio.run(load(arguments.client, token, arguments.readers, arguments.rounds))))
    else:
        report(asyncio.run(main(arguments)), arguments.json)
