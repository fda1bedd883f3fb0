"""Inline mode: @bot words in any chat."""

from __future__ import annotations

from bot.fake.local import LocalBot


async def test_inline_query_offers_hits_that_post_the_quote(bot: LocalBot, speech) -> None:
    reply = await bot.private().inline("抓铁有痕")
    answer = reply.answers[0]
    assert answer["cache_time"] == 300 and answer.get("is_personal")  # each member's current text
    results = answer["results"]
    assert 1 <= len(results) <= 10
    first = results[0]
    assert first["title"].startswith("二（一）")
    body = first["input_message_content"]["message_text"]
    assert "抓铁有痕" in body and body.endswith("\n出自 二（一）")
    assert len(first["id"].encode()) <= 64
    assert not reply.errors  # the fake validated every result like Telegram does


async def test_empty_inline_query_offers_today_and_the_principles(bot: LocalBot) -> None:
    results = (await bot.private().inline("")).answers[0]["results"]
    assert results[0]["title"].startswith("今日一慎：")
    assert [r["title"][:2] for r in results[1:]] == ["慎初", "慎微", "慎独", "慎友"]


async def test_inline_query_with_nothing_found(bot: LocalBot) -> None:
    reply = await bot.private().inline("量子计算机")
    assert reply.answers[0]["results"] == [] and not reply.errors
