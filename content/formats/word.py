"""``.docx``: Word documents as they reach a study group's secretary.

Read with python-docx for the package and its parts, but the paragraphs' text is read from the
XML directly: python-docx's ``Paragraph.text`` skips runs inside tracked insertions
(``w:ins``), content controls (``w:sdt``), smart tags and simple fields, all common in
documents passed around an office. What is read:

- every body paragraph in order (also inside content controls), numbered from 1 for messages;
  line breaks inside a paragraph split it into lines; hidden text, deleted text, field codes and
  text boxes are not part of the text;
- the heading role from the paragraph's outline level or its style (Heading 1/2/3, 标题 1/2/3,
  also through ``basedOn``): part, section, point; a single Heading 1 on top of a document whose
  parts are Heading 2 is the title;
- Word's automatic numbering (``content.formats.numbering``), put in front of the text;
- centred paragraphs and the Title style, for the title block on top.

Left out with a note: tables, footnotes and endnotes (their reference marks are not in the text),
text boxes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from content.formats.blocks import Block, DocumentError, Note, NoteCode
from content.formats.numbering import Element, Numbering, number, val, w

if TYPE_CHECKING:
    from docx.document import Document

MAX_UNPACKED = 200 * 1024 * 1024
"""A .docx unpacks every part into memory: more than this is not a speech (or a zip bomb)."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .doc, and encrypted .docx files
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_SKIP = frozenset({w("del"), w("moveFrom"), w("txbxContent"), w("pPr"), w("rPr"), w("instrText"), w("delText"),
                   w("drawing"), w("pict"), w("object"), w("sdtPr"), w("fldData"), f"{{{_MC}}}AlternateContent"})
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_MARKED = re.compile(r"^\s*(?:第?[一二三四五六七八九十\d]+[、.．部章]|[（(][一二三四五六七八九十\d]+[）)])")
_PART_TEXT = re.compile(r"^[一二三四五六七八九十]+、.*[^。！？；!?;]$")
_TITLE_NAMES = frozenset({"title", "subtitle", "标题", "副标题"})


def _on(element: Element | None) -> bool:
    """A Word toggle property (``<w:vanish/>``, ``w:val="0"`` for off)."""
    return element is not None and val(element, "true") not in ("0", "false", "off")


def paragraph_text(paragraph: Element) -> str:
    """The text Word shows for a ``w:p``: runs anywhere inside it, tabs as spaces, breaks as newlines."""
    out: list[str] = []
    _collect(paragraph, out)
    return "".join(out)


