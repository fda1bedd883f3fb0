"""Parse a sectioned speech from plain text into a ``Speech`` tree.

Forgiving about layout, strict about meaning. Layout that does not change the tree: a UTF-8
BOM, CRLF/CR line ends, ASCII or full-width indentation and trailing spaces, blank lines,
full-width （一） or ASCII (一) markers. Meaning that must hold, or the file is rejected with a
``SpeechFormatError`` naming the file and line: UTF-8 text, at least one part heading
(一、…), parts and subsections numbered in order from 一, no subsection before the first part.

Structure recognised:
- an optional title line (first line, no sentence punctuation, not a heading);
- an optional salutation (a short line ending in ： such as 同志们：);
- the preface: paragraphs before the first part;
- parts: a heading line ``一、…``, its introductory paragraphs, then subsections ``（一）…``
  (a paragraph that follows a subsection and has no marker continues that subsection);
- points inside a subsection: 一是…二是… or 一要…二要…, each starting a sentence;
- the closing: trailing paragraphs that open with the salutation (同志们，…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from content.model import Node, Speech
from content.numerals import NUMERAL_CHARS, to_int, to_numeral

DEFAULT_SPEECH: Traversable = files("content") / "data" / "speech.txt"
"""The speech that ships inside the package, so any install (a wheel, ``pip install .``, the
image) has it; ``seeds/speech.txt`` is the project's copy, kept equal by a test."""

_NUM = f"[{NUMERAL_CHARS}]+"
_PART = re.compile(rf"^({_NUM})、(.+)$")
_SECTION = re.compile(rf"^[（(]({_NUM})[）)](.+)$")
_SALUTATION = re.compile(r"^[^，。！？；,.!?;]{1,20}[：:]$")
_CLOSING_OPENERS = ("同志们", "各位")
_SENTENCE_END = "。！？；!?;"
_WHITESPACE = " \t\u3000\u00a0\ufeff\u200b\u2002\u2003"


class SpeechFormatError(ValueError):
    """A speech file that cannot be parsed; ``str()`` is one line: ``file:line: message``."""

    def __init__(self, source: str, line: int, message: str) -> None:
        super().__init__(f"{source}:{line}: {message}" if line else f"{source}: {message}")
        self.source = source
        self.line = line
        self.message = message


@dataclass
class _Paragraph:
    line: int
    text: str


@dataclass
class _Section:
    number: int
    line: int
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class _Part:
    number: int
    line: int
    heading: str
    intro: list[str] = field(default_factory=list)
    sections: list[_Section] = field(default_factory=list)


def load_speech(path: str | Path | None = None) -> Speech:
    """Load and parse a speech file; ``None`` loads the speech the package ships (``DEFAULT_SPEECH``)."""
    file: Traversable = Path(path) if path is not None else DEFAULT_SPEECH
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise SpeechFormatError(str(file), 0, f"cannot read file: {exc.strerror or exc}") from None
    return parse_bytes(raw, source=str(file))


