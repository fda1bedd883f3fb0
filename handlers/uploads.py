"""The owner adds a text to the library from chat: a ``.docx``, ``.pdf`` or ``.txt`` sent in
private becomes a draft with a preview (``handlers.preview``), then is published, fixed or
discarded with the preview's buttons.

Only the owners (``SPEECHBOT_ADMIN_IDS``) may: anyone else's document gets exactly the unknown
command's answer, so the feature is not revealed, and documents in groups are ignored. The file
comes through getFile (at most ``BotData.max_upload_bytes``) and is imported in a child process
(``content.formats.isolated``) within ``BotData.import_limits``: a hostile file costs neither the
bot's memory nor its members' answers, and is refused in one line (``preview.refusal``). A file
that cannot be read is one message naming the place (``DocumentError``), never a traceback.

Fixing the metadata works on a phone without typing a command: ✏️ sends a ForceReply prompt
that starts with the text's number (``✏️ #7``) and shows the current values as tap-to-copy
lines; the owner's reply changes only the fields it names. The number is read back from the
message replied to, so the flow keeps no state: it survives a restart and works on any replica.
``/describe 7 标题=… 讲话人=… 日期=2026-11-28 场合=…`` does the same in one line.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import date

from telegram import Document, ForceReply, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import CommandHandler, MessageHandler, filters

from content import SpeechFormatError
from content.controls import one_line, strip_controls
from content.formats import UnsupportedType
from content.formats.blocks import Metadata
from content.formats.isolated import import_isolated_async
from content.formats.limits import LimitError
from content.formats.titleblock import parse_date
from content.library import TextInfo, TextStatus, lacking, node_count, parse_body
from content.model import ORIGINAL, text_number
from content.naming import TextName
from handlers import callbacks as cb
from handlers import groups, render
from handlers.catalog import Html, Lang, tr
from handlers.common import in_group, lang_of, say, send
from handlers.context import BotApplication, BotContext
from handlers.preview import import_error, preview, refusal
from handlers.render import Screen
from handlers.store import TextRecord

log = logging.getLogger(__name__)

PROMPT = re.compile(r"^✏\ufe0f?\s*#(\d+)\b")
"""How the fix-metadata prompt starts in every language: the text's number is read back from it."""
MIME_SUFFIX = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
}
"""A file sent without a name is named by its type (the content decides anyway where it can)."""
CLEAR = frozenset({"", "-", "—", "－", "无"})
"""A field's value that clears it."""

_NAMES = {
    **dict.fromkeys(("标题", "题目", "讲话题目", "名称", "篇名", "title"), "title"),
    **dict.fromkeys(("讲话人", "讲话者", "作者", "发言人", "主讲人", "报告人", "speaker", "author"), "speaker"),
    **dict.fromkeys(("日期", "时间", "讲话时间", "讲话日期", "date"), "date"),
    **dict.fromkeys(("场合", "会议", "会议名称", "活动", "occasion"), "occasion"),
}
"""The names an owner types for each field: the prompt's own and the usual synonyms (no short
English word such as "time", which an English title may hold before a colon)."""
# A field name at the start or after a space or separator, then = or : (full-width too, as
# phone keyboards type them in Chinese); the longest name first (讲话时间 before 讲话人's 讲话…).
_FIELD = re.compile(r"(?<![^\s，,；;])(" + "|".join(sorted(_NAMES, key=len, reverse=True)) + r")\s*[=＝:：]",
                    re.IGNORECASE)
_ANY_FIELD = re.compile(r"(?<![^\s，,；;])([^\s=＝:：，,；;]{1,12}?)\s*[=＝]")
"""Any ``name=`` (with an equals sign: a title may hold a colon): a name that is none of ``_NAMES``
is refused, so ``年份=2023`` does not silently end up in the title before it."""


class BadDate(ValueError):
    """A date field that names no date."""


class UnknownField(ValueError):
    """A ``name=`` whose name is no field (``年份=2023``)."""


@dataclass(frozen=True)
class Description:
    """The fields an owner's description names (absent: unchanged; None: cleared)."""

    fields: dict[str, str | date | None]

    def apply(self, info: TextInfo) -> Metadata:
        """``info``'s metadata with the named fields replaced."""
        current: dict[str, str | date | None] = {"title": info.title, "speaker": info.speaker, "date": info.date,
                                                 "occasion": info.occasion}
        merged = {**current, **self.fields}
        day = merged["date"]
        return Metadata(title=_str(merged["title"]), speaker=_str(merged["speaker"]),
                        date=day if isinstance(day, date) else None, occasion=_str(merged["occasion"]))


def _str(value: str | date | None) -> str | None:
    return value if isinstance(value, str) else None


