"""Group study from the chat side: a plan over its whole length (time travel), streaks across
missed days and time zones, quizzes answered by several members, weekly rankings across a week
boundary, bookmarks, and /forget leaving nothing behind."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.fake.local import Chat, LocalBot, Reply
from bot.fake.server import Sent
from bot.push import Pusher
from bot.storage.tables import AnswerRow, BookmarkRow, MemberRow, QuizRow, ReadingRow
from content import Speech, shen
from content.plan import max_days, plan, reading_key
from content.quiz import topic_of
from content.quotes import sentence_quote
from handlers import callbacks as cb
from handlers.catalog import tr
from handlers.render import plan_labels
from handlers.store import PlanRecord

START = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # a Monday, 10:00 in Shanghai


def travel(bot: LocalBot, moment: datetime) -> None:
    bot.travel(moment)


async def test_a_plan_over_its_whole_length(bot: LocalBot, speech: Speech) -> None:
    bot.fake.admins[-8100].add(3001)
    admin, member = bot.group(-8100, 3001), bot.group(-8100, 3002)
    travel(bot, START)
    assert (await member.send("/plan 10")).text == tr("zh", "not_admin_plan")
    started = await admin.send("/plan 10")
    assert started.messages[0].text.startswith("✅ 学习计划已开始：10 天")
    passages = plan(speech, 10)
    for day in range(1, 11):
        travel(bot, START + timedelta(days=day - 1))
        shown = (await member.send("/plan")).messages[0]
        assert shown.text.startswith(f"📖 学习计划 第 {day}/10 天")
        assert plan_labels(passages[day - 1]) in shown.text
        pressed = await member.press(shown, "读完了")
        assert pressed.answers[0]["text"] == f"已记录。连续学习 {day} 天。"
        assert (await member.press(shown, "读完了")).answers[0]["text"].startswith("今天这段已经记过了")
        assert len(shown.text) < 4096
    travel(bot, START + timedelta(days=10))
    assert (await member.send("/plan")).text.startswith("🎉 学习计划的 10 天已经读完")
    group = (await member.send("/progress")).text
    assert "计划：第 10/10 天" in group and "3002" not in group  # counts, no names
    mine = (await bot.private(3002).send("/progress")).text
    total = len({u for p in plan(speech) for u in p.ids})
    assert f"已读章节：{total}/{total}" in mine and "连续学习：10 天" in mine


async def test_progress_says_what_it_counts(bot: LocalBot) -> None:
    """Issue 24, item 9: sections read with /show or the outline are not the plan's ✅, and
    /progress says that only the latter count."""
    chat = bot.private(3010)
    await chat.send("/show 4.2")
    mine = (await chat.send("/progress")).text
    assert "已读章节：0/" in mine and "只计学习计划中点了“✅ 读完了”的段落" in mine and "/show" in mine
    english = (await bot.private(3011, language_code="en").send("/progress")).text
    assert "passages you marked “✅ Done”" in english and "/show" in english


async def test_a_members_plan_stop_is_told_only_admins_stop_the_plan(bot: LocalBot) -> None:
    """Issue 24, item 16: not a sentence about push settings."""
    bot.fake.admins[-8110].add(3021)
    travel(bot, START)
    await bot.group(-8110, 3021).send("/plan 10")
    refused = (await bot.group(-8110, 3022).send("/plan stop")).text
    assert "学习计划" in refused and "停止" in refused and "推送设置" not in refused
    assert await bot.store.study.plan(-8110) is not None
    english = (await bot.group(-8110, 3023, language_code="en").send("/plan stop")).text
    assert "stop its reading plan" in english


async def test_a_restarted_plan_counts_its_readers_afresh(bot: LocalBot) -> None:
    """Issue 24, item 16: 「今天读完的成员」 of a new plan does not carry the old plan's ✅."""
    bot.fake.admins[-8120].add(3031)
    admin, member = bot.group(-8120, 3031), bot.group(-8120, 3032)
    travel(bot, START)
    await admin.send("/plan 10")
    await member.press((await member.send("/plan")).messages[0], "读完了")
    assert "今天读完的成员：1 人" in (await member.send("/progress")).text
    travel(bot, START + timedelta(days=1))
    await admin.send("/plan stop")
    await admin.send("/plan 10")  # day 1 again, a day later
    assert "今天读完的成员：0 人" in (await member.send("/progress")).text
    await member.press((await member.send("/plan")).messages[0], "读完了")
    assert "今天读完的成员：1 人" in (await member.send("/progress")).text
    question = (await admin.send("/plan 20")).messages[0]  # restarted the same day at another pace
    await admin.press(question, "重新开始")
    assert "今天读完的成员：0 人" in (await member.send("/progress")).text
    pressed = await member.press((await member.send("/plan")).messages[0], "读完了")
    assert pressed.answers[0]["text"].startswith("已记录")
    assert "今天读完的成员：1 人" in (await member.send("/progress")).text
    assert reading_key(START.date(), 10, 1) != reading_key(START.date(), 20, 1) < 2**31


