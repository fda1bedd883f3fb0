"""Quote cards in Telegram: /card, the 🖼 buttons, and sending a card (also for the daily push).

A card is rendered once per (passage, style, date) and kept in memory; the file_id Telegram
gives its first upload is stored (``CardFiles``) and reused, so a card pushed to 10,000 chats
is uploaded once per process (a lock per card makes concurrent senders wait for the first
upload). A file_id Telegram refuses is forgotten and the card uploaded again. The caption
carries the same text as the picture (at most 1,024 characters), so it stays searchable and
readable by screen readers.
"""

from __future__ import annotations

import asyncio
import hashlib
import weakref
from datetime import date

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.error import BadRequest
from telegram.ext import CommandHandler, filters

from content import Speech, UnknownNodeError
from content.cards import CardSpec, daily_card, quote_card
from content.cards import render as draw
from content.library import TextInfo
from content.naming import TextName
from content.quotes import Quote, candidates, pick, sentence_quote
from content.shen import Reminder
from handlers import callbacks as cb
from handlers import render
from handlers.caches import BoundedCache
from handlers.catalog import Html, Lang, tr
from handlers.common import argument, argument_too_long, chat_today, lang_of, say
from handlers.context import BotApplication, BotContext
from handlers.render import Screen, utf16_len
from handlers.store import CardFiles
from handlers.texts import book_of
from handlers.topics import thread_of

STYLE = "v2"  # bump when the design changes: every card is then drawn and uploaded anew (v2: 出自 …)
CAPTION_LIMIT = 1024
_PNGS: BoundedCache[str, bytes] = BoundedCache(128)  # ~120 KB each
# One lock per card being uploaded, alive only while someone holds or waits for it: the map
# never holds more entries than uploads in flight.
_LOCKS: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()


def card_key(spec: CardSpec) -> str:
    """The card's identity: passage, label, header, the text's title and speaker, and style (a
    card without a title line keeps the key it had before cards carried one)."""
    raw = "|".join((STYLE, spec.header, spec.subheader, spec.text, spec.label, *([spec.source] if spec.source else [])))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def png(spec: CardSpec) -> bytes:
    """The card's PNG, drawn once per process (LRU)."""
    key = card_key(spec)
    drawn = _PNGS.get(key)
    if drawn is None:
        drawn = draw(spec)
        _PNGS.put(key, drawn)
    return drawn


def _refused(error: BadRequest) -> bool:
    message = error.message.lower()
    return "file" in message and ("wrong" in message or "invalid" in message or "reference" in message)


async def send_card(bot: Bot, chat_id: int, spec: CardSpec, caption: str, files: CardFiles,
                    screen: Screen | None = None, thread: int | None = None) -> Message:
    """Send the card (to forum topic ``thread``, else General): by its file_id if Telegram has
    it, else uploaded (and remembered). Only the upload is serialised per card; sends by file_id
    run in parallel. ``screen``'s buttons go under it, but its 🖼 one: a card needs no card
    button (the daily push sends the reminder's)."""
    key = card_key(spec)
    markup = render.without_card_button(screen).markup if screen else None
    known = await files.file_id(key)
    if known is None:
        async with _LOCKS.setdefault(key, asyncio.Lock()):
            known = await files.file_id(key)  # uploaded while we waited?
            if known is None:
                return await _upload(bot, chat_id, key, spec, caption, files, markup, thread)
    try:
        return await bot.send_photo(chat_id, known, caption=caption, reply_markup=markup, message_thread_id=thread)
    except BadRequest as exc:
        if not _refused(exc):
            raise
    async with _LOCKS.setdefault(key, asyncio.Lock()):  # Telegram refused it: forget, upload anew
        fresh = await files.file_id(key)
        if fresh == known:
            await files.forget(key)
            return await _upload(bot, chat_id, key, spec, caption, files, markup, thread)
    assert fresh is not None
    return await bot.send_photo(chat_id, fresh, caption=caption, reply_markup=markup, message_thread_id=thread)


async def _upload(bot: Bot, chat_id: int, key: str, spec: CardSpec, caption: str, files: CardFiles,
                  markup: InlineKeyboardMarkup | None, thread: int | None = None) -> Message:
    picture = await asyncio.to_thread(png, spec)
    message = await bot.send_photo(chat_id, InputFile(picture, filename="card.png"), caption=caption,
                                   reply_markup=markup, message_thread_id=thread)
    if message.photo:
        await files.remember(key, message.photo[-1].file_id)
    return message


def quote_spec(quote: Quote, source: str = "") -> CardSpec:
    """The card of a quote; ``source``: its text's title and speaker (``render.card_source``)."""
    return quote_card(quote.text, quote.label, source)


def today_spec(day: Reminder, source: str = "") -> CardSpec:
    """The daily card of a reminder: its date, principle and meaning, and its quote (``source``:
    the quote's text's title and speaker)."""
    quote, principle = day.quote, day.principle
    return daily_card(day.date, principle.name, principle.meaning, quote.text, quote.label, source)


def info_of(context: BotContext, quote: Quote) -> TextInfo:
    """The library's description of the text a quote comes from (its id is scoped by it): the
    current text's, or the original's for an unscoped id."""
    book = context.library.get(cb.text_of(quote.id)) or context.current
    return book.info


