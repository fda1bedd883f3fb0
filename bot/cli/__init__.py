"""The ``speechbot`` command line.

Every subcommand reads the settings (environment and ``.env``) and takes ``--file PATH``
(default: the setting ``SPEECHBOT_SPEECH_FILE`` or the speech the package ships). The content
subcommands take ``--text ID`` instead: a text of the library (``speechbot library``), read
from the database, its node ids scoped (``2:4.2``). User errors (a broken speech file, an
unknown id, a bad argument or setting) print one line to stderr and exit 2; nothing prints a
traceback.

The content subcommands (outline, show, search, quote, summary, reminder) import only
``content`` and the settings: the Telegram, database and HTTP stacks are imported inside the
subcommands that use them, so ``speechbot search`` starts about as fast as the speech loads.
"""

from __future__ import annotations

import argparse
import builtins
import contextlib
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.clock import system_clock
from bot.settings import MISSING_TOKEN, Settings, SettingsError, load_settings
from content import Node, Speech, SpeechFormatError, UnknownNodeError, load_speech
from content.controls import strip_controls
from content.model import ORIGINAL
from content.sentences import gist

if TYPE_CHECKING:
    from content.answer import Searcher
    from content.formats.model import Imported
    from content.library import TextInfo
    from content.shen import Ranking, Reminder

EXIT_USAGE = 2
DESCRIPTION = "speechbot: the study bot for a speech, its library of texts and its content, from the command line."


class CliError(Exception):
    """A user error: printed as one line, exit code 2."""


def print(*values: object, sep: str | None = " ", end: str | None = "\n", file: Any = None,
          flush: bool = False) -> None:
    """``builtins.print`` without control characters (tab and newline kept): a text or a file
    name holding an ESC sequence cannot recolour or clear the terminal it is printed on."""
    builtins.print(*(strip_controls(str(value)) for value in values), sep=sep, end=end, file=file, flush=flush)


def _run_async(coroutine: Any) -> Any:
    """``asyncio.run``, imported only by the subcommands that need an event loop (~40 ms)."""
    import asyncio

    return asyncio.run(coroutine)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _emit(args: argparse.Namespace, data: Any, text: str) -> int:
    """Print ``data`` as JSON with --json, else ``text``; exit code 0."""
    if args.json:
        _print_json(data)
    else:
        print(text)
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    """The settings, with ``--file`` taking the place of ``SPEECHBOT_SPEECH_FILE``; read once
    per command (a command may need the speech file and the time zone)."""
    if getattr(args, "settings", None) is None:
        settings = load_settings()
        if getattr(args, "file", None):
            settings = settings.model_copy(update={"speech_file": Path(args.file)})
        args.settings = settings
    return args.settings  # type: ignore[no-any-return]


def _speech(args: argparse.Namespace) -> Speech:
    """The speech a content subcommand works on: ``--text ID`` from the library, else the file."""
    if getattr(args, "text", None) is not None:
        return _text(args)[1]
    return load_speech(_settings(args).speech_file)


def _text(args: argparse.Namespace) -> tuple[TextInfo, Speech]:
    """``--text ID``: the text's metadata and its speech, parsed from the stored body as the bot
    parses it (ids scoped). Text 1 is the speech file, as the bot serves it. Read once per command."""
    if getattr(args, "text_loaded", None) is None:
        from content.library import TextInfo, node_count, parse_body

        settings = _settings(args)
        text_id = args.text
        if text_id == ORIGINAL:
            speech = load_speech(settings.speech_file)
            args.text_loaded = (TextInfo(id=ORIGINAL, title=speech.title, nodes=node_count(speech),
                                         source=Path(speech.source).name), speech)
            return args.text_loaded  # type: ignore[no-any-return]
        if not settings.database_url:
            raise CliError(f"--text {text_id}: no database (SPEECHBOT_DATABASE_URL is empty); "
                           "only the speech file is there")
        record = _with_store(settings, lambda store: store.texts.text(text_id)) if text_id > 0 else None
        if record is None or not record.body:
            raise CliError(f"unknown text {text_id}; `speechbot library list --all` shows every text's id")
        args.text_loaded = (record.info, parse_body(record.info, record.body))
    return args.text_loaded  # type: ignore[no-any-return]


