"""Quiz questions generated from the speech, for Telegram quiz polls.

Three kinds, every one unambiguous by construction (and ``tests/content/test_quiz.py`` checks
every question the generator can produce, not samples):

- ``blank``: a verbatim quote with one key term masked (a term of ``quiz_terms.yaml`` the speech
  uses, not part of a longer such term there). The three distractors are plausible: terms of the
  same kind (a discipline term for a discipline term, never a city project), one character
  longer or shorter at most, that the speech itself uses elsewhere; none of them, put in the
  blank, gives text that occurs in the speech (checked on the blank's whole sentence and on its
  near context), so the right answer is the only one the speech supports.
- ``part``: a quote that occurs once in the speech: which part is it from (一、 … 四、, the four
  parts as options)?
- ``principle``: a 慎 principle's one-line meaning: which of 慎初、慎微、慎独、慎友 is it?

Which question a chat gets (``question_for``) is weighted towards the speech's integrity themes:
``THEME_SHARES`` gives the preface, parts 一 and 四 three draws in four and the four 慎 one in
ten; parts 二 and 三 (investment, land sales, the property market, city renewal) and the closing
get the rest, fewer than one in five, and only ever less when their questions run out. A chat is
not asked a question on the same quote or 慎 again within ``REPEAT_DAYS`` of its local days.

Telegram's limits hold for every question: text ≤ 300 characters, options ≤ 100, explanation
≤ 200 with at most two line breaks.

Another text of the library (``Speech.text_id`` other than 1) gets the same generator on its own
words: blanks for the terms of ``quiz_terms.yaml`` it uses (their distractors from that text, so
the right answer is the only one *it* supports) and "which part" questions (when it has two
parts or more). Not the ``principle`` kind: its explanation quotes the original's preface, and
the 慎 are the original's. The themes are the original's too: every quote of another text counts
as ``integrity``. A text with no such question (no listed term, one part) has no quiz:
``question_for`` raises ``NoQuestions`` and the bot says so, rather than ask about something the
text does not say. Question keys (``q12|blank|纪律``) are scoped by their text (``2:q12|…``), so
a chat's repeat rule never mistakes one text's quote for another's.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal, cast

import yaml
from pydantic import TypeAdapter

from content.model import ORIGINAL, SPEECH_CACHE, Speech, attribution, scoped
from content.quotes import Quote, candidates
from content.shen import principles

QUESTION_LIMIT, OPTION_LIMIT, EXPLANATION_LIMIT = 300, 100, 200
BLANK = "____"
CONTEXT = 4  # characters either side of the blank that must not occur with a distractor in them
LENGTH_SLACK = 1  # a distractor is at most this many characters longer or shorter than the answer
TERMS_FILE = Path(__file__).with_name("quiz_terms.yaml")
Kind = Literal["blank", "part", "principle"]
Theme = Literal["integrity", "shen", "development"]
OptionIndex = Literal[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]  # a poll has at most 12 options
THEME_SHARES: dict[Theme, float] = {"integrity": 0.75, "shen": 0.10, "development": 0.15}
DEVELOPMENT_PARTS = frozenset({"2", "3", "closing"})  # top-level ids whose quotes are "development"
REPEAT_DAYS = 7
MAX_OPTIONS = 12  # a poll's options: "which part" needs 2 parts to 12


class NoQuestions(LookupError):
    """The text supports no question (``question_for``): the bot says so instead of a quiz."""


@dataclass(frozen=True)
class Question:
    """One quiz question; ``options[correct]`` is the answer."""

    key: str  # stable id: "<topic>|<kind>[|<term>]", the topic a quote (q12) or a 慎
    kind: Kind
    text: str
    options: tuple[str, ...]
    correct: OptionIndex
    explanation: str
    theme: Theme

    @property
    def topic(self) -> str:
        return topic_of(self.key)


def topic_of(key: str) -> str:
    """What a question (by its key) is about: a quote (``q12``) or a 慎. Two questions on one
    topic (a blank and "which part" on the same quote) count as one for the repeat rule."""
    return key.split("|", 1)[0]


def _whole(speech: Speech) -> str:
    return "\n".join(node.text for node in speech.top)


@cache
def term_kinds(path: Path = TERMS_FILE) -> MappingProxyType[str, str]:
    """term → its kind, from ``quiz_terms.yaml``; a term is of one kind only."""
    raw = yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    table = TypeAdapter(dict[str, tuple[str, ...]]).validate_python(raw)
    kinds: dict[str, str] = {}
    for kind, terms in table.items():
        if len(terms) < 4:
            raise ValueError(f"{path}: kind {kind!r} needs at least 4 terms (an answer and 3 distractors)")
        for term in terms:
            if not re.fullmatch(r"[\u4e00-\u9fff]{2,8}", term):
                raise ValueError(f"{path}: {term!r} is not 2–8 Chinese characters")
            if term in kinds:
                raise ValueError(f"{path}: {term!r} is in {kinds[term]!r} and {kind!r}")
            kinds[term] = kind
    return MappingProxyType(kinds)


@lru_cache(maxsize=SPEECH_CACHE)
def key_terms(speech: Speech) -> tuple[str, ...]:
    """The terms of ``quiz_terms.yaml`` the speech uses: those a blank may hide, in the order
    they first appear."""
    text = _whole(speech)
    return tuple(sorted((t for t in term_kinds() if t in text), key=text.find))


def theme_of(quote: Quote) -> Theme:
    """The original's development parts are ``development``; the rest, and every quote of another
    text (its ids are scoped: ``2:2.1`` is no top-level id here), ``integrity``."""
    return "development" if quote.id.split(".", 1)[0] in DEVELOPMENT_PARTS else "integrity"


def _hash(seed: str) -> int:
    return int(hashlib.sha256(seed.encode()).hexdigest(), 16)


def _pick(seed: str, pool: list[str], count: int) -> list[str]:
    """``count`` items of ``pool``, chosen by ``seed`` (the same every time)."""
    return sorted(pool, key=lambda item: hashlib.sha256(f"{seed}|{item}".encode()).hexdigest())[:count]


def _option(position: int) -> OptionIndex:
    """An option's index, checked against a poll's 12 options at most."""
    if not 0 <= position < 12:
        raise ValueError(f"option {position} is beyond a poll's 12 options")
    return cast(OptionIndex, position)


def _order(seed: str, right: str, wrong: list[str]) -> tuple[tuple[str, ...], OptionIndex]:
    options = _pick(seed + "|order", [right, *wrong], len(wrong) + 1)
    return tuple(options), _option(options.index(right))


def _inside_longer(term: str, start: int, sentence: str, terms: tuple[str, ...]) -> bool:
    """Is ``term`` at ``start`` part of a longer key term there (纪律 in 纪律意识)? Then the
    longer one is the blank, not a piece of it."""
    for longer in terms:
        if len(longer) > len(term) and term in longer:
            at = sentence.find(longer)
            while at >= 0:
                if at <= start and start + len(term) <= at + len(longer):
                    return True
                at = sentence.find(longer, at + 1)
    return False


def distractors(speech: Speech, quote: str, term: str, key: str) -> list[str]:
    """Three plausible wrong answers for ``term`` masked in ``quote``: same kind, about as long,
    from the speech; none completes the quote into text of the speech. Fewer if there are not
    three (then there is no question). Equal lengths first."""
    text, kinds = _whole(speech), term_kinds()
    start = quote.find(term)
    before = quote[max(0, start - CONTEXT):start]
    after = quote[start + len(term):start + len(term) + CONTEXT]
    eligible = [
        other for other in key_terms(speech)
        if other != term and kinds[other] == kinds[term] and abs(len(other) - len(term)) <= LENGTH_SLACK
        and other not in quote and (before + other + after) not in text
        and quote.replace(term, other) not in text
    ]
    ranked = _pick(key, eligible, len(eligible))
    return sorted(ranked, key=lambda other: abs(len(other) - len(term)))[:3]


def blank_questions(speech: Speech) -> list[Question]:
    """Every fill-in-the-blank question the speech supports."""
    terms = key_terms(speech)
    made: list[Question] = []
    for number, quote in enumerate(candidates(speech)):
        for term in terms:
            if quote.text.count(term) != 1 or _inside_longer(term, quote.text.find(term), quote.text, terms):
                continue
            key = f"{_topic(speech, number)}|blank|{term}"
            wrong = distractors(speech, quote.text, term, key)
            if len(wrong) < 3:
                continue
            options, correct = _order(key, term, wrong)
            made.append(Question(key, "blank", f"填空：{quote.text.replace(term, BLANK)}", options, correct,
                                 f"原文：“{term}”，{attribution(quote.label)}", theme_of(quote)))
    return made


def part_questions(speech: Speech) -> list[Question]:
    """Every "which part is this from?" question: quotes that occur once, within a part."""
    text = _whole(speech)
    parts = speech.parts
    made: list[Question] = []
    if not 2 <= len(parts) <= MAX_OPTIONS:
        return made
    for number, quote in enumerate(candidates(speech)):
        home = next((p for p in parts if quote.id == p.id or quote.id.startswith(p.id + ".")), None)
        if home is None or text.count(quote.text) != 1:
            continue
        names = [f"{p.label}{p.title}"[:OPTION_LIMIT] for p in parts]
        question = f"这句话出自讲话的哪一部分？\n“{quote.in_quotes}”"
        made.append(Question(f"{_topic(speech, number)}|part", "part", question, tuple(names),
                             _option(parts.index(home)), attribution(quote.label), theme_of(quote)))
    return made


def principle_questions() -> list[Question]:
    """One question per 慎 principle: which one does this meaning describe?"""
    items = principles()
    names = [p.name for p in items]
    source = "出自前言：把慎初、慎微、慎独、慎友作为处事原则。"
    return [Question(f"{p.name}|principle", "principle", f"“{p.meaning}”说的是哪一个“慎”？", tuple(names),
                     _option(names.index(p.name)), f"{p.name}：{p.meaning}{source}", "shen")
            for p in items]


def _topic(speech: Speech, number: int) -> str:
    """A quote's topic in question keys: ``q12`` in the original, ``2:q12`` in text 2."""
    return scoped(speech.text_id, f"q{number}")


