"""The daily push: one repeating job finds due chats, claims them and sends with bounded
concurrency through the bot (and so through PTB's rate limiter when it is on).

Outcomes per chat: sent; RetryAfter → wait as told and retry; Forbidden (blocked, kicked) →
pause the subscription; ChatMigrated → move the subscription and send to the new id; chat not
found → pause; errors where the request provably did not reach Telegram (connect, pool, 5xx)
→ retries with backoff, then a recorded failure that the next pass retries (up to
``storage.MAX_ATTEMPTS`` passes). A send whose outcome is unknown (no reply in time after the
request went out: ``bot.transport.UnknownOutcome``) is recorded ``uncertain`` and not sent
again, unless ``SPEECHBOT_PUSH_DELIVERY=at-least-once`` makes it a retryable failure. See
``bot.storage.deliveries`` for why no chat is sent twice or skipped.

In a group with topics the reminder, the plan's day and the daily quiz go to the chat's topic
(``ChatRecord.thread_id``); a topic closed or deleted sends them to General, which is told so once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.storage import DeliveryStatus, Due, Outcome, Store, deliveries
from bot.transport import UnknownOutcome
from content import Speech
from content.cards import CardSpec
from content.library import Book, Library, Makers, TextStatus, reminder_of
from content.model import ORIGINAL
from content.naming import TextName
from content.plan import Passage, plan, reminder_passage
from content.shen import Ranking, Reminder, reminder
from handlers import render, sharing, study, topics
from handlers.catalog import Lang
from handlers.context import BotApplication, BotContext
from handlers.ledger_build import keep_day
from handlers.shelf import Shelf
from handlers.store import PlanRecord, ReminderFormat

log = logging.getLogger(__name__)

SEND_ATTEMPTS = 4
BACKOFF_SECONDS = 0.5  # network errors: wait 0.5, 1, 2 s between the attempts of one send
MAX_RETRY_AFTER = 120.0
WRITE_RETRY_WAITS = (0.2, 1.0, 3.0)  # a group commit that failed is written again after these waits
LEASE_MARGIN = 0.2  # no send starts in the last fifth of a claim's lease (60 s of 5 min): one in flight ends first


def worker_name() -> str:
    """Identifies this process in claimed delivery rows."""
    return f"{socket.gethostname()}:{os.getpid()}"


CACHED_DAYS = 256  # (text, day) reminders and (text, language, day) screens and cards kept at most


def push_screen(speech: Speech, lang: Lang, day: date, ranking: Ranking | None = None) -> render.Screen:
    """The original speech's reminder message for ``day`` (the same as /today in a chat reading
    it, given the bot's ``ranking``)."""
    today = reminder(speech, day, ranking)
    return render.today(lang, day, today, today.quote)


def speech_makers(speech: Speech, ranking: Ranking | None, makers: Makers | None = None) -> Makers:
    """``makers`` (or, without them, none but the 慎 ranking: the push needs nothing else) with
    ``speech``'s ranking as given: a pusher built from one speech (tools, tests) ranks it as its
    caller does; without ``makers`` another text has no ranking, so its reminder falls back."""
    from content.answer import Searcher
    from content.summaries import Summaries

    base = makers or Makers(searcher=Searcher, summaries=Summaries, ranking=lambda _: None)
    return Makers(searcher=base.searcher, summaries=base.summaries,
                  ranking=lambda other: ranking if other is speech and ranking is not None else base.ranking(other))


def retry_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


@dataclass
class PushReport:
    """What one pass did."""

    sent: int = 0
    paused: int = 0
    migrated: int = 0
    failed: int = 0
    gave_up: int = 0
    uncertain: int = 0
    released: int = 0
    retried_after_429: int = 0
    network_retries: int = 0
    chats: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if k != "chats"}


