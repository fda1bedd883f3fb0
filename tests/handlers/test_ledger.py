"""The group's 学习台账 from the chat side: turned on and off by an administrator, members who
join by name, 心得 (/note, /notes), the month's files sent in private and what they say, /forget,
a migrated group, the weekly look."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
from docx import Document
from sqlalchemy import func, select

from bot.fake.local import Chat, LocalBot
from bot.fake.records import Sent
from bot.storage.tables import LedgerMemberRow, ReflectionRow
from content import Speech
from content.plan import plan, reading_key
from handlers import ledger
from handlers.catalog import tr
from handlers.context import BotContext
from handlers.ledger_build import Period

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Shanghai
GROUP = -8800
ADMIN = 4001


def cells(content: bytes) -> list[Any]:
    """Every cell's value of every sheet of a workbook."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def paragraphs(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def documents(bot: LocalBot, user_id: int) -> list[Sent]:
    return [sent for sent in bot.fake.by_chat[user_id] if sent.document]


async def turned_on(bot: LocalBot, group: int = GROUP, admin: int = ADMIN) -> tuple[Chat, Sent]:
    bot.fake.admins[group].add(admin)
    chat = bot.group(group, admin, "组长")
    intro = (await chat.send("/ledger on")).messages[0]
    return chat, intro


async def test_an_administrator_turns_it_on_and_off_and_a_member_may_not(bot: LocalBot) -> None:
    bot.travel(START)
    member = bot.group(GROUP, 4002, "张三")
    refused = (await member.send("/ledger on")).text
    assert refused == tr("zh", "not_admin_ledger")
    assert await bot.store.ledger.state(GROUP) is None
    admin, intro = await turned_on(bot)
    assert intro.text.startswith("📒 本群已开启学习台账（自 2026-12-01 起")
    assert "✅ 实名记录" in intro.text and "只计人数" in intro.text and "/ledger off" in intro.text
    assert [b["text"] for b in intro.buttons] == ["✅ 实名记录"]
    again = (await admin.send("/ledger on")).messages[0]
    assert again.text.startswith("ℹ️ 本群的学习台账已在记录中")
    assert (await member.send("/ledger off")).text == tr("zh", "not_admin_ledger")
    assert (await admin.send("/ledger off")).text == tr("zh", "ledger_off_done")
    state = await bot.store.ledger.state(GROUP)
    assert state is not None and not state.enabled
    assert (await admin.send("/ledger off")).text == tr("zh", "ledger_off_already")
    assert (await admin.send("/台账 on")).messages[0].text.startswith("📒 本群已开启学习台账")
    assert (await bot.private(4003).send("/ledger on")).text == tr("zh", "ledger_group_only")


async def test_members_join_by_the_button_and_leave(bot: LocalBot) -> None:
    bot.travel(START)
    admin, intro = await turned_on(bot)
    member = bot.group(GROUP, 4002, "张三")
    joined = (await member.press(intro, "实名记录")).answers[0]
    assert joined["text"] == "✅ 已加入实名记录：台账中写作“张三”。退出：/ledger leave"
    assert (await member.press(intro, "实名记录")).answers[0]["text"].startswith("ℹ️ 你已在实名记录中")
    assert (await member.send("/ledger leave")).text == tr("zh", "ledger_left")
    assert (await member.send("/ledger leave")).text == tr("zh", "ledger_not_joined")
    await admin.send("/ledger off")
    assert (await member.press(intro, "实名记录")).answers[0]["text"] == tr("zh", "ledger_join_closed")


async def test_html_in_a_name_or_a_title_is_shown_as_written(bot: LocalBot) -> None:
    bot.travel(START)
    bot.fake.titles[GROUP] = "<b>第三</b>支部&小组"
    admin, intro = await turned_on(bot)
    member = bot.group(GROUP, 4002, "<i>王</i>&五")
    joined = (await member.press(intro, "实名记录")).answers[0]["text"]
    assert "“<i>王</i>&五”" in joined and "&lt;" not in joined  # a toast is plain text
    await admin.send("/ledger")
    caption = documents(bot, ADMIN)[0]
    assert caption.text == "📒 <b>第三</b>支部&小组 学习台账 2026-12" and "&lt;b&gt;" in caption.html


