"""The error handler: log with context, tell the user something went wrong, never crash."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import TelegramError

from handlers.catalog import language, tr
from handlers.context import BotApplication, BotContext
from handlers.topics import thread_of

log = logging.getLogger(__name__)


async def report_error(update: object, context: BotContext) -> None:
    """Log the exception; apologise in the chat (or on the button) where it happened."""
    log.error("error while handling update %s", getattr(update, "update_id", None), exc_info=context.error)
    if not isinstance(update, Update):
        return
    lang = language(update.effective_user.language_code if update.effective_user else None)
    with contextlib.suppress(TelegramError):
        if update.callback_query:
            await update.callback_query.answer(tr(lang, "error"))
        elif update.effective_chat and update.effective_message:
            await context.bot.send_message(update.effective_chat.id, tr(lang, "error"),
                                           message_thread_id=thread_of(update))


def register(app: BotApplication) -> None:
    app.add_error_handler(report_error)
