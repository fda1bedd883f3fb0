"""Labels that read well (issue 17, item 8): where a quote comes from, a part's label standing
alone, a plan's continued passages, the 慎 passages' titles, the preface's salutation."""

from __future__ import annotations

import re
from datetime import date

from bot.fake.local import LocalBot
from content import Speech
from content.cards import quote_card, signature
from content.model import attribution, cite
from content.plan import MAX_DAYS, MIN_DAYS, plan
from content.quiz import all_questions
from content.quotes import candidates
from content.shen import reminder
from handlers import render

# A label that reads badly: a part's bare 三、 standing alone (before a closing bracket, a space
# or the end), 出自 glued to a numeral, a dash run into the numeral 一, stacked continuations.
BAD = re.compile(r"[一二三四五六七八九十]、(?=$|[】）)\s]| 摘要)|出自[一二三四五六七八九十]|——一|（续）（续）")


def test_cite_and_attribution() -> None:
    assert [cite(label) for label in ("三、", "四（二）", "四（二）3", "前言", "结语", "第三部分")] == [
        "第三部分", "四（二）", "四（二）3", "前言", "结语", "第三部分"]
    assert attribution("一（一）") == "出自 一（一）" and attribution("三、") == "出自 第三部分"


def test_every_quote_and_card_says_where_it_stands_readably(speech: Speech) -> None:
    for quote in candidates(speech):
        assert not BAD.search(quote.label), quote.label
        assert signature(quote_card(quote.text, quote.label)) == attribution(quote.label)
        assert not BAD.search(render.quote("zh", quote).text), quote.label
    assert "出自 第三部分" in {attribution(q.label) for q in candidates(speech)}  # part 三's introduction
    for day in range(1, 9):  # the reminder's plain text too, every principle
        assert reminder(speech, date(2026, 12, day)).text.count("\n出自 ") == 1


def test_quiz_explanations_name_the_place_readably(speech: Speech) -> None:
    for question in all_questions(speech):
        assert not BAD.search(question.explanation), question.explanation


def test_plan_labels_never_stack_continuations(speech: Speech) -> None:
    for days in range(MIN_DAYS, MAX_DAYS + 1):
        for passage in plan(speech, days):
            shown = render.plan_day("zh", passage, days).text.split("\n", 1)[0]
            assert not BAD.search(shown) and "、、" not in shown, (days, shown)


async def test_card_and_quote_carry_the_attribution(bot: LocalBot) -> None:
    chat = bot.private()
    card = await chat.send("/card 1.1")
    assert card.photos and card.photos[0].text.endswith("\n出自 一（一）\n📖 《原讲话》")  # and from which text
    quoted = (await chat.send("/quote 腐败")).text
    assert re.search(r"”\n出自 \S+$", quoted) and not BAD.search(quoted)


async def test_a_part_reads_as_a_part(bot: LocalBot) -> None:
    chat = bot.private()
    assert (await chat.send("/show 3")).text.startswith("【第三部分】\n三、坚持重点突破")
    summary = (await chat.send("/summary 2")).text
    assert summary.startswith("📝 第二部分 摘要") and not BAD.search(summary)


async def test_shen_passages_have_no_dangling_punctuation(bot: LocalBot) -> None:
    chat = bot.private()
    for name in ("慎初", "慎微", "慎独", "慎友"):
        listing = (await chat.send(f"/shen {name}")).text.split("相关原文：\n", 1)[1]
        for line in listing.splitlines():
            assert line.startswith("• ") and line[-1] not in "，、；：,;:", line
            assert not BAD.search(line), line


async def test_the_preface_opens_with_its_salutation(bot: LocalBot) -> None:
    chat = bot.private()
    assert (await chat.send("/show preface")).text.startswith("【前言】\n同志们：\n清正廉洁")
    menu = (await chat.send("/outline")).messages[0]
    await chat.press(menu, "前言")
    assert menu.text.startswith("【前言】\n同志们：\n清正廉洁")
