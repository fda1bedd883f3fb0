"""Inline mode: ``@bot words`` offers search hits that post the quote with its label; an empty
query offers today's reminder and the four principles. Results come from the asker's current
text (``/use`` in their private chat), so Telegram caches them for ``CACHE_SECONDS`` per user
(``is_personal``): a shared cache would hand one member's text to another. Inline queries that find
nothing are not counted for /stats: Telegram sends one per pause in typing, so most are
unfinished words."""

from __future__ import annotations

import asyncio
import hashlib
import html

from telegram import (
    InlineQueryResult,
    InlineQueryResultArticle,
    InlineQueryResultCachedPhoto,
    InputTextMessageContent,
    Update,
)
from telegram.ext import InlineQueryHandler

from content.cards import CardSpec
from content.naming import TextName
from content.quotes import in_quotes, pick
from content.shen import principles
from handlers import render, sharing
from handlers.catalog import language, tr
from handlers.context import BotApplication, BotContext

CACHE_SECONDS = 300
MAX_RESULTS = 10
INLINE_CHARS = 3500  # the most of a hit's sentence an inline result posts (a message holds 4,096)


def _article(key: str, title: str, description: str, body: str) -> InlineQueryResultArticle:
    """A text result; ``title`` may come from the catalog (escaped for HTML), but a result's title
    and description are plain text: shown as the speech writes them (R&D, not R&amp;D)."""
    result_id = hashlib.sha1(key.encode()).hexdigest()[:32]  # ≤ 64 bytes, unique per content
    return InlineQueryResultArticle(
        id=result_id, title=html.unescape(title)[:100], description=description[:200],
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
        # The bot's default zone; the asker's current text (its quote, or the original's, said so).
        reminder, fell_back = await asyncio.to_thread(context.reminder, day)
        origin = sharing.info_of(context, reminder.quote)  # the card as /today's 🖼 sends it
        await _card_result(context, results, sharing.today_spec(reminder, TextName(origin).card),
                           sharing.captioned(lang, sharing.daily_caption(lang, reminder, fell_back), origin))
        today = render.today(lang, day, reminder, reminder.quote, context.current.id, fell_back)
        item = reminder.principle
        results.append(_article(f"today:{context.current.id}:{day}", tr(lang, "inline_today_title",
                                                                          principle=item.name),
                                item.meaning, today.text))
        for p in principles():
            screen = render.principle_detail(context.library.original.speech, lang, p)
            results.append(_article(f"shen:{p.name}", tr(lang, "inline_principle_title", name=p.name,
                                                            meaning=p.meaning), p.english, screen.text))
    else:
        # Only what the speech answers (原文 or 相关): an inline result is posted into a chat
        # as the quote, with no room to say "closest, not an answer".
        found = await asyncio.to_thread(context.searcher.answer, words, MAX_RESULTS)
        claimed = [hit for hit in found if hit.tier != "nearest"]
        info = context.current.info  # each result names its text: in the list, and in the chat it is posted to
        named = TextName(info, lang).title
        for hit in claimed:
            label = hit.label or hit.id
            gap = "" if lang == "zh" else " "  # 《标题》二（二）, “Title” 二（二）
            source = f"{render.shorten(named, 32)}{gap}{label}" if info.title else label
            # Cut around the words found only when a run-on sentence would not fit one message.
            body = tr(lang, "inline_quote", text=in_quotes(render.excerpt(hit, INLINE_CHARS)), label=source)
            title = tr(lang, "inline_hit_title", label=label, snippet=render.shorten(hit.text, 40))
            results.append(_article(f"{hit.id}:{hit.text}", title, f"{named} · {hit.text}", body))
        if claimed:  # the best hit's card (as /card sends it), next to the text results
            best = pick(speech, node_id=claimed[0].id, day=day)
            if best is not None:
                caption = sharing.captioned(lang, tr(lang, "quote", text=best.in_quotes, label=best.label), info)
                await _card_result(context, results, sharing.quote_spec(best, TextName(info).card), caption)
    await query.answer(results[:MAX_RESULTS + 1], cache_time=CACHE_SECONDS, is_personal=True)


async def _card_result(context: BotContext, results: list[InlineQueryResult], spec: CardSpec, caption: str) -> None:
    """The card as a photo result, when Telegram already has it (inline results can only point
    at a file_id: a card is uploaded the first time someone sends it with /card or a button)."""
    file_id = await context.bot_data.cards.file_id(sharing.card_key(spec))
    if file_id:
        results.insert(0, InlineQueryResultCachedPhoto(id=f"card-{sharing.card_key(spec)}", photo_file_id=file_id,
                                                       caption=caption))


def register(app: BotApplication) -> None:
    app.add_handler(InlineQueryHandler(answer_inline))
