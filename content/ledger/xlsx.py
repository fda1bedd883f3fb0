"""The 学习台账 as an Excel workbook: a sheet per view (学习记录 with a native chart of the daily
参学人数 and 参学率, 成员, 心得, 答题), each with a bold frozen header repeated on every printed page.

Member text is stored as text, never as a formula: a cell starting with = + - @ (or a tab or CR)
is written as a string with Excel's quote prefix, and characters XML forbids are removed.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from content.ledger.clean import clean, formula_like
from content.ledger.labels import (
    MEMBER_COLUMNS,
    QUIZ_COLUMNS,
    REFLECTION_COLUMNS,
    SESSION_COLUMNS,
    headers,
    label,
    no_plan,
    passage,
    title,
)
from content.ledger.record import Ledger
from content.naming import Lang

CELL_LIMIT = 32_767  # Excel's longest cell text
HEADER_LIMIT = 120  # of a printed page header's 255 characters, leaving room for escaped &
DATE_FORMAT = "yyyy-mm-dd"
RATE_FORMAT = "0%"
WIDEST = 60  # characters: a wider column wraps
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")

Value = str | int | float | date | None


def to_xlsx(ledger: Ledger, lang: Lang = "zh") -> bytes:
    """The ledger as .xlsx bytes, labelled in ``lang``."""
    book = Workbook()
    book.properties.title = clean(title(ledger, lang))
    sessions = book.active
    assert sessions is not None  # a new workbook has one sheet
    _sessions(sessions, ledger, lang)
    _members(book.create_sheet(), ledger, lang)
    _reflections(book.create_sheet(), ledger, lang)
    _quizzes(book.create_sheet(), ledger, lang)
    for sheet in book.worksheets:
        _print_setup(sheet, ledger, lang)
    out = io.BytesIO()
    # Deflate level 1: a year's workbook builds in half the CPU of the default level, ~40% larger.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
        ExcelWriter(book, archive).save()
    return out.getvalue()


def _sessions(sheet: Worksheet, ledger: Ledger, lang: Lang) -> None:
    sheet.title = label(lang, "sessions")
    _header(sheet, headers(lang, SESSION_COLUMNS))
    if not ledger.has_plan:
        _put(sheet, 2, 1, no_plan(ledger, lang))
        _widths(sheet, [12, 40, 10, 10, 10])
        return
    for row, session in enumerate(ledger.sessions, start=2):
        _put(sheet, row, 1, session.day)
        _put(sheet, row, 2, f"{passage(session.label, session.title)} {session.text_name}")
        _put(sheet, row, 3, session.readers)
        _put(sheet, row, 4, session.expected)
        _put(sheet, row, 5, session.rate, number_format=RATE_FORMAT)
    _widths(sheet, [12, _width(sheet, 2), 10, 10, 10])
    _chart(sheet, ledger, lang)
    sheet.print_area = f"A1:E{len(ledger.sessions) + 1}"  # the chart beside the table is for the screen


def _chart(sheet: Worksheet, ledger: Ledger, lang: Lang) -> None:
    """参学人数 as bars, 参学率 as a line on a second axis, one point a session."""
    last = len(ledger.sessions) + 1
    days = Reference(sheet, min_col=1, min_row=2, max_row=last)
    bars = BarChart()
    bars.title = label(lang, "chart_title")
    bars.y_axis.title = label(lang, "readers")
    bars.add_data(Reference(sheet, min_col=3, min_row=1, max_row=last), titles_from_data=True)
    bars.set_categories(days)
    bars.x_axis.number_format = "mm-dd"
    line = LineChart()
    line.add_data(Reference(sheet, min_col=5, min_row=1, max_row=last), titles_from_data=True)
    line.y_axis.axId = 200
    line.y_axis.title = label(lang, "rate")
    line.y_axis.number_format = RATE_FORMAT
    line.y_axis.scaling.min = 0
    line.y_axis.scaling.max = 1
    line.y_axis.crosses = "max"
    for series in line.series:
        series.smooth = False  # a rate between two days is not a curve
    bars += line
    bars.width = min(60, max(18, len(ledger.sessions) * 3 // 5))  # cm
    bars.height = 9
    sheet.add_chart(bars, "G2")


def _members(sheet: Worksheet, ledger: Ledger, lang: Lang) -> None:
    sheet.title = label(lang, "members")
    _header(sheet, headers(lang, MEMBER_COLUMNS))
    row = 1
    for row, member in enumerate(ledger.members, start=2):
        _put(sheet, row, 1, member.name)
        _put(sheet, row, 2, member.days_read)
        _put(sheet, row, 3, member.quizzes_answered)
        _put(sheet, row, 4, member.quizzes_right)
        _put(sheet, row, 5, member.reflections)
    if not ledger.members:
        row += 1
        _put(sheet, row, 1, label(lang, "no_members"))
    _put(sheet, row + 2, 1, label(lang, "others", others=ledger.others))
    _widths(sheet, [min(WIDEST, max(12, _width(sheet, 1, rows=range(2, len(ledger.members) + 2)))), 10, 10, 10, 10])


def _reflections(sheet: Worksheet, ledger: Ledger, lang: Lang) -> None:
    sheet.title = label(lang, "reflections")
    _header(sheet, headers(lang, REFLECTION_COLUMNS))
    for row, reflection in enumerate(ledger.reflections, start=2):
        _put(sheet, row, 1, reflection.day)
        _put(sheet, row, 2, reflection.name)
        _put(sheet, row, 3, passage(reflection.label, reflection.title))
        _put(sheet, row, 4, reflection.text, alignment=WRAP)
    if not ledger.reflections:
        _put(sheet, 2, 1, label(lang, "no_reflections"))
    _widths(sheet, [12, min(24, max(10, _width(sheet, 2))), min(30, _width(sheet, 3)), 80])


def _quizzes(sheet: Worksheet, ledger: Ledger, lang: Lang) -> None:
    sheet.title = label(lang, "quizzes")
    _header(sheet, headers(lang, QUIZ_COLUMNS))
    for row, quiz in enumerate(ledger.quizzes, start=2):
        _put(sheet, row, 1, quiz.day)
        _put(sheet, row, 2, quiz.question, alignment=WRAP)
        _put(sheet, row, 3, quiz.label)
        _put(sheet, row, 4, label(lang, "anonymous") if quiz.anonymous else quiz.answered)
        _put(sheet, row, 5, label(lang, "anonymous") if quiz.anonymous else quiz.right)
    if not ledger.quizzes:
        _put(sheet, 2, 1, label(lang, "no_quizzes"))
    _widths(sheet, [12, _width(sheet, 2), 12, 10, 10])


def _header(sheet: Worksheet, names: Sequence[str]) -> None:
    for column, name in enumerate(names, start=1):
        _put(sheet, 1, column, name, font=HEADER_FONT)
    sheet.freeze_panes = "A2"


def _put(sheet: Worksheet, row: int, column: int, value: Value, *, number_format: str | None = None,
         alignment: Alignment | None = None, font: Font | None = None) -> None:
    """Write ``value`` (an unknown count or rate leaves the cell empty); text is cleaned and kept
    as text even when it looks like a formula."""
    if value is None:
        return
    if isinstance(value, str):
        value = clean(value)
        if len(value) > CELL_LIMIT:
            value = value[: CELL_LIMIT - 1] + "…"
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    if number_format:
        cell.number_format = number_format
    if alignment:
        cell.alignment = alignment
    if font:
        cell.font = font


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _width(sheet: Worksheet, column: int, rows: Iterable[int] | None = None) -> int:
    """The widest cell of ``column`` (header included), capped at ``WIDEST``."""
    cells = sheet.iter_rows(min_col=column, max_col=column, values_only=True)
    values = [row[0] for row in cells] if rows is None else [sheet.cell(row=r, column=column).value for r in rows]
    widest = max((display_width(str(value)) for value in values if isinstance(value, str)), default=8)
    return min(WIDEST, widest + 2)


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _print_setup(sheet: Worksheet, ledger: Ledger, lang: Lang) -> None:
    """A4 landscape, one page wide, the header row on every page, the title and page numbers."""
    sheet.print_title_rows = "1:1"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if sheet.oddHeader is not None and sheet.oddFooter is not None:  # a new sheet has both
        sheet.oddHeader.center.text = clean(title(ledger, lang))[:HEADER_LIMIT].replace("&", "&&")
        sheet.oddFooter.center.text = "&P / &N"
