"""What handlers need from storage: a small protocol returning plain frozen records.

Handlers never see ORM rows or the database: ``bot.storage.chats.ChatRepository`` implements
``ChatStore`` and arrives through the context (``context.store``). A column added to the table
reaches the rendering code only if it is added here on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from telegram.constants import ChatType

from content.formats.blocks import Metadata
from content.library import TextInfo, TextStatus
from content.model import ORIGINAL
from handlers.catalog import Lang


def chat_type(value: str) -> ChatType:
    """A chat's type as Telegram (``Chat.type``) or the database gives it; a type this PTB does
    not know counts as a group (it is not a private chat: settings stay with its admins)."""
    try:
        return ChatType(value)
    except ValueError:
        return ChatType.GROUP


class ReminderFormat(StrEnum):
    """How a chat gets its daily reminder; the value is what the database keeps."""

    TEXT = "text"
    CARD = "card"
    """A picture with the reminder as its caption."""

    @classmethod
    def stored(cls, value: str | None) -> ReminderFormat:
        """The format a row holds: none, or a value this code does not know, is text."""
        try:
            return cls(value or cls.TEXT)
        except ValueError:
            return cls.TEXT


@dataclass(frozen=True)
class ChatRecord:
    """A chat's daily-reminder settings as handlers see them."""

    chat_id: int
    kind: ChatType
    lang: Lang
    subscribed: bool
    paused: bool
    push_time: str  # HH:MM, local to ``timezone``
    timezone: str  # IANA name
    next_due_at: datetime | None  # UTC; None unless subscribed and not paused
    reminder_format: ReminderFormat = ReminderFormat.TEXT
    open_polls: bool = False  # quizzes in this group show who answered (and feed /rank)
    quiz_daily: bool = False  # the daily reminder comes with the day's quiz
    text_id: int | None = None  # the chat's current text in the library (None: the original speech)
    thread_id: int | None = None  # the forum topic its push goes to (None: General, or a chat without topics)
    topic_name: str | None = None  # that topic's name, when the bot learned it


