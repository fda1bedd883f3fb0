"""Reading: /start (with deep links), /help, /outline navigation, /show."""

from __future__ import annotations

from pathlib import Path

from bot.fake.local import LocalBot
from bot.settings import Settings
from content import Speech, parse_text
from content.glosses import glosses_for
from tests.conftest import bot_settings

PRESSES = 120  # more pages than any reading level of the speech has


async def test_start_welcomes_by_name(bot: LocalBot) -> None:
    reply = await bot.private(first_name="张三").send("/start")
    assert "你好，张三" in reply.text and "/search" in reply.text


async def test_start_in_english_for_english_users(bot: LocalBot) -> None:
    reply = await bot.private(language_code="en").send("/start")
    assert reply.text.startswith("👋 Hello")


async def test_deep_link_opens_a_section(bot: LocalBot) -> None:
    reply = await bot.private().send("/start s-4-2")
    assert reply.text.startswith("【四（二）】\n（二）聚焦关键环节")


async def test_deep_link_with_a_quote(bot: LocalBot, speech) -> None:
    reply = await bot.private().send("/start q-4-2")
    quote, label = reply.text.rsplit("\n出自 ", 1)
    assert label.startswith("四（二）")
    assert quote[1:-1] in speech.node("4.2").text


async def test_bad_deep_link_is_just_a_welcome(bot: LocalBot) -> None:
    assert "你好" in (await bot.private().send("/start s-99-1")).text
    assert "你好" in (await bot.private().send("/start <script>")).text


async def test_help_lists_every_command_with_an_example(bot: LocalBot) -> None:
    reply = await bot.private().send("/help")
    for command in ("/outline", "/mulu", "/show 4.2", "/search 慎独", "/quote 纪律", "/today", "/summary 4",
                    "/shen 慎独", "/subscribe 08:00", "/settings", "@speech_test_bot"):
        assert command in reply.text


async def test_outline_navigates_in_place(bot: LocalBot) -> None:
    chat = bot.private()
    menu = (await chat.send("/mulu")).messages[0]
    assert menu.text.startswith("📖 目录") and len(menu.buttons) == 6
    part = await chat.press(menu, "四、")
    assert part.edited[0].message_id == menu.message_id  # the same message, edited
    assert "四、坚定初心使命" in menu.text
    assert [b["text"][:4] for b in menu.buttons][1:4] == ["四（一）", "四（二）", "四（三）"]
    await chat.press(menu, "四（二）")  # a section with points opens its own list
    await chat.press(menu, "四（二）3")
    assert menu.text.startswith("【四（二）3】\n三是从严防范")
    await chat.press(menu, "下一节")
    assert menu.text.startswith("【四（二）4】")
    await chat.press(menu, "返回")
    assert "四（二）" in menu.text and "请选择小节" in menu.text
    await chat.press(menu, "返回")
    await chat.press(menu, "返回")
    assert menu.text.startswith("📖 目录")


async def test_english_readers_see_english_headings_in_the_outline(bot: LocalBot, speech: Speech) -> None:
    glosses = glosses_for(speech)
    assert glosses is not None
    chat = bot.private(language_code="en")
    menu = (await chat.send("/outline")).messages[0]
    labels = [b["text"] for b in menu.buttons][:6]
    assert labels[0].startswith("Preface: integrity") and labels[5].startswith("Closing: forge ahead")
    assert labels[4].startswith("四、Hold to our mission")  # the label the speech cites, then the English
    await chat.press(menu, "四、")
    assert f"四、{glosses.heading('4')}" in menu.text and "Choose a section" in menu.text  # the page's title
    assert [b["text"] for b in menu.buttons][2].startswith("四（二） Focus on key links")
    await chat.press(menu, "四（二）")
    assert menu.text.startswith(f"📖 四（二） {glosses.heading('4.2')}")
    point = [b["text"] for b in menu.buttons][3]
    assert point.startswith("四（二）3 ") and (glosses.heading("4.2.3") or "-").startswith(point[6:].rstrip("…"))
    chinese = (await bot.private().send("/outline")).messages[0]  # the same outline in Chinese stays Chinese
    assert [b["text"] for b in chinese.buttons][4].startswith("四、坚定初心使命")


async def test_show_accepts_the_speech_notation(bot: LocalBot) -> None:
    chat = bot.private()
    for ref in ("四（二）", "4-2", "4.2", "四(二)"):
        reply = await chat.send(f"/show {ref}")
        assert reply.text.startswith("【四（二）】")
    buttons = [b["text"] for b in reply.messages[-1].buttons]
    assert buttons == ["◀ 上一节", "📖 目录", "下一节 ▶", "☆ 收藏"]


async def test_next_from_2_3_lands_on_part_threes_introduction(bot: LocalBot) -> None:
    chat = bot.private()
    shown = (await chat.send("/show 2.3")).messages[-1]
    await chat.press(shown, "下一节")
    assert shown.text.startswith("【第三部分 导语】\n三、坚持重点突破，纵深推进攻坚行动，让发展更高效\n今年是")
    assert "（一）深入项目攻坚" not in shown.text  # the introduction, then 3.1 on the next press
    await chat.press(shown, "下一节")
    assert shown.text.startswith("【三（一）】\n（一）深入项目攻坚")


