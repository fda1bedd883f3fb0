"""Typed context (PTB's ``contexttypesbot`` pattern): handlers read ``context.speech``,
``context.store`` and ``context.defaults``, filled in by the composition root (``bot.app``).

``context.speech`` (and ``searcher``, ``summaries``) are the *current text*'s: the book the
library middleware (``handlers.texts``) chose for this update: the chat's text (``/use``), or
the text a pressed button names, else the original speech.

Nothing here imports ``bot``: what handlers need arrives as plain values and protocols.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from content import Speech
from content.answer import Searcher
from content.formats.limits import Limits
from content.library import Book, Library, reminder_of
from content.shen import Ranking, Reminder
from content.summaries import Summaries
from handlers.caches import BoundedCache
from handlers.shelf import Shelf
from handlers.store import CardFiles, ChatStore, Insights, Ledgers, Positions, Stored, Study, Texts

ADMIN_TTL = 60.0  # seconds a group member's admin status is trusted before asking Telegram again
ADMIN_CACHE_SIZE = 10_000  # (chat, user) pairs remembered at most
IMPORT_SLOTS = 2  # uploads imported at once, each in its child process
TOPIC_NAMES = 10_000  # (chat, thread) → a forum topic's name, remembered at most


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
    """Process-wide state. PTB makes it without arguments; ``bot.app`` sets the services declared
    here without a value (the library, the shelf, the defaults, the repositories, the clock) when
    it builds the Application, before any handler runs: handlers never find one missing."""

    library: Library  # every text in memory; its original is the speech file
    shelf: Shelf  # the library's texts, fresh across replicas (``handlers.shelf``)
    defaults: ChatDefaults
    stored: Stored  # the database's repositories
    clock: Callable[[], datetime]  # the bot's one clock (aware UTC), the store's too

    def __init__(self) -> None:
        # False: the database lives in memory (``SPEECHBOT_DATABASE_URL`` empty) and goes with the
        # process: the library keeps to the original (no uploads, nothing to switch to).
        self.persistent = True
        self.webapp: WebAppLinks | None = None  # the reader (Mini App): None hides its buttons
        self.ranking: Ranking | None = None  # the original's quotes against each 慎 (None: no encoder)
        self.owners: frozenset[int] = frozenset()  # Telegram user ids allowed to see /stats and add texts
        self.max_upload_bytes: int = 5_000_000  # the largest document an owner may upload (Settings sets it)
        self.import_limits: Limits = Limits()  # what importing it may cost (Settings sets them)
        # Imports at once: each child may take ``import_limits.memory_mb``; more uploads wait their turn.
        self.import_slots = asyncio.Semaphore(IMPORT_SLOTS)
        self.greeted: set[int] = set()  # groups introduced to since their last addition
        # (chat, user) → is an admin: bounded, and each answer trusted for ADMIN_TTL seconds.
        self.admin_cache: BoundedCache[tuple[int, int], bool] = BoundedCache(ADMIN_CACHE_SIZE, ADMIN_TTL)
        # (chat, thread) → the name of a forum topic, learned from the messages the bot sees (``handlers.topics``).
        self.topic_names: BoundedCache[tuple[int, int], str] = BoundedCache(TOPIC_NAMES)

    @property
    def store(self) -> ChatStore:
        return self.stored.chats

    @property
    def insights(self) -> Insights:
        return self.stored.insights

    @property
    def cards(self) -> CardFiles:
        """File_ids of uploaded cards."""
        return self.stored.cards

    @property
    def study(self) -> Study:
        """Plans, quizzes, bookmarks."""
        return self.stored.study

    @property
    def positions(self) -> Positions:
        """The reader's place per member."""
        return self.stored.positions

    @property
    def texts(self) -> Texts:
        """The library's texts in the database."""
        return self.stored.texts

    @property
    def ledger(self) -> Ledgers:
        """The groups' 学习台账 and members' 心得."""
        return self.stored.ledger


# The bot as handlers see it: its rate limiter's argument type is the composition root's choice.
Bot = ExtBot[Any]


class BotContext(CallbackContext[Bot, dict[Any, Any], dict[Any, Any], BotData]):
    """``CallbackContext`` with typed accessors for what every handler needs."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any], chat_id: int | None = None,
                 user_id: int | None = None) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.book: Book | None = None  # this update's text (``handlers.texts``); None: the original
        self.viewer = user_id  # who sent the update (None for a job): what ``handlers.texts`` shows them
        self.in_private = chat_id is not None and chat_id == user_id  # the sender's private chat with the bot

    @property
    def sees_drafts(self) -> bool:
        """May this update show a draft? Only to an owner (``SPEECHBOT_ADMIN_IDS``) in their private
        chat with the bot: never in a group, nor in an inline result posted in any chat."""
        return self.in_private and self.viewer in self.bot_data.owners

    @property
    def library(self) -> Library:
        return self.bot_data.library

    @property
    def shelf(self) -> Shelf:
        """The texts a chat reads, fresh across replicas: every book a handler shows comes from here."""
        return self.bot_data.shelf

    @property
    def texts(self) -> Texts:
        """The library's texts in the database."""
        return self.bot_data.texts

    @property
    def current(self) -> Book:
        """The text this update works on (the chat's, or the one a button names)."""
        return self.book or self.library.original

    @property
    def speech(self) -> Speech:
        """The current text's speech: its node ids are scoped by the text (``2:4.2``)."""
        return self.current.speech

    @property
    def searcher(self) -> Searcher:
        """The current text's search service; ``answer`` blocks (it may encode the query): call
        it in a thread."""
        return self.current.searcher

    @property
    def summaries(self) -> Summaries:
        """The current text's summaries; ``get`` blocks until they are computed: call it in a thread."""
        return self.current.summaries

    @property
    def defaults(self) -> ChatDefaults:
        return self.bot_data.defaults

    @property
    def store(self) -> ChatStore:
        """The subscriptions."""
        return self.bot_data.store

    @property
    def insights(self) -> Insights:
        """The owner's report and the no-hit query counts."""
        return self.bot_data.insights

    @property
    def study(self) -> Study:
        """Plans, quizzes, bookmarks."""
        return self.bot_data.study

    def now(self) -> datetime:
        """The current instant (from ``BotData.clock``): handlers never read the system clock."""
        return self.bot_data.clock()

    def today(self, zone: ZoneInfo | None = None) -> date:
        """The local date by the clock in ``zone`` (the bot's default zone unless given)."""
        return self.now().astimezone(zone or self.zone).date()

    def reminder(self, day: date) -> tuple[Reminder, bool]:
        """The daily 慎 reminder of ``day`` from the current text, as the push and ``speechbot
        reminder`` make it (``content.library.reminder_of``), and whether it fell back to the
        original speech because no quote of the current text fits the day's principle. Blocks
        the first time a text is ranked: call it in a thread."""
        return reminder_of(self.current, self.library.original, day)

    @property
    def zone(self) -> ZoneInfo:
        """The bot's default time zone."""
        return ZoneInfo(self.defaults.timezone)


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
# What every ``register(app)`` receives: the Application the composition root builds.
BotApplication = Application[Bot, BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
