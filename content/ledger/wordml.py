"""WordprocessingML paragraphs and tables built as XML elements at the end of a document's body
(its section properties set aside until ``Body.close``), in constant time each. python-docx's own
``add_paragraph``/``add_table`` look the style up by name, and a table row's cells through every
cell of the table, on each call: a year's ledger (thousands of paragraphs, tables of hundreds of
rows) takes minutes that way and about two seconds of CPU this way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document as DocumentObject
from lxml import etree

TWIPS_PER_MM = 56.6929  # 1440 twips an inch
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SECTION = _W + "sectPr"
_PRESERVE = "{http://www.w3.org/XML/1998/namespace}space"
_BREAKS = re.compile(r"(\r\n|\r|\n|\t)")


@dataclass(frozen=True)
class Run:
    """Text in one formatting; line breaks and tabs in ``text`` become Word's."""

    text: str
    bold: bool = False


class Body:
    """Appends blocks to a document's body; ``close`` puts the section properties back last."""

    def __init__(self, document: DocumentObject) -> None:
        self._body = document.element.body
        self._end = self._body.find(SECTION)
        if self._end is not None:
            self._body.remove(self._end)

    def paragraph(self, runs: Sequence[Run] | str, style: str | None = None, *, keep_with_next: bool = False,
                  space_before_pt: int = 0) -> None:
        """A paragraph of ``runs`` in the style with id ``style`` (e.g. ``Heading1``)."""
        paragraph(self._body, [Run(runs)] if isinstance(runs, str) else runs, style,
                  keep_with_next=keep_with_next, space_before_pt=space_before_pt)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[int],
              style: str) -> None:
        """A table in the style with id ``style``: a bold header row repeated on every page, rows
        kept whole across pages, columns ``widths_mm`` wide."""
        table = _sub(self._body, "tbl")
        properties = _sub(table, "tblPr")
        _sub(properties, "tblStyle", val=style)
        _sub(properties, "tblW", w="0", type="auto")
        _sub(properties, "jc", val="center")
        _sub(properties, "tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="1", lastColumn="0",
             noHBand="0", noVBand="1")
        grid = _sub(table, "tblGrid")
        twips = [str(round(width * TWIPS_PER_MM)) for width in widths_mm]
        for width in twips:
            _sub(grid, "gridCol", w=width)
        _row(table, [[Run(text, bold=True)] for text in headers], twips, header=True)
        for values in rows:
            _row(table, [[Run(value)] for value in values], twips, header=False)

    def close(self) -> None:
        """End the body with its section properties (page size and margins)."""
        if self._end is not None:
            self._body.append(self._end)


def paragraph(parent: etree._Element, runs: Sequence[Run], style: str | None, *, keep_with_next: bool = False,
              space_before_pt: int = 0) -> None:
    """A ``w:p`` element at the end of ``parent``."""
    element = _sub(parent, "p")
    if style or keep_with_next or space_before_pt:
        properties = _sub(element, "pPr")
        if style:
            _sub(properties, "pStyle", val=style)
        if keep_with_next:
            _sub(properties, "keepNext")
        if space_before_pt:
            _sub(properties, "spacing", before=str(space_before_pt * 20))
    for run in runs:
        _run(element, run)


def _run(parent: etree._Element, run: Run) -> None:
    element = _sub(parent, "r")
    if run.bold:
        _sub(_sub(element, "rPr"), "b")
    for piece in _BREAKS.split(run.text):
        if piece == "\t":
            _sub(element, "tab")
        elif piece in ("\r\n", "\r", "\n"):
            _sub(element, "br")
        elif piece:
            text = _sub(element, "t")
            text.text = piece
            text.set(_PRESERVE, "preserve")


def _row(table: etree._Element, cells: Sequence[Sequence[Run]], twips: Sequence[str], *, header: bool) -> None:
    row = _sub(table, "tr")
    properties = _sub(row, "trPr")
    _sub(properties, "cantSplit")
    if header:
        _sub(properties, "tblHeader")
    for runs, width in zip(cells, twips, strict=True):
        cell = _sub(row, "tc")
        _sub(_sub(cell, "tcPr"), "tcW", w=width, type="dxa")
        paragraph(cell, runs, None)


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """A ``w:tag`` child at the end of ``parent`` with ``w:``-qualified ``attributes``."""
    return etree.SubElement(parent, _W + tag, {_W + name: value for name, value in attributes.items()})