async def test_a_section_is_one_text_on_every_path(bot: LocalBot) -> None:
    """Issue 24, item 7: 【四（二）】 reached by Next from 四（一） is the whole of 四（二）, as /show and
    📄 阅读全文 show it."""
    chat = bot.private()
    shown = (await chat.send("/show 4.2")).messages[-1].text
    reader = (await chat.send("/show 4.1")).messages[-1]
    await chat.press(reader, "下一节")
    assert reader.text == shown and "六是规范政府权力运行" in reader.text
    menu = (await chat.send("/mulu")).messages[0]
    await chat.press(menu, "四、")
    await chat.press(menu, "四（二）")
    await chat.press(menu, "阅读全文")
    assert menu.text == shown


async def test_prev_and_next_are_symmetric_from_a_whole_part(bot: LocalBot) -> None:
    chat = bot.private()
    shown = (await chat.send("/show 3")).messages[-1]
    part_three = shown.text
    await chat.press(shown, "下一节")
    assert shown.text == (await chat.send("/show 4")).messages[-1].text  # the whole of part 四
    assert "四（一）" in shown.text or "（一）提高政治站位" in shown.text
    await chat.press(shown, "上一节")
    assert shown.text == part_three


async def test_next_and_prev_walk_the_whole_speech_without_a_gap(bot: LocalBot, speech: Speech) -> None:
    chat = bot.private()
    for start in ("前言", "一（一）", "四（二）1"):
        reader = (await chat.send(f"/show {start}")).messages[-1]
        for _ in range(PRESSES):  # back to the start, bounded
            if not any("上一节" in b["text"] for b in reader.buttons):
                break
            await chat.press(reader, "上一节")
        labels, bodies = [], []
        for _ in range(PRESSES):  # one press too many if 下一节 never ends: the assertions say so
            header, body = reader.text.split("\n", 1)
            labels.append(header.strip("【】"))
            bodies.append(body)
            if not any("下一节" in b["text"] for b in reader.buttons):
                break
            await chat.press(reader, "下一节")
        assert labels[0] == "前言" and labels[-1] == "结语", start
        # every passage once: all of the speech but the parts' heading lines (一、树牢核心意识…),
        # which the next header names
        read = "".join("".join(bodies).split())
        whole = "".join(((speech.salutation or "") + "".join(node.text for node in speech.top)).split())
        assert len(read) <= len(whole)
        for node in speech.nodes():
            for paragraph in node.own_paragraphs():
                if paragraph not in [f"{p.label}{p.title}" for p in speech.parts]:
                    assert "".join(paragraph.split()) in read, (start, paragraph[:20])
        back: list[str] = []
        while any("上一节" in b["text"] for b in reader.buttons) and len(back) < len(labels):
            await chat.press(reader, "上一节")
            back.append(reader.text.split("\n", 1)[0].strip("【】"))
        assert back == labels[-2::-1], start


async def test_show_without_id_gives_usage_and_unknown_id_lists_ids(bot: LocalBot) -> None:
    chat = bot.private()
    assert (await chat.send("/show")).text.startswith("用法：/show")
    reply = await chat.send("/show 9.9<b>")
    assert "没有编号为“9.9<b>”的章节" in reply.text
    assert "9.9&lt;b&gt;" in reply.html  # escaped, never raw HTML


async def test_long_sections_are_split_at_sentences(tmp_path: Path) -> None:
    sentence = "这是一个很长的段落中的一句话，用来测试分页是否在句子边界上进行。"
    long_text = "一、很长的部分\n（一）很长的小节。" + sentence * 300 + "\n（二）短小节。\n"
    speech = parse_text(long_text)
    async with LocalBot(bot_settings(tmp_path), speech=speech) as bot:
        reply = await bot.private().send("/show 1.1")
        assert len(reply.messages) >= 3
        for message in reply.messages:
            assert len(message.text.encode("utf-16-le")) // 2 <= 4096
        body = "".join(m.text.split("\n", 1)[1].rsplit("\n（第", 1)[0] for m in reply.messages)
        assert body == speech.node("1.1").text  # nothing lost, nothing added
        assert all(m.text.split("\n", 1)[1].split("\n（第")[0].endswith(("。", "”")) for m in reply.messages)
        group = await bot.group().send("/show 1.1")
        assert len(group.messages) == 1 and "请在私聊中阅读" in group.text
        assert group.messages[0].buttons[0]["url"] == "https://t.me/speech_test_bot?start=s-1-1"
        reader = await bot.private().send("/outline")
        await bot.private().press(reader.messages[0], "一、")
        await bot.private().press(reader.messages[0], "一（一）")
        assert "（第 1/" in reader.messages[0].text and "下一页" in str(reader.messages[0].buttons)


async def test_settings_are_never_logged_with_the_token(tmp_path: Path) -> None:
    settings = Settings(token="123456:SECRET-secret-secret-secret", database_url="")
    assert "SECRET" not in repr(settings) and "SECRET" not in str(settings.model_dump())
