"""Search quality floors on the labelled set (benchmarks/data/search_eval.yaml): the answer as
the bot gives it must hold them, and the exact tier alone (the search before the second tier)
must not, so the floors measure what the second tier adds. ``benchmarks.quality`` prints all."""

from __future__ import annotations

import pytest

from benchmarks.quality import evaluate, inside, load_cases
from content import Speech

CASES = load_cases()
ANSWERABLE = [c for c in CASES if c != "unanswerable"]


@pytest.fixture(scope="module")
def figures(speech: Speech) -> dict:
    return evaluate(speech, CASES)


def test_the_set_is_large_enough_and_covers_how_people_ask() -> None:
    assert sum(len(CASES[c]) for c in ANSWERABLE) >= 150 and len(CASES["unanswerable"]) >= 30
    assert set(ANSWERABLE) == {"exact", "reorder", "question", "synonym", "typo", "script"}


@pytest.mark.parametrize("category", ANSWERABLE)
def test_top3_floor_per_category(figures: dict, category: str) -> None:
    assert figures[category]["top3"] >= 0.9, figures["misses"]


def test_few_false_hits_on_questions_the_speech_does_not_answer(figures: dict) -> None:
    assert figures["unanswerable"]["false_hits"] <= 0.1, figures["misses"]


def test_the_exact_tier_alone_fails_the_floors(speech: Speech) -> None:
    below = []
    for category in ("reorder", "question", "synonym"):
        found = sum(any(inside(h.id, item["a"]) for h in speech.search(item["q"], 3)) for item in CASES[category])
        below.append(found / len(CASES[category]) < 0.9)
    assert all(below)