def _text_id(args: argparse.Namespace) -> int | None:
    """The library text a command worked on: ``--text``, else 1 (the speech file); None for
    ``--file``, a file outside the library."""
    return int(args.text) if getattr(args, "text", None) is not None else None if args.file else ORIGINAL


def _node(speech: Speech, ref: str) -> Node:
    try:
        return speech.node(ref)
    except UnknownNodeError as exc:
        raise CliError(
            f"unknown section id {ref!r}; valid ids: {', '.join(exc.valid)} "
            "(the speech's notation also works: 四（二）, 4-2)"
        ) from None


def cmd_outline(args: argparse.Namespace) -> int:
    """Print the tree with ids, labels and titles."""
    speech = _speech(args)
    if args.json:
        _print_json({"text": _text_id(args), "title": speech.title, "nodes": [node.to_dict() for node in speech.top]})
        return 0
    if speech.title:
        print(speech.title)
    for line in _outline_lines(speech):
        print(line)
    return 0


def _outline_lines(speech: Speech) -> Iterator[str]:
    """The tree, one node a line: label, title (or its first words), id."""
    for node in speech.nodes():
        depth = node.id.count(".") if node.kind in ("section", "point") else 0
        title = node.title or gist(node.sentences[0])
        yield f"{'  ' * depth}{node.label} {title}  [{node.id}]"


def _import(args: argparse.Namespace) -> Imported:
    """``args.path`` imported as the bot imports an upload: in a child process, within the
    settings' limits (``content.formats.isolated``)."""
    from content.formats.isolated import import_isolated
    from content.formats.model import DocumentError

    try:
        data = Path(args.path).read_bytes()
    except OSError as exc:
        raise DocumentError(str(args.path), f"cannot read file: {exc.strerror or exc}") from None
    return import_isolated(data, str(args.path), _settings(args).import_limits())


