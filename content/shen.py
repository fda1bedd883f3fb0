"""The four 慎 principles and the daily reminder built from them.

The principle rotates through 慎初、慎微、慎独、慎友 on consecutive days (day number modulo 4,
so every principle comes back every fourth day for everyone). The reminder's quote is drawn
verbatim from the passages the principle names and changes with the week: the same principle
shows the same quote within one ISO week and, where its passages allow, another one the next.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

from content.model import Speech, attribution
from content.quotes import Quote, candidates

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
        lines = [f"今日一慎：{self.principle.name}", self.principle.meaning, "", self.principle.explanation]
        if self.principle.source:
            lines += ["", f"出处：{self.principle.source}"]
        lines += ["", f"“{self.quote.text}”", attribution(self.quote.label)]
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
    from content.normalize import fold

    key = "".join(c for c in unicodedata.normalize("NFD", fold(name)) if not unicodedata.combining(c))
    key = unicodedata.normalize("NFC", key).replace(" ", "")  # shèndú as shendu; 独 stays 独
    for item in principles():
        if key in (item.name, item.name[1], item.plain_pinyin.replace(" ", ""), item.plain_pinyin.split()[1]):
            return item
    return None


def passages_quotes(speech: Speech, item: Principle) -> list[Quote]:
    """Quotable passages from the principle's nodes (and their children), in speech order."""
    wanted = tuple(item.passages)
    return [q for q in candidates(speech) if any(q.id == p or q.id.startswith(p + ".") for p in wanted)]


def reminder(speech: Speech, day: date) -> Reminder:
    """The reminder for ``day``: same for everyone, rotating principle, weekly quote."""
    item = principles()[day.toordinal() % len(NAMES)]
    pool = passages_quotes(speech, item)
    if not pool:
        raise ValueError(f"no quotable passage in {item.passages} for {item.name}")
    year, week, _ = day.isocalendar()
    return Reminder(date=day, principle=item, quote=pool[(year * 53 + week) % len(pool)])
