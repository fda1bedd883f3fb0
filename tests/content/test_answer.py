"""The search service: one ranking from three tiers, each node once, an honest tier on every hit,
cross-lingual answers, and graceful degradation without (or with a broken) encoder."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from numpy.typing import NDArray

from content import Speech
from content.answer import NEAREST_MAX, WEIGHTS, Candidate, Searcher
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


def test_the_probability_grows_with_every_tier_s_evidence() -> None:
    base = (1.0, 0.0, 0.0, 0.0, 0.3, -0.2, 0.2, 0.0)
    low = Candidate("1.1", base, None, None, -1).probability()
    for position in range(1, len(base)):
        stronger = list(base)
        stronger[position] += 0.5
        if WEIGHTS[position] > 0:
            assert Candidate("1.1", tuple(stronger), None, None, -1).probability() > low, position


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
