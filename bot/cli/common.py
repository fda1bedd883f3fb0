"""What every subcommand of ``speechbot`` shares: the user error and its exit code, printing
(plain or JSON), the settings, the speech or library text a command works on, and the store.

Only ``content`` and the settings are imported here; the database and the event loop are
imported when a command first asks for them.
"""

from __future__ import annotations

import argparse
import builtins
import json
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeAlias, TypeVar
from zoneinfo import ZoneInfo

from bot.clock import system_clock
from bot.settings import Settings, load_settings
from content import Node, Speech, UnknownNodeError, load_speech
from content.controls import strip_controls
from content.model import ORIGINAL

if TYPE_CHECKING:
    from bot.storage import Store
    from content.library import TextInfo

    Subcommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
    """What ``add_subparsers`` returns: where a subcommand registers."""

EXIT_USAGE = 2

Command = Callable[[argparse.Namespace], int]
T = TypeVar("T")


class CliError(Exception):
    """A user error: printed as one line, exit code 2."""


def print(*values: object, sep: str | None = " ", end: str | None = "\n", file: TextIO | None = None,
          flush: bool = False) -> None:
    """``builtins.print`` without control characters (tab and newline kept): a text or a file
    name holding an ESC sequence cannot recolour or clear the terminal it is printed on."""
    builtins.print(*(strip_controls(str(value)) for value in values), sep=sep, end=end, file=file, flush=flush)


def run_async(coroutine: Coroutine[object, object, T]) -> T:
    """``asyncio.run``, imported only by the subcommands that need an event loop (~40 ms)."""
    import asyncio

    return asyncio.run(coroutine)


def print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def emit(args: argparse.Namespace, data: object, text: str) -> int:
    """Print ``data`` as JSON with --json, else ``text``; exit code 0."""
    if args.json:
        print_json(data)
    else:
        print(text)
    return 0


def settings_of(args: argparse.Namespace) -> Settings:
    """The settings, with ``--file`` taking the place of ``SPEECHBOT_SPEECH_FILE``; read once
    per command (a command may need the speech file and the time zone)."""
    settings: Settings | None = getattr(args, "settings", None)
    if settings is None:
        settings = load_settings()
        if getattr(args, "file", None):
            settings = settings.model_copy(update={"speech_file": Path(args.file)})
        args.settings = settings
    return settings


def with_store(settings: Settings, work: Callable[[Store], Awaitable[T]]) -> T:
    """Open the store, await ``work(store)``, close the store; return what ``work`` returned."""
    from bot.storage import Store

    async def run() -> T:
        store = await Store.open(settings)
        try:
            return await work(store)
        finally:
            await store.close()

    return run_async(run())


def speech_of(args: argparse.Namespace) -> Speech:
    """The speech a content subcommand works on: ``--text ID`` from the library, else the file."""
    if getattr(args, "text", None) is not None:
        return text_of(args)[1]
    return load_speech(settings_of(args).speech_file)


def text_of(args: argparse.Namespace) -> tuple[TextInfo, Speech]:
    """``--text ID``: the text's metadata and its speech, parsed from the stored body as the bot
    parses it (ids scoped). Text 1 is the speech file, as the bot serves it. Read once per command."""
    loaded: tuple[TextInfo, Speech] | None = getattr(args, "text_loaded", None)
    if loaded is None:
        from content.library import TextInfo, node_count, parse_body

        settings = settings_of(args)
        text_id = args.text
        if text_id == ORIGINAL:
            speech = load_speech(settings.speech_file)
            loaded = (TextInfo(id=ORIGINAL, title=speech.title, nodes=node_count(speech),
                               source=Path(speech.source).name), speech)
            args.text_loaded = loaded
            return loaded
        if not settings.database_url:
            raise CliError(f"--text {text_id}: no database (SPEECHBOT_DATABASE_URL is empty); "
                           "only the speech file is there")
        record = with_store(settings, lambda store: store.texts.text(text_id)) if text_id > 0 else None
        if record is None or not record.body:
            raise CliError(f"unknown text {text_id}; `speechbot library list --all` shows every text's id")
        loaded = (record.info, parse_body(record.info, record.body))
        args.text_loaded = loaded
    return loaded


def text_id_of(args: argparse.Namespace) -> int | None:
    """The library text a command worked on: ``--text``, else 1 (the speech file); None for
    ``--file``, a file outside the library."""
    return int(args.text) if getattr(args, "text", None) is not None else None if args.file else ORIGINAL


def node_of(speech: Speech, ref: str) -> Node:
    """The node ``ref`` names, or a CliError that lists the valid ids."""
    try:
        return speech.node(ref)
    except UnknownNodeError as exc:
        raise CliError(
            f"unknown section id {ref!r}; valid ids: {', '.join(exc.valid)} "
            "(the speech's notation also works: 四（二）, 4-2)"
        ) from None


def date_of(args: argparse.Namespace) -> date:
    """``--date`` or today in the bot's time zone."""
    value = args.date
    if value is None:
        return system_clock().astimezone(ZoneInfo(settings_of(args).timezone)).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(f"invalid date {value!r}; use YYYY-MM-DD") from None


def add_command(sub: Subcommands, name: str, func: Command, help_text: str, parent: argparse.ArgumentParser,
                json_flag: bool = True) -> argparse.ArgumentParser:
    """A subcommand ``name`` that runs ``func``, with ``parent``'s options and, unless told
    otherwise, --json."""
    cmd = sub.add_parser(name, parents=[parent], help=help_text, description=help_text)
    if json_flag:
        cmd.add_argument("--json", action="store_true", help="print JSON")
    cmd.set_defaults(func=func)
    return cmd


@dataclass(frozen=True)
class Parents:
    """The options subcommands share: ``file`` (--file) for the commands that run the bot or
    read its database, ``texts`` (--file or --text) for the content commands."""

    file: argparse.ArgumentParser
    texts: argparse.ArgumentParser

    @classmethod
    def build(cls) -> Parents:
        file = argparse.ArgumentParser(add_help=False)
        file.add_argument("--file", metavar="PATH", help="speech file (default: the packaged seeds/speech.txt)")
        texts = argparse.ArgumentParser(add_help=False)
        which = texts.add_mutually_exclusive_group()
        which.add_argument("--file", metavar="PATH", help="a speech file outside the library")
        which.add_argument("--text", type=int, metavar="ID",
                           help="a text of the library (`speechbot library list`; default: the original speech, 1)")
        return cls(file, texts)
