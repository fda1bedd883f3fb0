"""Which text an update works on: the library middleware, loading a text into memory, and the
commands that choose it: /texts (the library), /use (switch the chat's text), and searching
every text at once (/search 全部 …, the "search all texts" button).

Group -2, before every handler (and before group -1's bookkeeping, where only one handler
runs): the chat's current text (``/use``, stored with the chat) is loaded from the database
into the library if it is not in memory yet (so a text another replica just published is seen
at once) and set as ``context.book``. A button names its own text (its node id is scoped), and
``handlers.buttons`` sets that book instead: a button from yesterday's text keeps working after
the chat switched. With the database in memory (none configured: ``BotData.persistent`` is
False) there is only the original speech.

Rules:
- /use in a group is the administrators' (like every setting of the group); anyone may list
  the library and search it.
- A removed text stays readable through old buttons, bookmarks and deep links, with one line
  saying it left the library (``handlers.common.send``); /texts and /use never offer it.
- Searching every text searches the live ones, as /texts lists them (the original among them).
- A draft is the owners' alone, in their private chat (``shown``): ``book_of`` and
  ``refreshed``, which load every text a user reaches, give no book for it anywhere else, so a
  forged button, a bookmark or a link naming a draft is as stale as one naming no text.
"""

from __future__ import annotations

import asyncio
import html
import logging
import unicodedata

from telegram import Chat, Update
from telegram.ext import CommandHandler, TypeHandler, filters

from content.library import Book, TextInfo, TextStatus, search_books
from content.model import ORIGINAL, text_number
from content.naming import TextName
from content.quotes import sentence_index
from handlers import callbacks as cb
from handlers import render
from handlers.catalog import Html, Lang, tr
from handlers.common import argument, argument_too_long, edit, in_group, lang_of, say, send
from handlers.context import BotApplication, BotContext
from handlers.render import Screen, button
from handlers.store import chat_type
from handlers.subscriptions import is_admin

log = logging.getLogger(__name__)

ONLY_NEW = filters.UpdateType.MESSAGE
PAGE = 10  # texts per page of /texts: ten titles with their bylines stay far under 4,096 characters
TITLE_CHARS = 60  # a title in the list
BUTTON_TITLE = 20  # a title on its button
GROUP_HITS = 3
PRIVATE_HITS = 5
ALL_WORDS = ("全部", "所有", "all")
"""``/search 全部 …``: the first word that makes a search span the library."""
ORIGINAL_WORDS = ("原文", "原讲话", "original")
"""``/use 原文``: the words that mean the original speech (besides its number, 1)."""


async def book_of(context: BotContext, text_id: int | None) -> Book | None:
    """The book of ``text_id`` (None or 1: the original) from the shelf (``handlers.shelf``:
    fresh within ``TEXT_CHECK_SECONDS``); None for a text that does not exist, a draft the
    sender may not see (``shown``), or a body that no longer parses (logged)."""
    book = await context.shelf.book(text_id)
    return book if book is None or shown(context, book.info) else None


def shown(context: BotContext, info: TextInfo) -> bool:
    """May this update show this text? A draft is the owners' alone, in their private chat (the
    preview, and what a button naming it opens there): to anyone else, and in a group, it does
    not exist, whatever names it (a forged button, a bookmark, a chat whose text went back to a
    draft)."""
    return info.status != TextStatus.DRAFT or context.sees_drafts


async def refreshed(context: BotContext, text_id: int) -> Book | None:
    """The book of ``text_id`` with its state as the database has it now (a text removed or
    described from the shell or another replica since it was loaded). For what a button or a
    link names: the reply must say if the text was removed."""
    if text_id == ORIGINAL:
        return await book_of(context, text_id)
    book = await context.shelf.fresh(text_id)
    return book if book is None or shown(context, book.info) else None


async def choose_book(update: object, context: BotContext) -> None:
    """Group -2: set ``context.book`` to the chat's current text (inline queries: the asker's
    private chat's). A text removed since falls back to the original."""
    if not isinstance(update, Update):
        return
    await context.shelf.book(ORIGINAL)  # text 1's metadata (``/describe 1`` on another replica), now and then
    chat = update.effective_chat
    user = update.effective_user
    chat_id = chat.id if chat is not None else user.id if user is not None and update.inline_query else None
    if chat_id is None:
        return
    text_id = await context.store.text_of(chat_id)
    if text_id is not None:
        book = await book_of(context, text_id)
        context.book = book if book is not None and book.info.status != TextStatus.REMOVED else None


