"""The search service: one ranking from three tiers, with an honest tier on every hit.

Tiers. The precise tier (``content.search``: exact words, typos, pinyin, traditional script)
finds where the query's words stand; the related tier (``content.understand``) finds passages
that cover what a question asks in the speech's own terms; the dense tier (``content.dense``)
finds passages whose meaning is close, in Chinese or English. Each proposes nodes.

One ranking. Each proposed node gets features from every tier (``FEATURES``: did the precise
tier match it and how well, how much of the question the related tier covered, its cosine,
its gap to the best cosine, its dense rank, the cosine again for Latin-script queries, whose
cosines run lower), and a logistic model fitted on the development set with cross-validation
(``benchmarks/fit_ranker.py``) turns them into the probability that the node answers. Nodes
are ranked by it; each node once.

Honesty. A hit is **exact** (原文) when the precise tier matched it: the words are in the
speech. It is **related** (相关) when its probability is at least ``RELATED_P``: the speech
answers this in other words. Otherwise, at or above ``NEAREST_P``, it is **nearest** (最接近):
never presented as an answer; when no hit is exact and fewer than ``NEAREST_MAX`` are related,
the closest others fill up to that many, under their own heading ("the speech does not address this
directly; closest passages"). Below ``NEAREST_P``, nothing: the bot says so.
``benchmarks/quality.py`` reports each tier's precision, on the held-out set apart.

Speed. Query vectors are kept in a small LRU; ``answer`` is synchronous and meant to run off
the event loop (``asyncio.to_thread``). ``warm()`` loads the encoder and the matrix ahead.
"""

from __future__ import annotations

import logging
import math
import threading
import unicodedata
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from content.dense import DenseIndex
from content.model import Speech
from content.normalize import to_simplified
from content.search import MAX_QUERY, Hit, Tier
from content.understand import cleaned

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from content.encoder import Encoder
    from content.glosses import Glosses

log = logging.getLogger(__name__)

# Fitted by ``python -m benchmarks.fit_ranker`` on the development set (logistic regression,
# cross-validated by query; the held-out set is never read). Order: see ``FEATURES``.
FEATURES = ("bias", "exact", "exact_score", "related", "cosine", "gap", "dense_rank", "english_cosine")
WEIGHTS = (-5.114, 1.411, 0.267, 4.296, 2.888, 2.459, 2.878, 2.533)
RELATED_P = 0.44  # probability at or above which a passage is said to answer (相关)
NEAREST_P = 0.03  # below it, a passage is not shown at all
NEAREST_MAX = 3
DENSE_CANDIDATES = 8
VECTOR_CACHE = 512
ORDER: dict[Tier, int] = {"exact": 0, "related": 1, "nearest": 2}


