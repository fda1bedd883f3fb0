"""Logging set-up, and the filter that keeps the bot token out of every log line."""

from __future__ import annotations

import logging


class RedactToken(logging.Filter):
    """Replace the bot token wherever a log record would print it (httpx logs request URLs)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token and self.token in record.getMessage():
            record.msg = record.getMessage().replace(self.token, "<token>")
            record.args = None
        return True


def protect_logs(token: str) -> None:
    """Install the redaction filter on every handler of the root logger and quiet httpx."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
