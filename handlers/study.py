"""Group study: a reading plan with "done" and streaks, quizzes with a weekly ranking,
bookmarks, progress, and the member's privacy (/privacy, /forget).

Rules:
- /plan in a group is the administrators' (like every setting); anyone may read and tap "done".
- A day of the plan is the chat's local day: day 1 is the day /plan was sent.
- A streak counts consecutive local days on which the member tapped "done" anywhere; it lasts
  while the last such day is today or yesterday.
- Quizzes in private chats are non-anonymous (only the member sees them, and /progress needs
  the answer); in groups they are anonymous unless the group chose otherwise in /settings, and
  only non-anonymous answers reach /rank. Group /progress shows counts, never names.
- A plan belongs to one text of the library: /plan starts it on the chat's current text, and it
  goes on reading that text (its passages, its "done", the push's daily passage) after the chat
  switches to another (``/use``); its messages name the text (《标题》的学习计划). A member's
  /progress counts each text they read in (readings carry scoped node ids), the current text
  always. A quiz asks about the chat's current text; a text that supports no question says so.
"""

from __future__ import annotations

from datetime import date, tzinfo
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Poll, Update
from telegram.error import BadRequest
from telegram.ext import CommandHandler, PollAnswerHandler, filters

from content import Node, Speech
from content.library import Book, TextStatus
from content.model import ORIGINAL, cite, split_scope
from content.naming import TextName
from content.plan import (
    DEFAULT_DAYS,
    MIN_DAYS,
    day_number,
    max_days,
    pace,
    passage_on,
    plan,
    reading_key,
    running,
    streak,
)
from content.quiz import NoQuestions, question_for, repeat_window_start
from content.quotes import Quote, candidates
from content.timerules import iso_week
from handlers import callbacks as cb
from handlers import render
from handlers.catalog import Html, Lang, tr
from handlers.common import argument, chat_zone, edit, in_group, lang_of, not_modified, say, send
from handlers.context import BotApplication, BotContext
from handlers.ledger_build import keep_day
from handlers.render import Screen, button
from handlers.store import PlanRecord, Study
from handlers.subscriptions import ensure_subscribed, guard, next_text
from handlers.texts import book_of
from handlers.topics import follow_here, thread_of

ONLY_NEW = filters.UpdateType.MESSAGE
FORGET_PAYLOAD = "forget"  # t.me/<bot>?start=forget: /forget's confirmation, in private
PROGRESS_TEXTS = 5  # texts a member's /progress lists at most (the current one first)


async def _local_today(update: Update, context: BotContext) -> date:
    return context.now().astimezone(await chat_zone(update, context)).date()


async def plan_book(context: BotContext, current: PlanRecord) -> Book:
    """The text a plan reads (its own, whichever the chat reads now); the original for one whose
    text is no longer stored (never: a live text is removed, not deleted)."""
    return await book_of(context, current.text_id) or context.library.original


def _asker(update: Update) -> int:
    """Who may answer a /plan question: the member who asked, or 0 (any administrator) when an
    anonymous administrator asked, whose own id Telegram hides."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is not None and chat is not None and message.sender_chat and message.sender_chat.id == chat.id:
        return 0
    return user.id if user else 0


async def plan_command(update: Update, context: BotContext) -> None:
    """/plan [DAYS|stop]: start the chat's reading plan (asking first if one is under way), stop
    it, or show today's passage."""
    study, chat = context.study, update.effective_chat
    assert chat is not None
    value, lang = argument(context).lower(), lang_of(update)
    today = await _local_today(update, context)
    current = await study.plan(chat.id)
    if value in ("stop", "停止"):
        if await guard(update, context, plan=True):
            await study.stop_plan(chat.id)
            await say(update, context, "plan_stopped")
        return
    if not value and current is not None:
        book = await plan_book(context, current)
        passage = passage_on(plan(book.speech, current.days), current.start_date, today)
        if passage is not None:
            await send(update, context, [render.plan_day(lang, passage, current.days, TextName.of_book(book).given,
                                                         removed=book.info.status == TextStatus.REMOVED)])
        elif today < current.start_date:
            await say(update, context, "plan_not_yet", date=current.start_date.isoformat())
        else:
            await say(update, context, "plan_done", days=current.days)
        return
    top = max_days(context.speech)
    days = pace(value) if value else min(DEFAULT_DAYS, top)
    if days is None or days < min(MIN_DAYS, top):
        await say(update, context, "usage_plan", min=min(MIN_DAYS, top), max=top)
        return
    if not await guard(update, context, plan=True):
        return
    under_way = current is not None and running(current.days, current.start_date, today)
    if days > top or under_way:  # never change what was asked, nor drop a plan, unasked
        await send(update, context, [_question(lang, days, top, current, today, _asker(update))])
        return
    await _start(update, context, days, today, asked=days if value else DEFAULT_DAYS)


