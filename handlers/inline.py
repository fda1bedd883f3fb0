"""Inline mode: ``@bot words`` offers search hits that post the quote with its label; an empty
query offers today's reminder and the four principles. Results are the same for everyone, so
they are cached by Telegram for ``CACHE_SECONDS`` and never personal. Inline queries that find
nothing are not counted for /stats: Telegram sends one per pause in typing, so most are
unfinished words."""

from __future__ import annotations

import asyncio
import hashlib

from telegram import (
    InlineQueryResult,
    InlineQueryResultArticle,
    InlineQueryResultCachedPhoto,
    InputTextMessageContent,
    Update,
)
from telegram.ext import InlineQueryHandler

from content.quotes import pick
from content.shen import principles
from handlers import render, sharing
from handlers.cards import CardSpec
from handlers.catalog import language, text
from handlers.context import BotApplication, BotContext

CACHE_SECONDS = 300
MAX_RESULTS = 10


def _article(key: str, title: str, description: str, body: str) -> InlineQueryResultArticle:
    result_id = hashlib.sha1(key.encode()).hexdigest()[:32]  # ≤ 64 bytes, unique per content
    return InlineQueryResultArticle(
        id=result_id, title=title[:100], description=description[:200],
        input_message_content=InputTextMessageContent(body),
    )


async def answer_inline(update: Update, context: BotContext) -> None:
    """Answer an inline query with search hits, or today's reminder for an empty query."""
    query = update.inline_query
    assert query is not None
    lang = language(query.from_user.language_code)
    words = " ".join(query.query.split())[:200]
    speech = context.speech
    results: list[InlineQueryResult] = []
    day = context.today()
    if not words:
        reminder, _ = await asyncio.to_thread(context.reminder, day)  # the bot's default zone: the same for everyone
        await _card_result(context, results, sharing.today_spec(reminder), sharing.daily_caption(lang, reminder))
        today = render.today(lang, day, reminder, reminder.quote)
        item = reminder.principle
        results.append(_article(f"today:{day}", text(lang, "inline_today_title", principle=item.name),
                                item.meaning, today.text))
        for p in principles():
            screen = render.principle_detail(speech, lang, p)
            results.append(_article(f"shen:{p.name}", text(lang, "inline_principle_title", name=p.name,
                                                            meaning=p.meaning), p.english, screen.text))
    else:
        # Only what the speech answers (原文 or 相关): an inline result is posted into a chat
        # as the quote, with no room to say "closest, not an answer".
        found = await asyncio.to_thread(context.searcher.answer, words, MAX_RESULTS)
        claimed = [hit for hit in found if hit.tier != "nearest"]
        for hit in claimed:
            label = hit.label or hit.id
            body = text(lang, "inline_quote", text=hit.text, label=label)
            title = text(lang, "inline_hit_title", label=label, snippet=render.shorten(hit.text, 40))
            results.append(_article(f"{hit.id}:{hit.text}", title, hit.text, body))
        if claimed:  # the best hit's card, next to the text results
            best = pick(speech, node_id=claimed[0].id, day=day)
            if best is not None:
                await _card_result(context, results, sharing.quote_spec(best),
                                   text(lang, "quote", text=best.text, label=best.label))
    await query.answer(results[:MAX_RESULTS + 1], cache_time=CACHE_SECONDS, is_personal=False)


async def _card_result(context: BotContext, results: list[InlineQueryResult], spec: CardSpec, caption: str) -> None:
    """The card as a photo result, when Telegram already has it (inline results can only point
    at a file_id: a card is uploaded the first time someone sends it with /card or a button)."""
    files = context.bot_data.cards
    file_id = await files.file_id(sharing.card_key(spec)) if files else None
    if file_id:
        results.insert(0, InlineQueryResultCachedPhoto(id=f"card-{sharing.card_key(spec)}", photo_file_id=file_id,
                                                       caption=caption))


def register(app: BotApplication) -> None:
    app.add_handler(InlineQueryHandler(answer_inline))
