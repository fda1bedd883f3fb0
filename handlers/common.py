"""Small helpers every handler module shares: language, chat kind, sending screens."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import date
from zoneinfo import ZoneInfo

from telegram import Chat, Update
from telegram.error import BadRequest

from content.library import TextStatus
from content.quotes import Quote, candidates
from handlers.catalog import Html, Lang, language, tr
from handlers.context import BotContext
from handlers.render import Screen, bookmark_refs, with_bookmarks
from handlers.topics import thread_of

MAX_ARGUMENT = 200


def lang_of(update: Update) -> Lang:
    """The reader's language: from the user who sent the update."""
    user = update.effective_user
    return language(user.language_code if user else None)


def quote_number(context: BotContext, found: Quote) -> int | None:
    """The quote's number among the speech's quote candidates (what its card button carries)."""
    pool = candidates(context.speech)
    return pool.index(found) if found in pool else None


async def chat_zone(update: Update, context: BotContext) -> ZoneInfo:
    """The chat's own time zone if it has settings, else the bot's default."""
    chat = update.effective_chat
    row = await context.store.chat(chat.id) if chat else None
    return ZoneInfo(row.timezone) if row else context.zone


async def chat_today(update: Update, context: BotContext) -> date:
    """Today in the chat's own time zone: what /today, /card and every "today" of a chat mean
    (an evening in Berlin is still today there, though tomorrow in Shanghai)."""
    return context.now().astimezone(await chat_zone(update, context)).date()


def in_group(update: Update) -> bool:
    chat = update.effective_chat
    return bool(chat and chat.type in (Chat.GROUP, Chat.SUPERGROUP))


def argument(context: BotContext) -> str:
    """The command's argument text (everything after the command), whitespace-normalised."""
    return " ".join(context.args or [])


async def marked(update: Update, context: BotContext, screens: list[Screen]) -> list[Screen]:
    """``screens`` with their bookmark buttons showing the member's own state: ★ for what they
    saved, ☆ otherwise (screens are built with ☆, and cached ones are shared by everyone)."""
    user = update.effective_user
    refs = {ref for screen in screens for ref in bookmark_refs(screen.buttons)}
    if not refs or user is None:
        return screens
    saved = refs.intersection(await context.study.bookmarks(user.id))
    if not saved:
        return screens
    lang = lang_of(update)
    return [Screen(screen.text, with_bookmarks(lang, screen.buttons, saved)) for screen in screens]


def noted(update: Update, context: BotContext, screens: list[Screen]) -> list[Screen]:
    """``screens`` with one line under the last when they show a text taken out of the library
    (reached through an old button, a bookmark or a link: still readable, said so)."""
    book = context.book
    if book is None or book.info.status != TextStatus.REMOVED or not screens:
        return screens
    last = screens[-1]
    return [*screens[:-1], Screen(Html(last.text + "\n\n" + tr(lang_of(update), "text_removed")), last.buttons)]


_PRESS: ContextVar[BotContext | None] = ContextVar("press", default=None)


@contextlib.contextmanager
def pressing(context: BotContext) -> Iterator[None]:
    """While a button press is handled, ``edit`` (whose callers pass no context) marks the
    presser's bookmarks on the screen it shows, as ``send`` does."""
    token = _PRESS.set(context)
    try:
        yield
    finally:
        _PRESS.reset(token)


async def send(update: Update, context: BotContext, screens: list[Screen]) -> None:
    """Send screens to the update's chat, in order, in the forum topic of the update's message
    (``handlers.topics.thread_of``: ``bot.send_*`` would send them to General)."""
    chat = update.effective_chat
    assert chat is not None
    screens = noted(update, context, await marked(update, context, screens))
    thread = thread_of(update)
    for screen in screens:
        await context.bot.send_message(chat.id, screen.text, reply_markup=screen.markup, message_thread_id=thread)


async def say(update: Update, context: BotContext, key: str, **args: object) -> None:
    """Send one catalog message with no keyboard."""
    await send(update, context, [Screen(tr(lang_of(update), key, **args))])


async def argument_too_long(update: Update, context: BotContext, value: str) -> bool:
    """Refuse oversized arguments with a clear answer; True if refused."""
    if len(value) <= MAX_ARGUMENT:
        return False
    await say(update, context, "too_long", limit=MAX_ARGUMENT)
    return True


def not_modified(error: BadRequest) -> bool:
    """Telegram's answer to an edit that would change nothing (the same button pressed twice)."""
    return "message is not modified" in error.message.lower()


async def edit(update: Update, screen: Screen) -> None:
    """Replace the pressed message's text and keyboard. Pressing twice is not an error; any
    other refusal (the message is gone, too old to edit, …) is, and reaches the error handler."""
    query = update.callback_query
    assert query is not None
    context = _PRESS.get()
    if context is not None:
        (screen,) = noted(update, context, await marked(update, context, [screen]))
    try:
        await query.edit_message_text(screen.text, reply_markup=screen.markup)
    except BadRequest as error:
        if not not_modified(error):
            raise
