"""The title block on top of a speech: title, speaker, date and occasion, read as metadata.

A speech as it reaches a study group opens like this (centred, often in Word's Title style)::

    坚持“慎”字当头　筑牢廉洁防线
    ——在全县政府系统廉政工作会议上的讲话
    县长　张　三
    （2023年5月10日）
    同志们：

The block is the run of leading lines before the salutation, the first heading or the first
sentence. It is taken as metadata (and not as preface text) only when something marks it as a
title block: a date line, an "在…上的讲话" line, or (in Word or a PDF) centred lines or the
Title style. Without such a mark the lines are left to the ``.txt`` parser, which keeps its own
rule for a title line, so a plain ``.txt`` reads as that parser reads it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from content.formats.blocks import Block, Metadata
from content.numerals import to_int

MAX_LINES = 8
"""A title block is short; a longer run of unpunctuated lines is the speech itself."""

_CHINESE_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                   "八": 8, "九": 9}
_DATES = (
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"),
    re.compile(r"(?<!\d)(\d{4})[.．/\-](\d{1,2})[.．/\-](\d{1,2})(?!\d)"),
)
_OCCASION = re.compile(
    r"^[—–\-－─\s]*(?:(?P<speaker>[^\s，。、：:；;—–]{2,14}?)\s*)?在(?P<occasion>.+?)(?:上|中)?的"
    r"(?:总结|动员|开班|主题|专题)?(?:讲话|发言|致辞|报告|讲课|党课|辅导报告)")
_SALUTATION = re.compile(r"^[^，。！？；,.!?;]{1,20}[：:]$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_SENTENCE_END = "。！？；!?;"
_FILLER = "（）()[]【】〔〕，,、:： \u3000"
_BRACKETED = re.compile(r"\s*[（(][\u3400-\u9fff·•\s]{2,12}[）)]\s*$")
_NAME_CHARS = re.compile(r"^[\u3400-\u9fff·•]+$")
_LABEL = re.compile(r"^(?:讲话人|主讲人|报告人|发言人|作者)\s*[：:]\s*")


def parse_date(text: str) -> date | None:
    """The first date written in ``text`` (2023年5月10日, 二〇二三年五月十日, 2023.5.10), if valid."""
    found = _find_date(text)
    return found[0] if found else None


def _find_date(text: str) -> tuple[date, re.Match[str]] | None:
    for pattern in _DATES:
        for match in pattern.finditer(text):
            year, month, day = match.groups()
            if not year.isdigit():
                year = "".join(str(_CHINESE_DIGITS[c]) for c in year)
            y, m, d = (int(v) if v.isdigit() else to_int(v) for v in (year, month, day))
            if y is None or m is None or d is None:
                continue
            try:
                return date(y, m, d), match
            except ValueError:
                continue
    return None


def _date_line(text: str) -> date | None:
    """A line that is a date (with brackets and a few words such as 根据录音整理 at most)."""
    found = _find_date(text)
    if found is None:
        return None
    value, match = found
    rest = (text[: match.start()] + text[match.end():]).strip(_FILLER)
    return value if len(rest) <= 12 else None


def _speaker(text: str) -> str | None:
    """A short line that is a name, with or without a position: 张三, 县长　张　三, 张　三,
    张三（县委书记）, 县委副书记、县长　张三, 讲话人：张三."""
    text = _LABEL.sub("", text)
    position = _BRACKETED.search(text)
    if position:
        name = _speaker(text[: position.start()] + text[position.end():])
        return f"{name}{position[0]}" if name else None
    tokens: list[str] = []
    spaced = False
    for token in text.split():
        if len(token) == 1 and spaced:
            tokens[-1] += token  # 张 三 → 张三 (two-character names are spaced out to fit)
        else:
            tokens.append(token)
        spaced = len(token) == 1
    if not tokens or not all(_NAME_CHARS.match(token.replace("、", "")) for token in tokens) or "、" in tokens[-1]:
        return None
    if len(tokens) > 3 or not 2 <= len(tokens[-1]) <= 4 or sum(map(len, tokens)) > 16:
        return None
    return " ".join(tokens)


def _stops(block: Block) -> bool:
    """A line that cannot be in the title block: the speech has begun."""
    text = block.text
    return (block.level is not None or bool(_SALUTATION.match(text)) or bool(_HEADING.match(text))
            or len(text) > 60)


def title_block(blocks: Sequence[Block]) -> tuple[Metadata, int]:
    """The metadata of the title block on top of ``blocks`` and how many blocks it spans (0: none)."""
    title: list[str] = []
    speaker = occasion = None
    when: date | None = None
    marked = False
    count = 0
    for block in blocks[:MAX_LINES]:
        text = " ".join(block.text.split())
        if _stops(block):
            break
        occasion_match = _OCCASION.match(text)
        line_date = _date_line(text)
        if occasion_match and occasion is None:
            occasion = occasion_match["occasion"].strip()
            speaker = speaker or _clean_speaker(occasion_match["speaker"])
            when = when or parse_date(text)
            marked = True
            if not title:
                title.append(text.strip("—–-－─ "))
        elif line_date and when is None:
            when = line_date
            marked = True
        elif text[-1:] in _SENTENCE_END:
            break
        elif title and speaker is None and (name := _speaker(text)):
            speaker = name
        elif not title or (len(title) < 3 and speaker is None and when is None and occasion is None):
            title.append(text)  # a title set on two or three lines
        else:
            break
        marked = marked or block.centred or block.title_style
        count += 1
    if not marked or count == 0 or count >= len(blocks):
        return Metadata(), 0
    return Metadata(title=" ".join(title) or None, speaker=speaker, date=when, occasion=occasion), count


def _clean_speaker(text: str | None) -> str | None:
    if not text:
        return None
    text = text.removesuffix("同志").strip()
    return text or None
