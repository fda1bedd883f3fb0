"""Search quality floors on the development set (``benchmarks.quality.SETS["dev"]``): the answer
as the bot gives it must hold them, and the precise tier alone must
not, so the floors measure what the related and dense tiers add. The held-out set is reported by
``benchmarks.quality``, never asserted here: a failing test would invite tuning on it."""

from __future__ import annotations

import pytest

from benchmarks.quality import evaluate, inside, load_cases
from content import Speech
from content.answer import Searcher

CASES = load_cases("dev")
SILENT = [c for c, items in CASES.items() if not any(item.get("a") for item in items)]
ANSWERABLE = [c for c in CASES if c not in SILENT]
# top-3 (any tier) and answered (a right passage shown as 原文 or 相关) per category.
FLOORS = {"exact": (0.95, 0.95), "reorder": (0.95, 0.95), "synonym": (0.95, 0.85), "typo": (0.95, 0.95),
          "script": (0.95, 0.9), "misquote": (0.95, 0.9), "keyword": (0.95, 0.95), "keywords": (0.95, 0.95),
          "traditional": (0.95, 0.95), "typos": (0.95, 0.9), "question": (0.85, 0.65), "english": (0.85, 0.7),
          "everyday": (0.9, 0.85), "long": (0.85, 0.75), "synonyms": (0.8, 0.55), "pinyin": (0.75, 0.7)}


@pytest.fixture(scope="module")
def figures(searcher: Searcher) -> dict:
    return evaluate(searcher, CASES)


def test_the_set_is_large_enough_and_covers_how_people_ask() -> None:
    assert sum(len(CASES[c]) for c in ANSWERABLE) >= 600 and sum(len(CASES[c]) for c in SILENT) >= 150
    assert set(ANSWERABLE) == set(FLOORS) and set(SILENT) == {"unanswerable", "offtopic"}


@pytest.mark.parametrize("category", ANSWERABLE)
def test_floors_per_category(figures: dict, category: str) -> None:
    top3, answered = FLOORS[category]
    assert figures[category]["top3"] >= top3, figures["misses"]
    assert figures[category]["answered"] >= answered, figures["misses"]


def test_questions_the_speech_does_not_answer_claim_nothing(figures: dict) -> None:
    assert figures["unanswerable"]["silent"] >= 0.85, figures["misses"]
    assert figures["offtopic"]["silent"] >= 0.95 and figures["offtopic"]["empty"] >= 0.5, figures["misses"]


def test_claimed_tiers_are_mostly_right(figures: dict) -> None:
    precision = figures["tier_precision"]
    assert precision["exact"]["precision"] >= 0.85 and precision["related"]["precision"] >= 0.6, precision
    assert all(figures[c]["first_claim"] >= 0.85 for c in ANSWERABLE), figures


def test_the_precise_tier_alone_fails_the_floors(speech: Speech) -> None:
    for category in ("question", "english"):
        found = sum(any(inside(h.id, item["a"]) for h in speech.search(item["q"], 3)) for item in CASES[category])
        assert found / len(CASES[category]) < FLOORS[category][0] - 0.3
