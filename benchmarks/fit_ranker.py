"""Fit the answer ranker's weights and thresholds on the development set (never the held-out).

Every node a tier proposes for a development query is one example: its features
(``content.answer.FEATURES``) and whether it answers the query (for a question the speech does
not answer, nothing does). A logistic regression with a small L2 penalty (Newton's method,
numpy) is fitted; five folds by query give out-of-fold probabilities, from which the
thresholds are chosen: ``RELATED_P`` the lowest at which out-of-fold claims (non-exact
candidates at or above it) are right at least ``--precision`` of the time, ``NEAREST_P`` where
a passage that is shown but not claimed is still right at least one time in ten.

Run: ``.venv/bin/python -m benchmarks.fit_ranker --write`` writes the constants into
``content/answer.py``; then ``benchmarks.quality`` reports the result.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.quality import inside, load_cases, make_searcher
from content import load_speech
from content.answer import FEATURES

ANSWER = Path(__file__).resolve().parent.parent / "content" / "answer.py"


@dataclass
class Examples:
    """Every candidate of every development query: features, label, query number, and whether
    its tier is decided without the model (the precise tier matched, every content word stands
    in the node, a passage of a principle asked about); per query, its category and whether the
    speech answers it."""

    x: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    forced: np.ndarray
    categories: list[str]
    answerable: list[bool]


def examples() -> Examples:
    searcher = make_searcher(load_speech())
    rows: list[tuple[float, ...]] = []
    labels: list[float] = []
    groups: list[int] = []
    forced: list[bool] = []
    categories: list[str] = []
    answerable: list[bool] = []
    for category, items in load_cases("dev").items():
        for item in items:
            for candidate in searcher.candidates(item["q"], 3):
                rows.append(candidate.features)
                labels.append(float(bool(item.get("a")) and inside(candidate.node, item["a"])))
                groups.append(len(categories))
                forced.append(bool(candidate.exact or candidate.literal or candidate.principle))
            categories.append(category)
            answerable.append(bool(item.get("a")))
    return Examples(np.array(rows), np.array(labels), np.array(groups), np.array(forced), categories, answerable)


def query_figures(data: Examples, p: np.ndarray, threshold: float) -> tuple[dict[str, float], float, float]:
    """As ``benchmarks.quality`` counts them, from probabilities ``p``: the share answered (a right
    passage among the first three claimed) per answerable category, the share of unanswerable
    questions that claim nothing, and the share of claiming questions whose first claim is right."""
    answered: dict[str, list[bool]] = {}
    silent: list[bool] = []
    first: list[bool] = []
    for query, category in enumerate(data.categories):
        rows = np.where(data.groups == query)[0]
        claimed = sorted((i for i in rows if data.forced[i] or p[i] >= threshold),
                         key=lambda i: (not data.forced[i], -p[i]))[:3]
        if not data.answerable[query]:
            silent.append(not claimed)
            continue
        answered.setdefault(category, []).append(any(data.y[i] for i in claimed))
        if claimed:
            first.append(bool(data.y[claimed[0]]))
    return ({c: float(np.mean(v)) for c, v in answered.items()}, float(np.mean(silent)), float(np.mean(first)))


def fit(x: np.ndarray, y: np.ndarray, penalty: float = 1.0, steps: int = 50) -> np.ndarray:
    """L2-penalised logistic regression by Newton's method (the bias is not penalised)."""
    weights = np.zeros(x.shape[1])
    ridge = np.eye(x.shape[1]) * penalty
    ridge[0, 0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ weights))
        gradient = x.T @ (p - y) + ridge @ weights
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + ridge + np.eye(x.shape[1]) * 1e-9
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--silent", type=float, default=0.9,
                        help="wanted share of unanswerable questions that claim nothing (out of fold)")
    parser.add_argument("--first", type=float, default=0.9, help="wanted share of first claims that are right")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="write the constants into content/answer.py")
    parser.add_argument("--floor-precision", type=float, default=0.1,
                        help="how often a passage shown but not claimed must still be right")
    args = parser.parse_args()
    data = examples()
    x, y, groups = data.x, data.y, data.groups
    out_of_fold = np.zeros(len(y))
    for fold in range(args.folds):
        test = groups % args.folds == fold
        weights = fit(x[~test], y[~test])
        out_of_fold[test] = 1 / (1 + np.exp(-x[test] @ weights))
    weights = fit(x, y)
    related_p = 0.9
    for threshold in np.arange(0.10, 0.90, 0.01):
        answered, silent, first = query_figures(data, out_of_fold, float(threshold))
        if silent >= args.silent and first >= args.first:
            related_p = float(threshold)
            break
    answered, silent, first = query_figures(data, out_of_fold, related_p)
    claims = ~data.forced
    nearest_p = 0.05
    for threshold in np.arange(0.01, related_p, 0.01):
        band = claims & (out_of_fold >= threshold) & (out_of_fold < related_p)
        if band.sum() and y[band].mean() >= args.floor_precision:
            nearest_p = float(threshold)
            break
    print(f"examples: {len(y)} candidates of {groups.max() + 1} queries, {int(y.sum())} answering")
    print(f"out of fold at RELATED_P {related_p:.2f}: unanswerable silent {silent:.3f}, first claim right {first:.3f}")
    print("  answered: " + ", ".join(f"{category} {share:.3f}" for category, share in answered.items()))
    constants = {"WEIGHTS": "(" + ",\n           ".join(", ".join(f"{w:.3f}" for w in weights[i:i + 8])
                                                      for i in range(0, len(weights), 8)) + ")",
                 "RELATED_P": f"{related_p:.2f}", "NEAREST_P": f"{nearest_p:.2f}"}
    print(f"FEATURES = {FEATURES}")
    for name, value in constants.items():
        print(f"{name} = {value}")
    if args.write:
        source = ANSWER.read_text("utf-8")
        for name, value in constants.items():
            source = re.sub(rf"^{name} = (\([^)]*\)|[0-9.]+)", f"{name} = {value}", source, count=1, flags=re.M)
        ANSWER.write_text(source, "utf-8")
        print(f"written to {ANSWER}")


if __name__ == "__main__":
    main()
