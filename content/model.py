"""The speech tree: pydantic models with stable ids, labels, titles and verbatim text.

Ids are dotted and stable across layout changes: ``preface``, ``1``, ``1.2``, ``4.2.3``,
``closing``. In a library (``content.library``) a node id is scoped by its text: ``2:4.2`` is
4.2 of text 2; the original speech is text 1 and its ids stay unscoped (``4.2``), so an unscoped
id always names a passage of the original.
Labels are the speech's own notation: 一、 / 四（二） / 四（二）3 / 前言 / 结语.
``Node.text`` is the node's verbatim text as it stands in the speech (markers such as （一）
and 一是 included, paragraphs joined by a newline); ``title`` drops the markers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Literal, TypedDict

from pydantic import BaseModel, ConfigDict

from content.numerals import NUMERAL_CHARS, to_int
from content.sentences import split_sentences

if TYPE_CHECKING:
    from content.search import Hit, SearchIndex

NodeKind = Literal["preface", "part", "section", "point", "closing"]


class NodeDict(TypedDict):
    """A node as ``speechbot outline --json`` and ``speechbot import --json`` print it."""

    id: str
    kind: NodeKind
    label: str
    title: str | None
    text: str
    children: list[NodeDict]

_ALIASES = {
    "preface": "preface", "前言": "preface", "开篇": "preface", "0": "preface",
    "closing": "closing", "结语": "closing", "结尾": "closing", "end": "closing",
}
_NUM = f"[{NUMERAL_CHARS}]+"
_CHINESE_REF = re.compile(rf"^({_NUM})、?(?:\(({_NUM})\)(\d+|{_NUM})?)?$")
_DOTTED_REF = re.compile(r"^\d{1,2}(?:[.\-_/]\d{1,2}){0,2}$")
_ORDINAL = rf"({_NUM}|\d{{1,2}})"
# 第四部分, 第四部分第二节, 第四部分第二节第三点 (or …第二节3, 第四部分（二）): spelled-out places
_SCOPE = re.compile(r"^(\d{1,9})[:：]")
ORIGINAL = 1
"""The original speech's text id: its node ids carry no scope."""
MAX_TEXT_ID = 999_999_999
"""The largest text id anything accepts (nine digits: a button's data, a URL, a command)."""
SPEECH_CACHE = 128
"""How many speeches what is derived from a speech (its quotes, plans, quiz questions…) is kept
for in a process: twice the texts the library keeps in memory by default
(``SPEECHBOT_LIBRARY_BOOKS``, 64), so a text read again is not derived again, and a text that
left the library's memory leaves these caches too (unbounded, they kept every text ever read).
A cache with several entries per speech (plans of 21 and of 10 days, the four 慎) is that many
times larger."""
_ORDINAL_REF = re.compile(
    rf"^第{_ORDINAL}部分(?:(?:第{_ORDINAL}(?:小节|节)|\({_ORDINAL}\))(?:第?{_ORDINAL}[点条项]?)?)?$")


def scoped(text_id: int, node_id: str) -> str:
    """``node_id`` of text ``text_id`` as stored and sent: ``2:4.2``; the original's stays ``4.2``."""
    return node_id if text_id == ORIGINAL else f"{text_id}:{node_id}"


def text_number(value: str) -> int | None:
    """The one reading of a text id, wherever one is written (``/use``, ``/describe``, a button's
    data, a reference's scope, the reader's URL): digits, full-width too, spaces ignored, one
    leading ``#`` allowed; None for anything else and for a number outside 1..``MAX_TEXT_ID``."""
    plain = unicodedata.normalize("NFKC", "".join(value.split())).removeprefix("#")
    if not (plain.isascii() and plain.isdigit() and len(plain) <= len(str(MAX_TEXT_ID))):
        return None
    return int(plain) if 0 < int(plain) <= MAX_TEXT_ID else None


