"""Summaries: extractive, verbatim, in order, within budget; keywords from TF-IDF."""

from __future__ import annotations

import pytest

from content import Speech
from content.summary import BUDGET, summarize

IDS = [None, "preface", "1", "1.1", "1.3", "2", "3", "3.5", "4", "4.2", "4.2.3", "4.3", "closing"]


@pytest.mark.parametrize("node_id", IDS)
@pytest.mark.parametrize("length", ["short", "long"])
def test_summary_is_verbatim_ordered_and_within_budget(speech: Speech, node_id: str | None, length: str) -> None:
    node = speech.node(node_id) if node_id else None
    result = summarize(speech, node, length)  # type: ignore[arg-type]
    text = node.text if node else "\n".join(n.text for n in speech.top)
    assert 0 < len(result.summary) <= BUDGET[length]
    position = -1
    for sentence in result.sentences:
        found = text.find(sentence, position + 1)
        assert found > position, sentence  # verbatim and in speech order
        position = found
    assert result.summary.replace("\n", "") == "".join(result.sentences)
    assert 5 <= len(result.keywords) <= 10
    assert all(word in text for word in result.keywords)


def test_part_summary_names_its_subsections(speech: Speech) -> None:
    result = summarize(speech, speech.node("3"), "short")
    for child in speech.node("3").children:
        assert child.title in result.summary


def test_whole_speech_summary_names_the_parts(speech: Speech) -> None:
    result = summarize(speech, None, "short")
    assert all(part.title in result.summary for part in speech.parts)


def test_keywords_differ_between_sections(speech: Speech) -> None:
    first = summarize(speech, speech.node("3.2")).keywords
    second = summarize(speech, speech.node("4.2.5")).keywords
    assert first != second and "招商" in "".join(first)
