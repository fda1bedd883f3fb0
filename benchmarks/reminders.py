"""The daily 慎 reminder's quotes month by month: how many distinct quotes a month holds and
how often a day repeats the day before's quote (the rule: never; at least 15 distinct a month).

Computed as the bot does (``content.shen.reminder`` with the encoder's ranking, read from the
cache directory when it is there), for every month from ``--start`` to ``--end``, of the
original speech or of a speech file. Run: ``.venv/bin/python -m benchmarks.reminders
[--start 2026-01 --end 2027-12] [--file PATH] [--encoder none] [--json]``.
"""

from __future__ import annotations

import argparse
import calendar
from datetime import date, timedelta
from pathlib import Path

from benchmarks._report import report
from bot.settings import Settings
from content import load_speech
from content.encoder import load_encoder
from content.shen import rank, reminder


def month_figures(speech_file: Path | None, encoder: str, start: str, end: str) -> dict[str, object]:
    """Per month ``distinct/repeats``, with the smallest and the total over the range."""
    settings = Settings(token=None)
    speech = load_speech(speech_file or settings.speech_file)
    ranking = rank(speech, load_encoder(encoder), settings.cache_dir)
    (year, month), last = map(int, start.split("-")), tuple(map(int, end.split("-")))
    figures: dict[str, object] = {}
    fewest, repeats = 10**9, 0
    previous = reminder(speech, date(year, month, 1) - timedelta(days=1), ranking).quote
    while (year, month) <= last:
        days = calendar.monthrange(year, month)[1]
        quotes = [reminder(speech, date(year, month, day), ranking).quote for day in range(1, days + 1)]
        again = sum(a == b for a, b in zip([previous, *quotes], quotes, strict=False))
        figures[f"{year}-{month:02d}"] = f"{len(set(quotes))} distinct, {again} repeats"
        fewest, repeats, previous = min(fewest, len(set(quotes))), repeats + again, quotes[-1]
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return {"ranking": ranking.encoder if ranking else "none", "fewest distinct in a month": fewest,
            "repeats of the day before (in all)": repeats, **figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", default="2026-01", help="first month, YYYY-MM")
    parser.add_argument("--end", default="2027-12", help="last month, YYYY-MM")
    parser.add_argument("--file", type=Path, help="a speech file (default: the original speech)")
    parser.add_argument("--encoder", default="use", help="the ranking's encoder (none: the rule without)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report(month_figures(args.file, args.encoder, args.start, args.end), args.json)


if __name__ == "__main__":
    main()
