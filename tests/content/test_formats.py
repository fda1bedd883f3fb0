"""Real files into the speech model: every format of the seed speech gives its outline; the
title block is metadata; what is left out is noted; a broken file is one clear line."""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import date
from typing import Any

import pytest
from lxml import etree

from content import Speech, SpeechFormatError, load_speech, parse_bytes
from content.formats import DocumentError, Imported, Metadata, import_bytes, import_file
from content.formats.blocks import Block
from content.formats.numbering import Numbering, format_number
from content.formats.titleblock import parse_date, title_block
from tests import documents

SEED = documents.SEED


@pytest.fixture(scope="module")
def seed() -> Speech:
    return load_speech(SEED)


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return documents.seed_lines(SEED)


@pytest.fixture(scope="module")
def pdf_bytes(lines: list[str]) -> bytes:
    return documents.text_pdf(lines)


def outline(speech: Speech) -> list[tuple[str, str, str | None, str]]:
    """What must survive any format: ids, labels, titles, and the text up to whitespace."""
    return [(node.id, node.label, node.title, "".join(node.text.split())) for node in speech.nodes()]


def build(kind: str, seed: Speech, lines: list[str], pdf_bytes: bytes) -> tuple[str, bytes]:
    if kind == "txt":
        return "speech.txt", SEED.read_bytes()
    if kind == "txt-title-block":
        return "speech.txt", "\n".join([*documents.TITLE_BLOCK, *lines]).encode()
    if kind == "docx-heading-styles":
        return "speech.docx", documents.heading_styles_docx(seed)
    if kind == "docx-numbering":
        return "speech.docx", documents.numbered_docx(lines)
    if kind == "docx-title-block":
        return "speech.docx", documents.title_block_docx(lines)
    assert kind == "pdf"
    return "speech.pdf", pdf_bytes


KINDS = ["txt", "txt-title-block", "docx-heading-styles", "docx-numbering", "docx-title-block", "pdf"]


