"""`speechbot run`: the missing-token path, and webhook mode with its secret token."""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.fake.server import FakeBotAPI
from tests.bot.conftest import bot_env, start_bot
from tests.helpers import free_port, wait_for_port, wait_until


def test_no_token_without_a_terminal_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "@BotFather" in result.stderr and "Traceback" not in result.stderr


def test_malformed_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "not-a-token"}
    result = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "malformed" in result.stderr
    assert "not-a-token" not in result.stderr


@pytest.mark.slow
async def test_webhook_mode_checks_the_secret_on_every_request(tmp_path: Path) -> None:
    fake = FakeBotAPI()
    await fake.start()
    port = free_port()
    env = bot_env(fake, SPEECHBOT_WEBHOOK_URL=f"http://127.0.0.1:{port}/hook/speech", SPEECHBOT_WEBHOOK_PORT=str(port),
                  SPEECHBOT_WEBHOOK_SECRET="s3cret-token", SPEECHBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/w.db",
                  SPEECHBOT_PUSH_ENABLED="false", SPEECHBOT_LOG_LEVEL="DEBUG")  # PTB logs secrets at DEBUG
    process = await start_bot(env, tmp_path)
    try:
        await wait_until(lambda: fake.calls_to("setWebhook"), what="setWebhook")
        registered = fake.calls_to("setWebhook")[0].params
        await wait_for_port(port)  # PTB registers the webhook just before its server listens
        assert registered["url"] == f"http://127.0.0.1:{port}/hook/speech"
        assert registered["secret_token"] == "s3cret-token"
        update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "/today",
                                              "chat": {"id": 77, "type": "private", "first_name": "A"},
                                              "from": {"id": 77, "is_bot": False, "first_name": "A"},
                                              "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{port}/hook/speech"
            async with session.post(url, json=update) as refused:
                assert refused.status == 403
            secret = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token", "Content-Type": "application/json"}
            huge = io.BytesIO(json.dumps({**update, "padding": "x" * 5_000_000}).encode())
            async with session.post(url, data=huge, headers=secret) as too_big:
                assert too_big.status == 413
            for body in (b"{not json", b"[1, 2]", b'{"update_id": "one"}', "\u7684".encode("utf-16")):
                async with session.post(url, data=body, headers=secret) as malformed:
                    assert malformed.status == 400, body
            for kind in ("text/plain", "application/x-www-form-urlencoded", None):  # JSON only, as PTB
                headers = {**secret, "Content-Type": kind} if kind else {"X-Telegram-Bot-Api-Secret-Token":
                                                                          "s3cret-token"}
                async with session.post(url, data=json.dumps({**update, "update_id": 2}).encode(),
                                        headers=headers) as wrong_type:
                    assert wrong_type.status == 415, kind
            async with session.post(url, data=json.dumps(update), headers={
                    "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}) as ok:
                assert ok.status == 200
        await wait_until(lambda: fake.by_chat.get(77), what="the answer to /today")
        assert "今日一慎" in fake.by_chat[77][0].text
        assert len(fake.by_chat[77]) == 1  # the refused request was not processed
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
        await fake.stop()
    assert process.returncode == 0, err.decode()  # a clean stop
    assert fake.token not in err.decode() and "s3cret-token" not in err.decode()  # no secret in the logs


def run_bot(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "run"], env={**os.environ, **env}, cwd=cwd,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)


@pytest.mark.slow
async def test_a_rejected_token_is_one_line_exit_2_and_never_printed(tmp_path: Path) -> None:
    fake = FakeBotAPI()
    await fake.start()
    wrong = "999999:WRONG-token-that-telegram-rejects"
    try:
        for base in (fake.base_url, fake.base_url.replace("/bot", "/nothing-here/bot")):  # 401, then 404
            result = await asyncio.to_thread(run_bot, {
                "TELEGRAM_BOT_TOKEN": wrong, "TELEGRAM_API_BASE_URL": base,
                "SPEECHBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/t.db"}, tmp_path)
            assert result.returncode == 2, result.stderr
            assert result.stderr.count("\n") == 1 and "rejected the token" in result.stderr, result.stderr
            assert wrong not in result.stderr + result.stdout and "Traceback" not in result.stderr
    finally:
        await fake.stop()


@pytest.mark.slow
def test_an_unreachable_bot_api_is_one_line_exit_2(tmp_path: Path) -> None:
    result = run_bot({"TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN-fake-bot-api",
                      "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}/bot",
                      "SPEECHBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/t.db"}, tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "cannot reach the Bot API at http://127.0.0.1:" in result.stderr
    assert "TEST-TOKEN" not in result.stderr
