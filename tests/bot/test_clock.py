"""One clock: only ``bot.clock`` reads the system's wall clock; everything else is handed it
(the fake Bot API stands for Telegram's servers, which have their own)."""

from __future__ import annotations

import re
from datetime import UTC
from pathlib import Path

from bot.clock import system_clock

ROOT = Path(__file__).resolve().parents[2]
READS_THE_CLOCK = re.compile(r"\b(datetime\.now|datetime\.utcnow|date\.today|time\.time)\(")


def test_only_bot_clock_reads_the_wall_clock() -> None:
    allowed = {ROOT / "bot" / "clock.py"}
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for package in ("bot", "handlers", "content") for path in sorted((ROOT / package).rglob("*.py"))
             if path not in allowed and "fake" not in path.relative_to(ROOT).parts
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if READS_THE_CLOCK.search(line)]
    assert found == []


def test_the_system_clock_is_aware_utc() -> None:
    assert system_clock().tzinfo is UTC
