"""The one CallbackQueryHandler: parse the data once, answer stale/forged data politely, route."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from content.model import split_scope
from handlers import callbacks as cb
from handlers import finding, ledger, reading, sharing, study, subscriptions, texts, uploads
from handlers.catalog import tr
from handlers.common import lang_of, pressing
from handlers.context import BotApplication, BotContext
from handlers.texts import refreshed


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
        # The button's own text, even after the chat switched; as the database has it now (a
        # removed text stays readable, and the reply says it was removed).
        book = await refreshed(context, scope)
        if book is None:
            data = None
        context.book = book
    if data is None or query.message is None or not _valid(data, context):
        # Forged, from an older version, or on an inline message (ours carry no buttons).
        await query.answer(tr(lang_of(update), "stale_button"), show_alert=False)
        return
    if isinstance(data, cb.Card):
        if not sharing.valid(data.kind, data.value, context.speech):
            await query.answer(tr(lang_of(update), "stale_button"))
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
        await study.forget(update, context, data.user_id, data.answer == "yes")
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
    if isinstance(data, cb.UseText):  # answers itself: members of a group may not switch
        await texts.press_use(update, context, data.text_id)
        return
    if isinstance(data, cb.TextPage):
        await texts.turn_page(update, context, data.page)
        return
    if isinstance(data, cb.SearchAll):
        await texts.press_search_all(update, context, data.query)
        return
    if isinstance(data, cb.LedgerJoin):  # answers itself: the record may be off
        await ledger.press_join(update, context)
        return
    if isinstance(data, cb.NoteAction | cb.NotesPage):  # answers itself: the 心得 may be gone
        await ledger.press_notes(update, context, data)
        return
    if isinstance(data, cb.TextAction):  # an uploaded text's preview: answers itself (owners only)
        await uploads.press(update, context, data)
        return
    await query.answer()
    match data:
        case cb.Outline(node_id=node):
            await reading.open_outline(update, context, node)
        case cb.Read(node_id=node, page=page):
            await reading.read_page(update, context, node, page)
        case cb.Step(node_id=node, page=page, level=level):
            await reading.read_page(update, context, node, page, level)
        case cb.Send(node_id=node):
            await reading.send_node(update, context, node)
        case cb.Principle(index=index):
            await finding.open_principle(update, context, index)


def _valid(data: cb.Callback, context: BotContext) -> bool:
    """Does the data name things that exist? Outline and Another may name no node (the top, or
    any quote; ``2:`` is text 2's top); Read, Step and Send must name one."""
    node_id = getattr(data, "node_id", "")
    local = split_scope(node_id)[1]
    if isinstance(data, cb.Read | cb.Step | cb.Send) and not local:
        return False
    return not local or context.speech.find(node_id) is not None


def register(app: BotApplication) -> None:
    app.add_handler(CallbackQueryHandler(press))
