"""Storage fixtures: SQLite always; PostgreSQL when SPEECHBOT_TEST_DATABASE_URL is set."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import Clock, system_clock
from bot.fake.data import reset
from bot.fake.local import TravelClock
from bot.fake.server import FakeBotAPI
from bot.settings import Settings
from bot.storage import Store
from tests.conftest import CACHE_DIR, migrated_sqlite

PG_URL = os.environ.get("SPEECHBOT_TEST_DATABASE_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason="no PostgreSQL"))]


def bot_env(fake: FakeBotAPI, **settings: str) -> dict[str, str]:
    """The environment of a bot process that talks to ``fake``, plus ``settings`` (env names).
    Its cache folder is the tests' shared one unless ``settings`` names another: a deployed bot
    starts with the embeddings, ranking and summaries its first start left there."""
    return {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": fake.base_url,
            "SPEECHBOT_CACHE_DIR": str(CACHE_DIR), **settings}


async def start_bot(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    """``python -m bot run`` in the background; its stderr is kept for the test to read."""
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", env=env, cwd=cwd,
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)


def database_url(backend: str, tmp_path: Path) -> str:
    """PostgreSQL's test database, or a new SQLite file in ``tmp_path`` (migrated by whoever
    opens it first: a test may migrate it step by step)."""
    return PG_URL if backend == "postgresql" and PG_URL else f"sqlite+aiosqlite:///{tmp_path}/store.sqlite3"


async def open_store(url: str, clock: Clock = system_clock, **settings: object) -> Store:
    """A store on ``url`` with the default settings (or the given ones)."""
    return await Store.open(Settings(token=None, database_url=url, **settings), clock)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> TravelClock:
    """The ``store``'s clock: the real time until a test sets ``clock.at``."""
    return TravelClock()


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path, clock: TravelClock) -> AsyncIterator[Store]:
    """A store on each backend; SQLite's is a copy of the migrated template."""
    url = PG_URL if request.param == "postgresql" and PG_URL else migrated_sqlite(tmp_path / "store.sqlite3")
    opened = await open_store(url, clock)
    await reset(opened)
    yield opened
    await reset(opened)
    await opened.close()
