"""Member text made safe for the files: what XML cannot hold is removed, and nothing a member
wrote can become a spreadsheet formula (that is the writers' job: ``formula_like`` tells them)."""

from __future__ import annotations

import re

# XML 1.0 forbids C0 controls other than tab, LF and CR, lone surrogates and U+FFFE/U+FFFF;
# openpyxl raises IllegalCharacterError and python-docx ValueError on them.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A spreadsheet reads a cell starting with one of these as a formula (CSV/DDE injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(text: str) -> str:
    """``text`` without the characters XML forbids."""
    return _FORBIDDEN.sub("", text)


def formula_like(text: str) -> bool:
    """Would a spreadsheet take ``text`` for a formula if it were typed in?"""
    return text.startswith(_FORMULA_START)
