"""Subscriptions from the chat side: commands, admin rules, settings buttons, membership, migration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.fake.local import LocalBot
from bot.push import Pusher
from content import Speech
from handlers.catalog import tr
from tests.conftest import bot_settings


async def test_handlers_store_and_push_run_on_one_clock(bot: LocalBot, speech: Speech) -> None:
    """Years from the real time, the whole bot agrees on the time: the handler's reply, the
    next due time the store computes, and the push pass that finds it due."""
    bot.travel(datetime(2031, 3, 4, 0, 30, tzinfo=UTC))  # 08:30 in Shanghai
    chat = bot.private()
    reply = await chat.send("/subscribe 09:00")
    row = await bot.store.chats.chat(chat.chat_id)
    assert row is not None and row.next_due_at == datetime(2031, 3, 4, 1, 0, tzinfo=UTC)  # today, not the real day
    assert "2031-03-04" in reply.text and "09:00" in reply.text
    berlin = await chat.send("/timezone Europe/Berlin")
    assert berlin.messages[0].html == tr("zh", "zone_set", zone="Europe/Berlin", local="01:30")
    bot.travel(datetime(2031, 3, 4, 8, 1, tzinfo=UTC))  # 09:01 in Berlin
    report = await Pusher(bot.app.bot, bot.store, speech).run_due()  # type: ignore[union-attr]
    assert report.chats == [chat.chat_id]


async def test_subscribe_with_default_and_chosen_time(bot: LocalBot) -> None:
    chat = bot.private()
    reply = await chat.send("/subscribe")
    assert reply.text.startswith("✅ 已订阅：每天 08:00（Asia/Shanghai）")
    assert "每天 07:30" in (await chat.send("/subscribe 7:30")).text
    assert (await chat.send("/subscribe 25:00")).text.startswith("用法：/subscribe")
    assert (await chat.send("/subscribe ፩፪:፫፬")).text.startswith("用法：/subscribe")  # digits int() refuses
    assert (await chat.send("/settime ፩፪:፫፬")).text.startswith("用法：/settime")
    row = await bot.store.chats.chat(chat.chat_id)
    assert row is not None and row.subscribed and row.push_time == "07:30"


async def test_a_new_chat_gets_the_configured_default_time_and_zone(tmp_path: Path) -> None:
    settings = bot_settings(tmp_path, timezone="Europe/Berlin", push_time="7:15")
    async with LocalBot(settings) as bot:
        chat = bot.private()
        assert "时间：每天 07:15\n时区：Europe/Berlin" in (await chat.send("/settings")).text
        assert (await chat.send("/subscribe")).text.startswith("✅ 已订阅：每天 07:15（Europe/Berlin）")
        row = await bot.store.chats.chat(chat.chat_id)
        assert row is not None and (row.push_time, row.timezone) == ("07:15", "Europe/Berlin")


async def test_unsubscribe_settime_and_timezone(bot: LocalBot) -> None:
    chat = bot.private(language_code="en")
    assert (await chat.send("/unsubscribe")).text.startswith("This chat has no daily reminder")
    await chat.send("/subscribe")
    assert (await chat.send("/settime 21:15")).text == "⏰ The reminder now comes every day at 21:15 (Asia/Shanghai)."
    assert (await chat.send("/settime soon")).text.startswith("Usage: /settime")
    assert (await chat.send("/timezone berlin")).text.startswith("🌏 Time zone set to Europe/Berlin")
    bad = await chat.send("/timezone Mars/Phobos")
    assert "Unknown time zone “Mars/Phobos”" in bad.text and len(bad.messages[0].buttons) == 11  # 10 and Back
    assert (await chat.send("/unsubscribe")).text.startswith("The daily reminder is off")


async def test_settings_buttons_change_the_subscription_in_place(bot: LocalBot) -> None:
    chat = bot.private()
    panel = (await chat.send("/settings")).messages[0]
    assert "状态：未开启" in panel.text
    await chat.press(panel, "开启推送")
    assert "状态：已开启" in panel.text
    await chat.press(panel, "21:00")
    assert "每天 21:00" in panel.text
    await chat.press(panel, "更改时区")
    await chat.press(panel, "Asia/Tokyo")
    assert "时区：Asia/Tokyo" in panel.text
    await chat.press(panel, "关闭推送")
    assert "状态：未开启" in panel.text


async def test_the_zone_picker_goes_back_to_the_panel(bot: LocalBot) -> None:
    """Issue 24, item 17: the picker has ⬆ 返回, which shows the settings unchanged."""
    chat = bot.private()
    panel = (await chat.send("/settings")).messages[0]
    before = panel.text
    await chat.press(panel, "更改时区")
    assert panel.text.startswith("请选择时区")
    await chat.press(panel, "返回")
    assert panel.text == before
    english = bot.private(2099, language_code="en")
    picker = (await english.send("/timezone")).messages[0]
    await english.press(picker, "Back")
    assert picker.text.startswith("⚙️ Daily reminder")


async def test_private_settings_offer_no_anonymous_quizzes(bot: LocalBot) -> None:
    """Issue 24, item 15: a private chat's quizzes are never anonymous, so its panel neither says
    答题：匿名 nor offers to change it; a group's does."""
    private = (await bot.private().send("/settings")).messages[0]
    assert "答题" not in private.text.replace("每日答题", "")
    assert not [b for b in private.buttons if "匿名" in b["text"] or "公开" in b["text"]]
    english = (await bot.private(2098, language_code="en").send("/settings")).messages[0]
    assert "Quizzes:" not in english.text
    bot.fake.admins[-4310].add(2097)
    group = (await bot.group(-4310, 2097).send("/settings")).messages[0]
    assert "答题：匿名" in group.text and [b for b in group.buttons if "答题改为公开" in b["text"]]


