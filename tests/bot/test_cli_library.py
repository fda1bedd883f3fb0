"""``speechbot library add|list|remove`` and ``--text ID`` on the content subcommands, against
a temporary SQLite database; the encoder is off except where the embeddings cache is the point."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from bot.cli import main
from bot.clock import system_clock
from content.answer import Searcher
from content.encoder import load_encoder
from content.formats import import_file
from content.library import TextInfo, node_count, parse_body
from content.shen import rank
from content.summaries import cache_key as summary_key
from tests import documents, hostile

SMALL = """关于新学期学习安排的讲话
同志们：
一、提高认识
（一）学习是立身之本。我们要把学习当作一种责任，时时处处严格要求自己。
（二）慎独慎微。独处时也要守规矩，小事小节不放松，守住做人的底线。
二、狠抓落实
（一）制定计划。每周学习一次，每次一小时，人人发言。
"""


@pytest.fixture(autouse=True)
def library_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A database and a cache of this test's own; no settings from the shell or a .env."""
    for name in ("SPEECHBOT_SPEECH_FILE", "SPEECHBOT_TIMEZONE", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SPEECHBOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'library.sqlite3'}")
    monkeypatch.setenv("SPEECHBOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SPEECHBOT_ENCODER", "none")  # encoding is slow; one test below uses the encoder
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def docx_file(tmp_path: Path) -> Path:
    """The speech with a title block, one word of its closing changed: another text than text 1
    (the speech file itself is text 1 already, content-addressed), with the same outline."""
    lines = documents.seed_lines()
    lines[-1] = lines[-1].replace("努力奋斗", "不懈奋斗")
    assert lines != documents.seed_lines()
    path = tmp_path / "讲话.docx"
    path.write_bytes(documents.title_block_docx(lines))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def listing(capsys: pytest.CaptureFixture[str], *flags: str) -> list[dict[str, object]]:
    code, out, err = run(capsys, "library", "list", "--json", *flags)
    assert (code, err) == (0, "")
    return json.loads(out)  # type: ignore[no-any-return]


def test_a_new_database_lists_the_original_speech_as_text_1(capsys: pytest.CaptureFixture[str]) -> None:
    texts = listing(capsys)
    assert [(t["id"], t["status"], t["source"]) for t in texts] == [(1, "live", "speech.txt")]
    assert isinstance(texts[0]["nodes"], int) and texts[0]["nodes"] > 20
    code, out, _ = run(capsys, "library", "list")
    assert code == 0 and out.startswith("   1  —")
    assert out.rstrip().endswith("原讲话") and "(untitled)" not in out  # its one name, as the bot shows it


@pytest.mark.slow
def test_add_stores_the_text_with_its_metadata_once(capsys: pytest.CaptureFixture[str], docx_file: Path) -> None:
    code, out, err = run(capsys, "library", "add", str(docx_file))
    assert (code, err) == (0, "")
    assert out.startswith("added text 2\n"
                          "   2  2023-05-10    27 nodes  live     坚持“慎”字当头 筑牢廉洁自律防线 — 县长 张三\n")
    assert "note: 1 table(s) left out" in out
    texts = listing(capsys)
    assert [t["id"] for t in texts] == [2, 1]  # newest first, the original last
    added = texts[0]
    assert {key: added[key] for key in ("title", "speaker", "date", "occasion", "nodes", "source")} == {
        "title": "坚持“慎”字当头 筑牢廉洁自律防线", "speaker": "县长 张三", "date": "2023-05-10",
        "occasion": "全县政府系统廉政工作会议", "nodes": node_count(import_file(docx_file).speech),
        "source": "讲话.docx"}

    code, out, err = run(capsys, "library", "add", str(docx_file), "--title", "另一个标题", "--json")
    data = json.loads(out)
    assert (code, err, data["id"], data["new"], data["was"]) == (0, "", 2, False, "live")
    assert listing(capsys) == texts  # nothing changed, not even the title given
    code, out, _ = run(capsys, "library", "add", str(docx_file))
    assert out.startswith("already text 2: nothing changed\n")


