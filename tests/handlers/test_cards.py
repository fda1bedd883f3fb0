"""Quote cards: Chinese line breaking, size fitting, every quote and every daily card of a month
rendered, and each read back with OCR (tesseract, Simplified Chinese) to match its passage."""

from __future__ import annotations

import difflib
import io
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from PIL import Image

from content import Speech
from content.answer import Searcher
from content.normalize import fold
from content.quotes import candidates
from content.shen import Ranking, rank, reminder
from handlers.cards import (
    MARGIN,
    NO_END,
    NO_START,
    SIZES,
    WIDTH,
    CardSpec,
    balanced_lines,
    break_lines,
    card_font,
    layout,
    quote_card,
    render,
)
from handlers.sharing import today_spec
from tests.conftest import CACHE_DIR

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


def cards(speech: Speech, ranking: Ranking | None) -> list[tuple[CardSpec, str]]:
    """Every quote candidate, and every daily card of a month (with the text each must show)."""
    made = [(quote_card(q.text, q.label), q.text) for q in candidates(speech)]
    for offset in range(31):
        today = reminder(speech, date(2026, 12, 1) + timedelta(days=offset), ranking)
        made.append((today_spec(today), today.quote.text))
    return made


@pytest.fixture(scope="module")
def rendered(speech: Speech, searcher: Searcher) -> list[tuple[CardSpec, str, bytes]]:
    ranking = rank(speech, searcher.encoder, CACHE_DIR)  # the bot's, so these are the cards it sends
    made = cards(speech, ranking)
    # On every core, as the bot renders them (in threads, concurrent updates at once).
    with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        pngs = list(pool.map(render, [spec for spec, _ in made]))
    return [(spec, text, png) for (spec, text), png in zip(made, pngs, strict=True)]


@pytest.mark.slow
def test_every_card_renders_at_4_to_5(rendered: list[tuple[CardSpec, str, bytes]]) -> None:
    assert len(rendered) >= 90
    for _, _, png in rendered:
        with Image.open(io.BytesIO(png)) as image:
            assert image.size == (1080, 1350) and image.format == "PNG"


def ocr(png: bytes) -> list[str]:
    """The card's text as tesseract reads it, at half size (about what a phone shows; tesseract
    misreads glyphs as large as the card's 76 px), in its two page modes (a single block, and
    a column of lines of several sizes): each misses a line now and then, rarely both."""
    with Image.open(io.BytesIO(png)) as image:
        half = io.BytesIO()
        image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS).save(half, format="PNG")
    readings = []
    for mode in ("6", "4"):
        result = subprocess.run(["tesseract", "stdin", "stdout", "-l", "chi_sim", "--psm", mode],
                                input=half.getvalue(), capture_output=True, timeout=120,
                                env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        readings.append(result.stdout.decode("utf-8", "replace"))
    return readings


def has_chinese_ocr() -> bool:
    if not shutil.which("tesseract"):
        return False
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout
    return "chi_sim" in langs.split()


@pytest.mark.slow
@pytest.mark.skipif(not has_chinese_ocr(), reason="tesseract with chi_sim is not installed (.ci/run installs it)")
def test_every_card_reads_back_as_its_passage(rendered: list[tuple[CardSpec, str, bytes]]) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        texts = list(pool.map(ocr, [png for _, _, png in rendered]))
    worst = []
    for (spec, passage, _), readings in zip(rendered, texts, strict=True):
        # The share of the passage's characters (with the daily header) read back in order.
        expected = fold(spec.header + spec.subheader + passage)
        similarity = max(sum(block.size for block in difflib.SequenceMatcher(
            None, expected, fold(read), autojunk=False).get_matching_blocks()) / len(expected) for read in readings)
        worst.append((similarity, spec.label, passage[:20]))
    worst.sort()
    assert worst[0][0] >= 0.9, worst[:3]


def test_a_missing_font_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from handlers import cards

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
