"""What one import may cost, and the checks that refuse a file before it costs it.

A speech is tens of pages: the original is 5,266 characters (15 KB) and 108 sentences, a long
report such as a party congress's is about 32,000 characters. Small hostile files cost minutes
and gigabytes instead: a .docx of millions of empty paragraphs, a PDF page of millions of text
operators or whose stream inflates to a gigabyte, a numbering label of thousands of Roman
numerals. So an import (``content.formats.import_bytes``) checks, cheaply and before the
readers build anything large:

- a .docx: the unpacked size of its parts (the zip's sizes; Python's zipfile never reads past
  them) and of its XML, then its paragraphs counted in a stream of document.xml;
- a .pdf: its pages counted, each page's content stream inflated at most to its cap; the
  characters each page draws, and all pages together, before any line is built; again the
  characters read, once the lines are;
- while numbering is rebuilt: the length of each label;
- the blocks read: paragraphs and characters; the parsed speech: its sentences.

Beyond these, ``content.formats.isolated`` runs the import in a child process with a memory
and a wall-time limit. A refusal is a ``LimitError``: one line naming the file, the limit and,
where known, the size found; ``code`` and ``params`` let a chat say it in its own language.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any

from content.formats.blocks import DocumentError


@dataclass(frozen=True)
class Limits:
    """The caps of one import (``bot.settings`` makes the first four configurable)."""

    characters: int = 60_000  # the text: 11× the original, nearly 2× a congress report
    sentences: int = 3_000  # the original has 108; 60,000 characters of short sentences ~2,400
    memory_mb: int = 1_024  # the child's address space (RLIMIT_AS); an import of a speech needs ~150 MB
    seconds: float = 60.0  # the child's wall time: a 100-page PDF reads in ~30 s on a slow core
    unpacked_bytes: int = 64 * 1024 * 1024  # a .docx's parts, pictures included
    xml_bytes: int = 24 * 1024 * 1024  # a .docx's XML parts (document.xml of 60,000 characters: ~2-6 MB)
    paragraphs: int = 20_000  # in document.xml (empty ones too), or blocks read
    pages: int = 150  # a speech printed in the official format (616 characters a page) at the cap
    page_bytes: int = 2 * 1024 * 1024  # a PDF page's content stream, inflated (a text page: 10-100 KB)
    page_characters: int = 6_000  # characters drawn on one PDF page (a dense A4 page: ~2,500)
    label: int = 64  # characters of one automatic-numbering label (第一部分、 1.2.3.)

    def to_dict(self) -> dict[str, int | float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Limits:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


_current = Limits()


def current() -> Limits:
    """The limits in force in this process (the child's are the bot's settings)."""
    return _current


@contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    """Imports in this block use ``limits`` (the child sets them once; tests lower them)."""
    global _current
    before, _current = _current, limits
    try:
        yield limits
    finally:
        _current = before


class LimitCode(StrEnum):
    """Which limit refused a file; the error's ``params`` carry the figures its message needs."""

    UNPACKED = "unpacked"
    PARAGRAPHS = "paragraphs"
    PAGES = "pages"
    PAGE_BYTES = "page_bytes"
    PAGE_CHARACTERS = "page_characters"
    LABEL = "label"
    CHARACTERS = "characters"
    SENTENCES = "sentences"
    MEMORY = "memory"
    TIME = "time"
    CRASHED = "crashed"


class TooLarge(Exception):
    """A limit reached deep inside a reader, which does not know the file's name;
    ``import_bytes`` turns it into a ``LimitError``."""

    def __init__(self, code: LimitCode, **params: int | float) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def size(value: float) -> str:
    """Bytes as people read them: 190 MB, 850 KB."""
    if value >= 1024 * 1024:
        return f"{value / (1024 * 1024):.0f} MB"
    return f"{max(1, round(value / 1024))} KB"


