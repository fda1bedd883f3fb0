"""Telegram's failures on request: 429 with retry_after, 403 blocked or kicked, 400 chat not
found, 400 migrated, 5xx, a slow server, a server that acts on a request and hangs up without
answering, and the flood limits (per bot per second, per group per minute; one fake serves
every replica of a bot, so they are the bot's limits as a whole). Applies to the sending
methods (sendMessage, editMessageText, sendPhoto, sendDocument)."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from dataclasses import dataclass
from enum import StrEnum

from bot.fake.validate import ApiError, as_int
from bot.fake.wire import Params


class FaultKind(StrEnum):
    """A failure the fake can inject; ``Rule.value`` is its parameter where it takes one."""

    RETRY_AFTER = "retry_after"
    """429 Too Many Requests, retry after ``value`` seconds."""
    FORBIDDEN = "forbidden"
    """403: the user blocked the bot."""
    KICKED = "kicked"
    """403: the bot was kicked from the group."""
    NOT_FOUND = "not_found"
    """400: chat not found."""
    MIGRATED = "migrated"
    """400: the group became the supergroup ``value``."""
    SERVER_ERROR = "server_error"
    """502 Bad Gateway."""
    SLOW_REPLY = "slow_reply"
    """Acted on, answered ``value`` seconds late."""
    HANG_UP = "hang_up"
    """Acted on, then the connection closed with no answer."""
    BAD_FILE = "bad_file"
    """400 for a photo sent by file_id: Telegram no longer knows it."""


@dataclass
class Rule:
    """A failure to inject for requests to ``chat_id`` (or every chat when None)."""

    kind: FaultKind
    chat_id: int | None = None
    value: float | int = 0
    times: int = 1  # how many requests it applies to; -1 forever


@dataclass
class FloodLimits:
    """Telegram's flood limits as the fake enforces them (off unless enabled)."""

    per_second: int = 30
    per_group_minute: int = 20


class Faults:
    """The fault injector the fake Bot API consults before answering a sending method."""

    def __init__(self, flood: FloodLimits | None = None) -> None:
        self.rules: list[Rule] = []
        self.flood = flood
        self.delay = 0.0  # seconds to hold every sendMessage (to catch a worker mid-broadcast)
        self.http_429 = 0
        self._global_window: deque[float] = deque()
        self._group_windows: dict[int, deque[float]] = defaultdict(deque)

    def fail(self, kind: FaultKind, chat_id: int | None = None, value: float = 0, times: int = 1) -> Rule:
        """Make the next ``times`` sends to ``chat_id`` fail as ``kind``; see ``Rule``. A kind
        may come by its name (``"hang_up"``); an unknown name is a ValueError."""
        rule = Rule(FaultKind(kind), chat_id, value, times)
        self.rules.append(rule)
        return rule

    def inject(self, method: str, params: Params) -> float:
        """Raise the ApiError a rule or the flood limits call for this request, if any; else
        return how long to hold the reply after acting on the request (``slow_reply``: the
        message is sent, but the answer comes late, as when Telegram is slow to respond;
        ``hang_up``: infinity, the message is sent and the connection closed with no answer)."""
        hold = 0.0
        if method not in ("sendMessage", "editMessageText", "sendPhoto", "sendDocument"):
            return hold
        chat_id = as_int(params.get("chat_id"))
        for rule in list(self.rules):
            if rule.chat_id not in (None, chat_id) or rule.times == 0:
                continue
            if rule.times > 0:
                rule.times -= 1
            if rule.kind == FaultKind.BAD_FILE:  # Telegram no longer knows a file_id
                if isinstance(params.get("photo"), str):
                    raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
                continue
            if rule.kind == FaultKind.SLOW_REPLY:
                hold = max(hold, float(rule.value))
                continue
            if rule.kind == FaultKind.HANG_UP:
                hold = float("inf")
                continue
            if rule.kind == FaultKind.RETRY_AFTER:
                self.http_429 += 1
                raise ApiError(429, f"Too Many Requests: retry after {int(rule.value)}",
                               {"retry_after": int(rule.value)})
            if rule.kind == FaultKind.FORBIDDEN:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if rule.kind == FaultKind.KICKED:
                raise ApiError(403, "Forbidden: bot was kicked from the group chat")
            if rule.kind == FaultKind.NOT_FOUND:
                raise ApiError(400, "Bad Request: chat not found")
            if rule.kind == FaultKind.MIGRATED:
                raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                               {"migrate_to_chat_id": int(rule.value)})
            if rule.kind == FaultKind.SERVER_ERROR:
                raise ApiError(502, "Bad Gateway")
        if self.flood and method in ("sendMessage", "sendPhoto"):
            self._check_flood(chat_id)
        return hold

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
