"""Summaries: verbatim clauses in speech order with …… where a sentence is cut, a budget
relative to the node, the heading first, every child represented; keywords that are the
speech's own key phrases; and quality above the lead-N and heading-only baselines."""

from __future__ import annotations

import pytest

from benchmarks.quality import summary_figures
from content import Speech
from content.summary import BOUNDS, OMITTED, budget, summarize

IDS = [None, "preface", "1", "1.1", "1.3", "2", "2.1", "3", "3.5", "4", "4.2", "4.2.3", "4.3", "closing"]
GENERIC = ("决不能", "始终", "三年", "坚决", "进一步")


def shown(text: str) -> str:
    return text.replace("\n", "").replace(OMITTED, "")


@pytest.mark.parametrize("node_id", IDS)
@pytest.mark.parametrize("length", ["short", "long"])
def test_summary_is_verbatim_ordered_and_compresses(speech: Speech, node_id: str | None, length: str) -> None:
    node = speech.node(node_id) if node_id else None
    result = summarize(speech, node, length)  # type: ignore[arg-type]
    text = node.text if node else "\n".join(n.text for n in speech.top)
    position = -1
    for piece in result.sentences:
        found = text.find(piece, position + 1)
        assert found > position, piece  # verbatim and in speech order
        position = found
    assert shown(result.summary) == "".join(result.sentences)  # nothing added but …… and line breaks
    size = len(shown(result.summary))
    assert 0 < size <= BOUNDS[length][1]
    if node is not None and not node.children:
        assert size <= budget(len(text.replace("\n", "")), length)
    if len(text) > 300:
        assert size < 0.6 * len(text)  # it actually compresses (the old 300-character budget did not)
    assert 5 <= len(result.keywords) <= 10 and all(word in text for word in result.keywords)
    assert not any(word in GENERIC for word in result.keywords)


@pytest.mark.parametrize("node_id", ["1.1", "2.2", "4.2", "3", "closing"])
def test_the_heading_comes_first(speech: Speech, node_id: str) -> None:
    node = speech.node(node_id)
    first = node.sentences[0].split("，")[0]
    assert summarize(speech, node).summary.startswith(first)


@pytest.mark.parametrize("node_id", ["1", "3", "4", "4.2", "4.3"])
def test_every_child_gets_its_heading_and_a_key_clause(speech: Speech, node_id: str) -> None:
    node = speech.node(node_id)
    result = summarize(speech, node)
    spans, position = [], -1
    for piece in result.sentences:  # where each shown piece stands in the node's text
        position = node.text.find(piece, position + 1)
        spans.append((position, position + len(piece)))
    for child in node.children:
        heading = child.sentences[0].strip()
        assert heading in result.summary, heading
        start = node.text.find(child.text) + len(child.sentences[0])
        end = node.text.find(child.text) + len(child.text)
        beyond = sum(max(0, min(e, end) - max(s, start)) for s, e in spans)
        assert beyond >= 6, f"{child.label} is only a heading"


def test_a_cut_sentence_or_list_is_marked(speech: Speech) -> None:
    result = summarize(speech, speech.node("4.2"))
    assert OMITTED in result.summary
    for piece in result.sentences:
        if not piece.endswith(("。", "！", "？", "”")):
            assert piece + OMITTED in result.summary or piece + "\n" in result.summary, piece


def test_keywords_are_the_speechs_own_key_phrases(speech: Speech) -> None:
    assert "两个坚决维护" in summarize(speech, speech.node("1.1")).keywords
    assert "四风" in summarize(speech, speech.node("4.2.2")).keywords
    assert "政府搭台、企业唱戏" in summarize(speech, speech.node("3")).keywords
    first = summarize(speech, speech.node("3.2")).keywords
    second = summarize(speech, speech.node("4.2.5")).keywords
    assert first != second and "招商" in "".join(first)


def test_summaries_beat_both_baselines_on_the_references(speech: Speech) -> None:
    figures = summary_figures(speech)
    for baseline in ("lead_n", "headings"):
        for measure in ("rouge1", "rouge2"):
            assert figures["ours"][measure] >= figures[baseline][measure] + 0.05, figures
