"""Finding: /search, plain text, /quote, /today, /summary, /shen."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime

from bot.fake.local import LocalBot
from content.model import cite
from content.quotes import candidates
from content.search import Hit
from content.shen import reminder
from handlers import render
from handlers.catalog import tr


async def test_search_marks_the_match_in_bold(bot: LocalBot) -> None:
    reply = await bot.private().send("/search 抓铁有恨")
    assert "<b>二（一）</b>" in reply.html and "<b>抓铁有痕</b>" in reply.html
    assert [b["text"] for b in reply.messages[0].buttons] == ["二（一） 阅读", "🖼 图片", "☆ 收藏"]


async def test_search_hit_button_sends_the_section(bot: LocalBot) -> None:
    chat = bot.private()
    results = (await chat.send("/search yi gang shuang ze")).messages[0]
    opened = await chat.press(results, "四（三）2")
    assert opened.messages[0].text.startswith("【四（三）2】\n二要扛起管党治党责任")
    assert results.text.startswith("🔍")  # the results stay


async def test_answers_are_grouped_by_how_sure_they_are(bot: LocalBot) -> None:
    chat = bot.private()
    words = await chat.send("/search 抓铁有痕")  # the words are in the speech: 原文 only
    assert "📌 原文" in words.text and "相近" not in words.text
    related = await chat.send("/search 领导干部能不能收礼")
    assert "🔗 相关" in related.text and "📌" not in related.text, related.text
    unanswered = await chat.send("/search 明天北京天气怎么样")  # nothing near: no passage, somewhere to go
    assert unanswered.text.startswith("讲话没有谈到“明天北京天气怎么样”") and "📌" not in unanswered.text
    assert {"📖 目录", "四个“慎”字"} <= {button["text"] for button in unanswered.messages[0].buttons}
    near = await chat.send("/search 巡视组什么时候来")  # near, not an answer: said so, not "silent"
    assert near.text.startswith("以下段落与") and "未必直接回答" in near.text and "没有谈到" not in near.text


async def test_an_english_question_finds_the_chinese_passage_with_its_english_heading(bot: LocalBot, speech) -> None:
    chat = bot.private(language_code="en")
    reply = await chat.send("/search what does the speech say about loyalty to the party")
    line = next(line for line in reply.text.split("\n") if "一（一） · Stay absolutely loyal to the Party" in line)
    assert line.split("Party ", 1)[1] in speech.node("1.1").text  # the passage itself, in the speech's words


async def test_search_with_no_hits_suggests_the_outline(bot: LocalBot) -> None:
    reply = await bot.private().send("/search ☺☺☺")
    assert "讲话没有谈到“☺☺☺”" in reply.text and "/outline" in reply.text
    assert [b["text"] for b in reply.messages[0].buttons] == ["📖 目录", "四个“慎”字"]


async def test_search_escapes_what_the_user_typed(bot: LocalBot) -> None:
    reply = await bot.private().send("/search <i>慎独</i> & 纪律")
    assert "&lt;i&gt;" in reply.html and "<i>" not in reply.html


async def test_control_characters_are_not_echoed(bot: LocalBot) -> None:
    chat = bot.private()
    for command in ("/search 足球\x07\x1b[31m赛\u202e", "/quote 足\x00球\x1b", "/show 9\x08.9"):
        reply = await chat.send(command)
        assert reply.text and not any(c in reply.text for c in "\x00\x07\x08\x1b\u202e"), (command, reply.text)
        assert "足球" in reply.text or "9.9" in reply.text


async def test_the_query_is_echoed_whole(bot: LocalBot) -> None:
    long = "我在住建局管工程项目，想知道讲话对工程建设领域里的廉政风险和腐败问题到底有哪些具体要求"
    assert len(long) > 40
    assert f"“{long}”" in (await bot.private().send(f"/search {long}")).text
    english = "what does the speech say about officials who accept gifts & banquets from businessmen <b>"
    reply = await bot.private(language_code="en").send(f"/search {english}")
    assert f"“{english}”" in reply.text and "&amp; banquets" in reply.html and "<b>\u201d" not in reply.html


def test_the_echo_is_cut_only_to_stay_within_a_message(speech) -> None:
    hits = [Hit(id=node.id, score=1.0, text=node.sentences[-1], label=node.label) for node in list(speech.nodes())[:5]]
    whole = render.search_results("zh", "慎独" * 40, hits)
    assert "“" + "慎独" * 40 + "”" in whole.text
    for query in ("慎" * 5000, "&" * 5000, "😀" * 3000):  # a & is five characters of HTML, one on screen
        screen = render.search_results("zh", query, hits)
        echo = screen.text.split("“", 1)[1].split("”", 1)[0]
        assert render.MESSAGE_CHARS - 1 <= render.visible_len(screen.text) <= render.MESSAGE_CHARS  # 😀 is two
        assert echo.endswith("…")
        assert html.unescape(echo).removesuffix("…") == query[: len(html.unescape(echo)) - 1]


async def test_search_without_query_gives_usage(bot: LocalBot) -> None:
    assert (await bot.private().send("/search")).text == "用法：/search 关键词，例如 /search 慎独"


async def test_oversized_query_gets_a_clear_answer(bot: LocalBot) -> None:
    reply = await bot.private().send("/search " + "慎" * 3000)
    assert reply.text == "输入太长了（最多 200 个字）。"


async def test_plain_text_in_private_is_a_search_or_an_id(bot: LocalBot) -> None:
    chat = bot.private()
    assert "<b>慎独</b>" in (await chat.send("慎獨")).html
    assert (await chat.send("四（三）")).text.startswith("【四（三）】")


async def test_quote_is_verbatim_with_its_location(bot: LocalBot, speech) -> None:
    chat = bot.private()
    reply = await chat.send("/quote 腐败")
    text, label = reply.text.rsplit("\n出自 ", 1)
    node = next(n for n in speech.nodes() if cite(n.label) == label)
    assert text[0] == "“" and text[-1] == "”" and "腐败" in text
    assert text[1:-1].replace("‘", "“").replace("’", "”") in node.text  # its own marks one level down
    before = reply.messages[0].text
    another = await chat.press(reply.messages[0], "换一条")
    assert another.edited and reply.messages[0].text != before
    assert "腐败" in reply.messages[0].text


async def test_quote_is_a_saying_and_its_own_quotation_marks_nest(bot: LocalBot, speech) -> None:
    """Issue 24.13: 资产 drew 「要进一步清查核实、摸清家底…」, a work order, as a 金句; 戒尺's quote,
    which ends in the speech's own ”, showed 自觉。””. A 金句 of 资产 is 4.2.3's saying, and a
    quote's own marks go one level down inside the bot's “…” (‘…’)."""
    chat = bot.private()
    saying = next(q for q in candidates(speech) if q.id == "4.2.3")
    for _ in range(3):
        reply = await chat.send("/quote 资产")
        assert reply.text == f"“{saying.text}”\n出自 四（二）3", reply.text
    nested = (await chat.send("/quote 戒尺")).text
    assert "。””" not in nested and nested.endswith("高度自觉。’”\n出自 一（三）"), nested
    assert "强调：‘纪律是管党治党的“戒尺”，也是" in nested


async def test_quote_with_unknown_keyword(bot: LocalBot) -> None:
    reply = await bot.private().send("/quote 足球")
    assert reply.text.startswith("没有找到包含“足球”的金句")


async def test_today_matches_the_reminder_of_the_day(bot: LocalBot, speech) -> None:
    """The day is the bot's (its clock in its zone), not the test's: at 23:59:59 in Shanghai it
    is still the 27th there though it is the 28th nowhere near (this once read the real clock
    on both sides, and failed when midnight fell between them)."""
    bot.travel(datetime(2026, 11, 27, 15, 59, 59, tzinfo=UTC))  # 23:59:59 in Shanghai
    reply = await bot.private().send("/today")
    day = date(2026, 11, 27)
    assert bot.app is not None
    expected = reminder(speech, day, bot.app.bot_data.ranking)  # the one rule, with the bot's ranking
    principle, quote = expected.principle, expected.quote
    assert reply.messages[0].html == tr("zh", "today", date="2026-11-27", principle=principle.name,
                                          meaning=principle.meaning, explanation=principle.explanation,
                                          quote=quote.in_quotes, label=quote.label, note="")


async def test_summary_of_a_node_and_of_the_speech(bot: LocalBot) -> None:
    chat = bot.private()
    node = await chat.send("/summary 四（二）")
    assert node.text.startswith("📝 四（二） 摘要") and "关键词：" in node.text
    assert node.messages[0].buttons[0]["text"] == "📄 阅读全文"
    whole = await chat.send("/summary")
    assert "一、树牢核心意识" in whole.text and whole.messages[0].buttons[0]["text"] == "📖 目录"
    assert "没有编号" in (await chat.send("/summary 7")).text


async def test_summary_of_the_preface_names_the_four_shen_with_whole_keywords(bot: LocalBot, speech) -> None:
    reply = (await bot.private().send("/summary 前言")).text
    naming = next(s for s in speech.node("preface").sentences if "慎初、慎微、慎独、慎友" in s)
    assert naming.strip() in reply  # verbatim
    words = reply.split("关键词：", 1)[1].split("、")
    assert "红色基因" in words and "代代传" not in words and "自我" not in words


async def test_shen_lists_and_explains(bot: LocalBot) -> None:
    chat = bot.private()
    listing = await chat.send("/shen")
    assert all(name in listing.text for name in ("慎初", "慎微", "慎独", "慎友"))
    detail = await chat.press(listing.messages[0], "慎独")
    assert "《礼记·中庸》" in listing.messages[0].text and detail.edited
    assert "慎友" in (await chat.send("/shen 慎友")).text
    assert (await chat.send("/shen 慎重")).text.startswith("用法：/shen")
