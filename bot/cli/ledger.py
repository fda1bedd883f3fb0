"""``speechbot ledger``: a group's 学习台账 for a month or a year, as .xlsx or .docx, from the
database (the same record /ledger sends an administrator; the group's size only where the bot
kept it, since no Telegram is asked here)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import CliError, Parents, add_command, print, settings_of, with_store

if TYPE_CHECKING:
    from bot.cli.common import Subcommands
    from bot.storage import Store
    from handlers.ledger_build import Period

SUFFIXES = (".xlsx", ".docx")


def _period(args: argparse.Namespace) -> Period:
    """The period ``--month`` or ``--year`` names, or a CliError."""
    from handlers.ledger_build import Period, parse_month

    if args.year is not None:
        if not 2000 <= args.year <= 2999:
            raise CliError(f"invalid year {args.year}; use e.g. --year 2026")
        return Period.year(args.year)
    period = parse_month(args.month)
    if period is None:
        raise CliError(f"invalid month {args.month!r}; use YYYY-MM, e.g. --month 2026-12")
    return period


def cmd_ledger(args: argparse.Namespace) -> int:
    """Write the chat's record of the month (or year) to ``--out``, its kind by the suffix."""
    out = Path(args.out)
    if out.suffix.lower() not in SUFFIXES:
        raise CliError(f"--out {out}: the file must end in .xlsx or .docx")
    period = _period(args)
    settings = settings_of(args)
    if not settings.database_url:
        raise CliError("no database (SPEECHBOT_DATABASE_URL is empty): the record lives there")

    async def build(store: Store) -> bytes:
        from zoneinfo import ZoneInfo

        from bot.clock import system_clock
        from bot.intake import makers
        from content import load_speech
        from content.ledger.docx import to_docx
        from content.ledger.xlsx import to_xlsx
        from content.library import Library
        from handlers.ledger_build import collect
        from handlers.shelf import Shelf

        shelf = Shelf(Library.of(load_speech(settings.speech_file), makers(settings)), store.texts)
        chat = await store.chats.chat(args.chat)
        state = await store.ledger.state(args.chat)
        zone = chat.timezone if chat else settings.timezone
        title = state.title if state and state.title else str(args.chat)
        today = system_clock().astimezone(ZoneInfo(zone)).date()
        ledger = await collect(store.ledger, store.study, shelf.book, args.chat, title, zone, period, today, args.lang)
        return bytes(to_xlsx(ledger, args.lang) if out.suffix.lower() == ".xlsx" else to_docx(ledger, args.lang))

    content = with_store(settings, build)
    try:
        out.write_bytes(content)
    except OSError as error:
        raise CliError(f"--out {out}: {error.strerror or error}") from None
    print(out)
    return 0


def register(sub: Subcommands, parents: Parents) -> None:
    """``speechbot ledger``."""
    cmd = add_command(sub, "ledger", cmd_ledger, "a group's 学习台账 for a month or a year, as .xlsx or .docx",
                      parents.file, json_flag=False)
    cmd.add_argument("--chat", type=int, required=True, metavar="ID", help="the group's chat id")
    which = cmd.add_mutually_exclusive_group(required=True)
    which.add_argument("--month", metavar="YYYY-MM", help="the month, e.g. 2026-12")
    which.add_argument("--year", type=int, metavar="YYYY", help="the whole year, e.g. 2026")
    cmd.add_argument("--out", required=True, metavar="FILE", help="FILE.xlsx or FILE.docx")
    cmd.add_argument("--lang", choices=["zh", "en"], default="zh")
