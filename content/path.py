"""The reading order behind Prev/Next, defined once here.

A node is always shown whole under its own header: 【四（二）】 is the whole of 四（二）, points
included, whether it is reached by /show, by 📄 阅读全文, by the outline or by Next. Prev and Next
walk the nodes of one *level* (the depth of the node a member started reading: 1 for the
preface, the parts and the closing, 2 for sections, 3 for points), in document order:

* level 1: 前言, 第一部分, 第二部分, … , 结语 (each part whole);
* level 2: 前言, 一（一）, 一（二）, … , 四（三）, 结语 (each section whole);
* level 3: … 四（一）, 四（二）1, … 四（二）6, 四（三）1 … (a section without points whole).

A node shallower than the level and without children (the preface, the closing, a section
without points) stands in it whole; one with children stands in it by its *introduction* (its
own text without its children's, under its own header 【第三部分 导语】) when that holds more
than its heading, and not at all when it is only a heading (the next header names the place,
and a page holding only a heading is no reading). So every level reads the whole text once,
nothing skipped and nothing twice (a heading-only line aside), and Next then Prev comes back to
where it started, on every level: a level is one list, and Prev and Next are its neighbours.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from content.model import Node, Speech, split_scope

MAX_LEVEL = 9
"""The deepest level a button may name (ids are at most three deep; more is forged)."""


@dataclass(frozen=True)
class Stop:
    """One page on a level's path: a node whole, or (``intro``) its introduction."""

    id: str
    intro: bool = False


def depth(node_id: str) -> int:
    """A node's level: 1 for 前言, 结语 and the parts, 2 for sections, 3 for points."""
    return split_scope(node_id)[1].count(".") + 1


def introduction(node: Node) -> str:
    """A node's own text without its children's (a part's heading and introduction, a section's
    heading and lead before its points); empty for a leaf."""
    return "\n".join(node.own_paragraphs()) if node.children else ""


def has_introduction(node: Node) -> bool:
    """Does a node with children say more of its own than its heading (part 三's two paragraphs,
    四（二）'s lead sentence), so that its introduction is worth a page?"""
    own = introduction(node)
    if not own:
        return False
    rest = own.split(node.title, 1)[1] if node.title and node.title in own else own.partition("\n")[2]
    return any(unicodedata.category(char)[0] in "LN" for char in rest)


def stops(speech: Speech, level: int) -> list[Stop]:
    """The path of ``level`` (see the module's docstring), in document order."""
    found: list[Stop] = []
    for node in speech.nodes():
        at = depth(node.id)
        if at == level or (at < level and not node.children):
            found.append(Stop(node.id))
        elif at < level and has_introduction(node):
            found.append(Stop(node.id, intro=True))
    return found


def level_of(speech: Speech, node_id: str, level: int = 0) -> int:
    """The level a node is read on: ``level`` when the node stands on that path, else (0, or
    a forged level) the node's own."""
    node = speech.node(node_id)
    if 0 < level <= MAX_LEVEL and any(stop.id == node.id for stop in stops(speech, level)):
        return level
    return depth(node.id)


def is_intro(speech: Speech, node_id: str, level: int = 0) -> bool:
    """Does ``node_id`` stand on the path of ``level`` by its introduction (not whole)?"""
    node = speech.node(node_id)
    return depth(node.id) < level_of(speech, node.id, level) and bool(node.children)


def neighbours(speech: Speech, node_id: str, level: int = 0) -> tuple[Stop | None, Stop | None]:
    """The stops before and after ``node_id`` on the path of ``level`` (``level_of``); None at
    either end."""
    node = speech.node(node_id)
    path = stops(speech, level_of(speech, node.id, level))
    index = next(i for i, stop in enumerate(path) if stop.id == node.id)
    return (path[index - 1] if index else None, path[index + 1] if index + 1 < len(path) else None)
