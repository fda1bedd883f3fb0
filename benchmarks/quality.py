"""Search and summary quality on sets written by reading the speech.

Search (``data/search_eval.yaml``): per category, top-1 and top-3 accuracy of the answer as the
bot gives it (exact hits first, then related passages), the false-hit rate on queries the
speech does not answer, the exact tier alone for comparison, and latency over the whole set.

Summaries (``data/summaries.yaml``: a reference for the preface, every part and subsection and
the closing): character-level ROUGE-1 and ROUGE-2 F1 (punctuation folded away) of our short
summaries, next to two baselines of the same length: lead-N (the node's first N characters)
and heading-only (the node's heading and its children's headings).
Run: ``.venv/bin/python -m benchmarks.quality [--json]``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from benchmarks._report import percentile
from content import Speech, load_speech
from content.normalize import fold
from content.summary import summarize

EVAL = Path(__file__).with_name("data") / "search_eval.yaml"
REFERENCES = Path(__file__).with_name("data") / "summaries.yaml"


def rouge(candidate: str, reference: str, n: int) -> float:
    """Character n-gram F1 of two texts, punctuation and spaces folded away."""
    a, b = fold(candidate), fold(reference)
    grams_a = Counter(a[i:i + n] for i in range(len(a) - n + 1))
    grams_b = Counter(b[i:i + n] for i in range(len(b) - n + 1))
    overlap = sum((grams_a & grams_b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(grams_a.values()), overlap / sum(grams_b.values())
    return 2 * precision * recall / (precision + recall)


def load_references() -> dict[str, str]:
    raw = yaml.safe_load(REFERENCES.read_text("utf-8"))
    return {str(key): "".join(value.split()) for key, value in raw.items()}


def summary_figures(speech: Speech) -> dict[str, dict[str, float]]:
    """Mean ROUGE-1/2 F1 of ours and of the two baselines over every reference."""
    systems: dict[str, list[tuple[float, float]]] = {"ours": [], "lead_n": [], "headings": []}
    for node_id, reference in load_references().items():
        node = speech.node(node_id)
        ours = summarize(speech, node, "short").summary
        flat = node.text.replace("\n", "")
        candidates = {
            "ours": ours,
            "lead_n": flat[: len(ours)],
            "headings": "".join([node.sentences[0], *(child.sentences[0] for child in node.children)]),
        }
        for name, text in candidates.items():
            systems[name].append((rouge(text, reference, 1), rouge(text, reference, 2)))
    return {name: {"rouge1": round(sum(r for r, _ in scores) / len(scores), 3),
                   "rouge2": round(sum(r for _, r in scores) / len(scores), 3)}
            for name, scores in systems.items()}


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
    results["summaries"] = summary_figures(speech)
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