def describe_fields(raw: str) -> Description:
    """``标题=… 讲话人=… 日期=2026-11-28 场合=…`` (one per line or on one line, Chinese or English
    names and their synonyms, = or :) as a ``Description``; raises ``BadDate`` for a date it
    cannot read and ``UnknownField`` for a ``name=`` that names no field. Control characters (a
    NUL, an ESC) are no part of any value."""
    raw = strip_controls(raw)
    unknown = [match[1] for match in _ANY_FIELD.finditer(raw) if match[1].lower() not in _NAMES]
    if unknown:
        raise UnknownField("、".join(dict.fromkeys(unknown)))
    found = list(_FIELD.finditer(raw))
    fields: dict[str, str | date | None] = {}
    ends = [match.start() for match in found[1:]] + [len(raw)] if found else []
    for match, end in zip(found, ends, strict=True):
        name = _NAMES[match[1].lower()]
        value = raw[match.end(): end].strip(" \t\r\n\u3000，,；;")
        value = " ".join(value.split())
        if value in CLEAR:
            fields[name] = None
        elif name == "date":
            day = parse_date(value)
            if day is None:
                raise BadDate(value)
            fields[name] = day
        else:
            fields[name] = value
    return Description(fields)


def _owner(update: Update, context: BotContext) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.bot_data.owners


def _size(size: int) -> str:
    """A file size as people read it: 6.2 MB, 850 KB."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


def _file_name(document: Document) -> str:
    return document.file_name or "document" + MIME_SUFFIX.get(document.mime_type or "", "")


async def _download(update: Update, context: BotContext, document: Document) -> bytes | None:
    """The document's bytes, or None after telling the owner why not (too large, not served)."""
    limit = context.bot_data.max_upload_bytes
    if document.file_size is not None and document.file_size > limit:
        await say(update, context, "upload_too_large", size=_size(document.file_size), limit=_size(limit))
        return None
    try:
        file = await document.get_file()
        data = bytes(await file.download_as_bytearray())
    except TelegramError as error:  # Telegram serves files up to 20 MB: "file is too big"
        log.warning("an uploaded document could not be downloaded: %s", error)
        await say(update, context, "upload_download_failed", reason=str(error))
        return None
    if len(data) > limit:
        await say(update, context, "upload_too_large", size=_size(len(data)), limit=_size(limit))
        return None
    return data


async def receive_document(update: Update, context: BotContext) -> None:
    """An owner's document in private: download, import (in a child process), store as a draft, preview."""
    message = update.effective_message
    assert message is not None and message.document is not None
    if not _owner(update, context):
        await say(update, context, "unknown_command")  # exactly what an unknown command gets in private
        return
    if not context.bot_data.persistent:
        await say(update, context, "upload_no_store")
        return
    data = await _download(update, context, message.document)
    if data is None:
        return
    name = one_line(_file_name(message.document)) or "document"
    try:
        async with context.bot_data.import_slots:
            imported = await import_isolated_async(data, name, context.bot_data.import_limits)
    except UnsupportedType:
        await say(update, context, "upload_wrong_kind", name=name)
        return
    except LimitError as error:
        await send(update, context, [Screen(refusal(lang_of(update), name, error))])
        return
    except SpeechFormatError as error:  # DocumentError: one line naming the file and the place
        log.info("an upload could not be imported: %s", error)
        await say(update, context, "upload_failed", error=import_error(lang_of(update), error))
        return
    user = update.effective_user
    info, new = await context.texts.add(imported.body, imported.metadata, name, node_count(imported.speech),
                                        added_by=user.id if user else None, status=TextStatus.DRAFT)
    log.info("text %d uploaded (%s, %s)", info.id, imported.format, "new" if new else "known")
    lang = lang_of(update)
    screens = [] if new else [screen for screen in [offer(lang, info, imported.metadata)] if screen]
    if info.status == TextStatus.LIVE:
        await say(update, context, "upload_exists_live", id=info.id, title=info.title or TextName(info, lang).short)
        await send(update, context, screens)
        return
    await send(update, context, [preview(lang, info, imported.speech, imported.notes, again=not new), *screens])


def missing(info: TextInfo, metadata: Metadata) -> dict[str, str]:
    """The details ``metadata`` (a file sent again) gives that text ``info`` has none of yet, as
    an owner types them (a date in ISO form)."""
    found = lacking(info, metadata.title, metadata.speaker, metadata.date, metadata.occasion)
    return {name: value.isoformat() if isinstance(value, date) else value for name, value in found.items()}