def parse_bytes(raw: bytes, source: str = "<bytes>") -> Speech:
    """Decode UTF-8 (BOM optional) and parse; a decoding error names its line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpeechFormatError(source, line, "not valid UTF-8 text") from None
    return parse_text(text, source=source)


def _paragraphs(text: str) -> list[_Paragraph]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    result = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip(_WHITESPACE + "\n")
        if stripped:
            result.append(_Paragraph(number, stripped))
    return result


def _ends_sentence(text: str) -> bool:
    return text.rstrip("”」』\"'）)")[-1:] in _SENTENCE_END


def parse_text(text: str, source: str = "<string>") -> Speech:
    """Parse speech text into a ``Speech``; raise ``SpeechFormatError`` on bad structure."""
    paragraphs = _paragraphs(text.removeprefix("\ufeff"))
    if not paragraphs:
        raise SpeechFormatError(source, 1, "the file is empty")

    title = salutation = None
    index = 0
    first = paragraphs[0]
    if not _PART.match(first.text) and not _ends_sentence(first.text) and not _SALUTATION.match(
        first.text
    ) and len(paragraphs) > 1:
        title = first.text
        index = 1
    if index < len(paragraphs) and _SALUTATION.match(paragraphs[index].text):
        salutation = paragraphs[index].text
        index += 1

    preface: list[_Paragraph] = []
    parts: list[_Part] = []
    closing: list[_Paragraph] = []
    openers = _CLOSING_OPENERS + ((salutation.rstrip("：:"),) if salutation else ())

    for para in paragraphs[index:]:
        part_match = _PART.match(para.text)
        section_match = _SECTION.match(para.text)
        if closing:
            if part_match or section_match:
                raise SpeechFormatError(source, para.line, "heading after the closing paragraph")
            closing.append(para)
        elif part_match and not _ends_sentence(para.text):
            number = to_int(part_match[1])
            expected = len(parts) + 1
            if number != expected:
                raise SpeechFormatError(
                    source, para.line, f"part {part_match[1]}、 out of order (expected {to_numeral(expected)}、)"
                )
            parts.append(_Part(expected, para.line, part_match[2].strip()))
        elif section_match:
            if not parts:
                raise SpeechFormatError(source, para.line, "subsection （…） before the first part 一、")
            part = parts[-1]
            number = to_int(section_match[1])
            expected = len(part.sections) + 1
            if number != expected:
                raise SpeechFormatError(
                    source,
                    para.line,
                    f"subsection （{section_match[1]}） out of order (expected （{to_numeral(expected)}）)",
                )
            part.sections.append(_Section(expected, para.line, [para.text]))
        elif not parts:
            preface.append(para)
        elif parts[-1].sections and para.text.startswith(openers):
            closing.append(para)
        elif parts[-1].sections:
            parts[-1].sections[-1].paragraphs.append(para.text)
        else:
            parts[-1].intro.append(para.text)

    if not parts:
        raise SpeechFormatError(source, paragraphs[0].line, "no recognisable structure: no part heading such as 一、…")

    top: list[Node] = []
    if preface:
        top.append(
            Node(id="preface", kind="preface", label="前言", title=None,
                 text="\n".join(p.text for p in preface), line=preface[0].line)
        )
    top.extend(_build_part(part) for part in parts)
    if closing:
        top.append(
            Node(id="closing", kind="closing", label="结语", title=None,
                 text="\n".join(p.text for p in closing), line=closing[0].line)
        )
    return Speech(title=title, salutation=salutation, top=tuple(top), source=source)


def _first_sentence(text: str) -> str:
    match = re.search(f"[{_SENTENCE_END}]", text)
    head = text[: match.start()] if match else text
    return head.strip()


def _build_part(part: _Part) -> Node:
    numeral = to_numeral(part.number)
    children = tuple(_build_section(part, section) for section in part.sections)
    heading = f"{numeral}、{part.heading}"
    text = "\n".join([heading, *part.intro, *(child.text for child in children)])
    return Node(
        id=str(part.number), kind="part", label=f"{numeral}、", title=part.heading, text=text,
        children=children, intro=tuple(part.intro), line=part.line,
    )


def _build_section(part: _Part, section: _Section) -> Node:
    node_id = f"{part.number}.{section.number}"
    label = f"{to_numeral(part.number)}（{to_numeral(section.number)}）"
    text = "\n".join(section.paragraphs)
    marker = _SECTION.match(section.paragraphs[0])
    assert marker is not None
    title = _first_sentence(marker[2])
    points = tuple(
        Node(id=f"{node_id}.{i}", kind="point", label=f"{label}{i}", title=point_title,
             text=point_text, line=section.line)
        for i, (point_title, point_text) in enumerate(find_points(text), start=1)
    )
    return Node(id=node_id, kind="section", label=label, title=title, text=text, children=points,
                line=section.line)


def find_points(text: str) -> list[tuple[str, str]]:
    """Find enumerated points (一是…二是… or 一要…二要…) at sentence starts.

    Returns ``(title, text)`` pairs; the last point runs to the end of ``text``. Fewer than
    two consecutive markers are not an enumeration and give an empty list.
    """
    for verb in "是要":
        starts: list[int] = []
        position = 0
        for number in range(1, 100):
            marker = to_numeral(number) + verb
            found = -1
            search_from = position
            while True:
                candidate = text.find(marker, search_from)
                if candidate < 0:
                    break
                if candidate == 0 or text[candidate - 1] in _SENTENCE_END + "：:\n":
                    found = candidate
                    break
                search_from = candidate + 1
            if found < 0:
                break
            starts.append(found)
            position = found + len(marker)
        if len(starts) >= 2:
            ends = [*starts[1:], len(text)]
            return [
                (_first_sentence(text[s + 2 : e]), text[s:e]) for s, e in zip(starts, ends, strict=True)
            ]
    return []
