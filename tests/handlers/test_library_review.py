"""What a review of the library (issue 18) found in chat, end to end against the fake Bot API:
a title with ``&`` or ``<`` on a button and an inline result, English readers' labels of
another text, and a text described on another replica."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.fake.local import LocalBot
from bot.push import Pusher
from content.formats.blocks import Metadata
from content.library import TextInfo
from handlers import callbacks as cb
from handlers.caches import BoundedCache
from handlers.render import utf16_len
from tests.conftest import bot_settings
from tests.documents import SEED
from tests.handlers.test_texts import SECOND, add_text

ODD = "R&D <研发> 讲话"
"""A title as owners type them: an ampersand and angle brackets, which HTML would swallow."""


async def test_the_library_buttons_show_a_title_as_it_is_written(bot: LocalBot) -> None:
    second = await add_text(bot, title=ODD)
    listing = (await bot.private().send("/texts")).messages[0]
    assert f"《{ODD}》" in listing.text  # the message is HTML: escaped there, shown as written
    labels = [b["text"] for b in listing.buttons]
    assert f"{second.id}. 《R&D <研发> 讲话》" in labels, labels  # a button's text is plain: never &amp;


async def test_inline_results_are_titled_as_the_text_reads(bot: LocalBot) -> None:
    body = SECOND.replace("读书班制度", "R&D<读书班>制度")
    second = await add_text(bot, body, title=ODD)
    chat = bot.private()
    await chat.send(f"/use {second.id}")
    answer = (await chat.inline("读书班")).answers[0]
    article = next(r for r in answer["results"] if r["type"] == "article")
    assert "R&D<读书班>制度" in article["title"], article["title"]  # plain text: no &amp; or &lt;
    assert "&amp;" not in article["title"] and "&lt;" not in article["title"]
    posted = article["input_message_content"]["message_text"]  # HTML: escaped
    assert "R&amp;D&lt;读书班&gt;制度" in posted


async def test_english_readers_see_other_texts_named_in_english(bot: LocalBot) -> None:
    second = await add_text(bot)
    untitled = await add_text(bot, SECOND.replace("全县", "全市"), title=None, speaker=None, spoken=None)
    chat = bot.private(user_id=1101, first_name="Ann", language_code="en")
    found = await chat.send("/search all 抓铁有痕")
    assert "《" not in found.text and "“Original speech” 二（一）" in found.text, found.text
    assert "“关于加强学习的讲话” 二（二）" in found.text
    await chat.send(f"/use {untitled.id}")
    quote = (await chat.send("/quote 1.1")).messages[0]
    await chat.press(quote, "Save")
    await chat.send(f"/use {second.id}")
    inline = (await chat.inline("读书班")).answers[0]
    article = next(r for r in inline["results"] if r["type"] == "article")
    assert article["input_message_content"]["message_text"].endswith("— from “关于加强学习的讲话” 二（二）")
    listing = await chat.send("/saved")
    assert f"“Text {untitled.id}” 一（一）" in listing.text and "文本" not in listing.text, listing.text
    chinese = await bot.private().send("/search 全部 抓铁有痕")
    assert "《原讲话》二（一）" in chinese.text and "《关于加强学习的讲话》二（二）" in chinese.text  # Chinese labels


async def test_a_text_described_on_another_replica_shows_its_new_title(bot: LocalBot) -> None:
    second = await add_text(bot)
    chat = bot.private()
    await chat.send(f"/use {second.id}")
    assert "《关于加强学习的讲话》" in (await chat.send("/start")).text  # the book is in memory now
    # Another replica's /describe: the database changes, this process's memory does not.
    await bot.store.texts.describe(second.id, Metadata(title="学习讲话（修订）", speaker="王五", date=date(2024, 3, 2)))
    assert bot.app is not None
    bot.app.bot_data.shelf.checks = BoundedCache(16)  # (the check's age passing)
    welcome = await chat.send("/start")
    assert "《学习讲话（修订）》（王五 · 2024年3月2日）" in welcome.text, welcome.text
    assert (await chat.send("/outline")).text.startswith("📖 目录：《学习讲话（修订）》")
    found = await bot.private(user_id=1102).send("/search 全部 抓铁有痕")  # labels from the fresh metadata too
    assert "《学习讲话（修订）》二（二）" in found.text, found.text


async def test_the_chat_and_the_push_read_one_shelf(tmp_path: Path) -> None:
    """The bot's handlers and its daily push get their books from one ``Shelf``: a text read
    again for a chat is the push's too, checked once for both, with one freshness."""
    async with LocalBot(bot_settings(tmp_path, push_enabled=True, push_interval_seconds=3600)) as bot:
        second = await add_text(bot)
        assert bot.app is not None and bot.services is not None and bot.services.pusher is not None
        shelf = bot.app.bot_data.shelf
        assert bot.services.pusher.shelf is shelf
        await bot.store.texts.describe(second.id, Metadata(title="学习讲话（修订）"))
        shelf.checks = BoundedCache(16)  # (the check's age passing)
        await bot.private().send(f"/use {second.id}")  # the chat reads it again
        book = await bot.services.pusher.shelf.book(second.id)
        assert book is not None and book.info.title == "学习讲话（修订）"


