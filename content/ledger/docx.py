"""The 学习台账 as a Word document ready to print: A4, a title with the period, a summary, the
sessions, members and quizzes as tables (header row repeated on every page), the reflections
under their passage, and a signature block.

East Asian text is set in 宋体 (headings 黑体) through the ``w:eastAsia`` font attribute; the
font table names SimSun / SimHei as their alternates for a Word without the Chinese names.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from lxml import etree

from content.ledger.clean import clean
from content.ledger.labels import (
    MEMBER_COLUMNS,
    QUIZ_COLUMNS,
    SESSION_COLUMNS,
    FileLang,
    day_text,
    headers,
    label,
    no_plan,
    passage,
    percent,
    summary,
    title,
)
from content.ledger.record import Ledger, Reflection

BODY_FONT, HEADING_FONT = "宋体", "黑体"
ALTERNATES = {"宋体": "SimSun", "黑体": "SimHei"}  # the fonts' Latin names, for the font table
LATIN_FONT = "Times New Roman"
INK = RGBColor(0, 0, 0)


def to_docx(ledger: Ledger, lang: FileLang = "zh") -> bytes:
    """The ledger as .docx bytes, labelled in ``lang``."""
    document = Document()
    _page_and_fonts(document, lang)
    document.core_properties.title = clean(title(ledger, lang))
    heading = document.add_paragraph(clean(title(ledger, lang)), style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not ledger.has_plan:
        document.add_paragraph(no_plan(ledger, lang))
    else:
        document.add_paragraph(summary(ledger, lang))
        document.add_heading(label(lang, "sessions"), level=1)
        _table(document, headers(lang, SESSION_COLUMNS),
               [[day_text(s.day, lang), f"{passage(s.label, s.title)} {s.text_name}", str(s.readers),
                 "—" if s.expected is None else str(s.expected), percent(s.rate)] for s in ledger.sessions],
               widths=[32, 78, 20, 20, 20])
    if ledger.has_plan or ledger.members:
        document.add_heading(label(lang, "members"), level=1)
        if ledger.members:
            _table(document, headers(lang, MEMBER_COLUMNS),
                   [[m.name, str(m.days_read), str(m.quizzes_answered), str(m.quizzes_right), str(m.reflections)]
                    for m in ledger.members], widths=[70, 25, 25, 25, 25])
        else:
            document.add_paragraph(label(lang, "no_members"))
        document.add_paragraph(label(lang, "others", others=ledger.others))
    if ledger.quizzes:
        document.add_heading(label(lang, "quizzes"), level=1)
        _table(document, headers(lang, QUIZ_COLUMNS),
               [[day_text(q.day, lang), q.question, q.label, str(q.answered), str(q.right)] for q in ledger.quizzes],
               widths=[32, 78, 20, 20, 20])
    if ledger.reflections:
        document.add_heading(label(lang, "reflections"), level=1)
        _reflections(document, ledger.reflections, lang)
    signature = document.add_paragraph(label(lang, "signature"))
    signature.paragraph_format.space_before = Pt(36)
    signature.paragraph_format.keep_together = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _reflections(document: DocumentObject, reflections: Sequence[Reflection], lang: FileLang) -> None:
    """Each passage's heading once, then its reflections (name and date, then the text), passages
    in the order their first reflection was written."""
    by_passage: dict[tuple[str, str], list[Reflection]] = {}
    for reflection in sorted(reflections, key=lambda r: r.day):
        by_passage.setdefault((reflection.label, reflection.title), []).append(reflection)
    for (where, heading), group in by_passage.items():
        document.add_heading(clean(passage(where, heading)), level=2)
        for reflection in group:
            byline = document.add_paragraph()
            byline.paragraph_format.keep_with_next = True
            byline.add_run(clean(reflection.name)).bold = True
            byline.add_run(f"　{day_text(reflection.day, lang)}")
            document.add_paragraph(clean(reflection.text))


def _table(document: DocumentObject, headers: Sequence[str], rows: Sequence[Sequence[str]],
           widths: Sequence[int]) -> None:
    """A grid table with a bold header row that repeats on every page; ``widths`` in mm."""
    table = document.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))
    for cell, text in zip(header.cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row, values in zip(table.rows[1:], rows, strict=True):
        row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")} w:val="true"/>'))
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            cell.width = Mm(width)
            cell.paragraphs[0].add_run(clean(value))


def _page_and_fonts(document: DocumentObject, lang: FileLang) -> None:
    """A4 with 25 mm margins; body 宋体 10.5 pt (五号), headings 黑体, all in black."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    normal = document.styles["Normal"]
    _fonts(normal, BODY_FONT, lang)
    normal.font.size = Pt(10.5)
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12)):
        style = document.styles[name]
        _fonts(style, HEADING_FONT, lang)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = INK
    _alternates(document)


def _fonts(style: BaseStyle, east_asian: str, lang: FileLang) -> None:
    """Set ``style``'s East Asian font (and Latin font) explicitly, dropping the theme's."""
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")
    language = r_pr.find(qn("w:lang"))
    if language is None:
        language = r_pr.makeelement(qn("w:lang"), {})
        r_pr.append(language)
    language.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-GB")
    language.set(qn("w:eastAsia"), "zh-CN")


def _alternates(document: DocumentObject) -> None:
    """Name the Chinese fonts in the font table with their Latin alternates (SimSun, SimHei)."""
    for rel in document.part.rels.values():
        if rel.reltype == RELATIONSHIP_TYPE.FONT_TABLE and not rel.is_external:
            part = rel.target_part
            table = parse_xml(part.blob)
            for name, alternate in ALTERNATES.items():
                table.append(parse_xml(
                    f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alternate}"/>'
                    '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'))
            part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
