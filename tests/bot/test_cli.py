"""The ``speechbot`` command line, called in-process (``cli.main``) except where the process
boundary is what is tested (the installed script, ``python -m bot``)."""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from handlers.catalog import tr

SPEECHBOT = shutil.which("speechbot", path=str(Path(sys.executable).parent))


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No settings from the developer's shell or a .env in the checkout."""
    for name in ("SPEECHBOT_SPEECH_FILE", "SPEECHBOT_TIMEZONE", "SPEECHBOT_DATABASE_URL", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_outline_lists_ids_labels_and_titles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "outline")
    assert code == 0
    assert "  四（二） 聚焦关键环节，坚定不移抓好政府系统党风廉政建设重点工作  [4.2]" in out
    assert "[4.3.3]" in out and "[closing]" in out


def test_outline_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(capsys, "outline", "--json")[1])
    assert set(data) == {"text", "title", "nodes"} and data["text"] == 1  # the original speech is text 1
    assert [n["id"] for n in data["nodes"]] == ["preface", "1", "2", "3", "4", "closing"]
    part4 = data["nodes"][4]
    assert set(part4) == {"id", "kind", "label", "title", "text", "children"}
    assert part4["kind"] == "part" and part4["children"][1]["children"][2]["label"] == "四（二）3"


@pytest.mark.parametrize("ref", ["四（二）", "4-2", "4.2"])
def test_show_accepts_every_notation(capsys: pytest.CaptureFixture[str], ref: str) -> None:
    code, out, _ = run(capsys, "show", ref)
    assert code == 0 and out.startswith("【四（二）】\n（二）聚焦关键环节")


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(capsys, "show", "closing", "--json")[1])
    assert data["kind"] == "closing" and data["label"] == "结语"


def test_unknown_id_lists_valid_ids(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "9.9")
    assert (code, out) == (2, "")
    assert "unknown section id '9.9'" in err and "4.2.3" in err and err.count("\n") == 1


def test_broken_file_reports_file_and_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes("同志们：\n一、标题\n".encode() + b"\xff oops\n")
    code, _, err = run(capsys, "outline", "--file", str(bad))
    assert code == 2 and err == f"speechbot: {bad}:3: not valid UTF-8 text\n"


