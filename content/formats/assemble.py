"""From a reader's blocks to the ``.txt`` conventions, then through the existing parser.

Every format ends here, so a speech parses to the same outline whatever file it came in:
radicals that stand for ideographs become them (``content.formats.ideographs``); the title block
becomes metadata; a heading known only by its Word style (Heading 1/2/3)
gets the marker the ``.txt`` parser reads (一、 （一） 一是), numbered in order where the text
has none; everything else is left as the reader found it. An error the parser raises is
re-raised naming the block it came from (a paragraph, a page and line, or the file's line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from content.formats.blocks import Block, DocumentError, Imported, Note
from content.formats.ideographs import ideographs
from content.formats.titleblock import title_block
from content.model import Speech
from content.numerals import to_int, to_numeral
from content.parser import SpeechFormatError, parse_text

_NUM = "[一二三四五六七八九十]+"
_MARKER = re.compile(
    rf"^(?:第?(?P<a>{_NUM}|\d{{1,2}})(?:部分)?[、.．,，:：]|[（(](?P<b>{_NUM}|\d{{1,2}})[)）]|第(?P<c>{_NUM}|\d{{1,2}})[是要点条])\s*")
_POINT = re.compile(rf"^({_NUM})[是要]")
_PART_TEXT = re.compile(rf"^({_NUM})、")
_SECTION_TEXT = re.compile(rf"^[（(]({_NUM})[)）]")


def _marker(text: str) -> tuple[int | None, str]:
    """The value of a leading marker (一、 1. （二） 第三部分) and the text after it."""
    match = _MARKER.match(text)
    if not match:
        return None, text
    raw = match["a"] or match["b"] or match["c"]
    value = int(raw) if raw.isdigit() else to_int(raw)
    if value is None or not 1 <= value <= 99:
        return None, text
    return value, text[match.end():]


def apply_roles(blocks: Iterable[Block]) -> list[Block]:
    """Give every heading known by its style the marker of its role, numbered in order."""
    counts = [0, 0, 0]
    result = []
    for block in blocks:
        text = block.text.strip()
        if block.level not in (1, 2, 3):
            # Headings by their text keep the count, so a style heading after them continues it.
            if (part := _PART_TEXT.match(text)) and (value := to_int(part[1])):
                counts = [value, 0, 0]
            elif (section := _SECTION_TEXT.match(text)) and (value := to_int(section[1])):
                counts[1:] = [value, 0]
            result.append(block)
            continue
        value, rest = _marker(text)
        if block.level == 1:
            number = value or counts[0] + 1
            counts = [number, 0, 0]
            text = f"{to_numeral(number)}、{rest.rstrip('。！？；!?;')}"  # a heading is no sentence
        elif block.level == 2:
            number = value or counts[1] + 1
            counts[1:] = [number, 0]
            text = f"（{to_numeral(number)}）{rest}"
        elif not _POINT.match(text):
            number = value or counts[2] + 1
            counts[2] = number
            text = f"{to_numeral(number)}是{rest}"
        result.append(replace(block, text=text))
    return result


def _lines(blocks: Iterable[Block]) -> list[Block]:
    """One block per non-empty line (a paragraph with line breaks is several lines), radicals
    read as the ideographs they stand for."""
    result = []
    for block in blocks:
        for line in ideographs(block.text).split("\n"):
            if line.strip():
                result.append(replace(block, text=line.strip()))
    return result


def build(blocks: Sequence[Block], source: str, fmt: str, notes: Iterable[Note] = (),
          empty: str = "the document has no text") -> Imported:
    """Parse ``blocks`` as a speech: the title block as metadata, the rest through the parser."""
    lines = _lines(blocks)
    if not lines:
        raise DocumentError(source, empty, line=1 if fmt == "txt" else 0)
    metadata, used = title_block(lines)
    body = apply_roles(lines[used:])
    text = "\n".join(block.text for block in body)
    try:
        speech = parse_text(text, source=source)
    except SpeechFormatError as exc:
        block = body[exc.line - 1] if 1 <= exc.line <= len(body) else None
        raise locate(source, exc.message, block) from None
    if metadata.title:
        speech = Speech(title=metadata.title, salutation=speech.salutation, top=speech.top, source=source)
    else:
        metadata = replace(metadata, title=speech.title)
    return Imported(speech=speech, metadata=metadata, notes=tuple(notes), format=fmt, body=text)


def locate(source: str, message: str, block: Block | None) -> DocumentError:
    """An error at ``block``: ``file:line`` for a text file, else the paragraph or page and its first words."""
    if block is None:
        return DocumentError(source, message)
    if block.line:
        return DocumentError(source, message, line=block.line)
    return DocumentError(source, message, where=block.where, text=block.text)
