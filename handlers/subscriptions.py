"""Subscriptions: /subscribe /unsubscribe /settime /timezone /settings, their buttons, and the
group -1 bookkeeping for group → supergroup migration.

In groups only administrators may change anything (checked with getChatMember and cached for
``handlers.context.ADMIN_TTL`` seconds); a message sent by an anonymous administrator (``sender_chat`` is the
group itself) counts as an administrator's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import ChatMember, InlineKeyboardButton, Update
from telegram.constants import ChatType
from telegram.ext import CommandHandler, MessageHandler, filters

from content.timerules import format_time, parse_time, resolve_zone
from handlers import callbacks as cb
from handlers.catalog import Html, Lang, tr
from handlers.common import argument, edit, in_group, lang_of, say, send
from handlers.context import BotApplication, BotContext, ChatDefaults
from handlers.render import Screen, button
from handlers.store import ChatRecord, ReminderFormat, chat_type
from handlers.topics import follow_here, thread_of, topic_label, topic_name

ONLY_NEW = filters.UpdateType.MESSAGE
COMMON_ZONES = ("Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo",
                "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Australia/Sydney")
COMMON_TIMES = ("06:30", "07:00", "07:30", "08:00", "09:00", "12:00", "18:00", "21:00")


async def is_admin(update: Update, context: BotContext) -> bool:
    """Private chats: yes. Groups: anonymous admins and members with admin status (cached)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or not in_group(update):
        return True
    if message and message.sender_chat and message.sender_chat.id == chat.id:
        return True
    if user is None:
        return False
    key = (chat.id, user.id)
    known = context.bot_data.admin_cache.get(key)
    if known is not None:
        return known
    member = await context.bot.get_chat_member(chat.id, user.id)
    admin = member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
    context.bot_data.admin_cache.put(key, admin)
    return admin


async def guard(update: Update, context: BotContext, plan: bool = False) -> bool:
    """True when the change may go ahead; otherwise the user has been told why not (for the
    reading ``plan``: that only administrators start or stop it)."""
    if not await is_admin(update, context):
        await _tell(update, context, "not_admin_plan" if plan else "not_admin")
        return False
    return True


async def _tell(update: Update, context: BotContext, key: str) -> None:
    if update.callback_query:
        await update.callback_query.answer(tr(lang_of(update), key), show_alert=True)
    else:
        await say(update, context, key)


def next_text(lang: Lang, row: ChatRecord, now: datetime) -> str:
    """When the next reminder comes, never in the past: a due one (inside the catch-up window,
    and not yet sent today: the store moves a sent day on) goes out with the next push pass, so
    it is "now"; else its date and time in the chat's zone, today or tomorrow."""
    if row.next_due_at is None:
        return "-"
    zone = ZoneInfo(row.timezone)
    local, today = row.next_due_at.astimezone(zone), now.astimezone(zone).date()
    day, at = local.date(), local.strftime("%H:%M")
    return tr(lang, "next_now" if row.next_due_at <= now else "next_today" if day == today
                else "next_tomorrow" if day == today + timedelta(days=1) else "next_on",
                date=day.isoformat(), time=at)


async def ensure_subscribed(update: Update, context: BotContext) -> tuple[ChatRecord, bool]:
    """The chat's daily reminder, turned on if it is off or paused (a reading plan rides with
    it); True when it was turned on just now. Callers have passed ``guard``."""
    assert update.effective_chat is not None
    chat_id = update.effective_chat.id
    row = await context.store.chat(chat_id)
    if row is not None and row.subscribed and not row.paused:
        return row, False
    return await context.store.subscribe(chat_id, _kind(update), lang_of(update)), True


