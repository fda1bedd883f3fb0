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
    document: str | None = None  # the file_id of a document message (text is then its caption)
    file_name: str = ""  # a document's name as sent

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b for row in rows for b in row]


@dataclass(frozen=True)
class Upload:
    """A file the bot uploaded in a multipart request."""

    filename: str
    content: bytes
