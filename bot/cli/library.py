"""The library's subcommands: ``import`` (read a file and show what the bot would take from it)
and ``library add|list|remove`` (the texts the bot holds, in the database)."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot.cli.common import CliError, emit, print, print_json, settings_of, with_store
from bot.cli.content import outline_lines
from bot.settings import Settings
from content import load_speech
from content.model import ORIGINAL

if TYPE_CHECKING:
    from bot.cli.common import Subcommands
    from bot.intake import Stored
    from bot.storage import Store
    from content.formats.blocks import Imported
    from content.library import TextInfo

T = TypeVar("T")


def _import(args: argparse.Namespace) -> Imported:
    """``args.path`` imported as the bot imports an upload: in a child process, within the
    settings' limits (``content.formats.isolated``)."""
    from content.formats.blocks import DocumentError
    from content.formats.isolated import import_isolated

    try:
        data = Path(args.path).read_bytes()
    except OSError as exc:
        raise DocumentError(str(args.path), f"cannot read file: {exc.strerror or exc}") from None
    return import_isolated(data, str(args.path), settings_of(args).import_limits())


def cmd_import(args: argparse.Namespace) -> int:
    """Read a .docx, .pdf or .txt file: its metadata, its outline and what was left out."""
    result = _import(args)
    if args.json:
        print_json(result.to_dict())
        return 0
    meta = result.metadata
    for name, value in (("title", meta.title), ("speaker", meta.speaker),
                        ("date", meta.date.isoformat() if meta.date else None), ("occasion", meta.occasion)):
        print(f"{name + ':':10}{value or '—'}")
    print(f"{'format:':10}{result.format}")
    print()
    for line in outline_lines(result.speech):
        print(line)
    if result.notes:
        print()
        for note in result.notes:
            print(f"note: {note.message}")
    return 0


def _text_dict(info: TextInfo) -> dict[str, str | int | None]:
    """A text of the library as ``library list --json`` shows it."""
    return {"id": info.id, "title": info.title, "speaker": info.speaker,
            "date": info.date.isoformat() if info.date else None, "occasion": info.occasion, "nodes": info.nodes,
            "status": info.status, "added_at": info.added_at.isoformat() if info.added_at else None,
            "source": info.source}


def _text_line(info: TextInfo) -> str:
    """One text on a line: id, date, size, status, title — speaker."""
    who = f" — {info.speaker}" if info.speaker else ""
    spoken = info.date.isoformat() if info.date else "—"
    return f"{info.id:>4}  {spoken:10}  {info.nodes:>4} nodes  {info.status:7}  {info.title or info.short}{who}"


def _with_library(settings: Settings, work: Callable[[Store], Awaitable[T]]) -> T:
    """``with_store`` for the library commands: text 1 (the speech file) is stored first when
    the database is new, so the library is never without its first book."""
    from bot.intake import ensure_original

    if not settings.database_url:
        raise CliError("the library lives in the database: SPEECHBOT_DATABASE_URL is empty")

    async def run(store: Store) -> T:
        await ensure_original(store.texts, load_speech(settings.speech_file))
        return await work(store)

    return with_store(settings, run)


def _overrides(args: argparse.Namespace) -> dict[str, str | date | None]:
    """The metadata given on the command line (``--date ''`` clears the file's date)."""
    given: dict[str, str | date | None] = {name: getattr(args, name) for name in ("title", "speaker", "occasion")
                                           if getattr(args, name) is not None}
    if args.date is not None:
        try:
            given["date"] = date.fromisoformat(args.date) if args.date else None
        except ValueError:
            raise CliError(f"invalid date {args.date!r}; use YYYY-MM-DD") from None
    return given


