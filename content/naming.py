"""How a text of the library is named wherever it is shown: lists, headings, search hits,
bookmarks, cards, plans, the reader. One home (``TextName``), so that the untitled original is
《原讲话》 / “Original speech” everywhere and a title is cut the same way on every screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from content.model import ORIGINAL, Speech

Lang = Literal["zh", "en"]
"""A reader's language: Chinese (the default) or English. The one such type: ``handlers.catalog``
names its catalogs by it, the 学习台账 files their words."""


class Named(Protocol):
    """What naming reads of a text (``content.library.TextInfo`` has it): naming needs no library."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str | None: ...
    @property
    def speaker(self) -> str | None: ...
    @property
    def date(self) -> date | None: ...


class Shelved(Protocol):
    """A text in memory with its details (``content.library.Book``)."""

    @property
    def info(self) -> Named: ...
    @property
    def speech(self) -> Speech: ...


@dataclass(frozen=True)
class _Name:
    """The details of a text known only by its speech (a file outside the library)."""

    id: int
    title: str | None
    speaker: str | None = None
    date: date | None = None

SHORT = 10
"""How many characters of a title a hit's label shows: enough to tell texts apart on a phone."""
CARD_TITLE = 30
"""Characters of a title on a card's line (and its caption)."""
ORIGINAL_NAME = "原讲话"
"""The name of the original speech while it has no title of its own: the one name it has wherever
it is shown (lists, headings, the welcome, search hits, cards, the reader), as 《原讲话》 where a
title would stand. Not 原文: that names the exact-words tier of search (📌 原文)."""
ORIGINAL_NAME_EN = "Original speech"
"""``ORIGINAL_NAME`` for English readers."""
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""English month names as dates are written for readers (10 May 2023)."""


def spoken_on(day: date, lang: Lang) -> str:
    """The date a text was given, as a reader writes it: 2023年5月10日, 10 May 2023."""
    if lang == "en":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def _cut(value: str, limit: int) -> str:
    value = value.strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass(frozen=True)
class TextName:
    """Text ``info``'s names in ``lang`` ("zh" or "en")."""

    info: Named
    lang: Lang = "zh"

    @classmethod
    def of_speech(cls, speech: Speech, lang: Lang) -> TextName:
        """A speech's names by its title line (a speech file outside the library is the original)."""
        return cls(_Name(speech.text_id, speech.title), lang)

    @classmethod
    def of_book(cls, book: Shelved, lang: Lang = "zh") -> TextName:
        """A book's names: the library's title, else its speech's own title line."""
        return cls(book.info if book.info.title else _retitled(book), lang)

    @property
    def given(self) -> str | None:
        """The title as given (None: untitled): what a plan is named after."""
        return self.info.title or None

    @property
    def own(self) -> str | None:
        """Its title; ``ORIGINAL_NAME`` (``ORIGINAL_NAME_EN``) for the untitled original; None for
        another untitled text."""
        title = (self.info.title or "").strip()
        if title:
            return title
        if self.info.id == ORIGINAL:
            return ORIGINAL_NAME if self.lang == "zh" else ORIGINAL_NAME_EN
        return None

    @property
    def title(self) -> str:
        """In a list, a heading or a sentence: 《title》 (“title” in English), the untitled original
        《原讲话》, any other untitled text 文本 N (Text N)."""
        name = self.own
        if name:
            return f"《{name}》" if self.lang == "zh" else f"“{name}”"
        return f"文本 {self.info.id}" if self.lang == "zh" else f"Text {self.info.id}"

    @property
    def short(self) -> str:
        """On search hits and cards: the title cut at ``SHORT`` characters (…); 原讲话 / Original
        speech for the untitled original, 文本3 / Text 3 for another untitled one."""
        title = (self.info.title or "").strip()
        if title:
            return title if len(title) <= SHORT else title[:SHORT] + "…"
        if self.lang == "zh":
            return ORIGINAL_NAME if self.info.id == ORIGINAL else f"文本{self.info.id}"
        return ORIGINAL_NAME_EN if self.info.id == ORIGINAL else f"Text {self.info.id}"

    @property
    def source(self) -> str:
        """What a search hit or a bookmark is prefixed with, before its label: 《原讲话》四（二） in
        Chinese, “Original speech” 四（二） (a space after) in English."""
        return f"《{self.short}》" if self.lang == "zh" else f"“{self.short}” "

    @property
    def byline(self) -> str:
        """Who gave it and when (张三 · 2023年5月10日), as far as known; empty if not at all."""
        when = spoken_on(self.info.date, self.lang) if self.info.date else None
        return " · ".join(part for part in (self.info.speaker, when) if part)

    @property
    def heading(self) -> str:
        """The title with its speaker and date: 《title》（张三 · 2023年5月10日）."""
        known, name = self.byline, self.title
        return f"{name}（{known}）" if known and self.lang == "zh" else f"{name} ({known})" if known else name

    @property
    def card(self) -> str:
        """The line under a card's label: its name (the untitled original's too, so a forwarded
        card says where it is from; cut to ``CARD_TITLE``) and speaker; empty when it has neither."""
        name = self.own
        title = _cut(name, CARD_TITLE) if name else ""
        quoted = (f"《{title}》" if self.lang == "zh" else f"“{title}”") if title else ""
        return " ".join(part for part in (quoted, self.info.speaker) if part)


def _retitled(book: Shelved) -> Named:
    info = book.info
    return _Name(info.id, book.speech.title, info.speaker, info.date)