async def test_notes_length_section_and_the_groups_reaction(bot: LocalBot, speech: Speech) -> None:
    bot.travel(START)
    member = bot.group(GROUP, 4002, "张三")
    assert (await member.send("/note")).text == tr("zh", "note_usage")
    short = (await member.send("/note 太短了的九个字啊。")).text
    assert short == "❌ 心得需要 10–2000 个字，这一篇有 9 个字。"
    assert "2001 个字" in (await member.send("/note " + "学" * 2001)).text
    written = await member.send("/note 慎独是一种修养，也是一种境界。")
    assert written.messages == [] and written.reactions[0]["reaction"][0]["emoji"] == "👍"
    section = await member.send("/note 4.2 纪律是管党治党的“戒尺”，要时时对照。")
    assert section.reactions and section.messages == []
    assert "不存在" not in (await member.send("/note 四（二） 用中文的序号也可以写心得。")).text
    unknown = (await member.send("/note 9.9 这一节并不存在所以应当被拒绝。")).text
    assert unknown == "❌ 找不到“9.9”这一节。/outline 可查看目录。"
    bot.fake.reactions_off.add(GROUP)
    fallback = await member.send("/心得 没有表情回应时，只回复一句短话。")
    assert fallback.text == tr("zh", "note_saved_short") and not fallback.reactions
    notes = await bot.store.ledger.notes(4002)
    assert [n.node_id for n in notes[1:3]] == ["4.2", "4.2"]
    assert notes[-1].node_id == next(iter(speech.nodes())).id  # no plan: the text's start
    assert "4.2" not in (await member.send("/note 9.9")).text  # one word only: the whole is the note
    private = (await bot.private(4002, "张三").send("/note 4.2 私聊里也可以写心得，写在某一节下。")).text
    assert private.startswith("✅ 心得已保存（四（二），")


async def test_a_note_rides_with_the_plan_day(bot: LocalBot, speech: Speech) -> None:
    bot.travel(START)
    admin, _ = await turned_on(bot)
    await admin.send("/plan 10")
    bot.travel(START + timedelta(days=2))
    await bot.group(GROUP, 4002, "张三").send("/note 第三天的段落读完了，很有收获。")
    (note,) = await bot.store.ledger.notes(4002)
    assert note.node_id == plan(speech, 10)[2].ids[0]


async def test_notes_are_listed_in_private_and_edited_or_deleted(bot: LocalBot) -> None:
    bot.travel(START)
    chat = bot.private(4010, "李四")
    for n in range(8):
        await chat.send(f"/note 第{n}篇心得：学习讲话要联系实际。" + "想" * 600)
    in_group = (await bot.group(GROUP, 4010, "李四").send("/notes")).messages[0]
    assert in_group.buttons[0]["url"].endswith("?start=notes")
    listed = (await chat.send("/notes")).messages[0]
    assert listed.text.startswith("📝 我的心得（第 1/") and len(listed.text) < 4096
    assert "第7篇心得" in listed.text  # newest first
    first = await bot.store.ledger.notes(4010)
    assert any(b["text"] == f"✏️ 修改 #{first[0].id}" for b in listed.buttons)
    turned = await chat.press(listed, "▶")
    assert "第 2/" in turned.edited[0].text
    assert f"#{first[-1].id} ·" in listed.text  # page 2 holds the oldest, in place
    prompt = (await chat.press(listed, f"修改 #{first[-1].id}")).messages[0]
    assert prompt.text.startswith(f"✏️ 心得 #{first[-1].id}") and prompt.reply_markup["force_reply"]
    assert (await chat.reply(prompt, "太短")).text.startswith("❌ 心得需要 10–2000 个字")
    assert (await chat.reply(prompt, "改过的心得：要把学习成果转化为实际行动。")).text == tr("zh", "note_edited")
    edited = await bot.store.ledger.note(4010, first[-1].id)
    assert edited is not None and edited.text == "改过的心得：要把学习成果转化为实际行动。" and edited.edited_at
    stranger = await chat.press(listed, f"删除 #{first[-2].id}", user=bot.fake.user(4011, "外人"))
    assert stranger.answers[0]["text"] == tr("zh", "note_gone")  # not theirs
    deleted = await chat.press(listed, f"删除 #{first[-2].id}")
    assert deleted.answers[0]["text"] == tr("zh", "note_deleted")
    assert await bot.store.ledger.note(4010, first[-2].id) is None
    assert len(await bot.store.ledger.notes(4010)) == 7