@lru_cache(maxsize=SPEECH_CACHE)
def all_questions(speech: Speech) -> tuple[Question, ...]:
    """Every question the generator can produce, within Telegram's limits (the 慎 questions
    only for the original speech, whose preface they quote)."""
    shen = principle_questions() if speech.text_id == ORIGINAL else []
    made = blank_questions(speech) + part_questions(speech) + shen
    return tuple(q for q in made if len(q.text) <= QUESTION_LIMIT)


def question_for(speech: Speech, seed: str, asked: Collection[str] = ()) -> Question:
    """A question chosen by ``seed`` (a chat and a moment, say: the same seed, the same
    question), its theme drawn by ``THEME_SHARES``, on none of the topics of the ``asked``
    keys (the chat's questions of the last ``REPEAT_DAYS``). A theme with no fresh question
    left gives way to the integrity themes; only when every topic was asked may one repeat.
    Raises ``NoQuestions`` for a text that supports none."""
    done = {topic_of(key) for key in asked}
    pool = all_questions(speech)
    if not pool:
        raise NoQuestions(f"text {speech.text_id} supports no quiz question")
    fresh = [q for q in pool if q.topic not in done] or list(pool)
    themed = {theme: [q for q in fresh if q.theme == theme] for theme in THEME_SHARES}
    draw, cumulative = (_hash(seed + "|theme") % 10_000) / 10_000, 0.0
    theme: Theme = "integrity"
    for name, share in THEME_SHARES.items():
        cumulative += share
        if draw < cumulative:
            theme = name
            break
    choices = themed[theme] or themed["integrity"] or themed["shen"] or fresh
    return choices[_hash(seed) % len(choices)]


def repeat_window_start(today: date, zone: tzinfo) -> datetime:
    """The first instant (UTC) of a chat's last ``REPEAT_DAYS`` local days, ``today`` (in
    ``zone``) included: what was asked since then is not asked again."""
    first = today - timedelta(days=REPEAT_DAYS - 1)
    return datetime.combine(first, time(), zone).astimezone(UTC)
