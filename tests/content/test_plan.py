"""Reading plans: "the whole speech in N days" must hold at every pace, to the character."""

from __future__ import annotations

from pathlib import Path

import pytest

from content import Speech
from content.parser import parse_text
from content.plan import MAX_DAYS, MIN_DAYS, plan


def _bare(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("days", range(MIN_DAYS, MAX_DAYS + 1))
def test_the_passages_joined_are_the_whole_speech(speech: Speech, days: int) -> None:
    whole = Path(speech.source).read_text(encoding="utf-8-sig")
    assert speech.title is None  # else the file's first line is not reading text
    assert _bare("".join(passage.text for passage in plan(speech, days))) == _bare(whole)


def test_a_section_lead_before_a_parts_first_points_is_kept() -> None:
    text = ("一、总体要求\n（一）加强领导。要统一思想。\n一是抓学习。多读书。\n二是抓落实。多做事。\n"
            "（二）严守纪律。要令行禁止。\n同志们，让我们一起努力！")
    speech = parse_text(text)
    assert [node.id for node in speech.nodes()][:4] == ["1", "1.1", "1.1.1", "1.1.2"]
    for days in (1, 2, 3, 10):
        assert _bare("".join(passage.text for passage in plan(speech, days))) == _bare(text)
