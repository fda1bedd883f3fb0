"""The card font, Noto Sans CJK SC (SIL OFL 1.1, the PyPI package ``noto-cjk-sans-otc``), for the
ledger's picture. The quote cards find the same face in ``handlers.cards``, which ``content``
cannot import; this finder is its twin for the one caller in ``content``."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from PIL import ImageFont

FACE = "Noto Sans CJK SC"


class CardFontMissing(RuntimeError):
    """The Chinese font is not installed; the message is one line for the operator."""


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
