"""A week's participation as a picture for a phone: one bar a day, 参学人数 drawn over 应学人数,
with the count and the 参学率 under it. 1080×1080 PNG, the quote cards' font and paper.

The week is the seven days ending on the ledger's last day. A day with several sessions shows
the one most members read (members who read two passages are not counted twice).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from PIL import Image, ImageDraw, ImageFont

from content.cards import card_font
from content.ledger.clean import clean
from content.ledger.labels import day_text, label, percent, weekday
from content.ledger.record import Ledger, Session
from content.naming import Lang

SIZE = 1080
MARGIN = 72
PAPER, INK, ACCENT, MUTED, TRACK = (251, 247, 240), (38, 34, 30), (178, 34, 34), (110, 100, 90), (226, 216, 204)
TITLE_SIZE, SUBTITLE_SIZE, TEXT_SIZE, SMALL_SIZE = 60, 34, 34, 30  # px: 30 px is ~11 pt on a phone
PLOT_TOP, PLOT_BOTTOM = 350, 800
BAR_SHARE = 0.62  # of a day's column


@dataclass(frozen=True)
class Day:
    """One day of the picture: its session, if the group studied."""

    day: date
    session: Session | None


def week_days(ledger: Ledger) -> list[Day]:
    """The seven days ending on ``ledger.end``, each with its most-read session (or none)."""
    best: dict[date, Session] = {}
    for session in ledger.sessions:
        held = best.get(session.day)
        if held is None or session.readers > held.readers:
            best[session.day] = session
    first = ledger.end - timedelta(days=6)
    return [Day(day, best.get(day)) for day in (first + timedelta(days=n) for n in range(7))]


def week_picture(ledger: Ledger, lang: Lang = "zh") -> bytes:
    """The week's participation as PNG bytes, labelled in ``lang``."""
    image = Image.new("RGB", (SIZE, SIZE), PAPER)
    draw = ImageDraw.Draw(image)
    days = week_days(ledger)
    _heading(draw, ledger, days, lang)
    scale = max([1, *(max(d.session.readers, d.session.expected or 0) for d in days if d.session)])
    column = (SIZE - 2 * MARGIN) / len(days)
    bar = column * BAR_SHARE
    text, small = card_font(TEXT_SIZE), card_font(SMALL_SIZE)
    for index, day in enumerate(days):
        middle = MARGIN + column * (index + 0.5)
        left, right = middle - bar / 2, middle + bar / 2
        session = day.session
        if session is None:
            _centred(draw, middle, PLOT_BOTTOM - 50, label(lang, "no_session"), small, MUTED)
        else:
            if session.expected:
                draw.rectangle((left, _y(session.expected, scale), right, PLOT_BOTTOM), fill=TRACK)
            if session.readers:
                draw.rectangle((left, _y(session.readers, scale), right, PLOT_BOTTOM), fill=ACCENT)
            count = f"{session.readers}/{session.expected}" if session.expected else str(session.readers)
            top = _y(max(session.readers, session.expected or 0), scale)
            _centred(draw, middle, top - 44, count, small, INK)
            _centred(draw, middle, PLOT_BOTTOM + 100, percent(session.rate), text, ACCENT)
        _centred(draw, middle, PLOT_BOTTOM + 14, weekday(day.day, lang), small, INK)
        _centred(draw, middle, PLOT_BOTTOM + 56, f"{day.day.month}/{day.day.day}", small, MUTED)
    draw.line((MARGIN, PLOT_BOTTOM, SIZE - MARGIN, PLOT_BOTTOM), fill=MUTED, width=2)
    _legend(draw, lang)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _y(count: int, scale: int) -> float:
    return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * count / scale


def _heading(draw: ImageDraw.ImageDraw, ledger: Ledger, days: list[Day], lang: Lang) -> None:
    draw.text((MARGIN, MARGIN), label(lang, "week_title"), font=card_font(TITLE_SIZE), fill=INK)
    subtitle = card_font(SUBTITLE_SIZE)
    group = _fit(_drawable(ledger.group), SIZE - 2 * MARGIN, subtitle)
    draw.text((MARGIN, MARGIN + 92), group, font=subtitle, fill=MUTED)
    span = label(lang, "range", start=day_text(days[0].day, lang), end=day_text(days[-1].day, lang))
    draw.text((MARGIN, MARGIN + 140), span, font=subtitle, fill=MUTED)


def _legend(draw: ImageDraw.ImageDraw, lang: Lang) -> None:
    small = card_font(SMALL_SIZE)
    x, y = MARGIN, SIZE - MARGIN - SMALL_SIZE
    for colour, name in ((ACCENT, label(lang, "readers")), (TRACK, label(lang, "expected"))):
        draw.rectangle((x, y + 4, x + 28, y + 32), fill=colour)
        draw.text((x + 40, y), name, font=small, fill=INK)
        x += 40 + int(draw.textlength(name, font=small)) + 56


def _centred(draw: ImageDraw.ImageDraw, middle: float, top: float, text: str, font: ImageFont.FreeTypeFont,
             fill: tuple[int, int, int]) -> None:
    draw.text((middle - draw.textlength(text, font=font) / 2, top), text, font=font, fill=fill)


def _drawable(text: str) -> str:
    """``text`` without what the CJK face cannot draw: emoji and their joiners and selectors."""
    return "".join(char for char in clean(text) if ord(char) < 0x1F000 and char not in "\u200d\ufe0e\ufe0f")


def _fit(text: str, width: float, font: ImageFont.FreeTypeFont) -> str:
    """``text``, cut with … to fit ``width``."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"
