"""The ``speechbot`` command line.

Every subcommand takes ``--file PATH`` (default: the setting ``SPEECHBOT_SPEECH_FILE`` or the
speech in ``seeds/``). User errors (a broken speech file, an unknown id, a bad argument) print
one line to stderr and exit 2; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from content import Node, Speech, SpeechFormatError, UnknownNodeError, load_speech

EXIT_USAGE = 2


class CliError(Exception):
    """A user error: printed as one line, exit code 2."""


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _speech(args: argparse.Namespace) -> Speech:
    return load_speech(args.file or os.environ.get("SPEECHBOT_SPEECH_FILE") or None)


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
        _print_json({"title": speech.title, "nodes": [node.to_dict() for node in speech.top]})
        return 0
    if speech.title:
        print(speech.title)
    for node in speech.nodes():
        depth = node.id.count(".") if node.kind in ("section", "point") else 0
        title = node.title or node.sentences[0].strip()[:30] + "…"
        print(f"{'  ' * depth}{node.label} {title}  [{node.id}]")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print one node's full text with its label."""
    speech = _speech(args)
    node = _node(speech, args.id)
    if args.json:
        _print_json(node.to_dict())
    else:
        print(f"【{node.label}】")
        print(node.text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--file", metavar="PATH", help="speech file (default: seeds/speech.txt)")
    parser = argparse.ArgumentParser(prog="speechbot", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str,
            json_flag: bool = True) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        if json_flag:
            cmd.add_argument("--json", action="store_true", help="print JSON")
        cmd.set_defaults(func=func)
        return cmd

    add("outline", cmd_outline, "print the speech's outline: ids, labels, titles")
    add("show", cmd_show, "print one section's text").add_argument(
        "id", help="section id: 4.2, 4-2, 四（二）, preface, closing")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (CliError, SpeechFormatError) as exc:
        print(f"speechbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
