"""The daily push against the fake Bot API: every error path, two workers, a killed worker."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram.ext import ExtBot

from bot.app import push_bot
from bot.fake.data import deliveries, reset, seed_chats
from bot.fake.server import FakeBotAPI
from bot.push import Pusher
from bot.settings import Settings
from bot.storage import LEASE, RETRY_DELAY, Store
from bot.transport import AiohttpRequest
from content import Speech
from tests.bot.conftest import BACKENDS, PG_URL, bot_env, database_url, open_store
from tests.helpers import wait_until


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    server = FakeBotAPI()
    await server.start()
    yield server
    await server.stop()


async def make_bot(fake: FakeBotAPI) -> ExtBot[None]:
    bot = push_bot(Settings(token=None, rate_limit=False), fake.token, fake.base_url)
    await bot.initialize()
    return bot


async def subscribe_all(store: Store, chat_ids: list[int]) -> datetime:
    """Subscribe chats at 08:00 Shanghai; return a moment when all are due."""
    latest = None
    for chat_id in chat_ids:
        row = await store.chats.subscribe(chat_id, "group" if chat_id < 0 else "private", "zh", "08:00")
        latest = row.next_due_at
    assert latest is not None
    return latest + timedelta(minutes=1)


async def test_sends_once_and_records_it(store: Store, fake: FakeBotAPI, speech: Speech) -> None:
    at = await subscribe_all(store, [11, -12])
    bot = await make_bot(fake)
    pusher = Pusher(bot, store, speech)
    report = await pusher.run_due(at)
    assert report.sent == 2
    assert "今日一慎" in fake.by_chat[11][0].text and "今日一慎" in fake.by_chat[-12][0].text
    assert (await pusher.run_due(at)).sent == 0  # a second pass sends nothing
    assert (await pusher.run_due(at + timedelta(days=1))).sent == 2  # the next day, again
    await bot.shutdown()


class Waits:
    """Records the pusher's waits instead of sleeping through them."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


async def test_retry_after_is_waited_out(store: Store, fake: FakeBotAPI, speech: Speech) -> None:
    at = await subscribe_all(store, [21])
    fake.fail("retry_after", 21, value=7, times=2)
    bot = await make_bot(fake)
    waits = Waits()
    report = await Pusher(bot, store, speech, sleep=waits).run_due(at)
    assert (report.sent, report.retried_after_429) == (1, 2)
    assert waits.seconds == [7.0, 7.0]  # as long as Telegram said, each time
    assert len(fake.by_chat[21]) == 1
    await bot.shutdown()


@pytest.mark.parametrize("kind", ["forbidden", "kicked", "not_found"])
async def test_blocked_kicked_or_gone_pauses(store: Store, fake: FakeBotAPI, speech: Speech, kind: str) -> None:
    at = await subscribe_all(store, [31])
    fake.fail(kind, 31, times=-1)
    bot = await make_bot(fake)
    report = await Pusher(bot, store, speech).run_due(at)
    assert report.paused == 1
    chat = await store.chats.chat(31)
    assert chat is not None and chat.paused
    assert (await Pusher(bot, store, speech).run_due(at + timedelta(days=1))).sent == 0  # stays paused
    assert not fake.by_chat[31]
    await bot.shutdown()


async def test_chat_migrated_moves_and_sends_to_the_new_id(store: Store, fake: FakeBotAPI, speech: Speech) -> None:
    at = await subscribe_all(store, [-41])
    fake.fail("migrated", -41, value=-1000000000041)
    bot = await make_bot(fake)
    report = await Pusher(bot, store, speech).run_due(at)
    assert (report.sent, report.migrated) == (1, 1)
    assert len(fake.by_chat[-1000000000041]) == 1
    new = await store.chats.chat(-1000000000041)
    assert new is not None and new.subscribed
    assert (await Pusher(bot, store, speech).run_due(at + timedelta(days=1))).chats == [-1000000000041]
    await bot.shutdown()


