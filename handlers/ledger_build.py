"""A group's 学习台账 (``content.ledger.record.Ledger``) from what the store holds: the plan days
as posted, the plan's ✅ (counted by ``Study.readers``, the query /progress uses), the quizzes,
the members who joined and their 心得. ``build_ledger`` is pure; ``collect`` reads the store.

Names appear only for members who joined; everyone else who took part is counted in ``others``.
"""

from __future__ import annotations

import calendar
import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.error import TelegramError

from content import Speech
from content.ledger.record import Ledger, MemberRow, QuizSession, Reflection, Session
from content.library import Book
from content.model import SPEECH_CACHE, cite, split_scope
from content.naming import TextName
from content.plan import Passage, plan, reading_key
from content.quiz import all_questions, topic_of
from content.quotes import candidates
from handlers.catalog import Lang
from handlers.render import plan_labels
from handlers.store import LedgerActivity, Ledgers, MemberTally, NoteRecord, PlanDayRecord, PlanRecord, Study

log = logging.getLogger(__name__)

TITLE_CHARS = 24  # a passage without a heading is named by its first words, this many characters
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class Period:
    """The local dates a record covers (inclusive)."""

    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def label(self) -> str:
        """2026-12 for a month, 2026 for a year (the files' names)."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            return str(self.start.year)
        return f"{self.start.year}-{self.start.month:02d}"

    def instants(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as instants in ``zone``: its first moment and the moment after its last day."""
        return (datetime.combine(self.start, time(), zone),
                datetime.combine(self.end + timedelta(days=1), time(), zone))


def parse_month(value: str) -> Period | None:
    """``2026-11`` (full-width digits too) as its month; None for anything else."""
    found = _MONTH.match(unicodedata.normalize("NFKC", value).strip())
    if found is None or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2999:
        return None
    return Period.month(int(found[1]), int(found[2]))


def passage_title(book: Book, passage: Passage) -> str:
    """A passage's heading: its first node's title, or that node's first words, as
    ``note_place`` names the 心得 on it (so they print under the same words); else its first words."""
    node = book.speech.find(passage.ids[0]) if passage.ids else None
    if node is not None and (node.title or node.sentences):
        return note_place(book, node.id)[1]
    words = " ".join(passage.text.split())
    return words if len(words) <= TITLE_CHARS else words[:TITLE_CHARS] + "…"


def passage_of(book: Book, day: PlanDayRecord) -> Passage | None:
    """The passage of a posted plan day in its text (None: the plan no longer fits the text)."""
    passages = plan(book.speech, day.days)
    return passages[day.day - 1] if 1 <= day.day <= len(passages) else None


def note_place(book: Book | None, node_id: str) -> tuple[str, str]:
    """(label, title) of the passage a 心得 is on: 四（二） and its heading, or its first words."""
    node = book.speech.find(node_id) if book is not None else None
    if node is None:
        return split_scope(node_id)[1], ""
    title = node.title or (node.sentences[0] if node.sentences else "")
    return cite(node.label), title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS] + "…"


@lru_cache(maxsize=SPEECH_CACHE)
def _questions(speech: Speech) -> dict[str, str]:
    """Every question of ``speech`` by its key: the text it was asked with."""
    return {q.key: q.text for q in all_questions(speech)}


def _quiz_place(books: dict[int, Book], key: str) -> tuple[str, str]:
    """(question text, label) of a quiz by its key: the question as asked, and the quote's place."""
    topic = topic_of(key)
    scope, local = split_scope(topic)
    book = books.get(scope or 1)
    if book is None:
        return key, ""
    question = _questions(book.speech).get(key, key)
    number = local[1:] if local.startswith("q") else ""
    pool = candidates(book.speech)
    label = cite(pool[int(number)].label) if number.isdigit() and int(number) < len(pool) else local
    return question, label


def build_ledger(group: str, period: Period, zone: str, days: list[PlanDayRecord], readers: dict[date, int],
                 books: dict[int, Book], activity: LedgerActivity, lang: Lang) -> Ledger:
    """The record of ``period``: a session per posted plan day (its readers counted beforehand,
    ``readers``), the joined members' month, the others counted, 心得 and quizzes."""
    sessions = []
    for day in days:
        book = books.get(day.text_id)
        passage = passage_of(book, day) if book is not None else None
        if book is None or passage is None:
            continue
        sessions.append(Session(day.local_date, plan_labels(passage), passage_title(book, passage),
                                TextName(book.info, lang).title, readers.get(day.local_date, 0), day.members))
    local = ZoneInfo(zone)
    names = dict(activity.joined)
    tallies = {tally.user_id: tally for tally in activity.tallies}
    written: dict[int, list[NoteRecord]] = {}
    for note in activity.notes:
        written.setdefault(note.user_id, []).append(note)
    members = tuple(sorted((MemberRow(name, tallies.get(user, MemberTally(user)).days_read,
                                      tallies.get(user, MemberTally(user)).answered,
                                      tallies.get(user, MemberTally(user)).right, len(written.get(user, [])))
                            for user, name in names.items()), key=lambda row: row.name))
    took_part = set(tallies) | set(written)
    reflections = []
    for note in activity.notes:
        if note.user_id in names:
            label, title = note_place(books.get(note.text_id), note.node_id)
            reflections.append(Reflection(note.written_at.astimezone(local).date(), names[note.user_id], label, title,
                                          note.text))
    quizzes = []
    for quiz in activity.quizzes:
        question, label = _quiz_place(books, quiz.question)
        quizzes.append(QuizSession(quiz.sent_at.astimezone(local).date(), question, label, quiz.answered, quiz.right,
                                   quiz.anonymous))
    return Ledger(group=group, start=period.start, end=period.end, zone=zone, sessions=tuple(sessions),
                  members=members, others=len(took_part - set(names)), reflections=tuple(reflections),
                  quizzes=tuple(quizzes))


