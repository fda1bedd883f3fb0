"""The four 慎 principles and the daily reminder."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from content import Speech
from content.shen import NAMES, SHEN_FILE, principle, principles, reminder

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"


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


def test_pinyin_has_tone_marks_and_reads_the_name() -> None:
    from content.normalize import pinyin, pinyin_query

    for item in principles():
        syllables = item.pinyin.split()
        assert len(syllables) == len(item.name) and all(any(c in TONED for c in s) for s in syllables), item.pinyin
        assert item.plain_pinyin.isascii() and pinyin_query(item.plain_pinyin) == pinyin(item.name), item.pinyin
    assert [p.pinyin for p in principles()] == ["shèn chū", "shèn wēi", "shèn dú", "shèn yǒu"]


def test_every_principle_is_explained_in_english() -> None:
    for item in principles():
        text = item.english_explanation
        assert sum(c.isascii() for c in text) / len(text) > 0.95, item.name  # English, not Chinese
        assert len(text.split()) >= 20 and "  " not in text


@pytest.mark.parametrize("field", ["pinyin: shen chu", "pinyin: shèn", "pinyin: shèn chū wēi"])
def test_toneless_or_miscounted_pinyin_is_rejected(tmp_path: Path, field: str) -> None:
    good = SHEN_FILE.read_text("utf-8")
    bad = tmp_path / "shen.yaml"
    bad.write_text(good.replace("pinyin: shèn chū", field, 1), encoding="utf-8")
    with pytest.raises(ValidationError):
        principles(bad)
