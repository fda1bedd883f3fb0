"""The test helpers: ``wait_until`` returns what it waited for, and gives up in time."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.helpers import accepts, free_port, wait_until


async def test_wait_until_returns_the_first_truthy_value() -> None:
    calls = []

    def ready() -> list[int]:
        calls.append(1)
        return calls if len(calls) >= 3 else []

    assert await wait_until(ready, timeout=5, interval=0) == [1, 1, 1]


async def test_wait_until_takes_async_predicates() -> None:
    async def ready() -> str:
        await asyncio.sleep(0)
        return "yes"

    assert await wait_until(ready) == "yes"


async def test_wait_until_gives_up_within_its_bound() -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="the impossible"):
        await wait_until(lambda: False, timeout=0.2, what="the impossible")
    assert time.monotonic() - started < 2


async def test_a_free_port_accepts_nothing() -> None:
    assert not await accepts(free_port())