async def test_rank_with_anonymous_quizzes_points_to_settings(bot: LocalBot) -> None:
    """Issue 24, item 16: anonymous answers are never ranked: /rank says where to change that."""
    bot.fake.admins[-8130].add(3041)
    admin = bot.group(-8130, 3041)
    travel(bot, START)
    ranking = (await admin.send("/rank")).text
    assert "/settings" in ranking and "答题改为公开" in ranking
    assert "/settings" in (await bot.group(-8130, 3042, language_code="en").send("/rank")).text
    panel = (await admin.send("/settings")).messages[0]
    await admin.press(panel, "答题改为公开")
    assert "/settings" not in (await admin.send("/rank")).text
    assert "/settings" not in (await bot.private(3043).send("/rank")).text  # private quizzes are named


async def test_a_day_is_the_chats_local_day(bot: LocalBot) -> None:
    bot.fake.admins[-8200].add(3101)
    admin = bot.group(-8200, 3101)
    await admin.send("/timezone America/Los_Angeles")
    travel(bot, datetime(2026, 12, 7, 7, 0, tzinfo=UTC))  # Sunday 23:00 in Los Angeles, Monday in Shanghai
    await admin.send("/plan 10")
    shown = (await admin.send("/plan")).messages[0]
    assert "第 1/10 天" in shown.text
    await admin.press(shown, "读完了")
    travel(bot, datetime(2026, 12, 7, 9, 0, tzinfo=UTC))  # Monday 01:00 there: the next local day
    shown = (await admin.send("/plan")).messages[0]
    assert "第 2/10 天" in shown.text
    assert (await admin.press(shown, "读完了")).answers[0]["text"] == "已记录。连续学习 2 天。"


async def test_quizzes_answers_and_the_weekly_ranking(bot: LocalBot) -> None:
    bot.fake.admins[-8300].add(3201)
    admin = bot.group(-8300, 3201)
    travel(bot, START)
    anonymous = (await admin.send("/quiz")).polls[0]
    assert anonymous["is_anonymous"] and anonymous["type"] == "quiz"
    panel = (await admin.send("/settings")).messages[0]
    await admin.press(panel, "答题改为公开")
    assert "答题：公开" in panel.text
    poll = (await admin.send("/quiz")).polls[0]
    assert not poll["is_anonymous"]
    right = poll["correct_option_ids"][0]
    wrong = (right + 1) % len(poll["options"])
    for user_id, name, option in ((3202, "张三", right), (3203, "李四", wrong), (3204, "王五", right)):
        await bot.process(bot.fake.poll_answer(poll["id"], bot.fake.user(user_id, name), [option]))
    ranking = (await admin.send("/rank")).text
    assert ranking.startswith("🏆 本周答题榜（12月7日–13日）")  # ISO week 2026-W50
    assert ranking.index("张三：1/1") < ranking.index("李四：0/1") and "王五：1/1" in ranking
    private = (await bot.private(3202).send("/quiz")).polls[0]
    assert not private["is_anonymous"]  # in private the member's answers count for /progress
    await bot.process(bot.fake.poll_answer(private["id"], bot.fake.user(3202, "张三"), private["correct_option_ids"]))
    assert "答题：2/2 正确" in (await bot.private(3202).send("/progress")).text
    travel(bot, START + timedelta(days=7))  # the next ISO week starts empty
    assert (await admin.send("/rank")).text.startswith("🏆 本周（12月14日–20日）还没有记名的答题")


async def test_eight_quizzes_in_a_week_ask_nothing_twice(bot: LocalBot) -> None:
    """/quiz eight times in one chat within a week: eight different questions, though two come
    at each instant (the same seed) and the last is six days after the first."""
    chat = bot.group(-8350, 3251)
    now = datetime.now(UTC).replace(microsecond=0)
    polls = []
    for days_ago in (6, 6, 4, 4, 2, 2, 0, 0):
        travel(bot, now - timedelta(days=days_ago))
        polls += (await chat.send("/quiz")).polls
    assert len(polls) == 8 and len({p["question"] for p in polls}) == 8
    async with bot.store.db.sessions() as session:
        keys = list(await session.scalars(select(QuizRow.question).where(QuizRow.chat_id == -8350)))
    assert len({topic_of(key) for key in keys}) == 8  # not even the same quote as a blank and as "which part"


