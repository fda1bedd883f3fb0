"""Files as office suites write them (tests/fixtures/office, made once by Chromium and LibreOffice):
the same outline, text and title block as the .txt, radicals read as ideographs, every CJK number
format rebuilt as the suite shows it."""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from content import Speech, parse_text
from content.formats import Imported, Metadata, import_bytes, import_file
from content.formats.ideographs import RADICALS, SUPPLEMENT, ideographs
from content.formats.numbering import format_number
from content.formats.word import read_docx

OFFICE = Path(__file__).resolve().parents[1] / "fixtures" / "office"
SPEECH = (OFFICE / "speech.txt").read_text("utf-8")
TITLE_BLOCK = Metadata(title="坚持为民用权 守住风险底线", speaker="县长 王某某", date=date(2023, 7, 18),
                       occasion="全县工作会议")
OFFICE_FILES = ["chromium.pdf", "libreoffice-numbered.docx", "libreoffice-numbered.pdf", "word-numbered.docx"]
_UNIFIED = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x323AF))


def outline(speech: Speech) -> list[tuple[str, str, str | None, str]]:
    return [(node.id, node.label, node.title, node.text) for node in speech.nodes()]


@pytest.fixture(scope="module")
def office() -> dict[str, Imported]:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    return {name: import_file(OFFICE / name) for name in OFFICE_FILES}


@pytest.mark.parametrize("name", OFFICE_FILES)
def test_an_office_suites_file_reads_as_the_txt(office: dict[str, Imported], name: str) -> None:
    result = office[name]
    assert outline(result.speech) == outline(parse_text(SPEECH, source=name))  # same ids, headings, text
    assert result.body == SPEECH.strip()  # verbatim: no radical, no header line, nothing of the title block
    assert not RADICALS.search(result.body)


@pytest.mark.parametrize("name", OFFICE_FILES)
def test_the_title_block_of_every_office_file_is_its_metadata(office: dict[str, Imported], name: str) -> None:
    assert office[name].metadata == TITLE_BLOCK


def test_chromiums_header_and_footer_are_left_out_with_a_note(office: dict[str, Imported]) -> None:
    notes = office["chromium.pdf"].notes
    assert [note.code for note in notes] == ["page_furniture"] and notes[0].message.startswith("2 ")


def test_the_chromium_pdf_carries_radicals_the_import_maps() -> None:
    import pdfplumber

    with pdfplumber.open(OFFICE / "chromium.pdf") as pdf:
        raw = "".join(page.extract_text() for page in pdf.pages)
    assert {"⻛", "⺠", "⻓", "⻔"} <= set(raw)  # the fixture shows the defect it tests


def test_radicals_read_as_the_ideographs_they_stand_for() -> None:
    assert ideographs("⻛险 ⺠ ⻅⻆⻓⻔⻢⻦⻬ ⼀⼈") == "风险 民 见角长门马鸟齐 一人"
    assert ideographs("U+2E80 ⺀ has no ideograph") == "U+2E80 ⺀ has no ideograph"
    kangxi = [chr(code) for code in range(0x2F00, 0x2FD6)]
    mapped = [ideographs(char) for char in kangxi] + [ideographs(chr(code)) for code in SUPPLEMENT]
    assert all(any(low <= ord(char) <= high for low, high in _UNIFIED) for char in mapped)
    assert [ideographs(char) for char in kangxi] == [unicodedata.normalize("NFKC", char) for char in kangxi]
    assigned = [code for code in range(0x2E80, 0x2F00) if unicodedata.category(chr(code)) != "Cn"]
    assert sorted(SUPPLEMENT) == [code for code in assigned if code != 0x2E80]


def test_radicals_are_mapped_in_every_format() -> None:
    text = "同志们：\n要防控⻛险，为⺠用权。\n一、把⻛险防控放在心上\n（一）要为⺠用权。⼈⺠的事⻢上办。\n"
    for name, data in (("speech.txt", text.encode()), ("speech.docx", _docx(text.splitlines()))):
        result = import_bytes(data, name)
        assert result.speech.node("1").title == "把风险防控放在心上" and "人民的事马上办" in result.body
        assert not RADICALS.search(result.body)


