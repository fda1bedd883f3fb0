"""Search at scale: our bigram-filtered index vs brute-force ``rapidfuzz.process.extract``.

A "library" of N sentences is synthesised from the speech's own clauses (recombined at random
with a fixed seed), so the vocabulary and bigram frequencies are realistic. Queries: exact
phrases cut from library sentences, the same with one character replaced, and pinyin. The
baseline scores every folded sentence with ``fuzz.partial_ratio`` (the same scorer we use) for
each query. Printed: build time, p50/p99 latency of both, the speed-up at p99, and whether the
two agree on exact phrases (same top hits). Run: ``.venv/bin/python -m benchmarks.search``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time

from rapidfuzz import fuzz, process

from benchmarks._report import percentile
from content import load_speech
from content.folding import fold
from content.search import SearchIndex


def library(size: int, seed: int = 7) -> list[tuple[str, str]]:
    """``size`` sentences recombined from the speech's clauses."""
    speech = load_speech()
    clauses = [c for _, s in speech.sentence_units() for c in re.split(r"[，、；。！？：]", s) if len(c) >= 4]
    rng = random.Random(seed)
    return [(f"u{i}", "，".join(rng.sample(clauses, rng.randint(2, 4))) + "。") for i in range(size)]


def queries(units: list[tuple[str, str]], count: int, seed: int = 11) -> list[tuple[str, str]]:
    """``(kind, query)`` pairs: exact phrases, one-typo phrases, pinyin."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for i in range(count):
        text = fold(rng.choice(units)[1])
        start = rng.randrange(0, max(1, len(text) - 10))
        phrase = text[start : start + rng.randint(5, 10)]
        if i % 3 == 0:
            out.append(("exact", phrase))
        elif i % 3 == 1:
            j = rng.randrange(len(phrase))
            out.append(("typo", phrase[:j] + "啊" + phrase[j + 1 :]))
        else:
            out.append(("pinyin", rng.choice(["shendu", "yi gang shuang ze", "jilu", "zhua tie you hen"])))
    return out



def run(size: int, count: int, brute_count: int) -> dict[str, float | int]:
    units = library(size)
    started = time.perf_counter()
    index = SearchIndex.build(units)
    build_s = time.perf_counter() - started
    folded = [fold(text) for _, text in units]
    workload = queries(units, count)
    ours: list[float] = []
    for _, query in workload:
        t = time.perf_counter()
        index.search(query, 5)
        ours.append((time.perf_counter() - t) * 1000)
    brute: list[float] = []
    agree = exact_total = 0
    for kind, query in [q for q in workload if q[0] != "pinyin"][:brute_count]:
        t = time.perf_counter()
        baseline = process.extract(fold(query), folded, scorer=fuzz.partial_ratio, limit=5)
        brute.append((time.perf_counter() - t) * 1000)
        if kind == "exact":
            exact_total += 1
            mine = index.search(query, 5)
            theirs = {units[i][1] for _, score, i in baseline if score == 100}
            agree += {h.text for h in mine if h.score == 100} == theirs or (
                len(theirs) == 5 and all(h.score == 100 for h in mine))
    return {
        "sentences": size,
        "build_s": round(build_s, 3),
        "ours_p50_ms": round(percentile(ours, 50), 3),
        "ours_p99_ms": round(percentile(ours, 99), 3),
        "brute_p50_ms": round(percentile(brute, 50), 3),
        "brute_p99_ms": round(percentile(brute, 99), 3),
        "speedup_p99": round(percentile(brute, 99) / percentile(ours, 99), 1),
        "exact_agree": f"{agree}/{exact_total}",
    }


def real_speech(count: int) -> dict[str, float]:
    speech = load_speech()
    speech.index  # noqa: B018 - build before timing
    samples = ["慎独", "抓铁有恨", "yi gang shuang ze", "纪律 戒尺", "不受监督的权力", "今天天气怎么样", "慎獨",
               "shendu"]
    times = []
    for i in range(count):
        t = time.perf_counter()
        speech.search(samples[i % len(samples)])
        times.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(statistics.median(times), 3), "p99_ms": round(percentile(times, 99), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--brute-queries", type=int, default=40, help="baseline queries (it is slow)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [run(int(size), args.queries, args.brute_queries) for size in args.sizes.split(",")]
    speech = real_speech(args.queries)
    if args.json:
        print(json.dumps({"library": rows, "real_speech": speech}, ensure_ascii=False))
        return
    header = list(rows[0])
    print(" | ".join(f"{h:>12}" for h in header))
    for row in rows:
        print(" | ".join(f"{row[h]!s:>12}" for h in header))
    print(f"real speech ({len(load_speech().sentence_units())} sentences): p50 {speech['p50_ms']} ms, "
          f"p99 {speech['p99_ms']} ms")


if __name__ == "__main__":
    main()
