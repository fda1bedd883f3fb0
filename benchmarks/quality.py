"""Search and summary quality, on a development set and, apart, on a held-out set.

Sets (``benchmarks/data``), all written by reading the speech, never from the program's output:
- development (tuning): ``search_eval.yaml`` (exact, reorder, question, synonym, typo, script,
  unanswerable), ``search_dev.yaml`` (english, everyday questions, misquotes, unanswerable),
  ``heldout_search.yaml`` (development data despite its name: its questions were seen while
  tuning) and ``dev_trust.yaml`` (written blind by a helper for issue 23: everyday, long
  questions with context, synonyms, English, keywords, typos, traditional, pinyin, unanswerable,
  off-topic). The weights, thresholds and word lists
  were fitted to these.
- held-out: ``heldout_trust.yaml``, written by a helper who saw only the speech (never the program
  or the development sets), same categories; nothing was fitted to it. Its figures are the result.

Per answerable category: ``top1`` and ``top3`` count any hit the bot shows (原文, 相关 or 相近);
``answered`` counts what the member is told is an answer: a right passage in the first three
shown as 原文 or 相关; ``first_claim`` is the share of questions with a claim whose first claimed
hit is right. For questions the speech does not answer (a category whose items name no
passage): ``silent``, the share that claims nothing (no 原文 or 相关 hit), and ``empty``, the share
shown no passage at all. Per tier: precision, the share of that tier's hits in the first three
that answer (a claimed hit on an unanswerable question is a wrong one).

Summaries (``summaries.yaml``, and the held-out ``heldout_summaries.yaml``): character ROUGE-1/2
F1 of ours and of two baselines of the same length (lead-N, headings only), and readability: the
share of summaries, over every node, with no defect (``content.summarizer.defects``).

Run: ``.venv/bin/python -m benchmarks.quality [--set dev|heldout|all] [--json] [--misses]``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from benchmarks._report import percentile
from content import Speech, load_speech
from content.answer import Searcher
from content.encoder import DEFAULT_ENCODER, load_encoder
from content.folding import fold
from content.glosses import glosses_for
from content.summarizer import defects, summarize

DATA = Path(__file__).with_name("data")
SETS = {"dev": ["search_eval.yaml", "search_dev.yaml", "heldout_search.yaml", "dev_trust.yaml"],
        "heldout": ["heldout_trust.yaml"]}
REFERENCES = {"dev": "summaries.yaml", "heldout": "heldout_summaries.yaml"}


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


def load_references(name: str) -> dict[str, str]:
    raw = yaml.safe_load((DATA / name).read_text("utf-8"))
    return {str(key): "".join(value.split()) for key, value in raw.items()}


def summary_figures(speech: Speech, references: dict[str, str]) -> dict[str, dict[str, float]]:
    """Mean ROUGE-1/2 F1 of ours and of the two baselines over every reference."""
    systems: dict[str, list[tuple[float, float]]] = {"ours": [], "lead_n": [], "headings": []}
    for node_id, reference in references.items():
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


def readability(speech: Speech) -> dict[str, Any]:
    """Share of summaries (every node and the whole speech, short and long) with no defect."""
    found: list[str] = []
    total = 0
    for node in [None, *speech.nodes()]:
        for length in ("short", "long"):
            total += 1
            result = summarize(speech, node, length)  # type: ignore[arg-type]
            problems = defects(result, node)
            if problems:
                found.append(f"{result.id}/{length}: {'; '.join(problems)}")
    return {"n": total, "clean": round(1 - len(found) / total, 3), "defects": found}


def inside(node_id: str, expected: list[str]) -> bool:
    return any(node_id == e or node_id.startswith(e + ".") for e in expected)


def evaluate(searcher: Searcher, cases: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Figures per category and per tier (see the module docstring), and the misses."""
    results: dict[str, Any] = {}
    misses: list[str] = []
    timings: list[float] = []
    tiers: dict[str, list[int]] = {"exact": [0, 0], "related": [0, 0], "nearest": [0, 0]}
    for category, items in cases.items():
        top1 = top3 = answered = claims = first_right = silent = empty = 0
        unanswerable = not any(item.get("a") for item in items)
        for item in items:
            started = time.perf_counter()
            hits = searcher.answer(item["q"], 3)
            timings.append(time.perf_counter() - started)
            expected = item.get("a") or []
            for hit in hits:
                tiers[hit.tier][0] += 1
                tiers[hit.tier][1] += bool(expected) and inside(hit.id, expected)
            shown = [f"{hit.id}:{hit.tier}" for hit in hits]
            claimed = [hit for hit in hits if hit.tier != "nearest"]
            if not expected:
                silent += not claimed
                empty += not hits
                if claimed:
                    misses.append(f"{category}: {item['q']} -> {shown}")
                continue
            top1 += bool(hits) and inside(hits[0].id, expected)
            top3 += any(inside(hit.id, expected) for hit in hits[:3])
            right = any(inside(hit.id, expected) and hit.tier != "nearest" for hit in hits[:3])
            answered += right
            if claimed:
                claims += 1
                first_right += inside(claimed[0].id, expected)
            if not right:
                misses.append(f"{category}: {item['q']} -> {shown} (want {expected})")
        n = len(items)
        results[category] = ({"n": n, "silent": round(silent / n, 3), "empty": round(empty / n, 3)} if unanswerable
                             else {"n": n, "top1": round(top1 / n, 3), "top3": round(top3 / n, 3),
                                   "answered": round(answered / n, 3),
                                   "first_claim": round(first_right / claims, 3) if claims else None})
    results["tier_precision"] = {tier: {"hits": shown, "precision": round(right / shown, 3) if shown else None}
                                 for tier, (shown, right) in tiers.items()}
    results["latency_ms"] = {"p50": round(percentile(timings, 50) * 1000, 2),
                             "p99": round(percentile(timings, 99) * 1000, 2)}
    results["misses"] = misses
    return results