async def _a_month(bot: LocalBot, speech: Speech) -> dict[str, Any]:
    """A group that keeps its record: a 10-day plan from Dec 1, two members joined by name
    (张三, 李四), one who did not (路人甲); some ✅ each day, a quiz, 心得."""
    bot.travel(START)
    bot.fake.titles[GROUP] = "第三党支部学习小组"
    bot.fake.member_counts[GROUP] = 41  # the bot and 40 members
    admin, intro = await turned_on(bot)
    zhang, li, other = (bot.group(GROUP, 4002, "张三"), bot.group(GROUP, 4003, "李四"),
                        bot.group(GROUP, 4004, "路人甲"))
    await zhang.press(intro, "实名记录")
    await li.press(intro, "实名记录")
    await admin.send("/plan 10")
    for day in range(1, 6):
        bot.travel(START + timedelta(days=day - 1))
        shown = (await zhang.send("/plan")).messages[0]
        readers = [zhang, li, other] if day % 2 else [zhang]
        for member in readers:
            await member.press(shown, "读完了")
    await zhang.send("/note 慎独是一种修养，也是一种境界。")
    await other.send("/note 路人甲的心得不写名字，只计人数。")
    await li.send("/note =HYPERLINK(\"http://x\")这是李四的心得")
    return {"admin": admin}


async def test_the_months_record_goes_to_the_administrator_in_private(bot: LocalBot, speech: Speech) -> None:
    await _a_month(bot, speech)
    admin = bot.group(GROUP, ADMIN, "组长")
    reply = await admin.send("/ledger")
    assert reply.text == "台账已私信发送给你。"
    xlsx, docx = documents(bot, ADMIN)
    assert (xlsx.file_name, docx.file_name) == ("学习台账-2026-12.xlsx", "学习台账-2026-12.docx")
    values = cells(bot.fake.files[xlsx.document or ""])
    words = " ".join(str(v) for v in values)
    assert "张三" in words and "李四" in words and "路人甲" not in words and "组长" not in words
    document = paragraphs(bot.fake.files[docx.document or ""])
    assert "第三党支部学习小组" in document and "张三" in document and "路人甲" not in document
    # The figures against the database: each plan day's readers as /progress counts them.
    record = await ledger.build(BotContext(bot.app), GROUP, "", ZoneInfo("Asia/Shanghai"),
                                Period.month(2026, 12), "zh")
    current = await bot.store.study.plan(GROUP)
    assert current is not None
    assert [s.day for s in record.sessions] == [date(2026, 12, d) for d in range(1, 6)]
    for number, session in enumerate(record.sessions, start=1):
        passage = plan(speech, 10)[number - 1]
        expected = await bot.store.study.readers(GROUP, reading_key(current.start_date, 10, number),
                                                 ",".join(dict.fromkeys(passage.ids)))
        assert session.readers == expected == (3 if number % 2 else 1)
        assert session.expected == 40 and session.rate == expected / 40
        assert any(v == session.readers for v in values if isinstance(v, int))
        assert any((isinstance(v, float) and abs(v - expected / 40) < 1e-3)
                   or (isinstance(v, str) and f"{100 * expected / 40:.1f}" in v) for v in values), expected
    rows = {m.name: m for m in record.members}
    assert set(rows) == {"张三", "李四"} and record.others == 1
    assert rows["张三"].days_read == 5 and rows["李四"].days_read == 3 and rows["张三"].reflections == 1
    assert [r.name for r in record.reflections] == ["张三", "李四"]
    formula = [c for sheet in openpyxl.load_workbook(io.BytesIO(bot.fake.files[xlsx.document or ""])).worksheets
               for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value or "")]
    assert formula and all(c.data_type == "s" for c in formula)  # a member's "=…" stays text
    bot.travel(START + timedelta(days=4))
    group_progress = (await admin.send("/progress")).text
    assert f"今天读完的成员：{record.sessions[-1].readers} 人" in group_progress  # the figure /progress gives


async def test_another_month_and_malformed_months(bot: LocalBot, speech: Speech) -> None:
    await _a_month(bot, speech)
    admin = bot.group(GROUP, ADMIN, "组长")
    assert (await admin.send("/ledger 2026-11")).text == tr("zh", "ledger_sent")
    xlsx, docx = documents(bot, ADMIN)
    assert xlsx.file_name == "学习台账-2026-11.xlsx"
    assert "没有学习计划" in " ".join(str(v) for v in cells(bot.fake.files[xlsx.document or ""]))
    assert "没有学习计划" in paragraphs(bot.fake.files[docx.document or ""])
    for bad in ("2026-13", "11月", "2026-1-1"):
        answer = (await admin.send(f"/ledger {bad}")).text
        assert answer == f"❌ 看不懂月份“{bad}”。请这样写：/ledger 2026-11"
    assert (await bot.group(GROUP, 4002, "张三").send("/ledger 2026-11")).text == tr("zh", "not_admin_ledger")
    assert len(documents(bot, ADMIN)) == 2


