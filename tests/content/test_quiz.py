"""Quiz questions: every question the generator can produce is unambiguous, plausible (its
distractors of the answer's kind and length) and within Telegram's poll limits (checked over all
of them, not samples); the draw weighs the integrity themes and repeats nothing within a week."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from content import Speech
from content.quiz import (
    BLANK,
    CONTEXT,
    EXPLANATION_LIMIT,
    LENGTH_SLACK,
    OPTION_LIMIT,
    QUESTION_LIMIT,
    THEME_SHARES,
    NoQuestions,
    all_questions,
    question_for,
    repeat_window_start,
    term_kinds,
    topic_of,
)
from content.shen import NAMES


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
        quote = q.text.split("\n", 1)[1][1:-1].replace("‘", "“").replace("’", "”")  # its own marks one level down
        assert whole.count(quote) == 1, q.key
        homes = [number for number, part in enumerate(speech.parts) if quote in part.text]
        assert homes == [q.correct], q.key


def test_the_same_seed_gives_the_same_question(speech: Speech) -> None:
    assert question_for(speech, "-100|2026-11-30") == question_for(speech, "-100|2026-11-30")
    assert len({question_for(speech, f"chat|{n}").key for n in range(50)}) > 30


def test_every_distractor_is_a_term_of_the_answers_kind_and_about_its_length(speech: Speech, whole: str) -> None:
    kinds = term_kinds()
    for q in (q for q in all_questions(speech) if q.kind == "blank"):
        answer = q.options[q.correct]
        for option in q.options:
            assert option in whole, (q.key, option)  # the speech's own terms
            assert kinds[option] == kinds[answer], (q.key, answer, option)
            assert abs(len(option) - len(answer)) <= LENGTH_SLACK, (q.key, answer, option)


def test_a_discipline_term_gets_discipline_terms_never_a_city_project(speech: Speech) -> None:
    """The case that was reported: 党章党规党纪 against urban-renewal and investment phrases."""
    asked = [q for q in all_questions(speech) if q.kind == "blank" and q.options[q.correct] == "党章党规党纪"]
    assert asked
    for q in asked:
        assert {term_kinds()[o] for o in q.options} == {"discipline"}, q.options


def test_a_blank_is_a_whole_term_not_a_piece_of_a_longer_one(speech: Speech) -> None:
    for q in (q for q in all_questions(speech) if q.kind == "blank"):
        sentence = q.text.removeprefix("填空：").replace(BLANK, q.options[q.correct])
        longer = [t for t in term_kinds() if q.options[q.correct] in t and t != q.options[q.correct] and t in sentence]
        assert not longer, (q.key, longer)


def test_which_part_offers_the_parts_and_which_shen_the_four(speech: Speech) -> None:
    parts = tuple(f"{p.label}{p.title}" for p in speech.parts)
    for q in all_questions(speech):
        if q.kind == "part":
            assert q.options == parts, q.key
        elif q.kind == "principle":
            assert q.options == NAMES, q.key


@pytest.mark.slow
def test_the_draw_weighs_the_integrity_themes(speech: Speech) -> None:
    """At most one question in five from parts 二/三 and the closing (property market, land
    sales, city renewal); the 慎 about one in ten."""
    draws = Counter(question_for(speech, f"-100|{n}").theme for n in range(4000))
    assert draws["development"] / 4000 <= 0.2
    assert draws["integrity"] / 4000 >= 0.7 and 0.07 <= draws["shen"] / 4000 <= 0.13
    assert THEME_SHARES["development"] < 0.2 and sum(THEME_SHARES.values()) == pytest.approx(1)


def test_questions_on_the_integrity_side_come_from_the_preface_and_parts_one_and_four(speech: Speech) -> None:
    homes = {q.theme: set() for q in all_questions(speech)}
    for q in all_questions(speech):
        if q.kind != "principle":
            sentence = q.text.removeprefix("填空：").split("\n")[-1].strip("“”").replace(BLANK, q.options[q.correct])
            homes[q.theme] |= {n.id for n in speech.top if sentence in n.text}
    assert homes["integrity"] == {"preface", "1", "4"} and homes["development"] == {"2", "3", "closing"}


def test_a_chat_is_asked_no_topic_twice_until_all_were_asked(speech: Speech) -> None:
    pool = all_questions(speech)
    asked: list[str] = []
    for _ in range(len({q.topic for q in pool})):
        asked.append(question_for(speech, "-100|2026-12-07", asked).key)  # the same seed every time
    topics = [topic_of(key) for key in asked]
    assert len(set(topics)) == len(topics)  # every topic once, the 慎 and parts 二/三 included
    assert question_for(speech, "-100|2026-12-07", asked) in pool  # then repeats are allowed


def test_the_repeat_window_is_the_chats_last_seven_local_days() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert repeat_window_start(date(2026, 12, 13), berlin) == datetime(2026, 12, 6, 23, 0, tzinfo=UTC)
    assert repeat_window_start(date(2026, 4, 2), berlin) == datetime(2026, 3, 26, 23, 0, tzinfo=UTC)  # CET then


def test_the_term_file_gives_every_term_one_kind(tmp_path: Path) -> None:
    assert {"discipline", "conduct", "economy", "city"} <= set(term_kinds().values())
    twice = tmp_path / "terms.yaml"
    twice.write_text("a: [纪律, 规矩, 党纪, 法纪]\nb: [纪律, 城市, 乡村, 项目]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="纪律"):
        term_kinds(twice)


def test_another_text_gets_the_same_questions_on_its_own_words_scoped_without_the_shen(speech: Speech) -> None:
    """The speech stored again as text 2: every blank and "which part" question of the original,
    keys scoped (a chat's repeat rule tells the texts apart), and none on the 慎, whose
    explanation quotes the original's preface; all of them of the ``integrity`` theme."""
    other = speech.scoped(2)
    mine = [q for q in all_questions(speech) if q.kind != "principle"]
    theirs = all_questions(other)
    # The same questions and answers (the distractors and their order are drawn by the key).
    assert [(q.kind, q.text, q.options[q.correct]) for q in theirs] == [(q.kind, q.text, q.options[q.correct])
                                                                         for q in mine]
    assert all(q.key == f"2:{mine[n].key}" and topic_of(q.key).startswith("2:q") for n, q in enumerate(theirs))
    assert {q.theme for q in theirs} == {"integrity"}
    assert question_for(other, "-100|2026-12-07").key.startswith("2:")


def test_a_text_with_no_listed_term_and_one_part_has_no_quiz() -> None:
    from content.library import TextInfo, normalise, parse_body
    from tests.library_texts import FITTING, UNRELATED

    weather = parse_body(TextInfo(id=3, title="春天的天气"), normalise(UNRELATED))
    assert all_questions(weather) == ()
    with pytest.raises(NoQuestions):
        question_for(weather, "-100|2026-12-07")
    plain = parse_body(TextInfo(id=2, title="坚守廉洁底线"), normalise(FITTING))
    asked = all_questions(plain)  # two parts: "which part" questions, each answered by its own part
    assert asked and {q.kind for q in asked} == {"part"}
    for q in asked:
        quote = q.text.split("“", 1)[1].rstrip("”")
        home = next(p for p in plain.parts if quote in p.text)
        assert q.options[q.correct] == f"{home.label}{home.title}"