def cmd_import(args: argparse.Namespace) -> int:
    """Read a .docx, .pdf or .txt file: its metadata, its outline and what was left out."""
    result = _import(args)
    if args.json:
        _print_json(result.to_dict())
        return 0
    meta = result.metadata
    for name, value in (("title", meta.title), ("speaker", meta.speaker),
                        ("date", meta.date.isoformat() if meta.date else None), ("occasion", meta.occasion)):
        print(f"{name + ':':10}{value or '—'}")
    print(f"{'format:':10}{result.format}")
    print()
    for line in _outline_lines(result.speech):
        print(line)
    if result.notes:
        print()
        for note in result.notes:
            print(f"note: {note.message}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print one node's full text with its label."""
    speech = _speech(args)
    node = _node(speech, args.id)
    return _emit(args, node.to_dict(), f"【{node.label}】\n{node.text}")


def _date(args: argparse.Namespace) -> date:
    """``--date`` or today in the bot's time zone."""
    value = args.date
    if value is None:
        return system_clock().astimezone(ZoneInfo(_settings(args).timezone)).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(f"invalid date {value!r}; use YYYY-MM-DD") from None


def _searcher(args: argparse.Namespace, speech: Speech) -> Searcher:
    from content.answer import Searcher
    from content.encoder import EncoderError, load_encoder
    from content.glosses import glosses_for

    settings = _settings(args)
    try:
        encoder = load_encoder(settings.encoder)
    except EncoderError as exc:
        raise CliError(str(exc)) from None
    return Searcher(speech, encoder, settings.cache_dir, glosses_for(speech))


def _ranking(args: argparse.Namespace, speech: Speech) -> Ranking | None:
    """The 慎 reminder's ranking, as the bot computes it (``bot.app.reminder_ranking``): from the
    cache directory when it is there, so the encoder need not load."""
    from content.encoder import EncoderError, load_encoder
    from content.shen import rank

    settings = _settings(args)
    try:
        return rank(speech, load_encoder(settings.encoder), settings.cache_dir)
    except EncoderError as exc:
        raise CliError(str(exc)) from None


def _reminder(args: argparse.Namespace, speech: Speech, day: date) -> Reminder:
    """The day's 慎 reminder from ``speech``. A library text (``--text``) none of whose passages
    fits the day's principle gives the original speech's, as the bot does
    (``content.library.reminder_of``), and says so on stderr."""
    from content import shen

    if getattr(args, "text", None) in (None, ORIGINAL):
        return shen.reminder(speech, day, _ranking(args, speech))
    from bot.library import makers
    from content.encoder import EncoderError
    from content.library import Book, Library, reminder_of

    settings = _settings(args)
    made = makers(settings)
    info, _ = _text(args)
    try:
        result, fell_back = reminder_of(Book(info, speech, made),
                                        Library.of(load_speech(settings.speech_file), made).original, day)
    except EncoderError as exc:
        raise CliError(str(exc)) from None
    if fell_back:
        print(f"note: no passage of text {info.id} fits {result.principle.name}: the quote is the original "
              "speech's", file=sys.stderr)
    return result


def cmd_search(args: argparse.Namespace) -> int:
    """Search the speech; print hits by tier or say there are none. ``-`` reads queries from
    stdin, one a line, and prints one JSON array a line (with --json) as soon as each is answered."""
    speech = _speech(args)
    if not 1 <= args.limit <= 50:
        raise CliError("--limit must be between 1 and 50")
    searcher = _searcher(args, speech)
    if args.query == "-":
        for line in sys.stdin:
            found = [hit.to_dict() for hit in searcher.answer(line.strip(), args.limit)]
            print(json.dumps(found, ensure_ascii=False) if args.json else _hits_text(line.strip(), found), flush=True)
        return 0
    hits = searcher.answer(args.query, limit=args.limit)
    if args.json:
        _print_json([hit.to_dict() for hit in hits])
    else:
        print(_hits_text(args.query, [hit.to_dict() for hit in hits]))
    return 0


TIER_TITLES = {"exact": "in the speech's words:", "related": "related (the speech says it in other words):",
               "nearest": "close (not necessarily an answer):"}


def _hits_text(query: str, hits: list[dict[str, Any]]) -> str:
    """Hits as lines, under a title per tier."""
    if not hits:
        return f"no matches for {query!r}; try `speechbot outline`"
    lines: list[str] = []
    for number, hit in enumerate(hits):
        if number == 0 or hits[number - 1]["tier"] != hit["tier"]:
            lines.append(TIER_TITLES[hit["tier"]])
        lines.append(f"  {hit['label']} [{hit['id']}] ({hit['score']:g})  {hit['text']}")
    return "\n".join(lines)


def cmd_quote(args: argparse.Namespace) -> int:
    """Print one verbatim quote with its location; with only --date, the quote of the day's 慎
    reminder (the one /today and the daily card show)."""
    speech = _speech(args)
    node = _node(speech, args.id) if args.id else None
    day = _date(args) if args.date else None
    from content import quotes

    if day is not None and node is None and not args.keyword:
        quote: quotes.Quote | None = _reminder(args, speech, day).quote
    else:
        quote = quotes.pick(speech, node.id if node else None, args.keyword, day)
    if quote is None:
        where = f" in {node.label}" if node else ""
        raise CliError(f"no quote{where}" + (f" matches {args.keyword!r}" if args.keyword else ""))
    return _emit(args, quote.to_dict(), f"“{quote.in_quotes}”\n——{quote.label}")


def cmd_card(args: argparse.Namespace) -> int:
    """Render the quote that `speechbot quote` gives for the same arguments as a PNG card; with
    only --date, the daily card (the quote of the day with its 慎 principle)."""
    from content import quotes
    from handlers.cards import CardFontMissing, daily_card, quote_card, render

    speech = _speech(args)
    node = _node(speech, args.id) if args.id else None
    day = _date(args) if args.date else None
    if day is not None and node is None and not args.keyword:
        today = _reminder(args, speech, day)
        quote, principle = today.quote, today.principle
        spec = daily_card(day, principle.name, principle.meaning, quote.text, quote.label)
    else:
        found = quotes.pick(speech, node.id if node else None, args.keyword, day)
        if found is None:
            where = f" in {node.label}" if node else ""
            raise CliError(f"no quote{where}" + (f" matches {args.keyword!r}" if args.keyword else ""))
        quote = found
        spec = quote_card(quote.text, quote.label)
    try:
        png = render(spec)
    except CardFontMissing as exc:
        raise CliError(str(exc)) from None
    try:
        Path(args.out).write_bytes(png)
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror}") from None
    data = {"path": str(Path(args.out).resolve()), "id": quote.id, "label": quote.label, "text": quote.text}
    return _emit(args, data, f"{args.out}: “{quote.in_quotes}” ——{quote.label}")