async def test_bookmarks_and_forget_leave_nothing_behind(bot: LocalBot) -> None:
    chat = bot.private(3301)
    quote = (await chat.send("/quote 纪律")).messages[0]
    assert (await chat.press(quote, "收藏")).answers[0]["text"] == "已收藏。发送 /saved 查看。"
    section = (await chat.send("/show 4.2.3")).messages[-1]
    await chat.press(section, "收藏")
    saved = (await chat.send("/saved")).messages[0]
    assert saved.text.startswith("☆ 我的收藏") and "四（二）3" in saved.text and len(saved.buttons) == 2
    assert (await chat.press(section, "收藏")).answers[0]["text"] == "已取消收藏。"
    await chat.send("/quiz")
    poll = bot.fake.polls and list(bot.fake.polls.values())[-1]
    await bot.process(bot.fake.poll_answer(poll["id"], bot.fake.user(3301), [0]))
    ask = (await chat.send("/forget")).messages[0]
    done = await chat.press(ask, "确认删除")
    assert done.text == tr("zh", "forgotten", rows=3)  # the quote's bookmark, the answer, the quiz sent here
    async with bot.store.db.sessions() as session:
        for table in (AnswerRow, ReadingRow, BookmarkRow, MemberRow):
            assert await session.scalar(select(func.count()).where(table.user_id == 3301)) == 0, table
    assert (await chat.send("/saved")).text.startswith("还没有收藏")


async def test_forged_study_buttons_have_expired(bot: LocalBot) -> None:
    chat = bot.private(3401)
    menu = (await chat.send("/outline")).messages[0]
    for data in ("p|99", "p|x", "b|q:9999", "b|n:9.9", "b|zzz"):
        reply = await chat.press_data(menu, data)
        assert reply.answers[0].get("text") == "这个按钮已经过期，请重新发送命令。", data


async def test_the_daily_reminder_carries_the_plan_and_the_quiz(bot: LocalBot, speech: Speech) -> None:
    from bot.push import Pusher

    bot.fake.admins[-8500].add(3501)
    admin = bot.group(-8500, 3501)
    await admin.send("/subscribe 08:00")
    row = await bot.store.chats.chat(-8500)
    assert row is not None and row.next_due_at is not None
    moment = row.next_due_at + timedelta(minutes=1)
    travel(bot, moment)
    await admin.send("/plan 10")
    panel = (await admin.send("/settings")).messages[0]
    await admin.press(panel, "推送附带每日一题")
    pusher = Pusher(bot.app.bot, bot.store, speech)  # type: ignore[union-attr]
    assert (await pusher.run_due(moment)).sent == 1  # day 1 came with /plan itself, not again here
    assert "今日一慎" in bot.fake.by_chat[-8500][-1].text and "学习计划" not in bot.fake.by_chat[-8500][-1].text
    assert (await pusher.run_due(moment + timedelta(days=1))).sent == 1
    reminder = bot.fake.by_chat[-8500][-1]
    assert "今日一慎" in reminder.text and "学习计划 第 2/10 天" in reminder.text and len(reminder.text) < 4096
    assert any(b["text"] == "✅ 读完了" for b in reminder.buttons)
    polls = [c for c in bot.fake.calls_to("sendPoll", -8500) if c.response]
    assert len(polls) == 2 and polls[-1].response["poll"]["type"] == "quiz"


async def test_bookmarks_can_be_the_quote_of_the_day(bot: LocalBot, speech: Speech) -> None:
    chat = bot.private(3601)
    quote = (await chat.send("/quote 八项规定")).messages[0]
    await chat.press(quote, "收藏")
    saved_text = quote.text.split("\n出自 ")[0].strip("“”")
    assert (await chat.send("/saved daily")).text.startswith("好的：/today 的每日金句将轮流使用你的收藏")
    for offset in range(3):
        travel(bot, START + timedelta(days=offset))
        assert saved_text in (await chat.send("/today")).text
    await chat.send("/saved off")
    day = (START + timedelta(days=2)).astimezone(ZoneInfo("Asia/Shanghai")).date()
    assert bot.app is not None
    expected = shen.reminder(speech, day, bot.app.bot_data.ranking).quote  # the day's own reminder again
    assert expected.in_quotes in (await chat.send("/today")).text


