"""``.pdf`` with a text layer: lines back into paragraphs, page furniture left out.

Read with pdfplumber (pdfminer.six underneath) because it gives every character with its box:
that is what tells a line that wraps (it runs to the right margin and the next line is not
indented) from a paragraph's last line, a centred title line from body text, and a running
header or page number (the first or last line of a page) from the speech. pypdf's
``extract_text`` gives the text without the geometry, which would leave those to guesses.

- characters drawn twice for a fake bold (common in WPS exports) count once;
- a line is the characters pdfplumber clusters on one baseline; CJK characters join without
  spaces, Latin words with one, and a space drawn or a wide gap inside a line is one space;
- compatibility ideographs and Latin ligatures (ﬁ) read as the characters they stand for (the
  radicals that Chromium's and Word's PDFs carry for ideographs are mapped here, before the
  heading rules read the lines, and for every format in ``content.formats.assemble``);
- a page's first or last line that is a page number (3, - 3 -, 第3页, 3/10) or repeats at the
  top or bottom of most pages (digits aside) is left out, with a note;
- a new paragraph starts after a line that stops short of the right margin (but for a line that
  Chinese line breaking left short: the next line starts a character or two before a ，or ”), at an indented
  line, after a larger vertical gap, at a heading marker (一、 （一）) after a sentence end, and
  around centred lines; otherwise lines join.

A PDF without a text layer (a scan) or whose fonts have no Unicode map is one clear error, not
garbage text.
"""

from __future__ import annotations

import io
import itertools
import logging
import math
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NotRequired, TypedDict

from content.formats.blocks import Block, DocumentError, Note, NoteCode
from content.formats.ideographs import ideographs
from content.formats.limits import TooLarge, check_drawn, check_page

if TYPE_CHECKING:
    from pdfplumber.page import Page

MAX_PAGES = 500
"""A speech is tens of pages; reading a book-length PDF would hold the importer for minutes."""

NO_TEXT_LAYER = ("no text layer: the pages are images (a scan?), nothing to read; send the Word file "
                 "or a PDF saved with its text")
UNREADABLE = ("the text layer cannot be read: its fonts map their characters to no Unicode text; "
              "send the Word file")
_PAGE_NUMBER = re.compile(
    r"^[-—–－_·•\s]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:(?:/|／|of|共)\s*\d{1,4}\s*页?)?[-—–－_·•\s]*$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_SENTENCE_END = "。！？；!?;：:”」』"
_CID = re.compile(r"^\(cid:\d+\)$")


class _Char(TypedDict):
    """A character as pdfplumber gives it (the keys read here; it has more): its text (a ligature
    several), its box's left and right edge, its font size, and whether it stands upright."""

    text: str
    x0: float
    x1: float
    size: float
    upright: NotRequired[bool]


@dataclass
class _Line:
    page: int
    number: int  # on its page, from 1, counting every line
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    height: float  # the page's
    width: float  # the page's


def _ideograph(char: str) -> str:
    """Compatibility ideographs and Latin ligatures (ﬁ, ﬂ) as the characters they stand for."""
    code = ord(char)
    if 0xF900 <= code <= 0xFAFF or 0xFB00 <= code <= 0xFB06:
        return unicodedata.normalize("NFKC", char)
    return char


def _ascii_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in ".,;:%)")


def _compose(chars: Sequence[_Char]) -> tuple[str, float, float] | None:
    """A line's text from its characters, with where its first and last visible characters stand."""
    out: list[str] = []
    x0 = x1 = 0.0
    previous: _Char | None = None
    spaced = False
    seen: set[int] = set()
    for char in sorted(chars, key=lambda c: c["x0"]):
        if id(char) in seen:  # a ligature (——, ﬁ) is listed once for each character it draws
            continue
        seen.add(id(char))
        text = ideographs("".join(_ideograph(c) for c in char["text"]))
        if not text.strip():
            spaced = True
            continue
        if previous is None:
            x0 = char["x0"]
        else:
            gap = char["x0"] - previous["x1"]
            latin = _ascii_word(out[-1][-1]) and text[0].isascii() and text[0].isalnum()
            if spaced or gap > 0.6 * char["size"] or (latin and gap > 0.2 * char["size"]):
                out.append(" ")  # a space drawn, a wide gap (县长　张　三), or between Latin words
        out.append(text)
        previous, spaced = char, False
        x1 = char["x1"]
    return ("".join(out), x0, x1) if out else None