@dataclass(frozen=True)
class Candidate:
    """A node some tier found for a query, with what each tier said of it."""

    node: str
    features: tuple[float, ...]
    exact: Hit | None
    related: Hit | None
    row: int  # the node's best sentence row in the dense index, -1 if none

    def probability(self, weights: tuple[float, ...] = WEIGHTS) -> float:
        """How likely this node answers the query (the fitted logistic model)."""
        z = sum(w * f for w, f in zip(weights, self.features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


_VECTORS: weakref.WeakKeyDictionary[Encoder, OrderedDict[str, NDArray[np.float32]]] = weakref.WeakKeyDictionary()
_VECTORS_LOCK = threading.Lock()


def query_vector(encoder: Encoder, query: str) -> NDArray[np.float32]:
    """The query's vector by ``encoder``, from an LRU of ``VECTOR_CACHE`` per encoder that every
    searcher shares: a search of every text of the library encodes the query once, not once per
    text (``benchmarks/library.py``: 0.8 s of a 1.8 s search of 200 texts was the same query
    encoded 201 times). Same encoder, same query, same vector: the results do not change."""
    key = to_simplified(unicodedata.normalize("NFKC", query).strip().lower())
    with _VECTORS_LOCK:
        vectors = _VECTORS.setdefault(encoder, OrderedDict())
        cached = vectors.get(key)
        if cached is not None:
            vectors.move_to_end(key)
            return cached
    vector: NDArray[np.float32] = encoder.encode([key])[0]
    with _VECTORS_LOCK:
        vectors[key] = vector
        while len(vectors) > VECTOR_CACHE:
            vectors.popitem(last=False)
    return vector


class Searcher:
    """Answers queries over one speech (see the module docstring); thread-safe."""

    def __init__(self, speech: Speech, encoder: Encoder | None = None, cache_dir: Path | None = None,
                 glosses: Glosses | None = None) -> None:
        self.speech = speech
        self.encoder = encoder
        self.cache_dir = cache_dir
        self.glosses = glosses
        self._dense: DenseIndex | None = None
        self._lock = threading.Lock()

    @property
    def dense(self) -> DenseIndex | None:
        """The dense index, built (or read from the cache) on first use; None without an encoder."""
        if self.encoder is None:
            return None
        with self._lock:
            if self._dense is None:
                try:
                    self._dense = DenseIndex.build(self.speech, self.encoder, self.cache_dir, self.glosses)
                except Exception:  # a broken model install must not take search down with it
                    log.exception("the dense search tier is off: the encoder %s failed", self.encoder.name)
                    self.encoder = None
            return self._dense

    def warm(self) -> None:
        """Build every index and load the encoder now, so the first member does not wait."""
        self.speech.index.lexicon  # noqa: B018 - the precise and related tiers' indexes
        if self.dense is not None:
            self._vector("慎独")

    def _vector(self, query: str) -> NDArray[np.float32]:
        assert self.encoder is not None
        return query_vector(self.encoder, query)

    def candidates(self, query: str, limit: int = 5) -> list[Candidate]:
        """Every node a tier finds for ``query``, with its features (``FEATURES``)."""
        query = query[:MAX_QUERY]
        if not query.strip():
            return []
        # Sentence hits, many per node for a common word (纪律): ask for enough to fill ``limit`` nodes.
        exact = _first_per_node(self.speech.search(cleaned(query), max(60, limit * 12)))
        related = _first_per_node(self.speech.related(query, limit * 2))
        dense = self._dense_scores(query)
        ranked = sorted(dense, key=lambda node: -dense[node][0])
        top = dense[ranked[0]][0] if ranked else 0.0
        letters = [ch for ch in query if ch.isalpha()]
        english = sum(ch.isascii() for ch in letters) / len(letters) if letters else 0.0
        nodes = dict.fromkeys([*exact, *related, *ranked[:DENSE_CANDIDATES]])
        found = []
        for node in nodes:
            cosine, row = dense.get(node, (0.0, -1))
            rank = ranked.index(node) if node in dense else len(ranked)
            hit, near = exact.get(node), related.get(node)
            features = (1.0, float(hit is not None), hit.score / 100 if hit else 0.0, near.score / 100 if near else 0.0,
                        cosine, cosine - top if dense else -1.0, 1.0 / (1 + rank), english * cosine)
            found.append(Candidate(node, features, hit, near, row))
        return found

    def answer(self, query: str, limit: int = 5) -> list[Hit]:
        """The hits for ``query``, best first, each node once, each with its tier; [] when
        nothing in the speech is close enough to show."""
        if limit <= 0:
            return []
        hits = []
        for candidate in self.candidates(query, limit):
            probability = candidate.probability()
            if candidate.exact is None and probability < NEAREST_P:
                continue  # too far to show at all
            tier: Tier = ("exact" if candidate.exact else "related" if probability >= RELATED_P else "nearest")
            hits.append(self._hit(candidate, tier, probability))
        hits.sort(key=lambda hit: (ORDER[hit.tier], -hit.score))
        claimed = [hit for hit in hits if hit.tier != "nearest"][:limit]
        if any(hit.tier == "exact" for hit in claimed):
            return claimed  # the member's words are in the speech: no need for guesses beside them
        room = min(limit, NEAREST_MAX) - len(claimed)  # the closest others, shown as such
        return claimed + [hit for hit in hits if hit.tier == "nearest"][: max(0, room)]

    def _dense_scores(self, query: str) -> dict[str, tuple[float, int]]:
        index = self.dense
        if index is None or not any(ch.isalnum() for ch in query):
            return {}
        return index.best_per_node(self._vector(query))

    def _hit(self, candidate: Candidate, tier: Tier, probability: float) -> Hit:
        label = self.speech.node(candidate.node).label
        score = round(probability, 3)
        found = candidate.exact or candidate.related
        if found is not None:
            return found.model_copy(update={"score": score, "label": label, "tier": tier})
        dense = self.dense
        text = dense.rows[candidate.row].text if dense is not None and candidate.row >= 0 else ""
        return Hit(id=candidate.node, text=text or self.speech.node(candidate.node).text, score=score, label=label,
                   tier=tier)


def _first_per_node(hits: list[Hit]) -> dict[str, Hit]:
    """The best hit of each node, in the tier's order."""
    found: dict[str, Hit] = {}
    for hit in hits:
        found.setdefault(hit.id, hit)
    return found
