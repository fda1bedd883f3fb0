"""Every text users see, in Chinese (default) and English.

The messages are gettext catalogs, ``handlers/locale/<lang>/LC_MESSAGES/speechbot.po``: the msgid
is the key handlers pass, the msgstr the text with ``{name}`` placeholders (``str.format``).
``tr(lang, key, **args)`` renders a message for HTML parse mode: each argument is escaped
unless it is ``Html`` (already-rendered markup from ``handlers.render``), and loses the control
characters a user could slip in (see ``printable``). A missing key or a
wrong argument is a bug, caught by ``tests/handlers/test_catalog.py``, which renders every
message with exactly the arguments its callers pass.
"""

from __future__ import annotations

import html
import re
import string
from pathlib import Path

from babel.messages.pofile import read_po

from content.naming import Lang as Lang  # the one language type, re-exported for handlers


class Html(str):
    """Markup that is already safe for Telegram's HTML parse mode."""

    __slots__ = ()


LOCALE = Path(__file__).with_name("locale")
DOMAIN = "speechbot"


def load(lang: Lang, locale_dir: Path = LOCALE) -> dict[str, str]:
    """The messages of ``lang``'s gettext catalog, key -> template. Read with Babel once, at import:
    the .po files are the only build artefact, so nothing compiles them before start. Entries that
    are empty or fuzzy are untranslated (as gettext treats them) and fall back to Chinese."""
    with (locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
        catalog = read_po(file, locale=lang, domain=DOMAIN, abort_invalid=True)
    return {m.id: m.string for m in catalog
            if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string and not m.fuzzy}


ZH: dict[str, str] = load("zh")
EN: dict[str, str] = load("en")
CATALOGS: dict[str, dict[str, str]] = {"zh": ZH, "en": EN}


def language(code: str | None) -> Lang:
    """English for users whose Telegram language is English, Chinese for everyone else."""
    return "en" if code and code.lower().startswith("en") else "zh"


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template expects."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# C0 and C1 controls but newline, and the bidirectional overrides/isolates that could reorder
# the bot's own words around an echoed argument (U+202A–202E, U+2066–2069). Joiners stay
# (emoji sequences in names need them).
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(value: str) -> str:
    """``value`` without control characters, as it may be echoed back to a chat."""
    return _CONTROLS.sub("", value)


def tr(lang: Lang, key: str, **args: object) -> Html:
    """Render ``key`` in ``lang``; arguments are cleaned of controls and HTML-escaped unless they
    are ``Html``."""
    template = CATALOGS.get(lang, ZH).get(key) or ZH[key]
    safe = {k: v if isinstance(v, Html) else html.escape(printable(str(v)), quote=False) for k, v in args.items()}
    return Html(template.format(**safe))


# The command menu (set_my_commands): these commands, in this order, each described by the
# catalog's ``menu_<command>``.
MENU_COMMANDS = ("today", "outline", "search", "quote", "card", "summary", "shen", "show", "texts", "use",
                 "subscribe", "settings", "plan", "quiz", "progress", "rank", "saved", "note", "notes",
                 "ledger", "privacy", "help")


def menu(lang: Lang) -> list[tuple[str, str]]:
    """(command, description) pairs of ``lang``'s command menu."""
    return [(command, CATALOGS[lang][f"menu_{command}"]) for command in MENU_COMMANDS]


MENU: dict[Lang, list[tuple[str, str]]] = {"zh": menu("zh"), "en": menu("en")}