async def test_a_search_hits_star_saves_its_sentence_which_saved_daily_quotes(bot: LocalBot, speech: Speech) -> None:
    """☆ under a hit saves the sentence the hit shows (not its section): /saved lists it with its
    location, and /saved daily makes it /today's quote verbatim. A section bookmark stays listed."""
    chat = bot.private(3611)
    await bot.store.study.toggle_bookmark(3611, "n:1.1")  # a section bookmark, kept beside sentence ones
    hits = (await chat.send("/search 绝不能建设一个工程倒下一批干部")).messages[0]
    first = next(ref for ref in bookmark_buttons(hits) if ref.startswith("s:"))
    node_id, index = first.removeprefix("s:").rsplit("~", 1)
    sentence = sentence_quote(speech, node_id, int(index))
    assert sentence is not None and "倒下一批干部" in sentence.text and sentence.text != speech.node(node_id).text
    assert sentence.text in hits.text.split("\n\n")[2]  # the first hit's line shows that very sentence
    assert (await chat.press(hits, "收藏")).answers[0]["text"] == "已收藏。发送 /saved 查看。"
    assert await bot.store.study.bookmarks(3611) == ["n:1.1", first]
    listed = (await chat.send("/saved")).text
    assert f"2. {sentence.label} {sentence.text[:39]}" in listed and "1. 一（一）" in listed  # the old one too
    await chat.send("/saved daily")
    quoted = set()
    for offset in range(2):
        travel(bot, START + timedelta(days=offset))
        today = (await chat.send("/today")).text
        quoted.add(sentence.text in today and f"出自 {sentence.label}" in today)
    assert quoted == {True, False}  # the sentence, verbatim with its location, and the section's quote in turn


def test_a_sentence_bookmark_names_one_sentence_in_one_spelling(speech: Speech) -> None:
    ref = cb.hit_bookmark("4.2.3", 2)
    assert ref == "s:4.2.3~2" and cb.bookmarked(speech, ref) == sentence_quote(speech, "4.2.3", 2)
    for forged in ("s:4.2.3~02", "s:4.2.3~999", "s:4.2.3", "s:4.2.3~", "s:9.9~1", "s:2:4.2.3~2", "s:4.2.3~-1"):
        assert cb.bookmarked(speech, forged) is None, forged
    longest = cb.hit_bookmark("999999999:4.2.3", 12)  # a scoped id in the last text there can be
    assert cb.parse(cb.encode(cb.Save(longest))) == cb.Save(longest) and len(cb.encode(cb.Save(longest))) <= 64
    assert cb.hit_bookmark("4.2.3", None) == "n:4.2.3"  # no sentence index: the section
    assert cb.hit_bookmark("999999999:" + "1." * 14 + "1", 3).startswith("n:")  # longer than the database keeps


def bookmark_buttons(message: Sent) -> dict[str, str]:
    """A message's ☆/★ buttons: bookmark reference → label."""
    found = {}
    for item in message.buttons:
        data = cb.parse(item.get("callback_data"))
        if isinstance(data, cb.Save):
            found[data.ref] = item["text"]
    return found


async def press_to(chat: Chat, message: Sent, target: cb.Callback) -> Reply:
    """Press the button of ``message`` that leads to ``target`` (it must be there)."""
    data = cb.encode(target)
    assert any(item.get("callback_data") == data for item in message.buttons), (data, message.buttons)
    return await chat.press_data(message, data)


async def test_the_bookmark_button_shows_its_state_and_toggles_in_place(bot: LocalBot) -> None:
    chat = bot.private(3701)
    quote = (await chat.send("/quote 纪律")).messages[0]
    (ref,) = bookmark_buttons(quote)
    assert bookmark_buttons(quote) == {ref: "☆ 收藏"}
    saved = await chat.press(quote, "收藏")
    assert saved.answers[0]["text"] == "已收藏。发送 /saved 查看。" and not saved.messages
    assert bookmark_buttons(quote) == {ref: "★ 已收藏"}  # the same message: its keyboard was edited
    removed = await chat.press(quote, "收藏")
    assert removed.answers[0]["text"] == "已取消收藏。"
    assert bookmark_buttons(quote) == {ref: "☆ 收藏"}
    again = (await chat.send("/quote 纪律")).messages[0]  # a new quote message shows the state too
    assert "☆" in next(iter(bookmark_buttons(again).values()))

    section = (await chat.send("/show 4.2.3")).messages[-1]
    assert bookmark_buttons(section) == {"n:4.2.3": "☆ 收藏"}
    await chat.press(section, "收藏")
    assert bookmark_buttons(section) == {"n:4.2.3": "★ 已收藏"}
    menu = (await chat.send("/outline")).messages[0]
    await press_to(chat, menu, cb.Outline("4"))
    await press_to(chat, menu, cb.Outline("4.2"))
    await press_to(chat, menu, cb.Read("4.2.3"))  # the section from the outline, edited in place
    assert "四（二）3" in menu.text.split("\n")[0] and bookmark_buttons(menu) == {"n:4.2.3": "★ 已收藏"}
    await chat.press(menu, "下一节")
    (following,) = bookmark_buttons(menu).items()
    assert following[0] != "n:4.2.3" and following[1] == "☆ 收藏"
    await chat.press(menu, "上一节")
    assert bookmark_buttons(menu) == {"n:4.2.3": "★ 已收藏"}
    shown = menu.text
    assert (await chat.press(menu, "收藏")).answers[0]["text"] == "已取消收藏。"
    assert bookmark_buttons(menu) == {"n:4.2.3": "☆ 收藏"} and menu.text == shown

    hits = (await chat.send("/search 绝不能建设一个工程倒下一批干部")).messages[0]
    (first, _), *_ = bookmark_buttons(hits).items()
    await chat.press(hits, "收藏")  # the first hit's sentence
    hits = (await chat.send("/search 绝不能建设一个工程倒下一批干部")).messages[0]
    marks = bookmark_buttons(hits)
    assert marks[first] == "★ 已收藏" and all(v == "☆ 收藏" for k, v in marks.items() if k != first)
    english = bot.private(3702, language_code="en")
    quote = (await english.send("/quote discipline")).messages[0]
    assert list(bookmark_buttons(quote).values()) == ["☆ Save"]
    assert (await english.press(quote, "Save")).answers[0]["text"] == "Saved. /saved lists them."
    assert list(bookmark_buttons(quote).values()) == ["★ Saved"]