def cmd_summary(args: argparse.Namespace) -> int:
    """Print an extractive summary and keywords."""
    speech = _speech(args)
    node = _node(speech, args.id) if args.id else None
    from content.model import cite
    from content.summaries import Summaries

    result = Summaries(speech, _settings(args).cache_dir).get(node, args.length)  # cached, like the bot's
    keywords = "、".join(result.keywords)
    return _emit(args, result.to_dict(), f"{cite(result.label)}\n{result.summary}\n关键词：{keywords}")


def cmd_reminder(args: argparse.Namespace) -> int:
    """Print the daily 慎 reminder."""
    speech = _speech(args)
    result = _reminder(args, speech, _date(args))
    return _emit(args, result.to_dict(), result.text)


def cmd_run(args: argparse.Namespace) -> int:
    """Start the bot: long polling, or a webhook when SPEECHBOT_WEBHOOK_URL is set."""
    settings = _settings(args)
    speech = load_speech(settings.speech_file)
    if settings.token is None:
        print(f"speechbot: {MISSING_TOKEN}", file=sys.stderr)
        if sys.stdin.isatty():
            print("Opening `speechbot console` instead (a local fake Telegram, no token needed).", file=sys.stderr)
            from bot.fake.console import run_console

            return int(_run_async(run_console(settings, speech)))
        return EXIT_USAGE
    import secrets

    from bot.logs import configure_logging
    from bot.runner import StartError, serve

    token = settings.require_token()
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else secrets.token_urlsafe(32)
    redact = configure_logging(settings.log_level, settings.log_format, token, secret)
    from handlers.cards import CardFontMissing

    try:
        _run_async(serve(settings, speech, secret, redact))
    except (StartError, CardFontMissing) as exc:
        raise CliError(str(exc)) from None
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    """Talk to the real bot in this terminal through a local fake Bot API."""
    from bot.fake.console import run_console

    settings = _settings(args)
    speech = load_speech(settings.speech_file)
    return int(_run_async(run_console(settings, speech, language_code=args.lang)))