async def test_an_administrator_who_never_started_the_bot_is_told_how(bot: LocalBot) -> None:
    bot.travel(START)
    admin, _ = await turned_on(bot)
    bot.fake.unstarted.add(ADMIN)
    answer = (await admin.send("/ledger")).messages[0]
    assert answer.text == tr("zh", "ledger_start_first")
    assert answer.buttons[0]["url"].endswith("?start=ledger")
    bot.fake.unstarted.discard(ADMIN)
    assert (await bot.private(ADMIN, "组长").send("/start ledger")).text == tr("zh", "ledger_started")


async def test_forget_takes_the_name_and_the_notes_away(bot: LocalBot, speech: Speech) -> None:
    await _a_month(bot, speech)
    private = bot.private(4002, "张三")
    ask = (await private.send("/forget")).messages[0]
    await private.press(ask, "删除")
    async with bot.store.db.reads() as session:
        assert await session.scalar(select(func.count()).select_from(LedgerMemberRow).where(
            LedgerMemberRow.user_id == 4002)) == 0
        assert await session.scalar(select(func.count()).select_from(ReflectionRow).where(
            ReflectionRow.user_id == 4002)) == 0
    await bot.group(GROUP, ADMIN, "组长").send("/ledger")
    xlsx = documents(bot, ADMIN)[0]
    assert "张三" not in " ".join(str(v) for v in cells(bot.fake.files[xlsx.document or ""]))
    assert "李四" in " ".join(str(v) for v in cells(bot.fake.files[xlsx.document or ""]))


async def test_a_group_that_became_a_supergroup_keeps_its_record(bot: LocalBot, speech: Speech) -> None:
    await _a_month(bot, speech)
    new = -1_009_000_000_000
    await bot.process(bot.fake.migrate(GROUP, new, bot.fake.user(ADMIN, "组长")))
    bot.fake.admins[new].add(ADMIN)
    bot.fake.titles[new] = "第三党支部学习小组"
    assert (await bot.group(new, ADMIN, "组长").send("/ledger")).text == tr("zh", "ledger_sent")
    words = " ".join(str(v) for v in cells(bot.fake.files[documents(bot, ADMIN)[0].document or ""]))
    assert "张三" in words and "李四" in words
    record = await ledger.build(BotContext(bot.app), new, "", ZoneInfo("Asia/Shanghai"),
                                Period.month(2026, 12), "zh")
    assert [s.readers for s in record.sessions] == [3, 1, 3, 1, 3]


async def test_the_weekly_look_comes_once_on_monday(bot: LocalBot, speech: Speech) -> None:
    await _a_month(bot, speech)
    admin = bot.group(GROUP, ADMIN, "组长")
    assert (await admin.send("/ledger weekly")).text == tr("zh", "ledger_weekly_on")
    context = BotContext(bot.app)
    sunday = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)
    assert await ledger.send_weekly(context, sunday) == 0
    monday = datetime(2026, 12, 7, 1, 5, tzinfo=UTC)  # 09:05 in Shanghai
    assert await ledger.send_weekly(context, monday) == 1
    assert await ledger.send_weekly(context, monday + timedelta(hours=1)) == 0  # once a week
    report = bot.fake.by_chat[ADMIN][-2]
    assert report.text.startswith("📒 第三党支部学习小组 上周学习台账（2026-11-30 至 2026-12-06）")
    assert "学习 5 次，参学 11 人次" in report.text and "实名记录 2 人，其他参学 1 人" in report.text
    assert bot.fake.by_chat[ADMIN][-1].photo
    assert (await admin.send("/ledger weekly")).text == tr("zh", "ledger_weekly_off")


async def test_the_push_keeps_each_plan_day_with_the_groups_size(bot: LocalBot, speech: Speech) -> None:
    from bot.push import Pusher

    bot.fake.admins[GROUP].add(ADMIN)
    bot.fake.member_counts[GROUP] = 34  # the bot and 33 members
    admin = bot.group(GROUP, ADMIN, "组长")
    await admin.send("/subscribe 08:00")
    row = await bot.store.chats.chat(GROUP)
    assert row is not None and row.next_due_at is not None
    moment = row.next_due_at + timedelta(minutes=1)
    bot.travel(moment)
    await admin.send("/plan 10")
    bot.fake.member_counts[GROUP] = 36
    pusher = Pusher(bot.app.bot, bot.store, speech)  # type: ignore[union-attr]
    assert (await pusher.run_due(moment + timedelta(days=1))).sent == 1
    local = moment.astimezone(ZoneInfo("Asia/Shanghai")).date()
    days = await bot.store.ledger.plan_days(GROUP, local, local + timedelta(days=1))
    assert [(d.day, d.members) for d in days] == [(1, 33), (2, 35)]