def offer(lang: Lang, info: TextInfo, metadata: Metadata) -> Screen | None:
    """The same body sent again in a file with a title block: offer the details the text lacks.
    The offered values are the message's own ``name=value`` lines, read back when the button is
    pressed, so the offer keeps no state (it survives a restart and works on any replica)."""
    details = missing(info, metadata)
    if not details:
        return None
    lines = [tr(lang, "upload_offer_title", value=details["title"]) if "title" in details else "",
             tr(lang, "upload_offer_speaker", value=details["speaker"]) if "speaker" in details else "",
             tr(lang, "upload_offer_date", value=details["date"]) if "date" in details else "",
             tr(lang, "upload_offer_occasion", value=details["occasion"]) if "occasion" in details else ""]
    body = tr(lang, "upload_offer", id=info.id, fields=Html("\n".join(line for line in lines if line)))
    return Screen(body, [[render.button(tr(lang, "btn_text_take"), cb.TextAction("take", info.id))]])


async def _take(update: Update, context: BotContext, text_id: int) -> None:
    """The offer's button: the details its message shows, into the fields the text still lacks."""
    query = update.callback_query
    assert query is not None
    lang = lang_of(update)
    record = await context.texts.text(text_id)
    message = query.message if isinstance(query.message, Message) else None
    if record is None or message is None:
        await query.answer(tr(lang, "upload_gone", id=text_id), show_alert=True)
        return
    shown = "\n".join(line for line in (message.text or "").splitlines() if _FIELD.match(line))
    try:
        offered = describe_fields(shown).fields
    except (BadDate, UnknownField):
        offered = {}
    current = {"title": record.info.title, "speaker": record.info.speaker, "date": record.info.date,
               "occasion": record.info.occasion}
    taken: dict[str, str | date | None] = {name: value for name, value in offered.items()
                                           if value is not None and not current[name]}
    try:  # one press takes them: the button goes
        await message.edit_reply_markup(reply_markup=None)
    except BadRequest as error:
        log.info("the offer's button stays: %s", error.message)
    if not taken:
        await query.answer(tr(lang, "upload_offer_nothing", id=text_id), show_alert=True)
        return
    await query.answer(tr(lang, "upload_offer_taken"))
    info = await context.texts.describe(text_id, Description(taken).apply(record.info))
    if info is None:
        return
    if context.library.get(text_id) is not None or text_id == ORIGINAL:
        context.library.add(info, record.body)
    speech = await asyncio.to_thread(parse_body, info, record.body)
    await send(update, context, [preview(lang, info, speech)])


async def press(update: Update, context: BotContext, data: cb.TextAction) -> None:
    """The preview's buttons; only owners may press them (anyone else: a stale button)."""
    query = update.callback_query
    assert query is not None
    lang = lang_of(update)
    texts = context.texts
    if not _owner(update, context):
        await query.answer(tr(lang, "stale_button"))
        return
    if data.action == "pub":
        await _publish(update, context, data.text_id)
    elif data.action == "take":
        await _take(update, context, data.text_id)
    elif data.action == "del":
        if await texts.discard(data.text_id):
            await query.answer()
            await _replace(update, context, tr(lang, "upload_discarded", id=data.text_id))
            return
        record = await texts.text(data.text_id)
        await query.answer(tr(lang, "upload_gone", id=data.text_id) if record is None
                           else tr(lang, "upload_not_draft", id=data.text_id), show_alert=True)
    else:
        record = await texts.text(data.text_id)
        if record is None:
            await query.answer(tr(lang, "upload_gone", id=data.text_id), show_alert=True)
            return
        await query.answer()
        await _prompt(update, context, record.info)


async def _replace(update: Update, context: BotContext, html: Html) -> None:
    """The pressed preview becomes ``html`` without buttons (a discarded draft is no preview);
    a preview too old to edit stays, and ``html`` comes as a new message."""
    query = update.callback_query
    message = query.message if query is not None else None
    if isinstance(message, Message):
        try:
            await message.edit_text(html, reply_markup=None)
            return
        except BadRequest as error:
            log.info("the preview stays: %s", error.message)
    await send(update, context, [Screen(html)])


async def _publish(update: Update, context: BotContext, text_id: int) -> None:
    """Live at once (every replica sees it); its services are then built in the background
    (``_build``) and the owner told when they are ready."""
    query = update.callback_query
    assert query is not None
    lang = lang_of(update)
    info = await context.texts.set_status(text_id, TextStatus.LIVE)
    record = await context.texts.text(text_id) if info is not None else None
    if info is None or record is None:
        await query.answer(tr(lang, "upload_gone", id=text_id), show_alert=True)
        return
    await query.answer(tr(lang, "upload_publishing"))
    if isinstance(query.message, Message) and query.message.reply_markup is not None:
        try:  # one press publishes: the buttons go
            await query.message.edit_reply_markup(reply_markup=None)
        except BadRequest as error:
            log.info("the preview's buttons stay: %s", error.message)
    # Seconds to a minute for a long text: not inside the update, which would hold its slot (and
    # the owner's next message) that long; a shutdown waits for it (PTB awaits its tasks).
    context.application.create_task(_build(update, context, record), update=update, name=f"publish-{text_id}")