async def test_in_a_group_the_bookmark_button_answers_whoever_presses_it(bot: LocalBot) -> None:
    first, second = bot.group(-8800, 3711), bot.group(-8800, 3712)
    hits = (await first.send("/search 绝不能建设一个工程倒下一批干部")).messages[0]
    await first.press(hits, "收藏")
    (ref, label), *_ = bookmark_buttons(hits).items()
    assert label == "★ 已收藏"
    other = await second.press(hits, "收藏")  # the second member saves it for themselves
    assert other.answers[0]["text"] == "已收藏。发送 /saved 查看。"
    assert (await second.press(hits, "收藏")).answers[0]["text"] == "已取消收藏。"
    assert bookmark_buttons(hits)[ref] == "☆ 收藏"  # as the member who pressed last has it
    assert "四（二）3" in (await bot.private(3711).send("/saved")).text  # the first member's stays


async def test_forget_can_be_cancelled_and_keeps_everything(bot: LocalBot) -> None:
    """Issue 24, item 17: /forget's question has 取消 beside 确认删除."""
    chat = bot.private(3061)
    await chat.send("/subscribe")
    ask = (await chat.send("/forget")).messages[0]
    assert [b["text"] for b in ask.buttons] == ["🗑 确认删除", "取消"]
    await chat.press(ask, "取消")
    assert ask.text == "好的，已取消：什么也没有删除。" and not ask.buttons
    assert await bot.store.chats.chat(3061) is not None
    english = bot.private(3062, language_code="en")
    ask = (await english.send("/forget")).messages[0]
    await english.press(ask, "Cancel")
    assert ask.text == "Cancelled: nothing was deleted."
    assert cb.parse("f|3061") == cb.Forget(3061, "yes")  # a question sent before 取消 existed


async def test_forget_in_a_group_is_confirmed_in_private_by_the_member_who_asked(bot: LocalBot) -> None:
    asker, other = bot.group(-8900, 3801), bot.group(-8900, 3802)
    mine = (await bot.private(3802).send("/quote 纪律")).messages[0]
    await bot.private(3802).press(mine, "收藏")
    ask = (await asker.send("/forget")).messages[0]
    assert ask.text == tr("zh", "forget_private")
    assert [b.get("url") for b in ask.buttons] == [f"https://t.me/{bot.fake.bot_user['username']}?start=forget"]
    refused = await other.press_data(ask, cb.encode(cb.Forget(3801)))  # someone else's confirmation
    assert refused.answers[0] == {**refused.answers[0], "text": tr("zh", "forget_not_yours"), "show_alert": True}
    assert await bot.store.study.bookmarks(3802)  # nothing of the presser's went
    private = bot.private(3801)
    (confirm,) = (await private.send("/start forget")).messages  # where the deep link leads: no welcome
    assert confirm.text.startswith("确定要删除") and [b["text"] for b in confirm.buttons] == ["🗑 确认删除", "取消"]
    assert (await private.press(confirm, "确认删除")).text == tr("zh", "forgotten_none")
    assert await bot.store.study.bookmarks(3802)


async def test_forget_in_private_deletes_the_chats_reminder_and_plan_and_counts_truly(bot: LocalBot) -> None:
    chat = bot.private(3901)
    await chat.send("/subscribe 08:00")
    await chat.send("/plan 10")
    quote = (await chat.send("/quote 纪律")).messages[0]
    await chat.press(quote, "收藏")
    ask = (await chat.send("/forget")).messages[0]
    assert "每日提醒" in ask.text and "学习计划" in ask.text
    done = await chat.press(ask, "确认删除")
    assert done.text == tr("zh", "forgotten", rows=3)  # the subscription, the plan, the bookmark
    assert await bot.store.chats.chat(3901) is None and await bot.store.study.plan(3901) is None
    assert not await bot.store.study.bookmarks(3901)
    assert (await chat.press(ask, "确认删除")).text == tr("zh", "forgotten_none")
    privacy = (await chat.send("/privacy")).text
    assert "学习计划" in privacy and "保留" in privacy  # says what goes and what stays


