"""The four 慎 principles and the daily reminder."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from content import Speech
from content.shen import NAMES, principle, principles, reminder


def test_principles_are_complete_and_point_at_real_passages(speech: Speech) -> None:
    loaded = principles()
    assert tuple(p.name for p in loaded) == NAMES
    for item in loaded:
        assert 2 <= len(item.passages) <= 4
        assert all(speech.find(p) for p in item.passages)
        assert " " not in item.explanation
    assert principle("慎獨") is principle("shendu") is principle("独") is loaded[2]
    assert principle("慎重") is None


def test_principle_rotates_daily_and_quote_weekly(speech: Speech) -> None:
    start = date(2026, 11, 23)  # a Monday
    names = [reminder(speech, start + timedelta(days=i)).principle.name for i in range(8)]
    assert sorted(names[:4]) == sorted(NAMES) and names[:4] == names[4:]
    weekly = {reminder(speech, start + timedelta(weeks=w)).quote for w in range(6)}
    assert len(weekly) > 1


@pytest.mark.parametrize("days", range(0, 120, 5))
def test_reminder_quote_is_verbatim(speech: Speech, days: int) -> None:
    result = reminder(speech, date(2026, 1, 1) + timedelta(days=days))
    assert result.quote.text in speech.node(result.quote.id).text
    data = result.to_dict()
    assert set(data) == {"date", "principle", "meaning", "text", "quote"}
    assert result.quote.text in data["text"] and result.principle.name in data["text"]


def test_bad_principles_file_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "shen.yaml"
    bad.write_text("- name: 慎重\n  pinyin: x\n  meaning: 不对\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        principles(bad)
