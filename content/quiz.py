"""Quiz questions generated from the speech, for Telegram quiz polls.

Three kinds, every one unambiguous by construction (and ``tests/content/test_quiz.py`` checks
every question the generator can produce, not samples):

- ``blank``: a verbatim quote with one key term masked (a term the speech quotes, “四风”, or an
  official term of the domain vocabulary it uses). The three distractors are key terms of the
  same length from elsewhere in the speech; none of them, put in the blank, gives text that
  occurs in the speech (checked on the blank's whole sentence and on its near context), so the
  right answer is the only one the speech supports.
- ``part``: a quote that occurs once in the speech: which part is it from (一、 … 四、)?
- ``principle``: a 慎 principle's one-line meaning: which of 慎初、慎微、慎独、慎友 is it?

Telegram's limits hold for every question: text ≤ 300 characters, options ≤ 100, explanation
≤ 200 with at most two line breaks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from content.model import Speech, attribution
from content.quotes import candidates
from content.shen import principles

QUESTION_LIMIT, OPTION_LIMIT, EXPLANATION_LIMIT = 300, 100, 200
BLANK = "____"
CONTEXT = 4  # characters either side of the blank that must not occur with a distractor in them
Kind = Literal["blank", "part", "principle"]


@dataclass(frozen=True)
class Question:
    """One quiz question; ``options[correct]`` is the answer."""

    key: str  # stable id: kind and what it is about
    kind: Kind
    text: str
    options: tuple[str, ...]
    correct: int
    explanation: str


def _whole(speech: Speech) -> str:
    return "\n".join(node.text for node in speech.top)


@cache
def key_terms(speech: Speech) -> tuple[str, ...]:
    """What the speech quotes (2–6 characters, no punctuation) and the vocabulary's official
    terms it uses: the terms a blank may hide, in the order they first appear."""
    from content.vocabulary import entries

    text = _whole(speech)
    quoted = [m.group(1) for m in re.finditer(r"“([\u4e00-\u9fff]{2,6})”", text)]
    official = [t for e in entries() for t in e.official if 2 <= len(t) <= 6 and re.fullmatch(r"[\u4e00-\u9fff]+", t)]
    found = [t for t in dict.fromkeys(quoted + official) if t in text]
    return tuple(sorted(found, key=text.find))


def _pick(seed: str, pool: list[str], count: int) -> list[str]:
    """``count`` items of ``pool``, chosen by ``seed`` (the same every time)."""
    return sorted(pool, key=lambda item: hashlib.sha256(f"{seed}|{item}".encode()).hexdigest())[:count]


def _order(seed: str, right: str, wrong: list[str]) -> tuple[tuple[str, ...], int]:
    options = _pick(seed + "|order", [right, *wrong], len(wrong) + 1)
    return tuple(options), options.index(right)


def blank_questions(speech: Speech) -> list[Question]:
    """Every fill-in-the-blank question the speech supports."""
    text = _whole(speech)
    terms = key_terms(speech)
    made: list[Question] = []
    for number, quote in enumerate(candidates(speech)):
        for term in terms:
            if quote.text.count(term) != 1:
                continue
            start = quote.text.find(term)
            before = quote.text[max(0, start - CONTEXT):start]
            after = quote.text[start + len(term):start + len(term) + CONTEXT]
            eligible = [
                other for other in terms
                if other != term and len(other) == len(term) and other not in quote.text
                and (before + other + after) not in text
                and quote.text.replace(term, other) not in text
            ]
            if len(eligible) < 3:
                continue
            key = f"blank|{number}|{term}"
            options, correct = _order(key, term, _pick(key, eligible, 3))
            made.append(Question(key, "blank", f"填空：{quote.text.replace(term, BLANK)}", options, correct,
                                 f"原文：“{term}”，{attribution(quote.label)}"))
    return made


def part_questions(speech: Speech) -> list[Question]:
    """Every "which part is this from?" question: quotes that occur once, within a part."""
    text = _whole(speech)
    parts = speech.parts
    made: list[Question] = []
    for number, quote in enumerate(candidates(speech)):
        home = next((p for p in parts if quote.id == p.id or quote.id.startswith(p.id + ".")), None)
        if home is None or text.count(quote.text) != 1:
            continue
        names = [f"{p.label}{p.title}"[:OPTION_LIMIT] for p in parts]
        key = f"part|{number}"
        question = f"这句话出自讲话的哪一部分？\n“{quote.text}”"
        made.append(Question(key, "part", question, tuple(names), parts.index(home), attribution(quote.label)))
    return made


def principle_questions() -> list[Question]:
    """One question per 慎 principle: which one does this meaning describe?"""
    items = principles()
    names = [p.name for p in items]
    return [Question(f"principle|{p.name}", "principle", f"“{p.meaning}”说的是哪一个“慎”？", tuple(names),
                     names.index(p.name), f"{p.name}：{p.meaning}出自前言：把慎初、慎微、慎独、慎友作为处事原则。")
            for p in items]


@cache
def all_questions(speech: Speech) -> tuple[Question, ...]:
    """Every question the generator can produce, within Telegram's limits."""
    made = blank_questions(speech) + part_questions(speech) + principle_questions()
    return tuple(q for q in made if len(q.text) <= QUESTION_LIMIT)


def question_for(speech: Speech, seed: str) -> Question:
    """A question chosen by ``seed`` (a chat and a date, say): the same seed, the same question."""
    pool = all_questions(speech)
    return pool[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(pool)]
