"""The JSON the reader's API answers and accepts, one TypedDict per object (``bot.reader.api``
builds them, ``bot.reader.routes`` sends and reads them; the page, ``bot/static/reader/reader.js``,
reads the same keys). Places are characters of the whole text (``content.document``)."""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

from content.search import Tier
from handlers.catalog import Lang

Span = tuple[int, int]
"""A range of characters of the document, ``[start, end]``, half-open."""

Block = tuple[str, str, str, int]
"""A heading or paragraph of the document as the page gets it: ``[node, tag, text, at]`` (tag
h2, h3, h4 or p; ``at`` -1 for a heading the speech does not write)."""


class UiStrings(TypedDict):
    """The page's interface words in the member's language (plain text; ``{n}``, ``{day}`` and
    the like are filled in by the page)."""

    title: str
    outline: str
    close: str
    search: str
    search_placeholder: str
    search_none: str
    search_clear: str
    exact: str
    related: str
    nearest: str
    hit_of: str
    prev_hit: str
    next_hit: str
    hit_list: str
    save: str
    saved: str
    saved_list: str
    saved_none: str
    plan: str
    done: str
    done_already: str
    font_smaller: str
    font_larger: str
    send: str
    error: str
    offline: str


class OutlineEntry(TypedDict):
    """A node of the outline: its id and heading, the English gloss of the heading (English
    readers, when the text has one) and its children (when it has any)."""

    id: str
    title: str
    gloss: NotRequired[str]
    children: NotRequired[list[OutlineEntry]]


class Place(TypedDict):
    """Where the member stopped reading: the block's node and its first character."""

    node: str
    at: int


class Bookmark(TypedDict):
    """One of the member's bookmarks in this text: its ref (``q:<n>`` or ``n:<id>``), the node it
    is in, its label and text (a quote's words, a section's heading), and where it starts."""

    ref: str
    node: str
    label: str
    text: str
    at: int


class Plan(TypedDict):
    """The plan's passage of the day in this text: day ``day`` of ``days``, its places as they
    read, its nodes, where it starts, and whether the member has read it."""

    day: int
    days: int
    labels: str
    ids: list[str]
    at: int
    done: bool


class Start(TypedDict):
    """``GET …/start``: everything the first screen needs."""

    text: str  # the text's id, as later calls name it
    lang: Lang
    title: str
    ui: UiStrings
    outline: list[OutlineEntry]
    blocks: list[Block]
    position: Place | None
    saved: list[Bookmark]
    plan: Plan | None
    stored: bool  # the member's bookmarks, place and plan are kept (always, since the bot has a store)


class NodeText(TypedDict):
    """``GET …/nodes/<id>``: a node's label, heading, verbatim text and first character."""

    id: str
    label: str
    title: str
    text: str
    at: int


class Hit(TypedDict):
    """A search hit: its node, label, tier and sentence, the sentence's range in the document and
    the ranges of its matches (the sentence's range when the matches are not known)."""

    id: str
    label: str
    tier: Tier
    text: str
    range: Span
    marks: list[Span]


class Found(TypedDict):
    """``GET …/search?q=``: the query as searched (spaces folded, cut to its limit) and the hits."""

    query: str
    hits: list[Hit]


class Saved(TypedDict):
    """``PUT`` or ``DELETE …/bookmarks/<ref>``: the member's bookmarks in this text after it."""

    saved: list[Bookmark]


class Kept(TypedDict):
    """``PUT …/position``: the block kept as the member's place (node None: no block there)."""

    node: str | None
    at: int


class Marked(TypedDict):
    """``POST …/plan/done``: whether the day was newly marked, the streak, and the chat's words."""

    new: bool
    streak: int
    message: str


class Refused(TypedDict):
    """A refusal (401, 404, 400, 429, 503), with a reason in English for the log and the page."""

    ok: Literal[False]
    error: str


class PositionBody(TypedDict):
    """The body of ``PUT …/position``."""

    at: int


class DoneBody(TypedDict):
    """The body of ``POST …/plan/done``."""

    day: int


Answer = Start | list[OutlineEntry] | NodeText | Found | Saved | Kept | Marked | Refused
"""Every JSON the API answers."""
