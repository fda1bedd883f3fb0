"""The speech as one document: blocks tile the verbatim text, headings are headings, places map."""

from __future__ import annotations

from content import Speech
from content.document import document


def test_blocks_tile_the_whole_text_without_losing_or_repeating_a_character(speech: Speech) -> None:
    doc = document(speech)
    placed = sorted((block.at, block.at + len(block.text)) for block in doc.blocks if block.at >= 0)
    cursor = 0
    for start, end in placed:
        assert doc.text[cursor:start].strip() == "", doc.text[cursor:start]  # only the newlines between
        cursor = end
    assert cursor == len(doc.text)
    for block in doc.blocks:
        if block.at >= 0:
            assert doc.text[block.at:block.at + len(block.text)] == block.text


def test_every_node_text_is_verbatim_where_it_starts(speech: Speech) -> None:
    doc = document(speech)
    for node in speech.nodes():
        assert doc.text[doc.starts[node.id]:doc.ends[node.id]] == node.text


def test_headings_by_level_and_the_reader_names_the_preface_and_closing(speech: Speech) -> None:
    heads = {(block.node, block.tag): block.text for block in document(speech).blocks if block.tag != "p"}
    assert heads["4", "h2"] == "四、坚定初心使命，严格把牢“权力开关”，让廉政更深入"
    assert heads["4.2", "h3"].startswith("（二）聚焦关键环节")
    assert heads["4.2.3", "h4"] == "三是从严防范和查处重点领域腐败问题。"
    assert heads["preface", "h2"] == "前言" and heads["closing", "h2"] == "结语"
    assert {part.id for part in speech.parts} <= {node for node, tag in heads if tag == "h2"}
    assert all(block.at == -1 for block in document(speech).blocks if block.text in ("前言", "结语"))


def test_a_hit_sentence_is_located_in_its_node_and_a_place_in_its_block(speech: Speech) -> None:
    doc = document(speech)
    node = speech.node("4.2.3")
    sentence = node.sentences[1]
    at = doc.locate("4.2.3", sentence)
    assert at is not None and doc.text[at:at + len(sentence)] == sentence
    assert doc.locate("1.1", sentence) is None  # not that node's words
    block = doc.block_at(at + 1)
    assert block is not None and block.node == "4.2.3" and block.tag == "p"
    assert doc.block_at(0) is not None and doc.block_at(0).text == speech.salutation


def test_the_salutation_stands_under_the_preface_heading(speech: Speech) -> None:
    """Issue 24, item 10: 同志们： opens the preface, so it reads under 前言, not above it."""
    first, second = document(speech).blocks[:2]
    assert (first.tag, first.text, first.at) == ("h2", "前言", -1)
    assert (second.tag, second.text, second.at) == ("p", speech.salutation, 0)
