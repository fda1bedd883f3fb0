"""Callback data: typed, prefixed, under Telegram's 64-byte limit, parsed in one place.

Wire format: ``<prefix>|<field>|…``; the last field may contain ``|`` (keywords). ``parse``
returns None for anything it does not recognise (stale buttons from an older version, or
forged data), and handlers answer those politely.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import Any, ClassVar, Literal, cast, get_args, get_origin, get_type_hints

from content import Node, Speech
from content.model import ORIGINAL, scoped, split_scope, text_number
from content.quotes import Quote, candidates, sentence_quote

MAX_BYTES = 64
MAX_REF = 40  # the longest bookmark reference the database keeps
"""The largest text id anything sent names (nine digits, as a scope ``2:4.2`` allows): a larger
one is forged, and would overflow the texts' 32-bit id column on PostgreSQL."""

SettingAction = Literal["on", "off", "time", "zones", "zone", "fmt", "polls", "quiz", "panel", "topic"]
"""What a settings button does: reminder on/off, a time, the zone picker, a zone, the format
(text/card), anonymous or open polls, the daily quiz, back to the settings panel, the forum
topic the push goes to (``here``: the panel's topic; ``general``)."""
CardKind = Literal["q", "d", "n"]
"""What a card button names: a quote by its number (``quote_ref``), a day (ISO date), a node (a
quote from it)."""
TextActionKind = Literal["pub", "fix", "del", "take"]
"""What the owner does with an uploaded text: publish it, fix its metadata, discard the draft,
take the details a file sent again carries (``handlers.uploads.offer``)."""
ForgetAnswer = Literal["yes", "no"]
"""The answer to /forget's question: delete, or keep everything."""
NoteActionKind = Literal["edit", "del"]
"""What a member does with one of their 心得 under /notes: replace it (the next reply) or delete it."""
BookmarkKind = Literal["q", "n", "s"]
"""What a bookmark names: a quote by its number (``quote_ref``), a node, or one sentence of a
node (``sentence_ref``: the sentence a search hit shows)."""


def text_of(ref: str) -> int:
    """The library text a node id or quote reference names: its scope (``2:4.2``, ``2:3``), and
    the original speech for an unscoped one (so every unscoped id names the original)."""
    return split_scope(ref)[0] or ORIGINAL


def top(text_id: int) -> str:
    """The outline's top level of a text as an ``Outline`` carries it: empty for the original
    (an unscoped ``Outline`` opens the chat's current text), ``2:`` for text 2."""
    return scoped(text_id, "") if text_id != ORIGINAL else ""


def quote_ref(text_id: int, number: int) -> str:
    """A quote's number among its text's candidates, scoped like a node id: ``3`` in the
    original, ``2:3`` in text 2 (a card button's value, a bookmark's ``q:2:3``)."""
    return scoped(text_id, str(number))


def quote_index(speech: Speech, ref: str) -> int | None:
    """The candidate number a quote reference names in ``speech``; None when it names another
    text, or no number, or one past the candidates."""
    local = split_scope(ref)[1]
    if text_of(ref) != speech.text_id or not (local.isascii() and local.isdigit()):
        return None
    number = int(local)
    return number if number < len(candidates(speech)) else None


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
    """Show page ``page`` of the stop ``node_id`` on the path of ``level`` in place (Prev/Next,
    ``content.path``): the node whole, or a part's introduction on a deeper level's path; level
    0 (buttons sent before levels existed) is the node's own."""

    prefix: ClassVar[str] = "w"
    node_id: str
    page: int = 0
    level: int = 0


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
    """A settings action (``SettingAction``) with an optional value."""

    prefix: ClassVar[str] = "c"
    action: SettingAction
    value: str = ""


@dataclass(frozen=True)
class Card:
    """Send a card: ``kind`` q (``value``: a quote's number), d (an ISO date), n (a node id)."""

    prefix: ClassVar[str] = "k"
    kind: CardKind
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
    """Bookmark (or un-bookmark) ``ref`` (``bookmark``): ``q:<quote number>``, ``n:<node id>`` or
    ``s:<node id>~<sentence index>``."""

    prefix: ClassVar[str] = "b"
    ref: str


def bookmark(kind: BookmarkKind, value: str | int) -> str:
    """A bookmark reference as the ☆ button and the database carry it: ``q:3``, ``n:4.2``,
    ``s:4.2~3``."""
    return f"{kind}:{value}"


def sentence_ref(node_id: str, index: int) -> str:
    """One sentence as a bookmark names it: the ``index``-th of ``node_id``'s sentence units
    (``content.quotes.sentence_index``, as the 🖼 under a search hit names it): ``4.2~3``,
    ``2:4.2~3`` in text 2. ``~`` stands in no node id and needs no escaping in a URL."""
    return f"{node_id}~{index}"


def hit_bookmark(node_id: str, index: int | None) -> str:
    """What ☆ under a search hit saves: the hit's sentence, or (no index, or a reference longer
    than the database keeps) its node."""
    ref = bookmark("s", sentence_ref(node_id, index)) if index is not None else ""
    return ref if ref and len(ref) <= MAX_REF else bookmark("n", node_id)


def bookmark_target(ref: str) -> tuple[BookmarkKind, str] | None:
    """``(kind, value)`` of a bookmark reference, or None for one that is not (forged, or from
    another version): the one place that reads the format ``bookmark`` writes."""
    kind, colon, value = ref.partition(":")
    if not colon or not value or kind not in get_args(BookmarkKind):
        return None
    return cast(BookmarkKind, kind), value