def plan_days_shown(bot: LocalBot, chat_id: int) -> list[int]:
    """The plan days that reached the chat, in order: every message the bot sent there (an edited
    message counts once), the replies to /plan and the daily reminders alike."""
    found = []
    for message in bot.fake.by_chat.get(chat_id, []):
        found += [int(day) for day in re.findall(r"学习计划 第 (\d+)/\d+ 天", message.text)]
    return found


async def test_a_plan_turns_the_daily_reminder_on_and_says_when_it_comes(bot: LocalBot, speech: Speech) -> None:
    travel(bot, START)  # 10:00 in Shanghai: today's 08:00 is past, inside the catch-up window
    chat = bot.private(3901)
    started = await chat.send("/plan 10")
    row = await bot.store.chats.chat(3901)
    assert row is not None and row.subscribed and not row.paused
    now = tr("zh", "next_now", date="2026-12-07", time="08:00")
    plan = tr("zh", "plan_name_plain")  # the original speech has no title line
    assert started.messages[0].html == (tr("zh", "plan_started", plan=plan, days=10, time="08:00",
                                             zone="Asia/Shanghai")
                                        + "\n" + tr("zh", "plan_push_on", next=now))
    assert "第 1/10 天" in started.messages[1].text

    subscribed = bot.private(3902)  # already subscribed: nothing to turn on, the time is still said
    await subscribed.send("/subscribe 07:30")
    again = await subscribed.send("/plan 10")
    assert again.messages[0].html == tr("zh", "plan_started", plan=plan, days=10, time="07:30", zone="Asia/Shanghai")

    bot.fake.admins[-8610].add(3903)
    admin, member = bot.group(-8610, 3903), bot.group(-8610, 3904)
    await admin.send("/timezone Europe/Berlin")
    travel(bot, datetime(2026, 12, 7, 19, 0, tzinfo=UTC))  # 20:00 in Berlin: past the catch-up window
    assert (await member.send("/plan 10")).text == tr("zh", "not_admin_plan")
    row = await bot.store.chats.chat(-8610)
    assert row is not None and not row.subscribed and await bot.store.study.plan(-8610) is None
    started = await admin.send("/plan 10")
    tomorrow = tr("zh", "next_tomorrow", date="2026-12-08", time="08:00")
    assert started.messages[0].html.endswith(tr("zh", "plan_push_on", next=tomorrow))
    assert "（每天 08:00，Europe/Berlin）" in started.messages[0].text
    pusher = Pusher(bot.app.bot, bot.store, speech)  # type: ignore[union-attr]
    assert (await pusher.run_due(datetime(2026, 12, 8, 7, 1, tzinfo=UTC))).chats == [-8610]  # 08:01 in Berlin
    assert "学习计划 第 2/10 天" in bot.fake.by_chat[-8610][-1].text


async def test_each_plan_day_reaches_the_chat_exactly_once(bot: LocalBot, speech: Speech) -> None:
    pusher = Pusher(bot.app.bot, bot.store, speech)  # type: ignore[union-attr]
    late = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai: after the 08:00 push
    travel(bot, late)
    after = bot.private(3911)  # /plan, then /subscribe after the push time
    await after.send("/plan 10")
    await after.send("/subscribe")
    early = bot.private(3912)  # a plan started before the day's push time
    travel(bot, late - timedelta(hours=2))  # 07:00
    await early.send("/subscribe 08:00")
    await early.send("/plan 10")
    for day in range(12):
        for hours in (0, 1, 5, 14):  # several passes a day, the catch-up among them
            moment = late + timedelta(days=day, hours=hours)
            travel(bot, moment)
            await pusher.run_due(moment)
    assert plan_days_shown(bot, 3911) == list(range(1, 11))
    assert plan_days_shown(bot, 3912) == list(range(1, 11))
    assert len(bot.fake.by_chat[3911]) > 11  # the reminders themselves kept coming


