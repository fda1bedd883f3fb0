"""``speechbot import FILE``: the metadata, the outline and the notes of a real file; one line
and exit 2 for a broken one."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import main
from tests import documents, hostile


@pytest.fixture
def docx_file(tmp_path: Path) -> Path:
    path = tmp_path / "讲话.docx"
    path.write_bytes(documents.title_block_docx(documents.seed_lines()))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_prints_the_metadata_the_outline_and_the_notes(capsys: pytest.CaptureFixture[str],
                                                               docx_file: Path) -> None:
    code, out, err = run(capsys, "import", str(docx_file))
    assert (code, err) == (0, "")
    assert out.startswith("title:    坚持“慎”字当头 筑牢廉洁自律防线\nspeaker:  县长 张三\ndate:     2023-05-10\n"
                          "occasion: 全县政府系统廉政工作会议\nformat:   docx\n")
    assert "  四（二） 聚焦关键环节，坚定不移抓好政府系统党风廉政建设重点工作  [4.2]\n" in out
    assert "    四（二）6 规范政府权力运行  [4.2.6]\n" in out
    assert out.endswith("note: 1 table(s) left out (after paragraph 6)\nnote: 1 footnote(s) left out\n")


def test_import_json(capsys: pytest.CaptureFixture[str], docx_file: Path) -> None:
    code, out, _ = run(capsys, "import", str(docx_file), "--json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"file", "format", "metadata", "salutation", "nodes", "notes"}
    assert data["metadata"] == {"title": "坚持“慎”字当头 筑牢廉洁自律防线", "speaker": "县长 张三",
                                "date": "2023-05-10", "occasion": "全县政府系统廉政工作会议"}
    assert [node["id"] for node in data["nodes"]] == ["preface", "1", "2", "3", "4", "closing"]
    assert [note["code"] for note in data["notes"]] == ["tables", "footnotes"]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("broken.docx", b"not a zip", "not a Word .docx file (it is not a zip archive)"),
    ("scan.pdf", None, "no text layer"),
    ("speech.rtf", b"{\\rtf1}", "unsupported file type '.rtf'"),
])
def test_a_broken_file_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str,
                                              content: bytes | None, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content if content is not None else documents.scanned_pdf())
    code, out, err = run(capsys, "import", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"speechbot: {path}: {message}") and err.count("\n") == 1


@pytest.mark.parametrize(("name", "build", "message"), [
    ("罗马.docx", lambda: hostile.roman_numbering_docx(paragraphs=20, placeholders=480),
     "an automatic numbering label longer than 64 characters"),
    ("算子.pdf", lambda: hostile.operators_pdf(320_000),
     "page 1 draws more than 2 MB of instructions: not a page of text"),
])
def test_a_hostile_file_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str,
                                               build: Callable[[], bytes], message: str) -> None:
    path = tmp_path / name
    path.write_bytes(build())
    code, out, err = run(capsys, "import", str(path))
    assert (code, out, err) == (2, "", f"speechbot: {path}: {message}\n")


def test_the_import_runs_within_the_settings_limits(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The characters a text may hold, and the child's wall time (the child is stopped)."""
    monkeypatch.setenv("SPEECHBOT_IMPORT_MAX_CHARACTERS", "1000")
    code, _, err = run(capsys, "import", str(documents.SEED))
    count = len("".join(documents.SEED.read_text("utf-8").split()))
    assert (code, err) == (2, f"speechbot: {documents.SEED}: {count:,} characters: too long for one text "
                              "(at most 1,000)\n")
    # A budget no child can meet (starting Python alone takes longer), so the wall-time limit is
    # what stops it on any machine, however fast: not the characters, which a fast one reaches first.
    monkeypatch.delenv("SPEECHBOT_IMPORT_MAX_CHARACTERS")
    monkeypatch.setenv("SPEECHBOT_IMPORT_SECONDS", "0.02")
    path = tmp_path / "慢.pdf"
    path.write_bytes(hostile.full_pages_pdf(100, lines=50))
    code, _, err = run(capsys, "import", str(path))
    assert (code, err) == (2, f"speechbot: {path}: reading it takes longer than 0.02 s\n")


def test_control_characters_are_never_printed(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """An ESC sequence in a speech file (one outside the library: ``--file``) does not reach the terminal."""
    monkeypatch.setenv("SPEECHBOT_ENCODER", "none")
    path = tmp_path / "esc.txt"
    path.write_text("同志们：\n一、第一部分\n正文\x1b[2J清屏\x07。\n", "utf-8")
    code, out, _ = run(capsys, "show", "--file", str(path), "1")
    assert code == 0 and out == "【一、】\n一、第一部分\n正文[2J清屏。\n"
    code, out, _ = run(capsys, "search", "--file", str(path), "清屏")
    assert code == 0 and "清屏" in out and "\x1b" not in out and "\x07" not in out
