"""The 学习台账's repository on SQLite and PostgreSQL: counts in SQL agree with ``Study.readers``,
a migrated group's record moves, /forget's rows go, the weekly look is claimed once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.fake.local import TravelClock
from bot.storage import Store
from handlers.store import PlanDayRecord

OLD, NEW = -5100, -1_005_100_000_000
START = date(2026, 12, 1)


async def test_counts_agree_with_readers_and_move_with_a_migration(store: Store, clock: TravelClock) -> None:
    clock.at = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    await store.ledger.switch(OLD, True, "小组")
    assert await store.ledger.join(OLD, 1, "甲") and not await store.ledger.join(OLD, 1, "甲二")
    await store.ledger.join(OLD, 2, "乙")
    for day in (1, 2):
        assert await store.ledger.record_day(PlanDayRecord(OLD, START + timedelta(days=day - 1), 1, START, 10, day))
        for user in (1, 2, 3)[:4 - day]:
            await store.study.mark_read(user, OLD, 1000 + day, "1.1,1.2" if day == 1 else "2.1", START)
    await store.study.mark_read(4, OLD, 1001, "1.1", START)  # part of day 1's passage only
    await store.ledger.set_members(OLD, START, 30)
    counts = await store.study.readers_by_day(OLD, {1001: "1.1,1.2", 1002: "2.1", 1003: "3.1"})
    assert counts == {1001: await store.study.readers(OLD, 1001, "1.1,1.2"), 1002: 2, 1003: 0} == {
        1001: 3, 1002: 2, 1003: 0}
    note = await store.ledger.add_note(2, OLD, 1, "4.2", "心得十个字以上的一段话。")
    await store.study.remember_poll("p1", OLD, "q3|blank|纪律", 1, False)
    await store.study.record_answer("p1", 1, "甲", (1,), clock.at)
    await store.study.record_answer("p1", 3, "丙", (0,), clock.at)
    await store.ledger.migrate(OLD, NEW)
    await store.ledger.migrate(OLD, NEW)  # the message comes from both chats
    state = await store.ledger.state(NEW)
    assert state is not None and state.enabled and await store.ledger.state(OLD) is None
    days = await store.ledger.plan_days(NEW, START, START + timedelta(days=30))
    assert [(d.day, d.members) for d in days] == [(1, 30), (2, None)]
    assert await store.study.readers(NEW, 1001, "1.1,1.2") == 3
    activity = await store.ledger.activity(NEW, datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC),
                                           START, date(2026, 12, 31))
    assert dict(activity.joined) == {1: "甲", 2: "乙"}
    tallies = {t.user_id: (t.days_read, t.answered, t.right) for t in activity.tallies}
    assert tallies == {1: (2, 1, 1), 2: (2, 0, 0), 3: (1, 1, 0), 4: (1, 0, 0)}
    assert [(q.answered, q.right) for q in activity.quizzes] == [(2, 1)]
    assert [n.id for n in activity.notes] == [note.id]
    assert await store.ledger.forget(2) == 2  # the joining and the 心得
    assert await store.ledger.notes(2) == []


async def test_the_weekly_look_is_claimed_once_a_week(store: Store, clock: TravelClock) -> None:
    clock.at = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    await store.ledger.set_weekly(OLD, 7, True)
    assert await store.ledger.weekly() == []  # the record is off
    await store.ledger.switch(OLD, True, "小组")
    assert await store.ledger.weekly() == [(OLD, 7)]
    monday = date(2026, 12, 7)
    assert await store.ledger.claim_weekly(OLD, 7, monday)
    assert not await store.ledger.claim_weekly(OLD, 7, monday)
    assert await store.ledger.claim_weekly(OLD, 7, monday + timedelta(days=7))
    await store.ledger.set_weekly(OLD, 7, False)
    assert await store.ledger.weekly() == []