def cmd_library_add(args: argparse.Namespace) -> int:
    """Import a file into the library (live at once), the same body twice being one text; then
    build its search index, summaries and 慎 ranking, so the bot never encodes it."""
    from dataclasses import replace

    from bot.intake import add_text, makers, prepare, with_overrides
    from content.encoder import EncoderError
    from content.formats import Metadata
    from content.library import TextStatus, lacking

    settings = settings_of(args)
    overrides = _overrides(args)
    imported = _import(args)
    metadata = with_overrides(imported.metadata, overrides)

    async def add(store: Store) -> tuple[Stored, str, dict[str, str | date]]:
        stored = await add_text(store.texts, imported, metadata)
        record = await store.texts.text(stored.info.id)
        assert record is not None, "the text was just stored"
        taken: dict[str, str | date] = {}
        if not stored.new:  # the same body again: its title block fills the details the text lacks
            taken = lacking(stored.info, metadata.title, metadata.speaker, metadata.date, metadata.occasion)
            if taken:
                described = await store.texts.describe(stored.info.id, with_overrides(
                    Metadata(stored.info.title, stored.info.speaker, stored.info.date, stored.info.occasion), taken))
                stored = replace(stored, info=described or stored.info)
        return stored, record.body, taken

    stored, body, taken = _with_library(settings, add)
    info = stored.info
    if info.id != ORIGINAL:  # the bot builds text 1 from the speech file itself
        try:
            prepare(info, body, makers(settings))
        except EncoderError as exc:
            raise CliError(f"text {info.id} is stored, but its search index could not be built: {exc}") from None
    if stored.new:
        said = f"added text {info.id}"
    elif taken:
        said = (f"already text {info.id}: took the details it lacked from the file ({', '.join(taken)})"
                + ("" if stored.before == TextStatus.LIVE else f"; it was {stored.before} and is live now"))
    elif stored.before == TextStatus.LIVE:
        said = f"already text {info.id}: nothing changed" + (" (the metadata given applies to a new text only)"
                                                            if overrides else "")
    else:
        said = f"text {info.id} was {stored.before}; it is live again"
    data = {**_text_dict(info), "new": stored.new, "was": stored.before, "took": sorted(taken),
            "notes": [note.message for note in imported.notes]}
    lines = [said, _text_line(info), *(f"note: {note.message}" for note in imported.notes)]
    return emit(args, data, "\n".join(lines))


def cmd_library_list(args: argparse.Namespace) -> int:
    """The library's texts, newest first, the original speech last."""
    from content.library import TextStatus

    statuses = tuple(TextStatus) if args.all else (TextStatus.LIVE,)
    found = _with_library(settings_of(args), lambda store: store.texts.texts(statuses))
    return emit(args, [_text_dict(info) for info in found], "\n".join(_text_line(info) for info in found))


def cmd_library_remove(args: argparse.Namespace) -> int:
    """Take a text out of the library: no longer offered; chats reading it go back to the
    original speech; what members saved still opens it."""
    from content.library import TextStatus

    text_id = args.id
    if text_id == ORIGINAL:
        raise CliError("text 1 is the original speech (SPEECHBOT_SPEECH_FILE): it cannot be removed")

    async def remove(store: Store) -> tuple[TextInfo, bool] | None:
        record = await store.texts.text(text_id) if text_id > 0 else None
        if record is None:
            return None
        if record.info.status == TextStatus.REMOVED:
            return record.info, False
        removed = await store.texts.set_status(text_id, TextStatus.REMOVED)
        return (removed, True) if removed is not None else None

    done = _with_library(settings_of(args), remove)
    if done is None:
        raise CliError(f"unknown text {text_id}; `speechbot library list --all` shows every text's id")
    info, changed = done
    said = (f"removed text {info.id}: chats reading it are back on the original speech" if changed
            else f"text {info.id} was removed already")
    return emit(args, {**_text_dict(info), "changed": changed}, f"{said}\n{_text_line(info)}")


def register_import(sub: Subcommands) -> None:
    """``speechbot import FILE``."""
    importing = sub.add_parser("import", help="read a .docx, .pdf or .txt speech: metadata, outline, notes",
                               description="read a .docx, .pdf or .txt speech: metadata, outline, notes")
    importing.add_argument("path", metavar="FILE", help="the speech file (.docx, .pdf or .txt)")
    importing.add_argument("--json", action="store_true", help="print JSON")
    importing.set_defaults(func=cmd_import)


def register_library(sub: Subcommands) -> None:
    """``speechbot library add|list|remove``."""
    library = sub.add_parser("library", help="the texts the bot holds: add a file, list, remove",
                             description="the texts the bot holds: add a file, list, remove")
    verbs = library.add_subparsers(dest="library_command", required=True, metavar="COMMAND")
    add = verbs.add_parser("add", help="import a .docx, .pdf or .txt file into the library (live at once)",
                           description="import a .docx, .pdf or .txt file into the library (live at once) and "
                                       "build its search index; the same text twice is one text")
    add.add_argument("path", metavar="FILE", help="the speech file (.docx, .pdf or .txt)")
    add.add_argument("--title", help="instead of the title the file gives")
    add.add_argument("--speaker", help="instead of the speaker the file gives")
    add.add_argument("--date", metavar="YYYY-MM-DD", help="instead of the date the file gives")
    add.add_argument("--occasion", help="instead of the occasion the file gives")
    add.set_defaults(func=cmd_library_add)
    listing = verbs.add_parser("list", help="the texts: id, date, nodes, status, title, speaker (newest first)")
    listing.add_argument("--all", action="store_true", help="drafts and removed texts too")
    listing.set_defaults(func=cmd_library_list)
    remove = verbs.add_parser("remove", help="take a text out of the library (not the original, 1)")
    remove.add_argument("id", type=int, metavar="ID", help="the text's id (`speechbot library list`)")
    remove.set_defaults(func=cmd_library_remove)
    for verb in (add, listing, remove):
        verb.add_argument("--json", action="store_true", help="print JSON")
