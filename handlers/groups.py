"""Being in groups: introduce the bot once when it is added; answer unknown commands only
where someone is talking to the bot (private chats, or ``/cmd@ThisBot`` in a group).

Removed or blocked → the subscription is paused. Added again (or unblocked) → it resumes
automatically and the greeting says so: whoever re-adds the bot wants it back.
"""

from __future__ import annotations

from telegram import ChatMember, ChatMemberUpdated, Update
from telegram.ext import ChatMemberHandler, MessageHandler, filters

from handlers.common import in_group, say
from handlers.context import BotApplication, BotContext
from handlers.store import chat_type

PRESENT = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED)


def joined(change: ChatMemberUpdated) -> bool | None:
    """True when the bot was added, False when it was removed or blocked, None otherwise."""
    was = change.old_chat_member.status in PRESENT
    is_ = change.new_chat_member.status in PRESENT
    if change.new_chat_member.status == ChatMember.RESTRICTED:
        is_ = bool(getattr(change.new_chat_member, "is_member", True))
    return None if was == is_ else is_


async def track_membership(update: Update, context: BotContext) -> None:
    """Greet a group once per addition; tell the subscription store about joins and leaves."""
    change = update.my_chat_member
    assert change is not None
    state = joined(change)
    if state is None:
        return
    chat = change.chat
    row = await context.store.set_member(chat.id, chat_type(chat.type), state)
    if state and in_group(update):
        if chat.id in context.bot_data.greeted:
            return
        context.bot_data.greeted.add(chat.id)
        if row.subscribed:
            await say(update, context, "group_hello_again", time=row.push_time, zone=row.timezone)
        else:
            await say(update, context, "group_hello")
    elif not state:
        context.bot_data.greeted.discard(chat.id)


async def unknown_command(update: Update, context: BotContext) -> None:
    """A hint in private; in groups only when the command was addressed to this bot."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    command = message.text.split()[0] if message.text.split() else ""
    if in_group(update) and not command.lower().endswith("@" + (context.bot.username or "").lower()):
        return
    await say(update, context, "unknown_command")


def register(app: BotApplication) -> None:
    app.add_handler(ChatMemberHandler(track_membership, ChatMemberHandler.MY_CHAT_MEMBER))


def register_fallback(app: BotApplication) -> None:
    """Registered last: catches commands no other handler took."""
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, unknown_command))
