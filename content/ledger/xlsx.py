"""The 学习台账 as an .xlsx workbook: one sheet of sessions, then the joined members."""

from __future__ import annotations

import io

from openpyxl import Workbook

from content.ledger.record import Ledger


def _cell(value: str) -> str:
    """A member's text as a cell holds it (``_as_text`` keeps it from being a formula)."""
    return value


def to_xlsx(ledger: Ledger, lang: str) -> bytes:
    """The record as a workbook; ``lang`` chooses the headings (zh or en)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    zh = lang != "en"
    sheet.title = "学习台账" if zh else "Study record"
    sheet.append([_cell(ledger.group), ledger.start.isoformat(), ledger.end.isoformat()])
    if not ledger.has_plan:
        sheet.append(["本期没有学习计划" if zh else "No reading plan in this period"])
    sheet.append(["日期", "内容", "标题", "文本", "参学人数", "应学人数", "参学率"] if zh
                 else ["Date", "Passage", "Title", "Text", "Readers", "Members", "Rate"])
    for s in ledger.sessions:
        sheet.append([s.day.isoformat(), s.label, _cell(s.title), _cell(s.text_name), s.readers, s.expected,
                      round(s.rate, 4) if s.rate is not None else None])
    sheet.append(["姓名", "学习天数", "答题", "答对", "心得"] if zh
                 else ["Name", "Days read", "Quizzes", "Right", "Reflections"])
    for m in ledger.members:
        sheet.append([_cell(m.name), m.days_read, m.quizzes_answered, m.quizzes_right, m.reflections])
    sheet.append(["其他参学成员" if zh else "Others", ledger.others])
    for r in ledger.reflections:
        sheet.append([r.day.isoformat(), _cell(r.name), r.label, _cell(r.text)])
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # a text starting with = is a member's words, never a formula
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