def test_the_original_as_a_word_file_fills_the_details_text_1_lacks(capsys: pytest.CaptureFixture[str],
                                                                     tmp_path: Path) -> None:
    path = tmp_path / "原讲话.docx"
    path.write_bytes(documents.title_block_docx(documents.seed_lines()))
    before = listing(capsys)[0]
    assert (before["id"], before["speaker"], before["date"]) == (1, None, None)
    code, out, err = run(capsys, "library", "add", str(path))
    assert (code, err) == (0, "")
    took = "speaker, date, occasion" if before["title"] else "title, speaker, date, occasion"
    assert out.startswith(f"already text 1: took the details it lacked from the file ({took})\n")
    after = listing(capsys)[0]
    assert (after["speaker"], after["date"], after["occasion"]) == (
        "县长 张三", "2023-05-10", "全县政府系统廉政工作会议")
    assert after["title"] == (before["title"] or "坚持“慎”字当头 筑牢廉洁自律防线")  # a title it has stays
    code, out, _ = run(capsys, "library", "add", str(path))
    assert out.startswith("already text 1: nothing changed\n")


def test_add_takes_the_metadata_given(capsys: pytest.CaptureFixture[str], docx_file: Path) -> None:
    code, out, _ = run(capsys, "library", "add", str(docx_file), "--title", "新<标题>", "--speaker", "李四",
                       "--date", "2024-01-02", "--occasion", "", "--json")
    data = json.loads(out)
    assert code == 0 and data["new"] is True
    assert (data["title"], data["speaker"], data["date"], data["occasion"]) == ("新<标题>", "李四", "2024-01-02", None)
    assert listing(capsys)[0]["title"] == "新<标题>"


def test_a_bad_date_is_one_line_before_anything_is_read(capsys: pytest.CaptureFixture[str], docx_file: Path) -> None:
    code, out, err = run(capsys, "library", "add", str(docx_file), "--date", "2024-13-01")
    assert (code, out, err) == (2, "", "speechbot: invalid date '2024-13-01'; use YYYY-MM-DD\n")


def test_the_content_commands_read_a_library_text(capsys: pytest.CaptureFixture[str], docx_file: Path) -> None:
    assert run(capsys, "library", "add", str(docx_file))[0] == 0

    code, out, _ = run(capsys, "show", "--text", "2", "4.2")
    assert code == 0 and out.startswith("【四（二）】\n（二）聚焦关键环节")
    shown = json.loads(run(capsys, "show", "--text", "2", "四（二）", "--json")[1])
    assert shown["id"] == "2:4.2"
    assert json.loads(run(capsys, "show", "--text", "2", "2:4.2.6", "--json")[1])["label"] == "四（二）6"

    outline = json.loads(run(capsys, "outline", "--text", "2", "--json")[1])
    assert (outline["text"], outline["title"]) == (2, "坚持“慎”字当头 筑牢廉洁自律防线")
    assert [node["id"] for node in outline["nodes"]] == ["2:preface", "2:1", "2:2", "2:3", "2:4", "2:closing"]
    code, out, _ = run(capsys, "outline", "--text", "2")
    assert out.startswith("坚持“慎”字当头 筑牢廉洁自律防线\n") and "  四（二） 聚焦关键环节" in out and "[2:4.2]" in out

    hits = json.loads(run(capsys, "search", "--text", "2", "八项规定", "--json")[1])
    assert hits and all(hit["id"].startswith("2:") for hit in hits)
    quote = json.loads(run(capsys, "quote", "--text", "2", "--id", "4.2", "--json")[1])
    assert quote["id"].startswith("2:4.2")
    summary = json.loads(run(capsys, "summary", "--text", "2", "4.2", "--json")[1])
    assert summary["label"] == "四（二）"

    # Without --text: the original speech, unscoped; --text 1 is the same.
    assert json.loads(run(capsys, "show", "4.2", "--json")[1])["id"] == "4.2"
    assert json.loads(run(capsys, "show", "--text", "1", "4.2", "--json")[1])["id"] == "4.2"


def test_an_unknown_text_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "--text", "9", "4.2")
    assert (code, out) == (2, "")
    assert err == "speechbot: unknown text 9; `speechbot library list --all` shows every text's id\n"


