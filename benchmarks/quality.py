"""Search quality on the labelled evaluation set (``benchmarks/data/search_eval.yaml``, written
by reading the speech): per category, top-1 and top-3 accuracy of the answer as the bot gives
it (exact hits first, then related passages), and the false-hit rate on queries the speech does
not answer; plus search latency over the whole set.
Run: ``.venv/bin/python -m benchmarks.quality [--json]``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks._report import percentile
from content import Speech, load_speech

EVAL = Path(__file__).with_name("data") / "search_eval.yaml"


def answer(speech: Speech, query: str, limit: int = 3) -> list[str]:
    """Node ids in the order the bot shows them: exact hits, then related passages."""
    exact, related = speech.answer(query, limit)
    return [hit.id for hit in exact] + [hit.id for hit in related]


def inside(node_id: str, expected: list[str]) -> bool:
    return any(node_id == e or node_id.startswith(e + ".") for e in expected)


def evaluate(speech: Speech, cases: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Figures per category (see the module docstring) and the misses, for reading."""
    results: dict[str, Any] = {}
    misses: list[str] = []
    timings: list[float] = []
    for category, items in cases.items():
        top1 = top3 = hits = 0
        for item in items:
            started = time.perf_counter()
            ids = answer(speech, item["q"])
            timings.append(time.perf_counter() - started)
            if category == "unanswerable":
                hits += bool(ids)
                if ids:
                    misses.append(f"{category}: {item['q']} -> {ids[:3]}")
                continue
            top1 += bool(ids) and inside(ids[0], item["a"])
            found = any(inside(i, item["a"]) for i in ids[:3])
            top3 += found
            if not found:
                misses.append(f"{category}: {item['q']} -> {ids[:3]} (want {item['a']})")
        n = len(items)
        results[category] = ({"n": n, "false_hits": round(hits / n, 3)} if category == "unanswerable"
                             else {"n": n, "top1": round(top1 / n, 3), "top3": round(top3 / n, 3)})
    baseline = {}
    for category, items in cases.items():  # the precise tier alone: the search before this set existed
        if category == "unanswerable":
            continue
        found = sum(any(inside(h.id, item["a"]) for h in speech.search(item["q"], 3)) for item in items)
        baseline[category] = round(found / len(items), 3)
    results["baseline_top3_exact_tier_only"] = baseline
    results["latency_ms"] = {"p50": round(percentile(timings, 50) * 1000, 2),
                             "p99": round(percentile(timings, 99) * 1000, 2)}
    results["misses"] = misses
    return results


def load_cases() -> dict[str, list[dict[str, Any]]]:
    return yaml.safe_load(EVAL.read_text("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    speech = load_speech()
    answer(speech, "warm up")  # build the indexes outside the timings
    results = evaluate(speech, load_cases())
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return
    for category, figures in results.items():
        if category == "misses":
            continue
        print(f"{category:>13}: {figures}")
    print(f"misses ({len(results['misses'])}):")
    for line in results["misses"]:
        print("  " + line)


if __name__ == "__main__":
    main()