def cmd_reader(args: argparse.Namespace) -> int:
    """The reader (Mini App) alone on this machine, with a URL signed for a local user."""
    from bot.webapp import serve_alone

    settings = _settings(args)
    speech = load_speech(settings.speech_file)
    if not 0 <= args.port <= 65535:
        raise CliError("--port must be between 0 and 65535")
    try:
        _run_async(serve_alone(settings, speech, args.host, args.port, args.user_id, args.name, args.lang,
                               sys.stdout))
    except OSError as exc:
        raise CliError(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Apply the database migrations."""
    from bot.storage import Database

    settings = _settings(args)

    async def upgrade() -> None:
        db = await Database.open(settings.database_url)
        await db.close()

    _run_async(upgrade())
    print(f"database migrated to the latest revision: {_safe_url(settings.database_url)}")
    return 0


def _with_store(settings: Settings, work: Callable[[Any], Any]) -> Any:
    """Open the store, await ``work(store)``, close the store; return what ``work`` returned."""
    from bot.storage import Store

    async def run() -> Any:
        store = await Store.open(settings)
        try:
            return await work(store)
        finally:
            await store.close()

    return _run_async(run())


def cmd_db_prune(args: argparse.Namespace) -> int:
    """Delete delivery rows (and no-hit search counts) older than SPEECHBOT_RETENTION_DAYS."""
    settings = _settings(args)

    async def prune(store: Any) -> int:
        total = 0
        while batch := await store.insights.prune(store.clock()):
            total += batch
        return total

    deleted = _with_store(settings, prune)
    print(f"deleted {deleted} rows older than {settings.retention_days} days")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """The owner's report (the same as /stats in Telegram)."""
    import dataclasses

    from bot.terminal import terminal_text
    from handlers import render

    result = _with_store(_settings(args), lambda store: store.insights.report())
    return _emit(args, dataclasses.asdict(result),
                 "\n".join(terminal_text(screen.text, bold=False) for screen in render.stats(args.lang, result)))


def _safe_url(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def cmd_push_preview(args: argparse.Namespace) -> int:
    """Print the daily message as a chat would receive it."""
    from bot.push import push_screen
    from bot.terminal import terminal_text

    speech = _speech(args)
    screen = push_screen(speech, args.lang, _date(args), _ranking(args, speech))
    print(terminal_text(screen.text, bold=False))
    return 0


def cmd_push_run_due(args: argparse.Namespace) -> int:
    """One delivery pass now (or as if at --at), printing what it did."""
    from bot.app import make_pusher, push_bot
    from bot.logs import configure_logging
    from bot.runner import StartError, start_errors
    from bot.storage import Store

    settings = _settings(args)
    speech = load_speech(settings.speech_file)
    token = settings.require_token()
    try:
        at = datetime.fromisoformat(args.at) if args.at else system_clock()
    except ValueError:
        raise CliError(f"invalid --at {args.at!r}; use ISO 8601 such as 2026-11-28T08:00+08:00") from None
    at = at if at.tzinfo else at.replace(tzinfo=ZoneInfo(settings.timezone))

    redact = configure_logging(settings.log_level, settings.log_format, token)

    async def run() -> dict[str, int]:
        # As if at --at: the store's clock (a chat paused during the pass, say) agrees with the pass.
        store = await Store.open(settings, (lambda: at.astimezone(UTC)) if args.at else system_clock)
        bot = push_bot(settings, token)
        try:
            try:
                async with start_errors(settings, redact):
                    await bot.initialize()
            except StartError:
                await bot.request.shutdown()
                raise
            async with bot:
                pusher = make_pusher(bot, store, speech, settings)
                with _stop_on_signals(pusher.stop):  # SIGTERM: finish in-flight sends, give back the rest
                    return (await pusher.run_due(at.astimezone(UTC))).to_dict()
        finally:
            await store.close()

    try:
        report = _run_async(run())
    except StartError as exc:
        raise CliError(str(exc)) from None
    print(json.dumps({"at": at.isoformat(), **report}, ensure_ascii=False))
    return 0


@contextlib.contextmanager
def _stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """Call ``stop`` on SIGINT or SIGTERM while inside (an event loop must be running)."""
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop)
    try:
        yield
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def _text_dict(info: TextInfo) -> dict[str, Any]:
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


def _with_library(settings: Settings, work: Callable[[Any], Any]) -> Any:
    """``_with_store`` for the library commands: text 1 (the speech file) is stored first when
    the database is new, so the library is never without its first book."""
    from bot.library import ensure_original

    if not settings.database_url:
        raise CliError("the library lives in the database: SPEECHBOT_DATABASE_URL is empty")

    async def run(store: Any) -> Any:
        await ensure_original(store.texts, load_speech(settings.speech_file))
        return await work(store)

    return _with_store(settings, run)


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

    from bot.library import add_text, makers, prepare, with_overrides
    from content.encoder import EncoderError
    from content.formats import Metadata
    from content.library import lacking

    settings = _settings(args)
    overrides = _overrides(args)
    imported = _import(args)
    metadata = with_overrides(imported.metadata, overrides)

    async def add(store: Any) -> tuple[Any, str, dict[str, Any]]:
        stored = await add_text(store.texts, imported, metadata)
        record = await store.texts.text(stored.info.id)
        taken: dict[str, Any] = {}
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
                + ("" if stored.before == "live" else f"; it was {stored.before} and is live now"))
    elif stored.before == "live":
        said = f"already text {info.id}: nothing changed" + (" (the metadata given applies to a new text only)"
                                                            if overrides else "")
    else:
        said = f"text {info.id} was {stored.before}; it is live again"
    data = {**_text_dict(info), "new": stored.new, "was": stored.before, "took": sorted(taken),
            "notes": [note.message for note in imported.notes]}
    lines = [said, _text_line(info), *(f"note: {note.message}" for note in imported.notes)]
    return _emit(args, data, "\n".join(lines))