@dataclass
class _Page:
    lines: list[_Line]
    unreadable: int  # characters without Unicode text: (cid:…) or private-use code points
    total: int
    fonts: bool  # the page uses fonts (text drawn), whatever could be extracted


def _page_lines(page: Page, number: int) -> _Page:
    """The page's lines and how readable its characters are."""
    resources = getattr(page.page_obj, "resources", None) or {}
    fonts = bool(resources.get("Font")) if isinstance(resources, dict) else False
    page = page.dedupe_chars(tolerance=1)
    lines = []
    unreadable = total = 0
    for index, line in enumerate(page.extract_text_lines(return_chars=True, strip=False), start=1):
        chars: list[_Char] = [c for c in line["chars"] if c.get("upright", True)]
        total += len(chars)
        unreadable += sum(1 for c in chars if _CID.match(c["text"]) or
                          any(0xE000 <= ord(ch) <= 0xF8FF for ch in c["text"]))
        composed = _compose(chars)
        if composed is None:
            continue
        text, x0, x1 = composed
        size = statistics.median(c["size"] for c in chars) or 10.0
        lines.append(_Line(number, index, text, x0, x1, line["top"], line["bottom"], size, float(page.height),
                           float(page.width)))
    return _Page(lines, unreadable, total, fonts)


def _open_pages(data: bytes, source: str) -> list[_Page]:
    if b"%PDF-" not in data[:1024]:
        raise DocumentError(source, "not a PDF file (no %PDF header)")
    import pdfplumber

    # pdfminer logs a warning for every damage it works around; the one error we raise says it.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise DocumentError(source, f"{len(pdf.pages)} pages: too long to be a speech (at most {MAX_PAGES})")
            drawn = 0
            for number, page in enumerate(pdf.pages, start=1):  # the characters first: lines cost 5× more
                drawn += len(page.chars)
                check_drawn(number, len(page.chars), drawn)
            pages, read = [], 0
            for number, page in enumerate(pdf.pages, start=1):
                pages.append(_page_lines(page, number))
                read += pages[-1].total
                check_page(number, pages[-1].total, read)  # a page, and the document, no larger than a text
            return pages
    except (DocumentError, TooLarge):
        raise
    except Exception as exc:  # pdfminer's many syntax errors: one line, not a traceback
        cause = exc.__cause__ or exc.__context__ or exc
        names = f"{type(exc).__name__} {type(cause).__name__}"
        if "Password" in names or "Encryption" in names:
            raise DocumentError(source, "the PDF is password-protected: send it without a password") from None
        reason = str(exc) or str(cause) or type(cause).__name__
        raise DocumentError(source, f"cannot be read as a PDF (damaged?): {reason}") from None


def _furniture(pages: list[list[_Line]]) -> set[tuple[int, int]]:
    """Running headers and footers and page numbers: ``(page, line)`` of each.

    Besides page numbers and lines that repeat on most pages, a page's first or last line set
    small at the very edge of the page is furniture even on a one-page PDF: what a browser prints
    there (Chromium: the date and the page's title on top, its address and ``1/2`` below)."""
    drop: set[tuple[int, int]] = set()
    sizes = [line.size for lines in pages for line in lines]
    body = statistics.median(sizes) if sizes else 0.0
    for lines in pages:
        for line in lines[:1] + lines[-1:]:
            in_margin = line.top < 0.15 * line.height or line.bottom > 0.85 * line.height
            at_edge = line.top < 0.06 * line.height or line.bottom > 0.94 * line.height
            if (in_margin and _PAGE_NUMBER.match(line.text)) or (at_edge and line.size < 0.85 * body):
                drop.add((line.page, line.number))
    if len(pages) >= 2:
        seen: defaultdict[tuple[str, str], set[int]] = defaultdict(set)
        for lines in pages:
            for edge, candidates in (("top", lines[:2]), ("bottom", lines[-2:])):
                for line in candidates:
                    seen[edge, _shape(line.text)].add(line.page)
        needed = max(2, math.ceil(len(pages) / 2))
        repeated = {key for key, on in seen.items() if len(on) >= needed}
        for lines in pages:
            for edge, candidates in (("top", lines[:2]), ("bottom", lines[-2:])):
                drop.update((line.page, line.number) for line in candidates if (edge, _shape(line.text)) in repeated)
    return drop


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split()))


