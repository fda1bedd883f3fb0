"""Typed context (PTB's ``contexttypesbot`` pattern): handlers read ``context.speech``,
``context.store`` and ``context.defaults``, filled in by the composition root (``bot.app``).

Nothing here imports ``bot``: what handlers need arrives as plain values and protocols.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from content import Speech
from content.answer import Searcher
from content.shen import Ranking, Reminder, reminder
from content.summaries import Summaries
from handlers.caches import BoundedCache
from handlers.store import CardFiles, ChatStore, Insights, Positions, Study

ADMIN_TTL = 60.0  # seconds a group member's admin status is trusted before asking Telegram again
ADMIN_CACHE_SIZE = 10_000  # (chat, user) pairs remembered at most


@dataclass(frozen=True)
class ChatDefaults:
    """What a chat gets until it chooses otherwise (from ``Settings``, the one home of defaults)."""

    timezone: str
    push_time: str


@dataclass(frozen=True)
class WebAppLinks:
    """Where the reader (Mini App) is served (``SPEECHBOT_WEBAPP_URL``, HTTPS) and its short name
    at @BotFather (``SPEECHBOT_WEBAPP_SHORT_NAME``: groups open it by ``t.me/<bot>/<name>``)."""

    url: str
    short_name: str | None = None


class BotData:
    """Process-wide state, set by ``bot.app.build_application`` and ``post_init``."""

    def __init__(self) -> None:
        self.speech: Speech | None = None
        self.searcher: Searcher | None = None  # the search service over ``speech`` (three tiers)
        self.summaries: Summaries | None = None  # every summary of ``speech``, computed once
        self.defaults: ChatDefaults | None = None
        self.store: ChatStore | None = None
        self.insights: Insights | None = None
        self.cards: CardFiles | None = None  # file_ids of uploaded cards (None: upload every time)
        self.study: Study | None = None  # plans, quizzes, bookmarks (None without a database)
        self.positions: Positions | None = None  # the reader's place per member (None without a database)
        self.webapp: WebAppLinks | None = None  # the reader (Mini App): None hides its buttons
        self.ranking: Ranking | None = None  # how close each quote is to each 慎 (None: no encoder)
        self.clock: Callable[[], datetime] | None = None  # the bot's one clock (aware UTC), the store's too
        self.owners: frozenset[int] = frozenset()  # Telegram user ids allowed to see /stats
        self.greeted: set[int] = set()  # groups introduced to since their last addition
        # (chat, user) → is an admin: bounded, and each answer trusted for ADMIN_TTL seconds.
        self.admin_cache: BoundedCache[tuple[int, int], bool] = BoundedCache(ADMIN_CACHE_SIZE, ADMIN_TTL)


# The bot as handlers see it: its rate limiter's argument type is the composition root's choice.
Bot = ExtBot[Any]


class BotContext(CallbackContext[Bot, dict[Any, Any], dict[Any, Any], BotData]):
    """``CallbackContext`` with typed accessors for what every handler needs."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any], chat_id: int | None = None,
                 user_id: int | None = None) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def speech(self) -> Speech:
        assert self.bot_data.speech is not None, "bot.app sets the speech before handlers run"
        return self.bot_data.speech

    @property
    def searcher(self) -> Searcher:
        """The search service; ``answer`` blocks (it may encode the query): call it in a thread."""
        assert self.bot_data.searcher is not None, "bot.app sets the searcher before handlers run"
        return self.bot_data.searcher

    @property
    def summaries(self) -> Summaries:
        """The summaries; ``get`` blocks until they are computed (at start): call it in a thread."""
        assert self.bot_data.summaries is not None, "bot.app sets the summaries before handlers run"
        return self.bot_data.summaries

    @property
    def defaults(self) -> ChatDefaults:
        assert self.bot_data.defaults is not None, "bot.app sets the defaults before handlers run"
        return self.bot_data.defaults

    @property
    def store(self) -> ChatStore | None:
        """The subscriptions, or None when the bot runs without a database."""
        return self.bot_data.store

    @property
    def insights(self) -> Insights | None:
        """The owner's report and the no-hit query counts, or None without a database."""
        return self.bot_data.insights

    def now(self) -> datetime:
        """The current instant (from ``BotData.clock``): handlers never read the system clock."""
        assert self.bot_data.clock is not None, "bot.app sets the clock before handlers run"
        return self.bot_data.clock()

    def today(self, zone: ZoneInfo | None = None) -> date:
        """The local date by the clock in ``zone`` (the bot's default zone unless given)."""
        return self.now().astimezone(zone or self.zone).date()

    def reminder(self, day: date) -> Reminder:
        """The daily 慎 reminder of ``day``: the one rule (``content.shen.reminder``) with the
        bot's ranking, as the push and ``speechbot reminder`` use it."""
        return reminder(self.speech, day, self.bot_data.ranking)

    @property
    def zone(self) -> ZoneInfo:
        """The bot's default time zone."""
        return ZoneInfo(self.defaults.timezone)


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
# What every ``register(app)`` receives: the Application the composition root builds.
BotApplication = Application[Bot, BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