async def _build(update: Update, context: BotContext, record: TextRecord) -> None:
    """Build a published text's services once, here: the embeddings, the summaries and the 慎
    ranking (cached on disk by content), so no member waits for them; then tell the owner."""
    info = record.info
    try:
        book = context.library.add(info, record.body)
        await asyncio.to_thread(book.ready)
    except Exception:  # the text is live: its services are built on first use instead
        log.exception("text %d is live but its services could not be built now", info.id)
    await say(update, context, "upload_published", id=info.id,
              title=info.title or TextName(info, lang_of(update)).short)


async def _prompt(update: Update, context: BotContext, info: TextInfo) -> None:
    """The ForceReply that asks for the metadata, the current values ready to copy."""
    chat = update.effective_chat
    assert chat is not None
    lang = lang_of(update)
    fields = tr(lang, "describe_fields", title=info.title or "", speaker=info.speaker or "",
                  date=info.date.isoformat() if info.date else "", occasion=info.occasion or "")
    await context.bot.send_message(chat.id, tr(lang, "describe_prompt", id=info.id, fields=fields),
                                   reply_markup=ForceReply(selective=True,
                                                           input_field_placeholder=tr(lang, "describe_placeholder")))


async def _describe(update: Update, context: BotContext, text_id: int, raw: str, prompted: bool = False) -> None:
    """Apply an owner's description to text ``text_id`` and show its preview again. A reply to
    the ✏️ prompt that cannot be read is answered and then prompted again, so the next reply
    still lands (a reply to the answer would be a search)."""
    if not context.bot_data.persistent:
        await say(update, context, "upload_no_store")
        return
    record = await context.texts.text(text_id)
    if record is None:  # a discarded draft leaves no row either: it does not exist, whatever it was
        await say(update, context, "describe_unknown", id=text_id)
        return
    try:
        description = describe_fields(raw)
    except BadDate as error:
        await say(update, context, "describe_bad_date", value=str(error))
        description = None
    except UnknownField as error:
        await say(update, context, "describe_unknown_field", names=str(error))
        description = None
    if description is not None and not description.fields:
        await say(update, context, "describe_no_fields" if prompted else "usage_describe")
        description = None
    if description is None:
        if prompted:
            await _prompt(update, context, record.info)
        return
    info = await context.texts.describe(text_id, description.apply(record.info))
    if info is None:
        await say(update, context, "upload_gone", id=text_id)
        return
    if context.library.get(text_id) is not None:  # in memory here: its title changed with it
        context.library.add(info, record.body)
    try:
        speech = await asyncio.to_thread(parse_body, info, record.body)
    except SpeechFormatError:
        log.exception("text %d is stored but does not parse", text_id)
        await say(update, context, "upload_gone", id=text_id)
        return
    await send(update, context, [preview(lang_of(update), info, speech)])


async def describe_command(update: Update, context: BotContext) -> None:
    """``/describe 7 标题=… 讲话人=… 日期=… 场合=…``: the owner's, in private (anyone else, or in
    a group: an unknown command)."""
    if not _owner(update, context) or in_group(update):
        await groups.unknown_command(update, context)
        return
    args = context.args or []
    number = text_number(args[0]) if args else None
    if number is None or len(args) < 2:
        await say(update, context, "usage_describe")
        return
    message = update.effective_message
    assert message is not None and message.text is not None
    raw = message.text.split(None, 2)[2] if len(message.text.split(None, 2)) > 2 else ""
    await _describe(update, context, number, raw)


async def describe_reply(update: Update, context: BotContext) -> None:
    """The owner's reply to the ✏️ prompt (only owners ever get one)."""
    message = update.effective_message
    assert message is not None and message.text is not None
    reply = message.reply_to_message
    found = PROMPT.match(reply.text or "") if reply is not None else None
    if found is None or not _owner(update, context):
        await say(update, context, "unknown_command")
        return
    await _describe(update, context, int(found[1]), message.text, prompted=True)


class _AnswersPrompt(filters.MessageFilter):
    """A message replying to the bot's ✏️ prompt."""

    def filter(self, message: Message) -> bool:
        reply = message.reply_to_message
        author = reply.from_user if reply is not None else None
        return bool(reply is not None and author is not None and author.is_bot and PROMPT.match(reply.text or ""))


def register(app: BotApplication) -> None:
    """Before the private plain-text search: a reply to the prompt is a description, not a query."""
    new = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(new & filters.Document.ALL, receive_document))
    app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND & _AnswersPrompt(), describe_reply))
    app.add_handler(CommandHandler("describe", describe_command, filters=filters.UpdateType.MESSAGE))
