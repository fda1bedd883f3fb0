"""Reading the speech: /start, /help, /outline (/mulu), /show, and reading buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from content import UnknownNodeError
from content.glosses import Glosses
from content.library import TextStatus
from content.model import ORIGINAL, split_scope
from content.naming import TextName
from content.quotes import pick
from handlers import render
from handlers.catalog import Lang, tr
from handlers.common import argument, argument_too_long, chat_today, edit, in_group, lang_of, quote_number, say, send
from handlers.context import BotApplication, BotContext
from handlers.render import Screen
from handlers.texts import refreshed

ONLY_NEW = filters.UpdateType.MESSAGE


def with_reader(update: Update, context: BotContext, screen: Screen, node_id: str = "") -> Screen:
    """``screen`` with a "📖 阅读器" row (the Mini App, at ``node_id``) when the bot has a reader;
    a new screen: the cached ones are shared."""
    button = render.reader_button(lang_of(update), context.bot_data.webapp, context.bot.username, in_group(update),
                                  node_id, context.current.id)
    return Screen(screen.text, [*screen.buttons, [button]]) if button else screen


def _last_with_reader(update: Update, context: BotContext, screens: list[Screen], node_id: str) -> list[Screen]:
    return [*screens[:-1], with_reader(update, context, screens[-1], node_id)] if screens else screens


async def start(update: Update, context: BotContext) -> None:
    """Welcome (naming the chat's current text), or open a deep link: s-4-2 (a section of the
    original), q-4-2 (a quote from it), s-t2-4-2 and q-t2-4-2 (text 2's: ``render.payload``)."""
    lang = lang_of(update)
    if await _open_link(update, context, argument(context)):
        return
    user = update.effective_user
    name = user.first_name if user else ""
    info = context.current.info
    named = TextName(info, lang) if info.id != ORIGINAL or info.title else TextName.of_speech(context.speech, lang)
    title = named.heading if info.id != ORIGINAL or info.title else named.title
    welcome = Screen(tr(lang, "welcome", name=name, title=title))
    await send(update, context, [with_reader(update, context, welcome)])


async def _open_link(update: Update, context: BotContext, payload: str) -> bool:
    """Open what a deep link names, in its own text (a removed text too: the reply says so);
    False for a payload that names nothing, which gets the welcome."""
    target = render.link_target(payload)
    if target is None:
        return False
    kind, text_id, ref = target
    book = await refreshed(context, text_id)
    node = book.speech.find(ref) if book is not None and book.info.status != TextStatus.DRAFT else None
    if book is None or node is None:
        return False
    context.book = book
    lang = lang_of(update)
    if kind == "s":
        await send(update, context, _last_with_reader(update, context, render.show(
            context.speech, lang, node.id, in_group(update), context.bot.username), node.id))
        return True
    found = pick(context.speech, node_id=node.id, day=await chat_today(update, context))
    if found is None:
        return False
    await send(update, context, [render.quote(lang, found, node_id=node.id, number=quote_number(context, found))])
    return True


async def show_help(update: Update, context: BotContext) -> None:
    """Every command with one example each."""
    await say(update, context, "help", bot=context.bot.username)


def english_headings(context: BotContext, lang: Lang) -> Glosses | None:
    """The current text's English headings for an English reader (the search's glosses: only a
    text ``content/glosses.yaml`` describes has them); None for a Chinese one."""
    return context.searcher.glosses if lang == "en" else None


async def show_outline(update: Update, context: BotContext) -> None:
    """The outline as an inline keyboard (edited in place as the user taps)."""
    lang = lang_of(update)
    outline = render.outline(context.speech, lang, info=context.current.info, glosses=english_headings(context, lang))
    await send(update, context, [with_reader(update, context, outline)])


async def show_node(update: Update, context: BotContext) -> None:
    """/show ID: the node's text, split at sentence boundaries, with Prev/Next."""
    ref = argument(context)
    if not ref:
        await say(update, context, "usage_show")
        return
    if await argument_too_long(update, context, ref):
        return
    try:
        screens = render.show(context.speech, lang_of(update), ref, in_group(update), context.bot.username)
    except UnknownNodeError:
        await say(update, context, "unknown_id", ref=ref[:40])
        return
    await send(update, context, _last_with_reader(update, context, screens, context.speech.node(ref).id))


async def open_outline(update: Update, context: BotContext, node_id: str) -> None:
    """Button: show the outline at a node, or at the top of its text (empty, or ``2:``), in place."""
    top, lang = not split_scope(node_id)[1], lang_of(update)
    screen = render.outline(context.speech, lang, "" if top else node_id, info=context.current.info,
                            glosses=english_headings(context, lang))
    await edit(update, with_reader(update, context, screen) if top else screen)


async def read_page(update: Update, context: BotContext, node_id: str, page: int, level: int = 0) -> None:
    """Button: show a page of a node, in place, on the reading path of ``level`` (0: the node's
    own; ``content.path``)."""
    screen = render.reader(context.speech, lang_of(update), node_id, page, level)
    await edit(update, with_reader(update, context, screen, node_id))


async def send_node(update: Update, context: BotContext, node_id: str) -> None:
    """Button: send a node as new message(s), keeping the message that had the button."""
    await send(update, context, _last_with_reader(update, context, render.show(
        context.speech, lang_of(update), node_id, in_group(update), context.bot.username), node_id))


def register(app: BotApplication) -> None:
    """Commands for reading; buttons are routed by ``handlers.buttons``."""
    app.add_handler(CommandHandler("start", start, filters=ONLY_NEW))
    app.add_handler(CommandHandler("help", show_help, filters=ONLY_NEW))
    app.add_handler(CommandHandler(["outline", "mulu"], show_outline, filters=ONLY_NEW))
    app.add_handler(CommandHandler("show", show_node, filters=ONLY_NEW))
