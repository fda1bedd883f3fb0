"""The bot's quote cards: every quote and every daily card of a month (as ``handlers.sharing``
builds them) rendered, and each read back with OCR (tesseract, Simplified Chinese) to match its
passage."""

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
from content.cards import CardSpec, quote_card, render
from content.folding import fold
from content.quotes import candidates
from content.shen import Ranking, rank, reminder
from handlers.sharing import today_spec
from tests.conftest import CACHE_DIR


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
