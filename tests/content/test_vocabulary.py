"""The domain vocabulary: validated, general (not sentences of the speech), one home per phrase."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from content import Speech
from content.folding import fold
from content.vocabulary import entries, expansions


def test_the_vocabulary_is_large_and_general(speech: Speech) -> None:
    loaded = entries()
    assert len(loaded) >= 100
    folded_speech = fold(speech.text if hasattr(speech, "text") else "".join(n.text for n in speech.top))
    long_phrases = [p for e in loaded for p in e.say if len(p) >= 8 and p in folded_speech]
    assert not long_phrases  # everyday phrases, not the speech's sentences


def test_longest_phrase_wins_without_overlaps() -> None:
    assert [p for p, _ in expansions(fold("公款吃喝和交朋友"))] == ["公款吃喝", "交朋友"]


def test_a_phrase_in_two_entries_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "vocabulary.yaml"
    broken.write_text("- {say: [收礼], official: [廉洁]}\n- {say: [收礼], official: [腐败]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="收礼"):
        entries.__wrapped__(broken)


def test_an_empty_entry_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "vocabulary.yaml"
    broken.write_text("- {say: [], official: [廉洁]}\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        entries.__wrapped__(broken)