async def test_the_original_named_on_another_replica_is_named_here_too(bot: LocalBot) -> None:
    chat = bot.private()
    assert (await chat.send("/outline")).text.startswith("📖 目录：《原讲话》")
    await bot.store.texts.describe(1, Metadata(title="坚持慎字当头", speaker="张三"))  # /describe 1 elsewhere
    assert bot.app is not None
    bot.app.bot_data.shelf.checks = BoundedCache(16)  # (the check's age passing)
    assert (await chat.send("/outline")).text.startswith("📖 目录：《坚持慎字当头》（张三）")
    assert "1. 《坚持慎字当头》" in (await chat.send("/texts")).text


async def test_a_text_number_too_large_for_the_database_is_an_answer_not_an_error(tmp_path: Path) -> None:
    """/describe and forged buttons with a number no text can have (the texts' ids are 32-bit
    integers on PostgreSQL, 64-bit on SQLite) get the usage or the stale button's answer."""
    async with LocalBot(bot_settings(tmp_path, admin_ids={1001})) as bot:
        chat = bot.private()
        described = await chat.send("/describe 99999999999999999999 标题=x")
        assert described.text.startswith("用法：/describe 编号") and not described.errors
        listing = (await chat.send("/texts")).messages[0]
        for data in ("x|99999999999999999999", "t|pub|99999999999999999999", "x|4294967296"):
            pressed = await chat.press_data(listing, data)
            assert pressed.answers[0]["text"] == "这个按钮已经过期，请重新发送命令。", (data, pressed.answers)


async def test_an_english_owner_sending_the_speech_file_reads_its_name_in_english(tmp_path: Path) -> None:
    async with LocalBot(bot_settings(tmp_path, admin_ids={1001})) as bot:
        owner = bot.private(language_code="en")
        again = await owner.send_document(SEED.read_bytes(), "speech.txt")
        assert again.text.startswith("This text is in the library already: #1 “Original speech”, published."), \
            again.text
        chinese = await bot.private().send_document(SEED.read_bytes(), "speech.txt")
        assert chinese.text.startswith("这篇已经在文本库里：#1《原讲话》")


RUN_ON = ("一、第一部分\n（一）第一节" + "，".join(f"我们要坚持学习第{i}项内容并认真落实廉洁要求" for i in range(300))
          + "。\n（二）第二节" + "，".join(f"我们要坚持学习第{i}项要求" for i in range(300, 600)) + "。\n")
"""A text whose sentences run on for thousands of characters (commas only, as a PDF that lost its
full stops reads): every hit, summary and quote of it must still fit one message."""


async def test_a_text_of_run_on_sentences_is_searched_and_summarised_within_one_message(bot: LocalBot) -> None:
    second = await add_text(bot, RUN_ON, title="长句")
    chat = bot.private()
    await chat.send(f"/use {second.id}")
    for command in ("/search 坚持学习", "/search 全部 坚持学习", "/summary 1.1", "/summary"):
        reply = await chat.send(command)
        assert not reply.errors, (command, [call.error for call in reply.errors])
        message = reply.messages[0]
        assert utf16_len(message.text) <= 4096 and "出了点问题" not in message.text, command
    found = (await chat.send("/search 第450项")).messages[0]
    assert "第450项" in found.text and "…" in found.text  # cut around the words found, and says so
    group = bot.group(chat_id=-4801, user_id=2001)
    assert not (await group.send("/search 全部 坚持学习")).errors
    answer = await chat.inline("坚持学习")
    assert not answer.errors and answer.answers[0]["results"]
    posted = answer.answers[0]["results"][0]["input_message_content"]["message_text"]
    assert utf16_len(posted) <= 4096


async def test_a_run_on_sentence_is_offered_no_card_it_cannot_hold(bot: LocalBot) -> None:
    second = await add_text(bot, RUN_ON + "二、第二部分\n要坚持学习，守住底线。\n", title="长句")
    chat = bot.private()
    await chat.send(f"/use {second.id}")
    found = (await chat.send("/search 坚持学习")).messages[0]
    rows = found.reply_markup["inline_keyboard"] if found.reply_markup else []
    hits = [row for row in rows if any(b["text"].endswith("阅读") for b in row)]
    short = [row for row in hits if row[0]["text"].startswith("第二部分")]
    assert short and any("图片" in b["text"] for b in short[0])  # a sentence a card holds: 🖼
    long = [row for row in hits if not row[0]["text"].startswith("第二部分")]
    assert long and not any("图片" in b["text"] for row in long for b in row), long  # thousands of characters: none
    forged = await chat.press_data(found, cb.encode(cb.SentenceCard(f"{second.id}:1.1", 0)))
    assert not forged.errors and not forged.photos and forged.answers


