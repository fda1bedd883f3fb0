"""The library: every text the bot holds, the original speech first (text 1).

A text is stored once, content-addressed by ``digest`` of its normalised body (the text the
``.txt`` parser reads, title block removed), with its metadata (``TextInfo``). In memory a
text is a ``Book``: its ``Speech`` with node ids scoped by the text (``content.model.scoped``:
``2:4.2``; the original's stay ``4.2``), and its search service, summaries and 慎 ranking,
each built on first use from the ``Makers`` the composition root gives (they read and write the
on-disk caches keyed by the text's content, so a known text is never encoded again).

``Library`` keeps the original and at most ``capacity`` other books (least recently used go:
a book is rebuilt from its body and the disk caches in milliseconds). It holds no storage: the
bot loads a text's record from the database and ``add`` s it (``handlers.texts``).
"""

from __future__ import annotations

import hashlib
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from content.controls import strip_controls
from content.model import ORIGINAL, Speech, split_scope
from content.naming import TextName
from content.parser import parse_text

if TYPE_CHECKING:
    from content.answer import Searcher
    from content.search import Hit
    from content.shen import Ranking, Reminder
    from content.summaries import Summaries

class TextStatus(StrEnum):
    """Where a text stands in the library; the value is what storage keeps."""

    DRAFT = "draft"
    """Uploaded, not yet published: only its uploader sees it."""
    LIVE = "live"
    """Published: members can choose it."""
    REMOVED = "removed"
    """Taken out of the library: still readable through what members saved and old buttons, never offered."""



@dataclass(frozen=True)
class TextInfo:
    """A text of the library as everything outside storage sees it."""

    id: int
    title: str | None
    speaker: str | None = None
    date: date | None = None
    occasion: str | None = None
    digest: str = ""
    nodes: int = 0  # parts, sections and points, as ``library list`` shows
    status: TextStatus = TextStatus.LIVE
    added_at: datetime | None = None
    source: str = ""  # the file it came from (its name only)

    @property
    def short(self) -> str:
        """Its short name on search hits and cards, in Chinese (``TextName.short``)."""
        return TextName(self).short


def lacking(info: TextInfo, title: str | None, speaker: str | None, when: date | None,
            occasion: str | None) -> dict[str, str | date]:
    """The details given (a file's title block, sent again) that text ``info`` has none of yet.
    A detail the text has is never replaced: its owner may have set it on purpose."""
    given: dict[str, str | date | None] = {"title": title, "speaker": speaker, "date": when, "occasion": occasion}
    current: dict[str, str | date | None] = {"title": info.title, "speaker": info.speaker, "date": info.date,
                                             "occasion": info.occasion}
    return {name: value for name, value in given.items() if value and not current[name]}


def normalise(body: str) -> str:
    """The body as it is hashed and stored: NFC, line ends unified, no control characters
    (``content.controls``), each line trimmed, no blank lines. Two files of the same speech
    (Word, PDF, .txt) normalise to the same body."""
    text = unicodedata.normalize("NFC", strip_controls(body.replace("\r\n", "\n").replace("\r", "\n")))
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def digest(body: str) -> str:
    """The content address of a text: SHA-256 of its normalised body, hex."""
    return hashlib.sha256(normalise(body).encode()).hexdigest()


def body_of(speech: Speech) -> str:
    """A parsed speech as a body again: its title, salutation and the paragraphs of its top nodes
    (each verbatim, a section's points inside its paragraph as the file has them): what the
    library stores for the speech file (text 1). It parses to the same outline, and it is the
    file's own normalised text, so an upload of the speech file is known as text 1."""
    lines = [line for line in (speech.title, speech.salutation) if line]
    lines += [paragraph for node in speech.top for paragraph in node.text.split("\n")]
    return normalise("\n".join(lines))


def node_count(speech: Speech) -> int:
    """Parts, sections and points: what ``library list`` calls the size of a text."""
    return sum(1 for node in speech.nodes() if node.kind in ("part", "section", "point"))


def parse_body(info: TextInfo, body: str) -> Speech:
    """A stored body as the speech of text ``info.id`` (ids scoped, the stored title)."""
    speech = parse_text(normalise(body), source=info.source or f"text {info.id}")
    if info.title:
        speech = Speech(title=info.title, salutation=speech.salutation, top=speech.top, source=speech.source)
    return speech.scoped(info.id)


@dataclass(frozen=True)
class Makers:
    """How a book builds its services (the composition root binds the encoder and cache dir)."""

    searcher: Callable[[Speech], Searcher]
    summaries: Callable[[Speech], Summaries]
    ranking: Callable[[Speech], Ranking | None]


