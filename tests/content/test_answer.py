"""The search service: one ranking from three tiers, each node once, an honest tier on every hit,
cross-lingual answers, and graceful degradation without (or with a broken) encoder."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from numpy.typing import NDArray

from content import Speech
from content.answer import FEATURES, NEAREST_MAX, WEIGHTS, Candidate, Searcher
from content.glosses import glosses_for

QUERIES = ["慎独", "领导干部能不能收礼", "what does the speech say about loyalty to the party", "抓铁有恨",
           "招商引资", "shendu", "你好", "how do I apply for a passport", "纪律 规矩", "🙂", "   "]


@pytest.mark.parametrize("query", QUERIES)
def test_every_node_once_claimed_first_and_verbatim(searcher: Searcher, speech: Speech, query: str) -> None:
    hits = searcher.answer(query, 5)
    assert len({hit.id for hit in hits}) == len(hits)
    tiers = [hit.tier for hit in hits]
    assert tiers == sorted(tiers, key=["exact", "related", "nearest"].index)
    for hit in hits:
        assert hit.text in speech.node(hit.id).text  # what a member reads is the speech's own words
        assert hit.label == speech.node(hit.id).label
    if "nearest" in tiers:
        assert len(hits) <= NEAREST_MAX


@pytest.mark.parametrize(("query", "node"), [
    ("what does the speech say about loyalty to the party", "1.1"),
    ("corruption in construction projects and public funds", "4.2.3"),
    ("attracting investment from top 500 companies", "3.2"),
])
def test_an_english_question_finds_its_chinese_passage(searcher: Searcher, query: str, node: str) -> None:
    assert node in [hit.id for hit in searcher.answer(query, 3)]


def test_exact_words_are_exact_and_first(searcher: Searcher) -> None:
    hits = searcher.answer("抓铁有痕、踏石留印", 5)
    assert hits[0].id == "2.1" and hits[0].tier == "exact" and hits[0].spans


def test_a_question_the_speech_does_not_answer_claims_nothing(searcher: Searcher) -> None:
    for query in ("how do I apply for a passport", "明天北京天气怎么样", "你好"):
        assert all(hit.tier == "nearest" for hit in searcher.answer(query, 5)), query


EVIDENCE = ("exact", "covered", "cosine", "bm25", "principle", "translated", "margin", "related_first")


def test_the_fitted_model_counts_every_kind_of_evidence_for_an_answer() -> None:
    """A fit that learnt a passage answers *less* when the words are in it, or when it is closer
    in meaning, is a bad fit whatever its figures say: every kind of evidence weighs for."""
    assert len(WEIGHTS) == len(FEATURES)
    weights = dict(zip(FEATURES, WEIGHTS, strict=True))
    assert all(weights[name] > 0 for name in EVIDENCE), {name: weights[name] for name in EVIDENCE}
    # The related tier's share and the node's coverage say one thing twice: together they count for.
    assert weights["related"] + weights["covered"] > 0


def test_more_evidence_never_lowers_the_probability_of_a_real_candidate(searcher: Searcher) -> None:
    for query in ("招商引资有什么要求", "how to prevent corruption", "卖地咋办"):
        for candidate in searcher.candidates(query, 3):
            low = candidate.probability()
            for name in ("exact", "covered", "cosine", "bm25"):
                features = list(candidate.features)
                features[FEATURES.index(name)] += 0.3
                assert Candidate(candidate.node, tuple(features), None, None, -1).probability() >= low, name


@pytest.mark.parametrize(("query", "first", "tier"), [
    ("怎么理解慎微", "preface", "exact"),  # 慎微 stands in the preface: the speech's own theme
    ("什么是慎独", "preface", "exact"),
    ("慎獨", "preface", "exact"),
    ("shendu", "preface", "exact"),  # the example of /help: not the 深度 that sounds alike
    ("招商引资有什么要求", "3.2", "exact"),
    ("what to do when nobody is watching", "preface", "related"),  # 慎独 described
    ("land sales", "3.3", "related"),
])
def test_the_passage_found_is_presented_as_an_answer(searcher: Searcher, query: str, first: str, tier: str) -> None:
    hits = searcher.answer(query, 3)
    assert (hits[0].id, hits[0].tier) == (first, tier), [(hit.id, hit.tier) for hit in hits]


def test_a_principle_lands_on_the_preface_sentence(searcher: Searcher) -> None:
    for query in ("慎独", "what is shendu", "shen-du", "ｓｈｅｎｄｕ", "慎独和交朋友"):
        first = searcher.answer(query, 5)[0]
        assert (first.id, first.tier) == ("preface", "exact"), query
        assert "慎初、慎微、慎独、慎友" in first.text and first.text[first.spans[0][0]:].startswith("慎独"), query
    assert "2.3" not in {hit.id for hit in searcher.answer("shendu", 5)}  # 深度 is not 慎独


@pytest.mark.parametrize("query", ["首次购房", "I live alone", "a friendly investment climate", "经济起步阶段",
                                   "微信朋友圈", "standalone projects"])
def test_everyday_words_are_not_read_as_a_principle(searcher: Searcher, query: str) -> None:
    assert all(hit.id != "preface" or hit.tier == "nearest" for hit in searcher.answer(query, 5)), query


def test_exact_only_where_the_shown_sentence_holds_the_words(searcher: Searcher) -> None:
    hits = searcher.answer("境界 同心同德", 5)  # in two sentences of 一（一）: not 原文
    assert all(hit.tier != "exact" for hit in hits), [(hit.id, hit.tier) for hit in hits]
    strict = searcher.answer("讲话对干部过紧日子有什么要求", 3)[0]  # 干部 need not stand there
    assert (strict.id, strict.tier) == ("4.2.2", "exact") and "过紧日子" in strict.text
    assert searcher.answer("500强", 3)[0].id == "3.2"  # digits are words too


def test_every_content_word_in_the_passage_makes_it_exact_and_marks_each(searcher: Searcher) -> None:
    hits = {hit.id: hit for hit in searcher.answer("形式主义官僚主义怎么整治", 5)}
    assert hits["4.2.2"].tier == "exact"
    marked = " ".join(hits["4.2.2"].text[start:end] for start, end in hits["4.2.2"].spans)
    assert "形式主义" in marked and "官僚主义" in marked, marked  # not 「主义」 alone


@pytest.mark.parametrize(("query", "node"), [
    ("how to prevent corruption", "4.2.6"),
    ("how should officials choose their friends", "4.3.3"),
    ("我在教育局做纪检，家长反映学校乱收费，讲话对这类问题怎么说？", "4.2.5"),  # the context is not the question
    ("我在住建局管工程，最近项目资金量很大，讲话对这类风险怎么要求？", "4.2.3"),
])
def test_a_question_in_other_words_claims_its_passage(searcher: Searcher, query: str, node: str) -> None:
    assert node in [hit.id for hit in searcher.answer(query, 3) if hit.tier != "nearest"]


@pytest.mark.parametrize("query", ["今天天气怎么样", "xyzzy", "你好", "🙂"])
def test_nothing_near_shows_no_passage(searcher: Searcher, query: str) -> None:
    assert searcher.answer(query, 5) == []


class KeywordEncoder:
    """A stand-in encoder: one axis per keyword, so the ranking logic is tested without a model."""

    name = "keywords:1"
    words = ("忠诚", "招商", "纪律", "loyal")

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.calls += 1
        rows = np.full((len(texts), len(self.words) + 1), 0.01, dtype=np.float32)
        for i, text in enumerate(texts):
            for j, word in enumerate(self.words):
                rows[i, j] += text.count(word)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_dense_only_evidence_ranks_by_meaning(speech: Speech) -> None:
    searcher = Searcher(speech, KeywordEncoder(), None, glosses_for(speech))
    hits = searcher.answer("loyal", 3)  # no Chinese word in common: only the dense tier can say
    assert hits and hits[0].id in ("1.1", "1") and hits[0].tier in ("related", "nearest")


def test_query_vectors_are_cached(speech: Speech) -> None:
    encoder = KeywordEncoder()
    searcher = Searcher(speech, encoder, None)
    searcher.answer("忠诚 是什么", 3)
    calls = encoder.calls
    searcher.answer("忠诚 是什么", 3)
    searcher.answer("忠诚 是什么 ", 3)  # the same query, spaced differently
    assert encoder.calls == calls


def test_without_an_encoder_the_precise_tiers_still_answer(speech: Speech) -> None:
    hits = Searcher(speech, None).answer("慎独", 3)
    assert hits[0].id == "preface" and hits[0].tier == "exact"


class BrokenEncoder:
    name = "broken:1"

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        raise OSError("weights missing")


def test_a_broken_encoder_turns_the_dense_tier_off_not_search(speech: Speech, caplog: pytest.LogCaptureFixture) -> None:
    searcher = Searcher(speech, BrokenEncoder(), None)
    assert searcher.answer("慎独", 3)[0].tier == "exact"
    assert searcher.encoder is None and "dense search tier is off" in caplog.text