def _question(lang: Lang, asked: int, top: int, current: PlanRecord | None, today: date, asker: int) -> Screen:
    """The pace asked for is longer than the speech allows (offer the longest), or a plan is
    under way (restart it or keep it): buttons that only ``asker`` may press."""
    days = min(asked, top)
    parts = [tr(lang, "plan_too_long", max=top, asked=asked)] if asked > top else []
    buttons = []
    if current is not None and running(current.days, current.start_date, today):
        day = day_number(current.days, current.start_date, today)
        parts.append(tr(lang, "plan_restart_ask", day=day, days=current.days, new=days))
        buttons = [button(tr(lang, "btn_plan_restart", days=days), cb.Pace(days, asker)),
                   button(tr(lang, "btn_plan_keep"), cb.Pace(0, asker))]
    else:
        buttons = [button(tr(lang, "btn_plan_start", days=days), cb.Pace(days, asker))]
    return Screen(Html("\n".join(parts)), [buttons])


async def _start(update: Update, context: BotContext, days: int, today: date, asked: int = 0) -> None:
    """Start a plan of ``days`` days today on the chat's current text, turn the daily reminder on
    if it is off (the passages from day 2 ride with it), say so, and show day 1 at once (the
    reminder never repeats it). A plan shorter than ``asked`` (the default 21 days of a short
    text) says so, never silently."""
    study, chat, lang = context.study, update.effective_chat, lang_of(update)
    assert chat is not None
    book = context.current
    current = await study.start_plan(chat.id, len(plan(book.speech, days)), today, book.id)
    row, turned_on = await ensure_subscribed(update, context)
    await follow_here(update, context)
    title = TextName.of_book(book).given
    started = tr(lang, "plan_started", plan=render.plan_name(lang, title), days=current.days, time=row.push_time,
                   zone=row.timezone)
    if current.days < max(asked, days):
        started = Html(started + "\n" + tr(lang, "plan_shorter", days=current.days, asked=max(asked, days)))
    if turned_on:
        started = Html(started + "\n" + tr(lang, "plan_push_on", next=next_text(lang, row, context.now())))
    if update.callback_query:
        await edit(update, Screen(started))
    else:
        await send(update, context, [Screen(started)])
    first = passage_on(plan(book.speech, current.days), current.start_date, today)
    if first is not None:
        await send(update, context, [render.plan_day(lang, first, current.days, title)])
        await keep_day(context.bot_data.ledger, context.bot, chat.id, current, today)  # day 1 for the 学习台账


async def choose_pace(update: Update, context: BotContext, days: int, asker: int) -> None:
    """Button under /plan's question: start (or restart) a plan of ``days`` days, or keep the one
    under way (``days`` 0). Only the member who asked may answer, and only while an administrator."""
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    study = context.study
    assert query is not None
    lang = lang_of(update)
    top = max_days(context.speech)
    if chat is None or user is None or (days and not min(MIN_DAYS, top) <= days <= top):
        await query.answer(tr(lang, "stale_button"))
        return
    if asker and user.id != asker:
        await query.answer(tr(lang, "plan_not_yours"), show_alert=True)
        return
    if not await guard(update, context, plan=True):
        return
    today = await _local_today(update, context)
    current = await study.plan(chat.id)
    if days and current is not None and (current.days, current.start_date, current.text_id) == (
            len(plan(context.speech, days)), today, context.current.id):
        await query.answer()  # pressed twice, or this plan already started today: day 1 is in the chat
        return
    if not days and (current is None or not running(current.days, current.start_date, today)):
        await query.answer(tr(lang, "stale_button"))  # nothing to keep: stopped or ended meanwhile
        return
    await query.answer()
    if days:
        await _start(update, context, days, today)
        return
    assert current is not None
    day = day_number(current.days, current.start_date, today)
    await edit(update, Screen(tr(lang, "plan_kept", day=day, days=current.days)))


