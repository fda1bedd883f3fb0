"""What every benchmark shares: a percentile, and printing results as JSON or an aligned list."""

from __future__ import annotations

import json
from collections.abc import Mapping


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(result: Mapping[str, object], as_json: bool) -> None:
    """Print ``result`` as one JSON object (``--json``) or as ``key: value`` lines."""
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:>{width}}: {value}")
