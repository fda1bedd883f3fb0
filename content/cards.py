"""Quote cards: a passage set as a 1080×1350 PNG worth forwarding; pure (text in, PNG bytes out).

Typesetting for Chinese: lines break between any two characters, except that no line starts
with closing punctuation (，。、；：！？”’）》 …: it hangs at the end of the line before) and no
line ends with an opening one (“‘（《 …: it moves to the next line). The font size is the
largest of ``SIZES`` at which the passage fits the text box (short quotes large, long ones
smaller, never under ``SIZES[-1]`` px, about 13 pt on a phone), and the last line is balanced:
the measure narrows, without adding a line, until the last line holds at least 40% of a full
one. Margins and line spacing are fixed proportions of the card.

The font is Noto Sans CJK SC (SIL Open Font License 1.1) from the PyPI package
``noto-cjk-sans-otc``; without it, ``card_font`` raises ``CardFontMissing`` with one line.
"""

from __future__ import annotations

import importlib.util
import io
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from content.model import attribution

WIDTH, HEIGHT = 1080, 1350
MARGIN = 96
SIZES = (76, 70, 64, 58, 52, 46, 42)
SOURCE_SIZE = 34  # the title and speaker under the label
LINE_SPACING = 1.55
NO_START = frozenset("，。、；：！？”’）》」』】〕…·%,.;:!?)]")
NO_END = frozenset("“‘（《「『【〔([")
PAPER, INK, ACCENT, MUTED = (251, 247, 240), (38, 34, 30), (178, 34, 34), (88, 78, 68)
FACE = "Noto Sans CJK SC"


class CardFontMissing(RuntimeError):
    """The Chinese font for cards is not installed; the message is one line for the operator."""


@dataclass(frozen=True)
class CardSpec:
    """What a card shows: the passage and its label, and for the daily card a header."""

    text: str
    label: str
    header: str = ""  # e.g. 2026-11-30 · 今日一慎：慎独
    subheader: str = ""  # the principle's one-line meaning
    source: str = ""  # under the label: the text's title and speaker (《…》 张三), when it has them


def _font_path() -> Path:
    spec = importlib.util.find_spec("noto_cjk_sans_otc")
    if spec is None or not spec.submodule_search_locations:
        raise CardFontMissing("the card font is missing: install the package noto-cjk-sans-otc "
                              "(Noto Sans CJK, SIL OFL 1.1)")
    return Path(next(iter(spec.submodule_search_locations))) / "NotoSansCJK-Regular.ttc"


@cache
def _face_index() -> int:
    path = _font_path()
    for index in range(10):
        try:
            if ImageFont.truetype(str(path), 12, index=index).getname()[0] == FACE:
                return index
        except OSError:
            break
    raise CardFontMissing(f"the card font file {path} has no {FACE} face")


@cache
def card_font(size: int) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK SC at ``size`` px (raises ``CardFontMissing`` without the font)."""
    return ImageFont.truetype(str(_font_path()), size, index=_face_index())


def break_lines(text: str, width: float, measure: ImageFont.FreeTypeFont) -> list[str]:
    """``text`` in lines no wider than ``width`` (hanging closing punctuation may overhang by
    one character), following the rules in the module docstring."""
    lines: list[str] = []
    line = ""
    for char in "".join(text.split()):
        if line and measure.getlength(line + char) > width and char not in NO_START:
            carried = ""
            while line and line[-1] in NO_END:  # an opening mark never ends a line
                carried = line[-1] + carried
                line = line[:-1]
            if line:
                lines.append(line)
            line = carried
        line += char
    if line:
        lines.append(line)
    return lines


def balanced_lines(text: str, width: float, measure: ImageFont.FreeTypeFont) -> list[str]:
    """Like ``break_lines``, with the measure narrowed (same number of lines) until the last
    line holds at least 40% of the longest."""
    lines = break_lines(text, width, measure)
    if len(lines) < 2:
        return lines
    narrower = width
    while narrower > width * 0.7:
        longest = max(measure.getlength(line) for line in lines)
        if measure.getlength(lines[-1]) >= 0.4 * longest:
            break
        narrower -= measure.getlength("字") / 2
        attempt = break_lines(text, narrower, measure)
        if len(attempt) != len(lines):
            break
        lines = attempt
    return lines


def layout(text: str, box_width: float, box_height: float) -> tuple[int, list[str]]:
    """The largest size in ``SIZES`` at which ``text`` fits the box, and its lines."""
    for size in SIZES:
        lines = balanced_lines(text, box_width, card_font(size))
        if len(lines) * size * LINE_SPACING <= box_height:
            return size, lines
    size = SIZES[-1]
    return size, balanced_lines(text, box_width, card_font(size))


def render(card: CardSpec) -> bytes:
    """The card as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 18), fill=ACCENT)
    top = 120
    if card.header:
        draw.text((MARGIN, top), card.header, font=card_font(50), fill=ACCENT)
        top += 88
    if card.subheader:
        for line in balanced_lines(card.subheader, WIDTH - 2 * MARGIN, card_font(44)):
            draw.text((MARGIN, top), line, font=card_font(44), fill=MUTED)
            top += 68
    if card.header or card.subheader:
        top += 40
        draw.line((MARGIN, top, MARGIN + 120, top), fill=ACCENT, width=4)
        top += 60
    bottom = HEIGHT - 230
    size, lines = layout(card.text, WIDTH - 2 * MARGIN, bottom - top)
    font = card_font(size)
    height = len(lines) * size * LINE_SPACING
    y = top + max(0.0, (bottom - top - height) / 2)  # the passage sits in the middle of its box
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += size * LINE_SPACING
    label_font = card_font(40)
    source = signature(card)
    draw.text((WIDTH - MARGIN - label_font.getlength(source), HEIGHT - 190), source, font=label_font, fill=MUTED)
    if card.source:
        byline_font = card_font(SOURCE_SIZE)
        line = fitted(card.source, WIDTH - 2 * MARGIN, byline_font)
        draw.text((WIDTH - MARGIN - byline_font.getlength(line), HEIGHT - 126), line, font=byline_font, fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def fitted(text: str, width: float, measure: ImageFont.FreeTypeFont) -> str:
    """``text`` on one line no wider than ``width``: cut with …… when it is longer (a long title)."""
    text = " ".join(text.split())
    if measure.getlength(text) <= width:
        return text
    while text and measure.getlength(text + "……") > width:
        text = text[:-1]
    return text + "……"


def signature(card: CardSpec) -> str:
    """The card's last line, where the passage stands: 出自 一（一）."""
    return attribution(card.label)


def quote_card(text: str, label: str, source: str = "") -> CardSpec:
    """The card of one verbatim quote (``source``: its text's title and speaker)."""
    return CardSpec(text=text, label=label, source=source)


def daily_card(day: date, principle: str, meaning: str, text: str, label: str, source: str = "") -> CardSpec:
    """The daily card: the date, the day's principle with its meaning, the quote of the day."""
    return CardSpec(text=text, label=label, header=f"{day.isoformat()} · 今日一慎：{principle}", subheader=meaning,
                    source=source)