class Book:
    """One text in memory: its speech and, built once on first use, its services. Thread-safe:
    the services are built under a lock (searches run in threads)."""

    def __init__(self, info: TextInfo, speech: Speech, makers: Makers) -> None:
        self.info = info
        self.speech = speech
        self._makers = makers
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._summaries: Summaries | None = None
        self._ranking: tuple[Ranking | None] | None = None

    @property
    def id(self) -> int:
        return self.info.id

    @property
    def searcher(self) -> Searcher:
        with self._lock:
            if self._searcher is None:
                self._searcher = self._makers.searcher(self.speech)
            return self._searcher

    @property
    def summaries(self) -> Summaries:
        with self._lock:
            if self._summaries is None:
                self._summaries = self._makers.summaries(self.speech)
            return self._summaries

    @property
    def ranking(self) -> Ranking | None:
        """How close each quote is to each 慎 (None without an encoder); blocks the first time."""
        with self._lock:
            if self._ranking is None:
                self._ranking = (self._makers.ranking(self.speech),)
            return self._ranking[0]

    def ready(self) -> Book:
        """Build every service now (the embeddings, the summaries, the ranking) and return the
        book: an import does this once, so no member waits for it later."""
        self.searcher.warm()
        self.summaries.warm()
        _ = self.ranking
        return self


@dataclass
class Library:
    """The books in memory: the original always, others up to ``capacity`` (LRU)."""

    original: Book
    makers: Makers
    capacity: int = 64
    _books: OrderedDict[int, Book] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def of(cls, speech: Speech, makers: Makers, info: TextInfo | None = None, capacity: int = 64) -> Library:
        """A library whose original is ``speech`` (text 1)."""
        info = info or TextInfo(id=ORIGINAL, title=speech.title, nodes=node_count(speech), source=speech.source)
        return cls(Book(info, speech, makers), makers, capacity)

    def get(self, text_id: int | None) -> Book | None:
        """The book of ``text_id`` if it is in memory (None: the original)."""
        if text_id is None or text_id == ORIGINAL:
            return self.original
        with self._lock:
            book = self._books.get(text_id)
            if book is not None:
                self._books.move_to_end(text_id)
            return book

    def add(self, info: TextInfo, body: str) -> Book:
        """Parse a stored text into a book and keep it (or refresh the one kept: its metadata
        may have changed). Raises ``SpeechFormatError`` for a body that no longer parses."""
        if info.id == ORIGINAL:
            self.original.info = info
            return self.original
        with self._lock:
            kept = self._books.get(info.id)
            if kept is not None and kept.info.digest == info.digest and kept.info.title == info.title:
                kept.info = info
                self._books.move_to_end(info.id)
                return kept
        book = Book(info, parse_body(info, body), self.makers)
        with self._lock:
            self._books[info.id] = book
            while len(self._books) > self.capacity:
                self._books.popitem(last=False)
        return book

    def drop(self, text_id: int) -> None:
        """Forget a book (removed, or its metadata changed on another replica)."""
        with self._lock:
            self._books.pop(text_id, None)

    def scope_of(self, ref: str) -> int:
        """The text a reference names: its scope, else the original."""
        scope, _ = split_scope(ref)
        return scope or ORIGINAL


def search_books(books: Iterable[Book], query: str, limit: int = 5) -> list[tuple[Book, Hit]]:
    """Search several texts at once: each text's answer (``Searcher.answer``), merged exact
    first, then related, then nearest, by score within a tier; at most ``limit`` hits. Blocks:
    call it in a thread."""
    order = {"exact": 0, "related": 1, "nearest": 2}
    found = [(book, hit) for book in books for hit in book.searcher.answer(query, limit)]
    found.sort(key=lambda pair: (order.get(pair[1].tier, 3), -pair[1].score))
    if any(hit.tier != "nearest" for _, hit in found):
        found = [pair for pair in found if pair[1].tier != "nearest"]
    return found[:limit]


def reminder_of(book: Book, original: Book, day: date) -> tuple[Reminder, bool]:
    """The day's 慎 reminder from ``book`` (its quotes ranked against the day's principle), or
    from the original when no quote of the book fits the principle: ``(reminder, fell_back)``."""
    from content.shen import reminder

    if book is not original:
        try:
            return reminder(book.speech, day, book.ranking), False
        except ValueError:  # too short, or nothing close enough to the day's principle
            pass
    return reminder(original.speech, day, original.ranking), book is not original