async def test_many_bookmarks_list_the_newest_each_with_its_button(bot: LocalBot) -> None:
    """A member of several texts saves more than one message of buttons holds: /saved lists the
    newest 20, each with its button, and says how many older ones it leaves out."""
    second = await add_text(bot)
    refs = [f"q:{n}" for n in range(30)] + [f"n:{second.id}:{node}" for node in ("1.1", "1.2", "2.1", "2.2")]
    for ref in refs:
        await bot.store.study.toggle_bookmark(1001, ref)
    listing = (await bot.private().send("/saved")).messages[0]
    numbered = [line for line in listing.text.splitlines() if line[:1].isdigit()]
    assert len(numbered) == len(listing.buttons) == 20, (len(numbered), len(listing.buttons))
    assert numbered[-1].startswith("34. 《关于加强学习的讲话》二（二）")  # the newest, numbered as saved
    assert listing.buttons[-1]["text"].startswith("34. ") and "较早的 14 条收藏没有列出" in listing.text
    english = (await bot.private(user_id=1001, language_code="en").send("/saved")).messages[0]
    assert "14 older bookmarks are not listed" in english.text


async def test_a_plan_whose_text_was_removed_says_so(bot: LocalBot) -> None:
    """A group's plan goes on reading its text after the owner removed it (the chat is back on
    the original), and its days, in /plan and in the daily reminder, say the text was removed."""
    second = await add_text(bot)
    removed = "ℹ️ 这篇文本已从文本库中移除，仍可阅读。"
    start = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    bot.travel(start)
    group = bot.group(chat_id=-4901, user_id=2001)
    bot.fake.admins[-4901].add(2001)
    await group.send(f"/use {second.id}")
    started = await group.send("/plan")
    assert removed not in started.text
    await bot.store.texts.set_status(second.id, "removed")  # `speechbot library remove`, another process
    assert bot.app is not None
    bot.app.bot_data.shelf.checks = BoundedCache(16)  # (the check's age passing)
    bot.store.chats._texts.pop(-4901)  # (the chat's text cache's too)
    day = await group.send("/plan")
    assert "《关于加强学习的讲话》的学习计划 第 1/" in day.text and day.text.endswith(removed), day.text
    moment = start + timedelta(days=1)  # the next morning's reminder carries day 2
    bot.travel(moment)
    pusher = Pusher(bot.app.bot, bot.store, bot.app.bot_data.library)  # type: ignore[arg-type]
    report = await pusher.run_due(moment)
    assert report.chats == [-4901], report
    pushed = bot.fake.by_chat[-4901][-1].text
    assert "的学习计划 第 2/" in pushed and removed in pushed, pushed


async def test_a_push_only_replica_sees_a_removal_and_a_new_title(bot: LocalBot) -> None:
    """A replica that only pushes (SPEECHBOT_RECEIVE_UPDATES=false) handles no update that would
    read a text again: its pusher checks the texts it holds against the database itself."""
    from bot.fake.data import seed_chats

    second = await add_text(bot)
    assert bot.app is not None and bot.app.bot_data.library is not None
    start = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    bot.travel(start)
    await seed_chats(bot.store, [-4902, -4903], start - timedelta(minutes=5))
    await bot.store.chats.configure(-4902, "group", reminder_format="card")
    await bot.store.study.start_plan(-4902, 5, date(2026, 11, 26), second.id)  # day 2 today
    await bot.store.study.start_plan(-4903, 5, date(2026, 11, 26), second.id)
    pusher = Pusher(bot.app.bot, bot.store, bot.app.bot_data.library)  # type: ignore[arg-type]
    await pusher.run_due(start)
    assert "《关于加强学习的讲话》的学习计划 第 2/" in bot.fake.by_chat[-4903][-1].text
    await bot.store.texts.describe(second.id, Metadata(title="学习讲话（修订）"))  # elsewhere
    await bot.store.texts.set_status(second.id, "removed")
    await bot.store.texts.describe(1, Metadata(title="坚持慎字当头", speaker="张三"))
    pusher.shelf.checks = BoundedCache(16)  # (the check's age passing)
    moment = start + timedelta(days=1)
    bot.travel(moment)
    await pusher.run_due(moment)
    pushed = bot.fake.by_chat[-4903][-1].text
    assert "《学习讲话（修订）》的学习计划 第 3/" in pushed and "已从文本库中移除" in pushed, pushed
    card_chat = [message for message in bot.fake.by_chat[-4902] if message.photo]
    assert card_chat and card_chat[-1].text.endswith("📖 《坚持慎字当头》 张三"), card_chat[-1].text


def test_the_test_texts_are_what_this_file_expects() -> None:
    assert "抓铁有痕" in SECOND and "读书班制度" in SECOND and "全县" in SECOND
    assert TextInfo(id=1, title=None).short == "原讲话"
