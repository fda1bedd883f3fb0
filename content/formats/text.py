"""``.txt``: the existing parser's format, one paragraph a line.

UTF-8 (BOM optional) as the parser reads it. Chinese Windows saves "plain text" as GB18030
(GBK) or, from Notepad's Unicode option, UTF-16 with a BOM: those are decoded too, with a note,
rather than refused; anything else is the parser's own "not valid UTF-8 text" at its line.
"""

from __future__ import annotations

import re

from content.formats.blocks import Block, DocumentError, Note, NoteCode
from content.parser import SpeechFormatError, parse_bytes

WHITESPACE = " \t\r\n\f\v\u3000\u00a0\ufeff\u200b\u2002\u2003"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_CJK = re.compile(r"[\u3400-\u9fff]")


def decode(data: bytes, source: str) -> tuple[str, list[Note]]:
    """The file's text and a note when it was not UTF-8."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), [Note(NoteCode.ENCODING, "read as UTF-16 text (not UTF-8)")]
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and _CJK.search(text) and not _CONTROL.search(text):
        return text, [Note(NoteCode.ENCODING, "read as GB18030 (GBK) text (not UTF-8)")]
    try:
        parse_bytes(data, source)
    except SpeechFormatError as exc:  # the parser's own words: not valid UTF-8 text, at its line
        raise DocumentError(source, exc.message, line=exc.line) from None
    raise AssertionError("unreachable: the bytes are not UTF-8")  # pragma: no cover


def read_text(data: bytes, source: str) -> tuple[list[Block], list[Note]]:
    """One block per non-empty line, numbered as the file's lines (errors read ``file:line``)."""
    text, notes = decode(data, source)
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = [Block(text=line.strip(WHITESPACE), where=f"line {number}", line=number)
              for number, line in enumerate(lines, start=1) if line.strip(WHITESPACE)]
    return blocks, notes
