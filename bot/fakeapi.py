"""A local fake of the Telegram Bot API: an aiohttp app on 127.0.0.1 that speaks the real HTTP
protocol, validates what Telegram validates, and records every call.

Used by the tests, ``speechbot console`` and the benchmarks. Point the bot at it with
``TELEGRAM_API_BASE_URL=http://127.0.0.1:PORT/bot``. It simulates users (messages, button
presses, inline queries, being added to or removed from groups, group→supergroup migration)
and, on request, Telegram's failures: 429 with retry_after, 403 blocked/kicked, 400 chat not
found, 400 migrated, 5xx, and flood limits (per-bot per second, per-group per minute).

Methods: getMe, getUpdates (long poll), sendMessage, editMessageText, answerCallbackQuery,
answerInlineQuery, setMyCommands, getMyCommands, deleteWebhook, setWebhook, getChatMember,
getChatAdministrators, sendPoll, close, logOut.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from typing import Any

from aiohttp import web

TEXT_LIMIT = 4096
CALLBACK_LIMIT = 64
STRING_FIELDS = frozenset({
    "text", "caption", "query", "inline_query_id", "callback_query_id", "secret_token", "url",
    "language_code", "parse_mode", "question", "description", "title", "next_offset", "switch_pm_text",
    "switch_pm_parameter", "business_connection_id", "message_effect_id", "inline_message_id",
})
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "tg-spoiler", "span", "blockquote", "tg-emoji"}
COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")


class ApiError(Exception):
    """A Bot API error response."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*?)?)\s*>|<")
_ENTITY = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")


def parse_html(text: str) -> str:
    """The plain text Telegram would show, or ApiError 400 "can't parse entities".

    Like Telegram: only its tags, properly nested and closed; only the four named entities
    and numeric ones; a lone ``<`` is an error."""
    if _ENTITY.search(text):
        raise ApiError(400, "Bad Request: can't parse entities: unsupported entity")
    stack: list[str] = []
    plain: list[str] = []
    position = 0
    for match in _TAG.finditer(text):
        plain.append(text[position : match.start()])
        position = match.end()
        if match.group(2) is None:
            raise ApiError(400, "Bad Request: can't parse entities: unexpected <")
        tag = match.group(2).lower()
        if tag not in ALLOWED_TAGS:
            raise ApiError(400, f"Bad Request: can't parse entities: Unsupported start tag \"{tag}\"")
        if match.group(1):
            if not stack or stack.pop() != tag:
                raise ApiError(400, f"Bad Request: can't parse entities: Can't find end tag \"{tag}\"")
        else:
            stack.append(tag)
    if stack:
        raise ApiError(400, "Bad Request: can't parse entities: unclosed tag")
    plain.append(text[position:])
    return unescape("".join(plain))


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float
    response: Any = None
    error: ApiError | None = None


@dataclass
class Sent:
    """A message the bot sent (and its current text after edits)."""

    chat_id: int
    message_id: int
    html: str
    text: str
    reply_markup: dict[str, Any] | None
    edits: int = 0

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b for row in rows for b in row]


@dataclass
class Rule:
    """A failure to inject for requests to ``chat_id`` (or every chat when None)."""

    kind: str  # retry_after, forbidden, not_found, migrated, server_error, slow
    chat_id: int | None = None
    value: float | int = 0
    times: int = 1  # how many requests it applies to; -1 forever


@dataclass
class FloodLimits:
    """Telegram's flood limits as the fake enforces them (off unless enabled)."""

    per_second: int = 30
    per_group_minute: int = 20


