"""The text a chat, a reminder or the reader reads, fresh across replicas: the one home of "text N
of the library" (``Shelf``). Handlers (``handlers.texts``), the daily push (``bot.push``) and the
reader (``bot.reader.api``) all get their books here, so a title fixed or a text removed on
another replica, or from the shell, shows in all three within ``TEXT_CHECK_SECONDS``.

Who may see a text (a draft is the owners') is the caller's business: the shelf answers what the
database holds."""

from __future__ import annotations

import asyncio
import logging

from content import SpeechFormatError
from content.library import Book, Library
from content.model import ORIGINAL
from handlers.caches import BoundedCache
from handlers.store import Texts

log = logging.getLogger(__name__)

TEXT_CHECK_SECONDS = 30.0
"""How long a text in memory is trusted before it is compared with the database again: another
replica's /describe or a removal from the shell shows within that, at one read per text."""
TEXT_CHECKS = 4096
"""Texts whose last check is remembered at most."""


class Shelf:
    """The library's books (``Library``, in memory) kept in step with its texts in the database
    (``Texts``). A text is read at most once at a time however many callers ask for it."""

    def __init__(self, library: Library, texts: Texts, seconds: float = TEXT_CHECK_SECONDS) -> None:
        self.library = library
        self.texts = texts
        self.checks: BoundedCache[int, bool] = BoundedCache(TEXT_CHECKS, seconds)  # text → read lately
        self._loading: dict[int, asyncio.Task[Book | None]] = {}

    @property
    def original(self) -> Book:
        return self.library.original

    async def book(self, text_id: int | None) -> Book | None:
        """The book of ``text_id`` (None or 1: the original, always a book), from memory when it
        was compared with the database within ``TEXT_CHECK_SECONDS``, else read again; None for a
        text never stored (or a discarded draft) and for a body that no longer parses (logged).
        A read that fails leaves the book in memory in use (logged); with none, it raises."""
        text_id = text_id or ORIGINAL
        book = self.library.original if text_id == ORIGINAL else self.library.get(text_id)
        if book is not None and self.checks.get(text_id):
            return book
        try:
            return await self._read(text_id)
        except Exception:
            if book is None:
                raise
            log.exception("text %d could not be read again: what is in memory is used", text_id)
            return book

    async def fresh(self, text_id: int) -> Book | None:
        """The book of ``text_id`` as the database has it now: for what a button or a link names,
        whose answer must say if the text was removed."""
        return await self._read(text_id)

    async def _read(self, text_id: int) -> Book | None:
        task = self._loading.get(text_id)
        if task is None:
            task = self._loading[text_id] = asyncio.ensure_future(self._load(text_id))
            task.add_done_callback(lambda _: self._loading.pop(text_id, None))
        return await asyncio.shield(task)  # a caller cancelled while waiting leaves it for the others

    async def _load(self, text_id: int) -> Book | None:
        """Read text ``text_id`` into the library (a kept book's metadata brought up to date, a
        retitled one parsed anew) and note when it was checked. The original is always in memory:
        only its metadata is read (``/describe 1``), from the same speech file's row."""
        record = await self.texts.text(text_id)
        self.checks.put(text_id, True)
        if text_id == ORIGINAL:
            original = self.library.original
            if record is not None and record.body and record.info.digest == original.info.digest:
                self.library.add(record.info, record.body)
            return self.library.original
        if record is None:  # a draft discarded since
            self.library.drop(text_id)
            return None
        try:  # parsing a text is milliseconds of CPU: off the event loop (a search of all texts loads many)
            return await asyncio.to_thread(self.library.add, record.info, record.body)
        except SpeechFormatError:
            log.exception("text %d is stored but does not parse", text_id)
            return None
