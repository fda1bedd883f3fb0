"""``speechbot ledger``: a group's record from the database as .xlsx or .docx, for a month or a
year, and its user errors."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from bot.cli import main
from bot.settings import Settings
from bot.storage import Store
from content import load_speech
from content.plan import plan, reading_key
from handlers.store import PlanDayRecord
from tests.conftest import migrated_sqlite

CHAT = -7700
START = date(2026, 12, 1)


async def _fill(url: str) -> None:
    """Three plan days posted in December with the group's size, ✅ by a joined member (赵六)
    and by one who did not join, and a 心得."""
    settings = Settings(database_url=url, token=None)
    store = await Store.open(settings, clock=lambda: datetime(2026, 12, 2, 3, 0, tzinfo=UTC))
    try:
        await store.ledger.switch(CHAT, True, "第一支部")
        await store.ledger.join(CHAT, 501, "赵六")
        passages = plan(load_speech(), 10)
        for day in (1, 2, 3):
            posted = date(2026, 12, day)
            await store.ledger.record_day(PlanDayRecord(CHAT, posted, 1, START, 10, day, 20))
            ids = ",".join(dict.fromkeys(passages[day - 1].ids))
            for user in (501, 502) if day != 2 else (501,):
                await store.study.mark_read(user, CHAT, reading_key(START, 10, day), ids, posted)
        await store.ledger.add_note(501, CHAT, 1, "4.2", "学习纪律规矩，时时对照检查。")
    finally:
        await store.close()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in ("SPEECHBOT_SPEECH_FILE", "SPEECHBOT_TIMEZONE", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    url = migrated_sqlite(tmp_path / "ledger.sqlite3")
    asyncio.run(_fill(url))
    monkeypatch.setenv("SPEECHBOT_DATABASE_URL", url)
    monkeypatch.setenv("SPEECHBOT_ENCODER", "none")
    monkeypatch.chdir(tmp_path)
    return url


def test_a_month_as_xlsx_names_the_joined_and_counts_the_readers(database: str, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "台账.xlsx"
    assert main(["ledger", "--chat", str(CHAT), "--month", "2026-12", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    values = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    words = " ".join(str(v) for v in values)
    assert "第一支部" in (book.properties.title or "")  # the group names the workbook (and its printed header)
    assert "赵六" in words and "502" not in words
    numbers = [v for v in values if isinstance(v, int | float)]
    assert 2 in numbers and 1 in numbers and 20 in numbers  # readers per day, the group's size


def test_a_year_as_docx(database: str, tmp_path: Path) -> None:
    out = tmp_path / "台账.docx"
    assert main(["ledger", "--chat", str(CHAT), "--year", "2026", "--out", str(out)]) == 0
    document = Document(io.BytesIO(out.read_bytes()))
    body = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "第一支部" in body and "赵六" in body and "纪律规矩" in body


def test_a_month_without_a_plan_says_so(database: str, tmp_path: Path) -> None:
    out = tmp_path / "十一月.xlsx"
    assert main(["ledger", "--chat", str(CHAT), "--month", "2026-11", "--out", str(out)]) == 0
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert "没有学习计划" in " ".join(str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r)


@pytest.mark.parametrize(("args", "message"), [
    (["--month", "2026-13", "--out", "a.xlsx"], "invalid month '2026-13'"),
    (["--year", "26", "--out", "a.xlsx"], "invalid year 26"),
    (["--month", "2026-12", "--out", "a.pdf"], "must end in .xlsx or .docx"),
])
def test_user_errors_are_one_line(database: str, args: list[str], message: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", "--chat", str(CHAT), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
