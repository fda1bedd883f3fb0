"""Shared fixtures: the default speech, and the real bot running against the fake Bot API."""

from __future__ import annotations

import asyncio
import tempfile
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.fake.local import LocalBot
from bot.settings import Settings
from content import Speech, load_speech
from content.answer import Searcher
from content.encoder import load_encoder
from content.glosses import glosses_for

T = TypeVar("T")
# One embedding cache for the whole run: every bot in the tests embeds the same speech.
CACHE_DIR = Path(tempfile.gettempdir()) / "speechbot-test-cache"


@pytest.fixture(scope="session")
def speech() -> Speech:
    return load_speech()


@pytest.fixture(scope="session")
def searcher(speech: Speech) -> Searcher:
    """The search service as the bot builds it: the real encoder, the glosses, a shared cache."""
    return Searcher(speech, load_encoder("use"), CACHE_DIR, glosses_for(speech))


def bot_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"database_url": f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3", "push_enabled": False,
                              "rate_limit": False, "token": None, "cache_dir": CACHE_DIR}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[LocalBot]:
    """The real Application over HTTP on 127.0.0.1, with a fresh SQLite database."""
    async with LocalBot(bot_settings(tmp_path)) as running:
        yield running


class BotThread:
    """A LocalBot on its own event loop in a thread, for synchronous (hypothesis) tests."""

    def __init__(self, settings: Settings) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.bot = LocalBot(settings)
        self.run(self.bot.start())

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.run(self.bot.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture(scope="module")
def bot_thread(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotThread]:
    runner = BotThread(bot_settings(tmp_path_factory.mktemp("botthread")))
    yield runner
    runner.close()
