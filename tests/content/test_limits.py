"""What one import may cost (``content.formats.limits``), the child process it runs in
(``content.formats.isolated``) and the control characters it drops (``content.controls``).

Each hostile file of issue 24 is built here small, just past its limit (``tests.hostile``), and
must be refused in one line naming the limit; ``benchmarks/hostile.py`` builds them full size.
"""

from __future__ import annotations

import re

import pytest

from content.controls import count_controls, one_line, strip_controls
from content.formats import import_bytes
from content.formats.isolated import _environment, import_isolated
from content.formats.limits import LimitError, Limits, using
from tests import documents, hostile


def refused(data: bytes, name: str, limits: Limits | None = None) -> LimitError:
    """The one-line refusal of ``data``, in this process and within ``limits``."""
    with using(limits or Limits()), pytest.raises(LimitError) as caught:
        import_bytes(data, name)
    error = caught.value
    assert "\n" not in str(error) and str(error).startswith(f"{name}: ")
    return error


def test_a_docx_of_empty_paragraphs_is_refused_by_its_unpacked_size_or_its_paragraphs() -> None:
    error = refused(hostile.empty_paragraphs_docx(3 * 1024 * 1024), "空段落.docx", Limits(xml_bytes=2 * 1024 * 1024))
    assert error.code == "unpacked" and str(error) == (
        "空段落.docx: 3 MB when unpacked: too large to be a speech (at most 2 MB)")
    error = refused(hostile.empty_paragraphs_docx(200_000), "空段落.docx", Limits(paragraphs=10_000))
    assert (error.code, str(error)) == ("paragraphs", "空段落.docx: more than 10,000 paragraphs: too many for a speech")


def test_a_numbering_label_of_thousands_of_roman_numerals_is_refused() -> None:
    error = refused(hostile.roman_numbering_docx(paragraphs=20, placeholders=480), "罗马.docx")
    assert str(error) == "罗马.docx: an automatic numbering label longer than 64 characters"


def test_a_pdf_page_of_too_many_operators_or_that_inflates_too_far_is_refused_unread() -> None:
    error = refused(hostile.operators_pdf(200_000), "算子.pdf", Limits(page_bytes=1024 * 1024))
    assert str(error) == "算子.pdf: page 1 draws more than 1 MB of instructions: not a page of text"
    error = refused(hostile.inflating_pdf(3 * 1024 * 1024), "膨胀.pdf", Limits(page_bytes=2 * 1024 * 1024))
    assert (error.code, error.params) == ("page_bytes", {"page": 1, "limit": 2 * 1024 * 1024})


def test_a_pdf_of_too_many_pages_or_too_many_characters_is_refused() -> None:
    error = refused(hostile.full_pages_pdf(31, lines=1), "长.pdf", Limits(pages=30))
    assert str(error) == "长.pdf: 31 pages: too long to be a speech (at most 30)"
    error = refused(hostile.full_pages_pdf(1, lines=12), "满页.pdf", Limits(page_characters=500))
    assert str(error) == "满页.pdf: page 1 has more than 500 characters: not a page of text"
    # Pages within their cap that add up past a text's: refused after the page that passes it.
    error = refused(hostile.full_pages_pdf(4, lines=6), "多页.pdf", Limits(characters=1_000))
    assert error.code == "characters" and error.params["more"] and str(error).endswith(
        "characters: too long for one text (at most 1,000)")


def test_a_text_of_too_many_characters_or_sentences_is_refused_saying_the_numbers() -> None:
    data = hostile.periods_txt(30_000)
    count = len("".join(data.decode().split()))  # every character but the line ends
    error = refused(data, "句号.txt", Limits(characters=5_000))
    assert str(error) == f"句号.txt: {count:,} characters: too long for one text (at most 5,000)"
    many = "同志们：\n一、第一部分\n" + "好。" * 400
    error = refused(many.encode(), "短句.txt", Limits(sentences=300))
    assert str(error) == "短句.txt: 401 sentences: too many for one text (at most 300)"


