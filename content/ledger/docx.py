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
from content.ledger.wordml import Body, Run
from content.naming import Lang

BODY_FONT, HEADING_FONT = "宋体", "黑体"
ALTERNATES = {"宋体": "SimSun", "黑体": "SimHei"}  # the fonts' Latin names, for the font table
LATIN_FONT = "Times New Roman"
INK = RGBColor(0, 0, 0)


def to_docx(ledger: Ledger, lang: Lang = "zh") -> bytes:
    """The ledger as .docx bytes, labelled in ``lang``."""
    document = Document()
    _page_and_fonts(document, lang)
    styles = {name: document.styles[name].style_id for name in ("Title", "Heading 1", "Heading 2", "Table Grid")}
    body = Body(document)
    document.core_properties.title = clean(title(ledger, lang))
    body.paragraph(clean(title(ledger, lang)), styles["Title"])

    def heading(key: str) -> None:
        body.paragraph(label(lang, key), styles["Heading 1"], keep_with_next=True)

    def table(columns: tuple[str, ...], rows: list[list[str]], widths: list[int]) -> None:
        body.table(headers(lang, columns), [[clean(value) for value in row] for row in rows], widths,
                   styles["Table Grid"])

    if not ledger.has_plan:
        body.paragraph(no_plan(ledger, lang))
    else:
        body.paragraph(summary(ledger, lang))
        heading("sessions")
        table(SESSION_COLUMNS, [[day_text(s.day, lang), f"{passage(s.label, s.title)} {s.text_name}", str(s.readers),
                                 "—" if s.expected is None else str(s.expected), percent(s.rate)]
                                for s in ledger.sessions], [34, 66, 20, 20, 20])
    if ledger.has_plan or ledger.members:
        heading("members")
        if ledger.members:
            table(MEMBER_COLUMNS, [[m.name, str(m.days_read), str(m.quizzes_answered), str(m.quizzes_right),
                                    str(m.reflections)] for m in ledger.members], [60, 25, 25, 25, 25])
        else:
            body.paragraph(label(lang, "no_members"))
        body.paragraph(label(lang, "others", others=ledger.others))
    if ledger.quizzes:
        heading("quizzes")
        table(QUIZ_COLUMNS, [[day_text(q.day, lang), q.question, q.label,
                              *([label(lang, "anonymous")] * 2 if q.anonymous else [str(q.answered), str(q.right)])]
                             for q in ledger.quizzes], [34, 66, 20, 20, 20])
    if ledger.reflections:
        heading("reflections")
        for where, group in _by_passage(ledger.reflections).items():
            body.paragraph(clean(where), styles["Heading 2"], keep_with_next=True)
            for reflection in group:
                body.paragraph([Run(clean(reflection.name), bold=True), Run(f"　{day_text(reflection.day, lang)}")],
                               keep_with_next=True)
                body.paragraph(clean(reflection.text))
    body.paragraph(label(lang, "signature"), space_before_pt=36)
    body.close()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _by_passage(reflections: Sequence[Reflection]) -> dict[str, list[Reflection]]:
    """Reflections under their passage (label and title), by day; passages in the order their
    first reflection was written."""
    grouped: dict[str, list[Reflection]] = {}
    for reflection in sorted(reflections, key=lambda r: r.day):
        grouped.setdefault(passage(reflection.label, reflection.title), []).append(reflection)
    return grouped


def _page_and_fonts(document: DocumentObject, lang: Lang) -> None:
    """A4 with 25 mm margins; body 宋体 10.5 pt (五号), headings 黑体, all in black."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    normal = document.styles["Normal"]
    _fonts(normal, BODY_FONT, lang)
    normal.font.size = Pt(10.5)
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12)):
        style = document.styles[name]
        _fonts(style, HEADING_FONT, lang)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = INK
    _alternates(document)


def _fonts(style: BaseStyle, east_asian: str, lang: Lang) -> None:
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
