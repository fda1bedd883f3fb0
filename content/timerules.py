"""Pure time rules of the daily reminder: reading ``HH:MM``, and when a local day's reminder
falls due in UTC. No storage, no settings: callers pass the chat's time and zone.

DST: a time that does not exist on a day (spring forward) falls after the gap (02:30 →
03:30); an ambiguous one (fall back) is its first occurrence (``fold=0``).
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def parse_time(value: str) -> time | None:
    """``HH:MM`` (also H:MM, HH.MM, full-width digits) → time, or None for anything else.

    Only ASCII digits count after NFKC: ``str.isdigit`` also accepts digits that ``int``
    rejects (Ethiopic ፩) or reads as other numbers (Arabic-Indic ٧): those are not times."""
    cleaned = unicodedata.normalize("NFKC", value).strip().replace("：", ":").replace(".", ":")
    hours, _, minutes = cleaned.partition(":")
    if not (hours.isascii() and minutes.isascii() and hours.isdigit() and minutes.isdigit()):
        return None
    if not (len(hours) <= 2 and len(minutes) == 2):
        return None
    h, m = int(hours), int(minutes)
    return time(h, m) if h < 24 and m < 60 else None


def format_time(at: time) -> str:
    """The stored form of a push time: ``HH:MM``."""
    return at.strftime("%H:%M")


def _time(push_time: str) -> time:
    at = parse_time(push_time)
    if at is None:
        raise ValueError(f"not a push time: {push_time!r}")
    return at


def due_on(day: date, push_time: str, zone: str) -> datetime:
    """The UTC instant of ``push_time`` (``HH:MM``) on local ``day`` in ``zone``."""
    return datetime.combine(day, _time(push_time), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def next_due(push_time: str, zone: str, now: datetime, catch_up: timedelta) -> datetime:
    """The reminder to send next: the latest one still inside the catch-up window, else the next."""
    today = now.astimezone(ZoneInfo(zone)).date()
    for day in (today - timedelta(days=1), today, today + timedelta(days=1), today + timedelta(days=2)):
        instant = due_on(day, push_time, zone)
        if instant + catch_up >= now:
            return instant
    raise AssertionError("unreachable: some day within two days is due")


def local_date(instant: datetime, zone: str) -> date:
    """The calendar date of ``instant`` in ``zone``."""
    return instant.astimezone(ZoneInfo(zone)).date()