def test_text_and_file_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["outline", "--text", "2", "--file", "x.txt"])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_remove(capsys: pytest.CaptureFixture[str], docx_file: Path) -> None:
    run(capsys, "library", "add", str(docx_file))
    code, out, err = run(capsys, "library", "remove", "2")
    assert (code, err) == (0, "")
    assert out.startswith("removed text 2: chats reading it are back on the original speech\n")
    assert [t["id"] for t in listing(capsys)] == [1]
    assert [(t["id"], t["status"]) for t in listing(capsys, "--all")] == [(2, "removed"), (1, "live")]
    # What members saved still opens it: the text stays readable by its id.
    assert run(capsys, "show", "--text", "2", "4.2")[0] == 0
    assert run(capsys, "library", "remove", "2")[1].startswith("text 2 was removed already\n")

    code, out, err = run(capsys, "library", "remove", "1")
    assert (code, out) == (2, "")
    assert err == "speechbot: text 1 is the original speech (SPEECHBOT_SPEECH_FILE): it cannot be removed\n"
    code, out, err = run(capsys, "library", "remove", "7")
    assert (code, out) == (2, "")
    assert err == "speechbot: unknown text 7; `speechbot library list --all` shows every text's id\n"

    code, out, _ = run(capsys, "library", "add", str(docx_file))  # the same file again brings it back
    assert code == 0 and out.startswith("text 2 was removed; it is live again\n")
    assert [t["id"] for t in listing(capsys)] == [2, 1]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("broken.docx", b"not a zip", "not a Word .docx file (it is not a zip archive)"),
    ("scan.pdf", None, "no text layer"),
])
def test_a_broken_file_is_one_line_exit_2_and_nothing_stored(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                             name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content if content is not None else documents.scanned_pdf())
    code, out, err = run(capsys, "library", "add", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"speechbot: {path}: {message}") and err.count("\n") == 1
    assert [t["id"] for t in listing(capsys, "--all")] == [1]


PG_URL = os.environ.get("SPEECHBOT_TEST_DATABASE_URL")


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL, reason="no PostgreSQL"))])
def test_a_text_holding_control_characters_is_added_without_them(capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                 backend: str) -> None:
    """A NUL made PostgreSQL refuse the row (a 155-line traceback); an ESC sequence reached the
    terminal through ``show`` and ``search``. Both go at the import, with a note."""
    if backend == "postgresql" and PG_URL:
        from bot.fake.data import reset
        from bot.settings import Settings
        from bot.storage import Store

        async def wipe() -> None:
            store = await Store.open(Settings(token=None, database_url=PG_URL), system_clock)  # type: ignore[arg-type]
            await reset(store)
            await store.close()

        asyncio.run(wipe())
        monkeypatch.setenv("SPEECHBOT_DATABASE_URL", PG_URL)
    path = tmp_path / "控制.txt"
    path.write_bytes(hostile.control_txt())
    code, out, err = run(capsys, "library", "add", str(path))
    assert (code, err) == (0, "") and out.startswith("added text ")
    assert out.endswith("note: 6 control character(s) removed\n")
    text_id = out.split()[2]
    code, out, _ = run(capsys, "show", "--text", text_id, "1")
    assert code == 0 and out == "【一、】\n一、第一部分\n正文[31m红色[0m。\n（一）小节。正文2J。\n"
    code, out, _ = run(capsys, "search", "--text", text_id, "红色")
    assert code == 0 and "正文[31m红色[0m。" in out and "\x1b" not in out


class Refusing:
    """The real encoder's name (the cache key) without its model: any encoding fails the test."""

    def __init__(self, name: str) -> None:
        self.name = name

    def encode(self, texts: object) -> NDArray[np.float32]:
        raise AssertionError(f"encoded {texts!r}: the cache should have answered")


def test_add_leaves_the_embeddings_so_the_bot_never_encodes_the_text(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPEECHBOT_ENCODER", "use")
    path = tmp_path / "学习.txt"
    path.write_text(SMALL, encoding="utf-8")
    code, out, err = run(capsys, "library", "add", str(path), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    cache = tmp_path / "cache"
    assert {file.name.split("-")[0] for file in cache.iterdir()} == {"dense", "summaries", "shen"}

    # The bot parses the stored body (``content.library.parse_body``) and finds every cache warm.
    info = TextInfo(id=data["id"], title=data["title"], source=data["source"])
    speech = parse_body(info, import_file(path).body)
    real = load_encoder("use")
    assert real is not None
    refusing = Refusing(real.name)
    searcher = Searcher(speech, refusing, cache)
    assert searcher.dense is not None and len(searcher.dense.rows) > 5
    assert rank(speech, refusing, cache) is not None
    assert (cache / f"summaries-{summary_key(speech)}.json").exists()
    hits = json.loads(run(capsys, "search", "--text", str(data["id"]), "独处", "--json")[1])
    assert hits[0]["id"] == f"{data['id']}:1.2"
