"""Callback data: typed, prefixed, under Telegram's 64-byte limit, parsed in one place.

Wire format: ``<prefix>|<field>|…``; the last field may contain ``|`` (keywords). ``parse``
returns None for anything it does not recognise (stale buttons from an older version, or
forged data), and handlers answer those politely.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

MAX_BYTES = 64


@dataclass(frozen=True)
class Outline:
    """Open the outline at ``node_id`` (empty: the top level)."""

    prefix: ClassVar[str] = "o"
    node_id: str = ""


@dataclass(frozen=True)
class Read:
    """Show page ``page`` of ``node_id`` in place (edits the message)."""

    prefix: ClassVar[str] = "r"
    node_id: str
    page: int = 0


@dataclass(frozen=True)
class Step:
    """Show page ``page`` of ``node_id``'s own text in place: a stop on the reading path that
    Prev/Next follow (``content.path``), so a part's introduction is not read twice."""

    prefix: ClassVar[str] = "w"
    node_id: str
    page: int = 0


@dataclass(frozen=True)
class Send:
    """Send ``node_id`` as new message(s) (from search hits, summaries, principles)."""

    prefix: ClassVar[str] = "s"
    node_id: str


@dataclass(frozen=True)
class Another:
    """Replace the quote with another one, optionally within ``node_id`` or for ``keyword``."""

    prefix: ClassVar[str] = "q"
    node_id: str = ""
    keyword: str = ""


@dataclass(frozen=True)
class Principle:
    """Show one 慎 principle (index 0–3), or the list for -1."""

    prefix: ClassVar[str] = "h"
    index: int = -1


@dataclass(frozen=True)
class Setting:
    """A settings action: ``action`` in (on, off, time, zone, menu) with an optional value."""

    prefix: ClassVar[str] = "c"
    action: str
    value: str = ""


@dataclass(frozen=True)
class Card:
    """Send a card: ``kind`` q (``value``: a quote's number), d (an ISO date), n (a node id)."""

    prefix: ClassVar[str] = "k"
    kind: str
    value: str


@dataclass(frozen=True)
class SentenceCard:
    """Send the card of one sentence: the ``index``-th of ``node_id``'s sentence units (the
    sentence a search hit shows, ``content.quotes.sentence_index``). A ``Card`` of kind n,
    which older hit buttons carry, still draws a quote of the node."""

    prefix: ClassVar[str] = "u"
    node_id: str
    index: int


@dataclass(frozen=True)
class Done:
    """A member read the plan's passage of ``day``."""

    prefix: ClassVar[str] = "p"
    day: int


@dataclass(frozen=True)
class Save:
    """Bookmark (or un-bookmark) ``ref``: ``q:<quote number>`` or ``n:<node id>``."""

    prefix: ClassVar[str] = "b"
    ref: str


@dataclass(frozen=True)
class Forget:
    """The member ``user_id`` confirmed /forget (only they may: the button says whose it is)."""

    prefix: ClassVar[str] = "f"
    user_id: int


@dataclass(frozen=True)
class Pace:
    """The answer to /plan's question: a plan of ``days`` days (0: keep the one under way), for
    the member ``asker`` who asked (0: an anonymous administrator, so any administrator)."""

    prefix: ClassVar[str] = "l"
    days: int
    asker: int


Callback = (Outline | Read | Step | Send | Another | Principle | Setting | Card | SentenceCard | Done | Save | Forget
            | Pace)
_TYPES: dict[str, type[Callback]] = {cls.prefix: cls for cls in (Outline, Read, Step, Send, Another, Principle,
                                                                  Setting, Card, SentenceCard, Done, Save, Forget,
                                                                  Pace)}


def _fit(value: str, budget: int) -> str:
    """Cut ``value`` to at most ``budget`` UTF-8 bytes at a character boundary."""
    encoded = value.encode()[: max(0, budget)]
    return encoded.decode("utf-8", errors="ignore")


def encode(callback: Callback) -> str:
    """Serialise; a free-text last field (keyword) is shortened to keep within 64 bytes."""
    fields = [str(v) for v in callback.__dict__.values()]
    head = "|".join([callback.prefix, *fields[:-1]]) if fields else callback.prefix
    if not fields:
        return head
    data = f"{head}|{_fit(fields[-1], MAX_BYTES - len(head.encode()) - 1)}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def parse(data: str | None) -> Callback | None:
    """The callback encoded in ``data``, or None for stale or forged data."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    prefix, _, rest = data.partition("|")
    cls = _TYPES.get(prefix)
    if cls is None:
        return None
    specs = fields(cls)
    values = rest.split("|", len(specs) - 1) if specs else []
    if len(values) != len(specs):
        return None
    try:
        kwargs = {
            spec.name: int(value) if spec.type in ("int", int) else value
            for spec, value in zip(specs, values, strict=True)
        }
    except ValueError:
        return None
    return cls(**kwargs)  # type: ignore[arg-type]