def split_scope(ref: str) -> tuple[int | None, str]:
    """``(text id, the rest)`` of a reference: ``2:4.2`` → ``(2, "4.2")``, ``4.2`` → ``(None, "4.2")``
    (no scope: the reader's current text). Full-width ``：`` counts, as members type it."""
    match = _SCOPE.match(ref.strip())
    number = text_number(match[1]) if match else None
    return (number, ref.strip()[match.end():]) if match and number is not None else (None, ref)


def cite(label: str) -> str:
    """A label as it reads standing alone (a quote's source, a header, a list of passages): a
    part's 三、 becomes 第三部分; 四（二）, 四（二）3, 前言 and 结语 already read so and stay."""
    stem = label.removesuffix("、")
    return f"第{stem}部分" if stem != label and to_int(stem) else label


def attribution(label: str) -> str:
    """The line that says where a quote stands: 出自 一（一）, 出自 第三部分. Never ——一（一）: after
    a dash the numeral 一 reads as more dash."""
    return f"出自 {cite(label)}"


class UnknownNodeError(LookupError):
    """Raised for an id that names no node; carries the valid ids for the message."""

    def __init__(self, ref: str, valid: list[str]) -> None:
        super().__init__(ref)
        self.ref = ref
        self.valid = valid


class Node(BaseModel):
    """One node of the speech tree."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: NodeKind
    label: str
    title: str | None
    text: str
    children: tuple[Node, ...] = ()
    intro: tuple[str, ...] = ()
    line: int = 0

    @cached_property
    def sentences(self) -> list[str]:
        """The node's sentences; ``"".join(node.sentences) == node.text``."""
        return split_sentences(self.text)

    def own_paragraphs(self) -> list[str]:
        """The node's own paragraphs: its text without its children's (a part's heading and
        introduction, a section's lead before its points), non-empty, in order."""
        own = self.text
        for child in self.children:
            own = own.replace(child.text, "\n", 1)
        return [paragraph for paragraph in own.split("\n") if paragraph.strip()]

    def walk(self) -> Iterator[Node]:
        """This node and its descendants in speech order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self) -> NodeDict:
        """The JSON shape of ``speechbot outline --json``."""
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "title": self.title,
            "text": self.text,
            "children": [child.to_dict() for child in self.children],
        }


class Speech(BaseModel):
    """A parsed speech: salutation, preface, parts and closing."""

    model_config = ConfigDict(frozen=True)

    title: str | None
    salutation: str | None
    top: tuple[Node, ...]
    source: str = "<string>"
    text_id: int = ORIGINAL  # its text in the library: node ids are scoped by it (``scoped``)

    @cached_property
    def _by_id(self) -> dict[str, Node]:
        return {node.id: node for node in self.nodes()}

    def nodes(self) -> Iterator[Node]:
        """Every node in speech order (pre-order)."""
        for node in self.top:
            yield from node.walk()

    @property
    def parts(self) -> list[Node]:
        """The numbered parts 一、二、…"""
        return [node for node in self.top if node.kind == "part"]

    @property
    def ids(self) -> list[str]:
        """All valid ids in speech order."""
        return list(self._by_id)

    def node(self, ref: str) -> Node:
        """Return the node for an id in any accepted notation, or raise UnknownNodeError.

        An unscoped ref (四（二）, 4.2) is this text's; a scoped one (``2:4.2``) must name this
        text (the original accepts ``1:4.2`` too)."""
        node_id = self.canonical_id(ref)
        scope, local = split_scope(node_id) if node_id is not None else (None, "")
        named = split_scope(ref)[0]  # 1:4.2 loses its scope in canonical_id, yet names the original
        if node_id is None or (scope is not None and scope != self.text_id) or named not in (None, self.text_id):
            raise UnknownNodeError(ref, self.ids)
        node_id = scoped(self.text_id, local)
        if node_id not in self._by_id:
            raise UnknownNodeError(ref, self.ids)
        return self._by_id[node_id]

    def scoped(self, text_id: int) -> Speech:
        """This speech as text ``text_id`` of the library: every node id scoped (``scoped``)."""
        if text_id == self.text_id:
            return self

        def rescope(node: Node) -> Node:
            _, local = split_scope(node.id)
            # Built anew, not model_copy: a copy would carry the cached ``_by_id`` of the old ids.
            fields = node.model_dump(exclude={"id", "children"})
            return Node(**fields, id=scoped(text_id, local), children=tuple(rescope(c) for c in node.children))

        return Speech(title=self.title, salutation=self.salutation, source=self.source, text_id=text_id,
                      top=tuple(rescope(node) for node in self.top))

    def find(self, ref: str) -> Node | None:
        """Like ``node`` but returns None for an unknown id."""
        try:
            return self.node(ref)
        except UnknownNodeError:
            return None

    def parent(self, node: Node) -> Node | None:
        """The node's parent, or None for a top-level node."""
        head, _, _ = node.id.rpartition(".")
        return self._by_id.get(head) if head else None

    @staticmethod
    def canonical_id(ref: str) -> str | None:
        """Map 四（二）, 四(二)3, 4-2, 4.2, s-4-2, 前言 … to a dotted id; None if not an id. A scope
        stays (``2:四（二）`` → ``2:4.2``), except the original's (``1:4.2`` → ``4.2``)."""
        scope, rest = split_scope(ref)
        if scope is not None:
            local = Speech.canonical_id(rest) if scope > 0 and not split_scope(rest)[0] else None
            return None if local is None else scoped(scope, local)
        # NFKC: full-width digits, points and brackets (４．２, （二）); 。 is a point too (4。2)
        text = unicodedata.normalize("NFKC", "".join(ref.split())).replace("。", ".").lower()
        text = text.removeprefix("s-").removeprefix("#")
        if text in _ALIASES:
            return _ALIASES[text]
        ordinal = _ORDINAL_REF.match(text)
        if ordinal:
            numbers = [int(n) if n.isdigit() else to_int(n) for n in ordinal.groups() if n]
            return ".".join(str(n) for n in numbers) if all(numbers) else None
        if _DOTTED_REF.match(text):
            parts = re.split(r"[.\-_/]", text)
            return ".".join(str(int(p)) for p in parts) if all(int(p) > 0 for p in parts) else None
        match = _CHINESE_REF.match(text)
        if not match:
            return None
        values: list[int | None] = [to_int(match[1])]
        if match[2]:
            values.append(to_int(match[2]))
        if match[3]:
            values.append(int(match[3]) if match[3].isdigit() else to_int(match[3]))
        if any(v is None for v in values):
            return None
        return ".".join(str(v) for v in values)

    @cached_property
    def index(self) -> SearchIndex:
        """The search index over every sentence, built on first use."""
        from content.search import SearchIndex

        return SearchIndex.build(self.sentence_units())

    def sentence_units(self) -> list[tuple[str, str]]:
        """``(deepest node id, sentence)`` for every sentence, in speech order."""
        return [(node.id, sentence.strip()) for node in self.nodes() for paragraph in node.own_paragraphs()
                for sentence in split_sentences(paragraph) if sentence.strip()]

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        """Search the speech's sentences; each hit carries its node's label."""
        hits = self.index.search(query, limit)
        return [hit.model_copy(update={"label": self._by_id[hit.id].label}) for hit in hits]

    def related(self, query: str, limit: int = 5, besides: Iterable[str] = ()) -> list[Hit]:
        """The related tier: passages that answer the query in other words (``content.search.related``),
        one per node, none of the nodes in ``besides``. ``content.answer.Searcher`` fuses it with
        the precise and dense tiers into what the bot shows."""
        from content.search import related

        shown = set(besides)
        hits = [hit for hit in related(self.index, query, limit + len(shown)) if hit.id not in shown][:limit]
        return [hit.model_copy(update={"label": self._by_id[hit.id].label}) for hit in hits]
