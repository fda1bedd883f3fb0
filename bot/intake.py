"""Taking a file into the library, for the shell (``speechbot library add``) and any other
caller that holds a ``handlers.store.Texts``: no Telegram here.

The steps are the same wherever a text comes from: ``import_file``/``import_bytes`` reads it
(``content.formats``), ``with_overrides`` applies what the owner corrected, ``add_text`` keeps it
content-addressed (the same body twice is one text), and ``prepare`` builds its services once
(embeddings, summaries, the 慎 ranking) into the cache directory, from the *stored* body parsed
as the bot parses it (``content.library.parse_body``), so the bot finds every cache warm and
never encodes the text itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING, TypeVar

from bot.settings import Settings
from content.formats.blocks import Imported, Metadata
from content.library import Book, Makers, TextInfo, TextStatus, body_of, digest, node_count, parse_body
from content.model import ORIGINAL, Speech
from handlers.store import Texts

if TYPE_CHECKING:
    from bot.storage.texts import TextRepository


def makers(settings: Settings, isolate: bool = False) -> Makers:
    """How a book builds its services: the configured encoder and cache directory, glosses where
    ``content/glosses.yaml`` describes the text. The bot, the CLI and the benchmarks all build
    books with it, so the caches they write are the ones the others read (the keys hash the
    content and the encoder, not the process); ``isolate`` computes summaries in a child process
    (the bot: jieba's dictionary never stays in its memory)."""
    from content.answer import Searcher
    from content.encoder import load_encoder
    from content.glosses import glosses_for
    from content.shen import rank
    from content.summaries import Summaries

    return Makers(
        searcher=lambda speech: Searcher(speech, load_encoder(settings.encoder), settings.cache_dir,
                                         glosses_for(speech)),
        summaries=lambda speech: Summaries(speech, settings.cache_dir, isolate=isolate),
        ranking=lambda speech: rank(speech, load_encoder(settings.encoder), settings.cache_dir))


FIELDS = ("title", "speaker", "date", "occasion")


def with_overrides(metadata: Metadata, overrides: Mapping[str, str | date | None]) -> Metadata:
    """The file's metadata with what the owner gave instead (``FIELDS``; an empty value clears
    the field, a field not given keeps what the file says)."""
    unknown = set(overrides) - set(FIELDS)
    if unknown:
        raise ValueError(f"not a metadata field: {', '.join(sorted(unknown))}")
    return replace(metadata, title=_given(overrides, "title", str, metadata.title),
                   speaker=_given(overrides, "speaker", str, metadata.speaker),
                   date=_given(overrides, "date", date, metadata.date),
                   occasion=_given(overrides, "occasion", str, metadata.occasion))


_Field = TypeVar("_Field", str, date)


def _given(overrides: Mapping[str, str | date | None], name: str, kind: type[_Field],
           kept: _Field | None) -> _Field | None:
    """``overrides[name]`` if given (an empty value: None), else ``kept``; a ValueError if it is
    not a ``kind``."""
    if name not in overrides:
        return kept
    value = overrides[name] or None
    if value is not None and not isinstance(value, kind):
        raise ValueError(f"{name}: not a {kind.__name__}")
    return value


@dataclass(frozen=True)
class Stored:
    """What ``add_text`` did: the text as stored, and its state before (None: it is new)."""

    info: TextInfo
    before: TextStatus | None

    @property
    def new(self) -> bool:
        return self.before is None


async def add_text(texts: Texts, imported: Imported, metadata: Metadata | None = None, *,
                added_by: int | None = None, status: TextStatus = TextStatus.LIVE) -> Stored:
    """Keep an imported file as a text, content-addressed: the same body again is the text
    already stored (a removed one comes back as ``status``, a draft is published by ``live``;
    its metadata stays as it is)."""
    key = digest(imported.body)
    known = {text.digest: text.status for text in await texts.texts(tuple(TextStatus))}
    info, new = await texts.add(imported.body, metadata or imported.metadata, PurePath(imported.speech.source).name,
                                node_count(imported.speech), added_by=added_by, status=status)
    return Stored(info, None if new else known.get(key, info.status))


def prepare(info: TextInfo, body: str, makers: Makers) -> Book:
    """The text's book with every service built (blocks: encoding a new text takes seconds)."""
    return Book(info, parse_body(info, body), makers).ready()


async def ensure_original(texts: TextRepository, speech: Speech) -> None:
    """Store the speech file as text 1 when the database does not have it yet (the shell may
    open a database before the bot ever started). An existing text 1 is left as it is: the
    bot, with its own ``SPEECHBOT_SPEECH_FILE``, keeps it up to date."""
    record = await texts.text(ORIGINAL)
    if record is None or not record.body:  # never stored, or only its id reserved (``TextRepository.add``)
        await texts.ensure_original(body_of(speech), speech.title, PurePath(speech.source).name, node_count(speech))
