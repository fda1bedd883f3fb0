"""Storage: due times across days and DST, claims that only one worker wins, migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.storage import LEASE, RETRY_DELAY, Store, due_on, next_due, parse_time


@pytest.mark.parametrize(("typed", "expected"), [("08:00", time(8)), ("7:30", time(7, 30)), ("０７：３０", time(7, 30)),
                                                 ("21.15", time(21, 15)), ("24:00", None), ("8", None), ("ab:cd", None),
                                                 ("", None), ("07:5", None)])
def test_parse_time(typed: str, expected: time | None) -> None:
    assert parse_time(typed) == expected


def test_due_on_handles_daylight_saving() -> None:
    ny = "America/New_York"
    assert due_on(date(2026, 3, 7), "02:30", ny) == datetime(2026, 3, 7, 7, 30, tzinfo=UTC)  # EST
    assert due_on(date(2026, 3, 8), "02:30", ny) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # gap: 03:30 EDT
    assert due_on(date(2026, 3, 9), "02:30", ny) == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)  # EDT
    assert due_on(date(2026, 11, 1), "01:30", ny) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # first 01:30
    assert due_on(date(2026, 11, 2), "01:30", ny) == datetime(2026, 11, 2, 6, 30, tzinfo=UTC)


def test_next_due_catches_up_within_the_window() -> None:
    zone, window = "Asia/Shanghai", timedelta(hours=6)
    at = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai, 08:00 passed 1.5 h ago
    assert next_due("08:00", zone, at, window) == datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    late = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # 17:00: outside the window, tomorrow
    assert next_due("08:00", zone, late, window) == datetime(2026, 11, 28, 0, 0, tzinfo=UTC)


async def test_subscribe_then_one_claim_per_chat_and_day(store: Store) -> None:
    row = await store.subscribe(-1001, "group", "zh", "08:00")
    assert row.next_due_at is not None
    at = row.next_due_at + timedelta(minutes=1)
    due = await store.claim_due(at, "w1", 10)
    assert [d.chat_id for d in due] == [-1001]
    assert await store.claim_due(at, "w2", 10) == []  # a second replica gets nothing
    assert await store.claim_due(at + LEASE + timedelta(seconds=1), "w3", 10) == due  # w1 died: lease expired
    assert await store.finish(due[0], "sent", at) == "sent"
    assert await store.claim_due(at + LEASE * 3, "w4", 10) == []
    chat = await store.chat(-1001)
    assert chat is not None and chat.next_due_at == row.next_due_at + timedelta(days=1)
    assert [(d.status, d.attempts) for d in await store.deliveries(-1001)] == [("sent", 2)]


async def test_failed_delivery_is_retried_then_given_up(store: Store) -> None:
    row = await store.subscribe(7, "private", "zh", "08:00")
    at = row.next_due_at + timedelta(minutes=1)  # type: ignore[operator]
    statuses = []
    for attempt in range(6):
        now = at + RETRY_DELAY * 2 * attempt
        assert attempt == 0 or await store.claim_due(now - RETRY_DELAY * 1.5, "w", 10) == []  # not too soon
        due = await store.claim_due(now, "w", 10)
        if not due:
            break
        statuses.append(await store.finish(due[0], "failed", now, "boom"))
    assert statuses == ["failed"] * 4 + ["gave_up"]
    assert await store.claim_due(at + timedelta(hours=1), "w", 10) == []


async def test_down_longer_than_the_window_skips_to_the_next_day(store: Store) -> None:
    row = await store.subscribe(8, "private", "zh", "08:00")
    assert row.next_due_at is not None
    assert await store.claim_due(row.next_due_at + timedelta(hours=7), "w", 10) == []
    chat = await store.chat(8)
    assert chat is not None and chat.next_due_at == row.next_due_at + timedelta(days=1)


async def test_pause_resume_and_unsubscribe(store: Store) -> None:
    row = await store.subscribe(9, "private", "zh", "08:00")
    at = row.next_due_at + timedelta(minutes=1)  # type: ignore[operator]
    await store.set_member(9, "private", False)
    assert await store.claim_due(at, "w", 10) == []
    await store.set_member(9, "private", True)
    assert await store.unsubscribe(9) and not await store.unsubscribe(9)
    assert await store.claim_due(at, "w", 10) == []
    await store.subscribe(9, "private", "zh")
    assert [d.chat_id for d in await store.claim_due(at, "w", 10)] == [9]


async def test_migration_moves_the_subscription_and_todays_delivery(store: Store) -> None:
    row = await store.subscribe(-500, "group", "en", "07:00", "Europe/Berlin")
    at = row.next_due_at + timedelta(minutes=1)  # type: ignore[operator]
    due = await store.claim_due(at, "w", 10)
    await store.finish(due[0], "sent", at)
    await store.migrate(-500, -100500)
    await store.migrate(-500, -100500)  # the service message and the error may both report it
    new = await store.chat(-100500)
    assert new is not None and (new.subscribed, new.push_time, new.timezone, new.lang) == (
        True, "07:00", "Europe/Berlin", "en")
    assert await store.claim_due(at, "w", 10) == []  # today's was sent to the old id: not again
    old = await store.chat(-500)
    assert old is not None and old.migrated_to == -100500 and not old.subscribed


async def test_time_travel_over_days_and_dst(store: Store) -> None:
    """Passes every 20 minutes for 12 days around a DST change: one reminder a local day, on time."""
    chats = {1: ("America/New_York", "02:30"), 2: ("Europe/Berlin", "08:00"), 3: ("Asia/Shanghai", "23:50"),
             4: ("Australia/Sydney", "06:00")}
    for chat_id, (zone, at) in chats.items():
        await store.configure(chat_id, "private", push_time=at, zone=zone)
        await store.subscribe(chat_id, "private", "zh")
    now = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    # Re-anchor the due times to the simulated clock (subscribe computed them from the real one).
    async with store.sessions.begin() as session:
        from bot.models import ChatRow

        for chat_id, (zone, at) in chats.items():
            row = await session.get(ChatRow, chat_id)
            assert row is not None
            row.next_due_at = next_due(at, zone, now, store.catch_up)
    sent: dict[int, list[tuple[date, datetime]]] = {c: [] for c in chats}
    while now < datetime(2026, 3, 15, tzinfo=UTC):
        for due in await store.claim_due(now, "w", 100):
            sent[due.chat_id].append((due.local_date, now))
            await store.finish(due, "sent", now)
        now += timedelta(minutes=20)
    for chat_id, (zone, at) in chats.items():
        local_days = [day for day, _ in sent[chat_id]]
        assert len(local_days) == len(set(local_days)) >= 11, chat_id  # one a day
        assert local_days == [local_days[0] + timedelta(days=i) for i in range(len(local_days))]  # none missed
        for i, (day, instant) in enumerate(sent[chat_id]):
            # On time: within one pass of the local push time (02:30 on the DST day is 03:30);
            # the very first may be a catch-up of a time that passed before the simulation began.
            late = instant - due_on(day, at, zone)
            assert timedelta(0) <= late < (store.catch_up if i == 0 else timedelta(minutes=20)), (chat_id, day)
