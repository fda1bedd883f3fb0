"""The composition root: build the ``Application`` and everything it owns.

``Services`` makes the store (its repositories over the database, not yet connected), migrates
the database and starts the push in ``post_init`` and closes them in ``post_shutdown``; handlers
get what they need through ``BotData`` (the speech, the ``ChatStore``, the defaults), set before
any of them runs, never by importing this module. Handlers are registered in one
commented order. Updates are handled concurrently (``SPEECHBOT_CONCURRENT_UPDATES``) so one
slow chat never holds up the others; replies within one chat may then interleave when a user
sends several commands at once, which is harmless for this bot's stateless commands.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseRateLimiter,
    CommandHandler,
    Defaults,
    ExtBot,
)

from bot import metrics
from bot.clock import Clock, system_clock
from bot.fairness import FairUpdateProcessor
from bot.intake import makers
from bot.ops import Ops
from bot.push import Pusher, PushReport, schedule_push, speech_makers
from bot.ratelimit import SharedRateLimiter
from bot.reader.api import Reader, ReaderServices
from bot.reader.routes import ReaderApp
from bot.settings import Settings
from bot.storage import Store
from bot.transport import AiohttpRequest
from content import Speech, load_speech
from content.cards import card_font
from content.encoder import load_encoder
from content.library import Library, body_of, node_count
from content.shen import Ranking, rank
from handlers import (
    buttons,
    errors,
    finding,
    groups,
    inline,
    ledger,
    reading,
    sharing,
    stats,
    study,
    subscriptions,
    texts,
    topics,
    uploads,
)
from handlers.catalog import MENU
from handlers.context import CONTEXT_TYPES, Bot, BotApplication, ChatDefaults, WebAppLinks
from handlers.shelf import Shelf

log = logging.getLogger(__name__)

App = BotApplication


class InstrumentedApplication(BotApplication):
    """PTB's Application, counting every update by type and command and timing its handling
    from the first handler to the last (errors included): the one place that sees all of it."""

    known_commands: frozenset[str] = frozenset()

    async def process_update(self, update: object) -> None:
        kind = metrics.update_type(update)
        metrics.UPDATES.labels(kind, metrics.command_of(update, self.known_commands, finding.COMMAND_ALIASES)).inc()
        started = time.perf_counter()
        try:
            await super().process_update(update)
        finally:
            metrics.UPDATE_SECONDS.labels(kind).observe(time.perf_counter() - started)


def register_handlers(app: App) -> None:
    """Every handler, in the order PTB tries them (first match in a group wins)."""
    topics.register_middleware(app)  # group -3: the names of forum topics the bot sees
    texts.register_middleware(app)  # group -2: the update's text (the chat's, or the button's)
    subscriptions.register_middleware(app)  # group -1: migrations, chat bookkeeping
    study.register_links(app)  # /start forget (deep link from a group's /forget): before /start
    ledger.register_links(app)  # /start notes, /start ledger (deep links from a group): before /start
    reading.register(app)  # /start /help /outline /mulu /show
    # The owner's documents, replies to the ✏️ prompt (before finding's private text search), /describe
    uploads.register(app)
    ledger.register(app)  # /ledger /note /notes, replies to the ✏️ prompt under /notes
    finding.register(app)  # /search /quote /today /summary /shen, private plain text
    subscriptions.register(app)  # /subscribe /unsubscribe /settime /timezone /settings
    stats.register(app)  # /stats: the owner's report (others: as an unknown command)
    sharing.register(app)  # /card: a quote as a picture
    study.register(app)  # /plan /progress /quiz /rank /saved /forget /privacy, poll answers
    texts.register(app)  # /texts /use: the library, and switching the chat's text
    buttons.register(app)  # every inline-keyboard press
    inline.register(app)  # @bot queries
    groups.register(app)  # my_chat_member: greet, pause on removal
    groups.register_fallback(app)  # unknown commands: last
    ledger.register_middleware(app)  # group 1: a migrated group keeps its 学习台账
    errors.register(app)


def rate_limit_prefix(token: str) -> str:
    """The bot's keys in a shared Redis: its id (the token's public part), never the secret."""
    return f"speechbot:{token.split(':', 1)[0]}"


def rate_limiter(settings: Settings, token: str) -> BaseRateLimiter[int]:
    """Paced smoothly: one message every 1/rate seconds (and per group every 60/rate seconds)
    instead of bursts, so no one-second window ever exceeds Telegram's limits. ``local``: PTB's
    limiter, per process (with several replicas, divide the rates); ``redis``: one budget that
    every replica of the bot shares (``bot.ratelimit``)."""
    if settings.rate_limiter == "redis":
        return SharedRateLimiter(settings.redis_url, settings.rate_per_second,
                                 settings.group_per_minute, rate_limit_prefix(token))
    return AIORateLimiter(overall_max_rate=1, overall_time_period=1 / settings.rate_per_second,
                          group_max_rate=1, group_time_period=60 / settings.group_per_minute, max_retries=2)


def push_bot(settings: Settings, token: str, base_url: str | None = None) -> Bot:
    """A bot for push passes outside the Application (CLI, benchmarks): same limiter, and a
    connection pool as large as the push concurrency."""
    request = AiohttpRequest(connection_pool_size=settings.push_concurrency + 4)
    return ExtBot(token, base_url=base_url or settings.api_base_url, request=request,
                  rate_limiter=rate_limiter(settings, token) if settings.rate_limit else None,
                  defaults=Defaults(parse_mode=ParseMode.HTML))


def reminder_ranking(speech: Speech, settings: Settings) -> Ranking | None:
    """The 慎 reminder's ranking by the configured encoder (``content.shen.rank``): from the cache
    directory, else ~3 s of encoding the first time; once per process."""
    return rank(speech, load_encoder(settings.encoder), settings.cache_dir)


def make_pusher(bot: Bot, store: Store, source: Speech | Library | Shelf, settings: Settings,
                ranking: Ranking | None = None) -> Pusher:
    """The push worker as the settings configure it, over the bot's library (each chat's
    reminder quotes its current text), or a library of ``source`` alone (tools: the others are
    loaded from the database as chats need them); ``ranking``: the original's when the caller
    already has it (the bot computes it once in post_init), else it is read or computed here."""
    if isinstance(source, Speech):
        made = speech_makers(source, ranking if ranking is not None else reminder_ranking(source, settings),
                             makers(settings, isolate=True))
        source = Library.of(source, made, capacity=settings.library_books)
    return Pusher(bot, store, source, settings.push_concurrency, settings.push_batch,
                  at_least_once=settings.push_delivery == "at-least-once")


class Services:
    """What the Application owns besides PTB's own resources: the database and the push.
    ``clock`` is the bot's one clock: the store, the push and the handlers all read it."""

    def __init__(self, settings: Settings, speech: Speech | None = None, clock: Clock = system_clock) -> None:
        self.settings = settings
        self.clock = clock
        self.speech = speech or load_speech(settings.speech_file)
        # Summaries in a child process: jieba's ~110 MB dictionary never stays in the bot.
        self.library = Library.of(self.speech, makers(settings, isolate=True), capacity=settings.library_books)
        # Connected and migrated in post_init; no database configured: one in memory, nothing kept.
        self.store = Store.of(settings, clock)
        self.shelf = Shelf(self.library, self.store.texts)
        self.searcher = self.library.original.searcher
        self.summaries = self.library.original.summaries
        self.pusher: Pusher | None = None
        self.ops = Ops(settings.push_interval_seconds if settings.push_enabled else None, clock)
        self.requests = (AiohttpRequest(connection_pool_size=256), AiohttpRequest(connection_pool_size=1))

    async def close_requests(self) -> None:
        """Close the HTTP pools even when ``initialize`` failed (PTB then skips its shutdown)."""
        for request in self.requests:
            await request.shutdown()

    def build(self, token: str | None = None) -> App:
        """The bot's ``Application`` (token from the settings unless given)."""
        settings = self.settings
        card_font(40)  # a missing card font is a start-up error (CardFontMissing), not tofu later
        token = token or settings.require_token()
        builder = (
            Application.builder()
            .token(token)
            .request(self.requests[0])
            .get_updates_request(self.requests[1])
            .base_url(settings.api_base_url)
            .base_file_url(settings.api_base_url.replace("/bot", "/file/bot"))
            .context_types(CONTEXT_TYPES)
            # No link-preview option: our texts carry no URLs (deep links live in buttons).
            .defaults(Defaults(parse_mode=ParseMode.HTML))
            # Fair: one chat's burst of searches cannot take every slot (see bot.fairness).
            .concurrent_updates(FairUpdateProcessor(settings.concurrent_updates))
            .post_init(self.post_init)
            .post_shutdown(self.post_shutdown)
            .application_class(InstrumentedApplication)
        )
        # The rate limiter changes the builder's type (its bot's): each branch builds its own.
        app: App = (builder.rate_limiter(rate_limiter(settings, token)).build() if settings.rate_limit
                    else builder.build())
        app.bot_data.library = self.library
        app.bot_data.shelf = self.shelf
        app.bot_data.stored = self.store
        app.bot_data.persistent = bool(settings.database_url)
        app.bot_data.defaults = ChatDefaults(timezone=settings.timezone, push_time=settings.push_time)
        app.bot_data.owners = settings.admin_ids
        app.bot_data.max_upload_bytes = settings.max_upload_bytes
        app.bot_data.import_limits = settings.import_limits()
        app.bot_data.clock = self.clock
        if settings.webapp_url:
            app.bot_data.webapp = WebAppLinks(settings.webapp_url, settings.webapp_short_name)
        register_handlers(app)
        if isinstance(app, InstrumentedApplication):
            app.known_commands = frozenset(command for handlers in app.handlers.values() for handler in handlers
                                           if isinstance(handler, CommandHandler) for command in handler.commands)
        return app

    async def post_init(self, app: App) -> None:
        """Migrate the database, start the push job, and tell Telegram our command menu."""
        settings = self.settings
        await self.store.db.migrate()
        self.ops.store = self.store
        # Text 1 is the speech file: stored on first start, kept up to date with the file.
        self.library.original.info = await self.store.texts.ensure_original(
            body_of(self.speech), self.speech.title, Path(self.speech.source).name, node_count(self.speech))
        for lang, entries in MENU.items():
            commands = [BotCommand(name, description) for name, description in entries]
            code = None if lang == "zh" else lang
            for scope in (BotCommandScopeAllPrivateChats(), BotCommandScopeAllGroupChats()):
                await app.bot.set_my_commands(commands, scope=scope, language_code=code)
        # Before any update or push: /today, the push and `speechbot reminder` use one ranking.
        app.bot_data.ranking = await asyncio.to_thread(reminder_ranking, self.speech, settings)
        if settings.push_enabled:
            self.pusher = make_pusher(app.bot, self.store, self.shelf, settings)
            schedule_push(app, self.pusher, settings.push_interval_seconds, self.after_pass)
            ledger.schedule_weekly(app)  # the administrators' weekly look at the 学习台账
        # The summaries (from the cache, or ~3 s in a child process) and the encoder (~1.5 s) with
        # the embeddings (from the cache, or ~2 s): in daemon threads, so start-up does not wait;
        # a member who asks first waits on the service's lock, never for a second load.
        warming = [threading.Thread(target=_warm, args=(self.summaries.warm,), name="warm-summaries", daemon=True),
                   threading.Thread(target=_warm, args=(self.searcher.warm,), name="warm-search", daemon=True)]
        for thread in warming:
            thread.start()
        if settings.freeze_heap:
            threading.Thread(target=_freeze_after, args=(warming,), name="freeze-heap", daemon=True).start()

    def reader(self, app: App) -> ReaderApp:
        """The reader (Mini App) on the bot's HTTP server, over this bot's services; initData is
        checked with the bot's token."""
        data = app.bot_data

        def services() -> ReaderServices:
            return ReaderServices(speech=self.speech, searcher=self.searcher, shelf=self.shelf, study=data.study,
                                  positions=data.positions, chats=data.store, clock=self.clock,
                                  timezone=self.settings.timezone)

        return ReaderApp(Reader(services), app.bot.token, self.settings.webapp_max_age_seconds,
                         self.settings.webapp_rate_per_minute, self.clock)

    async def after_pass(self, report: PushReport) -> None:
        """After each push pass: count its outcomes, mark the push alive, prune one batch."""
        metrics.count_push(report.to_dict())
        self.ops.push_passed()
        pruned = await self.store.insights.prune(self.clock())
        if pruned:
            log.info("retention: deleted %d old rows", pruned)

    async def post_shutdown(self, app: App) -> None:
        """Close what post_init opened (a database in memory goes with it)."""
        self.ops.store = None
        await self.store.close()


def _warm(load: Callable[[], object]) -> None:
    """Run a warm-up; a failure is logged (the first request will try again and answer)."""
    try:
        load()
    except Exception:  # a warm-up must never take a thread down silently
        log.warning("warm-up %s failed; the first request will retry", getattr(load, "__qualname__", load),
                    exc_info=True)


_frozen = threading.Event()


def _freeze_after(warming: list[threading.Thread]) -> None:
    """When the warm-ups are done, freeze what start-up built (the speech, its indexes, the
    encoder): it lives as long as the process, so the collector's full passes, which would walk it
    (~0.2 s each, an update's p99), skip it from then on. Once per process: a second bot in the
    same process (tests, the console) keeps its garbage collectable."""
    for thread in warming:
        thread.join()
    if _frozen.is_set():
        return
    _frozen.set()
    gc.collect()
    gc.freeze()


def build_application(settings: Settings, speech: Speech | None = None, token: str | None = None) -> App:
    """The bot's ``Application`` for ``settings``, with its own ``Services``."""
    return Services(settings, speech).build(token)
