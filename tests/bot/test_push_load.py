"""The daily push under load: two workers, CPU contention, a slow fake Bot API that fails the
ways Telegram and a busy database do, and a lease that runs out mid-pass (as on a busy machine,
where a pass outlasts it). Delivery is counted per chat across repeated passes, up to a pass
ten minutes later that must find nothing to send."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from telegram.ext import ExtBot

from bot.fake.data import deliveries, reset, seed_chats
from bot.fake.server import FakeBotAPI
from bot.push import Pusher
from bot.storage import Store
from bot.storage import deliveries as protocol
from bot.transport import AiohttpRequest
from content import Speech
from tests.bot.conftest import BACKENDS, database_url, open_store
from tests.helpers import wait_until

# 5 min in production; a pass here outlasts 8 s as one there can outlast 5 min. The last fifth of
# a lease is the time a send in flight has to finish: 60 s there, 1.6 s here, CPU contention included.
LEASE = timedelta(seconds=8)
BOUND = 150.0  # seconds: the whole test, whatever the machine
pytestmark = pytest.mark.slow


def spinners() -> list[subprocess.Popen[bytes]]:
    """One busy loop per core: the bot, the fake and the database fight for the CPU."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]


def flaky_group_commits(store: Store, every: int) -> None:
    """Every ``every``-th group commit of ``store`` fails before writing, as PostgreSQL's do
    under load (a deadlock, a dropped connection): the transaction never happens."""
    real = store.deliveries.finish_many
    calls = 0

    async def finish_many(*args: Any, **kwargs: Any) -> list[str]:
        nonlocal calls
        calls += 1
        if calls % every == 0:
            raise OperationalError("UPDATE deliveries …", {}, Exception("deadlock detected"))
        return await real(*args, **kwargs)

    store.deliveries.finish_many = finish_many  # type: ignore[method-assign]


async def until_done(store: Store, chats: int, timeout: float) -> None:
    """Return once every chat's delivery is final (sent, or uncertain: it may have arrived);
    ``TimeoutError`` after ``timeout`` seconds."""

    async def done() -> bool:
        rows = await deliveries(store)
        return len(rows) == chats and all(row.status in protocol.FINAL for row in rows)

    await wait_until(done, timeout, interval=0.2, what=f"every one of {chats} deliveries final")


async def worker_loop(pusher: Pusher, stop: asyncio.Event) -> None:
    """A replica's push job: a pass, a short pause, again."""
    while not stop.is_set():
        await pusher.run_due()
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_no_chat_gets_its_reminder_twice_under_load(backend: str, tmp_path: Path, speech: Speech,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(protocol, "LEASE", LEASE)
    url = database_url(backend, tmp_path)
    one, two = await open_store(url), await open_store(url)
    await reset(one)
    fake = FakeBotAPI()
    await fake.start()
    fake.delay = 0.02  # a slow Telegram
    ids = list(range(700_000, 700_000 + (400 if backend == "postgresql" else 200)))
    for n, chat_id in enumerate(ids):
        if n % 25 == 0:
            fake.fail("hang_up", chat_id)  # acted on, then the connection drops before the answer
        elif n % 30 == 1:
            fake.fail("retry_after", chat_id, value=3, times=3)  # 9 s of 429s: longer than the lease
        elif n % 40 == 2:
            fake.fail("slow_reply", chat_id, value=2.0)  # sent, answered after the read timeout
        elif n % 35 == 3:
            fake.fail("server_error", chat_id)
    flaky_group_commits(one, every=6)
    bots: list[ExtBot[None]] = []
    spin = spinners()
    stop = asyncio.Event()
    started = time.monotonic()
    try:
        await seed_chats(one, ids, one.clock() - timedelta(minutes=1))
        pushers = []
        for number, store in enumerate((one, two), 1):
            bot = ExtBot(fake.token, base_url=fake.base_url, request=AiohttpRequest(read_timeout=1.0))
            await bot.initialize()
            bots.append(bot)
            pushers.append(Pusher(bot, store, speech, concurrency=8, batch=40, worker=f"w{number}", backoff=0.05))
        loops = [asyncio.create_task(worker_loop(pusher, stop)) for pusher in pushers]
        try:
            await until_done(one, len(ids), BOUND)
        finally:
            stop.set()
            await asyncio.gather(*loops)
        later = one.clock() + timedelta(minutes=10)  # "a pass ten minutes after": nothing is due
        assert [(await pusher.run_due(later)).sent for pusher in pushers] == [0, 0]
        received = Counter(int(c.params["chat_id"]) for c in fake.calls_to("sendMessage") if c.error is None)
        twice = {chat_id: n for chat_id, n in received.items() if n > 1}
        rows = {row.chat_id: (row.status, row.worker, row.attempts) for row in await deliveries(one)}
        assert not twice, f"{len(twice)} chats got their reminder more than once: " + ", ".join(
            f"{chat_id} ×{n} {rows.get(chat_id)}" for chat_id, n in sorted(twice.items())[:10])
        unknown = {chat_id for chat_id, (status, _, _) in rows.items() if status == "uncertain"}
        assert set(ids) - set(received) <= unknown  # nobody skipped but where Telegram's answer never came
        assert time.monotonic() - started < BOUND
    finally:
        for process in spin:
            process.kill()
            process.wait(30)
        for bot in bots:
            await bot.shutdown()
        await fake.stop()
        await reset(one)
        await one.close()
        await two.close()
