"""The reading order behind Prev/Next: on each level every passage once, whole, symmetric."""

from __future__ import annotations

import itertools

import pytest

from content import Speech, parse_text
from content.path import Stop, depth, has_introduction, introduction, is_intro, level_of, neighbours, stops


def _text(speech: Speech, stop: Stop) -> str:
    node = speech.node(stop.id)
    return introduction(node) if stop.intro else node.text


def _squash(value: str) -> str:
    return "".join(value.split())


@pytest.mark.parametrize("level", [1, 2, 3])
def test_every_level_reads_the_whole_speech_once_and_in_order(speech: Speech, level: int) -> None:
    path = stops(speech, level)
    whole = _squash("".join(node.text for node in speech.top))
    read = _squash("".join(_text(speech, stop) for stop in path))
    # only headings that stand alone (一、树牢核心意识…) are left out: they hold nothing to read
    headings = [node for node in speech.nodes() if depth(node.id) < level and node.children
                and not has_introduction(node)]
    for node in headings:
        whole = whole.replace(_squash(introduction(node)), "", 1)
    assert read == whole
    assert path[0] == Stop("preface") and path[-1] == Stop("closing")


def test_the_levels_are_parts_sections_and_points(speech: Speech) -> None:
    assert [s.id for s in stops(speech, 1)] == ["preface", "1", "2", "3", "4", "closing"]
    assert [(s.id, s.intro) for s in stops(speech, 2)][6:9] == [("2.3", False), ("3", True), ("3.1", False)]
    level3 = [(s.id, s.intro) for s in stops(speech, 3)]
    assert ("4.2", True) in level3 and ("4.2.1", False) in level3 and ("4", True) not in level3
    assert [s.id for s in stops(speech, 2)].count("4.2") == 1  # whole, points included


@pytest.mark.parametrize("level", [1, 2, 3])
def test_next_then_prev_comes_back_on_every_level(speech: Speech, level: int) -> None:
    path = stops(speech, level)
    for before, after in itertools.pairwise(path):
        assert neighbours(speech, before.id, level)[1] == after
        assert neighbours(speech, after.id, level)[0] == before


def test_the_cases_of_issue_24(speech: Speech) -> None:
    # Next from 四（一） is 四（二） whole; a whole part's Next is the next part, whose Prev is it.
    assert neighbours(speech, "4.1", 0) == (Stop("3.5"), Stop("4.2"))
    assert not is_intro(speech, "4.2", 2)
    assert neighbours(speech, "3", 0)[1] == Stop("4")
    assert neighbours(speech, "4", 1)[0] == Stop("3")
    assert not is_intro(speech, "4", 1)


def test_a_node_not_on_the_named_level_is_read_on_its_own(speech: Speech) -> None:
    assert level_of(speech, "4", 2) == 1  # part 四 is only a heading: no stop on level 2
    assert level_of(speech, "3", 2) == 2 and is_intro(speech, "3", 2)
    assert level_of(speech, "4.2.1", 1) == 3 and level_of(speech, "4.2", 99) == 2


def test_a_text_whose_parts_have_no_sections_keeps_them_on_the_section_level() -> None:
    speech = parse_text("前言。\n一、第一部分\n第一部分的话。\n二、第二部分\n（一）小节\n小节的话。\n结语。")
    assert [s.id for s in stops(speech, 2)][:3] == ["preface", "1", "2.1"]