def test_the_default_limits_leave_room_for_a_long_real_speech() -> None:
    """Nine times the original speech's paragraphs in one text (over 43,000 characters and 900
    sentences: more than a party congress's report) imports."""
    lines = documents.seed_lines()
    paragraphs = [re.sub(r"^（[一二三四五六七八九十]+）", "", line) for line in lines[2:]
                  if not re.match(r"^[一二三四五六七八九十]+、", line)]
    body = [*lines[:2], "一、第一部分", *(paragraphs * 9)]
    imported = import_bytes("\n".join(body).encode(), "长讲话.txt")
    assert len(imported.body) > 43_000 and len(imported.speech.sentence_units()) > 900


def test_control_characters_are_removed_with_a_note() -> None:
    imported = import_bytes(hostile.control_txt(), "控制\x1b[2J字符.txt")
    assert count_controls(imported.body) == 0 and "\x00" not in imported.body and "\x1b" not in imported.body
    assert "一、第一部分" in imported.body and "正文[31m红色[0m。" in imported.body
    assert [(n.code, n.message) for n in imported.notes] == [("controls", "6 control character(s) removed")]
    assert imported.speech.source == "控制 [2J字符.txt"


def test_strip_controls_keeps_tabs_and_line_ends() -> None:
    assert strip_controls("a\x00b\tc\nd\x1b[0m\x7f\x85e\x0cf") == "ab\tc\nd[0me\nf"
    assert one_line(" a\x00\n\tb\x1b ") == "a b"
    assert strip_controls("同志们：\n一、") == "同志们：\n一、"


def test_the_child_gives_what_an_import_in_this_process_gives() -> None:
    data = documents.title_block_docx(documents.seed_lines()[:6])
    here, there = import_bytes(data, "讲话.docx"), import_isolated(data, "讲话.docx")
    assert there == here


def test_the_child_says_a_format_error_in_the_parsers_own_words() -> None:
    with pytest.raises(Exception) as caught:
        import_isolated("同志们：\n一、第一部分\n三、跳过\n".encode(), "乱序.txt")
    with pytest.raises(Exception) as here:
        import_bytes("同志们：\n一、第一部分\n三、跳过\n".encode(), "乱序.txt")
    assert type(caught.value) is type(here.value) and str(caught.value) == str(here.value)
    assert vars(caught.value) == vars(here.value)


def test_the_child_is_stopped_at_its_wall_time() -> None:
    with pytest.raises(LimitError) as caught:
        import_isolated(hostile.full_pages_pdf(100, lines=50), "慢.pdf",
                        Limits(seconds=0.5, characters=10_000_000))
    assert str(caught.value) == "慢.pdf: reading it takes longer than 0.5 s"


def test_the_child_is_refused_more_memory_than_its_limit() -> None:
    """A .docx within every other cap whose XML tree needs more than the memory limit."""
    paragraph = "<w:p><w:r><w:t>" + "廉" * 200 + "</w:t></w:r></w:p>"
    big = hostile._docx([*hostile.speech_paragraphs(), *([paragraph] * 60_000)])
    limits = Limits(memory_mb=160, characters=10**8, paragraphs=10**6, xml_bytes=10**9, unpacked_bytes=10**9)
    with pytest.raises(LimitError) as caught:
        import_isolated(big, "大.docx", limits)
    assert caught.value.code in ("memory", "crashed") and "\n" not in str(caught.value)


def test_the_child_inherits_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:secret")
    monkeypatch.setenv("SPEECHBOT_DATABASE_URL", "postgresql+asyncpg://u:p@h/db")
    env = _environment()
    assert "TELEGRAM_BOT_TOKEN" not in env and not any(name.startswith("SPEECHBOT_") for name in env)
    assert "PYTHONPATH" in env
