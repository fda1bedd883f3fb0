"""What handlers need from storage: a small protocol returning plain frozen records.

Handlers never see ORM rows or the database: ``bot.storage.chats.ChatRepository`` implements
``ChatStore`` and arrives through the context (``context.store``). A column added to the table
reaches the rendering code only if it is added here on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class ChatRecord:
    """A chat's daily-reminder settings as handlers see them."""

    chat_id: int
    kind: str
    lang: str
    subscribed: bool
    paused: bool
    push_time: str  # HH:MM, local to ``timezone``
    timezone: str  # IANA name
    next_due_at: datetime | None  # UTC; None unless subscribed and not paused
    reminder_format: str = "text"  # the daily reminder as "text" or as a "card" (picture + caption)


class ChatStore(Protocol):
    """Subscriptions, per chat. Each call is one transaction; each returns the chat's new state."""

    async def chat(self, chat_id: int) -> ChatRecord | None:
        """The chat's settings, or None if the bot never stored anything for it."""
        ...

    async def subscribe(self, chat_id: int, kind: str, lang: str, push_time: str | None = None) -> ChatRecord:
        """Turn the daily reminder on (resuming a paused chat); optionally at ``push_time``."""
        ...

    async def unsubscribe(self, chat_id: int) -> bool:
        """Turn it off; True if it was on."""
        ...

    async def configure(self, chat_id: int, kind: str, push_time: str | None = None,
                        zone: str | None = None, reminder_format: str | None = None) -> ChatRecord:
        """Change the time, the zone or the reminder's format (also before subscribing)."""
        ...

    async def set_member(self, chat_id: int, kind: str, present: bool) -> ChatRecord:
        """The bot was added (resume) or removed/blocked (pause)."""
        ...

    async def migrate(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: the subscription moves to ``new_id`` (idempotent)."""
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
