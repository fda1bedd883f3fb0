"""Pure time rules of the daily reminder: reading ``HH:MM``, and when a local day's reminder
falls due in UTC. No storage, no settings: callers pass the chat's time and zone.

DST: a time that does not exist on a day (spring forward) falls after the gap (02:30 →
03:30); an ambiguous one (fall back) is its first occurrence (``fold=0``).
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones


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


def iso_week(moment: datetime, zone: tzinfo) -> str:
    """``2026-W48``: the ISO week of ``moment`` in ``zone``, as /rank counts a chat's answers
    (its own week: Monday starts at midnight in the chat's zone, not in UTC)."""
    year, week, _ = moment.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"


# What people type for a zone that the IANA database names after another city (Beijing time is
# Asia/Shanghai) or in another script: Chinese city names, and English names IANA lacks. Keys are
# lower-case with spaces as underscores (as ``zone_alias`` normalises what was typed). Xinjiang
# is left out on purpose: both Beijing time and Asia/Urumqi are in use there.
_CHINA = ("北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "南京", "苏州", "武汉", "成都", "西安", "长沙",
          "郑州", "济南", "青岛", "沈阳", "大连", "长春", "哈尔滨", "石家庄", "太原", "呼和浩特", "合肥", "南昌",
          "福州", "厦门", "南宁", "海口", "昆明", "贵阳", "兰州", "西宁", "银川", "拉萨", "宁波", "中国",
          "beijing", "peking", "china", "guangzhou", "shenzhen", "tianjin", "chongqing", "wuhan", "chengdu",
          "hangzhou", "nanjing", "xi'an", "xian", "suzhou", "shenyang", "qingdao", "xiamen")
ZONE_ALIASES: dict[str, str] = {name: "Asia/Shanghai" for name in _CHINA} | {
    "香港": "Asia/Hong_Kong", "澳门": "Asia/Macau", "台北": "Asia/Taipei", "台湾": "Asia/Taipei",
    "东京": "Asia/Tokyo", "大阪": "Asia/Tokyo", "首尔": "Asia/Seoul", "新加坡": "Asia/Singapore",
    "吉隆坡": "Asia/Kuala_Lumpur", "曼谷": "Asia/Bangkok", "迪拜": "Asia/Dubai", "莫斯科": "Europe/Moscow",
    "伦敦": "Europe/London", "巴黎": "Europe/Paris", "柏林": "Europe/Berlin", "法兰克福": "Europe/Berlin",
    "慕尼黑": "Europe/Berlin", "罗马": "Europe/Rome", "马德里": "Europe/Madrid", "阿姆斯特丹": "Europe/Amsterdam",
    "纽约": "America/New_York", "华盛顿": "America/New_York", "波士顿": "America/New_York",
    "芝加哥": "America/Chicago", "洛杉矶": "America/Los_Angeles", "旧金山": "America/Los_Angeles",
    "西雅图": "America/Los_Angeles", "多伦多": "America/Toronto", "温哥华": "America/Vancouver",
    "悉尼": "Australia/Sydney", "墨尔本": "Australia/Melbourne", "奥克兰": "Pacific/Auckland",
    "macao": "Asia/Macau", "taiwan": "Asia/Taipei", "washington": "America/New_York",
    "san_francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles", "boston": "America/New_York",
    "munich": "Europe/Berlin", "frankfurt": "Europe/Berlin", "osaka": "Asia/Tokyo",
}


def zone_alias(typed: str) -> str | None:
    """The IANA zone for a city or country name in ``ZONE_ALIASES`` (北京, 北京市, 北京时间,
    Beijing), or None."""
    key = "_".join(unicodedata.normalize("NFKC", typed).split()).lower()
    bare = key.removesuffix("时间").removesuffix("市")
    return ZONE_ALIASES.get(key) or ZONE_ALIASES.get(bare)


@cache
def _zones() -> dict[str, str]:
    """Lower-cased IANA name (and city alone, when unique) → canonical name."""
    names = sorted(available_timezones())
    lookup = {name.lower(): name for name in names}
    cities: dict[str, list[str]] = {}
    for name in names:
        cities.setdefault(name.rsplit("/", 1)[-1].lower(), []).append(name)
    for city, matches in cities.items():
        if len(matches) == 1:
            lookup.setdefault(city, matches[0])
    return lookup


def resolve_zone(value: str) -> str | None:
    """An IANA zone for what the user typed (Asia/Shanghai, asia/shanghai, Shanghai), or for a
    city the database names otherwise (北京, Beijing, 柏林: ``ZONE_ALIASES``), or None."""
    if not value.strip():
        return None
    return _zones().get("_".join(value.strip().split()).lower()) or zone_alias(value)
