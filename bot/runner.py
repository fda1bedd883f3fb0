"""Run the bot until SIGINT or SIGTERM: long polling, or the webhook on the bot's own server.

The HTTP server (``bot.http``) serves /livez, /healthz, /metrics and the reader (the Mini App,
/app/ and /api/) on SPEECHBOT_HTTP_HOST:PORT when polling (off with port 0); with a webhook,
they share the webhook's server (SPEECHBOT_WEBHOOK_LISTEN:PORT), so a reverse proxy should
forward from the internet only the webhook path, /app/ and /api/.

Start-up failures the operator must fix (Telegram rejects the token, the Bot API cannot be
reached) raise ``StartError`` with one line that carries no secret; ``bot.cli`` prints it and
exits 2. Shutdown, in order: stop taking updates; let the sends in flight finish (at most
SPEECHBOT_SHUTDOWN_SECONDS), record their outcomes and give back the claimed but unsent
reminders so another replica sends them on its next pass; stop PTB (the updates in hand are
finished); close the database; exit 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.app import Services
from bot.http import make_web_app, webhook_handler
from bot.http import runner as web_runner
from bot.logs import Redactor
from bot.settings import Settings
from content import Speech

log = logging.getLogger(__name__)


class StartError(RuntimeError):
    """The bot cannot start for a reason the operator must fix; the message is one line."""


async def serve(settings: Settings, speech: Speech, secret: str, redact: Redactor) -> None:
    """Run until a signal; ``secret`` is the webhook's secret token (unused when polling)."""
    services = Services(settings, speech)
    app = services.build()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with start_errors(settings, redact):
            await app.initialize()
    except BaseException:
        await services.close_requests()
        raise
    runner: web.AppRunner | None = None
    try:
        await services.post_init(app)
        await app.start()
        reader = services.reader(app)  # the Mini App, wherever the HTTP server runs
        if not settings.receive_updates:  # a push-only replica
            if settings.http_port:
                runner = await _listen(make_web_app(ops=services.ops, reader=reader), settings.http_host,
                                       settings.http_port)
        elif settings.webhook_url:
            path = urlsplit(settings.webhook_url).path
            runner = await _listen(make_web_app((path, webhook_handler(app, secret)), services.ops, reader),
                                   settings.webhook_listen, settings.webhook_port)
            await app.bot.set_webhook(settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
        else:
            if settings.http_port:
                runner = await _listen(make_web_app(ops=services.ops, reader=reader), settings.http_host,
                                       settings.http_port)
            assert app.updater is not None
            await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        mode = "push only" if not settings.receive_updates else "webhook" if settings.webhook_url else "polling"
        log.info("speechbot is running (%s)", mode)
        await stop.wait()
        log.info("stopping: no new updates, finishing the sends in flight")
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if services.pusher is not None and not await services.pusher.drain(settings.shutdown_seconds):
            log.warning("sends still in flight after %g s: their claims wait for the lease", settings.shutdown_seconds)
        if runner is not None:
            await runner.cleanup()
        if app.running:
            await app.stop()
        with contextlib.suppress(Exception):
            await services.post_shutdown(app)
        await app.shutdown()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


class _Hold(logging.Filter):
    """Holds back PTB's log records (it logs a 404 page as "invalid JSON" with a traceback)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def filter(self, record: logging.LogRecord) -> bool:
        self.records.append(record)
        return False


async def _listen(web_app: web.Application, host: str, port: int) -> web.AppRunner:
    runner = web_runner(web_app)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


@contextlib.asynccontextmanager
async def start_errors(settings: Settings, redact: Redactor) -> AsyncIterator[None]:
    """Around the first calls to Telegram (``getMe``): the operator's errors become one clean
    line, which replaces what PTB logged on the way; on success its records are let through."""
    held, loggers = _Hold(), [logging.getLogger(name) for name in ("telegram", "telegram.request.BaseRequest")]
    for logger in loggers:
        logger.addFilter(held)
    try:
        yield
        for logger in loggers:
            logger.removeFilter(held)
        for record in held.records:
            logging.getLogger(record.name).handle(record)
    except InvalidToken:
        raise StartError("Telegram rejected the token (401/404): check TELEGRAM_BOT_TOKEN and "
                         "TELEGRAM_API_BASE_URL") from None
    except NetworkError as exc:
        raise StartError(redact(f"cannot reach the Bot API at {api_host(settings)}: {exc.message}")) from None
    finally:
        for logger in loggers:
            logger.removeFilter(held)


def api_host(settings: Settings) -> str:
    """The Bot API's address without the token: scheme://host[:port]."""
    parts = urlsplit(settings.api_base_url)
    return f"{parts.scheme}://{parts.netloc}"