def settings_screen(lang: Lang, row: ChatRecord | None, defaults: ChatDefaults, group: bool = True,
                    forum: bool = False, here: int | None = None) -> Screen:
    """The current state (a chat never configured shows the defaults) with buttons to change it.
    Anonymous or open quizzes are a group's choice: a private chat's quizzes are the member's own
    (``handlers.study.send_quiz`` never sends them anonymous), so it is offered no such line.
    A ``forum`` (a supergroup with topics) sees the topic its push goes to, a button to send it
    to the topic the panel is in (``here``) when that is another, and one back to General."""
    subscribed = bool(row and row.subscribed)
    if subscribed and row and row.paused:
        state = tr(lang, "state_paused")
    else:
        state = tr(lang, "state_on") if subscribed else tr(lang, "state_off")
    card = bool(row and row.reminder_format == ReminderFormat.CARD)
    open_polls, quiz_daily = bool(row and row.open_polls), bool(row and row.quiz_daily)
    body = tr(lang, "settings", state=state, time=row.push_time if row else defaults.push_time,
                zone=row.timezone if row else defaults.timezone,
                format=tr(lang, "format_card") if card else tr(lang, "format_text"),
                polls=tr(lang, "settings_polls", polls=tr(lang, "state_polls_open") if open_polls else tr(
                    lang, "state_polls_anonymous")) if group else "")
    thread = row.thread_id if row else None
    if forum or thread is not None:
        body = Html(body + tr(lang, "settings_topic", topic=topic_label(lang, row)))
    toggle = button(tr(lang, "btn_sub_off"), cb.Setting("off")) if subscribed else button(
        tr(lang, "btn_sub_on"), cb.Setting("on"))
    times = [button(t, cb.Setting("time", t)) for t in COMMON_TIMES]
    form = (button(tr(lang, "btn_format_text"), cb.Setting("fmt", ReminderFormat.TEXT)) if card
            else button(tr(lang, "btn_format_card"), cb.Setting("fmt", ReminderFormat.CARD)))
    polls = (button(tr(lang, "btn_polls_anonymous"), cb.Setting("polls", "anonymous")) if open_polls
             else button(tr(lang, "btn_polls_open"), cb.Setting("polls", "open")))
    daily = (button(tr(lang, "btn_quiz_daily_off"), cb.Setting("quiz", "off")) if quiz_daily
             else button(tr(lang, "btn_quiz_daily_on"), cb.Setting("quiz", "on")))
    rows = [[toggle, button(tr(lang, "btn_zone"), cb.Setting("zones"))], times[:4], times[4:], [form],
            [polls, daily] if group else [daily]]
    topics = []
    if forum and here is not None and here != thread:
        topics.append(button(tr(lang, "btn_topic_here"), cb.Setting("topic", "here")))
    if forum and thread is not None:
        topics.append(button(tr(lang, "btn_topic_general"), cb.Setting("topic", "general")))
    if topics:
        rows.append(topics)
    return Screen(body, rows)


def _settings_of(update: Update, context: BotContext, row: ChatRecord | None) -> Screen:
    """The settings panel as this update's chat and topic show it."""
    chat = update.effective_chat
    return settings_screen(lang_of(update), row, context.defaults, in_group(update), bool(chat and chat.is_forum),
                           thread_of(update))


def zone_screen(lang: Lang, unknown: str = "") -> Screen:
    """The zone picker, with Back to the settings panel; with ``unknown``, it first says that
    zone was not recognised."""
    rows: list[list[InlineKeyboardButton]] = []
    for i in range(0, len(COMMON_ZONES), 2):
        rows.append([button(z, cb.Setting("zone", z)) for z in COMMON_ZONES[i : i + 2]])
    rows.append([button(tr(lang, "btn_up"), cb.Setting("panel"))])
    return Screen(tr(lang, "bad_zone", zone=unknown[:40]) if unknown else tr(lang, "zone_pick"), rows)


def _kind(update: Update) -> ChatType:
    chat = update.effective_chat
    return chat_type(chat.type) if chat else ChatType.PRIVATE


async def subscribe(update: Update, context: BotContext) -> None:
    """/subscribe [HH:MM]: the daily reminder at HH:MM, or the chat's time (the configured default for a new chat)."""
    value = argument(context)
    at = parse_time(value) if value else None
    if value and at is None:
        await say(update, context, "usage_subscribe")
        return
    if not await guard(update, context):
        return
    assert update.effective_chat is not None
    row = await context.store.subscribe(update.effective_chat.id, _kind(update), lang_of(update),
                                        format_time(at) if at else None)
    await follow_here(update, context)
    await say(update, context, "sub_done", time=row.push_time, zone=row.timezone,
              next=next_text(lang_of(update), row, context.now()))


