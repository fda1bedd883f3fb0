"""Cold start of what the bot imports at start: import ``content`` + parse + build the index.

Runs a fresh interpreter each time (so nothing is cached in-process) and reports wall time
inside the child (import → index ready), the whole process time, and peak RSS.
Run: ``.venv/bin/python -m benchmarks.startup [--runs 5]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from benchmarks._report import report

CHILD = """
import time, resource, json
t0 = time.perf_counter()
import content
speech = content.load_speech()
speech.index
speech.search("慎独")
ready = time.perf_counter() - t0
print(json.dumps({"ready_s": ready, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "jieba_loaded": "jieba" in __import__("sys").modules}))
"""


def parse_ms(repeats: int = 50) -> float:
    """Median time to parse the default speech (and split every node into sentences), warm."""
    from content import DEFAULT_SPEECH, parse_bytes

    raw = DEFAULT_SPEECH.read_bytes()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        speech = parse_bytes(raw)
        for node in speech.nodes():
            node.sentences  # noqa: B018 - splitting is part of parsing here
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    for _ in range(args.runs):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True).stdout
        data = json.loads(out)
        data["process_s"] = time.perf_counter() - t
        results.append(data)
    summary = {
        "runs": args.runs,
        "parse_ms_median": parse_ms(),
        "ready_s_median": round(statistics.median(r["ready_s"] for r in results), 3),
        "process_s_median": round(statistics.median(r["process_s"] for r in results), 3),
        "rss_mb_max": round(max(r["rss_mb"] for r in results), 1),
        "jieba_loaded_at_start": any(r["jieba_loaded"] for r in results),
    }
    report(summary, args.json)


if __name__ == "__main__":
    main()
