"""Shared fixtures: the default speech, and the real bot running against the fake Bot API;
the markers each test gets from what it uses (see ``pytest_collection_modifyitems``); and what
each pytest-xdist worker owns: its PostgreSQL database (``worker_database``)."""

from __future__ import annotations

import asyncio
import atexit
import inspect
import os
import shutil
import tempfile
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.fake.local import LocalBot
from bot.settings import Settings
from bot.storage.engine import Database
from content import Speech, load_speech
from content.answer import Searcher
from content.encoder import load_encoder
from content.glosses import glosses_for

T = TypeVar("T")
# One cache of derived data (embeddings, summaries, the 慎 ranking; keyed by content, written
# atomically) for every run and worker: every bot in the tests embeds the same speech. The
# environment carries it to the CLI called in-process and to every process a test starts;
# a test about the cache itself names a folder of its own.
CACHE_DIR = Path(tempfile.gettempdir()) / "speechbot-test-cache"
os.environ["SPEECHBOT_CACHE_DIR"] = str(CACHE_DIR)
# No bot in a test process freezes its heap (not even one the CLI builds in-process from the
# environment): a frozen heap hides referrers from gc.get_referrers, which Hypothesis checks.
os.environ["SPEECHBOT_FREEZE_HEAP"] = "false"

# Under pytest-xdist each worker ("gw0", "gw1", …) runs its tests on a PostgreSQL database of its
# own: SPEECHBOT_TEST_DATABASE_URL is rewritten here, before any test module reads it, and the
# database is created when the worker starts (pytest_configure). Serial runs use the URL as given.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
SERVER_URL = os.environ.get("SPEECHBOT_TEST_DATABASE_URL")


def worker_database(url: str, worker: str) -> str:
    """The URL of ``worker``'s database on the server of ``url``: ``url``'s database name with
    ``_<worker>`` appended (``…/test`` → ``…/test_gw0``)."""
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


async def create_database(server: str, url: str) -> None:
    """Create ``url``'s database through ``server`` (a database on the same server) unless it
    exists. It is kept for the next run, as the database ``server`` names is: opening a store
    migrates it, and the tests reset what they use."""
    name = make_url(url).database
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    exists = text("SELECT 1 FROM pg_database WHERE datname = :name")
    try:
        async with engine.connect() as connection:
            if not await connection.scalar(exists, {"name": name}):
                quoted = connection.dialect.identifier_preparer.quote(str(name))
                try:
                    await connection.execute(text(f"CREATE DATABASE {quoted}"))
                except DBAPIError:  # another run created it meanwhile
                    if not await connection.scalar(exists, {"name": name}):
                        raise
    finally:
        await engine.dispose()


if WORKER and SERVER_URL:
    os.environ["SPEECHBOT_TEST_DATABASE_URL"] = worker_database(SERVER_URL, WORKER)


def pytest_configure(config: pytest.Config) -> None:
    if WORKER and SERVER_URL:
        asyncio.run(create_database(SERVER_URL, os.environ["SPEECHBOT_TEST_DATABASE_URL"]))


@pytest.fixture(scope="session")
def speech() -> Speech:
    return load_speech()


@pytest.fixture(scope="session")
def searcher(speech: Speech) -> Searcher:
    """The search service as the bot builds it: the real encoder, the glosses, a shared cache."""
    return Searcher(speech, load_encoder("use"), CACHE_DIR, glosses_for(speech))


_template: Path | None = None
_template_lock = threading.Lock()


def migrated_template() -> Path:
    """An SQLite database migrated to the head revision, built once per test process (so once
    per worker under a parallel runner) by the bot's own ``Database.open``. Tests copy it
    instead of running every Alembic migration on a new file; opening the copy finds it at head."""
    global _template
    with _template_lock:
        if _template is None:
            folder = Path(tempfile.mkdtemp(prefix="speechbot-template-"))
            atexit.register(shutil.rmtree, folder, True)
            path = folder / "migrated.sqlite3"

            async def migrate() -> None:
                database = await Database.open(f"sqlite+aiosqlite:///{path}")
                await database.close()  # the last connection checkpoints the WAL into the file

            # A thread of its own: the caller may be inside a running event loop.
            with ThreadPoolExecutor(1) as pool:
                pool.submit(asyncio.run, migrate()).result(120)
            assert not path.with_name(path.name + "-wal").exists(), "the template must be one file"
            _template = path
        return _template


def migrated_sqlite(path: Path) -> str:
    """The URL of an SQLite database at ``path``: a copy of the migrated template, unless the
    file exists (a test that restarts its bot on the same file keeps its data)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(migrated_template(), path)
    return f"sqlite+aiosqlite:///{path}"


def bot_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a test bot; its database is a copy of the migrated template in ``tmp_path``
    unless ``database_url`` is given."""
    values: dict[str, Any] = {"push_enabled": False, "freeze_heap": False,
                              "rate_limit": False, "token": None, "cache_dir": CACHE_DIR}
    values.update(overrides)
    if "database_url" not in values:
        values["database_url"] = migrated_sqlite(tmp_path / "bot.sqlite3")
    return Settings(**values)


@pytest.fixture
async def bot(tmp_path: Path, speech: Speech) -> AsyncIterator[LocalBot]:
    """The real Application over HTTP on 127.0.0.1, with a fresh SQLite database (a copy of the
    migrated template) and the session's parsed speech, the one the bot would load itself."""
    async with LocalBot(bot_settings(tmp_path), speech=speech) as running:
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


# What makes a test end-to-end: the real Application over the fake Bot API, in this process
# (LocalBot, BotThread) or as ``python -m bot run`` (start_bot), in the test or in a fixture.
E2E_SIGNS = ("LocalBot(", "BotThread(", "start_bot(")
_sources: dict[object, str] = {}


def _source(function: object) -> str:
    if function not in _sources:
        try:
            _sources[function] = inspect.getsource(function)  # type: ignore[arg-type]
        except (OSError, TypeError):
            _sources[function] = ""
    return _sources[function]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by what it uses, so no test file has to: ``browser`` (tests/browser),
    ``e2e`` (a real Application: the ``bot`` fixture or any of ``E2E_SIGNS`` in the test or its
    fixtures), ``pg`` (a ``postgresql`` parameter: the ``store`` fixture or ``BACKENDS``).
    ``slow`` is set by hand on the tests that take seconds."""
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)
        fixtures = getattr(item, "_fixtureinfo", None)
        defined = fixtures.name2fixturedefs.values() if fixtures is not None else ()
        functions = [item.function, *(defs[-1].func for defs in defined if defs)]
        if {"bot", "bot_thread"} & set(item.fixturenames) or any(
                sign in _source(function) for function in functions for sign in E2E_SIGNS):
            item.add_marker(pytest.mark.e2e)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "postgresql" in callspec.params.values():
            item.add_marker(pytest.mark.pg)
