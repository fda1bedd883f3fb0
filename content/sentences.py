"""Sentence splitting that keeps quoted passages whole.

A sentence ends after 。！？； (or their ASCII forms) outside quotation marks, or after a
closing quotation mark that directly follows such a terminator (…自觉。” ends there).
The speech nests “ inside “…” without switching to ‘’, so quotes are tracked by depth,
not by pairing characters. A paragraph whose quotes never close is split again as if it had
no quotes, so one stray “ cannot swallow a whole paragraph. Newlines end a sentence and stay
attached to it, so ``"".join(split_sentences(text)) == text`` always holds.
"""

from __future__ import annotations

TERMINATORS = frozenset("。！？；!?;")
OPENING = frozenset("“「『")
CLOSING = frozenset("”」』")


def _split_paragraph(paragraph: str, track_quotes: bool) -> tuple[list[str], int]:
    sentences: list[str] = []
    start = 0
    depth = 0
    for i, ch in enumerate(paragraph):
        if track_quotes and ch in OPENING:
            depth += 1
        elif track_quotes and ch in CLOSING:
            if depth > 0:
                depth -= 1
            if depth == 0 and i > 0 and paragraph[i - 1] in TERMINATORS:
                sentences.append(paragraph[start : i + 1])
                start = i + 1
        elif ch in TERMINATORS and depth == 0:
            # Keep a following closing quote with this sentence (handled above).
            if i + 1 < len(paragraph) and paragraph[i + 1] in CLOSING:
                continue
            sentences.append(paragraph[start : i + 1])
            start = i + 1
    if start < len(paragraph):
        sentences.append(paragraph[start:])
    return sentences, depth


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences whose concatenation is ``text`` exactly."""
    result: list[str] = []
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        parts, depth = _split_paragraph(body, track_quotes=True)
        if depth != 0:
            parts, _ = _split_paragraph(body, track_quotes=False)
        if line.endswith("\n"):
            if parts:
                parts[-1] += "\n"
            else:
                parts = ["\n"]
        result.extend(parts)
    return result


def gist(sentence: str, limit: int = 24) -> str:
    """The opening words of ``sentence``: whole if it is short, else cut after a clause (never on
    a dangling comma) or at ``limit`` characters, with …… where it was cut. What stands for the
    title of a node that has none (the preface, the closing) in the bot and the CLI alike."""
    sentence = sentence.strip()
    if len(sentence) <= limit:
        return sentence
    head = sentence[: limit + 1]
    cut = max(head.rfind(mark) for mark in "，、；：,;:")
    return (head[:cut] if cut >= limit // 2 else sentence[:limit].rstrip("，、；：,;:")) + "……"
