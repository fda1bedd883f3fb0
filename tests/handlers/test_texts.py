"""The library in chat: /texts, /use (administrators in groups), every command on the chat's
current text, searching every text, the title on cards and outlines, deep links and old buttons
that keep naming their own text, and a removed text that stays readable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.fake.local import LocalBot
from bot.fake.server import Sent
from content.cards import MARGIN, SOURCE_SIZE, WIDTH, CardSpec, card_font, fitted
from content.cards import render as draw
from content.formats.blocks import Metadata
from content.library import TextInfo, parse_body
from handlers import callbacks as cb
from handlers.render import utf16_len
from handlers.sharing import card_key
from tests.conftest import bot_settings

SECOND = """同志们：
今天我们召开全县学习工作会议，主要任务是总结经验、部署工作。
一、深刻认识学习的重要意义
学习是立身之本，也是干事创业的基础。
（一）学习是提高本领的根本途径。面对新形势新任务，我们必须把学习作为一种责任、一种境界，持之以恒地读原著、学原文、悟原理。
（二）学习是保持廉洁的思想防线。只有真学真信，才能在诱惑面前守得住底线，在考验面前把得住方向。
二、推动学习走深走实
（一）坚持学用结合。一是要带着问题学，把学习成果转化为解决实际问题的能力。二是要联系实际学，做到学以致用、用以促学。
（二）健全长效机制。各级党组织要建立读书班制度，每月至少组织一次集中研讨，以抓铁有痕的劲头确保学习常态化、长效化。
同志们，让我们以更加昂扬的精神状态，把学习成果转化为推动高质量发展的强大动力！
"""
TITLE = "关于加强学习的讲话"
SPEAKER = "李四"
SPOKEN = date(2024, 3, 1)


async def add_text(bot: LocalBot, body: str = SECOND, title: str | None = TITLE, speaker: str | None = SPEAKER,
                   spoken: date | None = SPOKEN, status: str = "live") -> TextInfo:
    """A text put into the library through the store, as a publish does."""
    info = TextInfo(id=0, title=title)
    nodes = sum(1 for node in parse_body(info, body).nodes() if node.kind in ("part", "section", "point"))
    added, new = await bot.store.texts.add(body, Metadata(title=title, speaker=speaker, date=spoken), "second.txt",
                                           nodes, status=status)  # type: ignore[arg-type]
    assert new
    return added


def data_of(message: Sent) -> list[str]:
    return [b["callback_data"] for b in message.buttons if "callback_data" in b]


def fits(message: Sent) -> None:
    """Every button's callback data within Telegram's 64 bytes, and the text within 4,096."""
    assert all(len(data.encode()) <= 64 for data in data_of(message)), data_of(message)
    assert utf16_len(message.text) <= 4096


async def test_texts_lists_the_library_newest_first_with_the_current_one_marked(bot: LocalBot) -> None:
    second = await add_text(bot)
    third = await add_text(bot, SECOND.replace("读书班", "读书会"), title="第三篇讲话", speaker=None, spoken=None)
    listing = (await bot.private().send("/texts")).messages[0]
    fits(listing)
    lines = listing.text.splitlines()
    numbered = [line for line in lines if line.lstrip("✅ ")[:2] in ("1.", "2.", "3.")]
    assert [line.lstrip("✅ ")[:2] for line in numbered] == [f"{third.id}.", f"{second.id}.", "1."]  # newest first
    assert numbered[-1].startswith("✅ ")  # the chat reads the original
    assert f"《{TITLE}》" in listing.text and "李四 · 2024年3月1日" in listing.text
    assert [cb.parse(d) for d in data_of(listing)] == [cb.UseText(third.id), cb.UseText(second.id), cb.UseText(1)]


async def test_use_switches_every_command_to_the_new_text(bot: LocalBot) -> None:
    second = await add_text(bot)
    chat = bot.private()
    old = (await chat.send("/show 4.2")).messages[-1]  # a button of the original, from before the switch
    switched = (await chat.send(f"/use {second.id}")).messages[0]
    assert f"《{TITLE}》（李四 · 2024年3月1日）" in switched.text
    outline = (await chat.press(switched, "目录")).edited[0]  # the outline's entry point
    assert outline.text.startswith(f"📖 目录：《{TITLE}》（李四 · 2024年3月1日）")
    assert [b["text"][:2] for b in outline.buttons][:3] == ["前言", "一、", "二、"]
    assert (await chat.send("/outline")).text.startswith(f"📖 目录：《{TITLE}》")
    assert (await chat.send("/show 1")).text.startswith("【第一部分】\n一、深刻认识学习的重要意义")
    assert "读书班" in (await chat.send("/search 读书班")).text
    quote = (await chat.send("/quote 1.1")).messages[0]
    assert "出自 一（一）" in quote.text and quote.text.split("”")[0][1:] in SECOND
    summary = await chat.send("/summary 2")
    assert summary.text.startswith("📝 第二部分 摘要")
    assert "今日一慎" in (await chat.send("/today")).text
    card = (await chat.send("/card 1.2")).photos[0]
    assert card.text.split("\n")[0][1:-1] in SECOND and card.text.endswith(f"📖 《{TITLE}》 李四")  # title, speaker
    welcome = await chat.send("/start")
    assert f"《{TITLE}》" in welcome.text
    pressed = await chat.press(old, "下一节")  # the original's button still opens the original
    assert pressed.edited[0].text.startswith("【四（三）】\n（三）加强组织领导")  # text 2 has no part 四


async def test_only_administrators_switch_a_groups_text(bot: LocalBot) -> None:
    second = await add_text(bot)
    member = bot.group(chat_id=-4701, user_id=2001)
    refused = await member.send(f"/use {second.id}")
    assert refused.text.startswith("抱歉，只有本群管理员可以切换")
    listing = (await member.send("/texts")).messages[0]
    pressed = await member.press(listing, f"{second.id}. ")
    assert pressed.answers[0]["show_alert"] and pressed.answers[0]["text"].startswith("抱歉")
    assert (await member.send("/outline")).text.startswith("📖 目录：《原讲话》")  # still the original
    bot.fake.admins[-4701].add(2002)
    admin = bot.group(chat_id=-4701, user_id=2002, first_name="组长")
    done = await admin.press(listing, f"{second.id}. ")
    assert f"本聊天现在学习：《{TITLE}》" in done.messages[0].text
    assert done.edited[0].text.count("✅") == 1 and f"✅ {second.id}." in done.edited[0].text  # the list marks it
    assert (await member.send("/outline")).text.startswith(f"📖 目录：《{TITLE}》")  # the whole group reads it
    back = await admin.send("/use 原文")
    assert "《原讲话》" in back.text
    assert (await member.send("/outline")).text.startswith("📖 目录：《原讲话》")


async def test_the_untitled_original_has_one_name_everywhere_and_on_its_cards(bot: LocalBot) -> None:
    """Issue 24.14: the original had four names (原文讲话, 《原讲话》, 这篇讲话, ``(untitled)``) and its
    cards said only 「出自 四（二）1」, which means nothing once forwarded. It is 《原讲话》 (“Original
    speech” in English) wherever it is named, its cards included."""
    await add_text(bot)
    for lang, name, others in (("zh", "《原讲话》", ("原文讲话", "这篇讲话")),
                               ("en", "“Original speech”", ("the original speech", "read the speech", "“Original”"))):
        chat = bot.private(user_id=4801 if lang == "zh" else 4802, language_code=lang)
        shown = [(await chat.send(command)).text for command in ("/start", "/outline", "/use", "/texts")]
        hits = (await chat.send("/search 学习")).messages[0]
        assert all(name in text for text in shown), (lang, shown)
        card = (await chat.send("/card 4.2.1")).photos[0]
        assert card.text.endswith(f"📖 {name}"), card.text  # the caption names it
        for text in [*shown, hits.text, card.text]:
            assert not any(other in text for other in others), (lang, text)
    assert bot.fake.calls_to("sendPhoto")
    spec = CardSpec(card.text.split("\n")[0][1:-1], "四（二）1", source="《原讲话》")  # the picture names it too
    assert bot.app is not None and await bot.app.bot_data.cards.file_id(card_key(spec)) is not None


async def test_unknown_draft_and_odd_ids_are_a_clear_answer(bot: LocalBot) -> None:
    draft = await add_text(bot, status="draft")
    chat = bot.private()
    for ref in ("99", str(draft.id), "abc"):
        reply = await chat.send(f"/use {ref}")
        assert reply.text == f"文本库里没有编号为“{ref}”的文本。发送 /texts 查看可以选择的文本。"
    forged = await chat.send("/use <b>x</b>")
    assert "&lt;b&gt;x&lt;/b&gt;" in forged.html  # escaped, never markup
    usage = await chat.send("/use")
    assert usage.text.startswith("本聊天正在学习：《原讲话》") and "/texts" in usage.text
    english = await bot.private(user_id=1005, language_code="en").send("/use 99")
    assert english.text.startswith("The library has no text “99”")


async def test_search_every_text_labels_hits_by_their_text(bot: LocalBot) -> None:
    second = await add_text(bot)
    chat = bot.private()
    ordinary = (await chat.send("/search 抓铁有痕")).messages[0]  # the original only, offering the rest
    assert "读书班" not in ordinary.text
    everywhere = await chat.press(ordinary, "在全部文本中搜索")
    results = everywhere.messages[0]
    fits(results)
    assert results.text.startswith("🔍 在全部文本中搜索“抓铁有痕”的结果")
    assert "《原讲话》二（一）" in results.text and f"《{TITLE[:10]}》二（二）" in results.text
    hit = f"{second.id}:2.2"
    reads = [b["text"] for b in results.buttons if b.get("callback_data", "").startswith("s|")]
    assert reads and all(label.startswith(f"{n}. ") for n, label in enumerate(reads, start=1))  # hit n's button
    assert cb.encode(cb.Send(hit)) in data_of(results)
    save = next(data for data in data_of(results) if data.startswith(f"b|s:{hit}~"))  # the hit's sentence
    read = await chat.press_data(results, cb.encode(cb.Send(hit)))  # text 2's, though the chat reads the original
    assert "读书班" in read.text
    saved = await chat.press_data(results, save)
    assert saved.answers[0]["text"].startswith("已收藏")
    assert f"《{TITLE[:10]}》二（二）" in (await chat.send("/saved")).text
    command = await chat.send("/search 全部 抓铁有痕")
    assert command.text == results.text
    english = await bot.private(user_id=1006, language_code="en").send("/search all 抓铁有痕")
    assert english.text.startswith("🔍 Results for “抓铁有痕” in all texts")
    offered = (await chat.send("/search " + "学习" * 60)).messages[0]
    fits(offered)
    assert isinstance(cb.parse(data_of(offered)[-1]), cb.SearchAll)  # the words cut to fit the 64 bytes


async def test_quote_buttons_and_bookmarks_of_another_text_are_scoped(bot: LocalBot) -> None:
    second = await add_text(bot)
    chat = bot.private()
    await chat.send(f"/use {second.id}")
    quote = (await chat.send("/quote 1.2")).messages[0]
    card, save = [cb.parse(d) for d in data_of(quote)][2:4]
    assert isinstance(card, cb.Card) and card.value.startswith(f"{second.id}:")  # q:2:N, not the original's N
    assert isinstance(save, cb.Save) and save.ref.startswith(f"q:{second.id}:")
    await chat.press(quote, "收藏")
    keyword = (await chat.send("/quote 学习")).messages[0]
    await chat.send("/use 1")
    another = await chat.press(keyword, "换一条")  # still text 2's quotes of the keyword
    assert another.edited[0].text.split("”")[0][1:] in SECOND
    photo = (await chat.press(quote, "图片")).photos[0]  # after switching back: still text 2's quote
    assert photo.text.split("\n")[0] == quote.text.split("\n")[0]
    listing = (await chat.send("/saved")).messages[0]
    assert f"《{TITLE[:10]}》一（二）" in listing.text
    opened = await chat.press(listing, "1.")
    assert "守得住底线" in opened.text
    original = await chat.press_data(quote, "k|q|3")  # an old unscoped quote number: the original's
    assert original.photos and original.photos[0].text.split("”")[0][1:] not in SECOND


async def test_deep_links_name_their_text(bot: LocalBot) -> None:
    second = await add_text(bot, SECOND.replace("读书班制度", "读书班制度" + "，认真研读原文" * 200))
    group = bot.group(chat_id=-4702, user_id=2003)
    bot.fake.admins[-4702].add(2003)
    await group.send(f"/use {second.id}")
    shown = (await group.send("/show 2.2")).messages[0]
    link = next(b["url"] for b in shown.buttons if "url" in b)
    assert link.endswith(f"?start=s-t{second.id}-2-2")
    chat = bot.private()
    opened = await chat.send(f"/start s-t{second.id}-2-2")
    assert opened.text.startswith("【二（二）】\n（二）健全长效机制")
    quoted = await chat.send(f"/start q-t{second.id}-1")
    assert "\n出自 " in quoted.text and quoted.text.split("”")[0][1:] in SECOND
    assert (await chat.send("/start s-4-2")).text.startswith("【四（二）】\n（二）聚焦关键环节")  # the original's
    assert (await chat.send("/start s-t99-1")).text.startswith("👋")


async def test_a_removed_text_stays_readable_through_old_buttons(bot: LocalBot) -> None:
    second = await add_text(bot)
    chat = bot.private()
    await chat.send(f"/use {second.id}")
    shown = (await chat.send("/show 1.1")).messages[-1]
    await bot.store.texts.set_status(second.id, "removed")
    pressed = await chat.press(shown, "下一节")
    assert pressed.edited[0].text.startswith("【一（二）】")
    assert pressed.edited[0].text.endswith("ℹ️ 这篇文本已从文本库中移除，仍可阅读。")
    assert f"{second.id}. " not in (await chat.send("/texts")).text  # never offered again
    assert (await chat.send("/outline")).text.startswith("📖 目录：《原讲话》")  # the chat is back on the original
    assert (await chat.send(f"/use {second.id}")).text.startswith("文本库里没有编号为")
    linked = await chat.send(f"/start s-t{second.id}-1-1")
    assert linked.text.endswith("仍可阅读。")


def test_a_cards_title_line_fits_one_line() -> None:
    title = "《" + "关于进一步加强和改进新时代学习工作的若干意见" * 5 + "》 " + "张" * 100
    line = fitted(title, WIDTH - 2 * MARGIN, card_font(SOURCE_SIZE))
    assert line.endswith("……") and card_font(SOURCE_SIZE).getlength(line) <= WIDTH - 2 * MARGIN
    plain, titled = CardSpec("学习是立身之本。", "一（一）"), CardSpec("学习是立身之本。", "一（一）", source=title)
    assert draw(plain) != draw(titled)
    assert card_key(plain) != card_key(titled)


async def test_inline_results_name_the_text(bot: LocalBot) -> None:
    second = await add_text(bot)
    chat = bot.private()
    await chat.send(f"/use {second.id}")
    answer = (await chat.inline("读书班")).answers[0]
    article = next(r for r in answer["results"] if r["type"] == "article")
    assert article["description"].startswith(f"《{TITLE}》 · ")
    assert article["input_message_content"]["message_text"].endswith(f"出自 《{TITLE}》二（二）")


async def test_a_large_library_is_paged(bot: LocalBot) -> None:
    for n in range(23):
        await add_text(bot, SECOND.replace("全县", f"第{n}次全县"), title="很长的标题" * 40, speaker="张" * 100)
    chat = bot.private()
    listing = (await chat.send("/texts")).messages[0]
    fits(listing)
    assert "（第 1/3 页）" in listing.text and len(listing.buttons) == 11
    await chat.press(listing, "下一页")
    assert "（第 2/3 页）" in listing.text
    await chat.press(listing, "下一页")
    assert "（第 3/3 页）" in listing.text and "✅ 1. 《原讲话》" in listing.text  # the original, last
    await chat.press(listing, "上一页")
    assert "（第 2/3 页）" in listing.text and "✅" not in listing.text


async def test_without_a_database_there_is_only_the_original(tmp_path: Path) -> None:
    async with LocalBot(bot_settings(tmp_path, database_url="")) as bot:
        chat = bot.private()
        assert (await chat.send("/texts")).text == "📚 没有配置数据库，文本库里只有《原讲话》。"
        assert (await chat.send("/use 2")).text.startswith("切换文本需要数据库")
        results = (await chat.send("/search 抓铁有痕")).messages[0]
        assert not any(isinstance(cb.parse(d), cb.SearchAll) for d in data_of(results))
        assert "《原讲话》" in (await chat.send("/search 全部 抓铁有痕")).text


async def test_a_library_larger_than_memory_searches_its_newest_texts_and_says_so(tmp_path: Path) -> None:
    """More live texts than SPEECHBOT_LIBRARY_BOOKS: a search of every text would reload the rest
    each time, so it searches the newest that fit (and the original), and says how many."""
    async with LocalBot(bot_settings(tmp_path, library_books=1)) as bot:
        await add_text(bot)
        newest = await add_text(bot, SECOND.replace("读书班", "读书会"), title="第三篇讲话", speaker=None, spoken=None)
        results = await bot.private().send("/search 全部 读书")
        assert "ℹ️ 文本库共 3 篇，搜索了最新的 2 篇。" in results.text
        assert "《第三篇讲话》" in results.text and f"《{TITLE[:10]}" not in results.text  # the older one is left out
        assert newest.id > 2
        english = await bot.private(user_id=1009, language_code="en").send("/search all 读书")
        assert "The library holds 3 texts; the newest 2 were searched." in english.text
