"""An uploaded text's preview for its owner: the metadata the import found, the outline with its
point counts and what was left out, in one message, so a wrong heading or a lost title shows
before anyone reads the text.

A long text's outline is made to fit Telegram's 4096 characters: first every section with its
points, else the parts alone with their counts, else as many lines as fit and how many more.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from content.formats.blocks import Note, NoteCode
from content.formats.limits import LimitCode, LimitError, size
from content.library import TextInfo, TextStatus
from content.model import Node, Speech
from content.parser import SpeechFormatError
from handlers import callbacks as cb
from handlers.catalog import Html, Lang, tr
from handlers.render import Screen, button, shorten, utf16_len

LIMIT = 3900
"""The preview's budget in UTF-16 units, markup included: Telegram's 4096 counts the text only,
so a little stays spare."""
NOTED = 10
"""Places of left-out tables a note names: the first ten tell where to look."""
HEADING = 24
"""Characters of a heading in the outline: enough to recognise it, one line on a phone."""


def _points(node: Node) -> int:
    return sum(1 for child in node.children if child.kind == "point")


def _part_line(lang: Lang, part: Node, counts: bool) -> Html:
    title = shorten(part.title or "", HEADING)
    if not counts:
        return tr(lang, "upload_part", label=part.label, title=title)
    points = sum(_points(section) for section in part.children)
    return tr(lang, "upload_part_counts", label=part.label, title=title, sections=len(part.children),
                points=points)


def _section_line(lang: Lang, part: Node, section: Node) -> Html:
    """``（一）title (3 points)`` under its part: the part's numeral is on the line above."""
    label = section.label.removeprefix(part.label.rstrip("、")) or section.label
    title = shorten(section.title or "", HEADING)
    points = _points(section)
    if points:
        return tr(lang, "upload_section_points", label=label, title=title, points=points)
    return tr(lang, "upload_section", label=label, title=title)


def _outline(lang: Lang, speech: Speech, sections: bool) -> list[Html]:
    lines: list[Html] = []
    for node in speech.top:
        if node.kind != "part":  # the preface and the closing: their label says all
            lines.append(tr(lang, "upload_other", label=node.label))
            continue
        lines.append(_part_line(lang, node, counts=not sections))
        if sections:
            lines += [_section_line(lang, node, section) for section in node.children]
    return lines


def _fit(lang: Lang, lines: list[Html], budget: int) -> str | None:
    """The lines joined if they fit ``budget``; None if they do not."""
    joined = "\n".join(lines)
    return joined if utf16_len(joined) <= budget else None


def outline(lang: Lang, speech: Speech, budget: int = LIMIT) -> Html:
    """The outline head (how many parts, sections, points) and its lines within ``budget``."""
    nodes = list(speech.nodes())
    head = tr(lang, "upload_outline", parts=sum(n.kind == "part" for n in nodes),
                sections=sum(n.kind == "section" for n in nodes), points=sum(n.kind == "point" for n in nodes))
    budget -= utf16_len(head) + 1
    body = _fit(lang, _outline(lang, speech, sections=True), budget)
    if body is None:
        body = _fit(lang, _outline(lang, speech, sections=False), budget)
    if body is None:  # hundreds of parts: as many as fit, and how many more
        lines = _outline(lang, speech, sections=False)
        kept: list[str] = []
        used = 0
        for index, line in enumerate(lines):
            more = tr(lang, "upload_outline_more", count=len(lines) - index - 1)
            if used + utf16_len(line) + 1 + utf16_len(more) + 1 > budget:
                kept.append(tr(lang, "upload_outline_more", count=len(lines) - index))
                break
            kept.append(line)
            used += utf16_len(line) + 1
        body = "\n".join(kept)
    return Html(f"{head}\n{body}" if body else head)


_COUNT = re.compile(r"^(\d+)\b")
_PARAGRAPHS = re.compile(r"paragraph (\d+)")