async def test_changing_a_running_plan_asks_and_only_the_asker_answers(bot: LocalBot) -> None:
    bot.fake.admins[-8620] |= {3921, 3922}
    asker, other_admin, member = bot.group(-8620, 3921), bot.group(-8620, 3922), bot.group(-8620, 3923)
    travel(bot, START)
    await asker.send("/plan 10")
    started = PlanRecord(-8620, 10, START.date())
    travel(bot, START + timedelta(days=2))
    question = (await asker.send("/plan 30")).messages[0]
    assert question.html == tr("zh", "plan_restart_ask", day=3, days=10, new=30)
    assert [b["text"] for b in question.buttons] == [tr("zh", "btn_plan_restart", days=30),
                                                     tr("zh", "btn_plan_keep")]
    assert await bot.store.study.plan(-8620) == started  # nothing changed yet
    for intruder in (other_admin, member):
        refused = await intruder.press(question, "重新开始")
        assert refused.answers[0]["text"] == tr("zh", "plan_not_yours") and refused.answers[0]["show_alert"]
    assert await bot.store.study.plan(-8620) == started
    await asker.press(question, "继续当前计划")
    assert question.html == tr("zh", "plan_kept", day=3, days=10) and not question.buttons
    assert await bot.store.study.plan(-8620) == started

    question = (await asker.send("/plan 30")).messages[0]
    restart = next(b["callback_data"] for b in question.buttons if "重新开始" in b["text"])
    await asker.press_data(question, restart)
    assert await bot.store.study.plan(-8620) == PlanRecord(-8620, 30, (START + timedelta(days=2)).date())
    assert question.text.startswith("✅ 学习计划已开始：30 天") and not question.buttons
    assert "学习计划 第 1/30 天" in bot.fake.by_chat[-8620][-1].text
    await asker.press_data(question, restart)  # pressed twice (a slow network): day 1 is not sent again
    assert plan_days_shown(bot, -8620).count(1) == 2  # once for the 10 days, once for the 30
    assert question.text.startswith("✅ 学习计划已开始：30 天")

    travel(bot, START + timedelta(days=40))  # the 30 days are over: a new pace starts at once
    assert (await asker.send("/plan 10")).messages[0].text.startswith("✅ 学习计划已开始：10 天")


async def test_a_pace_longer_than_the_speech_offers_its_longest(bot: LocalBot, speech: Speech) -> None:
    top = max_days(speech)
    travel(bot, START)
    chat = bot.private(3931)
    offer = (await chat.send("/plan 61")).messages[0]
    assert offer.text.startswith(f"全文最多可分 {top} 天") and offer.html == tr("zh", "plan_too_long", max=top,
                                                                                   asked=61)
    assert [b["text"] for b in offer.buttons] == [tr("zh", "btn_plan_start", days=top)]
    assert await bot.store.study.plan(3931) is None  # never silently another pace
    await chat.press(offer, f"按 {top} 天开始")
    assert await bot.store.study.plan(3931) == PlanRecord(3931, top, START.date())
    assert f"学习计划 第 1/{top} 天" in bot.fake.by_chat[3931][-1].text
    for typed in ("abc", "3", "0", "-5", "10天", "1e3"):
        assert (await chat.send(f"/plan {typed}")).html == tr("zh", "usage_plan", min=5, max=top), typed
    again = (await chat.send("/plan 99")).messages[0]  # during the plan: the offer also asks about restarting
    assert again.html == (tr("zh", "plan_too_long", max=top, asked=99) + "\n"
                          + tr("zh", "plan_restart_ask", day=1, days=top, new=top))
    assert len(again.buttons) == 2
    english = bot.private(3932, language_code="en")
    assert (await english.send("/plan 61")).text.startswith(f"The speech splits into at most {top} days")


async def test_an_anonymous_administrators_question_is_any_administrators(bot: LocalBot) -> None:
    """Telegram hides who an anonymous administrator is, so any administrator may answer."""
    group = {"id": -8630, "type": "supergroup", "title": "G"}
    anonymous = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}

    async def as_group(command: str) -> Reply:
        return await bot.process(bot.fake.push({"message": {
            "message_id": 1, "from": anonymous, "sender_chat": group, "chat": group, "date": 0, "text": command,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(command.split()[0])}]}}))

    travel(bot, START)
    await as_group("/plan 10")
    question = (await as_group("/plan 20")).messages[0]
    assert [b["callback_data"] for b in question.buttons] == [cb.encode(cb.Pace(20, 0)), cb.encode(cb.Pace(0, 0))]
    refused = await bot.group(-8630, 3941).press(question, "重新开始")  # a member: not an administrator
    assert refused.answers[0]["text"] == tr("zh", "not_admin_plan")
    bot.fake.admins[-8630].add(3942)
    await bot.group(-8630, 3942).press(question, "重新开始")
    assert await bot.store.study.plan(-8630) == PlanRecord(-8630, 20, START.date())


