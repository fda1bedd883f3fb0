"""What the fake Bot API checks as Telegram does: HTML parse mode, text length, buttons."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.fake.wire import Params, ReplyMarkup, ResponseParameters

TEXT_LIMIT = 4096
CALLBACK_LIMIT = 64
PLACEHOLDER_LIMIT = 64  # a ForceReply's input_field_placeholder, in characters
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "tg-spoiler", "span", "blockquote", "tg-emoji"}


class ApiError(Exception):
    """A Bot API error response."""

    def __init__(self, code: int, description: str, parameters: ResponseParameters | None = None) -> None:
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
    """Length as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def as_int(value: object) -> int | None:
    """A numeric parameter as Telegram reads it (``"-100"`` or ``-100``), or None."""
    if not isinstance(value, str | int | float):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def check_text(params: Params) -> tuple[str, str]:
    """The message text as sent and as shown, or ApiError as Telegram would answer."""
    raw = params.get("text")
    if not isinstance(raw, str) or not raw.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    plain = parse_html(raw) if (params.get("parse_mode") or "").upper() == "HTML" else raw
    if not plain.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(plain) > TEXT_LIMIT:
        raise ApiError(400, "Bad Request: message is too long")
    return raw, plain


def check_markup(markup: ReplyMarkup | str | None, chat_id: int | None = None) -> ReplyMarkup | None:
    """The reply markup (an inline keyboard or a ForceReply), or ApiError for callback data over
    64 bytes, a button without text, a ForceReply placeholder over 64 characters, or a ``web_app``
    button that is not an HTTPS URL or is sent to a group (``chat_id`` < 0): Telegram allows Mini
    App buttons only in private chats."""
    if not markup:
        return None
    parsed: ReplyMarkup = json.loads(markup) if isinstance(markup, str) else markup
    if parsed.get("force_reply") and len(parsed.get("input_field_placeholder") or "") > PLACEHOLDER_LIMIT:
        raise ApiError(400, "Bad Request: input field placeholder is too long")
    for row in parsed.get("inline_keyboard", []):
        for btn in row:
            if "web_app" in btn:
                if chat_id is not None and chat_id < 0:
                    raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
                if not str((btn["web_app"] or {}).get("url", "")).startswith("https://"):
                    raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
            data = btn.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= CALLBACK_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if not btn.get("text"):
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
    return parsed
