"""The one clock: what time it is, for the store, its repositories, the push and the handlers.

The composition root (``bot.app.Services``, the CLI) picks it and hands the same callable to
everything that needs "now", so a test moves the whole bot through time by replacing one
function, and nothing reads the system clock behind its back. ``content`` never reads a clock:
it takes dates and instants as arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""Returns the current instant, timezone-aware, in UTC."""


def system_clock() -> datetime:
    """The real time (aware, UTC): the production clock."""
    return datetime.now(UTC)
