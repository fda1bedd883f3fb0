"""``speechbot stats``: the owner's report, as /stats shows it in Telegram."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.common import Parents, add_command, emit, settings_of, with_store

if TYPE_CHECKING:
    from bot.cli.common import Subcommands


def cmd_stats(args: argparse.Namespace) -> int:
    """The owner's report (the same as /stats in Telegram)."""
    import dataclasses

    from bot.terminal import terminal_text
    from handlers import render

    result = with_store(settings_of(args), lambda store: store.insights.report())
    return emit(args, dataclasses.asdict(result),
                "\n".join(terminal_text(screen.text, bold=False) for screen in render.stats(args.lang, result)))


def register(sub: Subcommands, parents: Parents) -> None:
    """``speechbot stats``."""
    add_command(sub, "stats", cmd_stats,
                "the owner's report: chats, schedules, deliveries, failures, searches without hits",
                parents.file).add_argument("--lang", choices=["zh", "en"], default="zh")