def _join(head: str, tail: str) -> str:
    if head[-1:].isascii() and head[-1:].isalnum() and tail[:1].isascii() and tail[:1].isalnum():
        return f"{head} {tail}"
    return head + tail


_NO_LINE_START = "，。、；：？！”’）》」』】〕…—,.;:?!)"


def _kinsoku(previous: _Line, line: _Line, right: float) -> bool:
    """A line that stops a character or two short because the next character could not start a
    line (，。、” …): the typesetter moved the character before it down too (Chinese line
    breaking), so the paragraph goes on."""
    size = previous.size
    return (previous.x1 >= right - 3.5 * size and previous.text[-1:] not in _SENTENCE_END
            and not _HEADING.match(line.text)  # 二、 and （一） start a heading, whatever is before them
            and (line.text[:1] in _NO_LINE_START or line.text[1:2] in _NO_LINE_START))


def _paragraphs(lines: list[_Line]) -> list[Block]:
    """Lines into paragraphs (see the module's rules)."""
    if not lines:
        return []
    size = statistics.median(line.size for line in lines)
    # The margins: most lines are a paragraph's continuation lines, flush with both.
    left = sorted(line.x0 for line in lines)[int(0.1 * (len(lines) - 1))]
    right = sorted(line.x1 for line in lines)[int(0.9 * (len(lines) - 1))]
    pitches = [b.top - a.top for a, b in itertools.pairwise(lines) if a.page == b.page and b.top > a.top]
    pitch = statistics.median(pitches) if pitches else 1.5 * size

    def centred(line: _Line) -> bool:
        # As much room on either side (the page's margins taken as equal), and plenty of it: an
        # indented line that runs to the margin is not centred.
        before, after = line.x0 - left, line.width - left - line.x1
        return before > 2 * size and after > 2 * size and abs(before - after) < 3 * size

    blocks: list[Block] = []
    current: list[_Line] = []

    def flush() -> None:
        if current:
            text = current[0].text
            for line in current[1:]:
                text = _join(text, line.text)
            first = current[0]
            blocks.append(Block(text=text, where=f"page {first.page}, line {first.number}",
                                centred=len(current) == 1 and centred(first)))
            current.clear()

    for line in lines:
        if current:
            previous = current[-1]
            breaks = (
                (previous.x1 < right - 1.5 * size and not _kinsoku(previous, line, right))  # its paragraph ends
                or line.x0 > left + 0.9 * size  # an indented (or centred) line starts one
                or centred(previous)
                or (line.page == previous.page and line.top - previous.top > 1.5 * pitch)
                or (_HEADING.match(line.text) is not None and previous.text[-1:] in _SENTENCE_END)
            )
            if breaks:
                flush()
        current.append(line)
    flush()
    return blocks


def read_pdf(data: bytes, source: str) -> tuple[list[Block], list[Note]]:
    """The PDF's paragraphs as blocks, and a note on the page furniture left out."""
    pages = _open_pages(data, source)
    if not pages:
        raise DocumentError(source, "cannot be read as a PDF (damaged?): it has no pages")
    total = sum(page.total for page in pages)
    if total == 0 or not any(page.lines for page in pages):
        raise DocumentError(source, UNREADABLE if any(page.fonts for page in pages) else NO_TEXT_LAYER)
    if sum(page.unreadable for page in pages) > 0.3 * total:
        raise DocumentError(source, UNREADABLE)
    page_lines = [page.lines for page in pages]
    drop = _furniture(page_lines)
    body = [line for lines in page_lines for line in lines if (line.page, line.number) not in drop]
    notes = [Note(NoteCode.PAGE_FURNITURE, f"{len(drop)} running header, footer or page-number line(s) left out")
             ] if drop else []
    return _paragraphs(body), notes