class ChatStore(Protocol):
    """Subscriptions, per chat. Each call is one transaction; each returns the chat's new state."""

    async def chat(self, chat_id: int) -> ChatRecord | None:
        """The chat's settings, or None if the bot never stored anything for it."""
        ...

    async def text_of(self, chat_id: int) -> int | None:
        """The chat's current text (None: the original), on every update: may be read through a
        short cache (a switch on another replica shows within seconds; on this one at once)."""
        ...

    async def subscribe(self, chat_id: int, kind: ChatType, lang: Lang, push_time: str | None = None) -> ChatRecord:
        """Turn the daily reminder on (resuming a paused chat); optionally at ``push_time``."""
        ...

    async def unsubscribe(self, chat_id: int) -> bool:
        """Turn it off; True if it was on."""
        ...

    async def configure(self, chat_id: int, kind: ChatType, push_time: str | None = None,
                        zone: str | None = None, reminder_format: ReminderFormat | None = None,
                        open_polls: bool | None = None, quiz_daily: bool | None = None,
                        text_id: int | None = None) -> ChatRecord:
        """Change the time, the zone, the reminder's format or the current text (``/use``; 1 is
        the original speech), also before subscribing; None leaves a setting as it is."""
        ...

    async def set_topic(self, chat_id: int, kind: ChatType, thread_id: int | None,
                        name: str | None = None) -> ChatRecord:
        """Where the push, the plan's days and the daily quiz go: forum topic ``thread_id`` (named
        ``name`` when known), or None: General (a chat without topics has nothing else)."""
        ...

    async def rename_topic(self, chat_id: int, thread_id: int, name: str) -> None:
        """Topic ``thread_id`` is now called ``name``: the chat's push topic keeps its name up to date."""
        ...

    async def set_member(self, chat_id: int, kind: ChatType, present: bool) -> ChatRecord:
        """The bot was added (resume) or removed/blocked (pause)."""
        ...

    async def migrate(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: the subscription moves to ``new_id`` (idempotent)."""
        ...


@dataclass(frozen=True)
class TextRecord:
    """A stored text: what the library lists (``info``) and the body it parses."""

    info: TextInfo
    body: str


class Texts(Protocol):
    """The library's texts, in the database so that every replica sees a new one at once."""

    async def texts(self, statuses: tuple[TextStatus, ...] = (TextStatus.LIVE,)) -> list[TextInfo]:
        """The texts in those states, newest first (the original speech last)."""
        ...

    async def text(self, text_id: int) -> TextRecord | None:
        """A text with its body, in any state; None for an id never stored (or a discarded draft)."""
        ...

    async def live_ids(self) -> frozenset[int]:
        """The ids of the live texts, on every search: may be read through a short cache (a
        publish or removal on this replica shows at once, on another within seconds); what
        must be exact (/texts, /use) reads ``texts`` and ``text``."""
        ...

    async def add(self, body: str, metadata: Metadata, source: str, nodes: int,
                  added_by: int | None = None, status: TextStatus = TextStatus.DRAFT) -> tuple[TextInfo, bool]:
        """Store a text by the digest of its body: ``(its info, True)`` when new; an existing
        text's info and False when the same body is stored already (a removed one comes back
        as ``status``, a draft is published by ``status="live"``)."""
        ...

    async def describe(self, text_id: int, metadata: Metadata) -> TextInfo | None:
        """Replace a text's metadata (title, speaker, date, occasion); None for an unknown id."""
        ...

    async def set_status(self, text_id: int, status: TextStatus) -> TextInfo | None:
        """Publish a draft (live) or take a text out (removed: the chats reading it go back to
        the original speech); None for an unknown id, and the original cannot be removed."""
        ...

    async def discard(self, text_id: int) -> bool:
        """Delete a draft that was never published; False for anything else."""
        ...


class CardFiles(Protocol):
    """Telegram's file_id of each card already uploaded, by the card's key."""

    async def file_id(self, key: str) -> str | None:
        ...

    async def remember(self, key: str, file_id: str) -> None:
        ...

    async def forget(self, key: str) -> None:
        """Telegram refused the file_id: the next send uploads the card again."""
        ...


@dataclass(frozen=True)
class StatsReport:
    """The owner's view (``/stats``): counts only, no user or chat ids."""

    chats: tuple[tuple[str, int, int], ...]  # (kind, chats, subscribed and not paused)
    schedule: tuple[tuple[str, int, int], ...]  # (time zone, local hour, active subscriptions)
    deliveries: tuple[tuple[str, int], ...]  # (outcome, count) over the last 7 local days
    failures: tuple[tuple[str, str, int], ...]  # (outcome, reason, count) for failed/gave_up/uncertain
    misses: tuple[tuple[str, int], ...]  # (search text that found nothing, how often), most first


class Insights(Protocol):
    """What the bot learns about its own use, for the owner."""

    async def record_miss(self, query: str) -> None:
        """Count a search text that found nothing (trimmed; never who asked)."""
        ...

    async def report(self) -> StatsReport:
        """The owner's report as of now."""
        ...


@dataclass(frozen=True)
class PlanRecord:
    """A chat's reading plan: of one text, which it keeps reading after the chat switches texts."""

    chat_id: int
    days: int
    start_date: date  # local to the chat
    text_id: int = ORIGINAL  # the library's text the plan reads


@dataclass(frozen=True)
class Standing:
    """One line of a weekly leaderboard."""

    name: str
    correct: int
    answered: int


class Study(Protocol):
    """Reading plans, quizzes, bookmarks: what members do, for their progress and leaderboards."""

    async def plan(self, chat_id: int) -> PlanRecord | None: ...

    async def plans(self, chat_ids: list[int]) -> dict[int, PlanRecord]:
        """The plans of those of ``chat_ids`` that have one (the push asks once a batch)."""
        ...

    async def start_plan(self, chat_id: int, days: int, start_date: date, text_id: int = ORIGINAL) -> PlanRecord:
        """Start (or restart) the chat's plan of ``days`` days on text ``text_id``."""
        ...

    async def stop_plan(self, chat_id: int) -> bool: ...

    async def mark_read(self, user_id: int, chat_id: int, day: int, passage: str, read_on: date) -> bool:
        """True if this is new (a second tap changes nothing). ``day`` is the plan's
        (``content.plan.reading_key``): a restarted plan's day 1 is not the old plan's."""
        ...

    async def reading_dates(self, user_id: int) -> list[date]: ...

    async def passages_read(self, user_id: int) -> set[str]:
        """The node ids of every passage the member marked as read, in any chat."""
        ...

    async def readers(self, chat_id: int, day: int, passage: str = "") -> int:
        """How many members marked ``day`` (``content.plan.reading_key``) read, their reading
        holding every node of ``passage`` (comma-separated ids; empty: any)."""
        ...

    async def readers_by_day(self, chat_id: int, passages: dict[int, str]) -> dict[int, int]:
        """``readers`` of many days at once (``{day: passage}``): the same count, in few queries."""
        ...

    async def remember_poll(self, poll_id: str, chat_id: int, question: str, correct: int, anonymous: bool) -> None: ...

    async def asked_since(self, chat_id: int, since: datetime) -> set[str]:
        """The keys of the quiz questions sent to the chat at or after ``since`` (a chat is not
        asked the same again within a week); rows older than the retention are pruned."""
        ...

    async def record_answer(self, poll_id: str, user_id: int, name: str, options: tuple[int, ...],
                            now: datetime) -> bool | None:
        """Whether the answer was right; None for a poll the bot does not know."""
        ...

    async def rank(self, chat_id: int, week: str, limit: int = 10) -> list[Standing]: ...

    async def quiz_score(self, user_id: int) -> tuple[int, int]:
        """(right, answered) over every quiz the member answered."""
        ...

    async def bookmarks(self, user_id: int) -> list[str]: ...

    async def toggle_bookmark(self, user_id: int, ref: str) -> bool:
        """Save ``ref`` (q:<quote number> or n:<node id>), or remove it if saved; True if saved now."""
        ...

    async def saved_as_daily(self, user_id: int) -> bool:
        """Does the member want a bookmark as their quote of the day?"""
        ...

    async def set_saved_as_daily(self, user_id: int, on: bool) -> None: ...

    async def forget(self, user_id: int) -> int:
        """Delete everything stored about the member (answers, readings, bookmarks, settings) and
        their private chat's reminder, plan, quiz polls and delivery log; how many rows went."""
        ...


@dataclass(frozen=True)
class Position:
    """Where a member stopped reading a text: the node of the block at the top of the screen and
    that block's first character in the whole text (``content.document``)."""

    node_id: str
    char_at: int


class Positions(Protocol):
    """The reader's (Mini App) place in each text, per member; ``/forget`` deletes it too."""

    async def position(self, user_id: int, text_id: str) -> Position | None: ...

    async def set_position(self, user_id: int, text_id: str, position: Position) -> None: ...


@dataclass(frozen=True)
class LedgerState:
    """A group's 学习台账 switch: on or off since ``since``, the title its files carry, and the
    administrators who asked for the weekly look."""

    chat_id: int
    enabled: bool
    since: datetime
    title: str
    weekly: frozenset[int] = frozenset()


@dataclass(frozen=True)
class NoteRecord:
    """A member's 心得: on node ``node_id`` (scoped) of text ``text_id``, written in ``chat_id``."""

    id: int
    user_id: int
    chat_id: int
    text_id: int
    node_id: str
    text: str
    written_at: datetime
    edited_at: datetime | None = None


@dataclass(frozen=True)
class PlanDayRecord:
    """A plan day as posted in a chat: day ``day`` of the ``days``-day plan of text ``text_id``
    started on ``start_date``, posted on ``local_date``; ``members``: the chat's size that day
    (None: not asked yet)."""

    chat_id: int
    local_date: date
    text_id: int
    start_date: date
    days: int
    day: int
    members: int | None = None


@dataclass(frozen=True)
class QuizSent:
    """A quiz poll sent in a chat: its question's key (``content.quiz.Question.key``) and the
    answers the bot saw (open polls), how many of them right."""

    poll_id: str
    question: str
    sent_at: datetime
    answered: int = 0
    right: int = 0
    anonymous: bool = False  # Telegram tells the bot nothing of who answered: no counts


@dataclass(frozen=True)
class MemberTally:
    """What one member did in a chat in a period: plan days marked ✅ 读完了, quiz answers."""

    user_id: int
    days_read: int = 0
    answered: int = 0
    right: int = 0


@dataclass(frozen=True)
class LedgerActivity:
    """What a chat's members did in a period, as the record reads it: who joined (by name), the
    plan's ✅, the quizzes and their answers, the 心得."""

    joined: tuple[tuple[int, str], ...]  # (user id, name at joining), by joining
    tallies: tuple[MemberTally, ...]  # every member who marked a day or answered a quiz
    quizzes: tuple[QuizSent, ...]
    notes: tuple[NoteRecord, ...]


class Ledgers(Protocol):
    """A group's 学习台账: the switch, the members who joined it, 心得, plan days as posted.
    Each call is one transaction."""

    async def state(self, chat_id: int) -> LedgerState | None: ...

    async def switch(self, chat_id: int, on: bool, title: str) -> LedgerState:
        """Turn the record on or off (``since`` moves only when the switch changes)."""
        ...

    async def set_weekly(self, chat_id: int, user_id: int, on: bool) -> None: ...

    async def weekly(self) -> list[tuple[int, int]]:
        """(chat, administrator) of every weekly look asked for in a chat whose record is on."""
        ...

    async def claim_weekly(self, chat_id: int, user_id: int, monday: date) -> bool:
        """Take the look of the week of ``monday`` for sending: True once, whichever replica asks."""
        ...

    async def join(self, chat_id: int, user_id: int, name: str) -> bool:
        """The member joins the record by ``name``; False if they had joined (the name is kept)."""
        ...

    async def leave(self, chat_id: int, user_id: int) -> bool: ...

    async def add_note(self, user_id: int, chat_id: int, text_id: int, node_id: str, body: str) -> NoteRecord: ...

    async def notes(self, user_id: int) -> list[NoteRecord]:
        """The member's 心得, newest first."""
        ...

    async def note(self, user_id: int, note_id: int) -> NoteRecord | None:
        """One of the member's 心得 (None for another's, or one deleted)."""
        ...

    async def edit_note(self, user_id: int, note_id: int, body: str) -> NoteRecord | None: ...

    async def delete_note(self, user_id: int, note_id: int) -> bool: ...

    async def record_day(self, day: PlanDayRecord) -> bool:
        """Keep a plan day as posted (the first posting of a chat's local date wins); True if new."""
        ...

    async def set_members(self, chat_id: int, local_date: date, members: int) -> None: ...

    async def plan_days(self, chat_id: int, start: date, end: date) -> list[PlanDayRecord]:
        """The chat's plan days posted from ``start`` to ``end`` (local, inclusive), by date."""
        ...

    async def activity(self, chat_id: int, start: datetime, end: datetime, first: date,
                       last: date) -> LedgerActivity:
        """What the chat's members did from ``start`` to ``end`` (instants, end excluded): ✅ by
        their local date ``first``..``last``, quizzes, answers and 心得 by their instant; counted
        in the database."""
        ...

    async def migrate(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: its record (switch, members, 心得, plan days, ✅,
        quizzes) moves to ``new_id``."""
        ...

    async def forget(self, user_id: int) -> int:
        """Delete the member's joinings, 心得 and weekly looks; how many rows went."""
        ...


class Stored(Protocol):
    """The database's repositories as handlers use them, always there (with no database
    configured, over one in memory). ``bot.storage.Store`` is one."""

    @property
    def chats(self) -> ChatStore: ...

    @property
    def insights(self) -> Insights: ...

    @property
    def cards(self) -> CardFiles: ...

    @property
    def study(self) -> Study: ...

    @property
    def positions(self) -> Positions: ...

    @property
    def texts(self) -> Texts: ...

    @property
    def ledger(self) -> Ledgers: ...