async def test_the_files_figures_agree_with_progress_the_plan_and_the_database(bot: LocalBot, speech: Speech) -> None:
    """Seven plan days lived by five members (two joined by name, the administrator not): each
    day's 参学人数 in the .xlsx and the .docx is what /progress said that day and what the
    database counts; 应学人数 is the group less the bot; 学习内容 is the plan message's passage."""
    bot.travel(START)
    bot.fake.titles[GROUP] = "第三党支部学习小组"
    bot.fake.member_counts[GROUP] = 6  # the bot and five members
    admin, intro = await turned_on(bot)
    zhang, li, jia, yi = (bot.group(GROUP, 4002, "张三"), bot.group(GROUP, 4003, "李四"),
                          bot.group(GROUP, 4004, "路人甲"), bot.group(GROUP, 4005, "路人乙"))
    await zhang.press(intro, "实名记录")
    await li.press(intro, "实名记录")
    await admin.send("/plan 7")
    readers_by_day = {1: [zhang, li, jia], 2: [zhang], 3: [], 4: [zhang, li, jia, yi, admin], 5: [li, yi]}
    said: dict[date, int] = {}
    titles: dict[date, str] = {}
    for day, readers in readers_by_day.items():
        bot.travel(START + timedelta(days=day - 1))
        shown = (await zhang.send("/plan")).messages[0]
        header = shown.text.splitlines()[0]
        assert f"第 {day}/7 天" in header
        titles[date(2026, 12, day)] = header.split("：", 1)[1]
        for member in readers:
            await member.press(shown, "读完了")
        progress = (await admin.send("/progress")).text
        said[date(2026, 12, day)] = int(progress.split("今天读完的成员：")[1].split(" 人")[0])
    assert list(said.values()) == [3, 1, 0, 5, 2]
    assert (await admin.send("/ledger")).text == tr("zh", "ledger_sent")
    xlsx, docx = documents(bot, ADMIN)
    sessions = openpyxl.load_workbook(io.BytesIO(bot.fake.files[xlsx.document or ""])).worksheets[0]
    rows = [row for row in sessions.iter_rows(min_row=2, values_only=True) if isinstance(row[0], datetime)]
    assert [row[0].date() for row in rows] == list(said)
    current = await bot.store.study.plan(GROUP)
    assert current is not None
    for number, (when, label, readers, expected, rate) in enumerate((row[:5] for row in rows), start=1):
        passage = plan(speech, 7)[number - 1]
        counted = await bot.store.study.readers(GROUP, reading_key(current.start_date, 7, number),
                                                ",".join(dict.fromkeys(passage.ids)))
        assert readers == said[when.date()] == counted
        assert expected == 5 and abs(rate - counted / 5) < 1e-9
        assert titles[when.date()] in str(label)
    table = Document(io.BytesIO(bot.fake.files[docx.document or ""])).tables[0]
    printed = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert [(r[2], r[3], r[4]) for r in printed] == [(str(n), "5", f"{100 * n / 5:.0f}%") for n in said.values()]
    members = {row[0]: row[1:] for row in
               openpyxl.load_workbook(io.BytesIO(bot.fake.files[xlsx.document or ""])).worksheets[1]
               .iter_rows(min_row=2, values_only=True) if row[0] in ("张三", "李四", "组长", "路人甲", "路人乙")}
    assert set(members) == {"张三", "李四"}
    assert members["张三"][0] == sum(zhang in r for r in readers_by_day.values()) == 3
    assert members["李四"][0] == sum(li in r for r in readers_by_day.values()) == 3
    assert "另有3人参学" in " ".join(str(c) for c in cells(bot.fake.files[xlsx.document or ""]))


async def test_notes_are_dated_in_the_chats_zone(bot: LocalBot) -> None:
    """A 心得 written at 20:00 UTC on Dec 7 is Dec 8 in Shanghai: /notes says so, as the files do."""
    bot.travel(datetime(2026, 12, 7, 20, 0, tzinfo=UTC))
    chat = bot.private(4020, "王五")
    await chat.send("/note 晚上读完了这一段，写下几句体会。")
    listed = (await chat.send("/notes")).messages[0]
    assert "· 2026-12-08 ·" in listed.text and "2026-12-07" not in listed.text


