"""What every benchmark shares: a percentile, printing results as JSON or an aligned list, and a
database for one run."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(result: Mapping[str, object], as_json: bool) -> None:
    """Print ``result`` as one JSON object (``--json``) or as ``key: value`` lines."""
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:>{width}}: {value}")


@asynccontextmanager
async def scratch_database(url: str | None, folder: Path, name: str) -> AsyncIterator[str]:
    """A database for this run only: ``url`` itself when it is SQLite, else a SQLite file
    ``name.sqlite3`` in ``folder`` when no URL is given, or a new database on the PostgreSQL
    server of ``url``, dropped afterwards."""
    if url is None or url.startswith("sqlite"):
        yield url or f"sqlite+aiosqlite:///{folder}/{name}.sqlite3"
        return
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    database = f"speechbot_{name}_{os.getpid()}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
            await connection.execute(text(f'CREATE DATABASE "{database}"'))
        yield make_url(url).set(database=database).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        await admin.dispose()
