"""``speechbot push preview|run-due``: the daily reminder as a chat receives it, and one
delivery pass run by hand."""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.cli.common import CliError, Parents, date_of, print, run_async, settings_of, speech_of
from bot.cli.content import ranking
from bot.clock import system_clock
from content import load_speech

if TYPE_CHECKING:
    from bot.cli.common import Subcommands


def cmd_push_preview(args: argparse.Namespace) -> int:
    """Print the daily message as a chat would receive it."""
    from bot.push import push_screen
    from bot.terminal import terminal_text

    speech = speech_of(args)
    screen = push_screen(speech, args.lang, date_of(args), ranking(args, speech))
    print(terminal_text(screen.text, bold=False))
    return 0


def cmd_push_run_due(args: argparse.Namespace) -> int:
    """One delivery pass now (or as if at --at), printing what it did."""
    from bot.app import make_pusher, push_bot
    from bot.logs import configure_logging
    from bot.runner import StartError, start_errors
    from bot.storage import Store

    settings = settings_of(args)
    speech = load_speech(settings.speech_file)
    token = settings.require_token()
    try:
        at = datetime.fromisoformat(args.at) if args.at else system_clock()
    except ValueError:
        raise CliError(f"invalid --at {args.at!r}; use ISO 8601 such as 2026-11-28T08:00+08:00") from None
    at = at if at.tzinfo else at.replace(tzinfo=ZoneInfo(settings.timezone))

    redact = configure_logging(settings.log_level, settings.log_format, token)

    async def run() -> dict[str, int]:
        # As if at --at: the store's clock (a chat paused during the pass, say) agrees with the pass.
        store = await Store.open(settings, (lambda: at.astimezone(UTC)) if args.at else system_clock)
        bot = push_bot(settings, token)
        try:
            try:
                async with start_errors(settings, redact):
                    await bot.initialize()
            except StartError:
                await bot.request.shutdown()
                raise
            async with bot:
                pusher = make_pusher(bot, store, speech, settings)
                with _stop_on_signals(pusher.stop):  # SIGTERM: finish in-flight sends, give back the rest
                    return (await pusher.run_due(at.astimezone(UTC))).to_dict()
        finally:
            await store.close()

    try:
        report = run_async(run())
    except StartError as exc:
        raise CliError(str(exc)) from None
    print(json.dumps({"at": at.isoformat(), **report}, ensure_ascii=False))
    return 0


@contextlib.contextmanager
def _stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """Call ``stop`` on SIGINT or SIGTERM while inside (an event loop must be running)."""
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop)
    try:
        yield
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def register(sub: Subcommands, parents: Parents) -> None:
    """``speechbot push run-due|preview``."""
    push = sub.add_parser("push", help="the daily reminder").add_subparsers(dest="push_command", required=True)
    due = push.add_parser("run-due", parents=[parents.file], help="run one delivery pass now and print what it did")
    due.add_argument("--at", help="pretend it is this time (ISO 8601)")
    due.set_defaults(func=cmd_push_run_due)
    preview = push.add_parser("preview", parents=[parents.file], help="print the daily message")
    preview.add_argument("--date", help="YYYY-MM-DD (default today)")
    preview.add_argument("--lang", choices=["zh", "en"], default="zh")
    preview.set_defaults(func=cmd_push_preview)
