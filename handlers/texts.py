"""Which text an update works on: the library middleware, and loading a text into memory.

Group -2, before every handler (and before group -1's bookkeeping, where only one handler
runs): the chat's current text (``/use``, stored with the chat) is loaded from the database
into the library if it is not in memory yet (so a text another replica just published is seen
at once) and set as ``context.book``. A button names its own text (its node id is scoped), and
``handlers.buttons`` sets that book instead: a button from yesterday's text keeps working after
the chat switched. Without a database there is only the original speech.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import TypeHandler

from content import SpeechFormatError
from content.library import Book
from content.model import ORIGINAL
from handlers.context import BotApplication, BotContext

log = logging.getLogger(__name__)


async def book_of(context: BotContext, text_id: int | None) -> Book | None:
    """The book of ``text_id`` (None or 1: the original), from memory or the database; None for
    a text that does not exist (or a body that no longer parses: logged)."""
    library = context.library
    if text_id is None or text_id == ORIGINAL:
        return library.original
    book = library.get(text_id)
    if book is not None or context.texts is None:
        return book
    record = await context.texts.text(text_id)
    if record is None:
        return None
    try:
        return library.add(record.info, record.body)
    except SpeechFormatError:
        log.exception("text %d is stored but does not parse", text_id)
        return None


async def choose_book(update: object, context: BotContext) -> None:
    """Group -2: set ``context.book`` to the chat's current text (inline queries: the asker's
    private chat's). A text removed since falls back to the original."""
    if not isinstance(update, Update) or context.store is None:
        return
    chat = update.effective_chat
    user = update.effective_user
    chat_id = chat.id if chat is not None else user.id if user is not None and update.inline_query else None
    if chat_id is None:
        return
    text_id = await context.store.text_of(chat_id)
    if text_id is not None:
        book = await book_of(context, text_id)
        context.book = book if book is not None and book.info.status != "removed" else None


def register_middleware(app: BotApplication) -> None:
    """Group -2: every update first learns its text."""
    app.add_handler(TypeHandler(Update, choose_book), group=-2)