def _collect(element: Element, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == w("r"):
            properties = child.find(w("rPr"))
            if properties is None or not _on(properties.find(w("vanish"))):
                _collect(child, out)
        elif tag == w("t"):
            out.append(child.text or "")
        elif tag in (w("tab"), w("ptab")):
            out.append(" ")
        elif tag in (w("br"), w("cr")):
            out.append("\n")
        elif tag == w("noBreakHyphen"):
            out.append("-")
        else:  # hyperlinks, tracked insertions, content controls, smart tags, fields
            _collect(child, out)


def _walk(container: Element) -> Iterator[Element]:
    """Body-level paragraphs and tables in order, looking inside content controls."""
    for child in container:
        if child.tag in (w("p"), w("tbl")):
            yield child
        elif child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from _walk(content)
        elif child.tag == w("customXml"):
            yield from _walk(child)


def _open(data: bytes, source: str) -> Document:
    """The python-docx document, or one clear error for a file that is not a readable .docx."""
    if data.startswith(_OLE):
        raise DocumentError(source, "an old Word .doc file (or a password-protected one): save it as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if sum(info.file_size for info in infos) > MAX_UNPACKED:
                raise DocumentError(source, "too large when unpacked to be a speech")
            if "[Content_Types].xml" not in names:
                raise DocumentError(source, "not a Word document: the zip archive has no [Content_Types].xml")
            broken = _broken_part(archive, names)
    except zipfile.BadZipFile:
        raise DocumentError(source, "not a Word .docx file (it is not a zip archive)") from None
    if broken:
        raise DocumentError(source, f"damaged: {broken}")
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:  # python-docx: the main part is not a word-processing document
        raise DocumentError(source, f"not a Word document: {exc}") from None
    except Exception as exc:  # a package python-docx cannot load: one line, not a traceback
        raise DocumentError(source, f"cannot be read as a Word document: {type(exc).__name__}: {exc}") from None


def _broken_part(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The first XML part that is not well-formed, said as the parser says it."""
    from lxml import etree

    for name in sorted(names):
        if name.endswith((".xml", ".rels")):
            try:
                etree.fromstring(archive.read(name), etree.XMLParser(resolve_entities=False, no_network=True))
            except etree.XMLSyntaxError as exc:
                return f"{name} is not well-formed XML ({exc.msg})"
            except Exception as exc:  # a CRC error, a bad compression (zlib.error), a truncated entry
                return f"{name} cannot be unpacked ({exc})"
    return None


@dataclass
class _Styles:
    by_id: dict[str | None, Element]  # None: a style without an id
    default: Element | None

    def chain(self, style_id: str | None) -> list[Element]:
        """The paragraph's style and the styles it is based on (the default style without one)."""
        result: list[Element] = []
        style = self.by_id.get(style_id or "") if style_id else self.default
        while style is not None and len(result) < 12 and style not in result:
            result.append(style)
            style = self.by_id.get(val(style.find(w("basedOn")), "") or "")
        return result


def _styles(document: Document) -> _Styles:
    by_id: dict[str | None, Element] = {}
    default = None
    for style in document.styles.element.findall(w("style")):
        by_id[style.get(w("styleId"))] = style
        if style.get(w("type")) == "paragraph" and _on_attr(style.get(w("default"))):
            default = style
    return _Styles(by_id, default)


def _on_attr(value: str | None) -> bool:
    return value in ("1", "true", "on")


def _properties(paragraph: Element, chain: list[Element]) -> list[Element]:
    """The paragraph's own properties first, then its styles' (the first that says something wins)."""
    own = paragraph.find(w("pPr"))
    return [p for p in [own, *(style.find(w("pPr")) for style in chain)] if p is not None]


def _level(properties: list[Element], chain: list[Element]) -> int | None:
    for props in properties:
        outline = props.find(w("outlineLvl"))
        if outline is not None:
            value = number(val(outline), 9)
            return value + 1 if value < 9 else None
    for style in chain:
        match = _HEADING_NAME.match((val(style.find(w("name")), "") or "").strip())
        if match:
            return int(match[1])
    return None


def _numbered(properties: list[Element]) -> tuple[str, int] | None:
    num_id = ilvl = None
    for props in properties:
        num = props.find(w("numPr"))
        if num is None:
            continue
        num_id = num_id if num_id is not None else val(num.find(w("numId")))
        ilvl = ilvl if ilvl is not None else val(num.find(w("ilvl")))
    if num_id is None or num_id == "0":
        return None
    return num_id, number(ilvl, 0)


def _centred(properties: list[Element]) -> bool:
    for props in properties:
        jc = props.find(w("jc"))
        if jc is not None:
            return val(jc) in ("center", "centre")
    return False


def _numbering_element(document: Document) -> Element | None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import XmlPart

    try:
        part = document.part.part_related_by(RT.NUMBERING)
    except (KeyError, AttributeError):
        return None
    if not isinstance(part, XmlPart):  # a numbering part python-docx did not parse as XML
        return None
    element: Element = part.element
    return element


def read_docx(data: bytes, source: str) -> tuple[list[Block], list[Note]]:
    """The document's paragraphs as blocks (with heading roles and numbering) and notes on what was left out."""
    document = _open(data, source)
    styles = _styles(document)
    numbering = Numbering(_numbering_element(document), styles.by_id)
    body = document.element.body
    if body is None:
        raise DocumentError(source, "damaged: the document has no body (w:body)")
    blocks: list[Block] = []
    tables: list[str] = []
    number = 0
    for element in _walk(body):
        if element.tag == w("tbl"):
            tables.append(f"after paragraph {number}" if number else "before the first paragraph")
            continue
        number += 1
        own = element.find(w("pPr"))
        chain = styles.chain(val(own.find(w("pStyle"))) if own is not None else None)
        properties = _properties(element, chain)
        text = paragraph_text(element)
        numbered = _numbered(properties)
        marker = numbering.marker(*numbered) if numbered else None
        if not text.strip():
            continue
        names = {(val(style.find(w("name")), "") or "").strip().lower() for style in chain}
        blocks.append(Block(
            text=marker + text.lstrip(" \u3000\t") if marker else text,
            where=f"paragraph {number}",
            level=_level(properties, chain),
            centred=_centred(properties),
            title_style=bool(names & _TITLE_NAMES),
        ))
    return _title_heading(blocks), _notes(body, tables)


def _title_heading(blocks: list[Block]) -> list[Block]:
    """A single Heading 1 on top, without a marker, is the title when the parts are elsewhere:
    marked in their text (一、…), or in Heading 2 (then every level moves up one). One Heading 1
    with a marker is a speech of one part."""
    ones = [i for i, block in enumerate(blocks) if block.level == 1]
    if ones != [0] or _MARKED.match(blocks[0].text):
        return blocks
    title = replace(blocks[0], level=None, title_style=True)
    if any(_PART_TEXT.match(block.text) for block in blocks[1:]):
        return [title, *blocks[1:]]
    if sum(block.level == 2 for block in blocks) >= 2:
        return [title, *(replace(block, level=block.level - 1 if block.level else None) for block in blocks[1:])]
    return blocks


def _notes(body: Element, tables: list[str]) -> list[Note]:
    notes = []
    if tables:
        notes.append(Note(NoteCode.TABLES, f"{len(tables)} table(s) left out ({', '.join(tables)})"))
    for tag, what, code in (("footnoteReference", "footnote", NoteCode.FOOTNOTES),
                            ("endnoteReference", "endnote", NoteCode.ENDNOTES)):
        count = sum(1 for _ in body.iter(w(tag)))
        if count:
            notes.append(Note(code, f"{count} {what}(s) left out"))
    boxes = [box for box in body.iter(w("txbxContent"))
             if not any(a.tag == f"{{{_MC}}}Fallback" for a in box.iterancestors()) and paragraph_text(box).strip()]
    if boxes:
        notes.append(Note(NoteCode.TEXT_BOXES, f"{len(boxes)} text box(es) left out"))
    return notes
