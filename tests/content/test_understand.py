"""Query understanding: filler words go, vocabulary phrases carry official terms, words are the
speech's own, and coverage is a share that a longer question does not inflate."""

from __future__ import annotations

import pytest

from content import Speech
from content.folding import fold, pinyin
from content.understand import Lexicon, cleaned, coverage, understand


@pytest.fixture(scope="module")
def lexicon(speech: Speech) -> Lexicon:
    return Lexicon([fold(text) for _, text in speech.sentence_units()])


def texts(query: str, lexicon: Lexicon) -> list[str]:
    return [term.text for term in understand(query, lexicon)]


def test_question_words_go_and_idioms_stay(lexicon: Lexicon) -> None:
    assert texts("领导干部能不能收礼", lexicon) == ["领导", "干部", "收礼"]
    assert texts("行有所止心有所畏", lexicon) == ["行有所止", "心有所畏"]  # 有 is filler only on its own
    assert texts("对党绝对忠诚是什么意思", lexicon) == ["对党绝对", "忠诚"]


def test_vocabulary_phrases_carry_the_official_terms(lexicon: Lexicon) -> None:
    friends = understand("怎么对待身边的朋友", lexicon)
    assert [t.text for t in friends] == ["身边的朋友"] and "交友" in friends[0].alternatives
    meals = understand("公款吃喝", lexicon)[0]
    assert "八项规定" in meals.alternatives and "四风" in meals.alternatives


def test_latin_runs_are_pinyin_or_english(lexicon: Lexicon) -> None:
    pinyin_term, chinese = understand("dangfeng lianzheng 建设", lexicon)
    assert pinyin_term.spelled == pinyin("党风廉政") and chinese.text == "建设"
    assert "纪律" in understand("discipline", lexicon)[0].alternatives


def test_coverage_is_a_share_that_does_not_grow_with_the_question(lexicon: Lexicon, speech: Speech) -> None:
    sentence = next(t for _, t in speech.sentence_units() if "风清气正的政治生态" in t)
    folded, spelled = fold(sentence), pinyin(sentence)
    once = coverage(understand("政治生态风清气正", lexicon), folded, spelled)
    assert once == 1.0
    assert coverage(understand("政治生态风清气正" * 3, lexicon), folded, spelled) == once
    assert coverage(understand("政治生态与足球比赛", lexicon), folded, spelled) < 0.6  # half the question


def test_a_compound_is_not_answered_by_its_parts_far_apart(lexicon: Lexicon, speech: Speech) -> None:
    sentence = next(t for _, t in speech.sentence_units() if "加强教育" in t and "改革" in t)
    assert coverage(understand("教育改革", lexicon), fold(sentence), pinyin(sentence)) < 0.6


def test_cleaned_keeps_the_phrase_for_the_exact_tier() -> None:
    assert cleaned("为什么要全面从严治党") == "要全面从严治党"
    assert cleaned("怎么") == "怎么"  # nothing left: the query itself
