"""A local fake of the Telegram Bot API: an aiohttp app on 127.0.0.1 that speaks the real HTTP
protocol, validates what Telegram validates, and records every call.

Used by the tests, ``speechbot console`` and the benchmarks. Point the bot at it with
``TELEGRAM_API_BASE_URL=http://127.0.0.1:PORT/bot``. Users are played by ``users`` (mixed in),
Telegram's failures injected by ``faults``, requests checked by ``validate``; what it records
(``Call``, ``Sent``, ``Upload``) is in ``records``.

Methods: getMe, getUpdates (long poll), sendMessage, sendPhoto, sendPoll, editMessageText,
editMessageReplyMarkup, answerCallbackQuery, answerInlineQuery, setMyCommands, getMyCommands, deleteWebhook,
setWebhook, getChatMember, getChatMemberCount, sendDocument, setMessageReaction, getFile, createForumTopic,
closeForumTopic, reopenForumTopic, deleteForumTopic, close, logOut; any other method is a 404 "method not
found", as Telegram answers.

Forums (supergroups with topics, ``forum``): their chat object says ``is_forum``; a message sent
with ``message_thread_id`` lands in that topic and comes back with it and ``is_topic_message``; a
send to a closed topic is "Bad Request: TOPIC_CLOSED", to a deleted or unknown one, to General
by id (1) or to a chat without topics "Bad Request: message thread not found", as Telegram answers.
Files (a document a user sent, a photo the bot uploaded) download from ``/file/bot<token>/<file_path>``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import secrets
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import cast
from urllib.parse import unquote

from aiohttp import web
from telegram.constants import ChatMemberStatus, ChatType

from bot.fake.faults import Faults, FloodLimits
from bot.fake.records import Call, Sent, Topic, Upload
from bot.fake.users import SimulatedUsers, chat_member
from bot.fake.validate import ApiError, as_int, check_markup, check_text, parse_html, utf16_len
from bot.fake.wire import (
    JSON,
    BotCommand,
    Chat,
    ChatMember,
    File,
    Message,
    Params,
    Poll,
    ReactionType,
    Response,
    Result,
    Update,
    User,
)

STRING_FIELDS = frozenset({
    "text", "caption", "query", "inline_query_id", "callback_query_id", "secret_token", "url",
    "language_code", "parse_mode", "question", "description", "title", "next_offset", "switch_pm_text",
    "switch_pm_parameter", "business_connection_id", "message_effect_id", "inline_message_id", "name",
    "icon_custom_emoji_id",
})


CAPTION_LIMIT = 1024
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses larger files (Bot API: "up to 20 MB in size")


class FakeBotAPI(Faults, SimulatedUsers):
    """The fake server, its fault injector, and helpers that play users in chats."""

    def __init__(self, token: str = "123456:TEST-TOKEN-fake-bot-api", username: str = "speech_test_bot",
                 flood: FloodLimits | None = None, record: bool = True) -> None:
        self.token = token
        self.record = record  # False: keep no history of calls and messages (long benchmarks)
        self.sends = 0  # sendMessage calls answered with success
        self.uploads = 0  # photos uploaded (sendPhoto with a file, not a file_id)
        self.files: dict[str, bytes] = {}  # file_id → the uploaded bytes (the bot's photos, users' documents)
        self.file_paths: dict[str, str] = {}  # file_id → its file_path, once getFile named it
        self.polls: dict[str, Poll] = {}  # poll id → the poll as sent
        # In the ids the bot may store (polls, photos' file_ids): unique to this fake, as Telegram's
        # are, so a database kept from an earlier run (the console's) never meets one it holds.
        self.run = secrets.token_hex(4)
        self.bot_user = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "SpeechBot",
                         "username": username, "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": True}
        self.calls: list[Call] = []
        self.sent: dict[tuple[int, int], Sent] = {}
        self.by_chat: dict[int, list[Sent]] = defaultdict(list)
        self.commands: dict[str, list[BotCommand]] = {}
        self.admins: dict[int, set[int]] = defaultdict(set)
        self.forums: dict[int, dict[int, Topic]] = {}  # supergroups with topics → their topics by thread id
        self.chat_users: dict[int, set[int]] = defaultdict(set)  # who wrote in each chat
        self.titles: dict[int, str] = {}  # a group's title (default: Group <id>)
        self.member_counts: dict[int, int] = {}  # a group's size as getChatMemberCount answers it
        self.unstarted: set[int] = set()  # users who never started the bot: a private send is 403
        self.reactions_off: set[int] = set()  # chats where reactions are not allowed
        self.reactions: dict[tuple[int, int], list[ReactionType]] = {}  # (chat, message) → the bot's reaction
        Faults.__init__(self, flood)
        self._updates: list[Update] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._query_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._listeners: list[Callable[[Call], None]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- server ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self, port: int = 0) -> str:
        """Listen on 127.0.0.1 (a free port unless given); return the API base URL."""
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = cast(asyncio.Server | None, site._server)  # aiohttp types it as the abstract base
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        return self.base_url

    async def stop(self) -> None:
        self._new_update.set()
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    def listen(self, callback: Callable[[Call], None]) -> None:
        """Call ``callback`` after every recorded call (the console prints from here)."""
        self._listeners.append(callback)

    async def _params(self, request: web.Request) -> dict[str, object]:
        params: dict[str, object] = dict(request.query)
        if request.content_type == "application/json":  # as a form: string values may hold JSON
            body = await request.json()
            for key, value in (body or {}).items():
                if isinstance(value, str) and key not in STRING_FIELDS:
                    with contextlib.suppress(ValueError):
                        value = json.loads(value)
                params[key] = value
            return params
        if request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):  # an upload: keep its bytes
                    params[key] = Upload(value.filename or "", value.file.read())
                    continue
                if key in STRING_FIELDS:
                    params[key] = value
                else:
                    try:
                        params[key] = json.loads(value)
                    except ValueError:
                        params[key] = value
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        # The bot's parameters, taken at the Bot API's types as Telegram would have checked them.
        params = cast(Params, await self._params(request))
        call = Call(method, params, time.monotonic())
        handler: Callable[[Params], Awaitable[Result]] | None = getattr(self, "_api_" + method.lower(), None)
        try:
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            hold = self.inject(method, params)
            if self.delay and method == "sendMessage":
                await asyncio.sleep(self.delay)
            result = await handler(params)
            call.response = result
            if hold == float("inf"):  # acted on it, then the connection drops: no answer at all
                self._count(method, call)
                assert request.transport is not None
                request.transport.abort()
                raise web.HTTPInternalServerError()  # never reaches the client: the socket is gone
            if hold:
                await asyncio.sleep(hold)
            body: Response = {"ok": True, "result": result}
            status = 200
        except ApiError as exc:
            call.error = exc
            body = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            status = exc.code
        self._count(method, call)
        return web.json_response(body, status=status)

    async def _download(self, request: web.Request) -> web.Response:
        """A file by the ``file_path`` getFile gave (Telegram keeps it an hour; the fake, for ever)."""
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        path = request.match_info["path"]
        file_id = next((key for key, value in self.file_paths.items() if value == path), None)
        if file_id is None or file_id not in self.files:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.Response(body=self.files[file_id], content_type="application/octet-stream")

    def _count(self, method: str, call: Call) -> None:
        if method == "sendMessage" and call.error is None:
            self.sends += 1
        if method.lower() != "getupdates" and self.record:
            self.calls.append(call)
            for listener in self._listeners:
                listener(call)

    # --- API methods -------------------------------------------------------------------------

    async def _api_getme(self, params: Params) -> User:
        return self.bot_user

    async def _api_deletewebhook(self, params: Params) -> bool:
        return True

    async def _api_setwebhook(self, params: Params) -> bool:
        return True

    async def _api_close(self, params: Params) -> bool:
        return True

    async def _api_logout(self, params: Params) -> bool:
        return True

    async def _api_getupdates(self, params: Params) -> list[Update]:
        offset = as_int(params.get("offset")) or 0
        timeout = min(float(params.get("timeout") or 0), 1.0)  # short polls keep shutdown quick
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        limit = as_int(params.get("limit")) or 100
        return self._updates[:limit]

    async def _api_setmycommands(self, params: Params) -> bool:
        commands = params.get("commands") or []
        if not 1 <= len(commands) <= 100:
            raise ApiError(400, "Bad Request: too many commands")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: command description is too long")
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        self.commands[f"{scope}|{params.get('language_code') or ''}"] = commands
        return True

    async def _api_getmycommands(self, params: Params) -> list[BotCommand]:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        return self.commands.get(f"{scope}|{params.get('language_code') or ''}", [])

    def _chat(self, chat_id: int) -> Chat:
        kind = (ChatType.PRIVATE if chat_id > 0
                else ChatType.SUPERGROUP if chat_id < -1_000_000_000_000 else ChatType.GROUP)
        chat: Chat = {"id": chat_id, "type": kind.value}
        if kind == ChatType.PRIVATE:
            chat["first_name"] = "User"
        else:
            chat["title"] = self.titles.get(chat_id, f"Group {chat_id}")
        if chat_id in self.forums:
            chat["is_forum"] = True
        return chat

    def forum(self, chat_id: int) -> None:
        """Make ``chat_id`` (a supergroup) a forum: topics may be opened in it. Its General topic
        takes message id 1, so no topic has thread id 1 (sent to by id, General is "not found")."""
        assert chat_id < -1_000_000_000_000, "only supergroups have topics"
        if chat_id not in self.forums:
            self.forums[chat_id] = {}
            if chat_id not in self._message_ids:
                next(self._message_ids[chat_id])

    def _topic(self, chat_id: int, thread: int | None) -> Topic:
        """The topic ``thread`` of forum ``chat_id`` (closed or not), or Telegram's error."""
        topic = self.forums.get(chat_id, {}).get(thread or 0)
        if topic is None or topic.deleted:
            raise ApiError(400, "Bad Request: message thread not found")
        return topic

    def _thread(self, params: Params, chat_id: int) -> int | None:
        """The topic a send goes to (None: General, or a chat without topics), or Telegram's error:
        a thread id names a live, open topic of a forum."""
        thread = as_int(params.get("message_thread_id"))
        if thread is None:
            return None
        if self._topic(chat_id, thread).closed:
            raise ApiError(400, "Bad Request: TOPIC_CLOSED")
        return thread

    def open_topic_by(self, chat_id: int, name: str) -> Topic:
        """A new topic in forum ``chat_id``: its thread id is the id its service message takes."""
        if chat_id not in self.forums:
            raise ApiError(400, "Bad Request: the chat is not a forum")
        if not 1 <= len(name) <= 128:
            raise ApiError(400, "Bad Request: TOPIC_TITLE_EMPTY" if not name else "Bad Request: TOPIC_TITLE_INVALID")
        topic = Topic(next(self._message_ids[chat_id]), name)
        self.forums[chat_id][topic.thread] = topic
        return topic

    def _reachable(self, chat_id: int) -> None:
        """Telegram refuses a bot's first message to a user who never started it."""
        if chat_id in self.unstarted:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")

    async def _api_sendmessage(self, params: Params) -> Message:
        chat_id = as_int(params.get("chat_id"))
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        self._reachable(chat_id)
        raw, plain = check_text(params)
        markup = check_markup(params.get("reply_markup"), chat_id)
        thread = self._thread(params, chat_id)
        message_id = next(self._message_ids[chat_id])
        sent = Sent(chat_id, message_id, raw, plain, markup, thread=thread)
        if self.record:
            self.sent[(chat_id, message_id)] = sent
            self.by_chat[chat_id].append(sent)
        return self._message(sent)

    async def _api_sendpoll(self, params: Params) -> Message:
        """A poll, checked against the Bot API's limits (a quiz needs its correct option)."""
        chat_id = as_int(params.get("chat_id"))
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        question = params.get("question") or ""
        options = [o if isinstance(o, str) else (o or {}).get("text", "") for o in params.get("options") or []]
        if not 1 <= len(question) <= 300:
            raise ApiError(400, "Bad Request: POLL_QUESTION_INVALID")
        if not 2 <= len(options) <= 10 or any(not 1 <= len(o) <= 100 for o in options):
            raise ApiError(400, "Bad Request: POLL_OPTION_INVALID")
        explanation = params.get("explanation") or ""
        if len(explanation) > 200 or explanation.count("\n") > 2:
            raise ApiError(400, "Bad Request: explanation is too long")
        kind = params.get("type") or "regular"
        ids = params.get("correct_option_ids")
        correct = ids[0] if isinstance(ids, list) and len(ids) == 1 else as_int(params.get("correct_option_id"))
        if kind == "quiz" and (not isinstance(correct, int) or not 0 <= correct < len(options)):
            raise ApiError(400, "Bad Request: wrong correct option ID specified")
        anonymous = params.get("is_anonymous") not in (False, "false", "False")
        thread = self._thread(params, chat_id)
        message_id = next(self._message_ids[chat_id])
        poll: Poll = {"id": f"poll-{self.run}-{chat_id}-{message_id}", "question": question,
                "options": [{"text": o, "voter_count": 0, "persistent_id": str(n)} for n, o in enumerate(options)],
                "total_voter_count": 0,
                "is_closed": False, "is_anonymous": anonymous, "type": kind, "allows_multiple_answers": False,
                "allows_revoting": False, "members_only": False}  # required since Bot API 9.6 / 10.0
        if kind == "quiz" and correct is not None:
            poll["correct_option_ids"] = [correct]
            poll["explanation"] = explanation
        self.polls[str(poll["id"])] = poll
        message: Message = {"message_id": message_id, "from": self.bot_user, "chat": self._chat(chat_id),
                            "date": int(time.time()), "poll": poll}
        if thread is not None:
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        return message

    async def _api_sendphoto(self, params: Params) -> Message:
        """A photo by upload (counted in ``uploads``, stored under a new file_id) or by the
        file_id of an earlier upload; the caption is checked like a message text."""
        chat_id = as_int(params.get("chat_id"))
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        photo = params.get("photo")
        if isinstance(photo, Upload):
            if not photo.content.startswith(b"\x89PNG") and not photo.content.startswith(b"\xff\xd8"):
                raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
            self.uploads += 1
            file_id = f"AgACAgFAKE-{self.run}-{self.uploads}-{len(photo.content)}"
            self.files[file_id] = photo.content
        elif isinstance(photo, str) and photo in self.files:
            file_id = photo
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        return self._file_message(params, chat_id, photo=file_id)

    async def _api_senddocument(self, params: Params) -> Message:
        """A document by upload (kept under a new file_id, with its name) or by an earlier
        upload's file_id; at most 50 MB, as bots may send; the caption is checked like a text."""
        chat_id = as_int(params.get("chat_id"))
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        self._reachable(chat_id)
        document = params.get("document")
        if isinstance(document, Upload):
            if not document.content:
                raise ApiError(400, "Bad Request: file must be non-empty")
            if len(document.content) > 50 * 1024 * 1024:
                raise ApiError(400, "Bad Request: file is too big")
            file_id = f"BQACAgFAKE-{self.run}-{len(self.files) + 1}-{len(document.content)}"
            self.files[file_id] = document.content
            name = unquote(document.filename)  # the multipart filename, percent-encoded by the client
        elif isinstance(document, str) and document in self.files:
            file_id, name = document, ""
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        return self._file_message(params, chat_id, document=file_id, file_name=name)

    def _file_message(self, params: Params, chat_id: int, photo: str | None = None, document: str | None = None,
                      file_name: str = "") -> Message:
        """The message a photo or a document makes in ``chat_id``: its caption checked like a
        message text, its keyboard and topic as ``params`` give them."""
        raw = params.get("caption") or ""
        plain = parse_html(raw) if raw and (params.get("parse_mode") or "").upper() == "HTML" else raw
        if utf16_len(plain) > CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")
        markup = check_markup(params.get("reply_markup"), chat_id)
        thread = self._thread(params, chat_id)
        message_id = next(self._message_ids[chat_id])
        sent = Sent(chat_id, message_id, raw, plain, markup, photo=photo, thread=thread, document=document,
                    file_name=file_name)
        if self.record:
            self.sent[(chat_id, message_id)] = sent
            self.by_chat[chat_id].append(sent)
        return self._message(sent)

    async def _api_getchatmembercount(self, params: Params) -> int:
        """The number of members in a chat: as set in ``member_counts``, else the bot and
        everyone who wrote there."""
        chat_id = as_int(params.get("chat_id"))
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        return self.member_counts.get(chat_id, 1 + len(self.chat_users[chat_id]))

    async def _api_setmessagereaction(self, params: Params) -> bool:
        """The bot's reaction on a message (one emoji); 400 REACTION_INVALID where the chat allows none."""
        chat_id, message_id = as_int(params.get("chat_id")), as_int(params.get("message_id"))
        if chat_id is None or message_id is None:
            raise ApiError(400, "Bad Request: message to react not found")
        given = params.get("reaction") or []
        reaction: list[ReactionType] = json.loads(given) if isinstance(given, str) else given
        if chat_id in self.reactions_off or len(reaction) > 1 or any(
                r.get("type") != "emoji" or not r.get("emoji") for r in reaction):
            raise ApiError(400, "Bad Request: REACTION_INVALID")
        self.reactions[(chat_id, message_id)] = reaction
        return True

    def _message(self, sent: Sent) -> Message:
        message: Message = {"message_id": sent.message_id, "from": self.bot_user, "chat": self._chat(
            sent.chat_id), "date": int(time.time())}
        if sent.photo:
            message["photo"] = [{"file_id": sent.photo, "file_unique_id": sent.photo[-12:], "width": 1080,
                                 "height": 1350}]
            if sent.text:
                message["caption"] = sent.text
        elif sent.document:
            message["document"] = {"file_id": sent.document, "file_unique_id": sent.document[-12:],
                                   "file_name": sent.file_name, "file_size": len(self.files.get(sent.document, b""))}
            if sent.text:
                message["caption"] = sent.text
        else:
            message["text"] = sent.text
        if sent.reply_markup and "inline_keyboard" in sent.reply_markup:  # a ForceReply is no part of a message
            message["reply_markup"] = sent.reply_markup
        if sent.thread is not None:
            message["message_thread_id"] = sent.thread
            message["is_topic_message"] = True
        return message

    async def _api_editmessagetext(self, params: Params) -> Message:
        chat_id = as_int(params.get("chat_id"))
        message_id = as_int(params.get("message_id"))
        sent = self.sent.get((chat_id or 0, message_id or 0))
        if sent is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        raw, plain = check_text(params)
        markup = check_markup(params.get("reply_markup"), chat_id)
        if raw == sent.html and markup == sent.reply_markup:
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and "
                                "reply markup are exactly the same as a current content and reply markup of the "
                                "message")
        sent.html, sent.text, sent.reply_markup = raw, plain, markup
        sent.edits += 1
        return self._message(sent)

    async def _api_editmessagereplymarkup(self, params: Params) -> Message:
        """Only the keyboard changes (a ☆ that became ★); the same keyboard is "not modified"."""
        sent = self.sent.get((as_int(params.get("chat_id")) or 0, as_int(params.get("message_id")) or 0))
        if sent is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        markup = check_markup(params.get("reply_markup"), sent.chat_id)
        if markup == sent.reply_markup:
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and "
                                "reply markup are exactly the same as a current content and reply markup of the "
                                "message")
        sent.reply_markup = markup
        sent.edits += 1
        return self._message(sent)

    async def _api_answercallbackquery(self, params: Params) -> bool:
        if len(params.get("text") or "") > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    async def _api_answerinlinequery(self, params: Params) -> bool:
        results = params.get("results") or []
        if isinstance(results, str):
            results = json.loads(results)
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [r.get("id", "") for r in results]
        if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        for result in results:
            if result.get("type") == "photo":  # a cached photo: a file_id this bot uploaded
                if result.get("photo_file_id") not in self.files:
                    raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
                continue
            content = result.get("input_message_content") or {}
            check_text({"text": content.get("message_text"), "parse_mode": content.get("parse_mode")})
        return True

    async def _api_getfile(self, params: Params) -> File:
        """A file's ``file_path`` for the download; like Telegram, none for a file over 20 MB."""
        file_id = params.get("file_id")
        if not isinstance(file_id, str) or file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        size = len(self.files[file_id])
        if size > DOWNLOAD_LIMIT:
            raise ApiError(400, "Bad Request: file is too big")
        path = self.file_paths.setdefault(file_id, f"files/file_{len(self.file_paths)}")
        return {"file_id": file_id, "file_unique_id": file_id[-12:], "file_size": size, "file_path": path}

    async def _api_createforumtopic(self, params: Params) -> JSON:
        """A topic opened by the bot: the ForumTopic object (its service message is the bot's own,
        which Telegram does not deliver back to it)."""
        topic = self.open_topic_by(as_int(params.get("chat_id")) or 0, str(params.get("name") or ""))
        return {"message_thread_id": topic.thread, "name": topic.name, "icon_color": 7322096}

    async def _api_closeforumtopic(self, params: Params) -> bool:
        self._topic(as_int(params.get("chat_id")) or 0, as_int(params.get("message_thread_id"))).closed = True
        return True

    async def _api_reopenforumtopic(self, params: Params) -> bool:
        self._topic(as_int(params.get("chat_id")) or 0, as_int(params.get("message_thread_id"))).closed = False
        return True

    async def _api_deleteforumtopic(self, params: Params) -> bool:
        self._topic(as_int(params.get("chat_id")) or 0, as_int(params.get("message_thread_id"))).deleted = True
        return True

    async def _api_getchatmember(self, params: Params) -> ChatMember:
        chat_id = as_int(params.get("chat_id")) or 0
        user_id = as_int(params.get("user_id")) or 0
        user: User = {"id": user_id, "is_bot": False, "first_name": f"U{user_id}"}
        return chat_member(ChatMemberStatus.ADMINISTRATOR if user_id in self.admins[chat_id]
                           else ChatMemberStatus.MEMBER, user)

    def push(self, update: Update) -> Update:
        """Queue an update (an ``update_id`` is added) for the bot's next getUpdates."""
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._new_update.set()
        return update

    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == method and
                (chat_id is None or as_int(c.params.get("chat_id")) == chat_id)]