def _n(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


_MESSAGES: dict[LimitCode, Callable[[dict[str, int | float]], str]] = {
    LimitCode.UNPACKED: lambda p: (f"{size(p['size'])} when unpacked: too large to be a speech "
                                   f"(at most {size(p['limit'])})"),
    LimitCode.PARAGRAPHS: lambda p: f"more than {_n(p['limit'])} paragraphs: too many for a speech",
    LimitCode.PAGES: lambda p: f"{_n(p['count'])} pages: too long to be a speech (at most {_n(p['limit'])})",
    LimitCode.PAGE_BYTES: lambda p: (f"page {p['page']} draws more than {size(p['limit'])} of instructions: "
                                     "not a page of text"),
    LimitCode.PAGE_CHARACTERS: lambda p: (f"page {p['page']} has more than {_n(p['limit'])} characters: "
                                          "not a page of text"),
    LimitCode.LABEL: lambda p: f"an automatic numbering label longer than {_n(p['limit'])} characters",
    LimitCode.CHARACTERS: lambda p: (f"{'more than ' if p.get('more') else ''}{_n(p['count'])} characters: "
                                     f"too long for one text (at most {_n(p['limit'])})"),
    LimitCode.SENTENCES: lambda p: f"{_n(p['count'])} sentences: too many for one text (at most {_n(p['limit'])})",
    LimitCode.MEMORY: lambda p: f"reading it needs more than {_n(p['limit'])} MB of memory",
    LimitCode.TIME: lambda p: f"reading it takes longer than {_n(p['limit'])} s",
    LimitCode.CRASHED: lambda p: "the reader stopped on it (out of memory, or a damaged file)",
}
CODES = frozenset(_MESSAGES)


class LimitError(DocumentError):
    """A file refused for its size or its cost: one line, ``code`` and ``params`` for the chat."""

    def __init__(self, source: str, code: LimitCode, **params: int | float) -> None:
        super().__init__(source, _MESSAGES[code](params))
        self.code = code
        self.params = params

    @classmethod
    def of(cls, source: str, error: TooLarge) -> LimitError:
        return cls(source, error.code, **error.params)


# --- .docx ---------------------------------------------------------------------------------

_W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
_W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"


def check_docx(data: bytes) -> None:
    """Refuse a .docx whose parts unpack too large, or whose document.xml holds too many
    paragraphs or characters, reading it as a stream (nothing of it is kept)."""
    limits = current()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        return  # the reader says what is wrong with it
    with archive:
        infos = archive.infolist()
        unpacked = sum(info.file_size for info in infos)
        if unpacked > limits.unpacked_bytes:
            raise TooLarge(LimitCode.UNPACKED, size=unpacked, limit=limits.unpacked_bytes)
        xml = sum(info.file_size for info in infos if info.filename.endswith((".xml", ".rels")))
        if xml > limits.xml_bytes:
            raise TooLarge(LimitCode.UNPACKED, size=xml, limit=limits.xml_bytes)
        main = next((info for info in infos if re.fullmatch(r"word/document\d*\.xml", info.filename)), None)
        if main is None:
            return
        from lxml import etree

        paragraphs = characters = 0
        try:
            with archive.open(main) as stream:
                for _, element in etree.iterparse(stream, events=("end",), tag=(_W_P, _W_T),
                                                  resolve_entities=False, no_network=True, huge_tree=False):
                    if element.tag == _W_P:
                        paragraphs += 1
                        if paragraphs > limits.paragraphs:
                            raise TooLarge(LimitCode.PARAGRAPHS, limit=limits.paragraphs)
                        element.clear(keep_tail=False)
                        parent = element.getparent()
                        while parent is not None and element.getprevious() is not None:
                            del parent[0]
                    else:
                        characters += len(element.text or "")
                        if characters > 2 * limits.characters:  # markup aside, the text is counted again later
                            raise TooLarge(LimitCode.CHARACTERS, count=2 * limits.characters, limit=limits.characters,
                                           more=1)
        except (TooLarge, MemoryError):
            raise
        except Exception:  # not well-formed, damaged: the reader says it in its words
            return


# --- .pdf ----------------------------------------------------------------------------------

def _inflated(raw: bytes, filters: list[str], cap: int) -> int:
    """The size of a stream decoded, stopping past ``cap``; -1 when it cannot be told cheaply."""
    if filters in (["FlateDecode"], ["Fl"]):
        inflater = zlib.decompressobj()
        try:
            out = inflater.decompress(raw, cap + 1)
        except zlib.error:
            return -1
        return len(out)
    if not filters:
        return len(raw)
    return -1


def check_pdf(data: bytes) -> None:
    """Refuse a PDF of too many pages, or a page whose content stream inflates past its cap,
    before pdfplumber interprets any of it."""
    limits = current()
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import PDFStream, resolve1

        document = PDFDocument(PDFParser(io.BytesIO(data)))
        pages = PDFPage.create_pages(document)
        total = 0
        for number, page in enumerate(pages, start=1):
            if number > limits.pages:
                count = number + sum(1 for _ in itertools.islice(pages, 100_000))
                raise TooLarge(LimitCode.PAGES, count=count, limit=limits.pages)
            contents = resolve1(page.attrs.get("Contents"))
            streams = contents if isinstance(contents, list) else [contents]
            drawn = 0
            for stream in (resolve1(s) for s in streams):
                if not isinstance(stream, PDFStream):
                    continue
                names = resolve1(stream.get("Filter")) or []
                filters = [str(getattr(resolve1(n), "name", n))
                           for n in (names if isinstance(names, list) else [names])]
                found = _inflated(stream.rawdata or b"", filters, limits.page_bytes - drawn)
                if found < 0:  # another filter: pdfminer decodes it (the memory limit holds)
                    found = len(stream.get_data() or b"")
                drawn += found
                if drawn > limits.page_bytes:
                    raise TooLarge(LimitCode.PAGE_BYTES, page=number, limit=limits.page_bytes)
            total += drawn
            if total > limits.unpacked_bytes:
                raise TooLarge(LimitCode.UNPACKED, size=total, limit=limits.unpacked_bytes)
    except (TooLarge, MemoryError):
        raise
    except Exception:  # damaged, encrypted: the reader says it in its words
        return


DRAWN = 1.5
"""Characters drawn per character read: a WPS fake bold draws a heading twice."""


def check_drawn(page: int, characters: int, so_far: int) -> None:
    """Refuse a PDF by the characters its pages draw, before its lines are built (five times the
    cost of drawing them): a page of more than a page of text, or more than a text in all."""
    limits = current()
    if characters > limits.page_characters:
        raise TooLarge(LimitCode.PAGE_CHARACTERS, page=page, limit=limits.page_characters)
    if so_far > DRAWN * limits.characters:
        raise TooLarge(LimitCode.CHARACTERS, count=so_far, limit=limits.characters, more=1)


def check_page(page: int, characters: int, so_far: int) -> None:
    """Refuse a PDF page of more characters than a page of text, or a document of more than a text."""
    limits = current()
    if characters > limits.page_characters:
        raise TooLarge(LimitCode.PAGE_CHARACTERS, page=page, limit=limits.page_characters)
    if so_far > limits.characters:
        raise TooLarge(LimitCode.CHARACTERS, count=so_far, limit=limits.characters, more=1)


# --- every format --------------------------------------------------------------------------

def check_label(text: str) -> None:
    """Refuse an automatic-numbering label longer than any real one."""
    if len(text) > current().label:
        raise TooLarge(LimitCode.LABEL, limit=current().label)


def check_text(paragraphs: int, characters: int) -> None:
    """Refuse what the reader read when it is more than one text."""
    limits = current()
    if characters > limits.characters:
        raise TooLarge(LimitCode.CHARACTERS, count=characters, limit=limits.characters)
    if paragraphs > limits.paragraphs:
        raise TooLarge(LimitCode.PARAGRAPHS, limit=limits.paragraphs)


def check_sentences(count: int) -> None:
    if count > current().sentences:
        raise TooLarge(LimitCode.SENTENCES, count=count, limit=current().sentences)