class FakeBotAPI:
    """The fake server plus helpers that play users in chats."""

    def __init__(self, token: str = "123456:TEST-TOKEN-fake-bot-api", username: str = "speech_test_bot",
                 flood: FloodLimits | None = None) -> None:
        self.token = token
        self.bot_user = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "SpeechBot",
                         "username": username, "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": True}
        self.calls: list[Call] = []
        self.sent: dict[tuple[int, int], Sent] = {}
        self.by_chat: dict[int, list[Sent]] = defaultdict(list)
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.admins: dict[int, set[int]] = defaultdict(set)
        self.rules: list[Rule] = []
        self.flood = flood
        self.delay = 0.0  # seconds to hold every sendMessage (to catch a worker mid-broadcast)
        self.http_429 = 0
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._query_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._listeners: list[Callable[[Call], None]] = []
        self._global_window: deque[float] = deque()
        self._group_windows: dict[int, deque[float]] = defaultdict(deque)
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
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = site._server
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

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            params.update(body or {})
            return params
        if request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if not isinstance(value, str):
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
        params = await self._params(request)
        call = Call(method, params, time.monotonic())
        handler = getattr(self, "_api_" + method.lower(), None)
        try:
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            self._inject(method, params)
            if self.delay and method == "sendMessage":
                await asyncio.sleep(self.delay)
            result = await handler(params)
            call.response = result
            body: dict[str, Any] = {"ok": True, "result": result}
            status = 200
        except ApiError as exc:
            call.error = exc
            body = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            status = exc.code
        if method.lower() != "getupdates":
            self.calls.append(call)
            for listener in self._listeners:
                listener(call)
        return web.json_response(body, status=status)

    # --- failures and flood control ----------------------------------------------------------

    def fail(self, kind: str, chat_id: int | None = None, value: float = 0, times: int = 1) -> Rule:
        """Make the next ``times`` sends to ``chat_id`` fail as ``kind``; see ``Rule``."""
        rule = Rule(kind, chat_id, value, times)
        self.rules.append(rule)
        return rule

    def _inject(self, method: str, params: dict[str, Any]) -> None:
        if method not in ("sendMessage", "editMessageText", "sendPoll"):
            return
        chat_id = _int(params.get("chat_id"))
        for rule in list(self.rules):
            if rule.chat_id not in (None, chat_id) or rule.times == 0:
                continue
            if rule.times > 0:
                rule.times -= 1
            if rule.kind == "retry_after":
                self.http_429 += 1
                raise ApiError(429, f"Too Many Requests: retry after {int(rule.value)}",
                               {"retry_after": int(rule.value)})
            if rule.kind == "forbidden":
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if rule.kind == "kicked":
                raise ApiError(403, "Forbidden: bot was kicked from the group chat")
            if rule.kind == "not_found":
                raise ApiError(400, "Bad Request: chat not found")
            if rule.kind == "migrated":
                raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                               {"migrate_to_chat_id": int(rule.value)})
            if rule.kind == "server_error":
                raise ApiError(502, "Bad Gateway")
        if self.flood and method == "sendMessage":
            self._check_flood(chat_id)

    def _check_flood(self, chat_id: int | None) -> None:
        assert self.flood is not None
        now = time.monotonic()
        window = self._global_window
        while window and now - window[0] >= 1.0:
            window.popleft()
        group = self._group_windows[chat_id] if chat_id is not None and chat_id < 0 else None
        if group is not None:
            while group and now - group[0] >= 60.0:
                group.popleft()
        if len(window) >= self.flood.per_second or (group is not None and len(group) >= self.flood.per_group_minute):
            self.http_429 += 1
            raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        window.append(now)
        if group is not None:
            group.append(now)

    # --- API methods -------------------------------------------------------------------------

    async def _api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    async def _api_deletewebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_setwebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_logout(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = _int(params.get("offset")) or 0
        timeout = min(float(params.get("timeout") or 0), 1.0)  # short polls keep shutdown quick
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        limit = _int(params.get("limit")) or 100
        return self._updates[:limit]

    async def _api_setmycommands(self, params: dict[str, Any]) -> bool:
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

    async def _api_getmycommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        return self.commands.get(f"{scope}|{params.get('language_code') or ''}", [])

    def _check_text(self, params: dict[str, Any]) -> tuple[str, str]:
        raw = params.get("text")
        if not isinstance(raw, str) or not raw.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        plain = parse_html(raw) if (params.get("parse_mode") or "").upper() == "HTML" else raw
        if not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(plain) > TEXT_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        return raw, plain

    def _check_markup(self, markup: Any) -> dict[str, Any] | None:
        if not markup:
            return None
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in markup.get("inline_keyboard", []):
            for btn in row:
                data = btn.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= CALLBACK_LIMIT:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not btn.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        return markup

    def _chat(self, chat_id: int) -> dict[str, Any]:
        kind = "private" if chat_id > 0 else ("supergroup" if chat_id < -1_000_000_000_000 else "group")
        chat: dict[str, Any] = {"id": chat_id, "type": kind}
        if kind == "private":
            chat["first_name"] = "User"
        else:
            chat["title"] = f"Group {chat_id}"
        return chat

    async def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _int(params.get("chat_id"))
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        raw, plain = self._check_text(params)
        markup = self._check_markup(params.get("reply_markup"))
        message_id = next(self._message_ids[chat_id])
        sent = Sent(chat_id, message_id, raw, plain, markup)
        self.sent[(chat_id, message_id)] = sent
        self.by_chat[chat_id].append(sent)
        return self._message(sent)

    def _message(self, sent: Sent) -> dict[str, Any]:
        message: dict[str, Any] = {"message_id": sent.message_id, "from": self.bot_user, "chat": self._chat(
            sent.chat_id), "date": int(time.time()), "text": sent.text}
        if sent.reply_markup:
            message["reply_markup"] = sent.reply_markup
        return message

    async def _api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _int(params.get("chat_id"))
        message_id = _int(params.get("message_id"))
        sent = self.sent.get((chat_id or 0, message_id or 0))
        if sent is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        raw, plain = self._check_text(params)
        markup = self._check_markup(params.get("reply_markup"))
        if raw == sent.html and markup == sent.reply_markup:
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and "
                                "reply markup are exactly the same as a current content and reply markup of the "
                                "message")
        sent.html, sent.text, sent.reply_markup = raw, plain, markup
        sent.edits += 1
        return self._message(sent)

    async def _api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        if len(params.get("text") or "") > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    async def _api_answerinlinequery(self, params: dict[str, Any]) -> bool:
        results = params.get("results") or []
        if isinstance(results, str):
            results = json.loads(results)
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [r.get("id", "") for r in results]
        if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        for result in results:
            content = result.get("input_message_content") or {}
            self._check_text({"text": content.get("message_text"), "parse_mode": content.get("parse_mode")})
        return True

    async def _api_getchatmember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _int(params.get("chat_id")) or 0
        user_id = _int(params.get("user_id")) or 0
        user = {"id": user_id, "is_bot": False, "first_name": f"U{user_id}"}
        return _member("administrator" if user_id in self.admins[chat_id] else "member", user)

    async def _api_sendpoll(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _int(params.get("chat_id")) or 0
        message_id = next(self._message_ids[chat_id])
        options = params.get("options") or []
        poll = {"id": str(message_id), "question": params.get("question", ""), "options": [
            {"text": o if isinstance(o, str) else o.get("text", ""), "voter_count": 0} for o in options],
            "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular",
            "allows_multiple_answers": False}
        return {"message_id": message_id, "chat": self._chat(chat_id), "date": int(time.time()), "poll": poll}

    # --- playing users -------------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (an ``update_id`` is added) for the bot's next getUpdates."""
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._new_update.set()
        return update

    @staticmethod
    def user(user_id: int = 1001, first_name: str = "李明", language_code: str = "zh-hans") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}

    def message(self, chat_id: int, user: dict[str, Any], text: str) -> dict[str, Any]:
        """A user's text message as Telegram delivers it (bot_command entities included)."""
        chat = self._chat(chat_id) if chat_id < 0 else {"id": chat_id, "type": "private",
                                                         "first_name": user["first_name"]}
        entities = []
        for match in COMMAND_RE.finditer(text):
            offset = utf16_len(text[: match.start()])
            entities.append({"type": "bot_command", "offset": offset, "length": utf16_len(match.group())})
        message: dict[str, Any] = {"message_id": next(self._message_ids[chat_id]), "from": user, "chat": chat,
                                   "date": int(time.time()), "text": text}
        if entities:
            message["entities"] = entities
        return self.push({"message": message})

    def press(self, sent: Sent, data: str, user: dict[str, Any]) -> dict[str, Any]:
        """A user pressing an inline button with ``data`` on the bot's message ``sent``."""
        return self.push({"callback_query": {"id": str(next(self._query_ids)), "from": user,
                                             "message": self._message(sent), "chat_instance": str(sent.chat_id),
                                             "data": data}})

    def inline_query(self, query: str, user: dict[str, Any]) -> dict[str, Any]:
        return self.push({"inline_query": {"id": str(next(self._query_ids)), "from": user, "query": query,
                                           "offset": "", "chat_type": "sender"}})

    def membership(self, chat_id: int, by: dict[str, Any], old: str, new: str) -> dict[str, Any]:
        """The bot's own status in ``chat_id`` changing from ``old`` to ``new`` (my_chat_member)."""
        return self.push({"my_chat_member": {
            "chat": self._chat(chat_id), "from": by, "date": int(time.time()),
            "old_chat_member": _member(old, self.bot_user),
            "new_chat_member": _member(new, self.bot_user),
        }})

    def migrate(self, old_chat_id: int, new_chat_id: int, by: dict[str, Any]) -> dict[str, Any]:
        """A group upgraded to a supergroup: the service message in the old chat."""
        return self.push({"message": {"message_id": next(self._message_ids[old_chat_id]), "from": by,
                                      "chat": self._chat(old_chat_id), "date": int(time.time()),
                                      "migrate_to_chat_id": new_chat_id}})

    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == method and
                (chat_id is None or _int(c.params.get("chat_id")) == chat_id)]


def _member(status: str, user: dict[str, Any]) -> dict[str, Any]:
    """A ChatMember object with the fields Telegram sends for ``status``."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "administrator":
        member.update({"can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
                       "can_delete_messages": True, "can_manage_video_chats": True, "can_restrict_members": True,
                       "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
                       "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False})
    elif status == "kicked":
        member["until_date"] = 0
    elif status == "restricted":
        member.update({"is_member": True, "until_date": 0, **{k: True for k in (
            "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos",
            "can_send_video_notes", "can_send_voice_notes", "can_send_polls", "can_send_other_messages",
            "can_add_web_page_previews", "can_change_info", "can_invite_users", "can_pin_messages",
            "can_manage_topics")}})
    elif status == "creator":
        member["is_anonymous"] = False
    return member


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
