"""Groups organised in topics (forums): a command is answered in the topic it was sent in, and
the daily push, plan days and daily quizzes go to the topic /subscribe or /plan was sent from
(or chosen in /settings), back to General, said once, when that topic is closed or deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.fake.local import Chat, LocalBot, Reply
from bot.fake.records import Call
from bot.fake.validate import ApiError
from bot.push import Pusher
from content import Speech
from handlers.catalog import tr
from handlers.store import ChatRecord
from handlers.topics import topic_label

FORUM = -1_000_000_004_001
ADMIN = 2001
EVENING = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)  # 06:00 on the 28th in Shanghai: before the 08:00 push
MORNING = datetime(2026, 11, 28, 0, 1, tzinfo=UTC)  # 08:01 in Shanghai
SENDS = ("sendMessage", "sendPhoto", "sendPoll")


def threads(reply: Reply) -> list[int | None]:
    """The topic of every message the bot sent in ``reply`` (None: General)."""
    return [_thread(call) for call in reply.calls if call.method in SENDS and call.response]


def _thread(call: Call) -> int | None:
    return call.response.get("message_thread_id") if call.response.get("is_topic_message") else None


def sent_since(bot: LocalBot, start: int, chat_id: int = FORUM) -> list[Call]:
    """The messages sent to ``chat_id`` since call number ``start``."""
    return [c for c in bot.fake.calls[start:] if c.method in SENDS and c.response
            and c.response["chat"]["id"] == chat_id]


def pusher(bot: LocalBot, speech: Speech) -> Pusher:
    """The running bot's push worker over ``speech``."""
    assert bot.app is not None
    return Pusher(bot.app.bot, bot.store, speech)


async def forum_with(bot: LocalBot, *names: str) -> tuple[Chat, list[Chat]]:
    """The forum's General (seen by its administrator) and a topic per name, opened by them."""
    bot.fake.admins[FORUM].add(ADMIN)
    general = bot.forum(FORUM, ADMIN)
    return general, [await general.open_topic(name) for name in names]


async def test_commands_in_a_topic_are_answered_in_it(bot: LocalBot) -> None:
    general, (study,) = await forum_with(bot, "学习")
    assert study.thread is not None
    for command in ("/search 慎独", "/quote", "/plan 10", "/quiz", "/card", "/settings", "/today", "/outline"):
        reply = await study.send(command)
        assert threads(reply) and set(threads(reply)) == {study.thread}, command
    quote = await study.send("/quote 纪律")  # a button pressed there answers there too
    pressed = await study.press(quote.messages[0], "图片")
    assert pressed.photos and set(threads(pressed)) == {study.thread}
    assert set(threads(await general.send("/search 慎独"))) == {None}  # General stays General


async def test_an_error_in_a_topic_is_apologised_for_in_it(bot: LocalBot, monkeypatch: pytest.MonkeyPatch) -> None:
    _, (study,) = await forum_with(bot, "学习")
    assert study.thread is not None

    async def broken(params: dict[str, Any]) -> dict[str, Any]:
        raise ApiError(400, "Bad Request: something unexpected")

    monkeypatch.setattr(bot.fake, "_api_getchatmember", broken)
    reply = await study.send("/subscribe")
    assert reply.text == tr("zh", "error") and threads(reply) == [study.thread]


async def test_subscribe_in_a_topic_sends_the_daily_push_there(bot: LocalBot, speech: Speech) -> None:
    general, (study, notices) = await forum_with(bot, "学习", "通知")
    bot.travel(EVENING)
    assert threads(await study.send("/subscribe")) == [study.thread]
    row = await bot.store.chats.chat(FORUM)
    assert row is not None and (row.thread_id, row.topic_name) == (study.thread, "学习")
    start = len(bot.fake.calls)
    assert (await pusher(bot, speech).run_due(MORNING)).chats == [FORUM]
    (pushed,) = sent_since(bot, start)
    assert "今日一慎" in pushed.response["text"] and _thread(pushed) == study.thread
    assert (await notices.send("/today")).messages  # other topics are answered where they ask
    await general.send("/subscribe")  # /subscribe in General: the push goes to General
    assert (row := await bot.store.chats.chat(FORUM)) is not None and row.thread_id is None


