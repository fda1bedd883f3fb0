"""The content subcommands: ``outline``, ``show``, ``search``, ``quote``, ``card``, ``summary``
and ``reminder``, on the speech file or a text of the library (``--text ID``).

They import only ``content`` and the settings at start (the card, the encoder and the database
when a command needs them), so ``speechbot search`` starts about as fast as the speech loads.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import (
    CliError,
    Parents,
    add_command,
    date_of,
    emit,
    node_of,
    print,
    print_json,
    settings_of,
    speech_of,
    text_id_of,
    text_of,
)
from content import Speech, load_speech
from content.model import ORIGINAL
from content.sentences import gist

if TYPE_CHECKING:
    from bot.cli.common import Subcommands
    from content.answer import Searcher
    from content.search import Hit
    from content.shen import Ranking, Reminder

TIER_TITLES = {"exact": "in the speech's words:", "related": "related (the speech says it in other words):",
               "nearest": "close (not necessarily an answer):"}


def cmd_outline(args: argparse.Namespace) -> int:
    """Print the tree with ids, labels and titles."""
    speech = speech_of(args)
    if args.json:
        print_json({"text": text_id_of(args), "title": speech.title, "nodes": [node.to_dict() for node in speech.top]})
        return 0
    if speech.title:
        print(speech.title)
    for line in outline_lines(speech):
        print(line)
    return 0


def outline_lines(speech: Speech) -> Iterator[str]:
    """The tree, one node a line: label, title (or its first words), id."""
    for node in speech.nodes():
        depth = node.id.count(".") if node.kind in ("section", "point") else 0
        title = node.title or gist(node.sentences[0])
        yield f"{'  ' * depth}{node.label} {title}  [{node.id}]"


def cmd_show(args: argparse.Namespace) -> int:
    """Print one node's full text with its label."""
    speech = speech_of(args)
    node = node_of(speech, args.id)
    return emit(args, node.to_dict(), f"【{node.label}】\n{node.text}")


def _searcher(args: argparse.Namespace, speech: Speech) -> Searcher:
    from content.answer import Searcher
    from content.encoder import EncoderError, load_encoder
    from content.glosses import glosses_for

    settings = settings_of(args)
    try:
        encoder = load_encoder(settings.encoder)
    except EncoderError as exc:
        raise CliError(str(exc)) from None
    return Searcher(speech, encoder, settings.cache_dir, glosses_for(speech))


def ranking(args: argparse.Namespace, speech: Speech) -> Ranking | None:
    """The 慎 reminder's ranking, as the bot computes it (``bot.app.reminder_ranking``): from the
    cache directory when it is there, so the encoder need not load."""
    from content.encoder import EncoderError, load_encoder
    from content.shen import rank

    settings = settings_of(args)
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
        return shen.reminder(speech, day, ranking(args, speech))
    from bot.intake import makers
    from content.encoder import EncoderError
    from content.library import Book, Library, reminder_of

    settings = settings_of(args)
    made = makers(settings)
    info, _ = text_of(args)
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
    speech = speech_of(args)
    if not 1 <= args.limit <= 50:
        raise CliError("--limit must be between 1 and 50")
    searcher = _searcher(args, speech)
    if args.query == "-":
        for line in sys.stdin:
            found = searcher.answer(line.strip(), args.limit)
            print(json.dumps([hit.to_dict() for hit in found], ensure_ascii=False) if args.json
                  else _hits_text(line.strip(), found), flush=True)
        return 0
    hits = searcher.answer(args.query, limit=args.limit)
    if args.json:
        print_json([hit.to_dict() for hit in hits])
    else:
        print(_hits_text(args.query, hits))
    return 0


def _hits_text(query: str, hits: list[Hit]) -> str:
    """Hits as lines, under a title per tier."""
    if not hits:
        return f"no matches for {query!r}; try `speechbot outline`"
    lines: list[str] = []
    for number, hit in enumerate(hits):
        if number == 0 or hits[number - 1].tier != hit.tier:
            lines.append(TIER_TITLES[hit.tier])
        lines.append(f"  {hit.label} [{hit.id}] ({hit.score:g})  {hit.text}")
    return "\n".join(lines)


