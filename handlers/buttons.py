"""The one CallbackQueryHandler: parse the data once, answer stale/forged data politely, route."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from handlers import callbacks as cb
from handlers import finding, reading, sharing, study, subscriptions
from handlers.catalog import text
from handlers.common import lang_of, pressing
from handlers.context import BotApplication, BotContext
from handlers.texts import book_of


async def press(update: Update, context: BotContext) -> None:
    """Route a button press to the handler for its callback type (the screens it edits show
    the presser's bookmarks)."""
    with pressing(context):
        await _route(update, context)


async def _route(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    data = cb.parse(query.data)
    if data is not None and (scope := cb.scope_of(data)) is not None:
        book = await book_of(context, scope)  # the button's own text, even after the chat switched
        if book is None:
            data = None
        context.book = book
    if data is None or query.message is None or not _valid(data, context):
        # Forged, from an older version, or on an inline message (ours carry no buttons).
        await query.answer(text(lang_of(update), "stale_button"), show_alert=False)
        return
    if isinstance(data, cb.Card):
        if not sharing.valid(data.kind, data.value, context.speech):
            await query.answer(text(lang_of(update), "stale_button"))
            return
        await query.answer()
        await sharing.press_card(update, context, data.kind, data.value)
        return
    if isinstance(data, cb.SentenceCard):  # answers itself: the sentence may be gone
        await sharing.press_sentence_card(update, context, data.node_id, data.index)
        return
    if isinstance(data, cb.Done):
        await study.mark_done(update, context, data.day)
        return
    if isinstance(data, cb.Save):
        await study.toggle_saved(update, context, data.ref)
        return
    if isinstance(data, cb.Forget):
        await study.forget(update, context, data.user_id)
        return
    if isinstance(data, cb.Pace):
        await study.choose_pace(update, context, data.days, data.asker)
        return
    if isinstance(data, cb.Another):  # answers itself: it may say there is no other quote
        await finding.another_quote(update, context, data.node_id, data.keyword)
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
        case cb.Step(node_id=node, page=page):
            await reading.read_page(update, context, node, page, whole=False)
        case cb.Send(node_id=node):
            await reading.send_node(update, context, node)
        case cb.Principle(index=index):
            await finding.open_principle(update, context, index)


def _valid(data: cb.Callback, context: BotContext) -> bool:
    """Does the data name things that exist? Outline and Another may name no node (the top, or
    any quote); Read, Step and Send must name one."""
    node_id = getattr(data, "node_id", "")
    if isinstance(data, cb.Read | cb.Step | cb.Send) and not node_id:
        return False
    return not node_id or context.speech.find(node_id) is not None


def register(app: BotApplication) -> None:
    app.add_handler(CallbackQueryHandler(press))
