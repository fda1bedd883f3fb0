"""A week's participation as a picture: one bar per session, readers over members."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from content.ledger.record import Ledger


def week_picture(ledger: Ledger, lang: str) -> bytes:
    """A PNG of the period's sessions: each bar as high as its 参学率 (or its readers)."""
    width, height = 640, 320
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    sessions = ledger.sessions or ()
    step = width // max(1, len(sessions))
    top = max([1, *(s.readers for s in sessions)])
    for index, session in enumerate(sessions):
        share = session.rate if session.rate is not None else session.readers / top
        bar = int((height - 40) * min(1.0, share))
        draw.rectangle((index * step + 8, height - 20 - bar, (index + 1) * step - 8, height - 20), fill="#c0392b")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
