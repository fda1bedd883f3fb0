"""Fit the answer ranker's weights and thresholds on the development set (never the held-out).

Every node a tier proposes for a development query is one example: its features
(``content.answer.FEATURES``) and whether it answers the query (for a question the speech does
not answer, nothing does). A logistic regression with a small L2 penalty (Newton's method,
numpy) is fitted; five folds by query give out-of-fold probabilities, from which the
thresholds are chosen: ``RELATED_P`` the lowest at which out-of-fold claims (non-exact
candidates at or above it) are right at least ``--precision`` of the time, ``NEAREST_P`` where
a passage that is shown but not claimed is still right at least one time in ten.

Run: ``.venv/bin/python -m benchmarks.fit_ranker`` and copy the printed constants into
``content/answer.py``; then ``benchmarks.quality`` reports the result.
"""

from __future__ import annotations

import argparse

import numpy as np

from benchmarks.quality import inside, load_cases, make_searcher
from content import load_speech
from content.answer import FEATURES


def examples() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels, query numbers, and whether the precise tier matched, for every candidate."""
    searcher = make_searcher(load_speech())
    rows: list[tuple[float, ...]] = []
    labels: list[float] = []
    groups: list[int] = []
    exact: list[bool] = []
    number = 0
    for items in load_cases("dev").values():
        for item in items:
            for candidate in searcher.candidates(item["q"], 3):
                rows.append(candidate.features)
                labels.append(float(bool(item.get("a")) and inside(candidate.node, item["a"])))
                groups.append(number)
                exact.append(candidate.exact is not None)
            number += 1
    return np.array(rows), np.array(labels), np.array(groups), np.array(exact)


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
    parser.add_argument("--precision", type=float, default=0.8, help="wanted precision of the related tier")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    x, y, groups, exact = examples()
    out_of_fold = np.zeros(len(y))
    for fold in range(args.folds):
        test = groups % args.folds == fold
        weights = fit(x[~test], y[~test])
        out_of_fold[test] = 1 / (1 + np.exp(-x[test] @ weights))
    weights = fit(x, y)
    claims = ~exact
    related_p = 0.5
    for threshold in np.arange(0.05, 0.95, 0.01):
        chosen = claims & (out_of_fold >= threshold)
        if chosen.sum() >= 10 and y[chosen].mean() >= args.precision:
            related_p = float(threshold)
            break
    nearest_p = 0.05
    for threshold in np.arange(0.01, related_p, 0.01):
        band = claims & (out_of_fold >= threshold) & (out_of_fold < related_p)
        if band.sum() and y[band].mean() >= 0.1:
            nearest_p = float(threshold)
            break
    print(f"examples: {len(y)} candidates of {groups.max() + 1} queries, {int(y.sum())} answering")
    print("out-of-fold: related precision "
          f"{y[claims & (out_of_fold >= related_p)].mean():.3f} "
          f"({int((claims & (out_of_fold >= related_p)).sum())} claims)")
    print(f"FEATURES = {FEATURES}")
    print(f"WEIGHTS = ({', '.join(f'{w:.3f}' for w in weights)})")
    print(f"RELATED_P = {related_p:.2f}")
    print(f"NEAREST_P = {nearest_p:.2f}")


if __name__ == "__main__":
    main()
