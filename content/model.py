"""The speech tree: pydantic models with stable ids, labels, titles and verbatim text.

Ids are dotted and stable across layout changes: ``preface``, ``1``, ``1.2``, ``4.2.3``,
``closing``. Labels are the speech's own notation: 一、 / 四（二） / 四（二）3 / 前言 / 结语.
``Node.text`` is the node's verbatim text as it stands in the speech (markers such as （一）
and 一是 included, paragraphs joined by a newline); ``title`` drops the markers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from content.numerals import NUMERAL_CHARS, to_int
from content.sentences import split_sentences

if TYPE_CHECKING:
    from content.search import Hit, SearchIndex

NodeKind = Literal["preface", "part", "section", "point", "closing"]

_ALIASES = {
    "preface": "preface", "前言": "preface", "开篇": "preface", "0": "preface",
    "closing": "closing", "结语": "closing", "结尾": "closing", "end": "closing",
}
_NUM = f"[{NUMERAL_CHARS}]+"
_CHINESE_REF = re.compile(rf"^({_NUM})、?(?:\(({_NUM})\)(\d+|{_NUM})?)?$")
_DOTTED_REF = re.compile(r"^\d{1,2}(?:[.\-_/]\d{1,2}){0,2}$")
_ORDINAL = rf"({_NUM}|\d{{1,2}})"
# 第四部分, 第四部分第二节, 第四部分第二节第三点 (or …第二节3, 第四部分（二）): spelled-out places
_ORDINAL_REF = re.compile(
    rf"^第{_ORDINAL}部分(?:(?:第{_ORDINAL}(?:小节|节)|\({_ORDINAL}\))(?:第?{_ORDINAL}[点条项]?)?)?$")


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

    def to_dict(self) -> dict[str, Any]:
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
        """Return the node for an id in any accepted notation, or raise UnknownNodeError."""
        node_id = self.canonical_id(ref)
        if node_id is None or node_id not in self._by_id:
            raise UnknownNodeError(ref, self.ids)
        return self._by_id[node_id]

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
        """Map 四（二）, 四(二)3, 4-2, 4.2, s-4-2, 前言 … to a dotted id; None if not an id."""
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
