"""The four 慎 principles and the daily reminder built from them: the one rule behind /today,
the daily push, the daily card, inline mode's "today" and ``speechbot reminder``.

The principle rotates through 慎初、慎微、慎独、慎友 on consecutive days (day number modulo 4,
so every principle comes back every fourth day for everyone). Its quote is a verbatim quote
candidate (``content.quotes``) that fits the principle (``fitting``): first the passages the
principle names in ``shen.yaml``, then the rest of the speech's quotes that the sentence
encoder finds close to the principle's meaning, best first.

Which of them a day quotes is planned a month at a time (``month_quotes``): each day takes,
of its principle's quotes, the one used least recently this month (one not yet used first,
then the fitting order, rotated by the month so months differ), never yesterday's unless it is
the only quote that fits (a short library text). The principles share quotes (the preface's 慎
sentence fits three of them): the rule keeps neighbouring days from quoting the same sentence.
The first of a month is checked against the last day of the month before (whose plan never
depends on its own first day), so the rule holds across months too. A pure function of the
speech, the day and the ranking: every replica, the push and ``speechbot reminder`` agree.

How close a quote is to a principle (``rank``) is computed once per process (and kept in the
cache directory, so ``speechbot reminder`` need not load the encoder again); the rule itself
(``fitting``, ``reminder``) is a pure function of the speech, the day and that ranking.
"""

from __future__ import annotations

import calendar
import hashlib
import itertools
import json
import logging
import math
import re
import statistics
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

from content.cachefile import write_atomically
from content.model import SPEECH_CACHE, Speech, attribution
from content.quotes import Quote, candidates

if TYPE_CHECKING:
    from content.encoder import Encoder

log = logging.getLogger(__name__)

SHEN_FILE = Path(__file__).with_name("shen.yaml")
NAMES = ("慎初", "慎微", "慎独", "慎友")
# One pinyin syllable with its tone mark (all four names carry tones): letters, one marked vowel.
_TONED_SYLLABLE = re.compile("^[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*$")


class Principle(BaseModel):
    """One 慎 principle as written in ``shen.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    pinyin: str  # with tone marks, a syllable per character: shèn dú
    meaning: str = Field(min_length=4, max_length=60)
    explanation: str = Field(min_length=20, max_length=300)
    english: str = Field(min_length=5)  # the meaning in English
    english_explanation: str = Field(min_length=80, max_length=600)
    source: str | None = None
    passages: tuple[str, ...] = Field(min_length=2, max_length=4)
    asked: tuple[str, ...] = ()  # how members describe it without its name (独处, alone): search lands on it

    @field_validator("explanation", "meaning")
    @classmethod
    def _no_spaces(cls, value: str) -> str:
        # YAML folding puts a space between lines; Chinese prose has none.
        return "".join(value.split())

    @field_validator("english_explanation")
    @classmethod
    def _one_spaced(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("name")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in NAMES:
            raise ValueError(f"unknown principle {value!r}; expected one of {', '.join(NAMES)}")
        return value

    @field_validator("pinyin")
    @classmethod
    def _toned(cls, value: str) -> str:
        if not all(_TONED_SYLLABLE.match(syllable) for syllable in value.split()):
            raise ValueError(f"pinyin {value!r} needs a tone mark on every syllable (shèn dú)")
        return " ".join(value.split())

    @model_validator(mode="after")
    def _syllable_per_character(self) -> Principle:
        if len(self.pinyin.split()) != len(self.name):
            raise ValueError(f"pinyin {self.pinyin!r} needs one syllable for each character of {self.name}")
        return self

    @property
    def plain_pinyin(self) -> str:
        """The pinyin without tone marks (shen du), as people type it."""
        decomposed = unicodedata.normalize("NFD", self.pinyin)
        return "".join(c for c in decomposed if not unicodedata.combining(c))


class Reminder(BaseModel):
    """The daily reminder: a principle, its meaning, a text to post, and a verbatim quote."""

    model_config = ConfigDict(frozen=True)

    date: date
    principle: Principle
    quote: Quote

    @property
    def text(self) -> str:
        """The reminder as plain text (the bot renders its own HTML from the fields)."""
        lines = [f"{self.date.isoformat()} 今日一慎：{self.principle.name}", self.principle.meaning, "",
                 self.principle.explanation]
        if self.principle.source:
            lines += ["", f"出处：{self.principle.source}"]
        lines += ["", f"“{self.quote.in_quotes}”", attribution(self.quote.label)]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``speechbot reminder --json``."""
        return {
            "date": self.date.isoformat(),
            "principle": self.principle.name,
            "meaning": self.principle.meaning,
            "text": self.text,
            "quote": self.quote.to_dict(),
        }


@cache
def principles(path: Path = SHEN_FILE) -> tuple[Principle, ...]:
    """The principles in the speech's order, validated."""
    raw = yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    loaded = TypeAdapter(tuple[Principle, ...]).validate_python(raw)
    if tuple(p.name for p in loaded) != NAMES:
        raise ValueError(f"{path}: expected the principles {', '.join(NAMES)} in that order")
    return loaded


