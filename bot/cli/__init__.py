"""The ``speechbot`` command line: the parser and ``main``; each command group is a module of
this package (``content``: outline, show, search, quote, card, summary, reminder; ``library``:
import, library; ``run``: run, console; ``reader``; ``db``; ``stats``; ``push``; ``ledger``) and what they
share is in ``common``.

Every subcommand reads the settings (environment and ``.env``) and takes ``--file PATH``
(default: the setting ``SPEECHBOT_SPEECH_FILE`` or the speech the package ships). The content
subcommands take ``--text ID`` instead: a text of the library (``speechbot library``), read
from the database, its node ids scoped (``2:4.2``). User errors (a broken speech file, an
unknown id, a bad argument or setting) print one line to stderr and exit 2; nothing prints a
traceback.

The content subcommands import only ``content`` and the settings: the Telegram, database and
HTTP stacks are imported inside the subcommands that use them, so ``speechbot search`` starts
about as fast as the speech loads.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import content, db, ledger, library, push, reader, run, stats
from bot.cli.common import EXIT_USAGE, CliError, Parents, print
from bot.settings import SettingsError
from content import SpeechFormatError

__all__ = ["DESCRIPTION", "CliError", "build_parser", "main"]

DESCRIPTION = "speechbot: the study bot for a speech, its library of texts and its content, from the command line."


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand, in the order ``--help`` lists them."""
    parents = Parents.build()
    parser = argparse.ArgumentParser(prog="speechbot", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    content.register(sub, parents)
    library.register_import(sub)
    library.register_library(sub)
    run.register(sub, parents)
    reader.register(sub, parents)
    db.register(sub, parents)
    stats.register(sub, parents)
    push.register(sub, parents)
    ledger.register(sub, parents)
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
