"""The installed ``speechbot`` console script, run in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SPEECHBOT = shutil.which("speechbot", path=str(Path(sys.executable).parent))


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    assert SPEECHBOT, "the console script is not installed"
    return subprocess.run([SPEECHBOT, *args], capture_output=True, text=True, timeout=60, env=env)


def test_outline_lists_ids_labels_and_titles() -> None:
    result = run("outline")
    assert result.returncode == 0, result.stderr
    assert "  四（二） 聚焦关键环节，坚定不移抓好政府系统党风廉政建设重点工作  [4.2]" in result.stdout
    assert "[4.3.3]" in result.stdout and "[closing]" in result.stdout


def test_outline_json_shape() -> None:
    result = run("outline", "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"title", "nodes"}
    assert [n["id"] for n in data["nodes"]] == ["preface", "1", "2", "3", "4", "closing"]
    part4 = data["nodes"][4]
    assert set(part4) == {"id", "kind", "label", "title", "text", "children"}
    assert part4["kind"] == "part" and part4["children"][1]["children"][2]["label"] == "四（二）3"


@pytest.mark.parametrize("ref", ["四（二）", "4-2", "4.2"])
def test_show_accepts_every_notation(ref: str) -> None:
    result = run("show", ref)
    assert result.returncode == 0
    assert result.stdout.startswith("【四（二）】\n（二）聚焦关键环节")


def test_show_json() -> None:
    data = json.loads(run("show", "closing", "--json").stdout)
    assert data["kind"] == "closing" and data["label"] == "结语"


def test_unknown_id_lists_valid_ids() -> None:
    result = run("show", "9.9")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "unknown section id '9.9'" in result.stderr and "4.2.3" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_broken_file_reports_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes("同志们：\n一、标题\n".encode() + b"\xff oops\n")
    result = run("outline", "--file", str(bad))
    assert result.returncode == 2
    assert result.stderr == f"speechbot: {bad}:3: not valid UTF-8 text\n"


def test_file_from_environment(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("一、唯一部分\n（一）唯一小节。\n", encoding="utf-8")
    import os

    result = run("outline", env={**os.environ, "SPEECHBOT_SPEECH_FILE": str(other)})
    assert result.returncode == 0 and "唯一部分  [1]" in result.stdout


def test_python_dash_m_bot_is_the_same_command() -> None:
    result = subprocess.run([sys.executable, "-m", "bot", "show", "1.2"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("【一（二）】")


def test_console_talks_to_the_real_bot() -> None:
    assert SPEECHBOT
    result = subprocess.run([SPEECHBOT, "console"], input="/start\n/outline\n#5\n/search 慎獨\n/quit\n",
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "你好，同学" in result.stdout and "[5] 四、" in result.stdout
    assert "🤖 (edited) 📖 四、坚定初心使命" in result.stdout  # the button press edited the outline
    assert "慎独" in result.stdout.split("🔍", 1)[1]


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    import os

    url = f"sqlite+aiosqlite:///{tmp_path}/fresh.sqlite3"
    result = run("db", "upgrade", env={**os.environ, "SPEECHBOT_DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    import sqlite3

    tables = {r[0] for r in sqlite3.connect(tmp_path / "fresh.sqlite3").execute(
        "select name from sqlite_master where type='table'")}
    assert {"chats", "deliveries", "alembic_version"} <= tables