async def test_settings_show_and_change_the_topic(bot: LocalBot) -> None:
    general, (study, notices) = await forum_with(bot, "学习", "通知")
    await study.send("/subscribe")
    panel = (await study.send("/settings")).messages[0]
    assert "推送到话题：学习" in panel.text
    labels = [b["text"] for b in panel.buttons]
    assert "📌 推送到综合(General)" in labels and "📌 推送到此话题" not in labels  # it is this topic already
    elsewhere = (await notices.send("/settings")).messages[0]
    assert elsewhere.thread == notices.thread and "推送到话题：学习" in elsewhere.text
    moved = await notices.press(elsewhere, "推送到此话题")
    assert "推送到话题：通知" in moved.edited[0].text
    row = await bot.store.chats.chat(FORUM)
    assert row is not None and (row.thread_id, row.topic_name) == (notices.thread, "通知")
    member = Chat(bot, FORUM, bot.fake.user(2002, "李四"), thread=notices.thread)
    refused = await member.press(moved.edited[0], "推送到综合")
    assert refused.answers[0]["text"] == tr("zh", "not_admin")
    back = await notices.press(moved.edited[0], "推送到综合")
    assert "推送到话题：综合(General)" in back.edited[0].text
    assert (row := await bot.store.chats.chat(FORUM)) is not None and row.thread_id is None
    english = (await bot.forum(FORUM, ADMIN, language_code="en").in_topic(study.thread).send("/settings")).text
    assert "Posted in topic: General" in english
    assert "推送到话题：综合(General)" in (await general.send("/settings")).text


@pytest.mark.parametrize("gone", ["closed", "deleted"])
async def test_a_closed_or_deleted_topic_falls_back_to_general_once(bot: LocalBot, speech: Speech, gone: str) -> None:
    _, (study,) = await forum_with(bot, "学习")
    assert study.thread is not None
    bot.travel(EVENING)
    await study.send("/subscribe")
    if gone == "closed":
        await study.close_topic()
    else:
        bot.fake.delete_topic(FORUM, study.thread)
    push = pusher(bot, speech)
    start = len(bot.fake.calls)
    assert (await push.run_due(MORNING)).chats == [FORUM]
    refused = [c for c in bot.fake.calls[start:] if c.error is not None]
    expected = "Bad Request: TOPIC_CLOSED" if gone == "closed" else "Bad Request: message thread not found"
    assert [c.error.description for c in refused if c.error] == [expected]
    notice, reminder = sent_since(bot, start)
    assert notice.response["text"] == tr("zh", "topic_gone") and _thread(notice) is None
    assert "今日一慎" in reminder.response["text"] and _thread(reminder) is None
    assert (row := await bot.store.chats.chat(FORUM)) is not None and row.thread_id is None
    start = len(bot.fake.calls)
    assert (await push.run_due(MORNING + timedelta(days=1))).chats == [FORUM]
    (tomorrow,) = sent_since(bot, start)  # said once: the next day's reminder comes alone
    assert "今日一慎" in tomorrow.response["text"] and _thread(tomorrow) is None
    assert not [c for c in bot.fake.calls[start:] if c.error is not None]


async def test_plan_days_and_the_daily_quiz_follow_the_plans_topic(bot: LocalBot, speech: Speech) -> None:
    general, (study, notices) = await forum_with(bot, "学习", "通知")
    bot.travel(EVENING)
    await general.send("/subscribe")
    started = await study.send("/plan 10")  # the plan's topic: the push now goes there
    assert set(threads(started)) == {study.thread} and "第 1/10 天" in started.text
    panel = (await notices.send("/settings")).messages[0]
    await notices.press(panel, "推送附带每日一题")
    row = await bot.store.chats.chat(FORUM)
    assert row is not None and row.thread_id == study.thread and row.quiz_daily
    push = pusher(bot, speech)
    start = len(bot.fake.calls)
    assert (await push.run_due(MORNING + timedelta(days=1))).chats == [FORUM]  # day 1 came with /plan
    reminder, quiz = sent_since(bot, start)
    assert "学习计划 第 2/10 天" in reminder.response["text"] and _thread(reminder) == study.thread
    assert quiz.method == "sendPoll" and _thread(quiz) == study.thread
    day = (await study.send("/plan")).messages[0]
    done = await study.press(day, "读完了")
    assert done.answers and not done.errors


