"""The group's 学习台账 and members' 心得: /ledger (on, off, leave, weekly, a month), /note, /notes.

Rules:
- The record is an administrator's: /ledger on posts once in the group what is kept and for
  how long; members are named only after they press ✅ 实名记录 (their Telegram name at that
  moment), everyone else who takes part is counted. /ledger leave takes the name out of every
  file made after it; the rows stay until /forget.
- /ledger (an administrator, in the group) sends this month's record to the administrator in
  private, as .xlsx and .docx; the group only hears that it was sent (or how to start the bot).
  A group that never turned the record on is told how to (a record once on stays readable after
  /ledger off).
  The counts are those of /progress (``Study.readers``) for each plan day as posted.
- A 心得 belongs to the chat it was written in: the group's record shows a joined member's
  心得 written there; /notes lists a member's own, from every chat, in private.
- The weekly look goes to each administrator who asked, on Monday from 09:00 in the group's
  zone, once per week whichever replica runs it (``Ledgers.claim_weekly``).
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import (
    ForceReply,
    InlineKeyboardButton,
    Message,
    ReactionTypeEmoji,
    Update,
)
from telegram.error import Forbidden, TelegramError
from telegram.ext import CommandHandler, MessageHandler, filters

from content import Speech
from content.ledger.chart import week_picture
from content.ledger.docx import to_docx
from content.ledger.record import Ledger
from content.ledger.xlsx import to_xlsx
from content.library import Book
from content.model import split_scope
from content.plan import passage_on, plan
from handlers import callbacks as cb
from handlers import render
from handlers.catalog import Html, Lang, tr
from handlers.common import argument, chat_zone, edit, in_group, lang_of, say, send
from handlers.context import BotApplication, BotContext
from handlers.ledger_build import Period, collect, group_size, keep_day, note_place, parse_month
from handlers.render import Screen, button, utf16_len
from handlers.store import LedgerState, NoteRecord
from handlers.subscriptions import is_admin
from handlers.texts import book_of

log = logging.getLogger(__name__)

ONLY_NEW = filters.UpdateType.MESSAGE
NOTE_MIN, NOTE_MAX = 10, 2000  # characters a 心得 may have
NOTES_PAGE = 6  # 心得 a /notes page lists at most
NOTE_SHOWN = 300  # characters of each 心得 a /notes page shows
NOTES_PAYLOAD = "notes"  # t.me/<bot>?start=notes: /notes from a group, in private
LEDGER_PAYLOAD = "ledger"  # t.me/<bot>?start=ledger: an administrator starts the bot to get the files
NOTE_PROMPT = re.compile(r"^✏\ufe0f?\s*(?:心得|Note)\s*#(\d+)")
"""How the ✏️ prompt under /notes starts in every language: the 心得's number is read back from it."""
WEEKLY_AT = time(9, 0)  # Monday, in the group's zone
WEEKLY_INTERVAL = 600.0  # seconds between two looks at which weekly records are due


def _name(update: Update) -> str:
    user = update.effective_user
    return user.full_name if user else ""


async def _admin(update: Update, context: BotContext) -> bool:
    """An administrator's command; anyone else is told it is the administrators'."""
    if not await is_admin(update, context):
        await say(update, context, "not_admin_ledger")
        return False
    return True


def _since(state: LedgerState, zone: ZoneInfo) -> str:
    return state.since.astimezone(zone).date().isoformat()


async def ledger_command(update: Update, context: BotContext) -> None:
    """/ledger [on | off | leave | weekly | YYYY-MM]: the group's record."""
    ledgers, chat = context.bot_data.ledger, update.effective_chat
    if chat is None:
        return
    if not in_group(update):
        await say(update, context, "ledger_group_only")
        return
    value = argument(context).lower()
    lang = lang_of(update)
    if value in ("leave", "退出"):
        user = update.effective_user
        left = user is not None and await ledgers.leave(chat.id, user.id)
        await say(update, context, "ledger_left" if left else "ledger_not_joined")
        return
    if not await _admin(update, context):
        return
    zone = await chat_zone(update, context)
    if value in ("on", "开启"):
        before = await ledgers.state(chat.id)
        state = await ledgers.switch(chat.id, True, chat.title or "")
        if before is not None and before.enabled:
            await send(update, context, [Screen(tr(lang, "ledger_already_on", since=_since(state, zone)),
                                                [[button(tr(lang, "btn_ledger_join"), cb.LedgerJoin())]])])
            return
        await send(update, context, [Screen(tr(lang, "ledger_intro", since=_since(state, zone)),
                                            [[button(tr(lang, "btn_ledger_join"), cb.LedgerJoin())]])])
        return
    if value in ("off", "关闭"):
        before = await ledgers.state(chat.id)
        if before is None or not before.enabled:
            await say(update, context, "ledger_off_already")
            return
        await ledgers.switch(chat.id, False, chat.title or "")
        await say(update, context, "ledger_off_done")
        return
    if value in ("weekly", "每周"):
        await _toggle_weekly(update, context)
        return
    period = parse_month(value) if value else Period.month(*_this_month(context, zone))
    if period is None:
        await say(update, context, "ledger_bad_month", value=value[:20])
        return
    if await ledgers.state(chat.id) is None:  # never turned on: nothing recorded, nobody could join
        await say(update, context, "ledger_off_already")
        return
    await _send_files(update, context, period, zone)


