"""The words of the ledger's files (sheet names, headings, the summary, the signature block) in
Chinese and English, and the period they cover as a title says it.

They live here, as a small dict, rather than in the handlers' gettext catalogs: ``content`` cannot
import ``handlers`` (the catalogs and their loader are there), and these are the fixed vocabulary
of a printed form, not messages sent to a chat.
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum

from content.ledger.record import Ledger
from content.naming import MONTHS, Lang


class Span(StrEnum):
    """What kind of period a ledger covers."""

    MONTH = "month"
    YEAR = "year"
    DAYS = "days"  # any other run of days


LABELS: dict[Lang, dict[str, str]] = {
    "zh": {
        "title": "{group}学习台账（{period}）",
        "sessions": "学习记录",
        "members": "成员",
        "reflections": "心得",
        "quizzes": "答题",
        "date": "日期",
        "content": "学习内容",
        "readers": "参学人数",
        "expected": "应学人数",
        "rate": "参学率",
        "name": "姓名",
        "days_read": "读完天数",
        "answered": "答题数",
        "right": "答对数",
        "reflection_count": "心得篇数",
        "passage": "段落",
        "text": "内容",
        "question": "题目",
        "answered_by": "作答人数",
        "right_by": "答对人数",
        "others": "另有{others}人参学，未实名记录。",
        "no_members": "本期没有实名记录的成员。",
        "no_reflections": "本期没有心得。",
        "no_quizzes": "本期没有答题记录。",
        "anonymous": "匿名",
        "no_plan.month": "本月没有学习计划记录。",
        "no_plan.year": "本年没有学习计划记录。",
        "no_plan.days": "本期没有学习计划记录。",
        "summary": "本期共学习{sessions}次，平均参学率{rate}；实名记录成员{members}人，另有{others}人参学未具名。",
        "summary_no_rate": "本期共学习{sessions}次（应学人数未知，参学率未计）；"
                           "实名记录成员{members}人，另有{others}人参学未具名。",
        "chart_title": "每日参学情况",
        "week_title": "本周参学情况",
        "no_session": "无学习",
        "signature": "记录人：＿＿＿＿＿＿　　支部书记（签字）：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿",
        "month": "{year}年{month}月",
        "year": "{year}年",
        "day": "{year}年{month}月{day}日",
        "range": "{start}—{end}",
        "weekdays": "一 二 三 四 五 六 日",
        "weekday": "周{weekday}",
    },
    "en": {
        "title": "{group} study record ({period})",
        "sessions": "Sessions",
        "members": "Members",
        "reflections": "Reflections",
        "quizzes": "Quizzes",
        "date": "Date",
        "content": "Studied",
        "readers": "Read",
        "expected": "Expected",
        "rate": "Rate",
        "name": "Name",
        "days_read": "Days read",
        "answered": "Answered",
        "right": "Right",
        "reflection_count": "Reflections",
        "passage": "Passage",
        "text": "Text",
        "question": "Question",
        "answered_by": "Answered by",
        "right_by": "Right",
        "others": "{others} more took part without being named.",
        "no_members": "No member joined the record in this period.",
        "no_reflections": "No reflections in this period.",
        "no_quizzes": "No quizzes in this period.",
        "anonymous": "anonymous",
        "no_plan.month": "No study plan was recorded this month.",
        "no_plan.year": "No study plan was recorded this year.",
        "no_plan.days": "No study plan was recorded in this period.",
        "summary": "{sessions} sessions held, average rate {rate}; {members} members named, "
                   "{others} more counted but not named.",
        "summary_no_rate": "{sessions} sessions held (group size unknown, no rate); {members} members named, "
                           "{others} more counted but not named.",
        "chart_title": "Daily participation",
        "week_title": "This week's participation",
        "no_session": "none",
        "signature": "Recorded by: ______    Branch secretary (signature): ______    Date: ______",
        "month": "{month_name} {year}",
        "year": "{year}",
        "day": "{day} {month_abbr} {year}",
        "range": "{start} – {end}",
        "weekdays": "Mon Tue Wed Thu Fri Sat Sun",
        "weekday": "{weekday}",
    },
}


# Each table's columns, as label keys.
SESSION_COLUMNS = ("date", "content", "readers", "expected", "rate")
MEMBER_COLUMNS = ("name", "days_read", "answered", "right", "reflection_count")
REFLECTION_COLUMNS = ("date", "name", "passage", "text")
QUIZ_COLUMNS = ("date", "question", "passage", "answered_by", "right_by")


def headers(lang: Lang, columns: tuple[str, ...]) -> list[str]:
    """A table's header row in ``lang``."""
    return [LABELS[lang][key] for key in columns]


def label(lang: Lang, key: str, **values: object) -> str:
    """The file label ``key`` in ``lang``, filled with ``values``."""
    text = LABELS[lang][key]
    return text.format(**values) if values else text


def span(ledger: Ledger) -> Span:
    """A calendar month, a calendar year, or another run of days."""
    start, end = ledger.start, ledger.end
    if start.day == 1 and end == start.replace(day=calendar.monthrange(start.year, start.month)[1]):
        return Span.MONTH
    if (start.month, start.day) == (1, 1) and end == date(start.year, 12, 31):
        return Span.YEAR
    return Span.DAYS


def day_text(day: date, lang: Lang) -> str:
    """``day`` in words: 2026年12月7日, 7 Dec 2026."""
    abbr = MONTHS[day.month - 1] if lang == "en" else ""  # not calendar's: it follows LC_TIME
    return label(lang, "day", year=day.year, month=day.month, day=day.day, month_abbr=abbr)


def period_text(ledger: Ledger, lang: Lang) -> str:
    """The period as a title says it: 2026年12月, 2026年, or its first and last day."""
    kind = span(ledger)
    if kind is Span.MONTH:
        return label(lang, "month", year=ledger.start.year, month=ledger.start.month,
                     month_name=calendar.month_name[ledger.start.month])
    if kind is Span.YEAR:
        return label(lang, "year", year=ledger.start.year)
    return label(lang, "range", start=day_text(ledger.start, lang), end=day_text(ledger.end, lang))


def title(ledger: Ledger, lang: Lang) -> str:
    """「{group}学习台账（2026年12月）」."""
    return label(lang, "title", group=ledger.group, period=period_text(ledger, lang))


def no_plan(ledger: Ledger, lang: Lang) -> str:
    """What the record says when the group studied nothing in its period."""
    return label(lang, f"no_plan.{span(ledger).value}")


def weekday(day: date, lang: Lang) -> str:
    """周一 … 周日, Mon … Sun."""
    return label(lang, "weekday", weekday=LABELS[lang]["weekdays"].split()[day.weekday()])


def percent(rate: float | None) -> str:
    """0.6 → 60%; unknown → —."""
    return "—" if rate is None else f"{rate:.0%}"


def average_rate(ledger: Ledger) -> float | None:
    """The mean 参学率 over the sessions whose group size is known (None when none is)."""
    rates = [rate for rate in (session.rate for session in ledger.sessions) if rate is not None]
    return sum(rates) / len(rates) if rates else None


def summary(ledger: Ledger, lang: Lang) -> str:
    """Sessions held, average 参学率, named members and the others counted, in one sentence."""
    rate = average_rate(ledger)
    values = {"sessions": len(ledger.sessions), "members": len(ledger.members), "others": ledger.others}
    if rate is None:
        return label(lang, "summary_no_rate", **values)
    return label(lang, "summary", rate=percent(rate), **values)


def passage(label_text: str, heading: str) -> str:
    """A passage as the files name it: its location and its heading."""
    return f"{label_text} {heading}".strip()
