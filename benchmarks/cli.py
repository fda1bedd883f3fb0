"""Whole-process time of the content subcommands against a bare ``python -c`` that imports
``content`` and loads the speech (the floor any content command stands on).

Each command runs ``--runs`` times in a fresh process, alternating, timed from spawn to exit
with ``perf_counter``; the median is reported with its ratio to the floor.
Run: ``.venv/bin/python -m benchmarks.cli [--runs 15] [--json]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._report import report

SPEECHBOT = str(Path(sys.executable).with_name("speechbot"))
COMMANDS = {
    "floor": [sys.executable, "-c", "import content; content.load_speech()"],
    "search": [SPEECHBOT, "search", "慎独"],
    "search_pinyin": [SPEECHBOT, "search", "shendu"],
    "quote": [SPEECHBOT, "quote"],
    "outline": [SPEECHBOT, "outline"],
    "reminder": [SPEECHBOT, "reminder"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            started = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - started)
    floor = statistics.median(times["floor"])
    result: dict[str, object] = {"runs": args.runs, "floor_ms": round(floor * 1000)}
    for name in list(COMMANDS)[1:]:
        median = statistics.median(times[name])
        result[f"{name}_ms"] = round(median * 1000)
        result[f"{name}_ratio"] = round(median / floor, 2)
    report(result, args.json)


if __name__ == "__main__":
    main()
