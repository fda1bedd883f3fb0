"""Quote cards: Chinese line breaking, the last line balanced, size fitting, and a missing font
named in one line."""

from __future__ import annotations

import pytest

from content import Speech
from content.cards import (
    MARGIN,
    NO_END,
    NO_START,
    SIZES,
    WIDTH,
    balanced_lines,
    break_lines,
    card_font,
    layout,
)
from content.quotes import candidates

BOX = WIDTH - 2 * MARGIN


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(speech: Speech) -> None:
    font = card_font(SIZES[0])
    for quote in candidates(speech):
        lines = break_lines(quote.text, BOX, font)
        assert "".join(lines) == "".join(quote.text.split())  # nothing lost, nothing added
        for line in lines[1:]:
            assert line[0] not in NO_START, (quote.label, line)
        for line in lines[:-1]:
            assert line[-1] not in NO_END, (quote.label, line)
            overhang = font.getlength(line) - BOX
            assert overhang <= font.getlength("，"), line  # at most one hanging mark


def test_a_closing_mark_hangs_and_an_opening_mark_moves_down() -> None:
    font = card_font(60)
    width = font.getlength("字" * 5)
    assert break_lines("一二三四五。六七", width, font) == ["一二三四五。", "六七"]
    assert break_lines("一二三四“五六七", width, font) == ["一二三四", "“五六七"]


def test_the_last_line_is_balanced() -> None:
    font = card_font(60)
    text = "字" * 21  # 10 + 10 + 1 at a measure of ten
    lines = balanced_lines(text, font.getlength("字" * 10), font)
    assert len(lines) == 3 and len(lines[-1]) >= 0.4 * max(len(line) for line in lines)


def test_short_quotes_are_set_large_and_long_ones_smaller_but_readable() -> None:
    short_size, _ = layout("慎独。", BOX, 800)
    long_size, lines = layout("要" * 230, BOX, 800)
    assert short_size == SIZES[0] and SIZES[-1] <= long_size < short_size
    assert len(lines) * long_size * 1.55 <= 800


def test_a_missing_font_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from content import cards

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "noto_cjk_sans_otc" else real(
        name, *a))
    cards.card_font.cache_clear()
    cards._face_index.cache_clear()
    try:
        with pytest.raises(cards.CardFontMissing, match="install the package noto-cjk-sans-otc"):
            cards.card_font(40)
    finally:
        cards.card_font.cache_clear()
        cards._face_index.cache_clear()