def cmd_library_list(args: argparse.Namespace) -> int:
    """The library's texts, newest first, the original speech last."""
    statuses = ("draft", "live", "removed") if args.all else ("live",)
    found = _with_library(_settings(args), lambda store: store.texts.texts(statuses))
    return _emit(args, [_text_dict(info) for info in found], "\n".join(_text_line(info) for info in found))


def cmd_library_remove(args: argparse.Namespace) -> int:
    """Take a text out of the library: no longer offered; chats reading it go back to the
    original speech; what members saved still opens it."""
    text_id = args.id
    if text_id == ORIGINAL:
        raise CliError("text 1 is the original speech (SPEECHBOT_SPEECH_FILE): it cannot be removed")

    async def remove(store: Any) -> Any:
        record = await store.texts.text(text_id) if text_id > 0 else None
        if record is None:
            return None
        if record.info.status == "removed":
            return record.info, False
        return await store.texts.set_status(text_id, "removed"), True

    done = _with_library(_settings(args), remove)
    if done is None:
        raise CliError(f"unknown text {text_id}; `speechbot library list --all` shows every text's id")
    info, changed = done
    said = (f"removed text {info.id}: chats reading it are back on the original speech" if changed
            else f"text {info.id} was removed already")
    return _emit(args, {**_text_dict(info), "changed": changed}, f"{said}\n{_text_line(info)}")