async def test_network_errors_retry_then_fail_and_the_next_pass_retries(store: Store, fake: FakeBotAPI,
                                                                          speech: Speech) -> None:
    at = await subscribe_all(store, [51])
    fake.fail("server_error", 51, times=4)
    bot = await make_bot(fake)
    waits = Waits()
    first = await Pusher(bot, store, speech, sleep=waits).run_due(at)
    assert (first.sent, first.failed, first.network_retries) == (0, 1, 4)
    assert waits.seconds == [0.5, 1.0, 2.0]  # exponential back-off between the 4 attempts
    second = await Pusher(bot, store, speech, sleep=Waits()).run_due(at + RETRY_DELAY + timedelta(seconds=1))
    assert second.sent == 1 and len(fake.by_chat[51]) == 1
    assert [(d.status, d.attempts) for d in await deliveries(store, 51)] == [("sent", 2)]
    await bot.shutdown()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_two_workers_in_parallel_send_each_chat_exactly_once(backend: str, tmp_path: Path,
                                                                   fake: FakeBotAPI, speech: Speech) -> None:
    url = database_url(backend, tmp_path)
    chats = 2000 if backend == "postgresql" else 300
    one, two = await open_store(url), await open_store(url)
    await reset(one)
    try:
        ids = list(range(100_000, 100_000 + chats))
        now = datetime.now(UTC)
        await seed_chats(one, ids, now - timedelta(minutes=5))
        bots = [await make_bot(fake), await make_bot(fake)]
        workers = [Pusher(bots[0], one, speech, concurrency=16, batch=100, worker="w1"),
                   Pusher(bots[1], two, speech, concurrency=16, batch=100, worker="w2")]
        reports = await asyncio.gather(*(w.run_due(now) for w in workers))
        counts = Counter(int(c.params["chat_id"]) for c in fake.calls_to("sendMessage"))
        assert set(counts) == set(ids) and max(counts.values()) == 1
        assert reports[0].sent + reports[1].sent == chats
        assert reports[0].sent > 0 and reports[1].sent > 0  # both did work
        for bot in bots:
            await bot.shutdown()
    finally:
        await reset(one)
        await one.close()
        await two.close()