async def mark_done(update: Update, context: BotContext, day: int) -> None:
    """Button: the member read the plan's passage of ``day``."""
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    study = context.study
    assert query is not None
    lang = lang_of(update)
    current = await study.plan(chat.id) if chat else None
    if chat is None or user is None or current is None or not 1 <= day <= current.days:
        await query.answer(tr(lang, "stale_button"))
        return
    passage = plan((await plan_book(context, current)).speech, current.days)[day - 1]
    today = await _local_today(update, context)
    new = await study.mark_read(user.id, chat.id, reading_key(current.start_date, current.days, day),
                                ",".join(dict.fromkeys(passage.ids)), today)
    count = streak(await study.reading_dates(user.id), today)
    await query.answer(tr(lang, "read_marked" if new else "read_again", streak=count))


async def progress(update: Update, context: BotContext) -> None:
    """/progress: a member's own in private; the group's counts in a group."""
    study, chat, user = context.study, update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    today = await _local_today(update, context)
    if in_group(update):
        current = await study.plan(chat.id)
        if current is None:
            await say(update, context, "progress_group_none")
            return
        day = day_number(current.days, current.start_date, today)
        book = await plan_book(context, current)
        passages = plan(book.speech, current.days)
        ids = ",".join(dict.fromkeys(passages[min(day, len(passages)) - 1].ids))
        readers = await study.readers(chat.id, reading_key(current.start_date, current.days, day), ids)
        plan_name = render.plan_name(lang_of(update), TextName.of_book(book).given)
        await say(update, context, "progress_group", plan=plan_name,
                  day=day, days=current.days, today=readers)
        return
    read = await study.passages_read(user.id)
    right, answered = await study.quiz_score(user.id)
    await say(update, context, "progress_member", read=await _read_per_text(context, lang_of(update), read),
              streak=streak(await study.reading_dates(user.id), today), right=right, answered=answered)


async def _read_per_text(context: BotContext, lang: Lang, read: set[str]) -> Html:
    """How much of each text the member read (the units of its plan they marked done): the
    current text first, then every other they read in, by id; each named (《标题》 3/21), except
    the untitled original alone (3/21, unnamed)."""
    scopes = {split_scope(node)[0] or ORIGINAL for node in read}
    ids = [context.current.id, *sorted(scopes - {context.current.id})][:PROGRESS_TEXTS]
    books = [book for book in [await book_of(context, text_id) for text_id in ids] if book is not None]
    parts = []
    for book in books:
        units = {unit for passage in plan(book.speech) for unit in passage.ids}
        if len(books) == 1 and TextName.of_book(book).given is None:
            return Html(f"{len(read & units)}/{len(units)}")
        name = TextName(book.info, lang).title
        parts.append(tr(lang, "progress_text", title=name, read=len(read & units), total=len(units)))
    return Html(("；" if lang == "zh" else "; ").join(parts))


async def send_quiz(bot: Bot, study: Study, speech: Speech, chat_id: int, group: bool,
                    open_polls: bool, seed: str, today: date, zone: tzinfo, thread: int | None = None) -> bool:
    """Send a quiz poll on ``speech`` (the chat's text), to forum topic ``thread`` (else General),
    and remember which chat it belongs to
    (poll answers carry no chat) and what it asked: the chat gets none of the questions of its
    last week (``today`` and ``zone`` are the chat's) again. False, and nothing sent, for a text
    that supports no question (``content.quiz.NoQuestions``)."""
    asked = await study.asked_since(chat_id, repeat_window_start(today, zone))
    try:
        question = question_for(speech, seed, asked)
    except NoQuestions:
        return False
    anonymous = group and not open_polls
    # Bot API 9.6 (PTB 22.8) deprecates correct_option_id for correct_option_ids.
    message = await bot.send_poll(chat_id, question.text, list(question.options), is_anonymous=anonymous,
                                  type=Poll.QUIZ, correct_option_ids=[question.correct],
                                  explanation=question.explanation, message_thread_id=thread)
    if message.poll is not None:
        await study.remember_poll(message.poll.id, chat_id, question.key, question.correct, anonymous)
    return True


