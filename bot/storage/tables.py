"""Database tables: one row per chat (its subscription) and one per (chat, local date) delivery.

The unique constraint on ``deliveries (chat_id, local_date)`` is what makes "at most one
reminder a day" true across restarts and replicas: a delivery is claimed by inserting its row.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite stores them without an offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class ChatRow(Base):
    """A chat the bot knows: its subscription settings and when its next reminder is due."""

    __tablename__ = "chats"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(8))
    subscribed: Mapped[bool] = mapped_column(Boolean)
    paused: Mapped[bool] = mapped_column(Boolean)
    push_time: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    migrated_to: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reminder_format: Mapped[str] = mapped_column(String(8), server_default="text")  # text | card
    open_polls: Mapped[bool] = mapped_column(Boolean, server_default=false())  # group quizzes show who answered
    quiz_daily: Mapped[bool] = mapped_column(Boolean, server_default=false())  # the push adds the day's quiz
    text_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the chat's current text (None: the original)
    # The forum topic the push, plan days and daily quizzes go to (None: General, or no topics) and its name.
    thread_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    topic_name: Mapped[str | None] = mapped_column(String(128), nullable=True)

    __table_args__ = (Index("ix_chats_due", "subscribed", "paused", "next_due_at"),)


class DeliveryRow(Base):
    """One reminder for one chat on one local date: claimed → sent | failed | paused | gave_up |
    uncertain | released (a stopping worker gave it back unsent)."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    worker: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    error: Mapped[str | None] = mapped_column(String(200), nullable=True)

    __table_args__ = (UniqueConstraint("chat_id", "local_date", name="uq_delivery_chat_date"),
                      Index("ix_deliveries_local_date", "local_date"))


class CardFileRow(Base):
    """The file_id Telegram gave an uploaded card: later sends reuse it instead of uploading."""

    __tablename__ = "card_files"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    file_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SearchMissRow(Base):
    """A search text that found nothing, and how often: what the owner reads to learn how people
    ask. No user or chat id is stored, ever."""

    __tablename__ = "search_misses"

    query: Mapped[str] = mapped_column(String(100), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PlanRow(Base):
    """A chat's reading plan: ``days`` passages in speech order from ``start_date`` (local)."""

    __tablename__ = "plans"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    days: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    text_id: Mapped[int] = mapped_column(Integer, server_default="1")  # the text the plan reads


class ReadingRow(Base):
    """A member marked a plan day's passage as read (in a chat, on a local date)."""

    __tablename__ = "readings"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    day: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    passage: Mapped[str] = mapped_column(String(200))  # the node ids of the day, comma-separated
    read_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (Index("ix_readings_chat_day", "chat_id", "day"),)


class QuizRow(Base):
    """A quiz poll the bot sent: poll_answer updates carry no chat, so the chat is kept here, and
    the question's key, so a chat is not asked the same within a week (pruned after the retention)."""

    __tablename__ = "quizzes"

    poll_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    question: Mapped[str] = mapped_column(String(100))
    correct: Mapped[int] = mapped_column(Integer)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_quizzes_chat_sent", "chat_id", "sent_at"),)  # what a chat was asked lately


class AnswerRow(Base):
    """A member's answer to a (non-anonymous) quiz poll, with the ISO week of the chat's zone."""

    __tablename__ = "answers"

    poll_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(64))
    correct: Mapped[bool] = mapped_column(Boolean)
    week: Mapped[str] = mapped_column(String(8))  # 2026-W48
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_answers_rank", "chat_id", "week", "user_id"), Index("ix_answers_user", "user_id"))


class BookmarkRow(Base):
    """A member's bookmark: ``q:<quote number>``, ``n:<node id>`` or ``s:<node id>~<sentence>``."""

    __tablename__ = "bookmarks"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    ref: Mapped[str] = mapped_column(String(40), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MemberRow(Base):
    """A member's own settings."""

    __tablename__ = "members"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    saved_as_daily: Mapped[bool] = mapped_column(Boolean, server_default=false())


class PositionRow(Base):
    """Where a member stopped reading a text in the reader (Mini App): the block's node and its
    offset in the text, so opening the reader again returns there."""

    __tablename__ = "reader_positions"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    text_id: Mapped[str] = mapped_column(String(40), primary_key=True)  # the library's text id, as a string
    node_id: Mapped[str] = mapped_column(String(40))
    char_at: Mapped[int] = mapped_column(Integer)  # the block's first character in the whole text
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TextRow(Base):
    """A text of the library, content-addressed: ``digest`` is the SHA-256 of its normalised
    body (``content.library.digest``), so the same speech uploaded twice is one text."""

    __tablename__ = "texts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(8))  # draft | live | removed (content.library.TextStatus)
    title: Mapped[str | None] = mapped_column(String(200), nullable=True)
    speaker: Mapped[str | None] = mapped_column(String(100), nullable=True)
    spoken_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    occasion: Mapped[str | None] = mapped_column(String(200), nullable=True)
    source: Mapped[str] = mapped_column(String(200))  # the file's name, for messages
    body: Mapped[str] = mapped_column(Text)  # the normalised text the parser reads
    nodes: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_texts_status", "status", "added_at"),)


class LedgerRow(Base):
    """A group's 学习台账 switch: on since ``since`` (an administrator's /ledger on), the group's
    title as the record names it."""

    __tablename__ = "ledgers"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    enabled: Mapped[bool] = mapped_column(Boolean)
    since: Mapped[datetime] = mapped_column(UTCDateTime())
    title: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LedgerWeeklyRow(Base):
    """An administrator who asked for the weekly look at a group's record (Monday, in private)."""

    __tablename__ = "ledger_weekly"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    since: Mapped[datetime] = mapped_column(UTCDateTime())
    last_sent: Mapped[date | None] = mapped_column(Date, nullable=True)  # the Monday last sent (local)


class LedgerMemberRow(Base):
    """A member who joined a group's record (✅ 实名记录): named in its files until they leave."""

    __tablename__ = "ledger_members"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(128))  # the Telegram full name at joining
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_ledger_members_user", "user_id"),)


class ReflectionRow(Base):
    """A member's 心得 on a passage (``node_id`` scoped by its text, ``text_id``), in a chat."""

    __tablename__ = "reflections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    text_id: Mapped[int] = mapped_column(Integer)
    node_id: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (Index("ix_reflections_chat", "chat_id", "written_at"), Index("ix_reflections_user", "user_id"))


class PlanDayRow(Base):
    """A plan day as the group lived it: posted on ``local_date`` (the push, or /plan's day 1),
    which day of which plan, and how many members the group had that day (None: not asked yet)."""

    __tablename__ = "plan_days"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    local_date: Mapped[date] = mapped_column(Date, primary_key=True)
    text_id: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    members: Mapped[int | None] = mapped_column(Integer, nullable=True)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