def _docx(lines: list[str]) -> bytes:
    import io

    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_ligature_a_pdf_lists_once_for_each_character_reads_once() -> None:
    from content.formats.pdf import _compose

    dash: dict[str, Any] = {"text": "——", "x0": 0.0, "x1": 24.0, "size": 12.0}
    rest = [{"text": char, "x0": 24.0 + 12 * i, "x1": 36.0 + 12 * i, "size": 12.0} for i, char in enumerate("在会上")]
    ligature: dict[str, Any] = {"text": "ﬁ", "x0": 80.0, "x1": 86.0, "size": 12.0}
    composed = _compose([dash, dash, *rest, ligature, ligature])
    assert composed is not None and composed[0] == "——在会上 fi"


# --- numbering: what LibreOffice wrote, as LibreOffice shows it ----------------------------------------

_SHOWN = re.compile(r"^\s*(\S+?)、\s*(\w+) (\d+)$")


def test_every_cjk_number_format_libreoffice_wrote_reads_as_libreoffice_shows_it() -> None:
    shown = {}
    for line in (OFFICE / "libreoffice-number-formats.txt").read_text("utf-8-sig").splitlines():
        match = _SHOWN.match(line)
        if match:
            shown[f"{match[2]} {match[3]}"] = match[1]
    blocks, _ = read_docx((OFFICE / "libreoffice-number-formats.docx").read_bytes(), "formats.docx")
    read = {}
    for block in blocks:
        marker, _, text = block.text.partition("、")
        read[text] = marker
    # LibreOffice writes decimalFullWidth back but shows ASCII digits; Word shows １ ２ ３ (tested below).
    compared = {key for key in shown if not key.startswith("decimalFullWidth")}
    assert len(compared) == 15 * 15
    assert {key: read.get(key) for key in compared} == {key: shown[key] for key in compared}


@pytest.mark.parametrize(("value", "fmt", "shown"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCountingThousand", "十一"),
    (21, "chineseCounting", "二十一"), (101, "taiwaneseCountingThousand", "一百零一"),
    (110, "chineseCounting", "一百一十"), (1010, "chineseCountingThousand", "一千零一十"),
    (12, "taiwaneseCounting", "十二"), (101, "japaneseCounting", "百一"), (10, "chineseLegalSimplified", "壹拾"),
    (12, "chineseLegalSimplified", "壹拾贰"), (101, "chineseLegalSimplified", "壹佰零壹"),
    (2, "ideographLegalTraditional", "貳"), (3, "ideographLegalTraditional", "參"), (10, "ideographDigital", "一〇"),
    (3, "ideographTraditional", "丙"), (11, "ideographTraditional", "11"), (12, "ideographZodiac", "亥"),
    (11, "ideographZodiacTraditional", "甲戌"), (3, "decimalEnclosedCircleChinese", "③"),
    (21, "decimalEnclosedCircle", "21"), (3, "decimalEnclosedFullstop", "⒊"), (3, "decimalEnclosedParen", "⑶"),
    (2, "ideographEnclosedCircle", "㊁"), (3, "decimalFullWidth", "３"), (5, "someFutureFormat", "5"),
])
def test_word_number_formats(value: int, fmt: str, shown: str) -> None:
    assert format_number(value, fmt) == shown


def test_the_word_file_and_libreoffices_resave_of_it_read_alike(office: dict[str, Imported]) -> None:
    original, resaved = office["word-numbered.docx"], office["libreoffice-numbered.docx"]
    assert outline(resaved.speech) == outline(original.speech)
    assert "taiwaneseCountingThousand" in _numbering_xml(OFFICE / "libreoffice-numbered.docx")
    assert "chineseCounting\"" in _numbering_xml(OFFICE / "word-numbered.docx")


