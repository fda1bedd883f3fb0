"""/stats: the owner's report, for the user ids in ``SPEECHBOT_ADMIN_IDS`` only.

For everyone else ``/stats`` is exactly an unknown command (the same reply, or silence in a
group), so its existence is not revealed. The report holds counts, never user or chat ids.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from handlers import groups, render
from handlers.common import lang_of, send
from handlers.context import BotApplication, BotContext


async def show_stats(update: Update, context: BotContext) -> None:
    """The owner's report: chats, schedules, deliveries, failures, searches that found nothing."""
    user = update.effective_user
    if user is None or user.id not in context.bot_data.owners:
        await groups.unknown_command(update, context)
        return
    report = await context.insights.report()
    await send(update, context, render.stats(lang_of(update), report))


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler("stats", show_stats, filters=filters.UpdateType.MESSAGE))