async def test_a_plan_on_a_short_text_says_it_is_shorter_and_never_starts_on_a_salutation(bot: LocalBot) -> None:
    """Issue 24, item 8: /plan (21 days by default) on a text of fewer passages starts the
    longest plan it allows and says so; day 1 is reading, not 「同志们：」 alone."""
    from tests.library_texts import FITTING, add_text

    text_id = await add_text(bot.store, FITTING, "坚守廉洁底线")
    bot.fake.admins[-8710].add(3711)
    admin = bot.group(-8710, 3711)
    travel(bot, START)
    await bot.store.chats.configure(-8710, "group", text_id=text_id)
    started = await admin.send("/plan")
    record = await bot.store.study.plan(-8710)
    assert record is not None and record.days < 21
    assert f"最多只能分 {record.days} 天" in started.messages[0].text and "而不是 21 天" in started.messages[0].text
    day_one = started.messages[1].text.split("\n\n", 1)[1]
    assert day_one.strip() != "同志们：" and "今天和大家谈谈" in day_one
    english = bot.group(-8711, 3712, language_code="en")
    bot.fake.admins[-8711].add(3712)
    await bot.store.chats.configure(-8711, "group", text_id=text_id)
    assert "not 21" in (await english.send("/plan")).messages[0].text
    bot.fake.admins[-8712].add(3713)
    await bot.store.chats.configure(-8712, "group", text_id=text_id)
    full = await bot.group(-8712, 3713).send("/plan 5")  # asked for no more than it has: nothing to say
    assert full.messages[0].text.startswith("✅") and "而不是" not in full.messages[0].text


async def test_a_plan_keeps_reading_its_text_after_the_chat_switches(bot: LocalBot, speech: Speech) -> None:
    """A plan started on text 2 names it, and its passages (the push's, /plan's, ✅) stay text 2's
    after the group goes back to the original; /progress says which texts it counts."""
    from tests.library_texts import FITTING, add_text

    assert bot.app is not None and bot.app.bot_data.library is not None
    text_id = await add_text(bot.store, FITTING, "坚守廉洁底线")
    bot.fake.admins[-8700].add(3701)
    admin, member = bot.group(-8700, 3701), bot.group(-8700, 3702)
    travel(bot, START)
    await bot.store.chats.configure(-8700, "group", text_id=text_id)
    started = await admin.send("/plan 5")
    assert started.messages[0].text.startswith("✅ 《坚守廉洁底线》的学习计划已开始：5 天")
    assert started.messages[1].text.startswith("📖 《坚守廉洁底线》的学习计划 第 1/5 天")
    assert await bot.store.study.plan(-8700) == PlanRecord(-8700, 5, START.date(), text_id)
    await bot.store.chats.configure(-8700, "group", text_id=1)  # the group studies the original again
    book = bot.app.bot_data.library.get(text_id)
    assert book is not None
    passages = plan(book.speech, 5)

    pusher = Pusher(bot.app.bot, bot.store, bot.app.bot_data.library)  # type: ignore[arg-type]
    assert (await pusher.run_due(START)).sent == 1  # day 1 came with /plan
    assert (await pusher.run_due(START + timedelta(days=1))).sent == 1
    pushed = bot.fake.by_chat[-8700][-1].text
    day = (START + timedelta(days=1)).astimezone(ZoneInfo("Asia/Shanghai")).date()
    assert shen.reminder(speech, day, bot.app.bot_data.ranking).quote.text in pushed  # the chat's text now
    assert "《坚守廉洁底线》的学习计划 第 2/5 天" in pushed and passages[1].text.splitlines()[-1] in pushed

    travel(bot, START + timedelta(days=1))
    shown = (await member.send("/plan")).messages[0]
    assert shown.text.startswith("📖 《坚守廉洁底线》的学习计划 第 2/5 天") and passages[1].text[-20:] in shown.text
    await member.press(shown, "读完了")
    assert await bot.store.study.passages_read(3702) == set(passages[1].ids)  # scoped: 2:1.1
    group = (await member.send("/progress")).text
    assert "《坚守廉洁底线》的学习计划：第 2/5 天" in group
    mine = (await bot.private(3702).send("/progress")).text
    units = len({u for p in plan(speech) for u in p.ids})
    theirs = len({u for p in plan(book.speech) for u in p.ids})
    assert f"已读章节：《原讲话》 0/{units}；《坚守廉洁底线》 1/{theirs}" in mine  # the current text first


async def test_a_quiz_asks_about_the_chats_text_or_says_it_cannot(bot: LocalBot) -> None:
    from tests.library_texts import FITTING, UNRELATED, add_text

    fitting, weather = await add_text(bot.store, FITTING, "坚守廉洁底线"), await add_text(bot.store, UNRELATED, "天气")
    chat = bot.private(3801)
    await bot.store.chats.configure(3801, "private", text_id=fitting)
    poll = (await chat.send("/quiz")).polls[0]
    assert poll["question"].startswith("这句话出自讲话的哪一部分？") and poll["question"].split("“")[1][:6] in FITTING
    await bot.store.chats.configure(3801, "private", text_id=weather)
    reply = await chat.send("/quiz")
    assert not reply.polls and reply.text == tr("zh", "quiz_none", title="《天气》")
