"""All settings in one pydantic-settings object: environment variables and an optional ``.env``.

``TELEGRAM_BOT_TOKEN`` and ``TELEGRAM_API_BASE_URL`` keep Telegram's usual names; everything
else is ``SPEECHBOT_*``. The token is a ``SecretStr``: it never appears in a repr or a log.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from content.timerules import format_time, parse_time

if TYPE_CHECKING:
    from content.formats.limits import Limits

TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{10,100}$")
TELEGRAM_API = "https://api.telegram.org/bot"


MISSING_TOKEN = (
    "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram, then "
    "`export TELEGRAM_BOT_TOKEN=...` (or put it in .env); try `speechbot console` meanwhile"
)


class SettingsError(ValueError):
    """A setting is missing or malformed; the message is one line for the user."""


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="SPEECHBOT_", env_file=".env", extra="ignore")

    token: SecretStr | None = Field(None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN"))
    api_base_url: str = Field(TELEGRAM_API, validation_alias=AliasChoices("TELEGRAM_API_BASE_URL"))
    speech_file: Path | None = None
    # The dense search tier: "use" (the multilingual encoder that ships with the package), "none",
    # or "st:MODEL" (sentence-transformers, installed and downloaded by the deployment).
    encoder: str = "use"
    cache_dir: Path = Path("data/cache")  # embeddings per speech and encoder; safe to delete
    # Texts of the library kept in memory besides the original (least recently used go; a text
    # comes back from the database and the cache in milliseconds).
    library_books: int = Field(64, ge=1, le=10_000)
    # The largest document the owner may upload (Telegram's getFile serves at most 20 MB).
    max_upload_bytes: int = Field(5_000_000, ge=1_000, le=20_000_000)
    # What one import may cost (an upload, `speechbot import`, `library add`; content.formats.limits):
    # it runs in a child process with this much memory and wall time, and a text may hold at most
    # this many characters and sentences (the original speech: 5,266 and 108).
    import_memory_mb: int = Field(1024, ge=64, le=65_536)
    import_seconds: float = Field(60.0, gt=0, le=3600)
    import_max_characters: int = Field(60_000, ge=100, le=10_000_000)
    import_max_sentences: int = Field(3_000, ge=10, le=1_000_000)
    timezone: str = "Asia/Shanghai"  # the default zone: /today, and new subscriptions
    push_time: str = "08:00"  # the default reminder time of new subscriptions (HH:MM)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(8443, ge=1, le=65535)
    rate_limit: bool = True
    rate_per_second: float = Field(25.0, gt=0, le=30)
    group_per_minute: float = Field(19.0, gt=0, le=20)
    # local: each process paces itself at the rates above (one replica, or divide the rates);
    # redis: every replica shares them through Redis (bot.ratelimit): they are the bot's.
    rate_limiter: Literal["local", "redis"] = "local"
    redis_url: str = "redis://127.0.0.1:6379/0"  # for rate_limiter=redis; may hold a password: never logged
    concurrent_updates: int = Field(32, ge=1, le=1024)
    log_level: str = "INFO"
    database_url: str = "sqlite+aiosqlite:///data/speechbot.sqlite3"
    """SQLAlchemy async URL (``sqlite+aiosqlite:///…``, ``postgresql+asyncpg://…``). Empty: the bot
    runs on an SQLite database in memory (``bot.storage.engine.MEMORY``), migrated at start like
    any other: every feature works with real repositories, nothing outlives the process, and the
    library keeps to the original speech (no uploads, ``/use`` says a database is needed)."""
    push_enabled: bool = True
    freeze_heap: bool = True
    """After the warm-ups, ``gc.freeze()`` what start-up built (``bot.app._freeze_after``), so the
    collector's full passes skip it. Off in the tests' bots: a frozen heap hides referrers from
    ``gc.get_referrers``, which test tools (Hypothesis) rely on."""
    receive_updates: bool = True  # false: a push-only replica (no polling, no webhook)
    push_interval_seconds: float = Field(30.0, gt=0)
    catch_up_hours: float = Field(6.0, ge=0, le=23)
    push_concurrency: int = Field(16, ge=1, le=256)
    push_batch: int = Field(200, ge=1, le=10000)
    # A send whose outcome is unknown (no reply in time): record it "uncertain" and move on
    # (at-most-once, the default), or retry it and risk a double reminder (at-least-once).
    push_delivery: Literal["at-most-once", "at-least-once"] = "at-most-once"
    # Operations: /healthz, /livez and /metrics (polling mode; with a webhook they share its server).
    http_host: str = "127.0.0.1"
    http_port: int = Field(8080, ge=0, le=65535)  # 0: off
    log_format: Literal["text", "json"] = "text"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()  # who may send /stats and add texts: "1234,5678"
    retention_days: int = Field(90, ge=1, le=3650)  # delivery rows older than this are deleted
    shutdown_seconds: float = Field(10.0, gt=0, le=300)  # in-flight sends may finish this long on SIGTERM
    # The reader (Mini App), served by the bot's HTTP server under /app/: its public HTTPS URL (unset:
    # no reader buttons), its short name at @BotFather (/newapp; groups open t.me/<bot>/<name>),
    # how long a signed initData is accepted, and the API requests a member may make a minute.
    webapp_url: str | None = None
    webapp_short_name: str | None = Field(None, pattern=r"^[A-Za-z0-9_]{3,30}$")
    webapp_max_age_seconds: float = Field(86400.0, gt=0, le=7 * 86400)
    webapp_rate_per_minute: int = Field(120, ge=1, le=10000)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("encoder")
    @classmethod
    def _encoder(cls, value: str) -> str:
        from content.encoder import EncoderError, load_encoder

        try:
            load_encoder(value)  # checks the spelling only: nothing is loaded
        except EncoderError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("webapp_url")
    @classmethod
    def _webapp_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        from urllib.parse import urlsplit

        parts = urlsplit(value.strip())
        if parts.scheme != "https" or not parts.netloc or parts.fragment:
            raise ValueError("SPEECHBOT_WEBAPP_URL must be the reader's public https:// URL (Telegram opens only "
                             "HTTPS Mini Apps), e.g. https://bot.example.org/app/")
        return value.strip()

    @field_validator("push_time")
    @classmethod
    def _push_time(cls, value: str) -> str:
        at = parse_time(value)
        if at is None:
            raise ValueError(f"not a time of day {value!r} (use HH:MM, e.g. 08:00)")
        return format_time(at)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _admins(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
            except ValueError:
                raise ValueError("SPEECHBOT_ADMIN_IDS takes Telegram user ids separated by commas") from None
        return value

    @field_validator("token")
    @classmethod
    def _token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not TOKEN_PATTERN.match(value.get_secret_value().strip()):
            raise ValueError("TELEGRAM_BOT_TOKEN is malformed (expected digits:letters, as @BotFather gives it)")
        return SecretStr(value.get_secret_value().strip()) if value else None

    def import_limits(self) -> Limits:
        """The limits of one import, these settings applied to ``content.formats.limits``."""
        from content.formats.limits import Limits

        return Limits(characters=self.import_max_characters, sentences=self.import_max_sentences,
                      memory_mb=self.import_memory_mb, seconds=self.import_seconds)

    def require_token(self) -> str:
        """The token, or a ``SettingsError`` that says how to get one."""
        if self.token is None:
            raise SettingsError(MISSING_TOKEN)
        return self.token.get_secret_value()


def load_settings(**overrides: Any) -> Settings:  # Any: BaseSettings.__init__ types its own options
    """Read the settings; a bad value becomes one ``SettingsError`` line (never the secret)."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        message = first["msg"].removeprefix("Value error, ")
        raise SettingsError(message if message.startswith(where) else f"{where}: {message}") from None