async def quiz(update: Update, context: BotContext) -> None:
    """/quiz: a quiz poll from the speech."""
    chat = update.effective_chat
    assert chat is not None
    row = await context.store.chat(chat.id)
    seed = f"{chat.id}|{context.now().isoformat()}"
    zone = ZoneInfo(row.timezone) if row else context.zone
    sent = await send_quiz(context.bot, context.study, context.speech, chat.id, in_group(update),
                           bool(row and row.open_polls), seed, context.now().astimezone(zone).date(), zone,
                           thread_of(update))
    if not sent:
        lang = lang_of(update)
        await say(update, context, "quiz_none", title=TextName(context.current.info, lang).title)


async def record_answer(update: Update, context: BotContext) -> None:
    """A poll answer: counted for the member's progress and the chat's weekly ranking."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return
    await context.study.record_answer(answer.poll_id, answer.user.id, answer.user.first_name,
                                      tuple(answer.option_ids), context.now())


async def ranking(update: Update, context: BotContext) -> None:
    """/rank: this ISO week's quiz ranking in this chat (in its time zone)."""
    study, chat = context.study, update.effective_chat
    assert chat is not None
    label = iso_week(context.now(), await chat_zone(update, context))
    row = await context.store.chat(chat.id) if in_group(update) else None
    anonymous = in_group(update) and not (row and row.open_polls)
    await send(update, context, [render.rank(lang_of(update), label, await study.rank(chat.id, label), anonymous)])


async def toggle_saved(update: Update, context: BotContext, ref: str) -> None:
    """Button: bookmark a quote (q:N), a section (n:ID) or a search hit's sentence (s:ID~N), or
    remove the bookmark."""
    query, user, study = update.callback_query, update.effective_user, context.study
    assert query is not None
    lang = lang_of(update)
    if user is None or not _valid_ref(context, ref):
        await query.answer(tr(lang, "stale_button"))
        return
    saved_now = await study.toggle_bookmark(user.id, ref)
    await query.answer(tr(lang, "saved_added" if saved_now else "saved_removed"))
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    old = message.reply_markup.inline_keyboard
    new = render.with_bookmarks(lang, old, set(await study.bookmarks(user.id)))
    if [[b.text for b in row] for row in new] == [[b.text for b in row] for row in old]:
        return  # a group message already showing ★ for the member who saved it too
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup(new))
    except BadRequest as error:  # two quick presses: the second finds the keyboard as it wants it
        if not not_modified(error):
            raise


def resolve(context: BotContext, ref: str) -> Quote | Node | None:
    """What a bookmark names: ``q:<number>`` a quote candidate, ``s:<id>~<n>`` a sentence (as a
    quote), ``n:<id>`` a node; None if nothing (forged, or from another speech):
    ``callbacks.bookmarked``, the one reader."""
    return cb.bookmarked(context.speech, ref)


def _valid_ref(context: BotContext, ref: str) -> bool:
    return resolve(context, ref) is not None


async def resolve_own(context: BotContext, ref: str) -> tuple[Book, Quote | Node] | None:
    """What a bookmark names, in the text it names (``q:2:3``, ``n:2:4.2``; unscoped: the
    original), whichever text the chat reads now, a removed one too; None if nothing."""
    target = cb.bookmark_target(ref)
    book = await book_of(context, cb.text_of(target[1])) if target else None
    found = cb.bookmarked(book.speech, ref) if book else None
    return (book, found) if book is not None and found is not None else None


async def bookmarked_quotes(context: BotContext, user_id: int) -> list[Quote]:
    """The member's bookmarks as quotes: a quote or a sentence itself (verbatim, with its
    location), or a bookmarked section's first quote."""
    found = []
    for ref in await context.study.bookmarks(user_id):
        own = await resolve_own(context, ref)
        if own is None:
            continue
        book, target = own
        if isinstance(target, Quote):
            found.append(target)
        else:
            found += [q for q in candidates(book.speech) if q.id == target.id or q.id.startswith(target.id + ".")][:1]
    return list(dict.fromkeys(found))


