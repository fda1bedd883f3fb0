"""Real files into the speech model: ``.txt``, ``.docx`` and ``.pdf``, with their metadata.

Each format is read into blocks (paragraphs or lines, with where they stand), normalised to the
``.txt`` conventions and parsed by the existing parser (``content.formats.assemble``), so the
same speech gives the same outline whatever file it came in. The result is an ``Imported``: the
``Speech``, its ``Metadata`` (title, speaker, date, occasion: the title block on top) and
``Note`` s on what was left out (tables, footnotes, page headers). A file that cannot be read
is one ``DocumentError`` (a ``SpeechFormatError``) naming the file and the place.

The format is the file's content where its first bytes tell (a PDF, a zip, an old .doc), else
its extension. python-docx and pdfplumber are imported by the reader that needs them.

Every import is held to ``content.formats.limits`` (a file too large or too costly to be a
speech is one ``LimitError``) and loses its control characters (``content.controls``, with a
note). The bot and the CLI import in a child process with a memory and a time limit
(``content.formats.isolated``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePath

from content.controls import count_controls, one_line, strip_controls
from content.formats import limits
from content.formats.assemble import build
from content.formats.blocks import Block, DocumentError, Imported, Metadata, Note, NoteCode
from content.formats.limits import LimitCode, LimitError, TooLarge
from content.parser import SpeechFormatError

__all__ = ["SUPPORTED", "Block", "DocumentError", "Imported", "LimitError", "Metadata", "Note", "UnsupportedType",
           "import_bytes", "import_file"]

SUPPORTED = (".docx", ".pdf", ".txt")


class UnsupportedType(DocumentError):
    """A file of a kind the import does not read (a ``.py``, an ``.odt``): the owner is told
    which kinds it reads rather than to fix the file."""


def _format(data: bytes, suffix: str, source: str) -> str:
    """``txt``, ``docx`` or ``pdf``: by content where it is unambiguous, else by extension."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and suffix in (".docx", ".doc", ".txt", ".pdf"):
        return "docx"
    if suffix == ".doc":
        return "docx"  # the reader says what an old .doc is
    if suffix not in SUPPORTED:
        shown = f"'{suffix}'" if suffix else "without an extension"
        raise UnsupportedType(source, f"unsupported file type {shown}: send a .docx, .pdf or .txt file")
    return suffix.removeprefix(".")


def _read(fmt: str, data: bytes, name: str) -> tuple[list[Block], list[Note]]:
    if fmt == "pdf":
        from content.formats.pdf import read_pdf

        return read_pdf(data, name)
    if fmt == "docx":
        from content.formats.word import read_docx

        return read_docx(data, name)
    from content.formats.text import read_text

    return read_text(data, name)


def _check(fmt: str, data: bytes) -> None:
    """The format's cheap checks before its reader builds anything large."""
    if fmt == "docx":
        limits.check_docx(data)
    elif fmt == "pdf":
        limits.check_pdf(data)


def _clean(blocks: list[Block]) -> tuple[list[Block], list[Note]]:
    """The blocks without control characters, and a note saying how many went."""
    removed = sum(count_controls(block.text) for block in blocks)
    if not removed:
        return blocks, []
    cleaned = [replace(block, text=strip_controls(block.text)) for block in blocks]
    return [block for block in cleaned if block.text.strip()], [
        Note(NoteCode.CONTROLS, f"{removed} control character(s) removed")]


def import_bytes(data: bytes, name: str) -> Imported:
    """Read a file's bytes (``name`` gives its extension and names it in messages)."""
    name = one_line(name) or "document"
    suffix = PurePath(name).suffix.lower()
    fmt = _format(data, suffix, name)
    if not data:
        raise DocumentError(name, "the file is empty", line=1 if fmt == "txt" else 0)
    notes: list[Note] = []
    if suffix in SUPPORTED and fmt != suffix.removeprefix("."):
        notes.append(Note(NoteCode.FORMAT, f"read as .{fmt}: the file's content is a {fmt.upper()} document, "
                                    f"though its name ends in {suffix}"))
    try:
        _check(fmt, data)
        blocks, found = _read(fmt, data, name)
        blocks, cleaned = _clean(blocks)
        limits.check_text(len(blocks), sum(len(block.text) for block in blocks))
        imported = build(blocks, name, fmt, [*notes, *found, *cleaned],
                         empty="the file is empty" if fmt == "txt" else "the document has no text")
        limits.check_sentences(len(imported.speech.sentence_units()))
    except TooLarge as exc:
        raise LimitError.of(name, exc) from None
    except MemoryError:
        raise LimitError(name, LimitCode.MEMORY, limit=limits.current().memory_mb) from None
    except SpeechFormatError:
        raise
    except Exception as exc:  # a damage no reader foresaw: still one line naming the file, not a traceback
        raise DocumentError(name, f"cannot be read as a .{fmt} file ({type(exc).__name__}: {exc})") from exc
    return replace(imported, format=fmt)


def import_file(path: str | Path) -> Imported:
    """Read a ``.txt``, ``.docx`` or ``.pdf`` file into the speech model."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    return import_bytes(data, str(path))
