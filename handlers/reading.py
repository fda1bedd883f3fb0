"""Reading the speech: /start, /help, /outline (/mulu), /show, and reading buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from content import UnknownNodeError
from content.quotes import pick
from handlers import render
from handlers.catalog import text
from handlers.common import argument, argument_too_long, chat_today, edit, in_group, lang_of, quote_number, say, send
from handlers.context import BotApplication, BotContext
from handlers.render import Screen

ONLY_NEW = filters.UpdateType.MESSAGE


def with_reader(update: Update, context: BotContext, screen: Screen, node_id: str = "") -> Screen:
    """``screen`` with a "📖 阅读器" row (the Mini App, at ``node_id``) when the bot has a reader;
    a new screen: the cached ones are shared."""
    button = render.reader_button(lang_of(update), context.bot_data.webapp, context.bot.username, in_group(update),
                                  node_id)
    return Screen(screen.text, [*screen.buttons, [button]]) if button else screen


def _last_with_reader(update: Update, context: BotContext, screens: list[Screen], node_id: str) -> list[Screen]:
    return [*screens[:-1], with_reader(update, context, screens[-1], node_id)] if screens else screens


async def start(update: Update, context: BotContext) -> None:
    """Welcome, or open a deep link: s-4-2 (a section), q-4-2 (a quote from it), today."""
    payload = argument(context)
    lang = lang_of(update)
    if payload.startswith(("s-", "q-")) and context.speech.find(payload[2:]):
        node = context.speech.node(payload[2:])
        if payload.startswith("s-"):
            await send(update, context, _last_with_reader(update, context, render.show(
                context.speech, lang, node.id, in_group(update), context.bot.username), node.id))
            return
        found = pick(context.speech, node_id=node.id, day=await chat_today(update, context))
        if found:
            await send(update, context, [render.quote(lang, found, node_id=node.id,
                                                      number=quote_number(context, found))])
            return
    user = update.effective_user
    name = user.first_name if user else ""
    welcome = Screen(text(lang, "welcome", name=name, title=render.speech_title(context.speech, lang)))
    await send(update, context, [with_reader(update, context, welcome)])


async def show_help(update: Update, context: BotContext) -> None:
    """Every command with one example each."""
    await say(update, context, "help", bot=context.bot.username)


async def show_outline(update: Update, context: BotContext) -> None:
    """The outline as an inline keyboard (edited in place as the user taps)."""
    await send(update, context, [with_reader(update, context, render.outline(context.speech, lang_of(update)))])


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
    """Button: show the outline at a node, in place."""
    screen = render.outline(context.speech, lang_of(update), node_id)
    await edit(update, screen if node_id else with_reader(update, context, screen))


async def read_page(update: Update, context: BotContext, node_id: str, page: int, whole: bool = True) -> None:
    """Button: show a page of a node, in place: all of it, or (``whole=False``, Prev/Next) its own text."""
    screen = render.reader(context.speech, lang_of(update), node_id, page, whole)
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