async def test_only_admins_change_a_groups_subscription(bot: LocalBot) -> None:
    member = bot.group(chat_id=-4300, user_id=2001)
    refused = await member.send("/subscribe")
    assert refused.text == "只有本群管理员可以修改推送设置。"
    bot.fake.admins[-4300].add(2002)
    admin = bot.group(chat_id=-4300, user_id=2002)
    assert (await admin.send("/subscribe 06:30")).text.startswith("✅ 已订阅：每天 06:30")
    checks = len(bot.fake.calls_to("getChatMember", -4300))
    await admin.send("/settime 07:00")
    assert len(bot.fake.calls_to("getChatMember", -4300)) == checks  # cached briefly
    panel = (await admin.send("/settings")).messages[0]
    pressed = await member.press(panel, "关闭推送")
    assert pressed.answers[0]["text"] == "只有本群管理员可以修改推送设置。" and "已开启" in panel.text
    before = panel.text
    picker = await member.press(panel, "更改时区")  # not even the picker: the panel is the admins'
    assert picker.answers[0]["text"] == "只有本群管理员可以修改推送设置。"
    assert panel.text == before and panel.edits == 0


async def test_anonymous_admins_are_admins(bot: LocalBot) -> None:
    group = {"id": -4400, "type": "supergroup", "title": "G"}
    anonymous = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
    update = bot.fake.push({"message": {
        "message_id": 1, "from": anonymous,
        "sender_chat": group, "chat": group, "date": 0, "text": "/subscribe",
        "entities": [{"type": "bot_command", "offset": 0, "length": 10}]}})
    reply = await bot.process(update)
    assert reply.text.startswith("✅ 已订阅") and not bot.fake.calls_to("getChatMember", -4400)


async def test_removed_pauses_and_readded_resumes_with_a_greeting(bot: LocalBot, speech) -> None:
    bot.fake.admins[-4500].add(2001)
    admin = bot.group(chat_id=-4500, user_id=2001)
    await admin.send("/subscribe 08:00")
    store = bot.store.chats
    await bot.process(bot.fake.membership(-4500, admin.user, "member", "kicked"))
    row = await store.chat(-4500)
    assert row.paused and row.next_due_at is None
    again = await bot.process(bot.fake.membership(-4500, admin.user, "left", "member"))
    assert again.text == "欢迎回来！每日推送已恢复：每天 08:00（Asia/Shanghai）。"
    row = await store.chat(-4500)
    assert not row.paused and row.next_due_at is not None


async def test_group_migration_keeps_the_subscription(bot: LocalBot, speech) -> None:
    bot.fake.admins[-4600].add(2001)
    admin = bot.group(chat_id=-4600, user_id=2001)
    await admin.send("/subscribe 09:00")
    await bot.process(bot.fake.migrate(-4600, -1004600, admin.user))
    new = await bot.store.chats.chat(-1004600)
    assert new is not None and new.subscribed and new.push_time == "09:00"
    pusher = Pusher(bot.app.bot, bot.store, speech)  # type: ignore[union-attr]
    report = await pusher.run_due(new.next_due_at + timedelta(minutes=1))
    assert report.chats == [-1004600] and not bot.fake.by_chat.get(-4600, [])[1:]


async def test_subscribe_announces_a_next_reminder_still_to_come(bot: LocalBot, speech: Speech) -> None:
    """The announced next reminder is never in the past: sent now (the catch-up), else today or
    tomorrow, as a date and time in the chat's zone; after today's went out, tomorrow."""
    def done(key: str, day: str, at: str = "08:00", zone: str = "Asia/Shanghai") -> str:
        return tr("zh", "sub_done", time=at, zone=zone, next=tr("zh", key, date=day, time=at))

    pusher = Pusher(bot.app.bot, bot.store, speech)  # type: ignore[union-attr]
    chat = bot.private(4701)
    bot.travel(datetime(2026, 12, 7, 1, 0, tzinfo=UTC))  # 09:00 in Shanghai: 08:00 is past, inside the catch-up
    assert (await chat.send("/subscribe 08:00")).html == done("next_now", "2026-12-07")
    assert (await pusher.run_due()).chats == [4701]  # and it is sent now
    assert (await chat.send("/subscribe 08:00")).html == done("next_tomorrow", "2026-12-08")  # not twice a day
    assert (await chat.send("/subscribe 08:30")).html == done("next_tomorrow", "2026-12-08", "08:30")
    assert (await pusher.run_due()).sent == 0
    assert (await chat.send("/subscribe 21:00")).html == done("next_tomorrow", "2026-12-08", "21:00")
    assert (await bot.private(4704).send("/subscribe 21:00")).html == done("next_today", "2026-12-07", "21:00")

    late = bot.private(4702)
    bot.travel(datetime(2026, 12, 7, 7, 0, tzinfo=UTC))  # 15:00: past the catch-up window
    assert (await late.send("/subscribe 08:00")).html == done("next_tomorrow", "2026-12-08")
    assert (await pusher.run_due()).sent == 0

    berlin = bot.private(4703)
    await berlin.send("/timezone Europe/Berlin")  # 08:00 there: the next is today in Berlin's own date
    assert (await berlin.send("/subscribe 09:30")).html == done("next_today", "2026-12-07", "09:30", "Europe/Berlin")