def _this_month(context: BotContext, zone: ZoneInfo) -> tuple[int, int]:
    today = context.today(zone)
    return today.year, today.month


async def _toggle_weekly(update: Update, context: BotContext) -> None:
    ledgers, chat, user = context.bot_data.ledger, update.effective_chat, update.effective_user
    assert chat is not None
    if user is None or _anonymous(update):
        await say(update, context, "ledger_anonymous")
        return
    state = await ledgers.state(chat.id)
    on = state is None or user.id not in state.weekly
    await ledgers.set_weekly(chat.id, user.id, on)
    if on and (state is None or not state.enabled):
        await say(update, context, "ledger_weekly_on_off")
    else:
        await say(update, context, "ledger_weekly_on" if on else "ledger_weekly_off")


def _anonymous(update: Update) -> bool:
    """Sent by an anonymous administrator (as the group): no private chat to send to."""
    message, chat = update.effective_message, update.effective_chat
    return bool(message and chat and message.sender_chat and message.sender_chat.id == chat.id)


async def build(context: BotContext, chat_id: int, title: str, zone: ZoneInfo, period: Period, lang: Lang,
                ask_size: bool = True) -> Ledger:
    """The chat's record of ``period`` from the store (the group's size asked of Telegram for the
    plan days that lack it)."""
    ledgers, study = context.bot_data.ledger, context.bot_data.study

    async def count() -> int | None:
        return await group_size(context.bot, chat_id)

    async def book(text_id: int) -> Book | None:
        return await context.shelf.book(text_id)

    state = await ledgers.state(chat_id)
    return await collect(ledgers, study, book, chat_id, title or (state.title if state else "") or str(chat_id),
                         zone.key, period, context.today(zone), lang, count if ask_size else None)


async def _send_files(update: Update, context: BotContext, period: Period, zone: ZoneInfo) -> None:
    """The record of ``period`` to the administrator in private, as .xlsx and .docx."""
    chat, user, lang = update.effective_chat, update.effective_user, lang_of(update)
    assert chat is not None
    if user is None or _anonymous(update):
        await say(update, context, "ledger_anonymous")
        return
    ledger = await build(context, chat.id, chat.title or "", zone, period, lang)
    xlsx, docx = await asyncio.gather(asyncio.to_thread(to_xlsx, ledger, lang),
                                      asyncio.to_thread(to_docx, ledger, lang))
    caption = tr(lang, "ledger_caption", group=ledger.group, period=period.label)
    try:
        name = html.unescape(tr(lang, "ledger_file_name", period=period.label))
        await context.bot.send_document(user.id, xlsx, filename=f"{name}.xlsx", caption=caption)
        await context.bot.send_document(user.id, docx, filename=f"{name}.docx")
    except Forbidden:
        link = InlineKeyboardButton(tr(lang, "btn_ledger_start"),
                                    url=render.deep_link(context.bot.username, LEDGER_PAYLOAD))
        await send(update, context, [Screen(tr(lang, "ledger_start_first"), [[link]])])
        return
    await say(update, context, "ledger_sent")


async def press_join(update: Update, context: BotContext) -> None:
    """✅ 实名记录: the member who pressed joins the group's record by their Telegram name."""
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    ledgers, lang = context.bot_data.ledger, lang_of(update)
    assert query is not None
    if chat is None or user is None:
        await query.answer(tr(lang, "stale_button"))
        return
    state = await ledgers.state(chat.id)
    if state is None or not state.enabled:
        await query.answer(tr(lang, "ledger_join_closed"), show_alert=True)
        return
    new = await ledgers.join(chat.id, user.id, user.full_name)
    # An alert is plain text: the name as written, not as HTML would escape it.
    await query.answer(html.unescape(tr(lang, "ledger_joined" if new else "ledger_joined_already",
                                          name=user.full_name[:60])), show_alert=True)