def principle(name: str) -> Principle | None:
    """Look up a principle by name (慎独), traditional form (慎獨) or pinyin (shendu)."""
    from content.folding import fold

    key = "".join(c for c in unicodedata.normalize("NFD", fold(name)) if not unicodedata.combining(c))
    key = unicodedata.normalize("NFC", key).replace(" ", "")  # shèndú as shendu; 独 stays 独
    for item in principles():
        if key in (item.name, item.name[1], item.plain_pinyin.replace(" ", ""), item.plain_pinyin.split()[1]):
            return item
    return None


Asked = Literal["named", "spelled", "described"]


def asked_about(query: str, words: Container[str] = ()) -> list[tuple[Principle, Asked]]:
    """The principles ``query`` asks about, each with how: ``named`` (慎独, 慎獨), ``spelled``
    (shendu, shen-du, "what is shen du", full-width too) or ``described`` (a homophone typo such
    as 慎读, or a phrase of its ``asked`` list: 独处, nobody is watching, English as whole words).
    ``words``: the speech's own words, so that a homophone the speech uses (深度, shēn dù) is read
    as itself, never as 慎独."""
    from content.folding import fold, pinyin

    folded = fold(query)
    lowered = " ".join(re.findall(r"[a-z]+", unicodedata.normalize("NFKC", query).lower()))
    tokens = lowered.split()
    spelled = set(tokens) | {a + b for a, b in itertools.pairwise(tokens)}
    found: list[tuple[Principle, Asked]] = []
    for item in principles():
        if item.name in folded:
            found.append((item, "named"))
        elif item.plain_pinyin.replace(" ", "") in spelled:
            found.append((item, "spelled"))
        elif _homophone(folded, item.name, pinyin(item.name), words) or any(
                re.search(rf"\b{re.escape(phrase)}\b", lowered) if phrase.isascii() else fold(phrase) in folded
                for phrase in item.asked):
            found.append((item, "described"))
    return found


def _homophone(folded: str, name: str, code: str, words: Container[str]) -> bool:
    """A pair of characters that sounds like ``name``, shares a character with it and is not a
    word of the speech: how a pinyin keyboard mistypes it (慎读, 甚独)."""
    from content.folding import pinyin

    for i in range(len(folded) - 1):
        pair = folded[i:i + 2]
        if pair != name and (pair[0] == name[0] or pair[1] == name[1]) and pair not in words and pinyin(pair) == code:
            return True
    return False


def passages_quotes(speech: Speech, item: Principle) -> list[Quote]:
    """Quotable passages from the principle's nodes (and their children), in speech order."""
    wanted = tuple(item.passages)
    return [q for q in candidates(speech) if any(q.id == p or q.id.startswith(p + ".") for p in wanted)]


FLOOR = 0.33
"""How close (cosine, USE multilingual v3) a quote from outside the principle's own passages
must be to join its quotes. Measured on the speech: the closest any quote of parts 二 and 三
comes to any principle is 0.322 (资产确权's "先易后难" for 慎初); those parts are the county's
development work (projects, investment drives such as the "四个500强", assets, the property
market) and never speak of personal conduct, so no quote of theirs may pass. Above the floor
are what plainly fits: 4.3.3's "守住做人、处事、用权、交友的底线" for 慎微 and 慎独, the
preface's own "慎初、慎微、慎独、慎友" sentence for 慎微. Another encoder has another scale:
measure again before changing ``SPEECHBOT_ENCODER``."""


@dataclass(frozen=True, eq=False)  # one per process and encoder: compared (and cached) by identity
class Ranking:
    """How close each quote candidate is to each principle: principle name → one cosine per
    ``candidates(speech)``, in that order. A quote's closeness to a principle is its best cosine
    with the principle's three statements (meaning, explanation, English meaning): they differ
    in length and language, and a quote that says what any one of them says fits."""

    encoder: str
    scores: dict[str, tuple[float, ...]]


@lru_cache(maxsize=SPEECH_CACHE * 4)  # the four principles
def fitting(speech: Speech, item: Principle, ranking: Ranking | None) -> tuple[Quote, ...]:
    """The quotes that fit ``item``, in the order the reminder rotates through them.

    With a ranking: the principle's own passages that are closer to it than the speech's median
    quote (a named node also holds sentences there for another reason, like the preface's
    opening on integrity in general), best first; then every other quote at least ``FLOOR``
    close, best first. Without one (no encoder): the principle's passages in speech order.
    Computed once per speech, principle and ranking."""
    own = passages_quotes(speech, item)
    if ranking is None:
        return tuple(own)
    scores = dict(zip(candidates(speech), ranking.scores[item.name], strict=True))
    median = statistics.median(scores.values())
    named = sorted((q for q in own if scores[q] >= median), key=lambda q: -scores[q]) or own
    others = sorted((q for q in scores if q not in own and scores[q] >= FLOOR), key=lambda q: -scores[q])
    return (*named, *others)


