"""The 学习台账's files, opened as a reader opens them: openpyxl for the workbook, python-docx for
the document, Pillow for the week's picture. Member text arrives verbatim (HTML, emoji, formula
starts, control characters, 2,000 characters) and must come out as text."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import date, datetime

import docx
import openpyxl
import pytest
from docx.text.paragraph import Paragraph
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image

from content.ledger import chart
from content.ledger.chart import week_picture
from content.ledger.clean import clean, formula_like
from content.ledger.docx import to_docx
from content.ledger.labels import LABELS
from content.ledger.record import Ledger, MemberRow, QuizSession, Reflection, Session
from content.ledger.xlsx import CELL_LIMIT, to_xlsx
from content.naming import Lang

LONG = "慎独" * 1000  # 2,000 characters
FORMULA = "=SUM(A1)"
CONTROLS = "心得\x00有\x07控制\x1b字符\x0b。"
NAMES = ("<b>张三</b>", "李四😀", "+86 王五", "@all 赵六", "-1 钱七")
SESSIONS = (
    Session(date(2026, 12, 1), "四（二）", "坚持慎独", "《原讲话》", 12, 20),
    Session(date(2026, 12, 2), "四（三）", "慎初慎微", "《原讲话》", 16, 20),
    Session(date(2026, 12, 3), "一", "以案促改", "《第二篇》", 5, None),
)
REFLECTIONS = (
    Reflection(date(2026, 12, 1), NAMES[0], "四（二）", "坚持慎独", FORMULA),
    Reflection(date(2026, 12, 2), NAMES[1], "四（三）", "慎初慎微", LONG),
    Reflection(date(2026, 12, 2), NAMES[2], "四（二）", "坚持慎独", CONTROLS),
    Reflection(date(2026, 12, 3), NAMES[3], "四（二）", "坚持慎独", "\t缩进\n第二行"),
)
LEDGER = Ledger(
    group="第三党支部学习小组", start=date(2026, 12, 1), end=date(2026, 12, 31), zone="Asia/Shanghai",
    sessions=SESSIONS,
    members=tuple(MemberRow(name, days, days // 2, days // 3, 1) for days, name in enumerate(NAMES, start=1)),
    others=4, reflections=REFLECTIONS,
    quizzes=(QuizSession(date(2026, 12, 2), "“慎独”出自哪一部分？", "四（二）", 9, 6),),
)
EMPTY = replace(LEDGER, sessions=(), members=(), others=0, reflections=(), quizzes=())
NO_PLAN = "本月没有学习计划记录。"


def workbook(ledger: Ledger, lang: Lang = "zh") -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(ledger, lang)))


def rows(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def document(ledger: Ledger, lang: Lang = "zh") -> docx.document.Document:
    return docx.Document(io.BytesIO(to_docx(ledger, lang)))


def texts(doc: docx.document.Document) -> list[str]:
    return [paragraph.text for paragraph in doc.paragraphs]


def style(paragraph: Paragraph) -> str | None:
    return paragraph.style.name if paragraph.style is not None else None


def table_rows(table: docx.table.Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


# The workbook


def test_the_workbook_has_a_sheet_per_view_with_its_headers() -> None:
    book = workbook(LEDGER)
    assert book.sheetnames == ["学习记录", "成员", "心得", "答题"]
    headers = {name: [cell.value for cell in book[name][1]] for name in book.sheetnames}
    assert headers == {
        "学习记录": ["日期", "学习内容", "参学人数", "应学人数", "参学率"],
        "成员": ["姓名", "读完天数", "答题数", "答对数", "心得篇数"],
        "心得": ["日期", "姓名", "段落", "内容"],
        "答题": ["日期", "题目", "段落", "作答人数", "答对人数"],
    }
    for sheet in book.worksheets:
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.paperSize == 9  # A4


def test_sessions_count_readers_and_rates_as_percentages() -> None:
    sheet = workbook(LEDGER)["学习记录"]
    assert rows(sheet)[1:] == [
        [datetime(2026, 12, 1), "四（二） 坚持慎独 《原讲话》", 12, 20, 0.6],
        [datetime(2026, 12, 2), "四（三） 慎初慎微 《原讲话》", 16, 20, 0.8],
        [datetime(2026, 12, 3), "一 以案促改 《第二篇》", 5, None, None],
    ]
    assert sheet["E2"].number_format == "0%"  # 12/20 shows as 60%
    assert sheet["A2"].is_date
    assert sheet.column_dimensions["B"].width >= 20  # CJK text counts two columns a character
    assert sheet.print_area == "'学习记录'!$A$1:$E$4"  # the table prints, the chart is for the screen


def test_the_sessions_sheet_carries_a_native_chart_of_readers_and_rate() -> None:
    archive = zipfile.ZipFile(io.BytesIO(to_xlsx(LEDGER)))
    charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 1
    xml = archive.read(charts[0]).decode()
    assert "<barChart>" in xml and "<lineChart>" in xml
    assert "'学习记录'!$C$2:$C$4" in xml and "'学习记录'!$E$2:$E$4" in xml
    assert '<smooth val="1"' not in xml


def test_members_are_named_and_the_others_counted() -> None:
    sheet = workbook(LEDGER)["成员"]
    table = rows(sheet)
    assert [row[0] for row in table[1:6]] == list(NAMES)
    assert table[1] == ["<b>张三</b>", 1, 0, 0, 1]
    assert table[5] == ["-1 钱七", 5, 2, 1, 1]
    assert table[7][0] == "另有4人参学，未实名记录。"


def test_reflections_and_quizzes_come_back_verbatim_as_text() -> None:
    book = workbook(LEDGER)
    notes = rows(book["心得"])[1:]
    assert [row[1] for row in notes] == list(NAMES[:4])
    assert notes[0][2:] == ["四（二） 坚持慎独", FORMULA]
    assert notes[1][3] == LONG and len(LONG) == 2000
    assert notes[2][3] == "心得有控制字符。"  # the characters XML forbids are gone, nothing else
    assert notes[3][3] == "\t缩进\n第二行"
    assert book["心得"]["D2"].alignment.wrap_text
    assert rows(book["答题"])[1:] == [[datetime(2026, 12, 2), "“慎独”出自哪一部分？", "四（二）", 9, 6]]


def test_text_that_looks_like_a_formula_is_stored_as_a_string() -> None:
    data = to_xlsx(LEDGER)
    book = openpyxl.load_workbook(io.BytesIO(data))
    looks_like = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
                  if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t"]
    assert {cell.value for cell in looks_like} >= {FORMULA, "+86 王五", "@all 赵六", "-1 钱七", "\t缩进\n第二行"}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in looks_like)
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 4
    assert not any(re.search(r"<f[ >]", archive.read(name).decode()) for name in sheets)


def test_a_reflection_longer_than_a_cell_is_cut_at_excels_limit() -> None:
    huge = replace(LEDGER, reflections=(replace(REFLECTIONS[0], text="长" * 40_000),))
    value = workbook(huge)["心得"]["D2"].value
    assert isinstance(value, str) and len(value) == CELL_LIMIT and value.endswith("…")


def test_a_month_without_sessions_says_so_in_the_workbook() -> None:
    book = workbook(EMPTY)
    assert rows(book["学习记录"])[1][0] == NO_PLAN
    assert rows(book["成员"])[3][0] == "另有0人参学，未实名记录。"
    assert not zipfile.ZipFile(io.BytesIO(to_xlsx(EMPTY))).namelist().count("xl/charts/chart1.xml")


def test_the_workbook_in_english() -> None:
    book = workbook(LEDGER, "en")
    assert book.sheetnames == ["Sessions", "Members", "Reflections", "Quizzes"]
    assert [cell.value for cell in book["Sessions"][1]] == ["Date", "Studied", "Read", "Expected", "Rate"]
    assert rows(workbook(EMPTY, "en")["Sessions"])[1][0] == "No study plan was recorded this month."


def test_cleaning_removes_what_xml_forbids_and_keeps_the_rest() -> None:
    assert clean("a\x00b\x08c\x0bd\x1fe\ud800f\uffffg\th\ni\rj😀") == "abcdefg\th\ni\rj😀"
    assert [formula_like(text) for text in ("=1", "+1", "-1", "@a", "\ta", "\ra", "1=1", "，=")] == [
        True, True, True, True, True, True, False, False]


def test_a_long_group_name_and_an_ampersand_fit_the_printed_header() -> None:
    ledger = replace(LEDGER, group="A&B" + "组" * 300)
    book = workbook(ledger)
    item = book["学习记录"].oddHeader
    header = item.center.text if item is not None else None
    assert header is not None and header.startswith("A&&B组") and len(header) <= 121  # && prints one &


# The document


def test_the_document_has_a_title_a_summary_tables_and_a_signature() -> None:
    doc = document(LEDGER)
    paragraphs = texts(doc)
    assert paragraphs[0] == "第三党支部学习小组学习台账（2026年12月）"
    assert style(doc.paragraphs[0]) == "Title"
    assert paragraphs[1] == "本期共学习3次，平均参学率70%；实名记录成员5人，另有4人参学未具名。"
    assert "另有4人参学，未实名记录。" in paragraphs
    assert paragraphs[-1] == "记录人：＿＿＿＿＿＿　　支部书记（签字）：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿"
    sessions, members, quizzes = (table_rows(table) for table in doc.tables)
    assert sessions == [["日期", "学习内容", "参学人数", "应学人数", "参学率"],
                        ["2026年12月1日", "四（二） 坚持慎独 《原讲话》", "12", "20", "60%"],
                        ["2026年12月2日", "四（三） 慎初慎微 《原讲话》", "16", "20", "80%"],
                        ["2026年12月3日", "一 以案促改 《第二篇》", "5", "—", "—"]]
    assert members[0] == ["姓名", "读完天数", "答题数", "答对数", "心得篇数"]
    assert [row[0] for row in members[1:]] == list(NAMES)
    assert quizzes == [["日期", "题目", "段落", "作答人数", "答对人数"],
                       ["2026年12月2日", "“慎独”出自哪一部分？", "四（二）", "9", "6"]]
    for table in doc.tables:
        header = table.rows[0]._tr
        assert header.find(docx.oxml.ns.qn("w:trPr")).find(docx.oxml.ns.qn("w:tblHeader")) is not None
        assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)


def test_reflections_are_grouped_under_their_passage() -> None:
    doc = document(LEDGER)
    start = texts(doc).index("心得")
    shown = [(style(p), p.text) for p in doc.paragraphs[start + 1:-1]]
    assert shown == [
        ("Heading 2", "四（二） 坚持慎独"),
        ("Normal", "<b>张三</b>　2026年12月1日"), ("Normal", FORMULA),
        ("Normal", "+86 王五　2026年12月2日"), ("Normal", "心得有控制字符。"),
        ("Normal", "@all 赵六　2026年12月3日"), ("Normal", "\t缩进\n第二行"),
        ("Heading 2", "四（三） 慎初慎微"),
        ("Normal", "李四😀　2026年12月2日"), ("Normal", LONG),
    ]
    byline = doc.paragraphs[start + 2]
    assert byline.runs[0].bold and byline.runs[0].text == "<b>张三</b>"


def test_the_document_is_a4_with_a_chinese_east_asian_font() -> None:
    data = to_docx(LEDGER)
    doc = docx.Document(io.BytesIO(data))
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(docx.oxml.ns.qn("w:eastAsia")) == "宋体"
    heading = doc.styles["Heading 1"].element.rPr.rFonts
    assert heading.get(docx.oxml.ns.qn("w:eastAsia")) == "黑体"
    assert heading.get(docx.oxml.ns.qn("w:eastAsiaTheme")) is None  # a theme font would win
    table = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode()
    assert '<w:font w:name="宋体"><w:altName w:val="SimSun"/>' in table
    body = doc.element.body
    assert body[-1].tag == docx.oxml.ns.qn("w:sectPr")  # page settings stay last


def test_a_month_without_sessions_says_so_in_the_document() -> None:
    doc = document(EMPTY)
    assert texts(doc)[:2] == ["第三党支部学习小组学习台账（2026年12月）", NO_PLAN]
    assert texts(doc)[-1].startswith("记录人：")
    assert not doc.tables


@pytest.mark.parametrize(("start", "end", "zh", "en"), [
    (date(2026, 1, 1), date(2026, 12, 31), "（2026年）", "(2026)"),
    (date(2026, 2, 1), date(2026, 2, 28), "（2026年2月）", "(February 2026)"),
    (date(2026, 12, 1), date(2026, 12, 7), "（2026年12月1日—2026年12月7日）", "(1 Dec 2026 – 7 Dec 2026)"),
])
def test_the_title_names_the_period(start: date, end: date, zh: str, en: str) -> None:
    ledger = replace(LEDGER, start=start, end=end)
    assert texts(document(ledger))[0] == f"第三党支部学习小组学习台账{zh}"
    assert texts(document(ledger, "en"))[0] == f"第三党支部学习小组 study record {en}"
    assert workbook(ledger).properties.title == f"第三党支部学习小组学习台账{zh}"


def test_a_year_without_sessions_says_this_year() -> None:
    year = replace(EMPTY, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert texts(document(year))[1] == "本年没有学习计划记录。"
    assert rows(workbook(year)["学习记录"])[1][0] == "本年没有学习计划记录。"


def test_the_document_in_english() -> None:
    doc = document(LEDGER, "en")
    assert texts(doc)[1] == "3 sessions held, average rate 70%; 5 members named, 4 more counted but not named."
    assert table_rows(doc.tables[0])[0] == ["Date", "Studied", "Read", "Expected", "Rate"]
    assert texts(doc)[-1].startswith("Recorded by:")
    assert texts(document(EMPTY, "en"))[1] == "No study plan was recorded this month."


def test_both_languages_have_every_label() -> None:
    assert LABELS["zh"].keys() == LABELS["en"].keys()


# The week's picture


def test_the_week_picture_is_a_square_png_with_a_bar_per_day_read() -> None:
    week = replace(LEDGER, start=date(2026, 12, 1), end=date(2026, 12, 7))
    image = Image.open(io.BytesIO(week_picture(week, "zh")))
    assert image.format == "PNG" and image.size == (1080, 1080)
    column = (chart.SIZE - 2 * chart.MARGIN) / 7
    foot = [image.getpixel((round(chart.MARGIN + column * (n + 0.5)), chart.PLOT_BOTTOM - 3)) for n in range(7)]
    assert foot[:3] == [chart.ACCENT] * 3  # 1-3 December read
    assert foot[3:] == [chart.PAPER] * 4  # nothing after
    high = round(chart.PLOT_BOTTOM - (chart.PLOT_BOTTOM - chart.PLOT_TOP) * 0.7)  # 70% of the scale (20)
    assert image.getpixel((round(chart.MARGIN + column * 0.5), high)) == chart.TRACK  # 12 of 20: track above 60%
    assert image.getpixel((round(chart.MARGIN + column * 1.5), high)) == chart.ACCENT  # 16 of 20 reaches 80%


def test_an_empty_week_still_draws_in_english() -> None:
    image = Image.open(io.BytesIO(week_picture(replace(EMPTY, end=date(2026, 12, 7)), "en")))
    assert image.size == (1080, 1080)
    assert chart.week_days(replace(EMPTY, end=date(2026, 12, 7)))[0].day == date(2026, 12, 1)
