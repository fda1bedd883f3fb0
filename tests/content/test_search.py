"""Search: the kinds of query users type on phones, and the ones that must find nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content import Speech
from content.search import SearchIndex

FINDS = [
    # (what the user typed, the label of the best hit, the text the hit must contain)
    ("慎独", "前言", "慎初、慎微、慎独、慎友"),
    ("抓铁有痕", "二（一）", "抓铁有痕、踏石留印"),
    ("抓铁有恨", "二（一）", "抓铁有痕"),  # one wrong character
    ("纪律是管党治党的戒尺", "一（三）", "“纪律是管党治党的“戒尺”"),  # no quotation marks
    ("纪律是管党治党的“戒尺”，也是党员", "一（三）", "戒尺"),  # partial phrase with punctuation
    ("纪律 戒尺", "一（三）", "纪律是管党治党的“戒尺”"),  # words separated by a space
    ("慎獨", "前言", "慎独"),  # traditional characters
    ("紀律是管黨治黨的戒尺", "一（三）", "戒尺"),
    ("shendu", "前言", "慎独"),  # pinyin without spaces
    ("shen du", "前言", "慎独"),
    ("yi gang shuang ze", "四（三）2", "一岗双责"),  # pinyin with spaces
    ("yigangshuangze", "四（三）2", "一岗双责"),
    ("YiGangShuangZe", "四（三）2", "一岗双责"),
    ("蝇贪蚁腐", "四（二）5", "蝇贪蚁腐"),
    ("小官大贪 蝇贪蚁腐", "四（二）5", "小官大贪"),
    ("不受监督的权力必然导致腐败", "四（二）6", "不受监督的权力"),
    ("不受监督的权利必然导致腐败", "四（二）6", "不受监督的权力"),  # homophone typo
    ("清清白白为官，干干净净做事", "四（三）3", "清清白白为官"),
    ("“十四五”", "三、", "十四五"),
    ("十四五", "三、", "十四五"),
    ("ｓｈｅｎｄｕ", "前言", "慎独"),  # full-width letters
    ("风正时济，自当破浪前行", "结语", "风正时济"),
    ("政府搭台企业唱戏", "三、", "政府搭台、企业唱戏"),
]

NOTHING = ["今天天气怎么样", "量子计算机", "足球比赛", "hello world", "xyzzy", "", "   ", "，。！", "🙂🙂🙂",
           "慎慎慎慎慎"]


@pytest.mark.parametrize(("query", "label", "fragment"), FINDS)
def test_user_finds_the_right_place(speech: Speech, query: str, label: str, fragment: str) -> None:
    hits = speech.search(query)
    assert hits, f"no hit for {query!r}"
    best = hits[0]
    assert best.label == label, (query, [(h.label, h.text[:20]) for h in hits])
    assert fragment in best.text
    assert best.text in speech.node(best.id).text  # verbatim, from the deepest node that holds it


@pytest.mark.parametrize("query", NOTHING)
def test_queries_that_must_find_nothing(speech: Speech, query: str) -> None:
    assert speech.search(query) == []


def test_hits_are_ranked_and_limited(speech: Speech) -> None:
    hits = speech.search("纪律", limit=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert speech.search("纪律", limit=0) == []


def test_highlight_marks_the_matched_span_and_escapes(speech: Speech) -> None:
    hit = speech.search("抓铁有恨")[0]
    assert "<b>抓铁有痕</b>" in hit.highlight()
    index = SearchIndex.build([("x", "a <script> 慎独 & more")])
    assert index.search("慎独")[0].highlight() == "a &lt;script&gt; <b>慎独</b> &amp; more"


def test_pinyin_highlight_maps_back_to_characters(speech: Speech) -> None:
    hit = speech.search("yi gang shuang ze")[0]
    assert "“<b>一岗双责</b>”" in hit.highlight()


def test_index_over_arbitrary_units() -> None:
    index = SearchIndex.build([("a", "第一句话。"), ("b", "慎独是修养。"), ("b", "另一句。")])
    assert len(index) == 3
    hits = index.search("慎独")
    assert [(h.id, h.text, h.score) for h in hits] == [("b", "慎独是修养。", 100.0)]


@pytest.mark.slow
@settings(max_examples=300, deadline=timedelta(milliseconds=250))
@given(st.text(max_size=300))
def test_any_unicode_query_is_answered(speech: Speech, query: str) -> None:
    # The deadline guards against pathological (e.g. quadratic) cases, not speed: see benchmarks/.
    hits = speech.search(query)
    assert len(hits) <= 5
    for hit in hits:
        assert hit.text in speech.node(hit.id).text
        assert 0 < hit.score <= 100
        hit.highlight()


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_substring_of_a_sentence_finds_it(speech: Speech, data: st.DataObject) -> None:
    units = speech.sentence_units()
    node_id, sentence = data.draw(st.sampled_from(units))
    start = data.draw(st.integers(0, max(0, len(sentence) - 6)))
    phrase = sentence[start : start + data.draw(st.integers(6, 20))]
    hits = speech.search(phrase, limit=50)
    assert (node_id, sentence) in {(h.id, h.text) for h in hits if h.score == 100.0}
