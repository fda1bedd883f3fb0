"""The one CallbackQueryHandler: parse the data once, answer stale/forged data politely, route."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from handlers import callbacks as cb
from handlers import finding, reading, subscriptions
from handlers.catalog import text
from handlers.common import lang_of
from handlers.context import BotContext


async def press(update: Update, context: BotContext) -> None:
    """Route a button press to the handler for its callback type."""
    query = update.callback_query
    assert query is not None
    data = cb.parse(query.data)
    speech = context.speech
    node_id = getattr(data, "node_id", "")
    if data is None or (node_id and speech.find(node_id) is None):
        await query.answer(text(lang_of(update), "stale_button"), show_alert=False)
        return
    if isinstance(data, cb.Setting):  # settings buttons live with the subscription handlers
        await subscriptions.press_setting(update, context, data)
        return
    await query.answer()
    match data:
        case cb.Outline(node_id=node):
            await reading.open_outline(update, context, node)
        case cb.Read(node_id=node, page=page):
            await reading.read_page(update, context, node, page)
        case cb.Send(node_id=node):
            await reading.send_node(update, context, node)
        case cb.Another(node_id=node, keyword=keyword):
            await finding.another_quote(update, context, node, keyword)
        case cb.Principle(index=index):
            await finding.open_principle(update, context, index)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CallbackQueryHandler(press))