def note_line(lang: Lang, note: Note) -> Html:
    """One note in the owner's language: the import's codes have their own wording (with the
    count and, for tables, where they stood); an unknown code shows the importer's English."""
    found = _COUNT.match(note.message)
    count = int(found[1]) if found else None
    if note.code == NoteCode.TABLES and count is not None:
        paragraphs = _PARAGRAPHS.findall(note.message)
        shown = ("、" if lang == "zh" else ", ").join(paragraphs[:NOTED] + (["…"] if len(paragraphs) > NOTED else []))
        if shown:
            return tr(lang, "upload_note_tables", count=count, paragraphs=shown)
    if note.code in (NoteCode.FOOTNOTES, NoteCode.ENDNOTES) and count is not None:
        return tr(lang, "upload_note_footnotes" if note.code == NoteCode.FOOTNOTES else "upload_note_endnotes",
                    count=count)
    if note.code == NoteCode.TEXT_BOXES and count is not None:
        return tr(lang, "upload_note_text_boxes", count=count)
    if note.code == NoteCode.PAGE_FURNITURE and count is not None:
        return tr(lang, "upload_note_page_furniture", count=count)
    if note.code == NoteCode.ENCODING and (encoding := re.match(r"read as (.+?) text", note.message)):
        return tr(lang, "upload_note_encoding", encoding=encoding[1])
    if note.code == NoteCode.FORMAT and (kind := re.match(r"read as \.(\w+): .* ends in (\S+)$", note.message)):
        return tr(lang, "upload_note_format", kind=kind[1], suffix=kind[2])
    if note.code == NoteCode.CONTROLS and count is not None:
        return tr(lang, "upload_note_controls", count=count)
    return tr(lang, "upload_note", detail=shorten(note.message, 200))


_PLACE = re.compile(r"^(?:paragraph (?P<paragraph>\d+)|page (?P<page>\d+), line (?P<line>\d+)|line (?P<row>\d+))"
                    r"(?P<excerpt>.*)$", re.DOTALL)


def _place(lang: Lang, error: SpeechFormatError) -> Html:
    """Where the error is: the file and its line (.txt), paragraph (Word) or page and line (PDF)."""
    source = error.source
    where = getattr(error, "where", None)
    found = _PLACE.match(where) if where else None
    if error.line:
        return tr(lang, "import_place_line", source=source, line=error.line)
    if found and found["paragraph"]:
        return tr(lang, "import_place_paragraph", source=source, number=found["paragraph"],
                    excerpt=found["excerpt"])
    if found and found["page"]:
        return tr(lang, "import_place_page", source=source, page=found["page"], line=found["line"],
                    excerpt=found["excerpt"])
    if found and found["row"]:
        return tr(lang, "import_place_line", source=source, line=found["row"])
    if where:
        return tr(lang, "import_place_other", source=source, where=where)
    return tr(lang, "import_place_file", source=source)


def _reason(lang: Lang, message: str) -> Html:
    """What is wrong, in the owner's language: each message the importer and the parser write has
    its own wording; one they may add later shows the importer's English."""
    if found := re.fullmatch(r"part (\S+)、 out of order \(expected (\S+)、\)", message):
        return tr(lang, "import_reason_part_order", found=found[1], expected=found[2])
    if found := re.fullmatch(r"subsection （(\S+)） out of order \(expected （(\S+)）\)", message):
        return tr(lang, "import_reason_section_order", found=found[1], expected=found[2])
    if message.startswith("subsection （…） before the first part"):
        return tr(lang, "import_reason_section_first")
    if message == "heading after the closing paragraph":
        return tr(lang, "import_reason_heading_after_closing")
    if message.startswith("no recognisable structure"):
        return tr(lang, "import_reason_no_structure")
    if message == "not valid UTF-8 text":
        return tr(lang, "import_reason_not_utf8")
    if message == "the file is empty":
        return tr(lang, "import_reason_empty")
    if message == "the document has no text":
        return tr(lang, "import_reason_no_text")
    if message.startswith("an old Word .doc file"):
        return tr(lang, "import_reason_old_doc")
    if message.startswith("too large when unpacked"):
        return tr(lang, "import_reason_unpacked")
    if message.startswith(("not a Word", "not a PDF")):
        return tr(lang, "import_reason_not_kind", kind="Word" if "Word" in message else "PDF")
    if found := re.fullmatch(r"damaged: (.*)", message, re.DOTALL):
        return tr(lang, "import_reason_damaged", detail=found[1])
    if found := re.fullmatch(r"(\d+) pages: too long to be a speech \(at most (\d+)\)", message):
        return tr(lang, "import_reason_pages", pages=found[1], limit=found[2])
    if message.startswith("the PDF is password-protected"):
        return tr(lang, "import_reason_password")
    if message.startswith("no text layer"):
        return tr(lang, "import_reason_scan")
    if message.startswith("the text layer cannot be read"):
        return tr(lang, "import_reason_unreadable")
    if found := re.match(r"cannot be read as (?:a (PDF|Word)|a \.(\w+) file)", message):
        # What the library said is in the log: it means nothing to the owner.
        return tr(lang, "import_reason_unreadable_file", kind=found[1] or f".{found[2]}")
    return tr(lang, "import_reason_other", detail=message)