def register_middleware(app: BotApplication) -> None:
    """Group -2: every update first learns its text."""
    app.add_handler(TypeHandler(Update, choose_book), group=-2)


# --- /texts ---------------------------------------------------------------------------------


async def live_texts(context: BotContext) -> list[TextInfo]:
    """The texts members may choose, newest first, the original last."""
    return await context.texts.texts((TextStatus.LIVE,))


def texts_screen(lang: Lang, infos: list[TextInfo], current: int, page: int = 0) -> Screen:
    """One page of the library: each text's number, title, speaker and date (the chat's current
    text marked ✅), a button to switch to each, and ◀ ▶ between pages."""
    pages = max(1, -(-len(infos) // PAGE))
    page = min(max(page, 0), pages - 1)
    shown = infos[page * PAGE:(page + 1) * PAGE]
    lines: list[str] = []
    rows = []
    for info in shown:
        mark = tr(lang, "texts_current") if info.id == current else ""
        name = TextName(info, lang)
        lines.append(tr(lang, "texts_line", mark=mark, id=info.id, title=render.shorten(name.title, TITLE_CHARS)))
        if name.byline:
            lines.append(tr(lang, "texts_byline", byline=name.byline))
        # A button's text is plain, not HTML: the title as written (R&D, not R&amp;D).
        label = html.unescape(tr(lang, "btn_use_text", mark=mark, id=info.id,
                                   title=render.shorten(name.title, BUTTON_TITLE)))
        rows.append([button(label, cb.UseText(info.id))])
    body = tr(lang, "texts", count=len(infos), lines=Html("\n".join(lines)))
    if pages > 1:
        body = Html(body + "\n" + tr(lang, "page_marker", page=page + 1, pages=pages))
        turn = []
        if page > 0:
            turn.append(button(tr(lang, "btn_prev_page"), cb.TextPage(page - 1)))
        if page + 1 < pages:
            turn.append(button(tr(lang, "btn_next_page"), cb.TextPage(page + 1)))
        rows.append(turn)
    return Screen(body, rows)


async def list_texts(update: Update, context: BotContext) -> None:
    """/texts: the library, newest first, with a button to switch to each text."""
    lang = lang_of(update)
    if not context.bot_data.persistent:
        await say(update, context, "texts_only_original", title=TextName(context.library.original.info, lang).title)
        return
    await send(update, context, [texts_screen(lang, await live_texts(context), context.current.id)])


async def turn_page(update: Update, context: BotContext, page: int) -> None:
    """Button: another page of /texts, in place."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await edit(update, texts_screen(lang_of(update), await live_texts(context), context.current.id, page))


# --- /use -----------------------------------------------------------------------------------


def wanted(value: str) -> int | None:
    """The text id ``/use`` was given: a number (``content.model.text_number``; 第2篇 too), or
    原文 / original for the original speech; None for anything else."""
    plain = unicodedata.normalize("NFKC", "".join(value.split())).lower().removeprefix("#")
    if plain in ORIGINAL_WORDS:
        return ORIGINAL
    return text_number(plain.removeprefix("第").removesuffix("篇"))


async def usable(context: BotContext, text_id: int | None) -> Book | None:
    """The book a chat may switch to: the original, or a live text (as the database says now);
    None for an id that is unknown, a draft or removed."""
    if text_id is None:
        return None
    if text_id == ORIGINAL:
        return context.library.original
    book = await refreshed(context, text_id)
    return book if book is not None and book.info.status == TextStatus.LIVE else None


def switched(lang: Lang, book: Book) -> Screen:
    """What a switch answers: the text's title, speaker and date, and its outline's entry."""
    return Screen(tr(lang, "use_done", title=TextName(book.info, lang).heading),
                  [[button(tr(lang, "btn_outline"), cb.Outline(cb.top(book.id)))]])


async def _switch(update: Update, context: BotContext, book: Book) -> None:
    chat = update.effective_chat
    assert chat is not None
    await context.store.configure(chat.id, chat_type(chat.type or Chat.PRIVATE), text_id=book.id)
    context.book = None if book.id == ORIGINAL else book
    await send(update, context, [switched(lang_of(update), book)])


async def use_text(update: Update, context: BotContext) -> None:
    """/use N: make text N the chat's current text (administrators in groups); /use 1 or /use 原文
    goes back to the original; /use alone says which text the chat studies."""
    value, lang = argument(context), lang_of(update)
    if not value:
        await say(update, context, "use_usage", title=TextName(context.current.info, lang).heading)
        return
    if await argument_too_long(update, context, value):
        return
    if not context.bot_data.persistent:
        await say(update, context, "use_no_store")
        return
    if not await is_admin(update, context):
        await say(update, context, "use_not_admin")
        return
    book = await usable(context, wanted(value))
    if book is None:
        await say(update, context, "use_unknown", ref=value[:40])
        return
    await _switch(update, context, book)


async def press_use(update: Update, context: BotContext, text_id: int) -> None:
    """Button under /texts: switch to that text (the same rules as /use), then mark it in the
    list, in place."""
    query = update.callback_query
    assert query is not None
    lang = lang_of(update)
    if not context.bot_data.persistent:
        await query.answer(tr(lang, "use_no_store"), show_alert=True)
        return
    if not await is_admin(update, context):
        await query.answer(tr(lang, "use_not_admin"), show_alert=True)
        return
    book = await usable(context, text_id)
    if book is None:
        await query.answer(tr(lang, "use_unknown", ref=text_id), show_alert=True)
        return
    await query.answer()
    await _switch(update, context, book)
    infos = await live_texts(context)
    place = next((n for n, info in enumerate(infos) if info.id == book.id), 0)
    await edit(update, texts_screen(lang, infos, book.id, place // PAGE))


# --- searching the whole library ----------------------------------------------------------


def everywhere(query: str) -> str | None:
    """The words of ``/search 全部 words`` (or ``all words``); None for an ordinary search."""
    head, _, rest = query.strip().partition(" ")
    return (rest.strip() or None) if head.lower() in ALL_WORDS else None


async def library_books(context: BotContext) -> tuple[list[Book], int]:
    """The live texts as books (loaded from the database when not in memory), and how many live
    texts there are. At most ``library.capacity`` besides the original, the newest: a library
    larger than the books kept in memory (``SPEECHBOT_LIBRARY_BOOKS``) would otherwise reload
    the rest on every search of all texts (``benchmarks/library.py``: 200 texts through the
    default 64, p50 20.7 s); the answer then says how many it searched."""
    books = []
    live = await live_texts(context)
    others = [info for info in live if info.id != ORIGINAL][: context.library.capacity]
    for info in [*others, *(info for info in live if info.id == ORIGINAL)]:
        book = await book_of(context, info.id)
        if book is not None and book.info != info:  # described since it was loaded: label its hits anew
            book = await refreshed(context, info.id)
        if book is not None:
            books.append(book)
    return books, len(live)


async def has_others(context: BotContext) -> bool:
    """Does the library hold a live text besides the one this update reads (so that a search
    of every text can find more)? Asked on every search, so from ``Texts.live_ids``' short cache:
    a text published on another replica is offered within seconds."""
    return bool(await context.texts.live_ids() - {context.current.id})


async def search_all(update: Update, context: BotContext, query: str) -> None:
    """Search every live text: each hit labelled with its text's short name (《某讲话》四（二））
    and its buttons naming that text."""
    if await argument_too_long(update, context, query):
        return
    lang = lang_of(update)
    books, total = await library_books(context)
    limit = GROUP_HITS if in_group(update) else PRIVATE_HITS
    # Off the event loop: every text's search may encode the query.
    found = await asyncio.to_thread(search_books, books, query, limit)
    if not any(hit.tier != "nearest" for _, hit in found):
        await context.insights.record_miss(query)  # nothing any text says answers it
    hits = [hit for _, hit in found]
    glosses = context.library.original.searcher.glosses if lang == "en" else None  # the original's: unscoped ids
    sentences = [sentence_index(book.speech, hit.id, hit.text) for book, hit in found]
    sources = [TextName(book.info, lang).source for book, _ in found]
    screen = render.search_results(lang, query, hits, glosses, sentences, sources)
    if total > len(books):  # the newest only: said, not silently
        screen = Screen(Html(screen.text + "\n\n" + tr(lang, "search_all_partial", searched=len(books), total=total)),
                        screen.buttons)
    await send(update, context, [screen])


async def press_search_all(update: Update, context: BotContext, query: str) -> None:
    """Button under a search's results: the same words in every text, as a new message."""
    assert update.callback_query is not None
    await update.callback_query.answer()
    await search_all(update, context, query)


def register(app: BotApplication) -> None:
    """/texts and /use; their buttons and the search of every text are routed by ``handlers.buttons``."""
    app.add_handler(CommandHandler("texts", list_texts, filters=ONLY_NEW))
    app.add_handler(CommandHandler("use", use_text, filters=ONLY_NEW))
