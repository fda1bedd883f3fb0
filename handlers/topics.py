"""Forum topics (supergroups with topics): where an answer goes, and what a topic is called.

An answer goes to the topic of the message it answers (``thread_of``), as PTB's
``Message.reply_*`` does: only a topic message (``is_topic_message``) names one. A reply in a
chat without topics carries a ``message_thread_id`` too (its reply chain's first message), which
is no place to send to: Telegram answers "message thread not found".

The daily push, the plan's days and the daily quiz go to the chat's stored topic
(``ChatRecord.thread_id``): where /subscribe or /plan was sent, or what an administrator chose
in /settings. Telegram tells a topic's name only in service messages: ``forum_topic_created``
(also as the ``reply_to_message`` of every message in the topic that replies to nothing else)
and ``forum_topic_edited``; the names seen are kept in ``BotData.topic_names``.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import MessageHandler, filters

from handlers.catalog import Html, Lang, tr
from handlers.context import BotApplication, BotContext
from handlers.store import ChatRecord, chat_type


def thread_of(update: Update) -> int | None:
    """The forum topic the update's message is in (for a button press: the pressed message's);
    None in General, in a chat without topics, or without a message."""
    message = update.effective_message
    if message is None or not message.is_topic_message:
        return None
    return message.message_thread_id


def _created_name(message: Message) -> str | None:
    """The topic's name when ``message`` opened it or replies to the message that did."""
    for candidate in (message, message.reply_to_message):
        if candidate is not None and candidate.forum_topic_created is not None \
                and candidate.message_id == message.message_thread_id:
            return candidate.forum_topic_created.name
    return None


def topic_name(update: Update, context: BotContext) -> str | None:
    """The name of the topic the update is in, when the bot has seen it (None: unknown or General)."""
    thread, chat = thread_of(update), update.effective_chat
    if thread is None or chat is None:
        return None
    message = update.effective_message
    named = _created_name(message) if message is not None else None
    if named is not None:
        context.bot_data.topic_names.put((chat.id, thread), named)
        return named
    return context.bot_data.topic_names.get((chat.id, thread))


async def learn_topics(update: Update, context: BotContext) -> None:
    """Before every handler: remember the names of the topics the bot sees; a topic renamed
    (``forum_topic_edited``) renames the chat's push topic too."""
    message, chat = update.effective_message, update.effective_chat
    thread = thread_of(update)
    if message is None or chat is None or thread is None:
        return
    edited = message.forum_topic_edited
    if edited is not None and edited.name:
        context.bot_data.topic_names.put((chat.id, thread), edited.name)
        if (row := await context.store.chat(chat.id)) and row.thread_id == thread:
            await context.store.rename_topic(chat.id, thread, edited.name)
        return
    topic_name(update, context)


async def follow_here(update: Update, context: BotContext) -> None:
    """/subscribe or /plan sent in a forum: the push goes to the topic it was sent from (General
    when sent there). A chat without topics has nothing to store."""
    chat = update.effective_chat
    if chat is None or not chat.is_forum:
        return
    row = await context.store.chat(chat.id)
    thread = thread_of(update)
    if row is None or row.thread_id != thread:
        await context.store.set_topic(chat.id, chat_type(chat.type), thread, topic_name(update, context))


def topic_label(lang: Lang, row: ChatRecord | None) -> str:
    """The push's topic as /settings names it: its name, else its number; General when none."""
    if row is None or row.thread_id is None:
        return tr(lang, "topic_general")
    return row.topic_name or tr(lang, "topic_number", thread=row.thread_id)


def topic_unavailable(error: BadRequest) -> bool:
    """Telegram refused a send to a topic that is closed ("Bad Request: TOPIC_CLOSED") or deleted
    ("Bad Request: message thread not found"; TOPIC_DELETED as MTProto names it)."""
    message = error.message.lower()
    return "message thread not found" in message or "topic_closed" in message or "topic_deleted" in message


def topic_gone(lang: Lang) -> Html:
    """What General is told, once, when the push's topic was closed or deleted."""
    return tr(lang, "topic_gone")


def register_middleware(app: BotApplication) -> None:
    """Group -3, before everything else: every message in a topic (and its service messages)."""
    app.add_handler(MessageHandler(filters.IS_TOPIC_MESSAGE, learn_topics), group=-3)
