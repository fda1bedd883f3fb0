"""What an import returns, what it reads on the way, and how it fails.

Every format reader turns its file into ``Block`` s (one per paragraph or line, with where it
stands in the file for messages); ``content.formats.assemble`` turns those into the text the
``.txt`` parser reads. Failures are ``DocumentError`` s: a ``SpeechFormatError`` whose one
line names the file and, where it applies, the place (``speech.txt:12: …``,
``speech.docx: paragraph 12 「（三）严格遵守纪律…」: …``, ``speech.pdf: page 2, line 5 …``),
so everything that already reports a broken speech file reports these the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypedDict

from content.model import NodeDict, Speech
from content.parser import SpeechFormatError

EXCERPT = 12
"""How many characters of a paragraph an error message quotes: enough to find it in Word."""


def excerpt(text: str, length: int = EXCERPT) -> str:
    """The first characters of a paragraph, as a message quotes them."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length] + "…"


class DocumentError(SpeechFormatError):
    """A file that cannot be imported; ``str()`` is one line naming the file and the place."""

    def __init__(self, source: str, message: str, *, line: int = 0, where: str | None = None,
                 text: str | None = None) -> None:
        place = where + (f" 「{excerpt(text)}」" if text else "") if where else None
        if line:
            head = f"{source}:{line}"
        elif place:
            head = f"{source}: {place}"
        else:
            head = source
        ValueError.__init__(self, f"{head}: {message}")
        self.source = source
        self.line = line
        self.message = message
        self.where = place


@dataclass(frozen=True)
class Block:
    """One line of a document as the reader sees it (a paragraph, or one line of it)."""

    text: str
    where: str  # "paragraph 12", "page 2, line 5", "line 7": for messages
    line: int = 0  # the file's line (.txt): errors then read ``file:line: …`` as the parser's do
    level: int | None = None  # a heading by its Word style: 1 part, 2 section, 3 point
    centred: bool = False
    title_style: bool = False  # Word's Title/Subtitle style


class NoteCode(StrEnum):
    """What an import note is about; the note's English message carries its figures."""

    TABLES = "tables"
    FOOTNOTES = "footnotes"
    ENDNOTES = "endnotes"
    TEXT_BOXES = "text_boxes"
    PAGE_FURNITURE = "page_furniture"
    """Running headers, footers and page numbers of a PDF."""
    ENCODING = "encoding"
    """A .txt not in UTF-8, read in the encoding it has."""
    FORMAT = "format"
    """A file whose content is another format than its name says."""
    CONTROLS = "controls"


@dataclass(frozen=True)
class Note:
    """Something the import left out or guessed, for the person who added the file.

    ``code`` is stable (a handler can word it in the reader's language); ``message`` is the
    English default."""

    code: NoteCode
    message: str


@dataclass(frozen=True)
class Metadata:
    """What the title block on top of a speech says; ``None`` where it says nothing."""

    title: str | None = None
    speaker: str | None = None
    date: date | None = None
    occasion: str | None = None

    def to_dict(self) -> MetadataDict:
        return MetadataDict(title=self.title, speaker=self.speaker, date=self.date.isoformat() if self.date else None,
                            occasion=self.occasion)


class MetadataDict(TypedDict):
    """``Metadata`` as JSON: the date as ISO 8601 (2026-11-30)."""

    title: str | None
    speaker: str | None
    date: str | None
    occasion: str | None


class NoteDict(TypedDict):
    """A ``Note`` as JSON."""

    code: NoteCode
    message: str


class ImportedDict(TypedDict):
    """``Imported`` as ``speechbot import --json`` prints it."""

    file: str
    format: str
    metadata: MetadataDict
    salutation: str | None
    nodes: list[NodeDict]
    notes: list[NoteDict]


@dataclass(frozen=True)
class Imported:
    """A file read into the speech model: the parsed speech, its metadata, notes on what was left out."""

    speech: Speech
    metadata: Metadata
    notes: tuple[Note, ...] = field(default=())
    format: str = "txt"
    body: str = ""  # the text the parser read (title block removed): what the library stores and hashes

    def to_dict(self) -> ImportedDict:
        """The JSON shape of ``speechbot import --json``."""
        return {
            "file": self.speech.source,
            "format": self.format,
            "metadata": self.metadata.to_dict(),
            "salutation": self.speech.salutation,
            "nodes": [node.to_dict() for node in self.speech.top],
            "notes": [NoteDict(code=note.code, message=note.message) for note in self.notes],
        }
