"""The aiohttp transport maps the wire to PTB's errors, says which failures may have reached
Telegram, and does not lose a request to a stale pooled connection."""

from __future__ import annotations

import asyncio

import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.request import BaseRequest

from bot.app import push_bot
from bot.fake.server import FakeBotAPI
from bot.settings import Settings
from bot.transport import AiohttpRequest, ReadTimedOut, UnknownOutcome, seconds
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


class HangUpOnReuse:
    """A raw HTTP/1.1 server that answers the first request on each connection and hangs up,
    without a reply, when a second one arrives on the same connection: what a client sees
    when it reuses a pooled connection the server has just closed as idle."""

    def __init__(self) -> None:
        self.answered: list[int] = []  # connection number of every answered request
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        requests = 0
        while True:
            head = await reader.readuntil(b"\r\n\r\n") if not reader.at_eof() else b""
            if not head:
                break
            length = int(next((line.split(b":")[1] for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length")), b"0"))
            await reader.readexactly(length)
            requests += 1
            if requests > 1:
                break  # hang up without a reply
            body = b'{"ok":true,"result":true}'
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()
            self.answered.append(number)
        writer.close()

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/botX/getMe"

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


async def test_a_stale_pooled_connection_is_retried_on_a_fresh_one() -> None:
    server = HangUpOnReuse()
    request = AiohttpRequest()
    await request.initialize()
    async with server as url:
        assert await request.do_request(url, "POST") == (200, b'{"ok":true,"result":true}')
        assert await request.do_request(url, "POST") == (200, b'{"ok":true,"result":true}')  # not lost
    await request.shutdown()
    assert server.answered == [1, 2]  # the second went out again on a new connection


async def test_no_reply_in_time_is_an_unknown_outcome_but_no_connection_is_not() -> None:
    assert issubclass(ReadTimedOut, UnknownOutcome) and issubclass(ReadTimedOut, TimedOut)
    fake = FakeBotAPI()
    await fake.start()
    fake.delay = 1.0
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    with pytest.raises(ReadTimedOut):
        await request.do_request(f"{fake.base_url}{fake.token}/sendMessage", "POST")
    try:
        await request.do_request(f"http://127.0.0.1:{free_port()}/botX/sendMessage", "POST")
    except NetworkError as exc:
        assert not isinstance(exc, UnknownOutcome)  # refused: provably never sent
    await request.shutdown()
    await fake.stop()


async def test_a_send_the_server_acted_on_before_hanging_up_is_not_sent_again() -> None:
    """"Server disconnected" on a reused connection may come after Telegram acted on the
    request: a message is never sent a second time for it (the outcome is unknown); a read
    such as getMe is safe to repeat and still is."""
    fake = FakeBotAPI()
    await fake.start()
    bot = push_bot(Settings(token=None, rate_limit=False), fake.token, fake.base_url)
    async with bot:
        await bot.send_message(5, "one")  # the next send reuses this connection
        fake.fail("hang_up", 5)
        with pytest.raises(UnknownOutcome):
            await bot.send_message(5, "two")
        assert [m.text for m in fake.by_chat[5]] == ["one", "two"]  # "two" arrived once
    await fake.stop()


def test_timeouts_are_read_through_ptbs_public_sentinel() -> None:
    assert seconds(BaseRequest.DEFAULT_NONE, 7.5) == 7.5  # not given: ours
    assert seconds(3, 7.5) == 3 and seconds(0.5, None) == 0.5
    assert seconds(None, 7.5) is None  # given as None: no timeout
    with pytest.raises(TypeError):
        seconds("soon", 7.5)
