"""Prometheus metrics (prometheus-client), on the bot's own registry.

Every label value is bounded: update types are PTB's fixed list, commands are the registered
ones (anything else is ``other``), Bot API methods are PTB's method names, error kinds and push
outcomes are fixed sets. No chat id, user id or free text ever becomes a label.
Gauges that live in the database (subscribed chats, the oldest due reminder) are read when
``/metrics`` is scraped, so they are current on every replica.
"""

from __future__ import annotations

import platform
import re
from importlib import metadata

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from telegram import Update
from telegram.constants import ChatType

REGISTRY = CollectorRegistry()
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

UPDATES = Counter("speechbot_updates", "Updates handled, by type and command.", ["type", "command"],
                  registry=REGISTRY)
UPDATE_SECONDS = Histogram("speechbot_update_seconds", "Time to handle one update, all handlers.", ["type"],
                           buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10), registry=REGISTRY)
API_CALLS = Counter("speechbot_bot_api_calls", "Bot API requests, by method.", ["method"], registry=REGISTRY)
API_ERRORS = Counter("speechbot_bot_api_errors", "Failed Bot API requests, by method and kind of error.",
                     ["method", "kind"], registry=REGISTRY)
PUSH_OUTCOMES = Counter("speechbot_push_outcomes", "Daily reminders by outcome.", ["outcome"], registry=REGISTRY)
PUSH_LAST_PASS = Gauge("speechbot_push_last_pass_timestamp_seconds", "When the last push pass ended (Unix time).",
                       registry=REGISTRY)
OLDEST_DUE = Gauge("speechbot_push_oldest_due_seconds", "How long the oldest due, unsent reminder has waited.",
                   registry=REGISTRY)
SUBSCRIBED = Gauge("speechbot_subscribed_chats", "Active subscriptions, by chat kind.", ["kind"], registry=REGISTRY)
BUILD = Gauge("speechbot_build_info", "The running version.", ["version", "python_telegram_bot", "python"],
              registry=REGISTRY)

PUSH_KINDS = ("sent", "paused", "migrated", "failed", "gave_up", "uncertain", "retried_after_429", "released")
ERROR_KINDS = ("bad_request", "forbidden", "not_found", "conflict", "retry_after", "server_error", "http_other",
               "timeout", "unknown_outcome", "network")
CHAT_KINDS = (ChatType.PRIVATE, ChatType.GROUP, ChatType.SUPERGROUP, ChatType.CHANNEL)
_METHOD = re.compile(r"^[A-Za-z]{1,40}$")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


BUILD.labels(_version("speechbot"), _version("python-telegram-bot"), platform.python_version()).set(1)
for _kind in PUSH_KINDS:  # present from the start, so rate() works from the first scrape
    PUSH_OUTCOMES.labels(_kind)


def update_type(update: object) -> str:
    """The kind of update: ``message``, ``callback_query``, … (PTB's fixed list) or ``other``."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return kind
    return "other"


def command_of(update: object, known: frozenset[str], aliases: dict[str, str]) -> str:
    """The command an update carries, as a bounded label: a known command, ``other`` for an
    unknown one, ``none`` for no command."""
    if not isinstance(update, Update) or update.effective_message is None:
        return "none"
    words = (update.effective_message.text or "").split(maxsplit=1)
    if not words or not words[0].startswith("/"):
        return "none"
    name = words[0][1:].partition("@")[0].lower()
    name = aliases.get(name, name)
    return name if name in known else "other"


def api_method(url: str) -> str:
    """The Bot API method a request URL names (bounded: anything odd is ``other``)."""
    method = url.rsplit("/", 1)[-1]
    return method if _METHOD.match(method) else "other"


def status_kind(status: int) -> str | None:
    """The error kind of an HTTP status from the Bot API, or None for success."""
    if status < 400:
        return None
    return {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict",
            429: "retry_after"}.get(status, "server_error" if status >= 500 else "http_other")


def count_push(report: dict[str, int]) -> None:
    """Add one pass's outcomes (``PushReport.to_dict()``) to the counters."""
    for kind in PUSH_KINDS:
        if report.get(kind):
            PUSH_OUTCOMES.labels(kind).inc(report[kind])


def exposition(subscribed: dict[str, int] | None, oldest_due: float | None) -> bytes:
    """The text exposition, after setting the gauges read from the database."""
    if subscribed is not None:
        for kind in CHAT_KINDS:
            SUBSCRIBED.labels(kind).set(subscribed.get(kind, 0))
    if oldest_due is not None:
        OLDEST_DUE.set(oldest_due)
    return generate_latest(REGISTRY)
