"""The speech as one document to read from top to bottom: headings and paragraphs (the reader,
a Telegram Mini App, shows it so), and where any passage or match stands in it.

The document's text is the salutation and the top-level nodes' texts joined by newlines, so
every node's verbatim text is one contiguous stretch of it and a place in the speech is one
number: a character offset (``at``). Blocks cut it without losing or repeating a character: a
part's heading line is an h2; a section's (point's) heading sentence, the marker and title up
to its full stop, an h3 (h4) and the rest of its paragraph a paragraph. The preface and the
closing have no heading in the speech: theirs (前言, 结语) are the reader's own (``at`` -1); the
salutation (同志们：) is the preface's first paragraph, under 前言.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from content.model import Node, Speech

HEADING_TAGS = {"part": "h2", "section": "h3", "point": "h4", "preface": "h2", "closing": "h2"}
_FULL_STOPS = "。：:.；;"


@dataclass(frozen=True)
class Block:
    """A heading or paragraph: its node, tag (h2, h3, h4 or p), text, and first character in the
    document (-1 for a heading the speech does not write)."""

    node: str
    tag: str
    text: str
    at: int


@dataclass(frozen=True)
class Document:
    """The whole text, its blocks in order, and where each node's text starts and ends."""

    text: str
    blocks: tuple[Block, ...]
    starts: dict[str, int] = field(default_factory=dict)
    ends: dict[str, int] = field(default_factory=dict)

    def locate(self, node_id: str, passage: str) -> int | None:
        """Where ``passage`` (a sentence of the node, as a search hit carries it) starts in the
        document, or None if it is not the node's verbatim text."""
        start = self.starts.get(node_id)
        if start is None or not passage:
            return None
        found = self.text.find(passage, start, self.ends[node_id])
        return found if found >= 0 else None

    def block_at(self, at: int) -> Block | None:
        """The block that holds character ``at`` (the last one starting at or before it)."""
        best = None
        for block in self.blocks:
            if block.at < 0:
                continue
            if block.at > at:
                break
            best = block
        return best


def _heading_end(node: Node, paragraph: str) -> int:
    """Where the heading of a section or point ends in its first paragraph: after its title and
    the full stop that follows it; 0 when the title is not found at the start."""
    if not node.title:
        return 0
    found = paragraph.find(node.title)
    if found < 0 or found > 6:  # the marker (（一）, 一是, 一要) comes first, nothing else
        return 0
    end = found + len(node.title)
    while end < len(paragraph) and paragraph[end] in _FULL_STOPS:
        end += 1
    return end


def _blocks(node: Node, start: int) -> list[Block]:
    """The node's own blocks (its children's come from their own call); ``start``: where its text
    begins in the document."""
    tag = HEADING_TAGS[node.kind]
    blocks = [] if node.kind not in ("preface", "closing") else [Block(node.id, tag, node.label, -1)]
    cursor = 0
    for number, paragraph in enumerate(node.own_paragraphs()):
        where = node.text.find(paragraph, cursor)
        if where < 0:  # never for a parsed speech: own paragraphs are verbatim
            continue
        cursor = where + len(paragraph)
        at = start + where
        if number == 0 and node.kind == "part":
            blocks.append(Block(node.id, tag, paragraph, at))
            continue
        cut = _heading_end(node, paragraph) if number == 0 and node.kind in ("section", "point") else 0
        if cut:
            blocks.append(Block(node.id, tag, paragraph[:cut], at))
        if paragraph[cut:].strip():
            blocks.append(Block(node.id, "p", paragraph[cut:], at + cut))
    return blocks


_CACHE: dict[int, tuple[Speech, Document]] = {}


def document(speech: Speech) -> Document:
    """The speech as a document (built once per speech)."""
    cached = _CACHE.get(id(speech))
    if cached is not None and cached[0] is speech:
        return cached[1]
    pieces = ([speech.salutation] if speech.salutation else []) + [node.text for node in speech.top]
    whole = "\n".join(pieces)
    blocks: list[Block] = []
    first = speech.top[0].id if speech.top else "preface"
    salute = [Block(first, "p", speech.salutation, 0)] if speech.salutation else []
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    cursor = 0
    for node in speech.nodes():  # pre-order: each node starts at or after the one before
        at = whole.find(node.text, cursor)
        if at < 0:
            raise ValueError(f"node {node.id} is not verbatim in the speech")
        starts[node.id] = cursor = at
        ends[node.id] = at + len(node.text)
        own = _blocks(node, at)
        if salute and own and own[0].at < 0:  # 同志们： opens the preface, under its heading 前言
            own.insert(1, salute.pop())
        blocks += salute + own  # else before the first part, whose heading the speech writes
        salute = []
    result = Document(whole, tuple(blocks), starts, ends)
    if len(_CACHE) >= 8:
        _CACHE.clear()
    _CACHE[id(speech)] = (speech, result)
    return result