async def start_link(update: Update, context: BotContext) -> None:
    """``/start ledger``: an administrator started the bot to receive the record."""
    await say(update, context, "ledger_started")


# --- 心得 ---------------------------------------------------------------------------------------


async def _place(update: Update, context: BotContext, ref: str) -> tuple[Book, str] | None:
    """(book, node id) a new 心得 is on: ``ref`` (a section, ``4.2`` or ``2:4.2``), else the
    chat's plan day's passage today, else the start of the chat's text; None for an unknown ref."""
    chat, study = update.effective_chat, context.bot_data.study
    if ref:
        canonical = Speech.canonical_id(ref)
        scope = split_scope(canonical)[0] if canonical else None
        book = context.current if scope is None else await book_of(context, scope)
        node = book.speech.find(canonical) if book is not None and canonical else None
        return (book, node.id) if book is not None and node is not None else None
    current = await study.plan(chat.id) if chat else None
    if current is not None:
        book = await book_of(context, current.text_id)
        today = context.today(await chat_zone(update, context))
        passage = passage_on(plan(book.speech, current.days), current.start_date, today) if book else None
        if book is not None and passage is not None and passage.ids:
            return book, passage.ids[0]
    book = context.current
    first = next(iter(book.speech.nodes()), None)
    return (book, first.id) if first is not None else None


def _looks_like_section(word: str) -> bool:
    return Speech.canonical_id(word) is not None


async def note_command(update: Update, context: BotContext) -> None:
    """/note 文字, /note 4.2 文字: keep a 心得 on the chat's passage of the day, or a section."""
    ledgers, chat, user, message = (context.bot_data.ledger, update.effective_chat, update.effective_user,
                                    update.effective_message)
    if chat is None or user is None or message is None:
        return
    raw = (message.text or "").strip()
    body = raw.split(None, 1)[1].strip() if len(raw.split(None, 1)) > 1 else ""
    first, _, rest = body.partition(" ")
    ref = ""
    if first and rest.strip() and _looks_like_section(first):
        ref, body = first, rest.strip()
    if not body:
        await say(update, context, "note_usage")
        return
    if not NOTE_MIN <= len(body) <= NOTE_MAX:
        await say(update, context, "note_length", length=len(body), min=NOTE_MIN, max=NOTE_MAX)
        return
    place = await _place(update, context, ref)
    if place is None:
        await say(update, context, "note_unknown_section", ref=ref[:40])
        return
    book, node_id = place
    await ledgers.add_note(user.id, chat.id, book.id, node_id, body)
    label, _ = note_place(book, node_id)
    if in_group(update):
        try:
            await context.bot.set_message_reaction(chat.id, message.message_id, [ReactionTypeEmoji("👍")])
            return
        except TelegramError as error:
            log.info("reaction in chat %s refused (%s): a short reply instead", chat.id, error.message)
        await say(update, context, "note_saved_short")
        return
    await say(update, context, "note_saved", place=label, length=len(body))


def notes_screen(lang: Lang, notes: list[NoteRecord], books: dict[int, Book | None], page: int,
                 zone: ZoneInfo) -> Screen:
    """Page ``page`` of the member's 心得 (dated in ``zone``): each with ✏️ and 🗑; within one message."""
    if not notes:
        return Screen(tr(lang, "notes_none"))
    pages = _pages(lang, notes, books, zone)
    page = min(max(page, 0), len(pages) - 1)
    shown = pages[page]
    body = Html("\n\n".join([tr(lang, "notes_title", page=page + 1, pages=len(pages)),
                             *(_item(lang, note, books, zone) for note in shown)]))
    rows = [[button(tr(lang, "btn_note_edit", n=note.id), cb.NoteAction("edit", note.id)),
             button(tr(lang, "btn_note_delete", n=note.id), cb.NoteAction("del", note.id))] for note in shown]
    turn = []
    if page > 0:
        turn.append(button(tr(lang, "btn_prev_page"), cb.NotesPage(page - 1)))
    if page + 1 < len(pages):
        turn.append(button(tr(lang, "btn_next_page"), cb.NotesPage(page + 1)))
    return Screen(body, rows + ([turn] if turn else []))


def _item(lang: Lang, note: NoteRecord, books: dict[int, Book | None], zone: ZoneInfo) -> str:
    label, _ = note_place(books.get(note.text_id), note.node_id)
    shown = note.text if len(note.text) <= NOTE_SHOWN else note.text[:NOTE_SHOWN] + "…"
    written = note.written_at.astimezone(zone).date().isoformat()
    return tr(lang, "notes_item", n=note.id, date=written, place=label, text=shown)


