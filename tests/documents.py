"""Real files of a speech, built the way people make them: Word with heading styles, with
automatic numbering, with a title block; a PDF with a text layer and a scanned one.

Shared by the format tests and (later) the upload tests. Each builder takes the parsed speech
(or its lines) and returns the file's bytes, so any speech can be turned into any format.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from content import Speech

TITLE_BLOCK = ("坚持“慎”字当头　筑牢廉洁自律防线", "——在全县政府系统廉政工作会议上的讲话", "县长　张　三",
               "（2023年5月10日）")
_PART = re.compile(r"^([一二三四五六七八九十]+)、(.+)$")
_SECTION = re.compile(r"^（([一二三四五六七八九十]+)）(.+)$")
EXTRA = "跳过了先有小节然后才有部分第一正文"
"""Characters the tests write besides the speech's (the PDF font is a subset)."""
SEED = Path(__file__).resolve().parents[1] / "seeds" / "speech.txt"
_CACHE = Path(tempfile.gettempdir()) / "speechbot-test-cache"


def seed_lines(path: str | Path | None = None) -> list[str]:
    """The speech file's paragraphs, stripped of their indentation."""
    text = Path(path or SEED).read_text("utf-8-sig")
    return [line.strip(" \t\u3000") for line in text.splitlines() if line.strip(" \t\u3000")]


