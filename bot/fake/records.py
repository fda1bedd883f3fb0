"""What the fake Bot API records: the calls the bot made, the messages it sent, the files it
uploaded. Shared by the server (which records them) and the simulated users (who reply to and
press the buttons of the messages sent)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.fake.validate import ApiError
from bot.fake.wire import InlineKeyboardButton, Message, Params, ReplyMarkup, Result, Upload

__all__ = ["Call", "Sent", "Upload"]


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: Params
    at: float
    response: Result | None = None
    error: ApiError | None = None

    @property
    def message(self) -> Message | None:
        """The message a send or an edit answered with; None for any other answer, or none."""
        response = self.response
        if response is None or isinstance(response, (bool, list)) or "message_id" not in response:
            return None
        return response


@dataclass
class Sent:
    """A message the bot sent (and its current text after edits)."""

    chat_id: int
    message_id: int
    html: str
    text: str
    reply_markup: ReplyMarkup | None
    edits: int = 0
    photo: str | None = None  # the file_id of a photo message (text is then its caption)
    thread: int | None = None  # the forum topic it was sent to (None: General, or a chat without topics)
    document: str | None = None  # the file_id of a document message (text is then its caption)
    file_name: str = ""  # a document's name as sent

    @property
    def buttons(self) -> list[InlineKeyboardButton]:
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