def load_cases(name: str) -> dict[str, list[dict[str, Any]]]:
    """One set's categories; a set made of several files merges categories of the same name."""
    merged: dict[str, list[dict[str, Any]]] = {}
    for file in SETS[name]:
        for category, items in yaml.safe_load((DATA / file).read_text("utf-8")).items():
            merged.setdefault(category, []).extend(items)
    return merged


def make_searcher(speech: Speech, encoder: str = DEFAULT_ENCODER) -> Searcher:
    cache = Path(tempfile.gettempdir()) / "speechbot-benchmark-cache"
    searcher = Searcher(speech, load_encoder(encoder), cache, glosses_for(speech))
    searcher.warm()
    return searcher


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["dev", "heldout", "all"], default="all")
    parser.add_argument("--encoder", default=DEFAULT_ENCODER, help="as SPEECHBOT_ENCODER (none: no dense tier)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list the misses (the development set only)")
    args = parser.parse_args()
    speech = load_speech()
    searcher = make_searcher(speech, args.encoder)
    names = ["dev", "heldout"] if args.set == "all" else [args.set]
    report: dict[str, Any] = {}
    for name in names:
        report[name] = evaluate(searcher, load_cases(name))
        report[name]["summaries"] = summary_figures(speech, load_references(REFERENCES[name]))
    report["readability"] = readability(speech)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return
    for name in names:
        print(f"== {name}{' (HELD-OUT: nothing was tuned on it)' if name == 'heldout' else ' (tuning set)'}")
        for category, figures in report[name].items():
            if category != "misses":
                print(f"{category:>15}: {figures}")
        if args.misses and name == "dev":
            for line in report[name]["misses"]:
                print("    miss " + line)
        print(f"{'misses':>15}: {len(report[name]['misses'])}")
    print(f"    readability: {report['readability']['clean']} of {report['readability']['n']} summaries clean")
    for line in report["readability"]["defects"]:
        print("    defect " + line)


if __name__ == "__main__":
    main()
