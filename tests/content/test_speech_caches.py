"""What is derived from a speech and kept per process (its quotes, sentence units, plans, quiz
questions, the 慎 quotes that fit) is bounded: a text that left the library's LRU
(``SPEECHBOT_LIBRARY_BOOKS``) leaves memory, instead of staying in module-level caches for ever
(about 300 KB for each 5,000 characters of text, and again for each retitling)."""

from __future__ import annotations

import gc
import weakref

import pytest

from content import Speech
from content.library import TextInfo, body_of, parse_body
from content.model import SPEECH_CACHE
from content.plan import plan
from content.quiz import all_questions, key_terms
from content.quotes import candidates, sentence_index
from content.shen import fitting, principles


def _use(speech: Speech) -> None:
    """What the bot derives from a text while members read it (as many entries per text as
    each cache is sized for: two plans, the four 慎)."""
    candidates(speech)
    sentence_index(speech, speech.top[0].id, "")
    plan(speech)
    plan(speech, 10)
    key_terms(speech)
    all_questions(speech)
    for item in principles():
        fitting(speech, item, None)


@pytest.mark.slow
def test_a_text_no_longer_read_leaves_the_derived_caches(speech: Speech) -> None:
    body = body_of(speech)
    first = parse_body(TextInfo(id=2, title="第一篇"), body)
    _use(first)
    gone = weakref.ref(first)
    del first
    for text_id in range(3, 3 + SPEECH_CACHE + 1):  # more texts than the caches keep
        _use(parse_body(TextInfo(id=text_id, title=f"第{text_id}篇"), body))
    gc.collect()
    assert gone() is None


def test_a_text_in_use_is_derived_once(speech: Speech) -> None:
    assert candidates(speech) is candidates(speech) and plan(speech, 10) is plan(speech, 10)