def bookmarked(speech: Speech, ref: str) -> Quote | Node | None:
    """What a bookmark reference names in ``speech``: a quote candidate, a sentence (as a quote
    with its location) or a node; None for nothing (forged, longer than the database keeps, a
    sentence the node no longer has, or from another text: an unscoped ``q:3``, ``n:4.2`` or
    ``s:4.2~3`` is the original speech's)."""
    target = bookmark_target(ref) if len(ref) <= MAX_REF else None
    if target is None:
        return None
    kind, value = target
    if kind == "q":
        number = quote_index(speech, value)
        return candidates(speech)[number] if number is not None else None
    if text_of(value) != speech.text_id:
        return None
    if kind == "n":
        return speech.find(value)
    node_id, _, index = value.rpartition("~")
    if not (index.isascii() and index.isdigit() and index == str(int(index))):
        return None  # one spelling per sentence: 4.2~03 is not 4.2~3
    found = sentence_quote(speech, node_id, int(index))
    return found if found is not None and found.id == node_id else None


@dataclass(frozen=True)
class Forget:
    """The member ``user_id`` answered /forget (only they may: the button says whose it is):
    delete (``yes``) or cancel (``no``)."""

    prefix: ClassVar[str] = "f"
    user_id: int
    answer: ForgetAnswer = "yes"


@dataclass(frozen=True)
class Pace:
    """The answer to /plan's question: a plan of ``days`` days (0: keep the one under way), for
    the member ``asker`` who asked (0: an anonymous administrator, so any administrator)."""

    prefix: ClassVar[str] = "l"
    days: int
    asker: int


@dataclass(frozen=True)
class UseText:
    """Make ``text_id`` the chat's current text (``/texts``' buttons; administrators in groups)."""

    prefix: ClassVar[str] = "x"
    text_id: int


@dataclass(frozen=True)
class TextPage:
    """Show page ``page`` of ``/texts`` in place (a library of 200 texts does not fit one message)."""

    prefix: ClassVar[str] = "v"
    page: int


@dataclass(frozen=True)
class SearchAll:
    """Search every text of the library for ``query`` (cut to fit the 64 bytes)."""

    prefix: ClassVar[str] = "y"
    query: str


@dataclass(frozen=True)
class TextAction:
    """The owner's answer to an uploaded text's preview: publish it, fix its metadata, or discard
    the draft (``handlers.uploads``; anyone else's press is a stale button)."""

    prefix: ClassVar[str] = "t"
    action: TextActionKind
    text_id: int


@dataclass(frozen=True)
class LedgerJoin:
    """A member joins the group's 学习台账 (✅ 实名记录) under the message the button is on."""

    prefix: ClassVar[str] = "j"
    join: int = 1


@dataclass(frozen=True)
class NoteAction:
    """The member's ✏️ or 🗑 on their 心得 ``note_id`` (``/notes``; only theirs: checked in the store)."""

    prefix: ClassVar[str] = "e"
    action: NoteActionKind
    note_id: int


@dataclass(frozen=True)
class NotesPage:
    """Show page ``page`` of ``/notes`` in place."""

    prefix: ClassVar[str] = "g"
    page: int


Callback = (Outline | Read | Step | Send | Another | Principle | Setting | Card | SentenceCard | Done | Save | Forget
            | Pace | UseText | TextPage | SearchAll | TextAction | LedgerJoin | NoteAction | NotesPage)
_TYPES: dict[str, type[Callback]] = {cls.prefix: cls for cls in (Outline, Read, Step, Send, Another, Principle,
                                                                  Setting, Card, SentenceCard, Done, Save, Forget,
                                                                  Pace, UseText, TextPage, SearchAll, TextAction,
                                                                  LedgerJoin, NoteAction, NotesPage)}


def scope_of(data: Callback) -> int | None:
    """The library text a callback names: the scope of its node id, bookmark or card (``2:4.2``,
    ``q:2:3``, ``2:2026-11-28``, ``2:`` for text 2's outline) or the text it switches to, the
    original speech for an unscoped one (``4.2``: an unscoped button keeps opening
    the original after the chat switched); None for one that names no text (the chat's current
    text is meant) and for the owner's preview buttons, which load nothing to show."""
    if isinstance(data, UseText):
        return data.text_id
    if isinstance(data, Save):
        target = bookmark_target(data.ref)
        value = target[1] if target else ""
    elif isinstance(data, Card):
        value = data.value
    else:
        value = getattr(data, "node_id", "")
    return text_of(value) if value else None


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


def _choices(cls: type[Callback]) -> dict[str, tuple[str, ...]]:
    """The fields of ``cls`` typed as a ``Literal``, with the values they may take."""
    return {name: get_args(hint) for name, hint in get_type_hints(cls).items() if get_origin(hint) is Literal}


_CHOICES = {prefix: _choices(cls) for prefix, cls in _TYPES.items()}


def _text_id(value: str) -> int:
    number = text_number(value)
    if number is None:
        raise ValueError(f"no text {value!r}")
    return number


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
    if specs and len(values) < len(specs) and all(spec.default is not MISSING for spec in specs[len(values):]):
        # a field added at the end with a default: data sent before it existed still parses
        values += [str(spec.default) for spec in specs[len(values):]]
    if len(values) != len(specs):
        return None
    try:
        # Any: mypy cannot follow a field's type through ``fields(cls)``. Each value has it: an int
        # field's is parsed here, a Literal field's is checked among its choices below.
        kwargs: dict[str, Any] = {
            spec.name: _text_id(value) if spec.name == "text_id" else int(value) if spec.type in ("int", int) else value
            for spec, value in zip(specs, values, strict=True)
        }
    except ValueError:
        return None  # not a number, or no text has that number
    if any(kwargs[name] not in allowed for name, allowed in _CHOICES[prefix].items()):
        return None  # an action or kind this version does not know
    return cls(**kwargs)
