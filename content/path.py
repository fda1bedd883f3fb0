"""The reading path behind Prev/Next: every node once, in document order, so no text is skipped.

A stop shows the node's own text (a part's heading and introduction, a section's heading and
lead before its points, a whole leaf); its children come next. A node read whole (``/show
4.2``) already showed its descendants, so its Next is the first node after them.
"""

from __future__ import annotations

from content.model import Node, Speech


def stop_text(node: Node) -> str:
    """What a stop on the path shows: the node's text without its children's."""
    return "\n".join(node.own_paragraphs()) if node.children else node.text


def neighbours(speech: Speech, node_id: str, whole: bool = False) -> tuple[str | None, str | None]:
    """The ids before and after ``node_id`` on the path (None at either end); with ``whole``,
    after the node's descendants too."""
    node, ids = speech.node(node_id), speech.ids
    index = ids.index(node.id)
    end = index + (sum(1 for _ in node.walk()) if whole else 1)  # pre-order: a subtree is contiguous
    return (ids[index - 1] if index else None, ids[end] if end < len(ids) else None)