async def test_forget_says_it_takes_the_notes_and_the_name_in_the_record(bot: LocalBot) -> None:
    """/forget deletes 心得 and the name in groups' 学习台账: its question says so, in both languages."""
    bot.travel(START)
    ask = (await bot.private(4030, "赵六").send("/forget")).messages[0]
    assert "心得" in ask.text and "学习台账" in ask.text
    english = (await bot.private(4031, "Ann", language_code="en").send("/forget")).messages[0]
    assert "notes" in english.text and "study records" in english.text


async def test_a_note_on_the_plan_day_prints_under_the_sessions_words(bot: LocalBot) -> None:
    """The 前言 has no heading: the session and the 心得 written on it name it by the same first
    words, so the secretary finds the reflection under the day it belongs to."""
    bot.travel(START)
    admin, intro = await turned_on(bot)
    zhang = bot.group(GROUP, 4002, "张三")
    await zhang.press(intro, "实名记录")
    await admin.send("/plan 10")
    await zhang.send("/note 第一天读前言，体会到“慎”字的分量。")
    await admin.send("/ledger")
    xlsx, docx = documents(bot, ADMIN)
    book = openpyxl.load_workbook(io.BytesIO(bot.fake.files[xlsx.document or ""]))
    studied = str(book.worksheets[0].cell(2, 2).value)
    passage = next(str(row[2]) for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)
                   if row[1] == "张三")
    assert studied.startswith(passage), (studied, passage)
    headings = [p.text for p in Document(io.BytesIO(bot.fake.files[docx.document or ""])).paragraphs
                if p.style is not None and p.style.name == "Heading 2"]
    assert headings == [passage]


async def test_ledger_in_a_group_that_never_turned_it_on_says_how(bot: LocalBot) -> None:
    """/ledger before /ledger on: no files of a record nobody could join, the way to turn it on;
    after /ledger off the months recorded are still sent."""
    bot.travel(START)
    bot.fake.admins[GROUP].add(ADMIN)
    admin = bot.group(GROUP, ADMIN, "组长")
    assert (await admin.send("/ledger")).text == tr("zh", "ledger_off_already")
    assert documents(bot, ADMIN) == []
    await admin.send("/ledger on")
    await admin.send("/ledger off")
    assert (await admin.send("/ledger")).text == tr("zh", "ledger_sent")
    assert len(documents(bot, ADMIN)) == 2


async def test_an_english_administrator_gets_files_named_in_english(bot: LocalBot) -> None:
    bot.travel(START)
    bot.fake.admins[GROUP].add(ADMIN)
    admin = bot.group(GROUP, ADMIN, "Ann", language_code="en")
    await admin.send("/ledger on")
    assert (await admin.send("/ledger 2026-11")).text == tr("en", "ledger_sent")
    assert [d.file_name for d in documents(bot, ADMIN)] == ["study-record-2026-11.xlsx", "study-record-2026-11.docx"]


async def test_an_anonymous_quiz_is_not_printed_as_answered_by_nobody(bot: LocalBot) -> None:
    """Telegram never tells the bot who answered an anonymous poll: the files say 匿名 where the
    counts would be, and count an open quiz's answers."""
    bot.travel(START)
    admin, _ = await turned_on(bot)
    await admin.send("/quiz")  # anonymous: a group's default
    panel = (await admin.send("/settings")).messages[0]
    await admin.press(panel, "答题改为公开")
    poll = (await admin.send("/quiz")).polls[0]
    right = poll["correct_option_ids"][0]
    for user_id, option in ((4002, right), (4003, (right + 1) % len(poll["options"]))):
        await bot.process(bot.fake.poll_answer(poll["id"], bot.fake.user(user_id, "甲"), [option]))
    await admin.send("/ledger")
    xlsx, docx = documents(bot, ADMIN)
    sheet = openpyxl.load_workbook(io.BytesIO(bot.fake.files[xlsx.document or ""])).worksheets[3]
    assert [row[3:5] for row in sheet.iter_rows(min_row=2, values_only=True)] == [("匿名", "匿名"), (2, 1)]
    table = Document(io.BytesIO(bot.fake.files[docx.document or ""])).tables[-1]
    assert [[c.text for c in row.cells][3:5] for row in table.rows[1:]] == [["匿名", "匿名"], ["2", "1"]]