async def show_saved(update: Update, context: BotContext) -> None:
    """/saved: the member's bookmarks, each with a button to open it; /saved daily (or off)
    makes a bookmark the member's quote of the day in /today, in turn."""
    study, user = context.study, update.effective_user
    assert user is not None
    choice = argument(context).lower()
    if choice in ("daily", "off", "每日", "关闭"):
        await study.set_saved_as_daily(user.id, choice in ("daily", "每日"))
        await say(update, context, "saved_daily_on" if choice in ("daily", "每日") else "saved_daily_off")
        return
    items: list[tuple[str, str, str, cb.Callback]] = []
    lang = lang_of(update)
    for ref in await study.bookmarks(user.id):
        own = await resolve_own(context, ref)
        if own is None:
            continue
        book, target = own
        # Another text's bookmark names it: 《某讲话》四（二）.
        label = cite(target.label) if book.id == ORIGINAL else TextName(book.info, lang).source + cite(target.label)
        if isinstance(target, Quote):
            items.append((label, target.text, ref, cb.Send(target.id)))
        else:
            items.append((label, target.title or target.sentences[0], ref, cb.Send(target.id)))
    await send(update, context, [render.saved(lang, items)])


async def ask_forget(update: Update, context: BotContext) -> None:
    """/forget: in private, asks for confirmation with a button only the asker may press; in a
    group, points to the private chat (a deep link), so nobody confirms for someone else and
    what is deleted is not announced to the group."""
    lang, user = lang_of(update), update.effective_user
    if in_group(update) or user is None:
        link = InlineKeyboardButton(tr(lang, "btn_forget_private"),
                                    url=render.deep_link(context.bot.username, FORGET_PAYLOAD))
        await send(update, context, [Screen(tr(lang, "forget_private"), [[link]])])
        return
    await send(update, context, [Screen(tr(lang, "forget_ask"),
                                        [[button(tr(lang, "btn_forget"), cb.Forget(user.id)),
                                          button(tr(lang, "btn_forget_keep"), cb.Forget(user.id, "no"))]])])


async def forget(update: Update, context: BotContext, asker: int, confirmed: bool = True) -> None:
    """Button: delete everything stored about the member who asked, if they pressed it; or
    (not ``confirmed``) keep it all, the question answered in place."""
    query, user, study = update.callback_query, update.effective_user, context.study
    assert query is not None
    lang = lang_of(update)
    if user is None:
        await query.answer(tr(lang, "stale_button"))
        return
    if user.id != asker:
        await query.answer(tr(lang, "forget_not_yours"), show_alert=True)
        return
    if not confirmed:
        await query.answer()
        await edit(update, Screen(tr(lang, "forget_kept")))
        return
    rows = await study.forget(user.id)
    rows += await context.bot_data.ledger.forget(user.id)  # their names in groups' records and their 心得
    await query.answer()
    if rows:
        await say(update, context, "forgotten", rows=rows)
    else:
        await say(update, context, "forgotten_none")


async def privacy(update: Update, context: BotContext) -> None:
    """/privacy: what is stored and why."""
    await say(update, context, "privacy")


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler("plan", plan_command, filters=ONLY_NEW))
    app.add_handler(CommandHandler("progress", progress, filters=ONLY_NEW))
    app.add_handler(CommandHandler("quiz", quiz, filters=ONLY_NEW))
    app.add_handler(CommandHandler("rank", ranking, filters=ONLY_NEW))
    app.add_handler(CommandHandler("saved", show_saved, filters=ONLY_NEW))
    app.add_handler(CommandHandler("forget", ask_forget, filters=ONLY_NEW))
    app.add_handler(CommandHandler("privacy", privacy, filters=ONLY_NEW))
    app.add_handler(PollAnswerHandler(record_answer))


def register_links(app: BotApplication) -> None:
    """``/start forget`` (the group's /forget deep link): before the reading module's /start."""
    payload = filters.Regex(rf"^/start(@\w+)?\s+{FORGET_PAYLOAD}\s*$")
    app.add_handler(CommandHandler("start", ask_forget, filters=ONLY_NEW & filters.ChatType.PRIVATE & payload))
