"""Quiz questions: every question the generator can produce is unambiguous and within
Telegram's poll limits (checked over all of them, not samples)."""

from __future__ import annotations

import pytest

from content import Speech
from content.quiz import (
    BLANK,
    CONTEXT,
    EXPLANATION_LIMIT,
    OPTION_LIMIT,
    QUESTION_LIMIT,
    all_questions,
    question_for,
)


@pytest.fixture(scope="module")
def whole(speech: Speech) -> str:
    return "\n".join(node.text for node in speech.top)


def test_there_are_enough_questions_of_every_kind(speech: Speech) -> None:
    kinds = [q.kind for q in all_questions(speech)]
    assert kinds.count("blank") >= 100 and kinds.count("part") >= 30 and kinds.count("principle") == 4


def test_every_question_fits_telegrams_limits(speech: Speech) -> None:
    for q in all_questions(speech):
        assert len(q.text) <= QUESTION_LIMIT and 2 <= len(q.options) <= 10, q.key
        assert all(1 <= len(option) <= OPTION_LIMIT for option in q.options), q.key
        assert len(q.explanation) <= EXPLANATION_LIMIT and q.explanation.count("\n") <= 2, q.key
        assert len(set(q.options)) == len(q.options) and 0 <= q.correct < len(q.options), q.key


def test_every_blank_has_exactly_one_answer_the_speech_supports(speech: Speech, whole: str) -> None:
    for q in (q for q in all_questions(speech) if q.kind == "blank"):
        sentence = q.text.removeprefix("填空：")
        assert sentence.count(BLANK) == 1, q.key
        assert sentence.replace(BLANK, q.options[q.correct]) in whole, q.key  # the answer is verbatim
        start = sentence.find(BLANK)
        before, after = sentence[max(0, start - CONTEXT):start], sentence[start + len(BLANK):][:CONTEXT]
        for number, option in enumerate(q.options):
            if number != q.correct:
                assert sentence.replace(BLANK, option) not in whole, (q.key, option)
                assert before + option + after not in whole, (q.key, option)


def test_every_part_question_names_the_one_part_the_quote_is_in(speech: Speech, whole: str) -> None:
    for q in (q for q in all_questions(speech) if q.kind == "part"):
        quote = q.text.split("\n", 1)[1][1:-1]
        assert whole.count(quote) == 1, q.key
        homes = [number for number, part in enumerate(speech.parts) if quote in part.text]
        assert homes == [q.correct], q.key


def test_the_same_seed_gives_the_same_question(speech: Speech) -> None:
    assert question_for(speech, "-100|2026-11-30") == question_for(speech, "-100|2026-11-30")
    assert len({question_for(speech, f"chat|{n}").key for n in range(50)}) > 30
