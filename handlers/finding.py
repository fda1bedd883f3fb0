"""Finding and digesting: /search (and plain text in private), /quote, /today, /summary, /shen."""

from __future__ import annotations

import asyncio
import random

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from content import Speech, UnknownNodeError
from content.quotes import choices, pick, sentence_index
from content.shen import principle, principles
from handlers import groups, ledger, reading, render, sharing, study, texts
from handlers.catalog import tr
from handlers.common import argument, argument_too_long, chat_today, edit, in_group, lang_of, quote_number, say, send
from handlers.context import BotApplication, BotContext

ONLY_NEW = filters.UpdateType.MESSAGE
GROUP_HITS = 3
PRIVATE_HITS = 5


async def search(update: Update, context: BotContext) -> None:
    """/search QUERY: the best hits with the match in bold."""
    query = argument(context)
    if not query:
        await say(update, context, "usage_search")
        return
    words = texts.everywhere(query)  # /search 全部 …: every text of the library
    if words is not None:
        await texts.search_all(update, context, words)
        return
    await _search(update, context, query)


async def search_text(update: Update, context: BotContext) -> None:
    """Plain text in a private chat: a section id opens it, anything else is searched."""
    message = update.effective_message
    query = " ".join((message.text or "").split()) if message else ""
    if not query:
        return
    if Speech.canonical_id(query) and context.speech.find(query):
        await send(update, context, render.show(context.speech, lang_of(update), query, False,
                                                context.bot.username))
        return
    await _search(update, context, query)


COMMAND_ALIASES = {"目录": "outline", "阅读": "show", "搜索": "search", "金句": "quote", "图片": "card",
                   "今日": "today", "今日一慎": "today", "摘要": "summary", "慎": "shen", "计划": "plan",
                   "进度": "progress", "答题": "quiz", "榜单": "rank", "收藏": "saved", "帮助": "help",
                   "台账": "ledger", "心得": "note", "我的心得": "notes"}


async def chinese_command(update: Update, context: BotContext) -> None:
    """``/目录 …``: Telegram has no non-ASCII commands, so route the Chinese aliases by hand."""
    message = update.effective_message
    word, _, rest = (message.text or "").strip().lstrip("/").partition(" ") if message else ("", "", "")
    word, _, addressee = word.partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # /搜索@OtherBot is another bot's business, as /search@OtherBot is
    target = COMMAND_ALIASES.get(word)
    context.args = rest.split()
    handler = {"outline": reading.show_outline, "search": search, "quote": quote, "today": today,
               "summary": summary, "help": reading.show_help, "show": reading.show_node, "shen": shen,
               "card": sharing.card, "plan": study.plan_command, "progress": study.progress, "quiz": study.quiz,
               "rank": study.ranking, "saved": study.show_saved,
               "ledger": ledger.ledger_command, "note": ledger.note_command,
               "notes": ledger.notes_command}.get(target or "")
    if handler is not None:
        await handler(update, context)
    elif not in_group(update):
        await groups.unknown_command(update, context)


async def _search(update: Update, context: BotContext, query: str) -> None:
    if await argument_too_long(update, context, query):
        return
    limit = GROUP_HITS if in_group(update) else PRIVATE_HITS
    # Off the event loop: the query may be encoded (a few ms; the first search after start may
    # wait for the encoder to load), and other chats' updates must not wait for it.
    hits = await asyncio.to_thread(context.searcher.answer, query, limit)
    if not any(hit.tier != "nearest" for hit in hits):
        await record_miss(context, query)  # nothing the speech says answers it: worth the owner's look
    headings = context.searcher.glosses if lang_of(update) == "en" else None
    sentences = [sentence_index(context.speech, hit.id, hit.text) for hit in hits]  # each 🖼 draws its hit
    await send(update, context, [render.search_results(lang_of(update), query, hits, headings, sentences,
                                                       everywhere=await texts.has_others(context))])


async def record_miss(context: BotContext, query: str) -> None:
    """Count a search that found nothing, for the owner's /stats (the text only, never who)."""
    await context.insights.record_miss(query)


