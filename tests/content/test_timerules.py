"""Time rules: reading HH:MM, the due instant of a local day across DST, catching up."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest

from content.timerules import (
    ZONE_ALIASES,
    due_on,
    format_time,
    iso_week,
    next_due,
    parse_time,
    resolve_zone,
    zone_alias,
)


@pytest.mark.parametrize(("typed", "expected"), [("08:00", time(8)), ("7:30", time(7, 30)), ("０７：３０", time(7, 30)),
                                                 ("21.15", time(21, 15)), ("24:00", None), ("8", None), ("ab:cd", None),
                                                 ("", None), ("07:5", None),
                                                 ("፩፪:፫፬", None), ("٠٧:٣٠", None)])
def test_parse_time(typed: str, expected: time | None) -> None:
    assert parse_time(typed) == expected


def test_due_on_handles_daylight_saving() -> None:
    ny = "America/New_York"
    assert due_on(date(2026, 3, 7), "02:30", ny) == datetime(2026, 3, 7, 7, 30, tzinfo=UTC)  # EST
    assert due_on(date(2026, 3, 8), "02:30", ny) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # gap: 03:30 EDT
    assert due_on(date(2026, 3, 9), "02:30", ny) == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)  # EDT
    assert due_on(date(2026, 11, 1), "01:30", ny) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # first 01:30
    assert due_on(date(2026, 11, 2), "01:30", ny) == datetime(2026, 11, 2, 6, 30, tzinfo=UTC)


def test_next_due_catches_up_within_the_window() -> None:
    zone, window = "Asia/Shanghai", timedelta(hours=6)
    at = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai, 08:00 passed 1.5 h ago
    assert next_due("08:00", zone, at, window) == datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    late = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # 17:00: outside the window, tomorrow
    assert next_due("08:00", zone, late, window) == datetime(2026, 11, 28, 0, 0, tzinfo=UTC)


def test_format_time_is_the_stored_form() -> None:
    assert format_time(time(7, 5)) == "07:05"


def test_due_on_refuses_a_malformed_time() -> None:
    with pytest.raises(ValueError, match="not a push time"):
        due_on(date(2026, 3, 7), "25:00", "Asia/Shanghai")


def test_zone_aliases_name_real_zones() -> None:
    assert set(ZONE_ALIASES.values()) <= available_timezones()
    assert all(key == "_".join(key.split()).lower() for key in ZONE_ALIASES)  # as zone_alias looks them up


@pytest.mark.parametrize(("typed", "zone"), [
    ("北京", "Asia/Shanghai"), ("北京市", "Asia/Shanghai"), ("北京时间", "Asia/Shanghai"), ("上海", "Asia/Shanghai"),
    ("Beijing", "Asia/Shanghai"), ("ＢＥＩＪＩＮＧ", "Asia/Shanghai"), ("柏林", "Europe/Berlin"),
    ("香港", "Asia/Hong_Kong"), ("San Francisco", "America/Los_Angeles"), ("火星", None), ("Berlin", None),
])
def test_zone_alias(typed: str, zone: str | None) -> None:
    assert zone_alias(typed) == zone  # Berlin is IANA's own city name: resolve_zone finds it there


@pytest.mark.parametrize(("typed", "zone"), [
    ("Asia/Shanghai", "Asia/Shanghai"), ("asia/shanghai", "Asia/Shanghai"), ("Shanghai", "Asia/Shanghai"),
    ("new york", "America/New_York"), (" Berlin ", "Europe/Berlin"), ("北京", "Asia/Shanghai"),
    ("Beijing", "Asia/Shanghai"), ("Mars/Phobos", None), ("", None), ("   ", None),
])
def test_resolve_zone(typed: str, zone: str | None) -> None:
    assert resolve_zone(typed) == zone


def test_iso_week_is_the_chats_own_week() -> None:
    sunday_night = datetime(2026, 12, 6, 17, 30, tzinfo=UTC)  # Monday 01:30 in Shanghai, Sunday in Berlin
    assert iso_week(sunday_night, ZoneInfo("Asia/Shanghai")) == "2026-W50"
    assert iso_week(sunday_night, ZoneInfo("Europe/Berlin")) == "2026-W49"
    assert iso_week(datetime(2027, 1, 1, tzinfo=UTC), ZoneInfo("Asia/Shanghai")) == "2026-W53"