def _library_parser(sub: Any) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--file", metavar="PATH", help="speech file (default: the packaged seeds/speech.txt)")
    texts = argparse.ArgumentParser(add_help=False)  # the content subcommands: a file or a library text
    which = texts.add_mutually_exclusive_group()
    which.add_argument("--file", metavar="PATH", help="a speech file outside the library")
    which.add_argument("--text", type=int, metavar="ID",
                       help="a text of the library (`speechbot library list`; default: the original speech, 1)")
    parser = argparse.ArgumentParser(prog="speechbot", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str,
            json_flag: bool = True, parent: argparse.ArgumentParser = texts) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, parents=[parent], help=help_text, description=help_text)
        if json_flag:
            cmd.add_argument("--json", action="store_true", help="print JSON")
        cmd.set_defaults(func=func)
        return cmd

    add("outline", cmd_outline, "print the speech's outline: ids, labels, titles")
    add("show", cmd_show, "print one section's text").add_argument(
        "id", help="section id: 4.2, 4-2, 四（二）, preface, closing")
    search = add("search", cmd_search, "search the speech (typos, traditional characters, pinyin work)")
    search.add_argument("query", help="what to look for; - reads one query a line from stdin")
    search.add_argument("--limit", type=int, default=5, help="how many hits (1-50, default 5)")
    quote = add("quote", cmd_quote, "print a verbatim quote with its location")
    quote.add_argument("--id", help="only from this section")
    quote.add_argument("--keyword", "-k", help="among sentences that match this")
    quote.add_argument("--date", help="YYYY-MM-DD: that day's quote (alone: the 慎 reminder's)")
    card = add("card", cmd_card, "render a quote (or with only --date the daily card) as a PNG picture")
    card.add_argument("--id", help="a quote from this section")
    card.add_argument("--keyword", "-k", help="a quote that matches this")
    card.add_argument("--date", help="YYYY-MM-DD: the quote of that day (alone: the daily card)")
    card.add_argument("--out", required=True, metavar="FILE.png", help="where to write the PNG")
    summ = add("summary", cmd_summary, "extractive summary and keywords of the speech or a section")
    summ.add_argument("id", nargs="?", help="section id (default: the whole speech)")
    summ.add_argument("--length", choices=["short", "long"], default="short",
                      help="short (the default, what /summary shows: about 30%% of the text) or long "
                           "(about 40%%, every section with its own line)")
    add("reminder", cmd_reminder, "the daily 慎 reminder").add_argument("--date", help="YYYY-MM-DD (default today)")
    importing = sub.add_parser("import", help="read a .docx, .pdf or .txt speech: metadata, outline, notes",
                               description="read a .docx, .pdf or .txt speech: metadata, outline, notes")
    importing.add_argument("path", metavar="FILE", help="the speech file (.docx, .pdf or .txt)")
    importing.add_argument("--json", action="store_true", help="print JSON")
    importing.set_defaults(func=cmd_import)
    _library_parser(sub)
    add("run", cmd_run, "start the bot (polling; webhook when SPEECHBOT_WEBHOOK_URL is set)", json_flag=False,
        parent=common)
    console = add("console", cmd_console, "talk to the bot in this terminal (no token, no network)",
                  json_flag=False, parent=common)
    console.add_argument("--lang", default="zh-hans", help="your Telegram language (en for English)")
    reader = add("reader", cmd_reader, "serve the reader (Mini App) alone and print a local URL to open it",
                 json_flag=False, parent=common)
    reader.add_argument("--port", type=int, default=8081, help="port (default 8081; 0: any free port)")
    reader.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    reader.add_argument("--user-id", type=int, default=1001, help="the local user the URL is signed for")
    reader.add_argument("--name", default="同学", help="that user's first name")
    reader.add_argument("--lang", default="zh-hans", help="that user's Telegram language (en for English)")
    db = sub.add_parser("db", help="database maintenance").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", parents=[common], help="apply migrations").set_defaults(func=cmd_db_upgrade)
    db.add_parser("prune", parents=[common], help="delete rows older than the retention").set_defaults(
        func=cmd_db_prune)
    add("stats", cmd_stats, "the owner's report: chats, schedules, deliveries, failures, searches without hits",
        parent=common).add_argument("--lang", choices=["zh", "en"], default="zh")
    push = sub.add_parser("push", help="the daily reminder").add_subparsers(dest="push_command", required=True)
    due = push.add_parser("run-due", parents=[common], help="run one delivery pass now and print what it did")
    due.add_argument("--at", help="pretend it is this time (ISO 8601)")
    due.set_defaults(func=cmd_push_run_due)
    preview = push.add_parser("preview", parents=[common], help="print the daily message")
    preview.add_argument("--date", help="YYYY-MM-DD (default today)")
    preview.add_argument("--lang", choices=["zh", "en"], default="zh")
    preview.set_defaults(func=cmd_push_preview)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (CliError, SettingsError, SpeechFormatError) as exc:
        print(f"speechbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
