"""Control characters out of text at the edges: what is imported, stored, or printed.

A NUL makes PostgreSQL refuse a row (``CharacterNotInRepertoireError``) and an ESC sequence
in a text recolours or clears the terminal that prints it. No speech needs either: every C0
and C1 control character but tab and the line ends (``\\t \\n \\r``) is removed, and DEL;
a vertical tab or a form feed (a page break in text exported from a PDF) ends a line.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile("[\x0b\x0c]")
_ALL = re.compile("[\x00-\x1f\x7f-\x9f]+")


def strip_controls(text: str) -> str:
    """``text`` without control characters (tab and line ends kept; \\v and \\f as line ends)."""
    return _CONTROLS.sub("", _BREAKS.sub("\n", text))


def count_controls(text: str) -> int:
    """How many characters ``strip_controls`` removes or turns into line ends."""
    return len(_CONTROLS.findall(text)) + len(_BREAKS.findall(text))


def one_line(text: str) -> str:
    """``text`` on one line without any control character (a file name, a query): each run of
    them, line ends and tabs too, is one space."""
    return _ALL.sub(" ", text).strip()