def _pages(lang: Lang, notes: list[NoteRecord], books: dict[int, Book | None],
           zone: ZoneInfo) -> list[list[NoteRecord]]:
    """The 心得 in pages of at most ``NOTES_PAGE`` that fit ``render.PAGE_CHARS``."""
    pages: list[list[NoteRecord]] = [[]]
    size = 0
    for note in notes:
        length = utf16_len(_item(lang, note, books, zone)) + 2
        if pages[-1] and (len(pages[-1]) >= NOTES_PAGE or size + length > render.PAGE_CHARS - 200):
            pages.append([])
            size = 0
        pages[-1].append(note)
        size += length
    return pages


async def _books(context: BotContext, notes: list[NoteRecord]) -> dict[int, Book | None]:
    return {text_id: await context.shelf.book(text_id) for text_id in {note.text_id for note in notes}}


async def notes_command(update: Update, context: BotContext) -> None:
    """/notes: the member's own 心得, in private (from a group: a link to the private chat)."""
    ledgers, user, lang = context.bot_data.ledger, update.effective_user, lang_of(update)
    if user is None:
        return
    if in_group(update):
        link = InlineKeyboardButton(tr(lang, "btn_notes_private"),
                                    url=render.deep_link(context.bot.username, NOTES_PAYLOAD))
        await send(update, context, [Screen(tr(lang, "notes_private"), [[link]])])
        return
    notes = await ledgers.notes(user.id)
    zone = await chat_zone(update, context)
    await send(update, context, [notes_screen(lang, notes, await _books(context, notes), 0, zone)])


async def press_notes(update: Update, context: BotContext, data: cb.NoteAction | cb.NotesPage) -> None:
    """✏️, 🗑 and the page buttons under /notes: only the member's own 心得."""
    query, user, ledgers, lang = update.callback_query, update.effective_user, context.bot_data.ledger, lang_of(update)
    assert query is not None
    if user is None:
        await query.answer(tr(lang, "stale_button"))
        return
    page = data.page if isinstance(data, cb.NotesPage) else _page_of(query.message)
    if isinstance(data, cb.NoteAction):
        note = await ledgers.note(user.id, data.note_id)
        if note is None:
            await query.answer(tr(lang, "note_gone"))
            return
        if data.action == "edit":
            await query.answer()
            assert update.effective_chat is not None
            await context.bot.send_message(update.effective_chat.id,
                                           tr(lang, "note_edit_prompt", n=note.id, text=note.text),
                                           reply_markup=ForceReply(selective=True, input_field_placeholder=tr(
                                               lang, "note_edit_placeholder")))
            return
        await ledgers.delete_note(user.id, note.id)
        await query.answer(tr(lang, "note_deleted"))
    else:
        await query.answer()
    notes = await ledgers.notes(user.id)
    zone = await chat_zone(update, context)
    await edit(update, notes_screen(lang, notes, await _books(context, notes), page, zone))


def _page_of(message: object) -> int:
    """The page a /notes message shows, read from its title line (（第 2/3 页） or (page 2/3))."""
    found = re.search(r"(\d+)/\d+", message.text or "") if isinstance(message, Message) else None
    return int(found[1]) - 1 if found else 0


async def edit_reply(update: Update, context: BotContext) -> None:
    """A reply to the ✏️ prompt: it replaces that 心得 (the member's own only)."""
    message, user, ledgers = update.effective_message, update.effective_user, context.bot_data.ledger
    assert message is not None
    reply = message.reply_to_message
    found = NOTE_PROMPT.match(reply.text or "") if reply is not None else None
    if found is None or user is None:
        return
    body = (message.text or "").strip()
    if not NOTE_MIN <= len(body) <= NOTE_MAX:
        await say(update, context, "note_length", length=len(body), min=NOTE_MIN, max=NOTE_MAX)
        return
    changed = await ledgers.edit_note(user.id, int(found[1]), body)
    await say(update, context, "note_edited" if changed else "note_gone")


class _AnswersNotePrompt(filters.MessageFilter):
    """A message replying to the bot's ✏️ prompt under /notes."""

    def filter(self, message: Message) -> bool:
        reply = message.reply_to_message
        author = reply.from_user if reply is not None else None
        return bool(reply is not None and author is not None and author.is_bot and NOTE_PROMPT.match(reply.text or ""))


# --- the weekly look --------------------------------------------------------------------------


