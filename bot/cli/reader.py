"""``speechbot reader``: the reader (Mini App) alone on this machine, on the settings' database
and search, with a URL signed for a local user. No Telegram and no polling: for trying the page
in a browser. The HTTP stack is imported when the command runs."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from bot.cli.common import CliError, Parents, add_command, run_async, settings_of
from bot.clock import system_clock
from content import load_speech

if TYPE_CHECKING:
    from bot.cli.common import Subcommands
    from bot.settings import Settings
    from content import Speech


def cmd_reader(args: argparse.Namespace) -> int:
    """The reader (Mini App) alone on this machine, with a URL signed for a local user."""
    settings = settings_of(args)
    speech = load_speech(settings.speech_file)
    if not 0 <= args.port <= 65535:
        raise CliError("--port must be between 0 and 65535")
    try:
        run_async(serve_alone(settings, speech, args.host, args.port, args.user_id, args.name, args.lang,
                              sys.stdout))
    except OSError as exc:
        raise CliError(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0


def dev_token() -> str:
    """A throw-away bot token for ``speechbot reader`` without TELEGRAM_BOT_TOKEN: it signs the
    printed URL's initData and checks it; Telegram's own initData would not pass with it."""
    import secrets

    return f"{secrets.randbelow(10**9) + 10**9}:{secrets.token_urlsafe(27)}"


def local_url(base: str, token: str, user_id: int, first_name: str, language_code: str) -> str:
    """The reader's page as Telegram would open it for this user, with initData signed by ``token``
    in the fragment (valid for ``SPEECHBOT_WEBAPP_MAX_AGE_SECONDS``)."""
    from urllib.parse import quote

    from bot.reader.initdata import local_init_data

    data = local_init_data(token, user_id, first_name, language_code, system_clock().timestamp())
    return f"{base}/app/#tgWebAppData={quote(data, safe='')}"


async def serve_alone(settings: Settings, speech: Speech, host: str, port: int, user_id: int, first_name: str,
                      language_code: str, out: TextIO) -> None:
    """``speechbot reader``: the reader alone (no Telegram, no polling) on the settings' database and
    search, until SIGINT or SIGTERM; prints a local URL for one user."""
    import asyncio
    import signal
    import threading

    from aiohttp import web

    from bot.http import make_web_app
    from bot.http import runner as web_runner
    from bot.intake import makers
    from bot.reader.api import Reader, ReaderServices
    from bot.reader.routes import ReaderApp
    from bot.storage import Store
    from content.library import Library
    from handlers.shelf import Shelf

    token = settings.token.get_secret_value() if settings.token else None
    if token is None:
        token = dev_token()
        print("speechbot reader: TELEGRAM_BOT_TOKEN is unset, so the page is signed with a local development "
              "token (only this URL works; Telegram's own initData would not)", file=out)
    store = await Store.open(settings)
    library = Library.of(speech, makers(settings), capacity=settings.library_books)  # other texts: as asked
    searcher = library.original.searcher
    shelf = Shelf(library, store.texts)
    threading.Thread(target=searcher.warm, name="warm-search", daemon=True).start()

    def services() -> ReaderServices:
        return ReaderServices(speech=speech, searcher=searcher, shelf=shelf, study=store.study,
                              positions=store.positions, chats=store.chats, clock=system_clock,
                              timezone=settings.timezone)

    reader = ReaderApp(Reader(services), token, settings.webapp_max_age_seconds, settings.webapp_rate_per_minute,
                       system_clock)
    runner = web_runner(make_web_app(reader=reader))
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    try:
        await web.TCPSite(runner, host, port).start()
        bound = runner.addresses[0][1]
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        print(f"reader: {local_url(f'http://{shown}:{bound}', token, user_id, first_name, language_code)}",
              file=out, flush=True)
        print(f"(signed for user {user_id} {first_name}; Ctrl-C stops)", file=out, flush=True)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        await runner.cleanup()
        await store.close()


def register(sub: Subcommands, parents: Parents) -> None:
    """``speechbot reader``."""
    reader = add_command(sub, "reader", cmd_reader,
                         "serve the reader (Mini App) alone and print a local URL to open it", parents.file,
                         json_flag=False)
    reader.add_argument("--port", type=int, default=8081, help="port (default 8081; 0: any free port)")
    reader.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    reader.add_argument("--user-id", type=int, default=1001, help="the local user the URL is signed for")
    reader.add_argument("--name", default="同学", help="that user's first name")
    reader.add_argument("--lang", default="zh-hans", help="that user's Telegram language (en for English)")