async def unsubscribe(update: Update, context: BotContext) -> None:
    """/unsubscribe: stop the daily reminder."""
    if not await guard(update, context):
        return
    assert update.effective_chat is not None
    changed = await context.store.unsubscribe(update.effective_chat.id)
    await say(update, context, "sub_off" if changed else "sub_none")


async def settime(update: Update, context: BotContext) -> None:
    """/settime HH:MM."""
    at = parse_time(argument(context))
    if at is None:
        await say(update, context, "usage_settime")
        return
    if not await guard(update, context):
        return
    assert update.effective_chat is not None
    row = await context.store.configure(update.effective_chat.id, _kind(update), push_time=format_time(at))
    await say(update, context, "time_set", time=row.push_time, zone=row.timezone)


async def timezone(update: Update, context: BotContext) -> None:
    """/timezone Area/City, or a keyboard of common zones."""
    typed = argument(context)
    lang = lang_of(update)
    if not typed:
        await send(update, context, [zone_screen(lang)])
        return
    zone = resolve_zone(typed)
    if zone is None:
        await send(update, context, [zone_screen(lang, typed)])
        return
    if not await guard(update, context):
        return
    assert update.effective_chat is not None
    await context.store.configure(update.effective_chat.id, _kind(update), zone=zone)
    local = context.now().astimezone(ZoneInfo(zone)).strftime("%H:%M")
    await say(update, context, "zone_set", zone=zone, local=local)


async def show_settings(update: Update, context: BotContext) -> None:
    """/settings: the current state with buttons."""
    assert update.effective_chat is not None
    row = await context.store.chat(update.effective_chat.id)
    await send(update, context, [_settings_of(update, context, row)])


async def press_setting(update: Update, context: BotContext, data: cb.Setting) -> None:
    """Settings buttons: on, off, time, zones (the picker), zone."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    lang = lang_of(update)
    if not await guard(update, context):  # the picker too: the panel is shared in a group
        return
    if data.action == "zones":
        await query.answer()
        await edit(update, zone_screen(lang))
        return
    chat_id, kind = update.effective_chat.id, _kind(update)
    if data.action == "on":
        await context.store.subscribe(chat_id, kind, lang)
    elif data.action == "off":
        await context.store.unsubscribe(chat_id)
    elif data.action == "time" and parse_time(data.value):
        await context.store.configure(chat_id, kind, push_time=data.value)
    elif data.action == "fmt" and data.value in tuple(ReminderFormat):
        await context.store.configure(chat_id, kind, reminder_format=ReminderFormat(data.value))
    elif data.action == "polls" and data.value in ("open", "anonymous"):
        await context.store.configure(chat_id, kind, open_polls=data.value == "open")
    elif data.action == "quiz" and data.value in ("on", "off"):
        await context.store.configure(chat_id, kind, quiz_daily=data.value == "on")
    elif data.action == "zone" and resolve_zone(data.value):
        await context.store.configure(chat_id, kind, zone=resolve_zone(data.value))
    elif data.action == "topic" and data.value == "here" and update.effective_chat.is_forum \
            and thread_of(update) is not None:
        await context.store.set_topic(chat_id, kind, thread_of(update), topic_name(update, context))
    elif data.action == "topic" and data.value == "general":
        await context.store.set_topic(chat_id, kind, None)
    elif data.action != "panel":
        await query.answer(tr(lang, "stale_button"))
        return
    await query.answer()
    await edit(update, _settings_of(update, context, await context.store.chat(chat_id)))


async def follow_migration(update: Update, context: BotContext) -> None:
    """Group -1: a group that became a supergroup keeps its subscription under the new id."""
    message = update.message
    if message is None:
        return
    if message.migrate_to_chat_id:
        await context.store.migrate(message.chat.id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        await context.store.migrate(message.migrate_from_chat_id, message.chat.id)


def register_middleware(app: BotApplication) -> None:
    """Group -1, before everything else, and only for migration service messages."""
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, follow_migration), group=-1)


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler("subscribe", subscribe, filters=ONLY_NEW))
    app.add_handler(CommandHandler("unsubscribe", unsubscribe, filters=ONLY_NEW))
    app.add_handler(CommandHandler("settime", settime, filters=ONLY_NEW))
    app.add_handler(CommandHandler("timezone", timezone, filters=ONLY_NEW))
    app.add_handler(CommandHandler("settings", show_settings, filters=ONLY_NEW))
