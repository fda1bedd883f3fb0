"""Operations over real HTTP: /livez, /healthz and /metrics of a running bot, JSON logs
without the token, health turning 503 with a reason, and retention."""

from __future__ import annotations

import asyncio
import json
import re
import signal
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.fake.data import deliveries, reset
from bot.fake.server import FakeBotAPI
from bot.http import make_web_app
from bot.ops import Ops
from bot.settings import Settings
from bot.storage import Store
from bot.storage.tables import DeliveryRow, QuizRow, SearchMissRow
from content import Speech
from content.summaries import Summaries
from tests.bot.conftest import bot_env, open_store, start_bot
from tests.conftest import CACHE_DIR
from tests.helpers import free_port, wait_for_port, wait_until


async def get(url: str) -> tuple[int, str]:
    timeout = aiohttp.ClientTimeout(total=20)  # a bot that stopped answering fails the test, not hangs it
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as response:
        return response.status, await response.text()


async def last_pass(base: str) -> float:
    """When the bot's last push pass ended, from its /metrics (0: none yet)."""
    _, metrics = await get(f"{base}/metrics")
    found = re.search(r"^speechbot_push_last_pass_timestamp_seconds (\S+)$", metrics, re.M)
    return float(found.group(1)) if found else 0.0


@pytest.mark.slow
async def test_a_running_bot_serves_health_metrics_and_json_logs_without_the_token(tmp_path: Path,
                                                                                   speech: Speech) -> None:
    fake = FakeBotAPI()
    await fake.start()
    port = free_port()
    # A warm cache, as a deployed bot has after its first start: a bot stopped while its first
    # summaries are still computed in their child process leaves multiprocessing's "leaked
    # semaphore" warning on stderr, which is not our log (a known wart, see docs/operations.md).
    await asyncio.to_thread(Summaries(speech, CACHE_DIR).warm)
    env = bot_env(fake, SPEECHBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/ops.db", SPEECHBOT_HTTP_PORT=str(port),
                  SPEECHBOT_LOG_FORMAT="json", SPEECHBOT_LOG_LEVEL="DEBUG", SPEECHBOT_PUSH_INTERVAL_SECONDS="1",
                  SPEECHBOT_CACHE_DIR=str(CACHE_DIR))
    process = await start_bot(env, tmp_path)
    try:
        await wait_for_port(port)
        base = f"http://127.0.0.1:{port}"
        assert await get(f"{base}/livez") == (200, '{"ok": true}')
        user = fake.user(4242)
        fake.message(4242, user, "/subscribe")
        fake.message(4242, user, "/today")
        await wait_until(lambda: len(fake.by_chat.get(4242, [])) >= 2, what="answers to /subscribe and /today")
        await wait_until(lambda: last_pass(base), interval=0.2, what="a push pass")
        status, body = await get(f"{base}/healthz")
        assert status == 200, body
        status, metrics = await get(f"{base}/metrics")
        assert status == 200
        assert 'speechbot_updates_total{command="today",type="message"} 1.0' in metrics
        assert 'speechbot_updates_total{command="subscribe",type="message"} 1.0' in metrics
        assert 'speechbot_bot_api_calls_total{method="sendMessage"}' in metrics
        assert 'speechbot_subscribed_chats{kind="private"} 1.0' in metrics
        assert "speechbot_update_seconds_bucket" in metrics and "speechbot_build_info{" in metrics
        assert 'speechbot_push_outcomes_total{outcome="sent"}' in metrics
        assert "chat_id" not in metrics and "4242" not in metrics  # no ids as labels
        assert fake.calls_to("deleteWebhook")  # polling: PTB clears any webhook first
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
        await fake.stop()
    assert process.returncode == 0
    lines = err.decode().splitlines()
    assert lines and all(isinstance(json.loads(line), dict) for line in lines)  # one JSON object per line
    assert fake.token not in err.decode()
    assert any(json.loads(line).get("message", "").startswith("stopping") for line in lines)


async def serve_ops(ops: Ops) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(make_web_app(ops=ops))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


