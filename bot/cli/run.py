"""``speechbot run`` (the bot: polling, or a webhook) and ``speechbot console`` (the real bot in
this terminal, against the local fake Bot API)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_USAGE, CliError, Parents, add_command, print, run_async, settings_of
from bot.settings import MISSING_TOKEN
from content import load_speech

if TYPE_CHECKING:
    from bot.cli.common import Subcommands


def cmd_run(args: argparse.Namespace) -> int:
    """Start the bot: long polling, or a webhook when SPEECHBOT_WEBHOOK_URL is set."""
    settings = settings_of(args)
    speech = load_speech(settings.speech_file)
    if settings.token is None:
        print(f"speechbot: {MISSING_TOKEN}", file=sys.stderr)
        if sys.stdin.isatty():
            print("Opening `speechbot console` instead (a local fake Telegram, no token needed).", file=sys.stderr)
            from bot.fake.console import run_console

            return int(run_async(run_console(settings, speech)))
        return EXIT_USAGE
    import secrets

    from bot.logs import configure_logging
    from bot.runner import StartError, serve

    token = settings.require_token()
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else secrets.token_urlsafe(32)
    redact = configure_logging(settings.log_level, settings.log_format, token, secret)
    from content.cards import CardFontMissing

    try:
        run_async(serve(settings, speech, secret, redact))
    except (StartError, CardFontMissing) as exc:
        raise CliError(str(exc)) from None
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    """Talk to the real bot in this terminal through a local fake Bot API."""
    from bot.fake.console import run_console

    settings = settings_of(args)
    speech = load_speech(settings.speech_file)
    return int(run_async(run_console(settings, speech, language_code=args.lang)))


def register(sub: Subcommands, parents: Parents) -> None:
    """``speechbot run`` and ``speechbot console``."""
    add_command(sub, "run", cmd_run, "start the bot (polling; webhook when SPEECHBOT_WEBHOOK_URL is set)",
                parents.file, json_flag=False)
    console = add_command(sub, "console", cmd_console, "talk to the bot in this terminal (no token, no network)",
                          parents.file, json_flag=False)
    console.add_argument("--lang", default="zh-hans", help="your Telegram language (en for English)")