def _save(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _split_title(text: str, title: str) -> tuple[str, str]:
    """``（一）坚持对党绝对忠诚。忠诚，…`` → (``坚持对党绝对忠诚。``, ``忠诚，…``)."""
    body = _SECTION.match(text)
    assert body is not None and body[2].startswith(title + "。"), text[:20]
    return body[2][: len(title) + 1], body[2][len(title) + 1 :]


def _bold_first_sentence(document: Any, text: str, style: str | None = None) -> Any:
    """A paragraph whose first sentence is a bold run, as speeches set their lead sentences."""
    head, mark, rest = text.partition("。")
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(head + mark).bold = True
    if rest:
        paragraph.add_run(rest)
    return paragraph


def heading_styles_docx(speech: Speech) -> bytes:
    """Parts as Heading 1 and sections as Heading 2 without their markers (the style says what
    they are), points as paragraphs of their own with a bold first sentence."""
    import docx

    document = docx.Document()
    if speech.salutation:
        document.add_paragraph(speech.salutation)
    for node in speech.top:
        if node.kind in ("preface", "closing"):
            for paragraph in node.text.split("\n"):
                document.add_paragraph(paragraph)
            continue
        document.add_heading(node.title, level=1)
        for paragraph in node.intro:
            document.add_paragraph(paragraph)
        for section in node.children:
            points = "".join(point.text for point in section.children)
            assert section.text.endswith(points)
            lead = section.text[: len(section.text) - len(points)].split("\n")
            heading, rest = _split_title(lead[0], section.title or "")
            document.add_heading(heading, level=2)
            for paragraph in [rest, *lead[1:]]:
                if paragraph:
                    document.add_paragraph(paragraph)
            for point in section.children:
                _bold_first_sentence(document, point.text)
    return _save(document)


def _numbering_definition(document: Any) -> None:
    """Add a list to numbering.xml: level 0 ``%1、`` and level 1 ``（%2）``, both chineseCounting."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/><w:suff w:val="nothing"/></w:lvl>'
        "</w:abstractNum>")
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))


def _number(paragraph: Any, num_id: int, ilvl: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def numbered_docx(lines: Iterable[str]) -> bytes:
    """The speech's paragraphs with 一、 and （一） taken out of the text and put into Word's
    automatic numbering (numbering.xml), as a document typed with Word's list button."""
    import docx

    document = docx.Document()
    _numbering_definition(document)
    for line in lines:
        if (part := _PART.match(line)) and line[-1] != "。":
            _number(document.add_paragraph(part[2]), 90, 0)
        elif section := _SECTION.match(line):
            _number(document.add_paragraph(section[2]), 90, 1)
        else:
            document.add_paragraph(line)
    return _save(document)


def _footnote(document: Any, paragraph: Any) -> None:
    """A real footnote: footnotes.xml related to the document and a reference in ``paragraph``."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {nsdecls("w")}>'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
            '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>见《中国共产党纪律处分条例》。</w:t></w:r></w:p>'
            "</w:footnote></w:footnotes>").encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                                  '<w:footnoteReference w:id="1"/></w:r>'))


def _tracked_changes(paragraph: Any) -> None:
    """Put the paragraph's last run inside a tracked insertion and add a tracked deletion: Word
    shows the inserted text and not the deleted one, and so must the import."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    run = paragraph.runs[-1]._r
    insertion = parse_xml(f'<w:ins {nsdecls("w")} w:id="7" w:author="秘书" w:date="2023-05-09T10:00:00Z"/>')
    run.addprevious(insertion)
    insertion.append(run)
    insertion.addprevious(parse_xml(
        f'<w:del {nsdecls("w")} w:id="8" w:author="秘书" w:date="2023-05-09T10:00:00Z">'
        "<w:r><w:delText>（此处删去的字）</w:delText></w:r></w:del>"))


def title_block_docx(lines: list[str]) -> bytes:
    """A title block on top (Title style and centred lines), headings by their text, lead
    sentences in bold, a table, a footnote, tracked changes and a hidden run."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    title, subtitle, speaker, when = TITLE_BLOCK
    document.add_paragraph(title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in (subtitle, speaker, when):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, line in enumerate(lines):
        paragraph = _bold_first_sentence(document, line) if _SECTION.match(line) else document.add_paragraph(line)
        if index == 1:  # the preface: a table after it, a footnote in it, tracked changes
            table = document.add_table(rows=2, cols=2)
            table.cell(0, 0).text = "表格里的字不属于讲话"
            _tracked_changes(paragraph)
            _footnote(document, paragraph)
            hidden = paragraph.add_run("隐藏的字")
            hidden.font.hidden = True
    return _save(document)


def cjk_collection() -> Path:
    """Noto Sans CJK, the OpenType/CFF collection of the project's card font package."""
    spec = importlib.util.find_spec("noto_cjk_sans_otc")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "NotoSansCJK-Regular.ttc"


def cjk_font() -> Path:
    """A TrueType (glyf) subset of Noto Sans CJK SC: fpdf2 writes PDFs with such a font the way
    Word does (Identity-H with a ToUnicode map); the package's OpenType/CFF collection it
    embeds with a CMap that pdfminer and pypdf cannot read back. Cached between runs."""
    otc = cjk_collection()
    chars = "".join(sorted(set(SEED.read_text("utf-8") + "".join(TITLE_BLOCK)
                               + "0123456789-—第页廉政工作会议讲话稿" + EXTRA)))
    key = hashlib.sha256(f"{otc.stat().st_size}:{chars}".encode()).hexdigest()[:16]
    path = _CACHE / f"noto-sc-subset-{key}.ttf"
    if path.exists():
        return path
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTCollection, TTFont, newTable

    index = next(i for i, face in enumerate(TTCollection(str(otc)).fonts)
                 if face["name"].getDebugName(4) == "Noto Sans CJK SC")
    font = TTFont(str(otc), fontNumber=index)
    options = subset.Options()
    options.layout_features, options.hinting, options.notdef_outline = [], False, True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    glyphs, order = font.getGlyphSet(), font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attribute in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                      "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxPoints",
                      "maxContours", "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = font["head"].indexToLocFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    _CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    font.save(str(partial))
    partial.replace(path)
    return path


def text_pdf(lines: list[str], title_block: bool = True) -> bytes:
    """An A4 PDF with a text layer: a running header and a page number on every page, the
    title block centred, paragraphs with a first-line indent of two characters, wrapped at the
    margin, no space between them."""
    from fpdf import FPDF

    class Speech(FPDF):
        def header(self) -> None:
            self.set_font("cjk", size=9)
            self.cell(0, 8, "廉政工作会议讲话稿", align="C", new_x="LMARGIN", new_y="NEXT")
            self.set_font("cjk", size=12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("cjk", size=9)
            self.cell(0, 8, f"- {self.page_no()} -", align="C")
            self.set_font("cjk", size=12)

    pdf = Speech(format="A4")
    pdf.add_font("cjk", fname=str(cjk_font()))
    pdf.set_font("cjk", size=12)
    pdf.add_page()
    if title_block:
        for line in TITLE_BLOCK:
            pdf.cell(0, 10, line, align="C", new_x="LMARGIN", new_y="NEXT")
    indent = 2 * 12 / pdf.k  # two characters of 12 pt, in the page's unit (mm)
    for line in lines:
        # Every paragraph but the salutation starts two characters in (公文 style), headings
        # too; the text flows to the right margin and wraps at any character, as Word sets it.
        pdf.set_x(pdf.l_margin + (0 if line.endswith("：") else indent))
        pdf.write(8, line)
        pdf.ln(8)
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A PDF of page images only (what a scanner makes): no text layer."""
    from PIL import Image, ImageDraw

    pages = []
    for number in range(2):
        image = Image.new("RGB", (600, 800), "white")
        ImageDraw.Draw(image).rectangle((50, 50 + number * 10, 550, 120), fill="black")
        pages.append(image)
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:])
    return out.getvalue()
