"""Logging set-up, and redaction: the bot token and the webhook secret never reach a log line.

PTB puts the token in request URLs (DEBUG), in ``InvalidToken``'s message ("The token `…` was
rejected") and so in tracebacks, and logs the webhook secret at DEBUG. ``Redact`` rewrites
every part of a record a handler may print: the message and its arguments, the exception text
and the stack.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable

MASK = "<redacted>"


class Redactor:
    """Replaces each secret in a text with ``MASK``."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        # Longest first, so a secret that contains another is masked whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text


class Redact(logging.Filter):
    """A handler filter that masks secrets in the whole record (message, exception, stack)."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redact = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = self.redact(message), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str, fmt: str, *secrets: str | None) -> Redactor:
    """Log to stderr as text (default) or one JSON object per line (``fmt="json"``, via
    python-json-logger), with every record redacted; returns the redactor for text that does
    not go through logging (one-line CLI errors)."""
    handler = logging.StreamHandler()
    if fmt == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s",
                                           rename_fields={"levelname": "level", "name": "logger"}))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    return protect_logs(*secrets)


def protect_logs(*secrets: str | None) -> Redactor:
    """Install the filter on every handler of the root logger and quiet the chatty libraries; returns the
    redactor for text that does not go through logging (one-line CLI errors)."""
    redactor = Redactor(secrets)
    # Request lines and migration chatter at INFO; aiosqlite logs two DEBUG lines per statement
    # (some 600 in a bot's first seconds), which drowned everything else at SPEECHBOT_LOG_LEVEL=DEBUG.
    for chatty in ("httpx", "alembic", "aiosqlite"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(Redact(redactor))
    return redactor