class GroupCommit:
    """Outcomes are written by one flusher, many per transaction; ``record`` returns once its
    outcome is durable. Callers hold their concurrency slot until then, so at any moment at
    most ``concurrency`` sends are unrecorded: the bound on what a crash can repeat.

    A write that fails (PostgreSQL under load: a deadlock, a dropped connection) is retried,
    then outcome by outcome: an outcome left unwritten leaves its reminder claimed, and the
    pass after the lease would send it again though Telegram has it.

    ``deadline`` (event-loop time) is when this batch's claims stop being safe to send: the
    lease minus a margin for a request in flight (see ``Pusher._deliver``)."""

    def __init__(self, store: Store, now: datetime, worker: str | None = None, deadline: float = math.inf,
                 retry_waits: tuple[float, ...] = WRITE_RETRY_WAITS) -> None:
        self.store = store
        self.now = now
        self.worker = worker
        self.deadline = deadline
        self.retry_waits = retry_waits
        self.pending: list[tuple[Outcome, asyncio.Future[DeliveryStatus]]] = []
        self.task: asyncio.Task[None] | None = None

    async def record(self, outcome: Outcome) -> DeliveryStatus:
        future: asyncio.Future[DeliveryStatus] = asyncio.get_running_loop().create_future()
        self.pending.append((outcome, future))
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self.pending:
            batch, self.pending = self.pending, []
            try:
                statuses = await self._write([outcome for outcome, _ in batch])
            except Exception:  # one bad outcome must not take the batch's others with it
                for outcome, future in batch:
                    try:
                        future.set_result((await self._write([outcome]))[0])
                    except Exception as exc:  # its waiter learns of it; nothing is silently lost
                        log.error("outcome %s of chat %s for %s not recorded: it will be sent again after "
                                  "the lease", outcome.status, outcome.due.chat_id, outcome.due.local_date)
                        future.set_exception(exc)
                continue
            for (_, future), status in zip(batch, statuses, strict=True):
                future.set_result(status)

    async def _write(self, outcomes: list[Outcome]) -> list[DeliveryStatus]:
        for wait in (*self.retry_waits, None):
            try:
                return await self.store.deliveries.finish_many(outcomes, self.now, self.worker)
            except Exception as exc:  # one transaction: nothing was written, so writing again is safe
                if wait is None:
                    raise
                log.warning("recording %d outcomes failed (%s); again in %g s", len(outcomes), exc, wait)
                await asyncio.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")


