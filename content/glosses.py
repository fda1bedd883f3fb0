"""English headings, English translations and plain-language restatements of the seed speech.

``glosses.yaml`` was written from the speech alone (not from any query set). English readers
see ``heading_en``; the dense search tier also embeds the translation and the plain-Chinese
restatement, so that a question in English or in everyday words meets text in its own
register. The file names the speech it describes by a fingerprint of its nodes' ids and text:
another speech (or an edited one) gets no glosses rather than wrong ones.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from content.model import Speech
from content.sentences import split_sentences

GLOSSES_FILE = Path(__file__).with_name("glosses.yaml")


class Gloss(BaseModel):
    """What ``glosses.yaml`` says of one node."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    heading_en: str = Field(min_length=3, max_length=120)
    gloss_en: str = Field(min_length=10)
    plain_zh: str = Field(min_length=6)

    @field_validator("plain_zh")
    @classmethod
    def _no_spaces(cls, value: str) -> str:
        return "".join(value.split())  # YAML folding puts a space between Chinese lines

    def texts(self) -> list[str]:
        """The texts the dense tier embeds for this node: heading, translation sentences, restatement."""
        english = [s.strip() for s in self.gloss_en.replace(". ", ".\n").splitlines() if s.strip()]
        return [self.heading_en, *english, *(s for s in split_sentences(self.plain_zh) if s.strip())]


class Glosses(BaseModel):
    """Every node's gloss, for the speech with ``fingerprint``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fingerprint: str
    nodes: dict[str, Gloss]

    def get(self, node_id: str) -> Gloss | None:
        return self.nodes.get(node_id)

    def heading(self, node_id: str) -> str | None:
        gloss = self.nodes.get(node_id)
        return gloss.heading_en if gloss else None


def fingerprint(speech: Speech) -> str:
    """A short hash of every node's id and text: changes whenever the speech does."""
    digest = hashlib.sha256()
    for node in speech.nodes():
        digest.update(f"{node.id}\0{node.text}\0".encode())
    return digest.hexdigest()[:16]


@cache
def _load(path: Path) -> Glosses:
    return Glosses.model_validate(yaml.safe_load(path.read_text("utf-8")))


def glosses_for(speech: Speech, path: Path = GLOSSES_FILE) -> Glosses | None:
    """The glosses when they describe ``speech`` (same fingerprint, every node), else None."""
    glosses = _load(path)
    if glosses.fingerprint != fingerprint(speech) or set(glosses.nodes) != set(speech.ids):
        return None
    return glosses
