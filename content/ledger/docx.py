"""The 学习台账 as a .docx document: the title, the sessions, the members and their 心得."""

from __future__ import annotations

import io

from docx import Document

from content.ledger.record import Ledger


def to_docx(ledger: Ledger, lang: str) -> bytes:
    """The record as a Word document; ``lang`` chooses the headings (zh or en)."""
    zh = lang != "en"
    document = Document()
    document.add_heading(f"{ledger.group} 学习台账" if zh else f"{ledger.group}: study record", 0)
    document.add_paragraph(f"{ledger.start.isoformat()} – {ledger.end.isoformat()}")
    if not ledger.has_plan:
        document.add_paragraph("本期没有学习计划。" if zh else "No reading plan in this period.")
    for s in ledger.sessions:
        document.add_paragraph(f"{s.day.isoformat()} {s.label} {s.title} {s.readers}/{s.expected or '-'}")
    for m in ledger.members:
        document.add_paragraph(f"{m.name} {m.days_read} {m.quizzes_answered} {m.quizzes_right} {m.reflections}")
    for r in ledger.reflections:
        document.add_paragraph(f"{r.day.isoformat()} {r.name} {r.label}：{r.text}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