async def test_health_is_503_with_a_reason(tmp_path: Path) -> None:
    ops = Ops(push_interval=0.01)
    runner, base = await serve_ops(ops)
    try:
        status, body = await get(f"{base}/healthz")
        assert (status, json.loads(body)) == (503, {"ok": False, "reason": "database not open"})
        ops.store = await open_store(f"sqlite+aiosqlite:///{tmp_path}/h.db")
        await wait_until(ops.problem, what="three push intervals without a pass")
        status, body = await get(f"{base}/healthz")
        assert status == 503 and json.loads(body)["reason"].startswith("no push pass for")
        ops.push_passed()
        assert (await get(f"{base}/healthz"))[0] == 200
        await ops.store.close()
        ops.store = await Store.open(Settings(token=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/gone.db"))
        (tmp_path / "gone.db").unlink()  # the file vanishes under the bot
        (tmp_path / "gone.db").mkdir()  # and something that is not a database takes its place
        await ops.store.db.engine.dispose()
        ops.push_passed()
        status, body = await get(f"{base}/healthz")
        assert status == 503 and json.loads(body)["reason"].startswith("database does not answer")
        assert body.count("\n") == 1
    finally:
        await runner.cleanup()
        if ops.store is not None:  # its connections closed on this test's loop, not collected on the next one's
            await ops.store.close()


async def test_retention_deletes_old_rows_in_batches(store: Store) -> None:
    now = datetime(2026, 11, 30, tzinfo=UTC)
    async with store.db.sessions.begin() as session:
        for chat_id in range(1, 6):
            for day in (date(2026, 1, 1), date(2026, 8, 1), date(2026, 11, 29)):  # 333, 121 and 1 day old
                session.add(DeliveryRow(chat_id=chat_id, local_date=day, status="sent", worker="w", claimed_at=now,
                                        attempts=1))
        session.add(SearchMissRow(query="old question", count=3, last_at=now - timedelta(days=200)))
        session.add(SearchMissRow(query="new question", count=1, last_at=now - timedelta(days=2)))
    assert await store.insights.prune(now, batch=4) == 4 + 1  # four deliveries, one stale search text
    while await store.insights.prune(now, batch=4):
        pass
    left = await deliveries(store)
    assert sorted({d.local_date for d in left}) == [date(2026, 11, 29)] and len(left) == 5
    assert [m for m, _ in (await store.insights.report()).misses] == ["new question"]
    await reset(store)


async def test_what_a_chat_was_asked_serves_the_week_and_goes_after_the_retention(store: Store) -> None:
    """The quiz history behind "no repeat within a week": per chat, from a given instant on,
    and bounded: the retention prunes it like the delivery log."""
    now = datetime(2026, 11, 30, tzinfo=UTC)
    async with store.db.sessions.begin() as session:
        for poll, chat, key, age in (("a", 7, "q1|part", 100), ("b", 7, "q2|part", 8), ("c", 7, "q3|blank|纪律", 2),
                                     ("d", 8, "q4|part", 1)):
            session.add(QuizRow(poll_id=poll, chat_id=chat, question=key, correct=0, anonymous=True,
                                sent_at=now - timedelta(days=age)))
    assert await store.study.asked_since(7, now - timedelta(days=7)) == {"q3|blank|纪律"}
    assert await store.study.asked_since(7, now - timedelta(days=365)) == {"q1|part", "q2|part", "q3|blank|纪律"}
    assert await store.insights.prune(now) == 1  # the poll of 100 days ago (the retention is 90)
    assert await store.study.asked_since(7, now - timedelta(days=365)) == {"q2|part", "q3|blank|纪律"}


@pytest.mark.parametrize("retention", ["0", "x"])
def test_bad_retention_is_a_settings_error(retention: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import SettingsError, load_settings

    monkeypatch.setenv("SPEECHBOT_RETENTION_DAYS", retention)
    with pytest.raises(SettingsError, match="retention_days"):
        load_settings()


@pytest.mark.slow
async def test_a_push_only_replica_sends_reminders_but_takes_no_updates(tmp_path: Path) -> None:
    from bot.fake.data import seed_chats

    url = f"sqlite+aiosqlite:///{tmp_path}/push-only.db"
    store = await open_store(url)
    await seed_chats(store, [5151], datetime.now(UTC) - timedelta(minutes=1))
    await store.close()
    fake = FakeBotAPI()
    await fake.start()
    port = free_port()
    env = bot_env(fake, SPEECHBOT_DATABASE_URL=url, SPEECHBOT_HTTP_PORT=str(port), SPEECHBOT_RECEIVE_UPDATES="false")
    process = await start_bot(env, tmp_path)
    try:
        await wait_for_port(port)
        await wait_until(lambda: fake.by_chat.get(5151), what="the pushed reminder")
        assert "今日一慎" in fake.by_chat[5151][0].text
        assert not fake.calls_to("deleteWebhook") and not fake.calls_to("setWebhook")  # neither polls nor hooks
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
        await fake.stop()
    assert process.returncode == 0, err.decode()
