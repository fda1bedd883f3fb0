"""Storage: claims that only one worker wins, retries, pauses, migrations, time travel over DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.fake.data import deliveries
from bot.fake.local import TravelClock
from bot.storage import LEASE, RETRY_DELAY, Store
from bot.storage.chats import CardFileRepository
from bot.storage.models import CardFileRow, PlanRow, QuizRow, SearchMissRow
from content.timerules import due_on, next_due


async def test_the_store_and_its_repositories_read_one_clock(store: Store, clock: TravelClock) -> None:
    """Every "now" the store writes or decides by is its clock's, so a test (or ``push run-due
    --at``) moves all of it through time at once."""
    clock.at = moment = datetime(2031, 3, 4, 5, 6, 7, tzinfo=UTC)  # years from the real time
    assert store.clock() == moment
    row = await store.chats.subscribe(55, "private", "zh", "08:00")
    assert row.next_due_at == next_due("08:00", row.timezone, moment, store.chats.catch_up)
    await store.insights.record_miss("足球")
    await store.cards.remember("k", "file")
    await store.study.start_plan(55, 10, moment.date())
    await store.study.remember_poll("poll", 55, "?", 0, False)
    async with store.db.sessions() as session:
        stamps = [await session.scalar(select(column)) for column in (
            SearchMissRow.last_at, CardFileRow.created_at, PlanRow.updated_at, QuizRow.sent_at)]
    assert stamps == [moment] * 4
    await store.deliveries.claim_due(row.next_due_at + timedelta(minutes=1), "w", 10)  # type: ignore[operator]
    assert (await store.insights.report()).deliveries == (("claimed", 1),)
    clock.at = moment + timedelta(days=30)  # the report covers the clock's last seven days
    assert (await store.insights.report()).deliveries == ()


async def test_subscribe_then_one_claim_per_chat_and_day(store: Store) -> None:
    row = await store.chats.subscribe(-1001, "group", "zh", "08:00")
    assert row.next_due_at is not None
    at = row.next_due_at + timedelta(minutes=1)
    due = await store.deliveries.claim_due(at, "w1", 10)
    assert [d.chat_id for d in due] == [-1001]
    assert await store.deliveries.claim_due(at, "w2", 10) == []  # a second replica gets nothing
    expired = at + LEASE + timedelta(seconds=1)  # w1 died: its lease is over
    assert await store.deliveries.claim_due(expired, "w3", 10) == due
    assert await store.deliveries.finish(due[0], "sent", at) == "sent"
    assert await store.deliveries.claim_due(at + LEASE * 3, "w4", 10) == []
    chat = await store.chats.chat(-1001)
    assert chat is not None and chat.next_due_at == row.next_due_at + timedelta(days=1)
    assert [(d.status, d.attempts) for d in await deliveries(store, -1001)] == [("sent", 2)]


async def test_failed_delivery_is_retried_then_given_up(store: Store) -> None:
    row = await store.chats.subscribe(7, "private", "zh", "08:00")
    at = row.next_due_at + timedelta(minutes=1)  # type: ignore[operator]
    statuses = []
    for attempt in range(6):
        now = at + RETRY_DELAY * 2 * attempt
        assert attempt == 0 or await store.deliveries.claim_due(now - RETRY_DELAY * 1.5, "w", 10) == []  # not too soon
        due = await store.deliveries.claim_due(now, "w", 10)
        if not due:
            break
        statuses.append(await store.deliveries.finish(due[0], "failed", now, "boom"))
    assert statuses == ["failed"] * 4 + ["gave_up"]
    assert await store.deliveries.claim_due(at + timedelta(hours=1), "w", 10) == []


async def test_down_longer_than_the_window_skips_to_the_next_day(store: Store) -> None:
    row = await store.chats.subscribe(8, "private", "zh", "08:00")
    assert row.next_due_at is not None
    assert await store.deliveries.claim_due(row.next_due_at + timedelta(hours=7), "w", 10) == []
    chat = await store.chats.chat(8)
    assert chat is not None and chat.next_due_at == row.next_due_at + timedelta(days=1)


async def test_pause_resume_and_unsubscribe(store: Store) -> None:
    row = await store.chats.subscribe(9, "private", "zh", "08:00")
    at = row.next_due_at + timedelta(minutes=1)  # type: ignore[operator]
    await store.chats.set_member(9, "private", False)
    assert await store.deliveries.claim_due(at, "w", 10) == []
    await store.chats.set_member(9, "private", True)
    assert await store.chats.unsubscribe(9) and not await store.chats.unsubscribe(9)
    assert await store.deliveries.claim_due(at, "w", 10) == []
    await store.chats.subscribe(9, "private", "zh")
    assert [d.chat_id for d in await store.deliveries.claim_due(at, "w", 10)] == [9]


async def test_migration_moves_the_subscription_and_todays_delivery(store: Store) -> None:
    await store.chats.configure(-500, "group", zone="Europe/Berlin")
    row = await store.chats.subscribe(-500, "group", "en", "07:00")
    at = row.next_due_at + timedelta(minutes=1)  # type: ignore[operator]
    due = await store.deliveries.claim_due(at, "w", 10)
    await store.deliveries.finish(due[0], "sent", at)
    await store.chats.migrate(-500, -100500)
    await store.chats.migrate(-500, -100500)  # the service message and the error may both report it
    new = await store.chats.chat(-100500)
    assert new is not None and (new.subscribed, new.push_time, new.timezone, new.lang) == (
        True, "07:00", "Europe/Berlin", "en")
    assert await store.deliveries.claim_due(at, "w", 10) == []  # today's was sent to the old id: not again
    old = await store.chats.chat(-500)
    assert old is not None and not old.subscribed and old.next_due_at is None


@pytest.mark.slow
async def test_time_travel_over_days_and_dst(store: Store, clock: TravelClock) -> None:
    """Passes every 20 minutes for 12 days around a DST change: one reminder a local day, on time."""
    chats = {1: ("America/New_York", "02:30"), 2: ("Europe/Berlin", "08:00"), 3: ("Asia/Shanghai", "23:50"),
             4: ("Australia/Sydney", "06:00")}
    clock.at = now = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    for chat_id, (zone, at) in chats.items():
        await store.chats.configure(chat_id, "private", push_time=at, zone=zone)
        await store.chats.subscribe(chat_id, "private", "zh")
    sent: dict[int, list[tuple[date, datetime]]] = {c: [] for c in chats}
    while now < datetime(2026, 3, 15, tzinfo=UTC):
        for due in await store.deliveries.claim_due(now, "w", 100):
            sent[due.chat_id].append((due.local_date, now))
            await store.deliveries.finish(due, "sent", now)
        now += timedelta(minutes=20)
    for chat_id, (zone, at) in chats.items():
        local_days = [day for day, _ in sent[chat_id]]
        assert len(local_days) == len(set(local_days)) >= 11, chat_id  # one a day
        assert local_days == [local_days[0] + timedelta(days=i) for i in range(len(local_days))]  # none missed
        for i, (day, instant) in enumerate(sent[chat_id]):
            # On time: within one pass of the local push time (02:30 on the DST day is 03:30);
            # the very first may be a catch-up of a time that passed before the simulation began.
            late = instant - due_on(day, at, zone)
            assert timedelta(0) <= late < (store.chats.catch_up if i == 0 else timedelta(minutes=20)), (chat_id, day)


async def test_card_file_ids_are_cached_within_a_bound(store: Store) -> None:
    """A new daily card every day must not grow the per-process cache for ever: the least
    recently used file_ids leave it, and are read from the database again when asked for."""
    cards = CardFileRepository(store.db, store.clock, cache_size=3)
    for n in range(5):
        await cards.remember(f"card-{n}", f"file-{n}")
    assert len(cards._known) == 3
    assert await cards.file_id("card-0") == "file-0" and len(cards._known) == 3


async def test_reader_positions_are_per_member_and_text_and_forget_deletes_them(store: Store) -> None:
    from handlers.store import Position

    assert await store.positions.position(51, "default") is None
    await store.positions.set_position(51, "default", Position("4.2", 9000))
    await store.positions.set_position(51, "default", Position("4.2.3", 9400))  # overwritten, not added
    await store.positions.set_position(51, "other", Position("1", 10))
    await store.positions.set_position(52, "default", Position("closing", 15000))
    assert await store.positions.position(51, "default") == Position("4.2.3", 9400)
    assert await store.positions.position(51, "other") == Position("1", 10)
    assert await store.study.forget(51) == 2
    assert await store.positions.position(51, "default") is None
    assert await store.positions.position(52, "default") == Position("closing", 15000)


async def test_a_reading_of_the_same_plan_day_holding_more_is_recorded(store: Store) -> None:
    """A plan restarted the same day at another pace: its day 1 may hold more than the old one's."""
    day = date(2026, 12, 7)
    assert await store.study.mark_read(7, -70, 1, "preface", day)
    assert not await store.study.mark_read(7, -70, 1, "preface", day)
    assert await store.study.readers(-70, 1, "preface,1.1") == 0
    assert await store.study.mark_read(7, -70, 1, "preface,1.1", day)
    assert await store.study.readers(-70, 1, "preface,1.1") == 1 and await store.study.readers(-70, 1) == 1
    assert await store.study.passages_read(7) == {"preface", "1.1"}
