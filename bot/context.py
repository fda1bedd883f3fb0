"""Typed context (PTB's ``contexttypesbot`` pattern): handlers read ``context.speech``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.settings import Settings
from content import Speech

if TYPE_CHECKING:
    from bot.scheduler import Pusher
    from bot.storage import Store


class BotData:
    """Process-wide state, filled by ``bot.app.build_application`` and ``post_init``."""

    def __init__(self) -> None:
        self.speech: Speech | None = None
        self.settings: Settings | None = None
        self.store: Store | None = None
        self.greeted: set[int] = set()  # groups introduced to since their last addition
        self.admin_cache: dict[tuple[int, int], tuple[float, bool]] = {}  # (chat, user) → (expiry, admin)
        self.pusher: Pusher | None = None


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """``CallbackContext`` with typed accessors for what every handler needs."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any], chat_id: int | None = None,
                 user_id: int | None = None) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def speech(self) -> Speech:
        assert self.bot_data.speech is not None
        return self.bot_data.speech

    @property
    def settings(self) -> Settings:
        assert self.bot_data.settings is not None
        return self.bot_data.settings

    @property
    def store(self) -> Store | None:
        return self.bot_data.store

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