def _numbering_xml(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("word/numbering.xml").decode()


# --- the title block as PDFs and Word files carry it ------------------------------------------------

@pytest.mark.parametrize(("line", "speaker"), [
    ("县长　王某某", "县长 王某某"), ("县⻓　王某某", "县长 王某某"),
    ("县委副书记、县长　王某某", "县委副书记、县长 王某某"), ("讲话人：王某某", "王某某"),
])
def test_title_speaker_and_date_of_a_pdf_title_block(line: str, speaker: str) -> None:
    from content.formats.assemble import build
    from content.formats.blocks import Block

    lines = ["坚持为民用权　守住风险底线", line, "（2023年7月18日）", *SPEECH.splitlines()]
    blocks = [Block(text=text, where=f"page 1, line {number}", centred=number <= 3)
              for number, text in enumerate(lines, start=1)]
    result = build(blocks, "speech.pdf", "pdf")
    assert result.metadata == Metadata(title="坚持为民用权 守住风险底线", speaker=speaker, date=date(2023, 7, 18))
    assert result.body == SPEECH.strip()


def test_a_line_chinese_line_breaking_left_short_goes_on_in_its_paragraph() -> None:
    from content.formats.pdf import _Line, _paragraphs

    def line(number: int, text: str, x0: float, x1: float) -> _Line:
        return _Line(1, number, text, x0, x1, 100.0 + 20 * number, 112.0 + 20 * number, 12.0, 842.0, 595.0)

    lines = [line(1, "（一）坚持对党绝对忠诚。忠诚，既是一种境界，更是一种行动。习近平总书记明确指", 96.0, 487.0),
             line(2, "出，全党同志要强化党的意识，牢记自己的第一身份是共产党员，第一职责是为党工", 72.0, 511.0),
             line(3, "作，做到忠诚于组织。", 72.0, 192.0),
             line(4, "（二）带头强化理论武装。习近平新时代中国特色社会主义思想是当代中国马克思主", 96.0, 511.0),
             line(5, "义。", 72.0, 96.0),
             line(6, "二、抢抓关键机遇，立体聚焦“政府合力”，让落实更有力", 72.0, 400.0),
             line(7, "（一）始终站在政治高度抓落实。", 96.0, 280.0)]
    texts = [block.text for block in _paragraphs(lines)]
    assert texts == ["（一）坚持对党绝对忠诚。忠诚，既是一种境界，更是一种行动。习近平总书记明确指出，"
                     "全党同志要强化党的意识，牢记自己的第一身份是共产党员，第一职责是为党工作，做到忠诚于组织。",
                     "（二）带头强化理论武装。习近平新时代中国特色社会主义思想是当代中国马克思主义。",
                     "二、抢抓关键机遇，立体聚焦“政府合力”，让落实更有力", "（一）始终站在政治高度抓落实。"]


def test_a_heading_after_a_line_that_ends_near_the_margin_is_still_a_heading() -> None:
    from content.formats.pdf import _Line, _paragraphs

    def line(number: int, text: str, x1: float) -> _Line:
        return _Line(1, number, text, 72.0, x1, 100.0 + 20 * number, 112.0 + 20 * number, 12.0, 842.0, 595.0)

    lines = [line(1, "一、抢抓关键机遇，立体聚焦“政府合力”，让落实更有力，让发展更高效，让廉政更深", 487.0),
             line(2, "二、坚定初心使命，严格把牢“权力开关”，让廉政更深入，让旗帜更鲜明，让作风更", 511.0),
             line(3, "实", 84.0),
             line(4, "今年是实施“十四五”规划承上启下的关键之年，想要高质量完成今年经济社会发展任", 511.0),
             line(5, "务，重点在于转变思想。我们不能单纯地将自身当作经济建设的引导者，更要成为经", 511.0),
             line(6, "济建设的参与者。", 168.0)]
    assert [block.text for block in _paragraphs(lines)] == [
        lines[0].text, lines[1].text + "实", "".join(line.text for line in lines[3:])]