def week_of(now: datetime, zone: ZoneInfo) -> date | None:
    """The Monday whose weekly look is due at ``now`` in ``zone`` (Monday from 09:00), else None."""
    local = now.astimezone(zone)
    return local.date() if local.weekday() == 0 and local.time() >= WEEKLY_AT else None


async def send_weekly(context: BotContext, now: datetime) -> int:
    """Send each weekly look that is due (once per week and administrator, on any replica);
    how many went."""
    ledgers, chats = context.bot_data.ledger, context.bot_data.store
    sent = 0
    for chat_id, admin in await ledgers.weekly():
        row = await chats.chat(chat_id) if chats else None
        zone = ZoneInfo(row.timezone if row else context.defaults.timezone)
        monday = week_of(now, zone)
        if monday is None or not await ledgers.claim_weekly(chat_id, admin, monday):
            continue
        lang: Lang = row.lang if row else "zh"
        period = Period(monday - timedelta(days=7), monday - timedelta(days=1))
        try:
            ledger = await build(context, chat_id, "", zone, period, lang, ask_size=False)
            picture = await asyncio.to_thread(week_picture, ledger, lang)
            await context.bot.send_message(admin, weekly_text(lang, ledger))
            await context.bot.send_photo(admin, picture)
            sent += 1
        except TelegramError as error:  # blocked, or never started: next week again
            log.info("weekly record of chat %s to %s not sent: %s", chat_id, admin, error.message)
    return sent


def weekly_text(lang: Lang, ledger: Ledger) -> Html:
    """The week's figures: sessions, readers, the mean 参学率, joined and others, 心得."""
    rates = [s.rate for s in ledger.sessions if s.rate is not None]
    rate = f"{100 * sum(rates) / len(rates):.0f}%" if rates else "-"
    return tr(lang, "ledger_weekly_report", group=ledger.group, start=ledger.start.isoformat(),
                end=ledger.end.isoformat(), sessions=len(ledger.sessions),
                readers=sum(s.readers for s in ledger.sessions), rate=rate, joined=len(ledger.members),
                others=ledger.others, notes=len(ledger.reflections))


def schedule_weekly(app: BotApplication, clock_interval: float = WEEKLY_INTERVAL) -> None:
    """The one repeating job that sends the weekly looks that are due."""
    if app.job_queue is None:
        return

    async def weekly_job(context: BotContext) -> None:
        await send_weekly(context, context.now())

    app.job_queue.run_repeating(weekly_job, interval=clock_interval, first=5.0, name="ledger-weekly",
                                job_kwargs={"max_instances": 1, "coalesce": True})


# --- bookkeeping ------------------------------------------------------------------------------


async def follow_migration(update: Update, context: BotContext) -> None:
    """A group that became a supergroup keeps its record under the new id."""
    message, ledgers = update.message, context.bot_data.ledger
    if message is None:
        return
    if message.migrate_to_chat_id:
        await ledgers.migrate(message.chat.id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        await ledgers.migrate(message.migrate_from_chat_id, message.chat.id)


async def keep_plan_day(context: BotContext, chat_id: int, day: date) -> None:
    """/plan's day 1 was posted in a group: keep it, with the group's size."""
    ledgers, study = context.bot_data.ledger, context.bot_data.study
    current = await study.plan(chat_id)
    if current is not None:
        await keep_day(ledgers, context.bot, chat_id, current, day)


def register_links(app: BotApplication) -> None:
    """``/start notes`` and ``/start ledger`` (deep links from a group): before /start."""
    private = ONLY_NEW & filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", notes_command,
                                   filters=private & filters.Regex(rf"^/start(@\w+)?\s+{NOTES_PAYLOAD}\s*$")))
    app.add_handler(CommandHandler("start", start_link,
                                   filters=private & filters.Regex(rf"^/start(@\w+)?\s+{LEDGER_PAYLOAD}\s*$")))


def register(app: BotApplication) -> None:
    """/ledger /note /notes, and replies to the ✏️ prompt (before the private text search)."""
    app.add_handler(CommandHandler("ledger", ledger_command, filters=ONLY_NEW))
    app.add_handler(CommandHandler("note", note_command, filters=ONLY_NEW))
    app.add_handler(CommandHandler("notes", notes_command, filters=ONLY_NEW))
    app.add_handler(MessageHandler(ONLY_NEW & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
                                   & _AnswersNotePrompt(), edit_reply))


def register_middleware(app: BotApplication) -> None:
    """Group 1 (after the main handlers): a migration moves the record too."""
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, follow_migration), group=1)
