"""The aiohttp transport maps the wire to PTB's errors."""

from __future__ import annotations

import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.app import push_bot
from bot.fake.server import FakeBotAPI
from bot.settings import Settings
from bot.transport import AiohttpRequest
from tests.bot.test_run import free_port


async def test_requests_and_telegram_errors_round_trip() -> None:
    fake = FakeBotAPI()
    await fake.start()
    bot = push_bot(Settings(token=None, rate_limit=False), fake.token, fake.base_url)
    async with bot:
        message = await bot.send_message(5, "<b>你好</b> & 再见".replace("&", "&amp;"))
        assert message.text == "你好 & 再见"
        fake.fail("retry_after", 5, value=3)
        with pytest.raises(RetryAfter):
            await bot.send_message(5, "x")
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(5, "<b>unclosed")
    await fake.stop()


async def test_connection_refused_is_a_network_error() -> None:
    request = AiohttpRequest()
    await request.initialize()
    with pytest.raises(NetworkError):
        await request.do_request(f"http://127.0.0.1:{free_port()}/botX/getMe", "POST")
    await request.shutdown()


async def test_slow_server_is_a_timeout() -> None:
    fake = FakeBotAPI()
    await fake.start()
    fake.delay = 1.0
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    with pytest.raises(TimedOut):
        await request.do_request(f"{fake.base_url}{fake.token}/sendMessage", "POST")
    await request.shutdown()
    await fake.stop()
