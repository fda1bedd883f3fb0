"""Telegram HTML as terminal text (the console and ``speechbot push preview`` print with it)."""

from __future__ import annotations

import re
from html import unescape


def terminal_text(html: str, bold: bool) -> str:
    """Telegram HTML → terminal text (bold as ANSI when the output is a terminal)."""
    text = re.sub(r"<b>(.*?)</b>", (lambda m: f"\033[1m{m.group(1)}\033[0m") if bold else r"\1", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", text))
