#!/usr/bin/env python3
"""Port messages written as Python dicts (``ZH = {...}``, ``EN = {...}``) into the gettext catalogs.

The messages live in ``handlers/locale/<lang>/LC_MESSAGES/speechbot.po``, one entry per key (the
key is the msgid, the text the msgstr). A branch that still adds keys to dicts in the style of
the old ``handlers/catalog.py`` is ported mechanically::

    git show BRANCH:handlers/catalog.py | .venv/bin/python scripts/catalog_to_po.py -
    .venv/bin/python scripts/catalog_to_po.py old_catalog.py --dry-run   # print the entries only
    .venv/bin/python scripts/catalog_to_po.py      # rewrite both catalogs (after pybabel update)

A key missing from a catalog is inserted right after the key that precedes it in the dict, so
related messages stay together. A key whose text differs from the catalog's is reported and kept
as the catalog has it, unless ``--overwrite``. The source is read with ``ast`` (never imported),
so a file with merge conflicts elsewhere still ports as long as its dicts parse; a fragment that
holds only the ``ZH = {...}`` / ``EN = {...}`` assignments works too. Needs only Babel.
"""

from __future__ import annotations

import argparse
import ast
import io
import string
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "handlers" / "locale"
DOMAIN = "speechbot"
DICTS = {"ZH": "zh", "EN": "en"}  # dict name in the Python source -> catalog language
BRACE = "python-brace-format"


def po_path(lang: str, locale_dir: Path = LOCALE) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template expects (as ``handlers.catalog.placeholders``)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def read_dicts(source: str) -> dict[str, dict[str, str]]:
    """The ``ZH``/``EN`` dicts of a Python source, by language, in source order."""
    found: dict[str, dict[str, str]] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in DICTS and isinstance(value, ast.Dict):
            entries = ast.literal_eval(value)
            found[DICTS[target.id]] = {str(k): str(v) for k, v in entries.items()}
    return found


def new_catalog(lang: str) -> Catalog:
    return Catalog(locale=lang, domain=DOMAIN, project="speechbot", version="0.1.0", fuzzy=False,
                   msgid_bugs_address="speechbot maintainers", last_translator="speechbot maintainers",
                   language_team="speechbot maintainers", revision_date=datetime.now(UTC),
                   header_comment=f"# speechbot messages ({lang}). msgid: the key handlers pass to text();\n"
                                  "# msgstr: the text, with {name} placeholders (str.format, HTML parse mode).\n#")


def load(lang: str, locale_dir: Path = LOCALE) -> Catalog:
    path = po_path(lang, locale_dir)
    if not path.exists():
        return new_catalog(lang)
    with path.open("rb") as file:
        return read_po(file, locale=lang, domain=DOMAIN, abort_invalid=True)


def entry(key: str, value: str) -> Message:
    return flag(Message(key, value))


def flag(message: Message) -> Message:
    """Mark ``message`` python-brace-format when its text has placeholders. Babel derives the flag
    from the msgid, which here is a key without braces, so it drops the flag on every read."""
    message.flags.discard(BRACE)
    if isinstance(message.string, str) and placeholders(message.string):
        message.flags.add(BRACE)
    return message


def merge(catalog: Catalog, entries: dict[str, str], overwrite: bool = False) -> tuple[list[str], list[str]]:
    """Insert ``entries`` missing from ``catalog`` after their predecessor in ``entries``; return
    (added keys, keys whose text differs)."""
    messages = [m for m in catalog if m.id]
    present = {m.id for m in messages}
    added, differing = [], []
    previous: str | None = None
    for key, value in entries.items():
        if key in present:
            message = catalog[key]
            assert message is not None
            if message.string != value:
                differing.append(key)
                if overwrite:
                    message.string = value
        else:
            index = next((i + 1 for i, m in enumerate(messages) if m.id == previous), len(messages) if previous else 0)
            messages.insert(index, entry(key, value))
            present.add(key)
            added.append(key)
        previous = key
    for message in list(catalog):
        if message.id:
            del catalog[message.id]
    for message in messages:
        catalog[message.id] = flag(message)
    return added, differing


def render(catalog: Catalog, omit_header: bool = False) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, omit_header=omit_header, include_lineno=False)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", help="a Python file with ZH = {...} and EN = {...} dicts, or - for "
                        "stdin; without it, the catalogs are rewritten as Babel writes them, flags restored")
    parser.add_argument("--locale-dir", type=Path, default=LOCALE)
    parser.add_argument("--overwrite", action="store_true", help="replace texts that differ from the catalog's")
    parser.add_argument("--dry-run", action="store_true", help="print the new .po entries, write nothing")
    args = parser.parse_args(argv)
    if args.source is None:
        dicts: dict[str, dict[str, str]] = {"zh": {}, "en": {}}
    else:
        dicts = read_dicts(sys.stdin.read() if args.source == "-" else Path(args.source).read_text("utf-8"))
    if not dicts:
        print("no ZH = {...} or EN = {...} dict found", file=sys.stderr)
        return 1
    for lang, entries in dicts.items():
        catalog = load(lang, args.locale_dir)
        added, differing = merge(catalog, entries, overwrite=args.overwrite)
        path = po_path(lang, args.locale_dir)
        for key in differing:
            print(f"{lang}: {key}: text differs from the catalog's ({'replaced' if args.overwrite else 'kept'})",
                  file=sys.stderr)
        if args.dry_run:
            if added:
                print(f"# {path}")
                print(render(subset(lang, [catalog[k] for k in added]), omit_header=True).decode("utf-8"))
            continue
        if added or (differing and args.overwrite) or not path.exists() or args.source is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(render(catalog))
        print(f"{lang}: {len(added)} added to {path}", file=sys.stderr)
    return 0


def subset(lang: str, messages: list[Message | None]) -> Catalog:
    """A catalog of just ``messages``, for printing them."""
    catalog = new_catalog(lang)
    for message in messages:
        if message is not None:
            catalog[message.id] = message
    return catalog


if __name__ == "__main__":
    raise SystemExit(main())