def import_error(lang: Lang, error: SpeechFormatError) -> Html:
    """A file that cannot be imported, in the owner's language: where, then what is wrong."""
    return tr(lang, "import_error", place=_place(lang, error), reason=_reason(lang, error.message))


def refusal(lang: Lang, name: str, error: LimitError) -> Html:
    """A file refused by a limit of the import (``content.formats.limits``), in one line of the
    owner's language, with the size found and the limit."""
    p = error.params

    def number(key: str) -> str:
        value = p.get(key, 0)
        return f"{value:,}" if isinstance(value, int) else f"{value:g}"

    code = error.code
    if code == LimitCode.UNPACKED:
        reason = tr(lang, "upload_limit_unpacked", size=size(p["size"]), limit=size(p["limit"]))
    elif code == LimitCode.PARAGRAPHS:
        reason = tr(lang, "upload_limit_paragraphs", limit=number("limit"))
    elif code == LimitCode.PAGES:
        reason = tr(lang, "upload_limit_pages", count=number("count"), limit=number("limit"))
    elif code == LimitCode.PAGE_BYTES:
        reason = tr(lang, "upload_limit_page_bytes", page=number("page"), limit=size(p["limit"]))
    elif code == LimitCode.PAGE_CHARACTERS:
        reason = tr(lang, "upload_limit_page_characters", page=number("page"), limit=number("limit"))
    elif code == LimitCode.LABEL:
        reason = tr(lang, "upload_limit_label", limit=number("limit"))
    elif code == LimitCode.CHARACTERS:
        reason = tr(lang, "upload_limit_characters_more" if p.get("more") else "upload_limit_characters",
                      count=number("count"), limit=number("limit"))
    elif code == LimitCode.SENTENCES:
        reason = tr(lang, "upload_limit_sentences", count=number("count"), limit=number("limit"))
    elif code == LimitCode.MEMORY:
        reason = tr(lang, "upload_limit_memory", limit=number("limit"))
    elif code == LimitCode.TIME:
        reason = tr(lang, "upload_limit_time", limit=number("limit"))
    else:
        reason = tr(lang, "upload_limit_crashed")
    return tr(lang, "upload_refused", name=name, reason=reason)


def _value(lang: Lang, value: object | None) -> str | Html:
    return str(value) if value else tr(lang, "upload_missing")


def preview(lang: Lang, info: TextInfo, speech: Speech, notes: Sequence[Note] = (), again: bool = False) -> Screen:
    """The preview of text ``info`` (its stored metadata, ``speech`` its parsed outline), with the
    owner's buttons: publish, fix the metadata, discard (a published text: fix only)."""
    state = {TextStatus.LIVE: tr(lang, "upload_state_live"),
             TextStatus.REMOVED: tr(lang, "upload_state_removed")}.get(
        info.status, tr(lang, "upload_state_again") if again else tr(lang, "upload_state_draft"))
    head = tr(lang, "upload_preview", id=info.id, state=state, source=info.source or "—",
                title=_value(lang, info.title), speaker=_value(lang, info.speaker),
                date=_value(lang, info.date.isoformat() if info.date else None),
                occasion=_value(lang, info.occasion))
    tail = tr(lang, "upload_notes", lines=Html("\n".join(note_line(lang, note) for note in notes))) if notes else ""
    budget = LIMIT - utf16_len(head) - utf16_len(tail) - 2
    body = Html(f"{head}\n\n{outline(lang, speech, budget)}{tail}")
    fix = button(tr(lang, "btn_text_fix"), cb.TextAction("fix", info.id))
    if info.status != TextStatus.DRAFT:
        return Screen(body, [[fix]])
    return Screen(body, [[button(tr(lang, "btn_text_publish"), cb.TextAction("pub", info.id)), fix,
                          button(tr(lang, "btn_text_discard"), cb.TextAction("del", info.id))]])