async def test_a_group_without_topics_is_unchanged(bot: LocalBot, speech: Speech) -> None:
    bot.fake.admins[-4301].add(ADMIN)
    group = bot.group(-4301, ADMIN)
    bot.travel(EVENING)
    for command in ("/subscribe", "/search 慎独", "/quiz", "/settings", "/plan 10"):
        reply = await group.send(command)
        assert reply.calls and all("message_thread_id" not in c.params or c.params["message_thread_id"] is None
                                   for c in reply.calls if c.method in SENDS), command
        assert "推送到话题" not in reply.text
    start = len(bot.fake.calls)
    assert (await pusher(bot, speech).run_due(MORNING)).chats == [-4301]
    assert [_thread(c) for c in sent_since(bot, start, -4301)] == [None]
    assert (row := await bot.store.chats.chat(-4301)) is not None and row.thread_id is None


async def test_a_reply_in_a_supergroup_without_topics_is_answered_in_the_chat(bot: LocalBot) -> None:
    """A reply carries its reply chain's ``message_thread_id`` but is no topic message: the
    answer goes to the chat (Telegram would refuse that id: "message thread not found")."""
    supergroup = bot.group(-1_000_000_004_302, ADMIN)
    shown = (await supergroup.send("/outline")).messages[0]
    update = bot.fake.message(supergroup.chat_id, supergroup.user, "/search 慎独", shown)
    update["message"]["message_thread_id"] = shown.message_id
    reply = await bot.process(update)
    assert reply.messages and not reply.errors and threads(reply) == [None]


async def test_the_supergroup_a_group_becomes_keeps_its_settings_without_a_topic(bot: LocalBot) -> None:
    bot.fake.admins[-4401].add(ADMIN)
    group = bot.group(-4401, ADMIN)
    await group.send("/subscribe 07:30")
    await bot.process(bot.fake.migrate(-4401, -1_000_000_004_401, group.user))
    row = await bot.store.chats.chat(-1_000_000_004_401)
    assert row is not None and row.subscribed and row.push_time == "07:30" and row.thread_id is None


async def test_topic_names_come_from_service_messages(bot: LocalBot) -> None:
    general, (study,) = await forum_with(bot, "学习")
    assert study.thread is not None
    assert bot.app is not None and bot.app.bot_data.topic_names.get((FORUM, study.thread)) == "学习"
    await study.send("/subscribe")
    edited = bot.fake.push({"message": {"message_id": 900, "from": general.user, "chat": bot.fake._chat(FORUM),
                                        "date": 0, "message_thread_id": study.thread, "is_topic_message": True,
                                        "forum_topic_edited": {"name": "学习园地"}}})
    await bot.process(edited)
    assert (row := await bot.store.chats.chat(FORUM)) is not None and row.topic_name == "学习园地"
    assert "推送到话题：学习园地" in (await study.send("/settings")).text


def test_an_unnamed_topic_is_shown_by_its_number() -> None:
    row = ChatRecord(chat_id=FORUM, kind=ChatType.SUPERGROUP, lang="zh", subscribed=True, paused=False,
                     push_time="08:00", timezone="Asia/Shanghai", next_due_at=None, thread_id=7)
    assert topic_label("zh", row) == "#7"
    assert topic_label("en", None) == "General"


async def test_the_fake_refuses_threads_as_telegram_does(bot: LocalBot) -> None:
    assert bot.app is not None
    api = bot.app.bot
    bot.fake.forum(FORUM)
    topic = await api.create_forum_topic(FORUM, "学习")
    sent = await api.send_message(FORUM, "hi", message_thread_id=topic.message_thread_id)
    assert sent.is_topic_message and sent.message_thread_id == topic.message_thread_id and sent.chat.is_forum
    for chat_id, thread in ((FORUM, 1),  # General is sent to without an id
                            (-4501, topic.message_thread_id), (1001, topic.message_thread_id), (FORUM, 999)):
        with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
            await api.send_message(chat_id, "hi", message_thread_id=thread)
    await api.close_forum_topic(FORUM, topic.message_thread_id)
    with pytest.raises(BadRequest, match=r"(?i)topic_closed"):
        await api.send_poll(FORUM, "q?", ["a", "b"], message_thread_id=topic.message_thread_id)
    await api.reopen_forum_topic(FORUM, topic.message_thread_id)
    assert (await api.send_message(FORUM, "again", message_thread_id=topic.message_thread_id)).is_topic_message
    await api.delete_forum_topic(FORUM, topic.message_thread_id)
    with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
        await api.send_message(FORUM, "hi", message_thread_id=topic.message_thread_id)
    with pytest.raises(BadRequest, match="not a forum"):
        await api.create_forum_topic(-4501, "x")