def test_file_from_environment(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other.txt"
    other.write_text("一、唯一部分\n（一）唯一小节。\n", encoding="utf-8")
    monkeypatch.setenv("SPEECHBOT_SPEECH_FILE", str(other))
    code, out, _ = run(capsys, "outline")
    assert code == 0 and "唯一部分  [1]" in out


def test_settings_come_from_dot_env_too(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    other = tmp_path / "dotenv.txt"
    other.write_text("一、来自点文件\n（一）唯一小节。\n", encoding="utf-8")
    (tmp_path / ".env").write_text(f"SPEECHBOT_SPEECH_FILE={other}\n", encoding="utf-8")
    code, out, _ = run(capsys, "outline")
    assert code == 0 and "来自点文件  [1]" in out


def test_a_bad_setting_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHBOT_TIMEZONE", "Mars/Olympus")
    code, _, err = run(capsys, "reminder")
    assert code == 2 and err == "speechbot: timezone: unknown time zone 'Mars/Olympus'\n"


def test_reminder_of_a_given_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "reminder", "--date", "2026-11-27", "--json")
    assert code == 0 and json.loads(out)["date"] == "2026-11-27"
    assert run(capsys, "reminder", "--date", "27.11.2026")[0] == 2


def test_the_reminder_says_its_date(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 24.19: ``speechbot reminder`` printed no date."""
    code, out, _ = run(capsys, "reminder", "--date", "2026-12-03")
    assert code == 0 and out.startswith("2026-12-03 今日一慎：")
    assert json.loads(run(capsys, "reminder", "--date", "2026-12-03", "--json")[1])["text"] == out.rstrip("\n")


def test_the_outline_titles_the_preface_and_closing_by_their_first_words(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 24.19: the closing read 「结语 …破浪前行。…」: an ellipsis after a whole sentence."""
    lines = run(capsys, "outline")[1].splitlines()
    assert lines[-1] == "结语 同志们，风正时济，自当破浪前行。  [closing]"
    assert lines[0] == "前言 清正廉洁，是融入中国共产党人血脉之中的不变本色……  [preface]"  # cut after a clause
    assert not any("。…" in line for line in lines)


def test_help_is_plain_text_and_names_the_summarys_default(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 24.19: ``--help`` showed RST markup (``speechbot``), and ``summary --length short``
    looked like a flag that did nothing: it is the default, and the help says so."""
    for args in (["--help"], ["summary", "--help"]):
        with pytest.raises(SystemExit):
            main(args)
        out = capsys.readouterr().out
        assert "``" not in out and out.strip(), args
    assert "short (the default" in out
    short, default, long = (run(capsys, "summary", "4.2", *extra)[1] for extra in
                            (["--length", "short"], [], ["--length", "long"]))
    assert short == default and len(long) > len(short)


@pytest.mark.slow
def test_console_talks_to_the_real_bot(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("/start\n/outline\n#5\n/search 慎獨\n/card\n/quiz\n/quit\n"))
    code, out, _ = run(capsys, "console")
    assert code == 0
    assert "🤖 🖼 " in out and ".png" in out  # a card: where to see it, then its caption
    assert "🤖 ❓ " in out and "(4) " in out  # a quiz: the question and its options
    assert "你好，同学" in out and "[5] 四、" in out
    assert "🤖 (edited) 📖 四、坚定初心使命" in out  # the button press edited the outline
    assert "慎独" in out.split("🔍", 1)[1]


class TerminalInput(io.StringIO):
    """Typed lines, as from a terminal (so the console prints its prompt)."""

    def isatty(self) -> bool:
        return True


def test_console_plays_a_group_its_members_their_quizzes_and_the_pop_ups(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A newcomer tries group study without Telegram: a group the console user administers,
    another member (/as) whose button press pops up an alert, a quiz answered by two members
    (anonymous in the group: only the voter sees the result), a private quiz whose vote reaches
    the bot (a poll_answer counted in /progress), a toast and a keyboard changed in place."""
    script = ("/group\n/settings\n/as 王芳\n#1\n/quiz\n/vote 1\n/vote 2\n/as 1001\n/vote 2\n"
              "/private\n/quiz\n#vote 1\n/progress\n/quote 纪律\n#4\n/as 王芳\n/quit\n")
    monkeypatch.setattr(sys, "stdin", TerminalInput(script))
    code, out, _ = run(capsys, "console")
    assert code == 0
    assert "同学 (1001) · private> " in out and "王芳 (1002) · group -1001> " in out  # who and where
    assert "(同学 adds the bot to group -1001 and is its administrator" in out
    assert "🤖 大家好！" in out  # the bot greets the group it was added to
    assert f"⚠ {tr('zh', 'not_admin')}" in out  # 王芳 is no administrator: an alert
    group_quiz = out.split("王芳 (1002) · group -1001> ")[2]
    assert "🤖 ❓ " in group_quiz and "   (4) " in group_quiz and "(/vote N answers)" in group_quiz
    assert "王芳: (1) is " in out and "(you already answered this quiz)" in out and "同学: (2) is " in out
    assert "(an anonymous poll: Telegram does not tell the bot who answered)" in out
    assert re.search(r"答题：[01]/1 正确", out)  # the private vote reached the bot
    assert f"💬 {tr('zh', 'saved_added')}" in out and "🤖 (buttons changed)" in out and "★" in out
    assert "(you are 王芳, id 1002, in private)" in out  # /as in a private chat: that user's own


def test_db_upgrade_creates_the_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHBOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/fresh.sqlite3")
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "migrated" in out
    tables = {r[0] for r in sqlite3.connect(tmp_path / "fresh.sqlite3").execute(
        "select name from sqlite_master where type='table'")}
    assert {"chats", "deliveries", "alembic_version"} <= tables


def test_the_installed_script_and_python_dash_m_bot_are_the_same_command() -> None:
    assert SPEECHBOT, "the console script is not installed"
    script = subprocess.run([SPEECHBOT, "show", "1.2"], capture_output=True, text=True, timeout=60)
    module = subprocess.run([sys.executable, "-m", "bot", "show", "1.2"], capture_output=True, text=True, timeout=60)
    assert script.returncode == module.returncode == 0
    assert script.stdout == module.stdout and script.stdout.startswith("【一（二）】")


def test_push_run_due_with_an_unreachable_bot_api_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.bot.test_run import free_port

    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-TOKEN-fake-bot-api")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", f"http://127.0.0.1:{free_port()}/bot")
    monkeypatch.setenv("SPEECHBOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/push.sqlite3")
    code, out, err = run(capsys, "push", "run-due")
    assert (code, out) == (2, "")
    assert err.startswith("speechbot: cannot reach the Bot API at http://127.0.0.1:") and err.count("\n") == 1
    assert "TEST-TOKEN" not in err


def test_a_keyword_with_a_date_is_that_days_quote(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Issue 24.12: ``quote --keyword 纪律 --date`` answered differently from run to run (and
    ``card`` drew another). With a date, the keyword's quote is that day's, whatever the RNG."""
    args = ("--keyword", "纪律", "--date", "2026-12-03", "--json")
    answers = set()
    for seed in range(8):
        random.seed(seed)
        answers.add(json.loads(run(capsys, "quote", *args)[1])["text"])
    random.seed(99)
    card = json.loads(run(capsys, "card", *args, "--out", str(tmp_path / "c.png"))[1])
    assert len(answers) == 1 and card["text"] in answers
    month = {json.loads(run(capsys, "quote", "-k", "纪律", "--date", f"2026-12-{day:02d}", "--json")[1])["text"]
             for day in range(1, 15)}
    assert len(month) > 1  # another day may draw another of the keyword's quotes


def test_card_renders_the_quote_that_quote_gives(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "card.png"
    code, printed, _ = run(capsys, "card", "--date", "2026-11-27", "--out", str(out), "--json")
    quote = json.loads(run(capsys, "quote", "--date", "2026-11-27", "--json")[1])
    data = json.loads(printed)
    assert code == 0 and data["text"] == quote["text"] and data["label"] == quote["label"]
    assert out.read_bytes().startswith(b"\x89PNG") and data["path"] == str(out.resolve())
    assert run(capsys, "card", "--keyword", "足球", "--out", str(out))[0] == 2
    assert run(capsys, "card", "--id", "4.2", "--out", str(tmp_path / "missing" / "c.png"))[0] == 2
