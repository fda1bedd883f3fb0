"""Folding and pinyin: one normal form for what users type and what the speech says."""

from __future__ import annotations

import pytest

from content.folding import fold, fold_with_map, pinyin, pinyin_query


@pytest.mark.parametrize(
    ("raw", "folded"),
    [("慎獨", "慎独"), ("“戒尺”，", "戒尺"), ("ＡＢｃ１２", "abc12"), ("纪律 戒尺", "纪律戒尺"), ("", "")],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded
    assert fold_with_map(raw)[0] == folded


def test_fold_map_points_at_source_characters() -> None:
    text, positions = fold_with_map("“纪律”是")
    assert text == "纪律是" and positions == [1, 2, 4]


@pytest.mark.parametrize(("query", "chars"), [("shendu", "慎独"), ("shen du", "慎独"), ("yigangshuangze", "一岗双责"),
                                              ("jilu", "纪律"), ("jilv", "纪律"), ("jilü", "纪律")])
def test_pinyin_query_matches_the_characters(query: str, chars: str) -> None:
    assert pinyin_query(query) == pinyin(chars)


@pytest.mark.parametrize("query", ["慎独", "a", "123", "xq", "hello!"])
def test_not_pinyin(query: str) -> None:
    assert pinyin_query(query) is None