def captioned(lang: Lang, caption: Html, info: TextInfo) -> Html:
    """A card's caption with the title and speaker line the picture has under its label."""
    source = TextName(info, lang).card
    return Html(caption + "\n" + tr(lang, "card_source", source=source)) if source else caption


def daily_caption(lang: Lang, day: Reminder, fell_back: bool = False) -> Html:
    """The daily reminder's text as a caption: the /today message, or when that is longer than a
    caption may be, the principle, its meaning and the quote (``fell_back``: with the line that
    says the quote is the original speech's, no quote of the chat's text fitting the principle)."""
    full = render.today(lang, day.date, day, day.quote, fell_back=fell_back).text
    if utf16_len(full) <= CAPTION_LIMIT - 100:  # markup counts less than it weighs: a margin
        return full
    quote, principle = day.quote, day.principle
    return tr(lang, "card_today_caption", date=day.date.isoformat(), principle=principle.name,
                meaning=principle.meaning if lang == "zh" else principle.english, quote=quote.in_quotes,
                label=quote.label, note=render.fallback_note(lang, day, fell_back))


async def send_quote_card(update: Update, context: BotContext, quote: Quote) -> None:
    chat = update.effective_chat
    assert chat is not None
    lang, info = lang_of(update), info_of(context, quote)
    caption = captioned(lang, tr(lang, "quote", text=quote.in_quotes, label=quote.label), info)
    await send_card(context.bot, chat.id, quote_spec(quote, TextName(info).card), caption,
                    context.bot_data.cards, thread=thread_of(update))


def today_card(lang: Lang, day: Reminder, info: TextInfo, fell_back: bool = False) -> tuple[CardSpec, Html]:
    """The daily card and its caption as /card, 🖼 and the push send them; ``info``: the text the
    quote is from (the original's when the reminder fell back to it, ``fell_back``)."""
    return today_spec(day, TextName(info).card), captioned(lang, daily_caption(lang, day, fell_back), info)


async def send_today_card(update: Update, context: BotContext, day: date) -> None:
    """The daily card of ``day`` from the current text (the chat's, or the one its button names)."""
    chat = update.effective_chat
    assert chat is not None
    today, fell_back = await asyncio.to_thread(context.reminder, day)
    spec, caption = today_card(lang_of(update), today, info_of(context, today.quote), fell_back)
    await send_card(context.bot, chat.id, spec, caption, context.bot_data.cards, thread=thread_of(update))


async def card(update: Update, context: BotContext) -> None:
    """/card [ID|KEYWORD]: a quote as a picture (no argument: today's card)."""
    value = argument(context)
    if await argument_too_long(update, context, value):
        return
    speech = context.speech
    if not value:
        await send_today_card(update, context, await chat_today(update, context))
        return
    try:
        node = speech.node(value) if speech.canonical_id(value) else None
    except UnknownNodeError:
        node = None
    found = pick(speech, node_id=node.id, day=await chat_today(update, context)) if node else pick(
        speech, keyword=value)
    if found is None:
        await say(update, context, "quote_none", keyword=value)
        return
    await send_quote_card(update, context, found)


async def press_card(update: Update, context: BotContext, kind: cb.CardKind, value: str) -> None:
    """Button: the card of a quote (q: its number), of a day (d: ISO date) or of a node (n)."""
    speech = context.speech
    if kind == "d":  # the day's card of the text the button names (``render.day_ref``)
        ref = render.day_of_ref(value)
        assert ref is not None, "valid() checked it"
        context.book = await book_of(context, ref[0]) or context.book
        await send_today_card(update, context, ref[1])
        return
    if kind == "q":
        number = cb.quote_index(speech, value)
        if number is not None:
            await send_quote_card(update, context, candidates(speech)[number])
        return
    found = pick(speech, node_id=value, day=await chat_today(update, context))
    if found is not None:
        await send_quote_card(update, context, found)


async def press_sentence_card(update: Update, context: BotContext, node_id: str, index: int) -> None:
    """Button under a search hit: the card of the very sentence the hit showed (answers the
    press itself: a sentence that is not there is a button from another version of the speech)."""
    query = update.callback_query
    assert query is not None
    found = sentence_quote(context.speech, node_id, index)
    if found is None or len(found.text) > render.CARD_CHARS:  # (no card holds a run-on sentence)
        await query.answer(tr(lang_of(update), "stale_button"))
        return
    await query.answer()
    await send_quote_card(update, context, found)


def valid(kind: cb.CardKind, value: str, speech: Speech) -> bool:
    """Does a card button name something that exists in ``speech`` (the text it names: a quote
    number ``3`` or a node ``4.2`` unscoped is the original's, ``2:3`` and ``2:4.2`` text 2's)?"""
    if kind == "d":
        return render.day_of_ref(value) is not None
    if kind == "q":
        return cb.quote_index(speech, value) is not None
    return kind == "n" and bool(value) and cb.text_of(value) == speech.text_id and speech.find(value) is not None


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler("card", card, filters=filters.UpdateType.MESSAGE))
