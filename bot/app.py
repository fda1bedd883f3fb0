"""Build the ``Application``: one factory, handlers registered in one commented order.

Async resources (the database, the push job) are opened in ``post_init`` and closed in
``post_shutdown``. Updates are handled concurrently (``SPEECHBOT_CONCURRENT_UPDATES``) so one
slow chat never holds up the others; replies within one chat may then interleave when a user
sends several commands at once, which is harmless for this bot's stateless commands.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, Defaults, ExtBot

from bot.context import CONTEXT_TYPES, BotContext
from bot.scheduler import schedule_push
from bot.settings import Settings
from bot.storage import Store
from bot.transport import AiohttpRequest
from content import Speech, load_speech
from content.summary import warm_up
from handlers import buttons, errors, finding, groups, inline, reading, subscriptions
from handlers.catalog import MENU

log = logging.getLogger(__name__)

App = Application[Any, BotContext, Any, Any, Any, Any]


class RedactToken(logging.Filter):
    """Replace the bot token wherever a log record would print it (httpx logs request URLs)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token and self.token in record.getMessage():
            record.msg = record.getMessage().replace(self.token, "<token>")
            record.args = None
        return True


def protect_logs(token: str) -> None:
    """Install the redaction filter on every handler of the root logger and quiet httpx."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))


def register_handlers(app: App) -> None:
    """Every handler, in the order PTB tries them (first match in a group wins)."""
    subscriptions.register_middleware(app)  # group -1: migrations, chat bookkeeping
    reading.register(app)  # /start /help /outline /mulu /show
    finding.register(app)  # /search /quote /today /summary /shen, private plain text
    subscriptions.register(app)  # /subscribe /unsubscribe /settime /timezone /settings
    buttons.register(app)  # every inline-keyboard press
    inline.register(app)  # @bot queries
    groups.register(app)  # my_chat_member: greet, pause on removal
    groups.register_fallback(app)  # unknown commands: last
    errors.register(app)


async def post_init(app: App) -> None:
    """Open resources and tell Telegram our command menu."""
    data = app.bot_data
    if data.settings and data.settings.database_url and data.store is None:
        data.store = await Store.open(data.settings.database_url,
                                      timedelta(hours=data.settings.catch_up_hours))
    for lang, entries in MENU.items():
        commands = [BotCommand(name, description) for name, description in entries]
        code = None if lang == "zh" else lang
        for scope in (BotCommandScopeAllPrivateChats(), BotCommandScopeAllGroupChats()):
            await app.bot.set_my_commands(commands, scope=scope, language_code=code)
    schedule_push(app)
    # jieba (summaries) loads in ~1 s: do it in a daemon thread so neither start-up nor the
    # first /summary waits for it (summaries take the same lock, so they never race it).
    threading.Thread(target=warm_up, name="warm-jieba", daemon=True).start()


async def post_shutdown(app: App) -> None:
    """Close what post_init opened."""
    if app.bot_data.store is not None:
        await app.bot_data.store.close()
        app.bot_data.store = None


def rate_limiter(settings: Settings) -> AIORateLimiter:
    """PTB's limiter, paced smoothly: one message every 1/rate seconds (and per group every
    60/rate seconds) instead of bursts, so no one-second window ever exceeds Telegram's limits.
    The limits are per process: with several replicas, divide the rates among them."""
    return AIORateLimiter(overall_max_rate=1, overall_time_period=1 / settings.rate_per_second,
                          group_max_rate=1, group_time_period=60 / settings.group_per_minute, max_retries=2)


def push_bot(settings: Settings, token: str, base_url: str | None = None) -> ExtBot[None]:
    """A bot for push passes outside the Application (CLI, benchmarks): same limiter, and a
    connection pool as large as the push concurrency."""
    request = AiohttpRequest(connection_pool_size=settings.push_concurrency + 4)
    return ExtBot(token, base_url=base_url or settings.api_base_url, request=request,
                  rate_limiter=rate_limiter(settings) if settings.rate_limit else None,
                  defaults=Defaults(parse_mode=ParseMode.HTML))


def build_application(settings: Settings, speech: Speech | None = None, token: str | None = None) -> App:
    """The bot's ``Application`` for ``settings`` (token from settings unless given)."""
    token = token or settings.require_token()
    builder = (
        Application.builder()
        .token(token)
        .request(AiohttpRequest(connection_pool_size=256))
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        .base_url(settings.api_base_url)
        .base_file_url(settings.api_base_url.replace("/bot", "/file/bot"))
        .context_types(CONTEXT_TYPES)
        # No link-preview option: our texts carry no URLs (deep links live in buttons).
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .concurrent_updates(settings.concurrent_updates)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.rate_limit:
        builder = builder.rate_limiter(rate_limiter(settings))
    app: App = builder.build()
    app.bot_data.settings = settings
    app.bot_data.speech = speech or load_speech(settings.speech_file)
    register_handlers(app)
    return app