@pytest.mark.slow
@pytest.mark.skipif(not PG_URL and sys.platform != "linux", reason="needs a POSIX kill")
async def test_killed_worker_is_taken_over_without_skipping_anyone(tmp_path: Path, fake: FakeBotAPI) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/kill.sqlite3"
    store = await open_store(url)
    ids = list(range(1, 121))
    at = await subscribe_all(store, ids)
    fake.delay = 0.05  # slow Telegram: the broadcast takes a few seconds
    env = bot_env(fake, SPEECHBOT_DATABASE_URL=url, SPEECHBOT_RATE_LIMIT="false", SPEECHBOT_PUSH_CONCURRENCY="4",
                  SPEECHBOT_PUSH_BATCH="50")
    command = [sys.executable, "-m", "bot", "push", "run-due", "--at", at.isoformat()]
    worker = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    await wait_until(lambda: len(fake.calls_to("sendMessage")) >= 30, timeout=60, what="30 sends before the kill")
    worker.send_signal(signal.SIGKILL)
    worker.wait(30)
    sent_before = len(fake.calls_to("sendMessage"))
    assert sent_before < len(ids)  # killed mid-broadcast
    fake.delay = 0
    later = at + LEASE + timedelta(minutes=1)  # the dead worker's claims have expired
    restart = await asyncio.create_subprocess_exec(*[*command[:-1], later.isoformat()], env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(restart.communicate(), 60)
    assert restart.returncode == 0, err.decode()
    counts = Counter(int(c.params["chat_id"]) for c in fake.calls_to("sendMessage"))
    assert set(counts) == set(ids)  # no chat skipped
    assert sum(n - 1 for n in counts.values()) <= 4  # at most the in-flight sends repeat
    assert {d.status for d in await deliveries(store)} == {"sent"}
    await store.close()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_one_pass_sends_fresh_reminders_behind_a_batch_of_stale_ones(backend: str, tmp_path: Path,
                                                                         fake: FakeBotAPI, speech: Speech) -> None:
    """220 chats whose last reminder is stale (older than the catch-up window) and 50 on time,
    batches of 200: one pass sends all 270 today's reminders, each once."""
    store = await open_store(database_url(backend, tmp_path))
    await reset(store)
    try:
        today = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai
        at = today + timedelta(hours=1)
        stale, fresh = list(range(300_000, 300_220)), list(range(400_000, 400_050))
        await seed_chats(store, stale, today - timedelta(days=1))  # yesterday's: 25 h old
        await seed_chats(store, fresh, today)
        bot = await make_bot(fake)
        report = await Pusher(bot, store, speech, batch=200).run_due(at)
        counts = Counter(int(c.params["chat_id"]) for c in fake.calls_to("sendMessage"))
        assert report.sent == 270 and set(counts) == set(stale + fresh) and max(counts.values()) == 1
        assert {d.local_date for d in await deliveries(store)} == {today.date()}
        await bot.shutdown()
    finally:
        await reset(store)
        await store.close()


async def test_migration_while_claimed_never_sends_twice(store: Store, fake: FakeBotAPI, speech: Speech) -> None:
    """The group migrates (service message) while today's reminder is being sent to its old id:
    the outcome reaches the new id's copy of the delivery, so no later pass sends it again."""
    at = await subscribe_all(store, [-61])
    claimed = await store.deliveries.claim_due(at, "w1", 10)
    await store.chats.migrate(-61, -1000000000061)  # while w1 is sending
    await store.deliveries.finish(claimed[0], "sent", at)
    await store.chats.configure(-1000000000061, "supergroup", push_time="23:59")  # due again today?
    bot = await make_bot(fake)
    later = at + LEASE + timedelta(minutes=1)
    assert (await Pusher(bot, store, speech).run_due(later)).sent == 0
    assert (await Pusher(bot, store, speech).run_due(at.replace(hour=15, minute=59) + LEASE)).sent == 0
    assert {(d.chat_id, d.status) for d in await deliveries(store)} == {(-61, "sent"), (-1000000000061, "sent")}
    await bot.shutdown()


async def test_a_chat_waiting_out_a_429_holds_up_nobody_else(store: Store, fake: FakeBotAPI, speech: Speech) -> None:
    slow = 90
    others = list(range(91, 111))
    at = await subscribe_all(store, [slow])  # due first: in the first batch
    await subscribe_all(store, others)
    fake.fail("retry_after", slow, value=1)
    bot = await make_bot(fake)
    report = await Pusher(bot, store, speech, concurrency=4, batch=4).run_due(at + timedelta(minutes=1))
    assert report.sent == 21 and report.retried_after_429 == 1
    sends = [c for c in fake.calls_to("sendMessage") if c.error is None]
    assert int(sends[-1].params["chat_id"]) == slow  # everyone else went out while it waited
    await bot.shutdown()


async def test_a_send_with_an_unknown_outcome_is_not_repeated(store: Store, fake: FakeBotAPI,
                                                             speech: Speech) -> None:
    at = await subscribe_all(store, [71, 72])
    fake.fail("slow_reply", 71, value=1.0)  # Telegram sends it, but answers after our read timeout
    bot = ExtBot(fake.token, base_url=fake.base_url, request=AiohttpRequest(read_timeout=0.3))
    await bot.initialize()
    report = await Pusher(bot, store, speech, sleep=Waits()).run_due(at)
    assert (report.sent, report.uncertain, report.network_retries) == (1, 1, 0)
    assert (await Pusher(bot, store, speech).run_due(at + RETRY_DELAY * 2)).sent == 0
    assert len(fake.by_chat[71]) == 1
    assert {(d.chat_id, d.status) for d in await deliveries(store)} == {(71, "uncertain"), (72, "sent")}
    await bot.shutdown()


async def test_at_least_once_resends_what_may_not_have_arrived(store: Store, fake: FakeBotAPI,
                                                               speech: Speech) -> None:
    at = await subscribe_all(store, [73])
    fake.fail("slow_reply", 73, value=1.0)
    bot = ExtBot(fake.token, base_url=fake.base_url, request=AiohttpRequest(read_timeout=0.3))
    await bot.initialize()
    report = await Pusher(bot, store, speech, sleep=Waits(), at_least_once=True).run_due(at)
    assert (report.sent, report.uncertain, report.network_retries) == (1, 0, 1)
    assert len(fake.by_chat[73]) == 2  # the price of at-least-once: it had arrived the first time
    await bot.shutdown()


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
async def test_sigterm_mid_pass_gives_back_what_it_did_not_send(backend: str, tmp_path: Path, fake: FakeBotAPI,
                                                                speech: Speech) -> None:
    """Two workers, one stopped with SIGTERM mid-broadcast: it finishes its in-flight sends and
    releases its other claims; the survivor's very next pass (before any lease would expire)
    sends the rest. Nothing lost, nothing doubled."""
    url = database_url(backend, tmp_path)
    store = await open_store(url)
    await reset(store)
    try:
        ids = list(range(500_000, 500_120))
        at = datetime.now(UTC)
        await seed_chats(store, ids, at - timedelta(minutes=1))
        fake.delay = 0.05
        env = bot_env(fake, SPEECHBOT_DATABASE_URL=url, SPEECHBOT_RATE_LIMIT="false", SPEECHBOT_PUSH_CONCURRENCY="4",
                      SPEECHBOT_PUSH_BATCH="50")
        worker = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "push", "run-due", "--at", at.isoformat(), env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        await wait_until(lambda: len(fake.calls_to("sendMessage")) >= 20, timeout=60, what="20 sends before SIGTERM")
        worker.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(worker.communicate(), 30)
        assert worker.returncode == 0, err.decode()
        stopped = json.loads(out)
        assert stopped["released"] > 0 and stopped["sent"] + stopped["released"] <= len(ids)
        assert {d.status for d in await deliveries(store)} <= {"sent", "released"}  # nothing left claimed
        fake.delay = 0
        bot = await make_bot(fake)
        survivor = await Pusher(bot, store, speech, worker="w2").run_due(at)  # the same instant: no lease expired
        counts = Counter(int(c.params["chat_id"]) for c in fake.calls_to("sendMessage"))
        assert set(counts) == set(ids) and max(counts.values()) == 1
        assert stopped["sent"] + survivor.sent == len(ids)
        await bot.shutdown()
    finally:
        await reset(store)
        await store.close()
