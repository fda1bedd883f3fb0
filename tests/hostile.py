"""Small files that cost an importer minutes and gigabytes, built at any size.

The tests build them small (just past a limit); ``benchmarks/hostile.py`` builds them at the
size issue 24 measured. Every builder streams what it writes, so even the full-size ones are
made in seconds without holding their unpacked size in memory.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/numbering.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    "</Types>")
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>')
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'numbering" Target="numbering.xml"/></Relationships>')
_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
_TAIL = "</w:body></w:document>"


def _docx(body: Iterable[str], numbering: str | None = None) -> bytes:
    """A minimal Word package whose document.xml body is ``body``, written as a stream."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        if numbering is not None:
            archive.writestr("word/_rels/document.xml.rels", _DOCUMENT_RELS)
            archive.writestr("word/numbering.xml", numbering)
        with archive.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(_HEAD.encode())
            chunk: list[str] = []
            for piece in body:
                chunk.append(piece)
                if len(chunk) >= 4096:
                    stream.write("".join(chunk).encode())
                    chunk.clear()
            stream.write(("".join(chunk) + _TAIL).encode())
    return out.getvalue()


def speech_paragraphs() -> Iterator[str]:
    """A speech's few paragraphs (so the file would import but for what else it holds)."""
    for text in ("同志们：", "一、第一部分", "正文。"):
        yield f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _empty(count: int) -> Iterator[str]:
    yield from speech_paragraphs()
    for _ in range(count):
        yield "<w:p/>"


def empty_paragraphs_docx(unpacked: int) -> bytes:
    """A .docx whose document.xml is ``unpacked`` bytes of empty paragraphs after a short speech."""
    count = max(1, (unpacked - len(_HEAD) - len(_TAIL)) // len("<w:p/>"))
    return _docx(_empty(count))


def markup_docx(paragraphs: int, runs: int = 3, properties: int = 12) -> bytes:
    """A .docx of ``paragraphs`` paragraphs of ``runs`` one-letter runs, each run carrying
    ``properties`` formatting properties: megabytes of XML for a few characters."""
    props = "".join(f'<w:color w:val="FF00{i % 100:02d}"/>' for i in range(properties))
    paragraph = "<w:p>" + f"<w:r><w:rPr>{props}</w:rPr><w:t>廉</w:t></w:r>" * runs + "</w:p>"
    return _docx(iter([*speech_paragraphs(), *([paragraph] * paragraphs)]))


def roman_numbering_docx(paragraphs: int, placeholders: int, start: int = 32767) -> bytes:
    """A .docx whose every paragraph is numbered with a label of ``placeholders`` counters in
    upper-case Roman numerals, starting at ``start`` (32767 is 39 letters): one label of
    ``placeholders`` × 39 characters a paragraph."""
    numbering = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W}">'
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0">'
        f'<w:start w:val="{start}"/><w:numFmt w:val="upperRoman"/>'
        f'<w:lvlText w:val="{"%1" * placeholders}"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
        "</w:numbering>")
    numbered = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
                "<w:r><w:t>正文。</w:t></w:r></w:p>")
    return _docx(iter([*speech_paragraphs(), *([numbered] * paragraphs)]), numbering)


# --- PDF -----------------------------------------------------------------------------------

def _pdf(pages: list[bytes | Iterable[bytes]], compress: bool = True) -> bytes:
    """A PDF of one content stream a page (Helvetica), with a correct cross-reference table.
    A page given as chunks is deflated as a stream (the 1 GB one is never held)."""
    objects: list[bytes] = []
    count = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for index, content in enumerate(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {5 + 2 * index} 0 R >>".encode())
        chunks = [content] if isinstance(content, bytes) else content
        if compress:
            deflater = zlib.compressobj(9)
            data = b"".join(deflater.compress(chunk) for chunk in chunks) + deflater.flush()
            objects.append(f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data
                           + b"\nendstream")
        else:
            data = b"".join(chunks)
            objects.append(f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _text_page(lines: Iterable[str]) -> bytes:
    body = [b"BT /F1 9 Tf 11 TL 40 800 Td"]
    body += [f"({line}) '".encode("latin-1") for line in lines]
    body.append(b"ET")
    return b"\n".join(body)


def operators_pdf(operators: int) -> bytes:
    """One page drawing ``operators`` one-letter strings (each its own text operator)."""
    def chunks() -> Iterator[bytes]:
        yield b"BT /F1 1 Tf 40 800 Td\n"
        step = 100_000
        for done in range(0, operators, step):
            yield b"(a) Tj\n" * min(step, operators - done)
        yield b"ET\n"
    return _pdf([chunks()])


FULL_LINE = "Integrity is the root of conduct and caution the guard of every public office, each day. "
"""One line of a full page: 90 characters."""


def full_pages_pdf(pages: int, lines: int = 70) -> bytes:
    """``pages`` pages each filled with ``lines`` lines of text (6,300 characters a page)."""
    page = _text_page([FULL_LINE] * lines)
    return _pdf([page] * pages)


def inflating_pdf(inflated: int) -> bytes:
    """One page whose content stream inflates to ``inflated`` bytes (spaces: nothing drawn)."""
    def chunks() -> Iterator[bytes]:
        block = b" " * (1 << 20)
        left = inflated
        while left > 0:
            yield block[:min(left, len(block))]
            left -= len(block)
    return _pdf([chunks()])


# --- .txt ----------------------------------------------------------------------------------

def periods_txt(size: int) -> bytes:
    """``size`` bytes of 「。」 after a speech's first lines: a million one-character sentences."""
    head = "同志们：\n一、第一部分\n".encode()
    return head + "。".encode() * ((size - len(head)) // 3)


def control_txt() -> bytes:
    """A speech holding a NUL, an ESC sequence and other control characters."""
    return ("同志们：\n一、第一\x00部分\n正文\x1b[31m红色\x1b[0m。\x07\n（一）小节。\x7f正文\x9b2J。\n").encode()
