"""The records a group's 学习台账 is built from: what the organiser hands in, as plain frozen
values. ``bot`` reads them from its store; ``content.ledger`` turns them into files.

Names appear only for members who joined the record (✅ 实名记录); everyone else who took part
is counted in ``Ledger.others``, never named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Session:
    """One study session: a plan day as the group lived it."""

    day: date  # the local date the plan day was posted in the group's zone
    label: str  # where the passage is in its text, e.g. 四（二）
    title: str  # the passage's heading, or its first words
    text_name: str  # the text read, as /texts names it (《原讲话》 for the original)
    readers: int  # 参学人数: members who marked the day ✅ 读完了 (named or not)
    expected: int | None  # 应学人数: the group's members that day (None: unknown)

    @property
    def rate(self) -> float | None:
        """参学率: readers over expected, None when the group's size is unknown or zero."""
        return self.readers / self.expected if self.expected else None


@dataclass(frozen=True)
class MemberRow:
    """A member who joined the record, with their month."""

    name: str  # as the member chose it (Telegram full name at joining), never escaped here
    days_read: int
    quizzes_answered: int
    quizzes_right: int
    reflections: int


@dataclass(frozen=True)
class Reflection:
    """A member's 心得, under the passage it is about."""

    day: date  # local date written
    name: str  # a joined member's name
    label: str  # the passage's location, e.g. 四（二）
    title: str  # the passage's heading or first words
    text: str  # verbatim as the member wrote it


@dataclass(frozen=True)
class QuizSession:
    """One quiz posted in the group; counts cover every answer the bot saw (open polls)."""

    day: date
    question: str
    label: str  # the passage the question is drawn from
    answered: int
    right: int
    anonymous: bool = False  # an anonymous poll: the bot never sees its answers, the counts are unknown


@dataclass(frozen=True)
class Ledger:
    """A group's record for a period (a month, or a year for the CLI)."""

    group: str  # the group's title, e.g. 第三党支部学习小组
    start: date  # first day of the period
    end: date  # last day of the period (inclusive)
    zone: str  # the group's IANA time zone: every date above is local to it
    sessions: tuple[Session, ...]
    members: tuple[MemberRow, ...]  # joined members, by name
    others: int  # members who took part in the period without joining: counted, not named
    reflections: tuple[Reflection, ...]
    quizzes: tuple[QuizSession, ...]

    @property
    def has_plan(self) -> bool:
        """Did the group study anything in the period? A record without sessions says so."""
        return bool(self.sessions)

    @property
    def texts(self) -> tuple[str, ...]:
        """The texts read in the period, in first-read order."""
        return tuple(dict.fromkeys(s.text_name for s in self.sessions))