async def quote(update: Update, context: BotContext) -> None:
    """/quote [ID|KEYWORD]: one verbatim quote with its location, from that node (4.2, 四（二）)
    or matching the keyword; "another one" keeps to the same node or keyword."""
    value = argument(context)
    if await argument_too_long(update, context, value):
        return
    node = context.speech.find(value) if value and Speech.canonical_id(value) else None
    keyword = "" if node else value
    found = pick(context.speech, node_id=node.id if node else None, keyword=keyword or None)
    if found is None:
        await record_miss(context, value)
        await say(update, context, "quote_none", keyword=value)
        return
    await send(update, context, [render.quote(lang_of(update), found, keyword, node.id if node else "",
                                              number=quote_number(context, found))])


async def another_quote(update: Update, context: BotContext, node_id: str, keyword: str) -> None:
    """Button: replace the quote with a different one of the same node or keyword; when there is
    no other, say so (a toast) rather than show the same one again."""
    query, message = update.callback_query, update.effective_message
    assert query is not None
    current = message.text if message and message.text else ""
    node = context.speech.find(node_id) if node_id else None
    others = [q for q in choices(context.speech, node.id if node else None, keyword or None) if q.text not in current]
    if not others:
        await query.answer(tr(lang_of(update), "quote_only_one"))
        return
    await query.answer()
    found = random.choice(others)
    await edit(update, render.quote(lang_of(update), found, keyword, node_id, quote_number(context, found)))


async def today(update: Update, context: BotContext) -> None:
    """/today: today's 慎 principle and the quote of the day."""
    day = await chat_today(update, context)
    today_, fell_back = await asyncio.to_thread(context.reminder, day)
    quote = today_.quote
    user = update.effective_user
    if not in_group(update) and user and await context.study.saved_as_daily(user.id):
        saved = await study.bookmarked_quotes(context, user.id)  # the member's own, in turn
        quote = saved[day.toordinal() % len(saved)] if saved else quote
    await send(update, context, [render.today(lang_of(update), day, today_, quote, context.current.id,
                                              fell_back and quote == today_.quote)])


async def summary(update: Update, context: BotContext) -> None:
    """/summary [ID]: extractive summary and keywords."""
    ref = argument(context)
    if await argument_too_long(update, context, ref):
        return
    try:
        node = context.speech.node(ref) if ref else None
    except UnknownNodeError:
        await say(update, context, "unknown_id", ref=ref[:40])
        return
    # Off the event loop: right after start the summaries may still be being computed (~3 s).
    result = await asyncio.to_thread(context.summaries.get, node, "short")
    await send(update, context, [render.summary(lang_of(update), result)])


async def shen(update: Update, context: BotContext) -> None:
    """/shen [慎初|慎微|慎独|慎友]: the four principles, or one in detail."""
    name = argument(context)
    if not name:
        await send(update, context, [render.principle_list(lang_of(update))])
        return
    item = principle(name[:20])
    if item is None:
        await say(update, context, "usage_shen")
        return
    # The principles and their passages are the original speech's, whichever text the chat reads.
    await send(update, context, [render.principle_detail(context.library.original.speech, lang_of(update), item)])


async def open_principle(update: Update, context: BotContext, index: int) -> None:
    """Button: one principle in detail, or the list (-1), in place."""
    items = principles()
    lang = lang_of(update)
    screen = (render.principle_detail(context.library.original.speech, lang, items[index]) if 0 <= index < len(items)
              else render.principle_list(lang))
    await edit(update, screen)


def register(app: BotApplication) -> None:
    """Commands for finding and digesting; plain private text is a search."""
    app.add_handler(CommandHandler("search", search, filters=ONLY_NEW))
    app.add_handler(CommandHandler("quote", quote, filters=ONLY_NEW))
    app.add_handler(CommandHandler("today", today, filters=ONLY_NEW))
    app.add_handler(CommandHandler("summary", summary, filters=ONLY_NEW))
    app.add_handler(CommandHandler("shen", shen, filters=ONLY_NEW))
    app.add_handler(MessageHandler(ONLY_NEW & filters.TEXT & ~filters.COMMAND & filters.Regex(r"^\s*/"),
                                   chinese_command))
    app.add_handler(MessageHandler(ONLY_NEW & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND,
                                   search_text))