class Pusher:
    """Runs delivery passes for one worker.

    Each chat's reminder quotes its current text (``Due.text_id``): its book from the shelf
    (``handlers.shelf``: fresh within ``TEXT_CHECK_SECONDS``); a text removed or gone is the original.
    A text's reminder of a day (``content.library.reminder_of``: the text's quotes ranked against
    the principle, else the original's, said so) is made once, and so is each language's
    message and card of it: a pass to 10,000 chats reading three texts builds three reminders."""

    def __init__(self, bot: Bot, store: Store, library: Shelf | Library | Speech, concurrency: int = 16,
                 batch: int = 200, worker: str | None = None, backoff: float = BACKOFF_SECONDS,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, at_least_once: bool = False,
                 ranking: Ranking | None = None) -> None:
        self.bot = bot
        self.store = store
        if isinstance(library, Speech):  # one speech (tools, tests): its ranking as given
            library = Library.of(library, speech_makers(library, ranking))
        # The bot's shelf, shared with its handlers; a library alone gets a shelf of its own.
        self.shelf = library if isinstance(library, Shelf) else Shelf(library, store.texts)
        self.library = self.shelf.library
        self.speech = library.original.speech
        self.concurrency = concurrency
        self.batch = batch
        self.worker = worker or worker_name()
        self.backoff = backoff  # seconds before the second attempt; doubles each time
        self.sleep = sleep  # every wait (429s, back-off) goes through here: tests record instead of waiting
        self.at_least_once = at_least_once  # resend when the outcome is unknown (may double-send)
        self._reminders: dict[tuple[int, date], asyncio.Task[tuple[Book, Reminder, bool]]] = {}
        self._screens: dict[tuple[int, str, date], render.Screen] = {}  # (text, language, day)
        self._keyboards: dict[int, tuple[render.Screen, dict[str, str]]] = {}  # id(screen) → its markup as JSON
        self._cards: dict[tuple[int, str, date], tuple[CardSpec, str]] = {}  # (text, language, day)
        self._stopping = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()

    def stop(self) -> None:
        """Finish the sends in flight, send nothing more, give back what was claimed (see run_due)."""
        self._stopping.set()

    async def drain(self, timeout: float) -> bool:
        """``stop`` and wait up to ``timeout`` seconds for the pass in progress; True if it ended."""
        self.stop()
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def _keyboard(self, screen: render.Screen) -> dict[str, str] | None:
        """The screen's keyboard as the JSON Telegram takes, serialized once per screen: PTB
        serializes a ``reply_markup`` object for every call (0.3 ms, a tenth of a push's CPU),
        while a day's reminder carries one keyboard to every chat. Passed as ``api_kwargs``, the
        string goes out as it is. (A plan day's screen is its own: serialized once, used once.)"""
        if screen.markup is None:
            return None
        cached = self._keyboards.get(id(screen))
        if cached is None or cached[0] is not screen:
            if len(self._keyboards) > 64:  # days and languages come and go
                self._keyboards.clear()
            cached = (screen, {"reply_markup": json.dumps(screen.markup.to_dict())})
            self._keyboards[id(screen)] = cached
        return cached[1]

    @property
    def ranking(self) -> Ranking | None:
        """The original speech's 慎 ranking (the bot's, ``content.shen.rank``): what /today uses."""
        return self.library.original.ranking

    async def _reminder(self, text_id: int | None, day: date) -> tuple[Book, Reminder, bool]:
        """The reminder of ``day`` from text ``text_id`` as ``(its book, reminder, fell back)``,
        made once per text and day however many senders ask at once (the first ranking of a
        text encodes it: seconds, in a thread)."""
        key = (text_id or ORIGINAL, day)
        task = self._reminders.get(key)
        if task is not None and task.done():  # every reminder after the first of its text and day
            return task.result()
        if task is None:
            if len(self._reminders) >= CACHED_DAYS:
                self._reminders.clear()
            task = self._reminders[key] = asyncio.ensure_future(self._make_reminder(*key))
        return await asyncio.shield(task)  # a sender cancelled while waiting leaves it for the others

    async def _make_reminder(self, text_id: int, day: date) -> tuple[Book, Reminder, bool]:
        original = self.library.original
        try:
            book = await self.shelf.book(text_id)
        except Exception:  # the database failed us: this pass says the original's, the next tries again
            log.exception("text %d could not be loaded for the reminder of %s", text_id, day)
            self._reminders.pop((text_id, day), None)
            book = None
        # A draft here was removed, then uploaded again.
        if book is None or book.info.status in (TextStatus.REMOVED, TextStatus.DRAFT):
            book = original
        today, fell_back = await asyncio.to_thread(reminder_of, book, original, day)
        return book, today, fell_back

    async def _screen(self, due: Due) -> tuple[Book, render.Screen]:
        """The chat's reminder message: its text's, built once per text, language and day."""
        book, today, fell_back = await self._reminder(due.chat.text_id, due.local_date)
        key = (book.id, due.chat.lang, due.local_date)
        screen = self._screens.get(key)
        if screen is None:
            if len(self._screens) >= CACHED_DAYS:
                self._screens.clear()
            screen = self._screens[key] = render.today(due.chat.lang, due.local_date, today, today.quote, book.id,
                                                       fell_back)
        return book, screen

    async def run_due(self, now: datetime | None = None) -> PushReport:
        """One pass: send every reminder due when it runs (or at ``now``), then return.

        A pipeline, not batch by batch: ``concurrency`` senders take claimed reminders from a
        short queue, and the next batch is claimed as soon as the queue has room, so one chat
        waiting out a 429 holds up its own slot only and the pass lasts as long as the rate
        limit makes it, not as long as its slowest chat."""
        report = PushReport()
        if self._stopping.is_set():
            return report
        self._idle.clear()
        queue: asyncio.Queue[tuple[Due, GroupCommit, PlanRecord | None] | None] = asyncio.Queue(
            maxsize=self.concurrency)
        unsent: list[Due] = []  # claimed, but the worker is stopping: given back at the end

        async def sender() -> None:
            while (item := await queue.get()) is not None:
                due, recorder, current = item
                if self._stopping.is_set():
                    unsent.append(due)
                    continue
                try:
                    await self._deliver(due, report, recorder, current)
                except Exception:  # the claim stays; another pass takes it over after the lease
                    log.exception("reminder to chat %s for %s: unexpected error", due.chat_id, due.local_date)

        senders = [asyncio.create_task(sender()) for _ in range(self.concurrency)]
        cancelled = False
        try:
            while not self._stopping.is_set():
                at = now or self.store.clock()
                claimed = asyncio.get_running_loop().time()
                ours = await self._claim(at)
                if not ours:
                    break
                safe = deliveries.LEASE.total_seconds() * (1 - LEASE_MARGIN)  # read now: tests shorten it
                recorder = GroupCommit(self.store, at, self.worker, claimed + safe)
                plans = await self.store.study.plans([due.chat_id for due in ours])  # one query a batch
                for number, due in enumerate(ours):
                    if self._stopping.is_set():
                        unsent.extend(ours[number:])
                        break
                    await queue.put((due, recorder, plans.get(due.chat_id)))
        except asyncio.CancelledError:  # stopped harder than drain(): in-flight claims wait for their lease
            cancelled = True
            for task in senders:
                task.cancel()
            raise
        finally:
            if not cancelled:
                for _ in senders:
                    await queue.put(None)
            await asyncio.gather(*senders, return_exceptions=True)
            while not queue.empty():
                if (item := queue.get_nowait()) is not None:
                    unsent.append(item[0])
            if unsent:
                await self.store.deliveries.release(unsent, self.worker)
                report.released += len(unsent)
            self._idle.set()
        return report

    async def _deliver(self, due: Due, report: PushReport, recorder: GroupCommit, current: PlanRecord | None) -> None:
        chat_id = due.chat_id
        thread = due.chat.thread_id  # the forum topic it goes to (None: General)
        planned = await self._passage(current, due.local_date)
        book, screen = await self._screen(due)
        if planned is not None and current is not None and due.chat.reminder_format != ReminderFormat.CARD:
            screen = render.with_plan(screen, due.chat.lang, planned[1], current.days,
                                      TextName.of_book(planned[0]).given,
                                      removed=planned[0].info.status == TextStatus.REMOVED)
        error = ""
        for attempt in range(SEND_ATTEMPTS):
            if self._late(recorder):
                await self._give_back(due, report)
                return
            try:
                if due.chat.reminder_format == ReminderFormat.CARD:  # uploaded once, then sent by file_id
                    spec, caption = await self._card(due)
                    await sharing.send_card(self.bot, chat_id, spec, caption, self.store.cards, screen, thread)
                else:
                    await self.bot.send_message(chat_id, screen.text, api_kwargs=self._keyboard(screen),
                                                message_thread_id=thread)
            except RetryAfter as exc:
                report.retried_after_429 += 1
                if self._late(recorder, retry_seconds(exc)):  # the wait would outlast the claim
                    await self._give_back(due, report)
                    return
                await self.sleep(retry_seconds(exc))
                continue
            except ChatMigrated as exc:
                await self.store.chats.migrate(chat_id, exc.new_chat_id)
                report.migrated += 1
                chat_id = exc.new_chat_id
                thread = None  # a supergroup's topics are chosen anew
                continue
            except Forbidden as exc:
                await self._pause(due, chat_id, report, recorder, exc)
                return
            except BadRequest as exc:
                if "chat not found" in exc.message.lower():
                    await self._pause(due, chat_id, report, recorder, exc)
                    return
                if thread is not None and topics.topic_unavailable(exc):  # closed or deleted: General
                    await self._leave_topic(due, chat_id, thread)
                    thread = None
                    continue
                error = exc.message
                break
            except NetworkError as exc:  # includes TimedOut
                if isinstance(exc, UnknownOutcome) and not self.at_least_once:
                    # It may have arrived: at most once means not sending it again.
                    await recorder.record(Outcome(due, DeliveryStatus.UNCERTAIN, exc.message, chat_id=chat_id))
                    report.uncertain += 1
                    log.warning("reminder to chat %s for %s may not have arrived: %s", chat_id, due.local_date,
                                exc.message)
                    return
                report.network_retries += 1
                error = exc.message
                if attempt + 1 < SEND_ATTEMPTS:  # no pointless wait after the last attempt
                    await self.sleep(self.backoff * 2**attempt)
                continue
            except TelegramError as exc:
                error = exc.message
                break
            await recorder.record(Outcome(due, DeliveryStatus.SENT, chat_id=chat_id))
            report.sent += 1
            report.chats.append(chat_id)
            await self._keep_day(chat_id, current, planned, due.local_date)
            await self._extras(due, chat_id, current, planned, book, thread)
            return
        status = await recorder.record(Outcome(due, DeliveryStatus.FAILED, error or "retries exhausted",
                                               chat_id=chat_id))
        if status == DeliveryStatus.GAVE_UP:
            report.gave_up += 1
        else:
            report.failed += 1
        log.warning("reminder to chat %s for %s not sent: %s", chat_id, due.local_date, error)

    async def _claim(self, at: datetime) -> list[Due]:
        """``claim_due``, tried again when the database refuses it (a deadlock with a late
        outcome, a dropped connection): one transaction, so nothing of it was kept."""
        for wait in (*WRITE_RETRY_WAITS, None):
            try:
                return await self.store.deliveries.claim_due(at, self.worker, self.batch)
            except Exception as exc:
                if wait is None:
                    raise
                log.warning("claiming reminders failed (%s); again in %g s", type(exc).__name__, wait)
                await asyncio.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    @staticmethod
    def _late(recorder: GroupCommit, wait: float = 0.0) -> bool:
        """Whether a send started after ``wait`` seconds could outlive this batch's lease: then
        another worker may take the claim over and send it too (or already has)."""
        return asyncio.get_running_loop().time() + wait >= recorder.deadline

    async def _give_back(self, due: Due, report: PushReport) -> None:
        """Release a claim this worker held too long without sending it: the next pass (any
        worker's) sends it, instead of two workers racing for it once the lease expires."""
        await self.store.deliveries.release([due], self.worker)
        report.released += 1
        log.info("reminder to chat %s for %s given back: its lease was running out", due.chat_id, due.local_date)

    async def _passage(self, current: PlanRecord | None, day: date) -> tuple[Book, Passage] | None:
        """Today's passage of the chat's reading plan, with the book it reads (the plan's own text,
        whichever the chat reads now), if it has one running and the plan's start did not show it
        already (day 1). It rides with a text reminder; a card's caption is too short for it, so
        a card gets it as its own message. A plan whose text is gone, or a draft again (removed,
        then uploaded again: the owners' alone until published), has no passage."""
        if current is None:
            return None
        try:
            book = await self.shelf.book(current.text_id)
        except Exception:  # the database failed us: the reminder goes without the passage
            log.exception("the plan's text %d could not be loaded for chat %s", current.text_id, current.chat_id)
            return None
        if book is None or book.info.status == TextStatus.DRAFT:
            return None
        passage = reminder_passage(plan(book.speech, current.days), current.start_date, day)
        return (book, passage) if passage is not None else None

    async def _keep_day(self, chat_id: int, current: PlanRecord | None, planned: tuple[Book, Passage] | None,
                        day: date) -> None:
        """A group's plan day went out: kept as posted, with the group's size, for its 学习台账.
        Best effort: the reminder is what the delivery protocol guarantees."""
        if current is None or planned is None:
            return
        try:
            await keep_day(self.store.ledger, self.bot, chat_id, current, day)
        except Exception:
            log.exception("plan day of chat %s on %s not kept for its record", chat_id, day)

    async def _card(self, due: Due) -> tuple[CardSpec, str]:
        """The daily card of the chat's text and its caption, built once per text, language and day."""
        book, today, fell_back = await self._reminder(due.chat.text_id, due.local_date)
        key = (book.id, due.chat.lang, due.local_date)
        if key not in self._cards:
            if len(self._cards) >= CACHED_DAYS:
                self._cards.clear()
            info = self.library.original.info if fell_back else book.info  # the text the quote is from
            self._cards[key] = sharing.today_card(due.chat.lang, today, info, fell_back)
        return self._cards[key]

    async def _leave_topic(self, due: Due, chat_id: int, thread: int) -> None:
        """The chat's push topic was closed or deleted: from now on its push goes to General,
        which is told so once (the chat's first delivery that finds it gone clears it)."""
        if not await self.store.chats.forget_topic(chat_id, thread):
            return
        log.info("chat %s: push topic %s closed or deleted, General from now on", chat_id, thread)
        try:
            await self.bot.send_message(chat_id, topics.topic_gone(due.chat.lang))
        except TelegramError as exc:  # the reminder itself is what counts
            log.warning("chat %s not told its topic is gone: %s", chat_id, exc.message)

    async def _extras(self, due: Due, chat_id: int, current: PlanRecord | None,
                      planned: tuple[Book, Passage] | None, book: Book, thread: int | None = None) -> None:
        """After the reminder, in its topic (``thread``): a card chat's plan passage, and the
        day's quiz (from the chat's text, ``book``) where chosen. Best effort: the reminder is
        what the delivery protocol guarantees."""
        try:
            if due.chat.reminder_format == ReminderFormat.CARD and current is not None and planned is not None:
                day = render.plan_day(due.chat.lang, planned[1], current.days, TextName.of_book(planned[0]).given,
                                      removed=planned[0].info.status == TextStatus.REMOVED)
                await self.bot.send_message(chat_id, day.text, reply_markup=day.markup, message_thread_id=thread)
            if due.chat.quiz_daily:
                await study.send_quiz(self.bot, self.store.study, book.speech, chat_id, chat_id < 0,
                                      due.chat.open_polls, f"{chat_id}|{due.local_date}", due.local_date,
                                      ZoneInfo(due.chat.timezone), thread)
        except TelegramError as exc:
            log.warning("extras for chat %s on %s not sent: %s", chat_id, due.local_date, exc.message)

    async def _pause(self, due: Due, chat_id: int, report: PushReport, recorder: GroupCommit,
                     exc: TelegramError) -> None:
        await self.store.chats.pause(chat_id)
        await recorder.record(Outcome(due, DeliveryStatus.PAUSED, exc.message, chat_id=chat_id))
        report.paused += 1


def schedule_push(app: BotApplication, pusher: Pusher, interval: float,
                  after_pass: Callable[[PushReport], Awaitable[None]] | None = None) -> None:
    """Register the one repeating push job (not one job per chat); ``pusher`` does the passes,
    ``after_pass`` (metrics, health, retention) runs after each."""
    if app.job_queue is None:
        raise RuntimeError("the push needs PTB's JobQueue (python-telegram-bot[job-queue])")

    async def push_job(context: BotContext) -> None:
        """JobQueue callback: one delivery pass."""
        report = await pusher.run_due()
        if any(report.to_dict().values()):
            log.info("push pass: %s", report.to_dict())
        if after_pass is not None:
            await after_pass(report)

    app.job_queue.run_repeating(push_job, interval=interval, first=1.0, name="daily-push",
                                job_kwargs={"max_instances": 1, "coalesce": True})
