"""What the fake Bot API records: the calls the bot made, the messages it sent, the files it
uploaded. Shared by the server (which records them) and the simulated users (who reply to and
press the buttons of the messages sent)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.fake.validate import ApiError


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
    photo: str | None = None  # the file_id of a photo message (text is then its caption)
    thread: int | None = None  # the forum topic it was sent to (None: General, or a chat without topics)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b for row in rows for b in row]


@dataclass
class Topic:
    """A forum topic of a supergroup with topics: its thread id is the message id of the
    ``forum_topic_created`` service message that opened it."""

    thread: int
    name: str
    closed: bool = False
    deleted: bool = False


@dataclass(frozen=True)
class Upload:
    """A file the bot uploaded in a multipart request."""

    filename: str
    content: bytes
