"""What tests share for waiting: a bounded ``wait_until`` instead of fixed sleeps (a sleep is
either too short on a busy machine or wasted on an idle one), and local ports."""

from __future__ import annotations

import asyncio
import inspect
import socket
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def wait_until(predicate: Callable[[], T | Awaitable[T]], timeout: float = 15.0, interval: float = 0.02,
                     what: str = "") -> T:
    """Poll ``predicate`` (sync or async) until it returns something truthy, and return that;
    raise ``TimeoutError`` naming ``what`` once ``timeout`` seconds have passed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value  # type: ignore[return-value]
        if loop.time() >= deadline:
            raise TimeoutError(f"not within {timeout:g} s: {what or getattr(predicate, '__qualname__', predicate)}")
        await asyncio.sleep(interval)


def free_port() -> int:
    """A TCP port nobody listens on right now (on 127.0.0.1)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def accepts(port: int) -> bool:
    """Does something accept connections on 127.0.0.1:``port``?"""
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


async def wait_for_port(port: int, seconds: float = 15.0) -> None:
    """Return once something accepts connections on 127.0.0.1:``port``."""
    await wait_until(lambda: accepts(port), seconds, interval=0.05, what=f"something listening on port {port}")