def principle_of(day: date) -> Principle:
    """The day's principle: the same for everyone, a different one each day, back every fourth."""
    return principles()[day.toordinal() % len(NAMES)]


def _plan(speech: Speech, year: int, month: int, ranking: Ranking | None) -> list[Quote | None]:
    """The month's quotes by the rule in the module docstring, its first day taken as if no day
    came before (``month_quotes`` checks it against the month before); None on a day whose
    principle has no fitting quote."""
    days = calendar.monthrange(year, month)[1]
    used: dict[Quote, int] = {}
    plan: list[Quote | None] = []
    for number in range(1, days + 1):
        pool = fitting(speech, principle_of(date(year, month, number)), ranking)
        if not pool:
            plan.append(None)
            continue
        shift = (year * 12 + month) % len(pool)
        order = {q: (i - shift) % len(pool) for i, q in enumerate(pool)}
        yesterday = plan[-1] if plan else None
        options = [q for q in pool if q != yesterday] or list(pool)
        chosen = min(options, key=lambda q: (used.get(q, 0), order[q]))
        used[chosen] = number
        plan.append(chosen)
    return plan


@lru_cache(maxsize=SPEECH_CACHE * 24)
def month_quotes(speech: Speech, year: int, month: int, ranking: Ranking | None) -> tuple[Quote | None, ...]:
    """The quote of each day of the month (None: no fitting quote that day): ``_plan``, with
    the first day changed when it would repeat the last day of the month before."""
    plan = _plan(speech, year, month, ranking)
    before = None if (year, month) == (1, 1) else _plan(
        speech, *((year, month - 1) if month > 1 else (year - 1, 12)), ranking)[-1]
    if plan[0] is not None and plan[0] == before:
        pool = fitting(speech, principle_of(date(year, month, 1)), ranking)
        neighbours = {before, plan[1] if len(plan) > 1 else None}
        spare = [q for q in pool if q not in neighbours]
        fresh = [q for q in spare if q not in plan]
        plan[0] = (fresh or spare or [plan[0]])[0]
    return tuple(plan)


def reminder(speech: Speech, day: date, ranking: Ranking | None = None) -> Reminder:
    """The reminder for ``day``, the same for everyone: the day's principle and its quote of
    ``month_quotes``. The bot and the CLI pass the ranking of their encoder (``rank``); None
    is the rule without an encoder. Raises ValueError when no quote fits the day's principle."""
    item = principle_of(day)
    quote = month_quotes(speech, day.year, day.month, ranking)[day.day - 1]
    if quote is None:
        raise ValueError(f"no quotable passage in {item.passages} for {item.name}")
    return Reminder(date=day, principle=item, quote=quote)


@lru_cache(maxsize=SPEECH_CACHE)
def rank(speech: Speech, encoder: Encoder | None, cache_dir: Path | None = None) -> Ranking | None:
    """The ranking by ``encoder`` (None without one, or when it fails: the rule then does without),
    computed once per process and kept in ``cache_dir`` as ``shen-<key>.json`` (the key hashes
    the encoder's name, the principles' statements and the quotes), so a warm cache needs no
    model at all. A file that does not match is recomputed, never trusted."""
    if encoder is None:
        return None
    quotes = [q.text for q in candidates(speech)]
    statements = [(p.name, (p.meaning, p.explanation, p.english)) for p in principles()]
    digest = hashlib.sha256(encoder.name.encode())
    for text in [*quotes, *(s for _, texts in statements for s in texts)]:
        digest.update(b"\0" + text.encode())
    key = digest.hexdigest()[:32]
    path = cache_dir / f"shen-{key}.json" if cache_dir is not None else None
    scores = _load_scores(path, key, len(quotes)) if path is not None else None
    if scores is None:
        try:
            vectors = encoder.encode(quotes)
            cosines = vectors @ encoder.encode([s for _, texts in statements for s in texts]).T
            per = len(statements[0][1])  # statements per principle, encoded in one call
            scores = {name: tuple(round(float(v), 6) for v in cosines[:, per * i:per * (i + 1)].max(axis=1))
                      for i, (name, _) in enumerate(statements)}
        except Exception:  # an encoder that cannot run: the rule without it, everywhere alike
            log.exception("the 慎 reminder ranks without the encoder %s: it failed", encoder.name)
            return None
        if path is not None:
            _store_scores(path, key, scores)
    return Ranking(encoder=encoder.name, scores=scores)


def _load_scores(path: Path, key: str, count: int) -> dict[str, tuple[float, ...]] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
        scores = {name: tuple(float(v) for v in data["scores"][name]) for name in NAMES}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    sound = data.get("key") == key and all(
        len(row) == count and all(math.isfinite(v) and -1.01 <= v <= 1.01 for v in row) for row in scores.values())
    return scores if sound else None


def _store_scores(path: Path, key: str, scores: dict[str, tuple[float, ...]]) -> None:
    write_atomically(path, json.dumps({"key": key, "scores": scores}).encode())