def cmd_quote(args: argparse.Namespace) -> int:
    """Print one verbatim quote with its location; with only --date, the quote of the day's 慎
    reminder (the one /today and the daily card show)."""
    speech = speech_of(args)
    node = node_of(speech, args.id) if args.id else None
    day = date_of(args) if args.date else None
    from content import quotes

    if day is not None and node is None and not args.keyword:
        quote: quotes.Quote | None = _reminder(args, speech, day).quote
    else:
        quote = quotes.pick(speech, node.id if node else None, args.keyword, day)
    if quote is None:
        where = f" in {node.label}" if node else ""
        raise CliError(f"no quote{where}" + (f" matches {args.keyword!r}" if args.keyword else ""))
    return emit(args, quote.to_dict(), f"“{quote.in_quotes}”\n——{quote.label}")


def cmd_card(args: argparse.Namespace) -> int:
    """Render the quote that `speechbot quote` gives for the same arguments as a PNG card; with
    only --date, the daily card (the quote of the day with its 慎 principle)."""
    from content import quotes
    from content.cards import CardFontMissing, daily_card, quote_card, render

    speech = speech_of(args)
    node = node_of(speech, args.id) if args.id else None
    day = date_of(args) if args.date else None
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
    return emit(args, data, f"{args.out}: “{quote.in_quotes}” ——{quote.label}")


def cmd_summary(args: argparse.Namespace) -> int:
    """Print an extractive summary and keywords."""
    speech = speech_of(args)
    node = node_of(speech, args.id) if args.id else None
    from content.model import cite
    from content.summaries import Summaries

    result = Summaries(speech, settings_of(args).cache_dir).get(node, args.length)  # cached, like the bot's
    keywords = "、".join(result.keywords)
    return emit(args, result.to_dict(), f"{cite(result.label)}\n{result.summary}\n关键词：{keywords}")


def cmd_reminder(args: argparse.Namespace) -> int:
    """Print the daily 慎 reminder."""
    speech = speech_of(args)
    result = _reminder(args, speech, date_of(args))
    return emit(args, result.to_dict(), result.text)


def register(sub: Subcommands, parents: Parents) -> None:
    """``speechbot outline|show|search|quote|card|summary|reminder``."""
    texts = parents.texts
    add_command(sub, "outline", cmd_outline, "print the speech's outline: ids, labels, titles", texts)
    add_command(sub, "show", cmd_show, "print one section's text", texts).add_argument(
        "id", help="section id: 4.2, 4-2, 四（二）, preface, closing")
    search = add_command(sub, "search", cmd_search, "search the speech (typos, traditional characters, pinyin work)",
                         texts)
    search.add_argument("query", help="what to look for; - reads one query a line from stdin")
    search.add_argument("--limit", type=int, default=5, help="how many hits (1-50, default 5)")
    quote = add_command(sub, "quote", cmd_quote, "print a verbatim quote with its location", texts)
    quote.add_argument("--id", help="only from this section")
    quote.add_argument("--keyword", "-k", help="among sentences that match this")
    quote.add_argument("--date", help="YYYY-MM-DD: that day's quote (alone: the 慎 reminder's)")
    card = add_command(sub, "card", cmd_card, "render a quote (or with only --date the daily card) as a PNG picture",
                       texts)
    card.add_argument("--id", help="a quote from this section")
    card.add_argument("--keyword", "-k", help="a quote that matches this")
    card.add_argument("--date", help="YYYY-MM-DD: the quote of that day (alone: the daily card)")
    card.add_argument("--out", required=True, metavar="FILE.png", help="where to write the PNG")
    summ = add_command(sub, "summary", cmd_summary, "extractive summary and keywords of the speech or a section", texts)
    summ.add_argument("id", nargs="?", help="section id (default: the whole speech)")
    summ.add_argument("--length", choices=["short", "long"], default="short",
                      help="short (the default, what /summary shows: about 30%% of the text) or long "
                           "(about 40%%, every section with its own line)")
    add_command(sub, "reminder", cmd_reminder, "the daily 慎 reminder", texts).add_argument(
        "--date", help="YYYY-MM-DD (default today)")
