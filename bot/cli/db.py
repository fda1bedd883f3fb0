"""``speechbot db upgrade|prune``: the database's migrations and retention."""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from bot.cli.common import Parents, print, run_async, settings_of, with_store

if TYPE_CHECKING:
    from bot.cli.common import Subcommands
    from bot.storage import Store


def safe_url(url: str) -> str:
    """``url`` with its password masked, for printing."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Apply the database migrations."""
    from bot.storage import Database

    settings = settings_of(args)

    async def upgrade() -> None:
        db = await Database.open(settings.database_url)
        await db.close()

    run_async(upgrade())
    print(f"database migrated to the latest revision: {safe_url(settings.database_url)}")
    return 0


def cmd_db_prune(args: argparse.Namespace) -> int:
    """Delete delivery rows (and no-hit search counts) older than SPEECHBOT_RETENTION_DAYS."""
    settings = settings_of(args)

    async def prune(store: Store) -> int:
        total = 0
        while batch := await store.insights.prune(store.clock()):
            total += batch
        return total

    deleted = with_store(settings, prune)
    print(f"deleted {deleted} rows older than {settings.retention_days} days")
    return 0


def register(sub: Subcommands, parents: Parents) -> None:
    """``speechbot db upgrade|prune``."""
    db = sub.add_parser("db", help="database maintenance").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", parents=[parents.file], help="apply migrations").set_defaults(func=cmd_db_upgrade)
    db.add_parser("prune", parents=[parents.file], help="delete rows older than the retention").set_defaults(
        func=cmd_db_prune)