@pytest.fixture(scope="module")
def imported(seed: Speech, lines: list[str], pdf_bytes: bytes) -> dict[str, Imported]:
    return {kind: import_bytes(*reversed(build(kind, seed, lines, pdf_bytes))) for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_every_format_gives_the_seed_speech_outline(imported: dict[str, Imported], seed: Speech, kind: str) -> None:
    result = imported[kind]
    assert outline(result.speech) == outline(seed)
    assert result.speech.salutation == "同志们："
    assert result.format == kind.split("-")[0]


def test_the_txt_reads_exactly_as_the_parser_reads_it(imported: dict[str, Imported], seed: Speech) -> None:
    assert imported["txt"].speech == seed.model_copy(update={"source": "speech.txt"})
    assert imported["txt"].metadata == Metadata()
    assert imported["txt"].notes == ()


TITLE_BLOCK = Metadata(title="坚持“慎”字当头 筑牢廉洁自律防线", speaker="县长 张三", date=date(2023, 5, 10),
                       occasion="全县政府系统廉政工作会议")


@pytest.mark.parametrize("kind", ["txt-title-block", "docx-title-block", "pdf"])
def test_the_title_block_is_metadata_not_preface(imported: dict[str, Imported], kind: str) -> None:
    result = imported[kind]
    assert result.metadata == TITLE_BLOCK
    assert result.speech.title == TITLE_BLOCK.title
    everything = "".join(node.text for node in result.speech.top)
    assert "讲话" not in everything.split("同志们")[0] and "2023年" not in everything and "张" not in everything[:40]
    assert result.speech.top[0].text.startswith("清正廉洁")


def test_word_leaves_out_tables_footnotes_deleted_and_hidden_text_with_notes(imported: dict[str, Imported]) -> None:
    result = imported["docx-title-block"]
    assert [note.code for note in result.notes] == ["tables", "footnotes"]
    assert "after paragraph 6" in result.notes[0].message
    text = "".join(node.text for node in result.speech.top)
    for absent in ("表格里的字", "此处删去的字", "隐藏的字", "纪律处分条例"):
        assert absent not in text
    # the tracked insertion is in: the preface ends as it does in the .txt
    assert result.speech.top[0].text.endswith("做到廉洁自律。")


def test_pdf_leaves_out_running_headers_and_page_numbers(imported: dict[str, Imported]) -> None:
    result = imported["pdf"]
    assert [note.code for note in result.notes] == ["page_furniture"]
    text = "\n".join(node.text for node in result.speech.top)
    assert "讲话稿" not in text and "- 2 -" not in text
    # lines wrapped at the margin (and across pages) are joined back into their paragraphs,
    # without spaces; a paragraph ends where the next one is indented: the text is the .txt's
    assert [node.text for node in result.speech.nodes()] == [node.text for node in load_speech(SEED).nodes()]


# --- Word's automatic numbering -------------------------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def numbering(xml: str) -> Numbering:
    return Numbering(etree.fromstring(f"<w:numbering {W}>{xml}</w:numbering>"))


def level(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')


@pytest.mark.parametrize(("value", "fmt", "shown"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCountingThousand", "十一"),
    (21, "chineseCounting", "二十一"), (3, "ideographTraditional", "丙"), (2, "decimalEnclosedCircle", "②"),
    (4, "upperRoman", "IV"), (28, "lowerLetter", "bb"), (7, "decimal", "7"), (3, "decimalFullWidth", "３"),
    (5, "chineseLegalSimplified", "伍"), (5, "someFutureFormat", "5"),
])
def test_word_number_formats(value: int, fmt: str, shown: str) -> None:
    assert format_number(value, fmt) == shown


def test_numbering_counts_in_order_restarts_lower_levels_and_fills_every_placeholder() -> None:
    lists = numbering(
        '<w:abstractNum w:abstractNumId="0">'
        + level(0, "chineseCounting", "%1、") + level(1, "chineseCounting", "（%2）")
        + level(2, "decimal", "%1.%2.%3", extra="<w:isLgl/>")
        + '</w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>')
    shown = [lists.marker("5", ilvl) for ilvl in (0, 1, 1, 2, 0, 1, 2)]  # isLgl: every counter in decimal
    assert shown == ["一、", "（一）", "（二）", "1.2.1 ", "二、", "（一）", "2.1.1 "]
    assert lists.marker("6", 0) is None  # a list that is not defined numbers nothing


def test_a_list_that_restarts_with_start_override_and_one_that_never_restarts() -> None:
    lists = numbering(
        '<w:abstractNum w:abstractNumId="0">' + level(0, "decimal", "%1.", start=3)
        + level(1, "lowerLetter", "%2)", extra='<w:lvlRestart w:val="0"/>') + "</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="0"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>')
    assert [lists.marker("1", 0), lists.marker("1", 1), lists.marker("1", 0), lists.marker("1", 1)] == [
        "3.", "a)", "4.", "b)"]  # level 1 never restarts
    assert lists.marker("2", 0) == "1."  # the second list starts over


def test_a_bullet_list_gives_no_marker() -> None:
    lists = numbering('<w:abstractNum w:abstractNumId="0">' + level(0, "bullet", "•")
                      + '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    assert lists.marker("1", 0) is None


def _docx(build: Any) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_style_headings_with_decimal_numbering_read_as_the_speech_marks_them() -> None:
    def build(document: Any) -> None:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls, qn

        numbering_element = document.part.numbering_part.element
        numbering_element.find(qn("w:num")).addprevious(parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77">' + level(0, "decimal", "%1.")
            + level(1, "decimal", "(%2)") + "</w:abstractNum>"))
        numbering_element.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
        document.add_heading("关于廉政建设的讲话", level=1)  # the title: the only Heading 1
        for heading, ilvl in (("坚持对党绝对忠诚", 0), ("严格遵守纪律规矩。要树牢纪律意识。", 1),
                              ("坚定初心使命", 0), ("提高政治站位。要把纪律建设摆在更加突出位置。", 1)):
            paragraph = document.add_heading(heading, level=2 + ilvl)
            documents._number(paragraph, 77, ilvl)

    result = import_bytes(_docx(build), "numbered.docx")
    assert result.metadata.title == result.speech.title == "关于廉政建设的讲话"
    assert [(n.label, n.title) for n in result.speech.nodes()] == [
        ("一、", "坚持对党绝对忠诚"), ("一（一）", "严格遵守纪律规矩"),
        ("二、", "坚定初心使命"), ("二（一）", "提高政治站位")]


def test_a_style_heading_that_carries_its_marker_in_the_text_keeps_it() -> None:
    def build(document: Any) -> None:
        document.add_heading("一、树牢核心意识", level=1)
        document.add_heading("（一）坚持对党绝对忠诚。", level=2)
        document.add_paragraph("忠诚，既是一种境界。")
        document.add_heading("严格遵守纪律规矩", level=2)
        document.add_heading("守住底线", level=3)
        document.add_heading("不踩红线", level=3)

    speech = import_bytes(_docx(build), "headings.docx").speech
    assert [(n.id, n.label, n.title) for n in speech.nodes()] == [
        ("1", "一、", "树牢核心意识"), ("1.1", "一（一）", "坚持对党绝对忠诚"), ("1.2", "一（二）", "严格遵守纪律规矩"),
        ("1.2.1", "一（二）1", "守住底线"), ("1.2.2", "一（二）2", "不踩红线")]
    assert speech.node("1.1").text == "（一）坚持对党绝对忠诚。\n忠诚，既是一种境界。"


def test_a_title_in_heading_1_over_parts_marked_in_their_text(lines: list[str], seed: Speech) -> None:
    def build(document: Any) -> None:
        document.add_heading("在全县政府系统廉政工作会议上的讲话", level=1)
        for line in lines:
            document.add_paragraph(line)

    result = import_bytes(_docx(build), "titled.docx")
    assert result.metadata == Metadata(title="在全县政府系统廉政工作会议上的讲话", occasion="全县政府系统廉政工作会议")
    assert outline(result.speech) == outline(seed)


def test_numbering_linked_to_the_heading_styles_is_not_doubled() -> None:
    """Templates number their headings through the style (Heading 1's numPr): the marker comes
    from numbering.xml and the role from the style, and the part reads 一、 once."""
    def build(document: Any) -> None:
        documents._numbering_definition(document)
        for name, ilvl in (("Heading 1", 0), ("Heading 2", 1)):
            num_pr = document.styles[name].element.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = ilvl
            num_pr.get_or_add_numId().val = 90
        for heading, level in (("树牢核心意识", 1), ("坚持对党绝对忠诚。", 2), ("带头强化理论武装。", 2),
                               ("抢抓关键机遇", 1), ("始终站在政治高度抓落实。", 2)):
            document.add_heading(heading, level=level)

    speech = import_bytes(_docx(build), "template.docx").speech
    assert [(n.id, n.label, n.title) for n in speech.nodes()] == [
        ("1", "一、", "树牢核心意识"), ("1.1", "一（一）", "坚持对党绝对忠诚"), ("1.2", "一（二）", "带头强化理论武装"),
        ("2", "二、", "抢抓关键机遇"), ("2.1", "二（一）", "始终站在政治高度抓落实")]
    assert speech.node("1").text.startswith("一、树牢核心意识\n（一）坚持对党绝对忠诚。")


def _char(text: str, x0: float, size: float = 12.0) -> dict[str, Any]:
    return {"text": text, "x0": x0, "x1": x0 + size * (0.5 if text.isascii() else 1), "size": size}


def test_a_pdf_line_reads_as_people_read_it() -> None:
    from content.formats.pdf import _compose

    # Kangxi radicals (some Chinese PDFs map 一 to ⼀ U+2F00) read as the ideographs they look like
    assert _compose([_char("⼀", 0), _char("、", 12), _char("⼈", 24), _char("民", 36)]) == ("一、人民", 0, 48)
    # CJK joins without spaces; Latin words keep theirs; a drawn space or a wide gap is one space
    chars = [_char("四", 0), _char("个", 12), _char("5", 24), _char("0", 30), _char("0", 36), _char("强", 42),
             _char("G", 54), _char("D", 60), _char("P", 66), _char("u", 76), _char("p", 82),
             _char("县", 100), _char("\u3000", 112), _char("长", 124)]
    assert _compose(chars)[0] == "四个500强GDP up 县 长"
    assert _compose([_char(" ", 0), _char("\u3000", 12)]) is None


# --- the title block --------------------------------------------------------------------------------

def blocks(*texts: str, centred: bool = False) -> list[Block]:
    return [Block(text=text, where=f"line {i}", centred=centred) for i, text in enumerate(texts, start=1)]


def test_a_name_before_the_occasion_is_the_speaker() -> None:
    metadata, used = title_block(blocks("张三同志在全县警示教育大会上的讲话", "二〇二三年五月十日", "同志们："))
    assert used == 2
    assert metadata == Metadata(title="张三同志在全县警示教育大会上的讲话", speaker="张三", date=date(2023, 5, 10),
                                occasion="全县警示教育大会")


def test_a_plain_title_line_without_a_mark_is_left_to_the_parser() -> None:
    assert title_block(blocks("关于廉政建设的几点意见", "同志们：", "正文。")) == (Metadata(), 0)
    result = import_bytes("关于廉政建设的几点意见\n同志们：\n一、第一部分\n正文。".encode(), "plain.txt")
    assert result.metadata.title == result.speech.title == "关于廉政建设的几点意见"


def test_centred_lines_mark_a_title_block_without_a_date() -> None:
    metadata, used = title_block(blocks("坚持“慎”字当头", "筑牢廉洁防线", "王　五", centred=True)
                                 + blocks("同志们："))
    assert used == 3
    assert metadata == Metadata(title="坚持“慎”字当头 筑牢廉洁防线", speaker="王五")


@pytest.mark.parametrize(("line", "speaker"), [
    ("张三", "张三"), ("县长　张　三", "县长 张三"), ("张　三", "张三"), ("张三（县委书记）", "张三（县委书记）"),
    ("中共某某县委书记　李四", "中共某某县委书记 李四"), ("筑牢廉洁自律的思想防线", None), ("2023年工作要点", None),
])
def test_speaker_lines(line: str, speaker: str | None) -> None:
    metadata, used = title_block(blocks("坚持“慎”字当头", line, "（2023年5月10日）", "同志们："))
    assert metadata.speaker == speaker and metadata.date == date(2023, 5, 10) and used == 3
    assert metadata.title == "坚持“慎”字当头" + ("" if speaker else f" {line}")  # else the title's second line


@pytest.mark.parametrize(("text", "expected"), [
    ("（2023年5月10日）", date(2023, 5, 10)), ("2023年05月9日", date(2023, 5, 9)),
    ("二〇二三年十二月三十一日", date(2023, 12, 31)),
    ("2023.5.10", date(2023, 5, 10)), ("2023年2月30日", None), ("没有日期", None),
])
def test_dates_as_speeches_write_them(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


# --- broken files ------------------------------------------------------------------------------------

def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def _corrupt_docx(lines: list[str]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(documents.numbered_docx(lines[:3])))
    return _zip({name: source.read(name).replace(b"</w:body>", b"</w:bod>") if name == "word/document.xml"
                 else source.read(name) for name in source.namelist()})


def _cff_pdf() -> bytes:
    """fpdf2 with the package's CFF collection: text is drawn, but through a CMap pdfminer cannot read."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("noto", fname=str(documents.cjk_collection()), collection_font_number=2)
    pdf.set_font("noto", size=12)
    pdf.multi_cell(0, 8, "一、树牢核心意识。")
    return bytes(pdf.output())


def _bad_compression(lines: list[str]) -> bytes:
    """word/document.xml's deflate stream overwritten: zlib, not zipfile, raises (found by fuzzing)."""
    import struct

    data = bytearray(documents.numbered_docx(lines[:3]))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    name_length, extra_length = struct.unpack("<HH", bytes(data[info.header_offset + 26 : info.header_offset + 30]))
    start = info.header_offset + 30 + name_length + extra_length
    data[start : start + 8] = b"\xff" * 8
    return bytes(data)


def _no_body(lines: list[str]) -> bytes:
    """A document.xml without w:body (found by fuzzing: python-docx gives None for it)."""
    source = zipfile.ZipFile(io.BytesIO(documents.numbered_docx(lines[:3])))
    def document(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        root.remove(root[0])
        return etree.tostring(root)
    return _zip({name: document(source.read(name)) if name == "word/document.xml" else source.read(name)
                 for name in source.namelist()})


BROKEN: dict[str, tuple[str, Any, str]] = {
    "bad compression": ("speech.docx", _bad_compression,
                        "speech.docx: damaged: word/document.xml cannot be unpacked (Error -3 while decompressing"),
    "no body": ("speech.docx", _no_body, "speech.docx: damaged: the document has no body (w:body)"),
    "not a zip": ("speech.docx", lambda lines: b"just some bytes",
                  "speech.docx: not a Word .docx file (it is not a zip archive)"),
    "old .doc": ("speech.doc", lambda lines: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
                 "speech.doc: an old Word .doc file (or a password-protected one): save it as .docx"),
    "a zip of something else": ("speech.docx", lambda lines: _zip({"a.txt": b"x"}),
                                "speech.docx: not a Word document: the zip archive has no [Content_Types].xml"),
    "corrupt XML": ("speech.docx", _corrupt_docx, "speech.docx: damaged: word/document.xml is not well-formed XML ("),
    "empty document": ("speech.docx", lambda lines: _docx(lambda document: None),
                       "speech.docx: the document has no text"),
    "a PDF that fails to open": ("speech.pdf", lambda lines: b"%PDF-1.4\nthis is not really a pdf\n",
                                 "speech.pdf: cannot be read as a PDF (damaged?): "),
    "a truncated PDF": ("speech.pdf", lambda lines: documents.text_pdf(lines[:4])[:900],
                        "speech.pdf: cannot be read as a PDF (damaged?): "),
    "not a PDF": ("speech.pdf", lambda lines: b"hello", "speech.pdf: not a PDF file (no %PDF header)"),
    "scanned": ("scan.pdf", lambda lines: documents.scanned_pdf(), "scan.pdf: no text layer: the pages are images"),
    "fonts without Unicode": ("speech.pdf", lambda lines: _cff_pdf(), "speech.pdf: the text layer cannot be read"),
    "unknown extension": ("speech.rtf", lambda lines: b"{\\rtf1 x}",
                          "speech.rtf: unsupported file type '.rtf': send a .docx, .pdf or .txt file"),
    "no extension": ("speech", lambda lines: b"x", "speech: unsupported file type without an extension"),
    "empty text": ("speech.txt", lambda lines: b"", "speech.txt:1: the file is empty"),
    "not text": ("speech.txt", lambda lines: b"ok\n\xff\xfe\x00\xd8\x80\x81", "speech.txt:2: not valid UTF-8 text"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_is_one_clear_line_naming_it(case: str, lines: list[str]) -> None:
    name, make, message = BROKEN[case]
    with pytest.raises(SpeechFormatError) as caught:
        import_bytes(make(lines), name)
    assert isinstance(caught.value, DocumentError)
    text = str(caught.value)
    assert text.startswith(message) and "\n" not in text


def test_damage_a_pdf_reader_works_around_is_not_logged(lines: list[str], caplog: pytest.LogCaptureFixture) -> None:
    """Every stream's checksum broken: pdfminer reads the text and would log a warning per
    stream (found by fuzzing); the import is quiet and reads the speech."""
    data = bytearray(documents.text_pdf(lines[:6], title_block=False))
    position = 0
    while (end := data.find(b"endstream", position)) >= 0:
        data[end - 2] ^= 0xFF  # inside the zlib checksum
        position = end + 1
    caplog.set_level(logging.WARNING)
    result = import_bytes(bytes(data), "speech.pdf")
    assert [node.id for node in result.speech.nodes()][:3] == ["preface", "1", "1.1"]
    assert not [record for record in caplog.records if record.name.startswith("pdfminer")]


def test_numbering_with_damaged_attributes_falls_back_to_defaults() -> None:
    lists = numbering('<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="zero"><w:start w:val="abc"/>'
                      '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
                      '<w:num w:numId="1"><w:abstractNumId w:val="0"/>'
                      '<w:lvlOverride w:ilvl="-3"><w:startOverride w:val="x"/></w:lvlOverride></w:num>')
    assert lists.marker("1", 0) == "1."


def test_a_structure_error_names_the_paragraph_in_word_the_page_and_line_in_a_pdf() -> None:
    paragraphs = ["同志们：", "一、第一部分", "正文。", "三、跳过了二", "正文。"]
    with pytest.raises(DocumentError,
                       match=r"^speech\.docx: paragraph 4 「三、跳过了二」: part 三、 out of order \(expected 二、\)$"):
        import_bytes(_docx(lambda document: [document.add_paragraph(p) for p in paragraphs]), "speech.docx")
    with pytest.raises(DocumentError, match=r"^speech\.pdf: page 1, line 5 「三、跳过了二」: part 三、 out of order"):
        import_bytes(documents.text_pdf(paragraphs, title_block=False), "speech.pdf")
    long = "（一）先有小节，后有部分，这一段的开头很长。"
    with pytest.raises(DocumentError, match=r"^speech\.docx: paragraph 1 「（一）先有小节，后有部分…」: subsection"):
        import_bytes(_docx(lambda document: document.add_paragraph(long)), "speech.docx")


def test_a_text_file_error_reads_as_the_parser_says_it(tmp_path: Any) -> None:
    raw = "同志们：\n\n一、第一部分\n正文。\n三、跳过了二\n".encode()
    with pytest.raises(SpeechFormatError) as parser_error:
        parse_bytes(raw, source="speech.txt")
    with pytest.raises(DocumentError) as import_error:
        import_bytes(raw, "speech.txt")
    assert str(import_error.value) == str(parser_error.value) == "speech.txt:5: part 三、 out of order (expected 二、)"
    path = tmp_path / "missing.docx"
    with pytest.raises(DocumentError, match=r"missing\.docx: cannot read file: No such file"):
        import_file(path)


def test_gbk_and_utf16_text_files_are_read_with_a_note(seed: Speech) -> None:
    text = SEED.read_text("utf-8")
    for encoding, data in (("GB18030", text.encode("gb18030")), ("UTF-16", text.encode("utf-16"))):
        result = import_bytes(data, "speech.txt")
        assert outline(result.speech) == outline(seed)
        assert [note.code for note in result.notes] == ["encoding"] and encoding in result.notes[0].message


def test_the_content_decides_the_format_when_the_name_is_wrong(pdf_bytes: bytes, seed: Speech) -> None:
    result = import_bytes(pdf_bytes, "speech.docx")
    assert result.format == "pdf" and outline(result.speech) == outline(seed)
    assert result.notes[0].code == "format"