def lived_days(current: PlanRecord | None, chat_id: int, period: Period, today: date) -> list[PlanDayRecord]:
    """The days of the chat's current plan that fall in ``period`` up to ``today``: what was
    posted, whether or not it was kept as posted (a plan started before the record existed)."""
    if current is None:
        return []
    first = max(period.start, current.start_date)
    last = min(period.end, today, current.start_date + timedelta(days=current.days - 1))
    return [PlanDayRecord(chat_id, first + timedelta(days=n), current.text_id, current.start_date, current.days,
                          (first - current.start_date).days + n + 1) for n in range((last - first).days + 1)]


BookOf = Callable[[int], Awaitable[Book | None]]
MemberCount = Callable[[], Awaitable[int | None]]


async def collect(ledgers: Ledgers, study: Study, book_of: BookOf, chat_id: int, group: str, zone: str,
                  period: Period, today: date, lang: Lang, count: MemberCount | None = None) -> Ledger:
    """Read the chat's record of ``period`` from the store and build it. Plan days of the current
    plan not kept yet are kept now; a day without the group's size gets ``count()`` (the group's
    size now: ``group_size``), kept too, when given."""
    posted = await ledgers.plan_days(chat_id, period.start, period.end)
    known = {day.local_date for day in posted}
    for day in lived_days(await study.plan(chat_id), chat_id, period, today):
        if day.local_date not in known:
            await ledgers.record_day(day)
            posted.append(day)
    posted.sort(key=lambda day: day.local_date)
    if count is not None and any(day.members is None for day in posted):
        size = await count()
        if size is not None:
            for day in posted:
                if day.members is None:
                    await ledgers.set_members(chat_id, day.local_date, size)
            posted = [PlanDayRecord(d.chat_id, d.local_date, d.text_id, d.start_date, d.days, d.day,
                                    size if d.members is None else d.members) for d in posted]
    books: dict[int, Book] = {}
    readers: dict[date, int] = {}
    local = ZoneInfo(zone)
    start, end = period.instants(local)
    activity = await ledgers.activity(chat_id, start, end, period.start, period.end)
    wanted = {day.text_id for day in posted} | {note.text_id for note in activity.notes} | {
        split_scope(topic_of(quiz.question))[0] or 1 for quiz in activity.quizzes}
    for text_id in sorted(wanted):
        book = await book_of(text_id)
        if book is not None:
            books[text_id] = book
    keys: dict[int, str] = {}
    for day in posted:
        book = books.get(day.text_id)
        passage = passage_of(book, day) if book is not None else None
        if passage is not None:
            keys[reading_key(day.start_date, day.days, day.day)] = ",".join(dict.fromkeys(passage.ids))
    counts = await study.readers_by_day(chat_id, keys)  # what /progress counts (``Study.readers``), at once
    for day in posted:
        key = reading_key(day.start_date, day.days, day.day)
        if key in counts:
            readers[day.local_date] = counts[key]
    return build_ledger(group, period, zone, posted, readers, books, activity, lang)


async def group_size(bot: Bot, chat_id: int) -> int | None:
    """应学人数: the group's members who can read, ``getChatMemberCount`` less the bot itself
    (Telegram counts it); None if Telegram does not answer."""
    try:
        count = await bot.get_chat_member_count(chat_id)
    except TelegramError as error:
        log.warning("getChatMemberCount for chat %s failed: %s", chat_id, error.message)
        return None
    return max(count - 1, 0)


async def keep_day(ledgers: Ledgers, bot: Bot, chat_id: int, current: PlanRecord, posted: date) -> None:
    """A plan day was posted in a group on ``posted`` (local): keep it as posted, with the group's
    size that day (``group_size``). Private chats keep none."""
    if chat_id > 0:
        return
    members = await group_size(bot, chat_id)
    await ledgers.record_day(PlanDayRecord(chat_id, posted, current.text_id, current.start_date, current.days,
                                           (posted - current.start_date).days + 1, members))
