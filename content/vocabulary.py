"""The domain vocabulary (``vocabulary.yaml``): how people say things → how official texts say
them. Validated on load; the search uses it to expand a query (``expansions``)."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from content.folding import fold

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")


class Entry(BaseModel):
    """One mapping: every ``say`` phrase stands for the ``official`` terms."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    say: tuple[str, ...] = Field(min_length=1)
    official: tuple[str, ...] = Field(min_length=1)

    @field_validator("say", "official")
    @classmethod
    def _clean(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        folded = tuple(fold(v) for v in values)
        if not all(folded):
            raise ValueError("an empty phrase")
        if len(set(folded)) != len(folded):
            raise ValueError(f"a phrase repeats in {values}")
        return folded


@cache
def entries(path: Path = VOCABULARY_FILE) -> tuple[Entry, ...]:
    """Every entry, folded like search text; a ``say`` phrase may appear in one entry only."""
    # libyaml's loader when PyYAML has it: 3 ms instead of 29 ms, on every cold `speechbot search`.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loaded = TypeAdapter(tuple[Entry, ...]).validate_python(yaml.load(path.read_text("utf-8"), Loader=loader))
    seen: dict[str, int] = {}
    for number, entry in enumerate(loaded):
        for phrase in entry.say:
            if phrase in seen:
                raise ValueError(f"{path}: {phrase!r} is in entries {seen[phrase] + 1} and {number + 1}")
            seen[phrase] = number
    return loaded


@cache
def _lookup() -> dict[str, tuple[str, ...]]:
    return {phrase: entry.official for entry in entries() for phrase in entry.say}


def expansions(folded: str) -> list[tuple[str, tuple[str, ...]]]:
    """``(phrase, official terms)`` for every vocabulary phrase in ``folded`` text, longest first
    and without overlaps (公款吃喝 wins over 吃喝)."""
    return list(_expansions(folded))


@lru_cache(maxsize=1024)
def _expansions(folded: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``expansions``, kept for the queries asked most (each is read by two tiers)."""
    lookup = _lookup()
    found: list[tuple[int, str]] = []
    for phrase in sorted(lookup, key=len, reverse=True):
        start = folded.find(phrase)
        while start >= 0:
            if all(start >= s + len(p) or start + len(phrase) <= s for s, p in found):
                found.append((start, phrase))
            start = folded.find(phrase, start + 1)
    return tuple((phrase, lookup[phrase]) for _, phrase in sorted(found))
