"""The reading path behind Prev/Next: every node once, in document order, no text skipped."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from content import Speech
from content.path import neighbours, stop_text


def _walk(start: str, step: Callable[[str], str | None]) -> list[str]:
    seen = [start]
    while (following := step(seen[-1])) is not None:
        assert following not in seen, f"{following} visited twice"
        seen.append(following)
    return seen


def test_next_from_the_preface_visits_every_node_once_and_ends_at_the_closing(speech: Speech) -> None:
    visited = _walk("preface", lambda node_id: neighbours(speech, node_id)[1])
    assert visited == speech.ids and visited[-1] == "closing"


def test_prev_from_the_closing_returns_to_the_preface(speech: Speech) -> None:
    assert _walk("closing", lambda node_id: neighbours(speech, node_id)[0]) == speech.ids[::-1]


def test_the_stops_together_are_the_whole_speech(speech: Speech) -> None:
    stops = "".join(stop_text(node) for node in speech.nodes())
    assert "".join(stops.split()) == "".join("".join(node.text for node in speech.top).split())


@pytest.mark.parametrize(("node_id", "previous", "following"), [
    ("2.3", "2.2", "3"),  # part 三's introduction is not skipped
    ("4.2.6", "4.2.5", "4.3"),  # nor 四（三）'s own
    ("4.3.3", "4.3.2", "closing"),
    ("1.1", "1", "1.2"),
    ("4.2.1", "4.2", "4.2.2"),
])
def test_the_cases_of_issue_17(speech: Speech, node_id: str, previous: str, following: str) -> None:
    assert neighbours(speech, node_id) == (previous, following)


def test_after_a_node_read_whole_next_skips_only_what_it_showed(speech: Speech) -> None:
    ids = speech.ids
    for node in speech.nodes():
        previous, following = neighbours(speech, node.id, whole=True)
        assert previous == neighbours(speech, node.id)[0]
        skipped = ids[ids.index(node.id) + 1: ids.index(following) if following else len(ids)]
        assert skipped == [descendant.id for descendant in node.walk()][1:], node.id
